"""Central differences: the numerical gradient a gradient check compares backpropagation with.

Each partial derivative comes from two evaluations of the full loss ``L`` (data loss + weight
penalty), nudging one parameter ``theta_j`` up and down by ``eps``:

    dL/dtheta_j  ~=  (L(theta + eps e_j) - L(theta - eps e_j)) / (2 eps)      error O(eps**2)

Where a nudge crosses a kink (a unit at one of its activation's ``kinks``, an L1-penalized weight
at 0) the quotient averages two slopes; such entries are flagged so that ``gradcheck`` can leave
them out. The work always happens on a float64 copy of the network.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from nn_core._checks import check_float
from nn_core.activations import ACTIVATIONS, OUTPUTS
from nn_core.losses import Loss
from nn_core.mlp import MLP
from nn_core.regularization import penalty

if TYPE_CHECKING:
    from nn_core._types import BoolArray, DataLoss, FloatArray, Layer, Progress


def numerical_gradient(
    model: MLP,
    X: npt.ArrayLike,
    y: npt.ArrayLike,
    *,
    loss: str,
    l1: float = 0.0,
    l2: float = 0.0,
    eps: float = 1e-5,
    progress: Progress = None,
) -> FloatArray:
    """Central differences of the full loss (data loss + penalty) for every entry of ``model.params``.

    Parameters
    ----------
    model : an ``MLP``; it is not modified (the nudges go to a float64 copy).
    X : (n_samples, layer_sizes[0]); y : labels or targets (see ``losses.encode_targets``).
    loss : a key of ``LOSSES`` valid for the model's output; l1, l2 : penalty rates >= 0.
    eps : the nudge, in (0, 1]; progress : optional ``progress(done, total)``, called about every 1 %
        of the parameters and once at the end with ``done == total``.

    Returns
    -------
    (n_params,) float64, laid out like ``model.params`` (every weight, then every bias).
    """
    return numerical_gradient_and_kinks(model, X, y, loss=loss, l1=l1, l2=l2, eps=eps, progress=progress)[0]


def numerical_gradient_and_kinks(
    model: MLP,
    X: npt.ArrayLike,
    y: npt.ArrayLike,
    *,
    loss: str,
    l1: float = 0.0,
    l2: float = 0.0,
    eps: float = 1e-5,
    progress: Progress = None,
) -> tuple[FloatArray, BoolArray]:
    """``numerical_gradient`` (same parameters), and which of its entries crossed a kink.

    Returns
    -------
    (gradient (n_params,) float64, kinked (n_params,) bool), both laid out like ``model.params``.
    ``kinked[j]`` when the two nudges of parameter j put a unit on different sides of one of its
    activation's ``kinks`` (relu and leaky_relu: 0), or an L1-penalized weight on different sides
    of 0: the difference quotient then averages two slopes, and backprop rightly reports one.
    """
    model, X, Y, the_loss, l1, l2, eps = check_arguments(model, X, y, loss, l1, l2, eps, progress)
    return _central_differences(model, X, Y, the_loss, l1=l1, l2=l2, eps=eps, progress=progress)


def _central_differences(
    model: MLP,
    X: FloatArray,
    Y: FloatArray,
    the_loss: Loss,
    *,
    l1: float,
    l2: float,
    eps: float,
    progress: Progress,
) -> tuple[FloatArray, BoolArray]:
    """The loop behind ``numerical_gradient_and_kinks``, on checked arguments and a float64 ``model``
    it may nudge (a copy). The layers come from the public views and the registries, never from the
    model's internals, so a bug swapped into a model's backward pass cannot leak into the estimate."""
    functions = [ACTIVATIONS[name] for name in model.hidden_activations] + [OUTPUTS[model.output]]
    layers: list[Layer] = list(zip(model.weights, model.biases, functions))  # each layer its own kinks
    grad, kinked = np.empty_like(model.params), np.zeros(model.params.shape, dtype=bool)
    (grad_W, grad_b), (kinked_W, kinked_b) = model.split(grad), model.split(kinked)
    report = _Reporter(progress, model.params.size)
    A_prev = X
    for i, (W, b, activation) in enumerate(layers):
        # Layers before i do not depend on layer i's parameters: start every evaluation at A_prev.
        data_loss = functools.partial(_loss_from, layers, i, A_prev, Y, the_loss)
        blocks = ((W, grad_W[i], kinked_W[i], l1, l2), (b, grad_b[i], kinked_b[i], 0.0, 0.0))
        for values, out, out_kinked, rate_1, rate_2 in blocks:  # biases are not penalized
            # Views, all three: nudging ``flat`` nudges the model; the results land in grad, kinked.
            flat, out, out_kinked = values.reshape(-1), out.reshape(-1), out_kinked.reshape(-1)
            for j in range(flat.size):
                out[j], out_kinked[j] = _partial(flat, j, eps, data_loss, l1=rate_1, l2=rate_2)
                report.one()
        A_prev = activation.forward(A_prev @ W + b)
    return grad, kinked


def _partial(
    flat: FloatArray, j: int, eps: float, data_loss: DataLoss, *, l1: float, l2: float
) -> tuple[float, bool]:
    """(L(+eps) - L(-eps)) / (2 eps) for entry j of ``flat``, and whether the nudges crossed a kink.
    The penalty is a sum over single weights, so only this weight's term can change: it is
    differenced alone (exact, and O(1) instead of O(n_params))."""
    old = flat[j]
    flat[j] = old + eps
    up, up_signs = data_loss()
    flat[j] = old - eps
    down, down_signs = data_loss()
    flat[j] = old
    kinked = bool(l1) and old - eps <= 0 <= old + eps  # |w| bends at 0
    kinked = kinked or any(not np.array_equal(u, d) for u, d in zip(up_signs, down_signs))
    if l1 or l2:
        up += penalty(np.array([old + eps]), l1=l1, l2=l2)
        down += penalty(np.array([old - eps]), l1=l1, l2=l2)
    return (up - down) / (2 * eps), kinked


def _loss_from(
    layers: list[Layer], start: int, A_prev: FloatArray, Y: FloatArray, the_loss: Loss
) -> tuple[float, list[BoolArray]]:
    """Run ``layers[start:]`` forward from their input ``A_prev``. Returns (data loss, [Z > kink for
    each kink of each layer's activation]): where a unit crosses a kink, the loss bends."""
    A = A_prev
    signs: list[BoolArray] = []
    with np.errstate(over="ignore", invalid="ignore"):  # a huge network may overflow: NaN, reported
        for W, b, activation in layers[start:]:
            Z = A @ W + b
            signs.extend(Z > kink for kink in activation.kinks)
            A = activation.forward(Z)
        return the_loss.value(A, Z, Y), signs


class _Reporter:
    """Calls ``progress(done, total)`` about every 1 % and at the end."""

    def __init__(self, progress: Progress, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0
        self.every = max(1, -(-total // 100))  # ceil: at most 100 calls, plus the last

    def one(self) -> None:
        self.done += 1
        if self.progress is not None and (self.done % self.every == 0 or self.done == self.total):
            self.progress(self.done, self.total)


def check_arguments(
    model: Any, X: npt.ArrayLike, y: npt.ArrayLike, loss: str, l1: Any, l2: Any, eps: Any, progress: Any
) -> tuple[MLP, FloatArray, FloatArray, Loss, float, float, float]:
    """Check the arguments; return a float64 copy of the model, X and the target matrix Y in
    float64, the ``Loss``, and the checked l1, l2, eps."""
    if not isinstance(model, MLP):
        raise ValueError(f"model must be an nn_core MLP; got {type(model).__name__}")
    if not np.all(np.isfinite(model.params)):
        bad = np.count_nonzero(~np.isfinite(model.params))
        raise ValueError(f"model.params must be finite (a diverged network?); got {bad} NaN/inf")
    if progress is not None and not callable(progress):
        raise ValueError(f"progress must be None or a callable(done, total); got {progress!r}")
    model64 = model.copy(dtype=np.float64)
    the_loss = model64.check_loss(loss)
    l1, l2 = check_float("l1", l1), check_float("l2", l2)
    eps = check_float("eps", eps, low=0.0, low_open=True, high=1.0)
    X, Y = model64.check_data(X, y)
    return model64, X, Y, the_loss, l1, l2, eps
