"""Lesson goals: short texts such as ``test_accuracy >= 95%; neurons <= 6``, checked live.

A goal is one or more conditions separated by ``;``, all of which must hold at the same time:

- ``<metric> <op> <number>`` with ``op`` one of ``<``, ``<=``, ``>``, ``>=`` and ``metric`` one of
  ``train_loss``, ``test_loss``, ``train_accuracy``, ``test_accuracy``, ``train_f1``, ``test_f1``
  (accuracies and macro F1: fractions 0..1, or a percentage such as ``95%``), ``neurons`` (hidden
  units in all), ``layers`` (hidden layers) and ``epoch``;
- ``diverged``: the loss has become infinite at least once since the goal was set.

The text is plain ASCII, so it fits in a link (``playground.core.classroom``). ``parse_goal`` reads it with a
regular expression, never ``eval``, and raises ``ValueError`` naming the part it cannot read.

Checking is live: the Playground keeps a ``memory`` (a plain dict from ``new_memory``) per goal and,
after every tick, calls ``observe`` (it remembers a divergence, which training forgets as soon as the
learning rate changes) and ``evaluate``. A goal once passed stays passed for that memory, with the
epoch it passed at, so the badge does not flicker as the loss wobbles. A metric that is undefined (an
accuracy on regression, a loss before the first epoch or while the network is diverged) simply does
not meet its condition. No Streamlit here.
"""

import math
import operator
import re
from dataclasses import dataclass
from types import MappingProxyType
from typing import NamedTuple

from playground.core.classroom import MAX_GOAL_CHARS

MAX_CONDITIONS = 8


class Metric(NamedTuple):
    """What a goal can compare: its words, and its kind ("loss", "accuracy" or "count")."""

    label: str
    kind: str
    record_key: str = ""  # the key in Experiment.metrics() (losses and accuracies only)


