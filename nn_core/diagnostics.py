"""Looking inside a deep network along a training run: gradient norms, dead and saturated units.

``track_training`` trains a ``Trainer`` and records, every few epochs, the measures of ``measures``
(the gradient norm of every layer, dead units, saturation; their definitions are there, and this
module re-exports them so that ``diagnostics`` stays the one import for a page); ``summary`` sums a
run up; ``deep_run`` and ``compare_runs`` are the Learn page's experiment.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from nn_core._checks import check_int, check_matrix
from nn_core.measures import (
    MAX_SLOPE,
    SATURATION_SLOPE,
    activation_curve,
    dead_units,
    layer_gradient_norms,
    loss_and_gradient_norms,
    saturation,
)
from nn_core.mlp import MLP
from nn_core.trainer import Trainer

if TYPE_CHECKING:
    from nn_core._types import F64, I64, Row


__all__ = (
    "MAX_SLOPE",
    "SATURATION_SLOPE",
    "Trace",
    "activation_curve",
    "compare_runs",
    "dead_units",
    "deep_run",
    "gradient_ratio",
    "layer_gradient_norms",
    "saturation",
    "summary",
    "track_training",
)


# --- along a training run ---------------------------------------------------------------------
@dataclass(frozen=True)
class Trace:
    """What ``track_training`` recorded, one row per recorded epoch (read-only arrays).

    epochs (n_records,) int; loss (n_records,) float (loss + penalty, as the gradient sees it;
    capped like the norms);
    grad_norms (n_records, n_layers); dead (n_records, n_layers - 1) int;
    saturation (n_records, n_layers - 1); units (n_layers - 1,) hidden units per layer;
    diverged_epoch: the epoch where training diverged (the trainer put back the last finite
    weights, the last record is theirs), or None.
    """

    epochs: I64
    loss: F64
    grad_norms: F64
    dead: I64
    saturation: F64
    units: I64
    diverged_epoch: int | None


def _measure(trainer: Trainer, X: npt.ArrayLike, y: npt.ArrayLike) -> tuple[float, F64, I64, F64]:
    """One record for the trainer's current weights: (loss, gradient norms, dead units, saturation),
    gradients on the whole of ``X``, ``y`` with the trainer's loss and penalties."""
    model = trainer.model
    value, norms = loss_and_gradient_norms(model, X, y, loss=trainer.loss, l1=trainer.l1, l2=trainer.l2)
    return value, norms, dead_units(model, X), saturation(model, X)


def track_training(
    trainer: Trainer,
    X: npt.ArrayLike,
    y: npt.ArrayLike,
    n_epochs: int,
    *,
    every: int = 1,
    progress: Callable[[int, int], object] | None = None,
) -> Trace:
    """Train with ``trainer.train`` for ``n_epochs``, recording the loss, the gradient norms, the dead
    units and the saturation before the first epoch, every ``every`` epochs and after the last one.

    Parameters
    ----------
    trainer : Trainer (its model and rng make the run deterministic); X, y : the training data, also
    used for every record; n_epochs : int >= 0; every : int >= 1;
    progress : None or ``progress(epochs_done, n_epochs)``, called after each chunk of epochs.

    Returns
    -------
    Trace. Epoch numbers are the trainer's (``trainer.epoch``), so a run may continue an earlier one.
    """
    if not isinstance(trainer, Trainer):
        raise ValueError(f"trainer must be an nn_core.Trainer; got {type(trainer).__name__}")
    n_epochs = check_int("n_epochs", n_epochs, low=0)
    every = check_int("every", every, low=1)
    if progress is not None and not callable(progress):
        raise ValueError(f"progress must be None or a callable; got {type(progress).__name__}")
    rows: list[Row] = [(trainer.epoch, *_measure(trainer, X, y))]
    done = 0
    while done < n_epochs:
        chunk = min(every, n_epochs - done)
        trained = len(trainer.train(X, y, chunk))
        done += trained
        if trained:
            rows.append((trainer.epoch, *_measure(trainer, X, y)))
        if progress is not None:
            progress(done, n_epochs)
        if trained < chunk:  # diverged: the trainer stopped and put back the last finite weights
            break
    return _trace(rows, trainer)


def _trace(rows: list[Row], trainer: Trainer) -> Trace:
    epochs, loss, norms, dead, sat = zip(*rows)
    trace = Trace(
        np.array(epochs, dtype=np.int64),
        np.array(loss, dtype=np.float64),
        np.array(norms, dtype=np.float64),
        np.array(dead, dtype=np.int64).reshape(len(rows), -1),
        np.array(sat, dtype=np.float64).reshape(len(rows), -1),
        np.array(trainer.model.layer_sizes[1:-1], dtype=np.int64),
        diverged_epoch=trainer.diverged_epoch,
    )
    for a in (trace.epochs, trace.loss, trace.grad_norms, trace.dead, trace.saturation, trace.units):
        a.flags.writeable = False
    return trace


