"""Compare runs, trained: an ``Experiment`` per run, trained round-robin, and their ``Results``.

``train_runs`` trains the runs a chunk of epochs each in turn, so one progress bar moves for all of
them together; training in chunks gives bit for bit the numbers of one long call. A time budget caps
one press of Train on a shared server. Nothing here imports Streamlit.
"""

import math
import time
from typing import NamedTuple

import numpy as np

from playground.core.config import Config
from playground.core.experiment import Experiment

MAX_EPOCHS = 2000
CHUNKS = 20  # progress steps per run: each run trains n_epochs / CHUNKS epochs at a time
CHUNK_SECONDS = 0.5  # ... or fewer, so that the progress bar moves (and the budget is checked) often
TIME_BUDGET = 60.0  # seconds of training per press of Train, whatever the settings (a shared server)


class RunResult(NamedTuple):
    """A trained run: ``history`` (list of the trainer's records, finite, up to divergence), the
    epochs trained, the seconds they took, ``diverged_epoch`` (None if it did not) and ``boundary``
    (the model on the grid, as ``Experiment.boundary_values`` gives it)."""

    name: str
    config: Config
    differs: str
    history: list
    epochs: int
    seconds: float
    diverged_epoch: int | None
    boundary: np.ndarray
    stopped_by: str | None = None  # the base's stop rule fired: why (``Trainer.stopped_by``)


class Results(NamedTuple):
    """A comparison's results: ``key`` (the settings they belong to, see ``settings_key``), the shared
    task, classes, points (X_train, X_test, y_train, y_test) and grid axis, and one RunResult per run."""

    key: tuple
    task: str
    n_classes: int
    points: tuple
    grid_axis: np.ndarray
    runs: tuple


def settings_key(runs, n_epochs, upload=None):
    """What results depend on: every run's config, the number of epochs and the uploaded file's digest."""
    return tuple(run.config for run in runs), int(n_epochs), getattr(upload, "digest", None)


def train_round_robin(experiments, n_epochs, *, names=None, chunks=CHUNKS, progress=None, budget=TIME_BUDGET):
    """Train every experiment ``n_epochs`` more epochs, a chunk of ceil(n_epochs / chunks) each in
    turn (fewer epochs when a chunk would take over CHUNK_SECONDS), so all of them advance together.
    A diverged experiment, or one its stop rule stopped, stops (and counts as done). Training stops
    for all when ``budget`` seconds have passed: one comparison must not hold a shared server's core
    for minutes.

    progress: called after each chunk as ``progress(fraction, text)``; fraction rises to exactly 1.
    Returns the epochs each experiment trained (list of int).
    """
    chunk = math.ceil(n_epochs / chunks)
    names = names or [str(i + 1) for i in range(len(experiments))]
    trained, done = [0] * len(experiments), [0] * len(experiments)
    deadline = time.perf_counter() + budget
    while min(done) < n_epochs:
        if time.perf_counter() > deadline:
            if progress:
                progress(1.0, f"Stopped by the {budget:g} s time budget")
            break
        for i, exp in enumerate(experiments):
            if done[i] >= n_epochs:
                continue
            per_epoch = exp.seconds_per_epoch()
            affordable = max(1, int(CHUNK_SECONDS / per_epoch)) if per_epoch else 1
            epochs = exp.train(min(chunk, affordable, n_epochs - done[i]))
            trained[i] += epochs
            # Diverged, stopped by its rule (or, defensively, stuck): nothing more to train, so it
            # counts as done.
            done[i] = n_epochs if exp.diverged or exp.stopped or epochs == 0 else done[i] + epochs
            if progress:
                where = f"epoch {trained[i]} of {n_epochs}"
                where = f"diverged at epoch {exp.trainer.diverged_epoch}" if exp.diverged else where
                where = f"stopped at epoch {exp.epoch} by the stop rule" if exp.stopped else where
                progress(sum(done) / (n_epochs * len(experiments)), f"Run {names[i]}: {where}")
    return trained


def train_runs(runs, n_epochs, *, upload=None, progress=None, chunks=CHUNKS):
    """Build an ``Experiment`` per run (same data and seeds; ``upload``: the user's data, for the
    dataset "upload"), train them round-robin, and collect their curves, timings and boundaries.
    Returns Results."""
    if isinstance(n_epochs, bool) or not isinstance(n_epochs, int) or not 1 <= n_epochs <= MAX_EPOCHS:
        raise ValueError(f"n_epochs must be an int from 1 to {MAX_EPOCHS}; got {n_epochs!r}")
    experiments = [Experiment(run.config, upload=upload) for run in runs]
    names = [run.name for run in runs]
    trained = train_round_robin(experiments, n_epochs, names=names, chunks=chunks, progress=progress)
    results = tuple(_result(run, exp, epochs) for run, exp, epochs in zip(runs, experiments, trained))
    first = experiments[0]
    return Results(
        settings_key(runs, n_epochs, upload), first.config.task, first.config.classes, first.points,
        first.grid_axis, results,
    )  # fmt: skip


def _result(run, exp, epochs):
    trainer = exp.trainer
    return RunResult(
        name=run.name, config=run.config, differs=run.differs, history=list(trainer.history),
        epochs=epochs, seconds=exp.train_seconds, diverged_epoch=trainer.diverged_epoch,
        boundary=exp.boundary_values(), stopped_by=trainer.stopped_by,
    )  # fmt: skip
