"""Looking inside a deep network: activation curves, gradient norms per layer, dead and saturated units.

Simple to complex: the curve of one activation; the gradient norm of every layer; which hidden units
are dead or saturated; all of these recorded along a training run (``track_training``) and summed up
(``summary``). Everything is computed by the engine's own forward and backward passes.

Definitions, one for every hidden activation, through the slope ``g'(Z)`` (the backward pass with
``dA = 1``) relative to the activation's steepest slope ``MAX_SLOPE[name]`` (0.25 for sigmoid, else 1):

- saturated (sample, unit): ``g'(Z) / MAX_SLOPE < threshold`` (default ``SATURATION_SLOPE = 0.02``),
  the flat parts where almost no gradient passes. Sigmoid: ``A < 0.005`` or ``A > 0.995``
  (``|Z| > 5.3``); tanh: ``|A| > 0.99`` (``|Z| > 2.65``); relu and leaky_relu (slope 0.01 < 0.02):
  ``Z <= 0``, the inactive side; linear: never.
- dead unit: a hidden unit whose slope is exactly 0 for every sample, so no gradient ever reaches its
  weights. relu: ``Z <= 0`` on every sample; leaky_relu and linear: never; sigmoid and tanh: only
  when saturated beyond the model dtype's precision (``A`` rounds to exactly 0, 1 or -1).

Overflow is part of what this module shows (exploding gradients), so it never warns: it computes
under ``np.errstate`` and keeps NaN/inf out of its results as each function's docstring says.
"""

import math
import sys
import types
from dataclasses import dataclass

import numpy as np

from nn_core._checks import check_choice, check_float, check_int, check_matrix
from nn_core.activations import ACTIVATIONS
from nn_core.mlp import MLP, Workspace
from nn_core.trainer import Trainer

SATURATION_SLOPE = 0.02  # saturated: slope below 2 % of the activation's steepest slope
# The steepest slope of each hidden activation (sigmoid's is 1/4, at Z = 0). Read-only: module state.
MAX_SLOPE = types.MappingProxyType(
    {"linear": 1.0, "relu": 1.0, "leaky_relu": 1.0, "tanh": 1.0, "sigmoid": 0.25}
)


# --- one activation ---------------------------------------------------------------------------
def activation_curve(name, z):
    """The activation ``name`` and its derivative at the points ``z``, by the engine's own code.

    Parameters
    ----------
    name : a key of ``ACTIVATIONS``; z : (n_points,) finite real numbers.

    Returns
    -------
    (g(z), g'(z)), both (n_points,) float64; ``g'`` is ``backward`` with ``dA = 1`` (relu'(0) = 0).
    """
    activation = ACTIVATIONS[check_choice("name", name, ACTIVATIONS)]
    z = np.asarray(z)
    if z.ndim != 1 or z.size == 0 or not np.issubdtype(z.dtype, np.number) or np.iscomplexobj(z):
        raise ValueError(
            f"z must be a non-empty 1-D array of real numbers; got shape {z.shape}, dtype {z.dtype}"
        )
    if not np.all(np.isfinite(z)):
        raise ValueError(f"z must be finite; got {np.count_nonzero(~np.isfinite(z))} NaN/inf values")
    Z = z.astype(np.float64).reshape(-1, 1)
    A = activation.forward(Z)
    return A[:, 0], activation.backward(np.ones_like(Z), Z, A)[:, 0]


# --- gradients --------------------------------------------------------------------------------
def layer_gradient_norms(model, X, y, *, loss, l1=0.0, l2=0.0):
    """The Frobenius norm of every layer's weight gradient ``dW``, from ``model.loss_and_gradients``.

    Parameters
    ----------
    model : MLP; X : (n_samples, layer_sizes[0]); y : labels or targets; loss, l1, l2 : as in
    ``MLP.loss_and_gradients``.

    Returns
    -------
    (n_layers,) float64, layer 1 (next to the inputs) first. A norm that overflowed (inf or NaN in
    ``dW``) is reported as ``np.finfo(model.dtype).max``, a lower bound of the true norm.
    """
    return _loss_and_norms(model, X, y, loss=loss, l1=l1, l2=l2)[1]


def _loss_and_norms(model, X, y, *, loss, l1, l2):
    """(loss capped like the norms, gradient norms per layer) in one backward pass."""
    _check_model(model)
    with np.errstate(all="ignore"):  # exploding gradients are what this measures, not an error
        value, dW, _ = model.loss_and_gradients(X, y, loss=loss, l1=l1, l2=l2)
        big = float(np.finfo(model.dtype).max)
        return (value if math.isfinite(value) else big), np.array([_norm(d, big) for d in dW])


def _norm(a, big):
    """sqrt(sum a**2) in float64 (float32 entries up to 3e38 square without overflow), capped at big."""
    a = a.astype(np.float64).ravel()
    value = math.sqrt(float(np.dot(a, a)))
    return value if math.isfinite(value) else big


