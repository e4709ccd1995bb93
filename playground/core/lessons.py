"""Lessons: data files in ``lessons/`` that open the Playground with a task and a goal checked live.

A lesson is ``lessons/NN_<id>.toml``::

    id = "xor_hidden_layer"          # the file name after "NN_"
    title = "XOR needs a hidden layer"
    order = 1                         # the order on the Lessons page
    text = "Markdown: what to try, in plain words."
    hidden = ["regularization"]       # controls not drawn (names from classroom.CONTROLS)
    locked = ["dataset", "features"]  # controls drawn disabled
    goal = "test_accuracy >= 95%"     # see playground.goals
    hint = "optional"

    [config]                          # Config fields; everything else keeps its default
    dataset = "xor"
    hidden = []

    [solution]                        # the reference solution, replayed by the tests:
    hidden = [8]                      #   Config overrides on top of [config],
    epochs = 100                      #   then this many epochs of training

A solution in several steps (e.g. "make the loss diverge, then fix it") is a list instead, each step's
overrides applied on top of the step before, ``reset = true`` to press Reset before training::

    [[solution.steps]]
    epochs = 10
    [[solution.steps]]
    learning_rate = 0.03
    reset = true
    epochs = 100

``load_lessons`` validates every file against this schema and raises ``ValueError`` naming the file and
the key: unknown keys, wrong types, a config value the Config field table does not allow (the config
must survive its own link, ``config.to_query`` then ``config.from_query``, unchanged and without
notices), unknown control names, a goal ``goals.parse_goal`` cannot read, a solution that changes a
hidden or locked control. No Streamlit here.
"""

import dataclasses
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from nn_core import DATASETS
from playground.core import goals
from playground.core.classroom import CONTROLS, LABELS, MAX_TASK_CHARS, Classroom
from playground.core.config import FIELDS, Config, from_query, to_query

LESSONS_DIR = Path(__file__).resolve().parents[2] / "lessons"
FILE_NAME = re.compile(r"(?P<number>[0-9]{2})_(?P<slug>[a-z0-9_]+)\.toml")
ID = re.compile(r"[a-z0-9][a-z0-9_]*")
MAX_ID_CHARS, MAX_TITLE_CHARS, MAX_EPOCHS = 80, 100, 100_000
# key -> (type, required); the tables [config] and [solution] are checked on their own.
TOP_KEYS = MappingProxyType(
    {
        "id": (str, True),
        "title": (str, True),
        "order": (int, True),
        "text": (str, True),
        "goal": (str, True),
        "hint": (str, False),
        "hidden": (list, False),
        "locked": (list, False),
        "config": (dict, True),
        "solution": (dict, True),
    }
)
DEFAULT = Config()
TYPE_WORDS = MappingProxyType({int: "an integer", float: "a number", str: "a text", bool: "true or false"})
ITEM_WORDS = MappingProxyType({int: "integers", str: "names"})


@dataclass(frozen=True)
class Step:
    """One step of a reference solution: move to ``config`` (Reset first if ``reset``), train ``epochs``."""

    config: Config
    epochs: int
    reset: bool = False


@dataclass(frozen=True)
class Lesson:
    """One lesson file, validated. ``config`` is where the Playground starts; ``solution`` the steps
    that reach the goal from there."""

    id: str
    title: str
    order: int
    text: str
    config: Config
    hidden: tuple
    locked: tuple
    goal: str
    hint: str
    solution: tuple
    source: str  # the file name, for messages

    def classroom(self):
        """The Playground's classroom settings for this lesson: the text is the task shown above the
        charts, the goal is checked live, and ``lesson`` lets the Playground record a pass by id."""
        return Classroom(
            hidden=frozenset(self.hidden),
            locked=frozenset(self.locked),
            task=self.text,
            goal=self.goal,
            lesson=self.id,
        )

    def describe_goal(self):
        """The goal in plain words ("test accuracy ≥ 95 % and at most 6 hidden neurons")."""
        return goals.parse_goal(self.goal).describe()


def find_lesson(lesson_id, folder=LESSONS_DIR):
    """The lesson with this id, or None (e.g. a link's ``lesson=`` naming a lesson that is gone)."""
    return next((lesson for lesson in load_lessons(folder) if lesson.id == lesson_id), None)


def control_labels(names):
    """The controls' names as the sidebar labels them ("Learning rate", "Play / Pause")."""
    return [LABELS.get(name, name) for name in names]


# --- loading ------------------------------------------------------------------------------------
def load_lessons(folder=LESSONS_DIR):
    """Every ``NN_<id>.toml`` in ``folder``, validated, sorted by ``order``.

    Returns a tuple of ``Lesson``. Raises ValueError naming the file and the key of the first problem,
    or when two lessons share an id or an order."""
    lessons = [load_lesson(path) for path in sorted(Path(folder).glob("*.toml"))]
    for attribute in ("id", "order"):
        seen = {}
        for lesson in lessons:
            value = getattr(lesson, attribute)
            if value in seen:
                raise ValueError(f"{lesson.source}: {attribute} {value!r} is also used by {seen[value]}")
            seen[value] = lesson.source
    return tuple(sorted(lessons, key=lambda lesson: lesson.order))


