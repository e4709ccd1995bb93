"""A class challenge: a Playground setup with locked controls, a goal, a score to rank by and an end.

"Who finds the smallest network that gets spiral above 90 % on the test set?" is a ``Challenge``
with the spiral setup, ``goal="test_accuracy>=0.9"`` and ``score="neurons"``. Its ``spec`` (plain
JSON) is what the store keeps; a student's run is an ``Entry`` (the run's link: its configuration and
its number of epochs), which ``playground.challenge.verify`` replays before the board records it.
No Streamlit here.
"""

from dataclasses import dataclass
from types import MappingProxyType
from typing import NamedTuple

from playground.core import classroom, goals
from playground.core.config import FIELDS, OWN_DATA, Config, from_query, to_query

MAX_TITLE = 120  # characters
MAX_MINUTES = 24 * 60  # a race lasts at most a day
MAX_REPLAY_EPOCHS = 5000  # a run longer than this is not replayed (a replay must take seconds)


class Score(NamedTuple):
    """What the board ranks by: its words, whether lower is better, and the key it reads from the
    replay's numbers (``verify.Replay.numbers``)."""

    label: str
    lower_is_better: bool
    key: str
    unit: str = ""


SCORES = MappingProxyType(
    {
        "neurons": Score("fewest hidden neurons", True, "neurons", " neurons"),
        "epochs": Score("fewest epochs", True, "epochs", " epochs"),
        "test_loss": Score("lowest test loss", True, "test_loss"),
        "test_accuracy": Score("highest test accuracy", False, "test_accuracy"),
    }
)


class ChallengeError(ValueError):
    """A challenge or an entry that cannot be: the message says why, in plain words."""


@dataclass(frozen=True)
class Challenge:
    """title : plain text; config : the setup students start from; locked, hidden : the names
    (classroom CONTROLS) students may not change (hidden ones are not even drawn); goal : a
    ``goals`` text every entry must meet; score : a key of SCORES; max_epochs : the longest run the
    board replays; minutes : how long the race is open."""

    title: str
    config: Config
    goal: str
    score: str
    locked: frozenset = frozenset()
    hidden: frozenset = frozenset()
    max_epochs: int = 2000
    minutes: int = 45

    def __post_init__(self):
        title = " ".join(str(self.title).split())
        if not 1 <= len(title) <= MAX_TITLE:
            raise ChallengeError(f"The title must have 1 to {MAX_TITLE} characters; it has {len(title)}.")
        object.__setattr__(self, "title", title)
        if self.config.dataset in OWN_DATA:
            raise ChallengeError(
                "A challenge cannot use uploaded or hand-drawn data: the board replays runs from their "
                "link, and a link does not carry a file."
            )
        if not self.goal.strip():
            raise ChallengeError("A challenge needs a goal, e.g. test_accuracy>=0.9.")
        try:
            goals.parse_goal(self.goal)
        except ValueError as error:
            raise ChallengeError(f"The goal cannot be read: {error}") from error
        if self.score not in SCORES:
            raise ChallengeError(f"The score must be one of {', '.join(SCORES)}; got {self.score!r}.")
        unknown = (set(self.locked) | set(self.hidden)) - set(classroom.CONTROLS)
        if unknown:
            raise ChallengeError(f"Unknown controls to lock: {', '.join(sorted(unknown))}.")
        if not 1 <= self.max_epochs <= MAX_REPLAY_EPOCHS:
            raise ChallengeError(f"The epoch budget must be 1 to {MAX_REPLAY_EPOCHS}; got {self.max_epochs}.")
        if not 1 <= self.minutes <= MAX_MINUTES:
            raise ChallengeError(f"A race lasts 1 to {MAX_MINUTES} minutes; got {self.minutes}.")

    @property
    def ranking(self):
        return SCORES[self.score]

    def room(self):
        """The classroom settings of the students' link: the locks, the goal, and the task in words."""
        task = f"{self.title}: meet the goal, then Submit to the board. Ranked by {self.ranking.label}."
        hidden, locked = frozenset(self.hidden), frozenset(self.locked) - frozenset(self.hidden)
        return classroom.Classroom(hidden=hidden, locked=locked, task=task, goal=self.goal)

    def to_spec(self):
        """Plain JSON data: what the store keeps."""
        return {
            "title": self.title,
            "query": to_query(self.config),
            "goal": self.goal,
            "score": self.score,
            "locked": sorted(self.locked),
            "hidden": sorted(self.hidden),
            "max_epochs": self.max_epochs,
            "minutes": self.minutes,
        }

    @classmethod
    def from_spec(cls, spec):
        """The challenge a ``to_spec`` dict describes. Raises ``ChallengeError`` for one that does not."""
        try:
            config, notices = from_query(dict(spec["query"]), max_notices=None)
            if notices:
                raise ChallengeError(f"The challenge's setup cannot be read: {notices[0]}")
            return cls(
                title=spec["title"],
                config=config,
                goal=spec["goal"],
                score=spec["score"],
                locked=frozenset(spec.get("locked", ())),
                hidden=frozenset(spec.get("hidden", ())),
                max_epochs=int(spec.get("max_epochs", 2000)),
                minutes=int(spec.get("minutes", 45)),
            )
        except (KeyError, TypeError, AttributeError) as error:
            raise ChallengeError(f"Not a challenge: {error!r}") from error


@dataclass(frozen=True)
class Entry:
    """A student's run as submitted: its configuration, its epoch count and what the student's page
    showed (``claimed``: the score the student saw; the replay must find the same)."""

    config: Config
    epochs: int
    claimed: float


def broken_locks(challenge, config):
    """The labels of the locked (or hidden) settings ``config`` changed (empty: it keeps them all); the
    activation locked locks the per-layer activations too, as on the page."""
    fields = [name for name in classroom.unavailable(challenge.locked | challenge.hidden) if name in FIELDS]
    changed = [n for n in fields if getattr(config, n) != getattr(challenge.config, n)]
    return [classroom.LABELS[n] for n in sorted(changed)]
