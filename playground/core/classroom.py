"""Classroom settings of a Playground link: controls hidden or locked, a task text and a goal.

A teacher's link carries the configuration (``playground.core.config``) and these settings, e.g.
``?data=xor&hidden=none&hide=learning_rate,activation&lock=dataset&task=...&goal=test_accuracy>=0.95``.
Hidden controls are not drawn (their value stays the link's), locked ones are drawn disabled, the task
text is shown above the charts and the goal is checked live (``playground.core.goals``).

No Streamlit here: ``playground.live.controls`` and the Playground page read a ``Classroom``.
"""

import dataclasses
import re
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from playground.core.config import FIELDS, shorten

# Every setting of the Config, plus the three transport buttons, in the order the sidebar shows them.
CONTROLS = tuple(FIELDS) + ("play", "step", "reset")
LABELS = MappingProxyType(
    {name: field.label for name, field in FIELDS.items()}
    | {"play": "Play / Pause", "step": "Step", "reset": "Reset"}
)
# A control hidden or locked takes these with it: the per-layer activations are drawn under the one
# activation, and a teacher who fixes the activation means every layer's (``unavailable``).
TAKES_ALONG = MappingProxyType({"activation": ("layer_activations",)})
MAX_TASK_CHARS = 1000  # a task is a few sentences; a longer text is cut, with a notice
MAX_GOAL_CHARS = 200


@dataclass(frozen=True)
class Classroom:
    """hidden, locked : frozensets of names from CONTROLS; task : plain text shown to students;
    goal : a goal text for ``playground.core.goals``; lesson : the id of the lesson it came from;
    challenge : the id of the class challenge whose board takes this run (``playground.challenge``)."""

    hidden: frozenset = frozenset()
    locked: frozenset = frozenset()
    task: str = ""
    goal: str = ""
    lesson: str = ""
    challenge: str = ""

    def __bool__(self):
        return any(dataclasses.astuple(self))

    def shows(self, name):
        return name not in self.hidden

    def locks(self, name):
        return name in self.locked


def unavailable(names):
    """The controls a student may not change when ``names`` are hidden or locked: those and the ones
    they take along (``TAKES_ALONG``), as a frozenset."""
    names = frozenset(names)
    return names.union(*(TAKES_ALONG.get(name, ()) for name in names))


def to_query(classroom):
    """URL parameters for ``classroom`` (only the settings it has)."""
    query = {
        "hide": ",".join(n for n in CONTROLS if n in classroom.hidden),
        "lock": ",".join(n for n in CONTROLS if n in classroom.locked),
        "task": classroom.task,
        "goal": classroom.goal,
        "lesson": classroom.lesson,
        "c": classroom.challenge,
    }
    return {key: value for key, value in query.items() if value}


QUERY_KEYS = ("hide", "lock", "task", "goal", "lesson", "c")
CHALLENGE_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")  # what ``secrets.token_urlsafe`` makes


def from_query(params):
    """The Classroom in URL parameters (other parameters are ignored). Never raises: an unknown
    control name is dropped with a notice; an over-long text is cut with a notice.

    Returns (Classroom, notices)."""
    notices: list[str] = []
    values: dict[str, Any] = {}  # Classroom's fields: frozensets of control names, and texts
    for key in ("hide", "lock"):
        text = _last(params.get(key, ""))
        names = [n for n in text.split(",") if n]
        unknown = [n for n in names if n not in CONTROLS]
        if unknown:
            notices.append(
                f"Ignored unknown control name(s) in {key}=: {shorten(', '.join(map(repr, unknown)))}."
            )
        values["hidden" if key == "hide" else "locked"] = frozenset(n for n in names if n in CONTROLS)
    for key, limit in (("task", MAX_TASK_CHARS), ("goal", MAX_GOAL_CHARS), ("lesson", 80)):
        text = _last(params.get(key, "")).strip()
        if len(text) > limit:
            notices.append(f"The link's {key} text was cut to {limit} characters.")
            text = text[:limit].rstrip()  # as read back from the link it writes
        values[key] = text
    challenge = _last(params.get("c", "")).strip()
    if challenge and not CHALLENGE_ID.fullmatch(challenge):
        notices.append(f"Ignored c={shorten(repr(challenge))}: not a challenge's id.")
        challenge = ""
    return Classroom(**values, challenge=challenge), notices


def _last(value):
    return value[-1] if isinstance(value, list) else (value or "")
