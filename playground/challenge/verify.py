"""Every entry verified by replaying it: the run's link rebuilt, trained again, its goal and score
recomputed, and only then recorded.

Runs are reproducible bit for bit from their link (the data seed, the init seed, the shuffling seed,
the epoch count): ``replay`` builds the same ``Experiment`` and trains it the same number of epochs,
so an honest entry's numbers come out exactly as the student's page showed them. A doctored link
(another score, another setup, more epochs than claimed) does not. ``replay`` is a pure function of
its arguments, run in a worker process (``playground.challenge.replays``) with a time budget. No
Streamlit here.
"""

import math
from typing import NamedTuple

import numpy as np

from playground.challenge import rules
from playground.core import goals
from playground.core.experiment import Experiment
from playground.figures.colors import CLASS_COLORS, _hex_rgb, _map_rgb
from playground.figures.png import encode_png

THUMB = 48  # px: a board entry's picture of its boundary
TOLERANCE = 1e-9  # relative: the replay and the student's page run the same float operations


class Replay(NamedTuple):
    """What a replay found: the numbers a score or a goal reads, and a thumbnail PNG."""

    numbers: dict  # neurons, layers, epochs, train_loss, test_loss, train_accuracy, test_accuracy
    goal_met: bool
    goal_words: str
    thumbnail: bytes


class Verdict(NamedTuple):
    """``ok``: record it, with ``score`` and ``replay``; else ``message`` says why not."""

    ok: bool
    message: str
    score: float | None = None
    replay: Replay | None = None


def measure(exp):
    """The numbers a score or a goal reads, of an experiment as it is now: the replay's, and the
    student's page's (its claim)."""
    m = exp.metrics()
    return {
        "neurons": float(sum(exp.config.hidden)),
        "layers": float(len(exp.config.hidden)),
        "epochs": float(exp.epoch),
        "train_loss": m.get("train_loss"),
        "test_loss": m.get("val_loss"),
        "train_accuracy": m.get("train_accuracy"),
        "test_accuracy": m.get("val_accuracy"),
    }


def replay(config, epochs, goal_text):
    """Train ``config`` from epoch 0 for ``epochs`` epochs and measure it (a worker runs this)."""
    exp = Experiment(config)
    exp.train(epochs)
    goal = goals.parse_goal(goal_text)
    status = goals.evaluate(goal, exp)
    return Replay(measure(exp), bool(status.passed), goal.describe(), thumbnail(exp))


def judge(challenge, entry, found):
    """The verdict on ``entry`` given its ``found`` replay: its locks, its epochs, its goal and its
    claimed score. Returns a ``Verdict``."""
    broken = rules.broken_locks(challenge, entry.config)
    if broken:
        return Verdict(False, f"This run changed what the challenge locks: {', '.join(broken)}.")
    if found.numbers["epochs"] != entry.epochs:
        return Verdict(
            False,
            f"The replay stopped at epoch {found.numbers['epochs']:.0f}, not {entry.epochs}: the run "
            "diverged or has a fixed number of epochs.",
        )
    if not found.goal_met:
        return Verdict(False, f"The replay of this run does not meet the goal ({found.goal_words}).")
    score = found.numbers[challenge.ranking.key]
    if score is None or not math.isfinite(score):
        return Verdict(False, f"The replay has no {challenge.ranking.label} to rank (a diverged run?).")
    if not math.isclose(score, entry.claimed, rel_tol=TOLERANCE, abs_tol=1e-12):
        return Verdict(
            False,
            f"The replay gives {format_score(challenge, score)}, but the entry claims "
            f"{format_score(challenge, entry.claimed)}: was the run trained with these settings from "
            "epoch 0 (no change while training, no weights loaded)?",
        )
    return Verdict(True, "Verified by replaying the run.", score, found)


def check_budget(challenge, entry):
    """A message if ``entry`` is longer than the board replays, else None (checked before replaying)."""
    if entry.epochs > challenge.max_epochs:
        most = challenge.max_epochs
        return f"This run trained {entry.epochs} epochs; this challenge replays at most {most}."
    return None


def format_score(challenge, value):
    """A score as the board shows it: a count, a loss to 4 decimals or a percentage."""
    key = challenge.ranking.key
    if key in ("neurons", "epochs"):
        return f"{value:.0f}{challenge.ranking.unit}"
    if key.endswith("accuracy"):
        return f"{100 * value:.1f} %"
    return f"{value:.4f}"


def thumbnail(exp):
    """A small PNG of the boundary: the colours of the Playground's chart, without the points."""
    values = np.asarray(exp.boundary_values(), dtype=np.float64)[::-1]  # image rows go down
    step = max(1, values.shape[0] // THUMB)
    values = np.nan_to_num(values[::step, ::step], nan=0.0)
    task = exp.config.task
    if task == "multiclass":
        colors = np.array([_hex_rgb(CLASS_COLORS[c % len(CLASS_COLORS)]) for c in range(values.shape[-1])])
        rgb = colors[values.argmax(axis=-1)].astype(np.uint8)
    elif task == "regression":
        rgb = _map_rgb(values, float(np.abs(values).max()) or 1.0)
    else:
        rgb = _map_rgb(2.0 * values - 1.0, 1.0)  # P(class 1) from orange (0) to blue (1)
    return encode_png(rgb)
