"""A lesson file's ``[config]`` and ``[solution]`` tables, checked: Config overrides by the field table
the page's links use, and the reference solution's steps.

``config_table`` applies a table of Config fields to a base config; the result must come back from its
own link (``config.to_query`` then ``config.from_query``) unchanged and without notices.
``solution_steps`` reads ``[solution]`` (overrides and ``epochs``) or ``[[solution.steps]]`` into
``Step``s, each on top of the one before, refusing a step that changes a hidden or locked control.
Errors are ValueErrors whose message starts with the key (``solution.steps[1].epochs: ...``); the
file name is added by ``playground.core.lessons``. No Streamlit here.
"""

import dataclasses
from dataclasses import dataclass
from types import MappingProxyType

from playground.core import classroom
from playground.core.config import FIELDS, Config, from_query, to_query

MAX_EPOCHS = 100_000
DEFAULT = Config()
TYPE_WORDS = MappingProxyType({int: "an integer", float: "a number", str: "a text", bool: "true or false"})
ITEM_WORDS = MappingProxyType({int: "integers", str: "names"})


@dataclass(frozen=True)
class Step:
    """One step of a reference solution: move to ``config`` (Reset first if ``reset``), train ``epochs``."""

    config: Config
    epochs: int
    reset: bool = False


def config_table(table, base, where):
    """``base`` with the Config fields in ``table`` (other keys are an error), checked by the field table
    the page's links use: the result must come back from its own link unchanged and without notices."""
    values = {}
    for name, value in table.items():
        if name not in FIELDS:
            raise ValueError(f"{where}.{name}: not a Config field; known: {', '.join(FIELDS)}")
        values[name] = _typed(name, value, f"{where}.{name}")
    config = dataclasses.replace(base, **values)
    back, notices = from_query(to_query(config))
    bad = [name for name in FIELDS if getattr(back, name) != getattr(config, name)]
    if bad or notices:
        name = bad[0] if bad else next(iter(values), "")
        detail = " ".join(notices)
        raise ValueError(
            f"{where}.{name}: {getattr(config, name)!r} is not allowed ({_allowed(name)}). {detail}".strip()
        )
    # The sidebar lists features in the table's order; a lesson in another order would look changed.
    order = FIELDS["features"].choices.index
    return dataclasses.replace(config, features=tuple(sorted(config.features, key=order)))


def _typed(name, value, where):
    """``value`` as the Config field's type: a TOML integer is a fine float, a list is a tuple."""
    default = getattr(DEFAULT, name)
    if isinstance(default, tuple):
        item = int if name == "hidden" else str  # hidden: int sizes; features, formulas, activations: str
        if type(value) is not list or any(type(v) is not item for v in value):
            raise ValueError(f"{where}: expected a list of {ITEM_WORDS[item]}, got {shown(value)}")
        return tuple(value)
    if type(default) is float and type(value) is int:
        value = float(value)
    if type(value) is not type(default):
        raise ValueError(f"{where}: expected {TYPE_WORDS[type(default)]}, got {shown(value)}")
    return value


def _allowed(name):
    field = FIELDS[name]
    if name == "features":
        return f"{field.label}: some of {', '.join(field.choices)}, or none with features of your own"
    if field.choices and name != "layer_activations":
        return f"{field.label}: one of {', '.join(map(str, field.choices))}"
    if name == "hidden":
        return f"{field.label}: a list of up to 8 sizes from {field.low} to {field.high}"
    if name == "feature_formulas":
        return f"{field.label}: a list of up to {field.high} formulas of x1 and x2, each once"
    if name == "layer_activations":  # checked before field.choices: a list, one name per hidden layer
        return f"{field.label}: one name per hidden layer, from {', '.join(field.choices)}"
    return f"{field.label}: from {field.low} to {field.high}"


def solution_steps(table, config, *, unavailable):
    """The solution's steps. ``unavailable``: the hidden and locked controls, which it may not use
    (the activation hidden or locked takes the per-layer activations with it, as on the page)."""
    unavailable = classroom.unavailable(unavailable)
    if "steps" in table:
        if set(table) != {"steps"}:
            raise ValueError("solution: either [[solution.steps]] or overrides with epochs, not both")
        steps = table["steps"]
        if type(steps) is not list or not steps or any(type(step) is not dict for step in steps):
            raise ValueError("solution.steps: expected one or more [[solution.steps]] tables")
        tables = [(step, f"solution.steps[{i}]") for i, step in enumerate(steps)]
    else:
        tables = [(table, "solution")]
    result = []
    for step, where in tables:
        step = dict(step)
        epochs, reset = step.pop("epochs", None), step.pop("reset", False)
        if type(epochs) is not int or not 1 <= epochs <= MAX_EPOCHS:
            raise ValueError(
                f"{where}.epochs: expected an integer from 1 to {MAX_EPOCHS}, got {shown(epochs)}"
            )
        if type(reset) is not bool:
            raise ValueError(f"{where}.reset: expected true or false, got {shown(reset)}")
        new = config_table(step, config, where)
        used = {name for name in FIELDS if getattr(new, name) != getattr(config, name)} | (
            {"reset"} if reset else set()
        )
        if used & unavailable:
            raise ValueError(f"{where}: changes {', '.join(sorted(used & unavailable))}, hidden or locked")
        result.append(Step(new, epochs, reset))
        config = new
    return tuple(result)


def shown(value):
    """A value for a message: its type and its repr, cut at 40 characters."""
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 40 else text[:37] + '...'}"