def load_lesson(path):
    """One lesson file, validated (see the module docstring). Raises ValueError naming file and key."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return _lesson(data, path.name)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{path.name}: not valid TOML: {error}") from None
    except ValueError as error:
        raise ValueError(f"{path.name}: {error}") from None


def _lesson(data, file_name):
    """Build a Lesson from the parsed TOML; ValueError messages start with the key."""
    _check_keys(data)
    _check_texts(data, file_name)
    hidden, locked = _controls(data, "hidden"), _controls(data, "locked")
    if set(hidden) & set(locked):
        raise ValueError(f"locked: {sorted(set(hidden) & set(locked))} are hidden already")
    try:
        goals.parse_goal(data["goal"])
    except ValueError as error:
        raise ValueError(f"goal: {error}") from None
    config = _config(data["config"], DEFAULT, "config")
    if config.dataset not in DATASETS:  # an upload lives in one user's session: no lesson can ship it
        raise ValueError(f"config.dataset: {config.dataset!r} is not a built-in dataset")
    solution = _solution(data["solution"], config, unavailable=set(hidden) | set(locked))
    if {"play", "step"} <= set(hidden) | set(locked):
        raise ValueError("hidden/locked: a lesson needs Play or Step to train")
    return Lesson(
        id=data["id"],
        title=data["title"],
        order=data["order"],
        text=_paragraphs(data["text"]),
        config=config,
        hidden=hidden,
        locked=locked,
        goal=data["goal"].strip(),
        hint=_paragraphs(data.get("hint", "")),
        solution=solution,
        source=file_name,
    )


def _check_keys(data):
    for key in data:
        if key not in TOP_KEYS:
            raise ValueError(f"{key}: unknown key; known: {', '.join(TOP_KEYS)}")
    for key, (kind, required) in TOP_KEYS.items():
        if key not in data:
            if required:
                raise ValueError(f"{key}: missing")
            continue
        if type(data[key]) is not kind:  # not isinstance: a bool is an int to Python, not to us
            expected = TYPE_WORDS.get(kind, "a table" if kind is dict else "a list")
            raise ValueError(f"{key}: expected {expected}, got {_shown(data[key])}")


def _check_texts(data, file_name):
    match = FILE_NAME.fullmatch(file_name)
    if not match:
        raise ValueError("the file name must be NN_<id>.toml (two digits, lower-case letters, digits, _)")
    if not ID.fullmatch(data["id"]) or len(data["id"]) > MAX_ID_CHARS:
        raise ValueError(f"id: {data['id']!r} is not lower-case letters, digits and _")
    if data["id"] != match["slug"]:
        raise ValueError(f"id: {data['id']!r} differs from the file name's {match['slug']!r}")
    limits = {"title": MAX_TITLE_CHARS, "text": MAX_TASK_CHARS}  # the text travels in the link
    for key, limit in limits.items():
        if not data[key].strip() or len(data[key].strip()) > limit:
            raise ValueError(f"{key}: must be 1 to {limit} characters, got {len(data[key].strip())}")


def _controls(data, key):
    names = data.get(key, [])
    for name in names:
        if name not in CONTROLS:
            raise ValueError(f"{key}: {_shown(name)} is not a control; known: {', '.join(CONTROLS)}")
    if len(set(names)) != len(names):
        raise ValueError(f"{key}: a control is listed twice")
    return tuple(names)


# --- configs and solutions ----------------------------------------------------------------------
def _config(table, base, where):
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
        item = type(default[0])  # hidden: int sizes, features: str names
        if type(value) is not list or any(type(v) is not item for v in value):
            raise ValueError(f"{where}: expected a list of {ITEM_WORDS[item]}, got {_shown(value)}")
        return tuple(value)
    if type(default) is float and type(value) is int:
        value = float(value)
    if type(value) is not type(default):
        raise ValueError(f"{where}: expected {TYPE_WORDS[type(default)]}, got {_shown(value)}")
    return value


def _allowed(name):
    field = FIELDS[name]
    if field.choices:
        return f"{field.label}: one of {', '.join(map(str, field.choices))}"
    if name == "hidden":
        return f"{field.label}: a list of up to 8 sizes from {field.low} to {field.high}"
    return f"{field.label}: from {field.low} to {field.high}"


def _solution(table, config, *, unavailable):
    """The solution's steps. ``unavailable``: the hidden and locked controls, which it may not use."""
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
                f"{where}.epochs: expected an integer from 1 to {MAX_EPOCHS}, got {_shown(epochs)}"
            )
        if type(reset) is not bool:
            raise ValueError(f"{where}.reset: expected true or false, got {_shown(reset)}")
        new = _config(step, config, where)
        used = {name for name in FIELDS if getattr(new, name) != getattr(config, name)} | (
            {"reset"} if reset else set()
        )
        if used & unavailable:
            raise ValueError(f"{where}: changes {', '.join(sorted(used & unavailable))}, hidden or locked")
        result.append(Step(new, epochs, reset))
        config = new
    return tuple(result)


def _paragraphs(text):
    """Markdown with its wrapped lines joined (a TOML text wraps at ~100 columns, the link carrying it
    need not). Blank lines, list items and headings keep their line breaks."""
    return re.sub(r"(?<!\n)\n(?!\n|\s*([-*+]|[0-9]+\.)\s|#)", " ", text.strip())


def _shown(value):
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 40 else text[:37] + '...'}"