# --- hidden units -----------------------------------------------------------------------------
def _slopes(model, X):
    """Relative slopes ``g'(Z) / MAX_SLOPE`` of every hidden layer for ``X``: a list of (n, units)."""
    _check_model(model)
    X = check_matrix("X", X, n_features=model.layer_sizes[0])
    ws = Workspace(model, len(X))
    activation, top = ACTIVATIONS[model.activation], MAX_SLOPE[model.activation]
    with np.errstate(all="ignore"):  # huge weights are a case to show, not to warn about
        model.forward_into(ws, np.ascontiguousarray(X, dtype=model.dtype))
        return [activation.backward(np.ones_like(Z), Z, A) / top for Z, A in zip(ws.Z[:-1], ws.A[:-1])]


def dead_units(model, X):
    """How many units of each hidden layer pass no gradient at all (slope exactly 0 on every row of X).

    Returns
    -------
    (n_layers - 1,) int64, hidden layer 1 first (see the module docstring for each activation).
    """
    return np.array([np.count_nonzero(np.all(s == 0, axis=0)) for s in _slopes(model, X)], dtype=np.int64)


def saturation(model, X, *, threshold=SATURATION_SLOPE):
    """The share of (sample, unit) pairs of each hidden layer in the flat tails of the activation.

    Parameters
    ----------
    threshold : in (0, 1]; a pair is saturated when ``g'(Z) / MAX_SLOPE < threshold``.

    Returns
    -------
    (n_layers - 1,) float64 shares in [0, 1], hidden layer 1 first. A NaN slope (an overflowed
    forward pass) counts as saturated: no useful gradient passes there either.
    """
    threshold = check_float("threshold", threshold, low=0.0, high=1.0, low_open=True)
    return np.array([np.mean(~(s >= threshold)) for s in _slopes(model, X)], dtype=np.float64)


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

    epochs: np.ndarray
    loss: np.ndarray
    grad_norms: np.ndarray
    dead: np.ndarray
    saturation: np.ndarray
    units: np.ndarray
    diverged_epoch: int | None


def _measure(trainer, X, y):
    """One record for the trainer's current weights: (loss, gradient norms, dead units, saturation),
    gradients on the whole of ``X``, ``y`` with the trainer's loss and penalties."""
    model = trainer.model
    value, norms = _loss_and_norms(model, X, y, loss=trainer.loss, l1=trainer.l1, l2=trainer.l2)
    return value, norms, dead_units(model, X), saturation(model, X)


def track_training(trainer, X, y, n_epochs, *, every=1, progress=None):
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
    rows, done = [(trainer.epoch, *_measure(trainer, X, y))], 0
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


def _trace(rows, trainer):
    epochs, loss, norms, dead, sat = zip(*rows)
    arrays = [
        np.array(epochs, dtype=np.int64),
        np.array(loss, dtype=np.float64),
        np.array(norms, dtype=np.float64),
        np.array(dead, dtype=np.int64).reshape(len(rows), -1),
        np.array(sat, dtype=np.float64).reshape(len(rows), -1),
        np.array(trainer.model.layer_sizes[1:-1], dtype=np.int64),
    ]
    for a in arrays:
        a.flags.writeable = False
    return Trace(*arrays, diverged_epoch=trainer.diverged_epoch)


def gradient_ratio(norms):
    """First-layer over last-layer gradient norm: << 1 vanishing, >> 1 exploding; None if the last
    layer's norm is 0 (no ratio to speak of)."""
    norms = np.asarray(norms, dtype=np.float64)
    if norms.ndim != 1 or norms.size < 2 or not np.all(np.isfinite(norms)) or np.any(norms < 0):
        raise ValueError(f"norms must be >= 2 finite norms >= 0, first layer first; got {norms!r}")
    if norms[-1] == 0:
        return None
    with np.errstate(over="ignore"):  # a huge first over a tiny last norm: capped, not inf
        return min(float(norms[0] / norms[-1]), sys.float_info.max)


def summary(trace):
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
    X,
    y,
    *,
    activation,
    init,
    depth=6,
    width=8,
    learning_rate=0.1,
    n_epochs=100,
    every=1,
    rng=0,
    progress=None,
):
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


def compare_runs(X, y, pairs, *, progress=None, **settings):
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
        report = None
        if progress is not None:  # bind i now: the lambda runs later, inside track_training
            report = lambda done, total, i=i: progress((i + done / max(total, 1)) / len(pairs))  # noqa: E731
        traces.append(deep_run(X, y, activation=activation, init=init, progress=report, **settings))
    return traces


def _check_model(model):
    if not isinstance(model, MLP):
        raise ValueError(f"model must be an nn_core.MLP; got {type(model).__name__}")
