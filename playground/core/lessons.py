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
the key: unknown keys, wrong types, unknown control names, a goal ``goals.parse_goal`` cannot read;
the ``[config]`` and ``[solution]`` tables are checked by ``playground.core.lesson_tables`` (a config
value the Config field table does not allow, a solution that changes a hidden or locked control).
No Streamlit here.
"""

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from nn_core import DATASETS
from playground.core import goals
from playground.core.classroom import CONTROLS, LABELS, MAX_TASK_CHARS, Classroom
from playground.core.config import Config
from playground.core.lesson_tables import DEFAULT, TYPE_WORDS, config_table, shown, solution_steps

LESSONS_DIR = Path(__file__).resolve().parents[2] / "lessons"
FILE_NAME = re.compile(r"(?P<number>[0-9]{2})_(?P<slug>[a-z0-9_]+)\.toml")
ID = re.compile(r"[a-z0-9][a-z0-9_]*")
MAX_ID_CHARS, MAX_TITLE_CHARS = 80, 100
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
        seen: dict[object, Path] = {}  # an id or order -> the lesson file that has it
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
    config = config_table(data["config"], DEFAULT, "config")
    if config.dataset not in DATASETS:  # an upload lives in one user's session: no lesson can ship it
        raise ValueError(f"config.dataset: {config.dataset!r} is not a built-in dataset")
    solution = solution_steps(data["solution"], config, unavailable=set(hidden) | set(locked))
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
            raise ValueError(f"{key}: expected {expected}, got {shown(data[key])}")


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
            raise ValueError(f"{key}: {shown(name)} is not a control; known: {', '.join(CONTROLS)}")
    if len(set(names)) != len(names):
        raise ValueError(f"{key}: a control is listed twice")
    return tuple(names)


def _paragraphs(text):
    """Markdown with its wrapped lines joined (a TOML text wraps at ~100 columns, the link carrying it
    need not). Blank lines, list items and headings keep their line breaks."""
    return re.sub(r"(?<!\n)\n(?!\n|\s*([-*+]|[0-9]+\.)\s|#)", " ", text.strip())