def gradient_ratio(norms: npt.ArrayLike) -> float | None:
    """First-layer over last-layer gradient norm: << 1 vanishing, >> 1 exploding; None if the last
    layer's norm is 0 (no ratio to speak of)."""
    norms = np.asarray(norms, dtype=np.float64)
    if norms.ndim != 1 or norms.size < 2 or not np.all(np.isfinite(norms)) or np.any(norms < 0):
        raise ValueError(f"norms must be >= 2 finite norms >= 0, first layer first; got {norms!r}")
    if norms[-1] == 0:
        return None
    with np.errstate(over="ignore"):  # a huge first over a tiny last norm: capped, not inf
        return min(float(norms[0] / norms[-1]), sys.float_info.max)


def summary(trace: Trace) -> dict[str, Any]:
    """The numbers of a run at its first and last record.

    Returns
    -------
    dict: ``first_layer_start``, ``first_layer_end`` (the first layer's gradient norm);
    ``ratio_start``, ``ratio_end`` (``gradient_ratio``, may be None); ``dead_end`` (dead hidden units,
    all layers); ``units`` (hidden units, all layers); ``saturation_end`` (saturated share of all
    hidden (sample, unit) pairs); ``final_loss``; ``final_epoch``; ``diverged_epoch`` (or None).
    """
    if not isinstance(trace, Trace):
        raise ValueError(f"trace must be a diagnostics.Trace; got {type(trace).__name__}")
    units = trace.units
    share = float(np.dot(trace.saturation[-1], units) / units.sum()) if units.size else 0.0
    return {
        "first_layer_start": float(trace.grad_norms[0, 0]),
        "first_layer_end": float(trace.grad_norms[-1, 0]),
        "ratio_start": gradient_ratio(trace.grad_norms[0]),
        "ratio_end": gradient_ratio(trace.grad_norms[-1]),
        "dead_end": int(trace.dead[-1].sum()),
        "units": int(units.sum()),
        "saturation_end": share,
        "final_loss": float(trace.loss[-1]),
        "final_epoch": int(trace.epochs[-1]),
        "diverged_epoch": trace.diverged_epoch,
    }


def deep_run(
    X: npt.ArrayLike,
    y: npt.ArrayLike,
    *,
    activation: str,
    init: str,
    depth: int = 6,
    width: int = 8,
    learning_rate: float = 0.1,
    n_epochs: int = 100,
    every: int = 1,
    rng: int | np.random.Generator | None = 0,
    progress: Callable[[int, int], object] | None = None,
) -> Trace:
    """The Learn page's experiment: ``depth`` hidden layers of ``width`` units, a sigmoid output and
    binary cross-entropy, trained by full-batch SGD and traced with ``track_training``.

    Parameters
    ----------
    X : (n_samples, n_features); y : (n_samples,) labels 0/1; activation : a key of ACTIVATIONS;
    init : a key of INITIALIZERS; depth, width : ints >= 1; learning_rate : > 0; n_epochs : >= 0;
    every : >= 1; rng : seed (or Generator) of the initial weights; progress : as in ``track_training``.

    Returns
    -------
    Trace.
    """
    depth, width = check_int("depth", depth, low=1), check_int("width", width, low=1)
    X = check_matrix("X", X)
    sizes = [X.shape[1], *[width] * depth, 1]
    model = MLP(sizes, activation=activation, output="sigmoid", init=init, rng=rng)
    trainer = Trainer(model, loss="bce", optimizer="sgd", learning_rate=learning_rate, rng=0)
    return track_training(trainer, X, y, n_epochs, every=every, progress=progress)


def compare_runs(
    X: npt.ArrayLike,
    y: npt.ArrayLike,
    pairs: Iterable[tuple[str, str]],
    *,
    progress: Callable[[float], object] | None = None,
    **settings: Any,
) -> list[Trace]:
    """``deep_run`` for every (activation, init) pair, each from the same seed.

    Parameters
    ----------
    pairs : sequence of (activation, init); progress : None or ``progress(fraction)``, fraction in
    [0, 1] of all the epochs to train; settings : the other keyword arguments of ``deep_run``.

    Returns
    -------
    list of Trace, in the order of ``pairs``.
    """
    pairs = list(pairs)
    if not all(isinstance(p, tuple | list) and len(p) == 2 for p in pairs):
        raise ValueError(f"pairs must be (activation, init) pairs; got {pairs!r}")
    if progress is not None and not callable(progress):
        raise ValueError(f"progress must be None or a callable; got {type(progress).__name__}")
    traces = []
    for i, (activation, init) in enumerate(pairs):
        report = None if progress is None else _chunk_reporter(progress, i, len(pairs))
        traces.append(deep_run(X, y, activation=activation, init=init, progress=report, **settings))
    return traces


def _chunk_reporter(progress: Callable[[float], object], i: int, n_runs: int) -> Callable[[int, int], None]:
    """``track_training``'s ``progress(done, total)`` for run ``i`` of ``n_runs``, as the fraction of
    all the runs' epochs done (a function, so that each run keeps its own ``i``)."""

    def report(done: int, total: int) -> None:
        progress((i + done / max(total, 1)) / n_runs)

    return report
