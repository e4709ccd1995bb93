"""Losses, each a mean over samples, and how labels become targets.

With ``A`` the output activations, ``Z`` the output pre-activations, both ``(n, k)``, and ``Y`` the
``(n, k)`` target matrix:

- ``mse``: ``mean((A - Y)**2)`` over all ``n * k`` entries (the first tutorial's ``compute_loss``).
  Any output. dL/dA = 2 (A - Y) / (n k), then back through the output activation.
- ``bce``: binary cross-entropy of a sigmoid output, ``-sum(Y log A + (1 - Y) log(1 - A)) / n``,
  computed from ``Z`` as ``sum(log(1 + exp(Z)) - Y Z) / n`` so that it never takes ``log(0)``.
  dL/dZ = (A - Y) / n: the sigmoid's derivative cancels.
- ``cross_entropy``: softmax cross-entropy against integer labels, ``-sum(Y log softmax(Z)) / n``
  with one-hot ``Y``. dL/dZ = (A - Y) / n: the softmax Jacobian cancels.

Labels to targets (``encode_targets``): integer labels become a ``(n, 1)`` column of 0/1 for one
output (-1/+1 for a tanh output, as TensorFlow Playground), or one-hot rows for ``k > 1`` outputs.
Float ``y`` is a regression target and is used as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from nn_core.activations import Activation

if TYPE_CHECKING:
    from nn_core._types import FloatArray, IntArray


@dataclass(frozen=True)
class Loss:
    name: str
    value: Callable[[FloatArray, FloatArray, FloatArray], float]  # (A, Z, Y) -> loss
    gradient: Callable[..., FloatArray]  # (A, Z, Y, output, out=None) -> dL/dZ (n, k)
    outputs: tuple[str, ...]  # output activations this loss is defined for


def mse_value(A: FloatArray, Z: FloatArray, Y: FloatArray) -> float:
    diff = np.subtract(A, Y)
    return float(np.vdot(diff, diff)) / diff.size


def mse_gradient(
    A: FloatArray, Z: FloatArray, Y: FloatArray, output: Activation, out: FloatArray | None = None
) -> FloatArray:
    dA = np.subtract(A, Y)
    np.multiply(dA, 2.0 / dA.size, out=dA)
    return output.backward(dA, Z, A, out)


def bce_value(A: FloatArray, Z: FloatArray, Y: FloatArray) -> float:
    # -(Y log sigmoid(Z) + (1 - Y) log(1 - sigmoid(Z))) == log(1 + exp(Z)) - Y Z, and
    # log(1 + exp(Z)) == max(Z, 0) + log1p(exp(-|Z|)): no overflow, and cheaper than np.logaddexp.
    per_entry = np.abs(Z)
    np.negative(per_entry, out=per_entry)
    np.exp(per_entry, out=per_entry)
    np.log1p(per_entry, out=per_entry)
    per_entry += np.maximum(Z, 0)
    per_entry -= Y * Z
    return float(np.add.reduce(per_entry, axis=None)) / int(Z.shape[0])


def cross_entropy_value(A: FloatArray, Z: FloatArray, Y: FloatArray) -> float:
    top = Z.max(axis=1, keepdims=True)
    log_sum_exp = np.log(np.add.reduce(np.exp(Z - top), axis=1)) + top[:, 0]
    return float(np.add.reduce(log_sum_exp - np.add.reduce(Y * Z, axis=1))) / int(Z.shape[0])


def output_minus_target(
    A: FloatArray, Z: FloatArray, Y: FloatArray, output: Activation, out: FloatArray | None = None
) -> FloatArray:
    """The fused gradient of bce on sigmoid and cross-entropy on softmax: (A - Y) / n."""
    out = np.subtract(A, Y, out=out)
    dZ: FloatArray = np.multiply(out, 1.0 / A.shape[0], out=out)
    return dZ


LOSSES = MappingProxyType(
    {
        "mse": Loss("mse", mse_value, mse_gradient, ("sigmoid", "softmax", "tanh", "linear")),
        "bce": Loss("bce", bce_value, output_minus_target, ("sigmoid",)),
        "cross_entropy": Loss("cross_entropy", cross_entropy_value, output_minus_target, ("softmax",)),
    }
)


def is_classification(y: npt.ArrayLike) -> bool:
    """Integer (or boolean) ``y`` holds class labels; float ``y`` holds regression targets."""
    return np.issubdtype(np.asarray(y).dtype, np.integer) or np.asarray(y).dtype == bool


def encode_targets(y: npt.ArrayLike, *, output: str, n_outputs: int, dtype: type) -> FloatArray:
    """Turn ``y`` into the ``(n_samples, n_outputs)`` target matrix ``Y`` the loss compares with.

    Parameters
    ----------
    y : (n_samples,) int labels in ``[0, n_outputs)`` (``{0, 1}`` for one output), or float targets
        of shape (n_samples,) or (n_samples, n_outputs).
    """
    y = np.asarray(y)
    if not is_classification(y):
        if not np.all(np.isfinite(y)):
            raise ValueError("y must be finite; got NaN or inf values")
        Y = y.reshape(len(y), -1) if y.ndim == 1 else y
        if Y.ndim != 2 or Y.shape[1] != n_outputs:
            raise ValueError(f"y must have shape (n_samples,) or (n_samples, {n_outputs}); got {y.shape}")
        return np.ascontiguousarray(Y, dtype=dtype)
    labels = y.astype(np.int64).ravel() if y.ndim == 2 and y.shape[1] == 1 else y.astype(np.int64)
    n_classes = max(n_outputs, 2)
    if labels.ndim != 1 or labels.min(initial=0) < 0 or labels.max(initial=0) >= n_classes:
        raise ValueError(
            f"y must be integer labels of shape (n_samples,) in [0, {n_classes}); "
            f"got shape {y.shape}, values {np.unique(y)[:10].tolist()}"
        )
    low = -1.0 if output == "tanh" else 0.0
    if n_outputs == 1:
        return np.where(labels == 1, 1.0, low).astype(dtype).reshape(-1, 1)
    Y = np.full((len(labels), n_outputs), low, dtype=dtype)
    Y[np.arange(len(labels)), labels] = 1.0
    return Y


def accuracy(A: FloatArray, labels: IntArray, output: str) -> float:
    """Fraction of rows of ``A (n, k)`` whose decoded label equals ``labels (n,)``."""
    if A.shape[1] == 1:  # compare booleans directly: cheaper than building int labels
        hits = np.equal(A[:, 0] > _threshold(output), labels)
    else:
        hits = np.equal(A.argmax(axis=1), labels)
    return np.count_nonzero(hits) / len(labels)


def decode_labels(A: FloatArray, output: str) -> npt.NDArray[Any]:
    """Class labels from output activations ``A (n_samples, k)``: argmax, or a threshold for k == 1
    (0 for tanh, whose targets are -1/+1; 0.5 otherwise)."""
    if A.shape[1] > 1:
        labels: npt.NDArray[Any] = A.argmax(axis=1)
        return labels
    return (A[:, 0] > _threshold(output)).astype(np.int64)


def _threshold(output: str) -> float:
    """Where a single output unit splits class 0 from class 1: midway between its two targets."""
    return 0.0 if output == "tanh" else 0.5
