"""Measuring a network at one moment: activation curves, gradient norms per layer, dead and saturated units.

Simple to complex: the curve of one activation; the gradient norm of every layer; which hidden units
are dead or saturated. ``diagnostics`` records these along a training run. Everything is computed by
the engine's own forward and backward passes.

Definitions, one for every hidden activation (each hidden layer's own, in a mixed network), through
the size of the slope ``|g'(Z)|`` (the backward pass with ``dA = 1``) relative to the activation's
steepest slope ``ACTIVATIONS[name].max_slope`` (0.25 for sigmoid, 1.10 swish, 1.13 gelu, else 1):

- saturated (sample, unit): ``|g'(Z)| / max_slope < threshold`` (default ``SATURATION_SLOPE = 0.02``),
  the flat parts where almost no gradient passes. Sigmoid: ``A < 0.005`` or ``A > 0.995``
  (``|Z| > 5.3``); tanh: ``|A| > 0.99`` (``|Z| > 2.65``); relu and leaky_relu (slope 0.01 < 0.02):
  ``Z <= 0``, the inactive side; elu and softplus ``Z < -3.9``, swish ``Z < -5.25``, gelu
  ``Z < -2.74``: their flat left tails (swish and gelu also in a narrow band where their slope
  crosses 0, near ``Z = -1.28`` and ``-0.75``); linear: never. Sine is periodic: its slope
  ``|cos Z|`` drops below 0.02 only within 0.02 of a crest or a trough (``Z = pi/2 + k pi``), so a
  sine unit is never saturated for good, only some samples sit on a crest.
- dead unit: a hidden unit whose slope is exactly 0 for every sample, so no gradient ever reaches its
  weights. relu: ``Z <= 0`` on every sample; leaky_relu, linear and sine: never; sigmoid, tanh, elu,
  softplus, swish and gelu: only when saturated beyond the model dtype's precision.

Overflow is part of what this module shows (exploding gradients), so it never warns: it computes
under ``np.errstate`` and keeps NaN/inf out of its results as each function's docstring says.
"""

from __future__ import annotations

import math
import types
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from nn_core._checks import check_choice, check_float, check_matrix
from nn_core.activations import ACTIVATIONS
from nn_core.mlp import MLP
from nn_core.workspace import Workspace

if TYPE_CHECKING:
    from nn_core._types import F64, FloatArray

SATURATION_SLOPE = 0.02  # saturated: slope below 2 % of the activation's steepest slope
# Each hidden activation's steepest slope, from its record (the name predates the field).
MAX_SLOPE = types.MappingProxyType({name: a.max_slope for name, a in ACTIVATIONS.items()})


# --- one activation ---------------------------------------------------------------------------
def activation_curve(name: str, z: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
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
def layer_gradient_norms(
    model: MLP, X: npt.ArrayLike, y: npt.ArrayLike, *, loss: str, l1: float = 0.0, l2: float = 0.0
) -> F64:
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
    return loss_and_gradient_norms(model, X, y, loss=loss, l1=l1, l2=l2)[1]


def loss_and_gradient_norms(
    model: MLP, X: npt.ArrayLike, y: npt.ArrayLike, *, loss: str, l1: float = 0.0, l2: float = 0.0
) -> tuple[float, F64]:
    """(loss, gradient norms per layer) in one backward pass: the loss as ``model.loss_and_gradients``
    computes it, capped like the norms; the norms as ``layer_gradient_norms`` returns them."""
    _check_model(model)
    with np.errstate(all="ignore"):  # exploding gradients are what this measures, not an error
        value, dW, _ = model.loss_and_gradients(X, y, loss=loss, l1=l1, l2=l2)
        big = float(np.finfo(model.dtype).max)
        return (value if math.isfinite(value) else big), np.array([_norm(d, big) for d in dW])


def _norm(a: npt.NDArray[Any], big: float) -> float:
    """sqrt(sum a**2) in float64 (float32 entries up to 3e38 square without overflow), capped at big."""
    a = a.astype(np.float64).ravel()
    value = math.sqrt(float(np.dot(a, a)))
    return value if math.isfinite(value) else big


# --- hidden units -----------------------------------------------------------------------------
def _slopes(model: MLP, X: npt.ArrayLike) -> list[FloatArray]:
    """Relative slopes ``g'(Z) / max_slope`` of every hidden layer for ``X``: a list of (n, units)."""
    _check_model(model)
    X = check_matrix("X", X, n_features=model.layer_sizes[0])
    ws = Workspace(model, len(X))
    hidden = [ACTIVATIONS[name] for name in model.hidden_activations]  # one per layer, mixed or not
    with np.errstate(all="ignore"):  # huge weights are a case to show, not to warn about
        model.forward_into(ws, np.ascontiguousarray(X, dtype=model.dtype))
        # |g'|: sine, swish and gelu have negative slopes, and those pass gradient too.
        return [
            np.abs(g.backward(np.ones_like(Z), Z, A)) / g.max_slope for g, Z, A in zip(hidden, ws.Z, ws.A)
        ]


def dead_units(model: MLP, X: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """How many units of each hidden layer pass no gradient at all (slope exactly 0 on every row of X).

    Returns
    -------
    (n_layers - 1,) int64, hidden layer 1 first (see the module docstring for each activation).
    """
    return np.array([np.count_nonzero(np.all(s == 0, axis=0)) for s in _slopes(model, X)], dtype=np.int64)


def saturation(model: MLP, X: npt.ArrayLike, *, threshold: float = SATURATION_SLOPE) -> F64:
    """The share of (sample, unit) pairs of each hidden layer in the flat tails of the activation.

    Parameters
    ----------
    threshold : in (0, 1]; a pair is saturated when ``g'(Z) / max_slope < threshold``.

    Returns
    -------
    (n_layers - 1,) float64 shares in [0, 1], hidden layer 1 first. A NaN slope (an overflowed
    forward pass) counts as saturated: no useful gradient passes there either.
    """
    threshold = check_float("threshold", threshold, low=0.0, high=1.0, low_open=True)
    return np.array([np.mean(~(s >= threshold)) for s in _slopes(model, X)], dtype=np.float64)


def _check_model(model: object) -> None:
    if not isinstance(model, MLP):
        raise ValueError(f"model must be an nn_core.MLP; got {type(model).__name__}")