METRICS = MappingProxyType(
    {
        "train_loss": Metric("training loss", "loss", "train_loss"),
        "test_loss": Metric("test loss", "loss", "val_loss"),
        "train_accuracy": Metric("training accuracy", "accuracy", "train_accuracy"),
        "test_accuracy": Metric("test accuracy", "accuracy", "val_accuracy"),
        "train_f1": Metric("training macro F1", "accuracy", "train_macro_f1"),  # nn_core.metrics
        "test_f1": Metric("test macro F1", "accuracy", "val_macro_f1"),
        "neurons": Metric("hidden neurons", "count"),
        "layers": Metric("hidden layers", "count"),
        "epoch": Metric("epoch", "count"),
    }
)
OPS = MappingProxyType({"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge})
SYMBOLS = MappingProxyType({"<": "<", "<=": "≤", ">": ">", ">=": "≥"})
# How a count condition reads in words: "at most 6 hidden neurons", "by epoch 200".
COUNT_WORDS = MappingProxyType({"<": "fewer than", "<=": "at most", ">": "more than", ">=": "at least"})
EPOCH_WORDS = MappingProxyType(
    {"<": "before epoch {n}", "<=": "by epoch {n}", ">": "after epoch {n}", ">=": "at epoch {n} or later"}
)
DIVERGED = "diverged"

# A metric name, a comparison, a number (digits, a point, an exponent), an optional percent sign.
# re.ASCII: \s and the digit classes must not accept other scripts' digits, which float() would read.
_CONDITION = re.compile(
    r"\s*(?P<metric>[a-z_][a-z0-9_]*)\s*(?P<op>[<>]=?)\s*(?P<number>[0-9.eE+-]+)\s*(?P<percent>%?)\s*",
    re.ASCII,
)


class Condition(NamedTuple):
    """``metric op value`` (value as a fraction for accuracies), or the bare ``diverged``."""

    metric: str
    op: str = ""
    value: float = 0.0

    def describe(self):
        """Plain words: "test accuracy ≥ 95 %", "at most 6 hidden neurons", "by epoch 200"."""
        if self.metric == DIVERGED:
            return "the loss diverged at least once"
        metric = METRICS[self.metric]
        if metric.kind == "accuracy":
            return f"{metric.label} {SYMBOLS[self.op]} {self.value * 100:g} %"
        if metric.kind == "loss":
            return f"{metric.label} {SYMBOLS[self.op]} {self.value:g}"
        n = int(self.value)
        if self.metric == "epoch":
            return EPOCH_WORDS[self.op].format(n=n)
        if self.op in ("<", "<=") and n == (1 if self.op == "<" else 0):
            return f"no {metric.label[:-1]}"  # "layers <= 0" -> "no hidden layer"
        unit = metric.label[:-1] if n == 1 and self.op in ("<=", ">=") else metric.label
        return f"{COUNT_WORDS[self.op]} {n} {unit}"


@dataclass(frozen=True)
class Goal:
    """A parsed goal: its conditions, in the order written, and the text it was read from."""

    conditions: tuple
    text: str

    def describe(self):
        """All conditions in plain words: "test accuracy ≥ 95 % and at most 6 hidden neurons by epoch
        200" (the epoch conditions last, as a sentence says them)."""
        parts = [c.describe() for c in self.conditions if c.metric != "epoch"]
        when = " ".join(c.describe() for c in self.conditions if c.metric == "epoch")
        what = " and ".join(parts) if len(parts) <= 2 else ", ".join(parts[:-1]) + " and " + parts[-1]
        return f"{what} {when}".strip()


class Check(NamedTuple):
    """One condition, checked: its words, whether it holds, and the current value in words."""

    label: str
    ok: bool
    now: str


class GoalStatus(NamedTuple):
    """``passed``: every condition held together at some evaluation with this memory (and stays so);
    ``checks``: each condition now; ``passed_at``: the epoch it first passed, or None."""

    passed: bool
    checks: tuple
    passed_at: int | None = None

    @property
    def badge(self):
        """The badge's text: "Passed at epoch 143" or "Not reached yet"."""
        return f"Passed at epoch {self.passed_at}" if self.passed else "Not reached yet"


# --- reading a goal ---------------------------------------------------------------------------
def parse_goal(text):
    """Read a goal text. Raises ValueError naming the part it cannot read (never evaluates code).

    Returns a ``Goal``."""
    if not isinstance(text, str):
        raise TypeError(f"a goal is a text; got {type(text).__name__}")
    if len(text) > MAX_GOAL_CHARS:
        raise ValueError(f"the goal is {len(text)} characters long; at most {MAX_GOAL_CHARS} allowed")
    if not text.isascii():  # str.lower() maps some non-ASCII letters to ASCII ones: refuse them first
        first = next(char for char in text if not char.isascii())
        hint = {"≥": ": write >=", "≤": ": write <="}.get(first, "")
        raise ValueError(f"the goal must be plain ASCII; found {first!r}{hint}")
    parts = [part.strip() for part in text.split(";")]
    parts = [part for part in parts if part]  # a trailing ";" is harmless
    if not parts:
        raise ValueError("the goal is empty: write conditions such as 'test_accuracy >= 95%; neurons <= 6'")
    if len(parts) > MAX_CONDITIONS:
        raise ValueError(f"the goal has {len(parts)} conditions; at most {MAX_CONDITIONS} allowed")
    return Goal(tuple(_parse_condition(part) for part in parts), text.strip())


def _parse_condition(part):
    """One condition from its text (already stripped)."""
    if part.lower() == DIVERGED:
        return Condition(DIVERGED)
    match = _CONDITION.fullmatch(part.lower())
    if not match:
        raise ValueError(f"cannot read the condition {_quote(part)}: {_diagnose(part.lower())}")
    metric, op, number, percent = match.group("metric", "op", "number", "percent")
    if metric not in METRICS:
        raise ValueError(
            f"unknown metric {metric!r} in {_quote(part)}; known: {', '.join(METRICS)}, diverged"
        )
    try:
        value = float(number)
    except ValueError:
        raise ValueError(f"{number!r} in {_quote(part)} is not a number") from None
    return Condition(metric, op, _checked_value(METRICS[metric], value, percent, part))


def _checked_value(metric, value, percent, part):
    """The condition's number in the metric's units, or ValueError if it makes no sense there."""
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"the number in {_quote(part)} must be finite and not negative")
    if percent and metric.kind != "accuracy":
        raise ValueError(f"'%' in {_quote(part)}: only accuracies are percentages")
    if metric.kind == "accuracy":
        value = value / 100 if percent else value
        if value > 1:
            raise ValueError(f"accuracy in {_quote(part)} is above 100 %: write 0.95 or 95%")
    if metric.kind == "count" and value != int(value):
        raise ValueError(f"{metric.label} in {_quote(part)} must be a whole number")
    return value


def _diagnose(part):
    """Why a condition does not match the grammar, in words."""
    start = re.match(r"\s*([a-z_][a-z0-9_]*|)", part, re.ASCII)  # always matches, perhaps nothing
    name = start.group(1) if start else ""
    if not name:
        return "it must start with a metric name (e.g. test_accuracy)"
    if name not in METRICS:
        return f"unknown metric {name!r}; known: {', '.join(METRICS)}, diverged"
    return "expected '<metric> <op> <number>' with op one of <, <=, >, >="


def _quote(part):
    return repr(part if len(part) <= 40 else part[:37] + "...")


# --- checking it live ---------------------------------------------------------------------------
def new_memory():
    """What a goal remembers between ticks, as a plain dict (it lives in session state)."""
    return {"diverged_at": None, "passed_at": None, "first_held": {}}


def observe(memory, exp):
    """Remember what the experiment will forget: that it diverged (the trainer clears its status when
    a hyperparameter changes). Call after every training run; ``evaluate`` calls it too."""
    if exp.diverged and memory["diverged_at"] is None:
        memory["diverged_at"] = exp.epoch  # the last finite epoch: the one the trainer restored


def evaluate(goal, exp, memory=None):
    """Check ``goal`` against ``exp`` now. Records in ``memory`` the epoch each condition first held
    and the epoch all held together (the pass, kept from then on).

    Returns a ``GoalStatus``."""
    memory = new_memory() if memory is None else memory
    observe(memory, exp)
    checks = tuple(_check(condition, exp, memory) for condition in goal.conditions)
    for check in checks:
        if check.ok:
            memory["first_held"].setdefault(check.label, exp.epoch)
    if all(check.ok for check in checks) and memory["passed_at"] is None:
        memory["passed_at"] = exp.epoch
    return GoalStatus(memory["passed_at"] is not None, checks, memory["passed_at"])


def _check(condition, exp, memory):
    label = condition.describe()
    if condition.metric == DIVERGED:
        at = memory["diverged_at"]
        return Check(
            label, at is not None, "not diverged yet" if at is None else f"diverged after epoch {at}"
        )
    metric = METRICS[condition.metric]
    value, why = _current(condition.metric, metric, exp)
    if value is None:
        return Check(label, False, f"{metric.label}: {why}")
    ok = OPS[condition.op](value, condition.value)
    return Check(label, ok, f"{metric.label} now {_format(metric, value)}")


def _current(name, metric, exp):
    """(value, None), or (None, why it is undefined)."""
    if name == "neurons":
        return sum(exp.config.hidden), None
    if name == "layers":
        return len(exp.config.hidden), None
    if name == "epoch":
        return exp.epoch, None
    if exp.diverged:
        return None, "infinite (the loss diverged)"
    if exp.epoch == 0:
        return None, "not trained yet"
    record = exp.metrics()
    value = record.get(metric.record_key)
    if metric.kind == "accuracy" and record.get("train_accuracy") is None:  # a trained regressor
        return None, "none for regression"
    if value is None:  # a set without points: data drawn by hand may have no test points
        return None, f"no {'test' if metric.record_key.startswith('val_') else 'training'} points"
    if not math.isfinite(value):
        return None, "not finite"
    return float(value), None


def _format(metric, value):
    if metric.kind == "accuracy":
        return f"{value * 100:.1f} %"
    if metric.kind == "loss":
        return f"{value:.4g}"
    return str(int(value))
