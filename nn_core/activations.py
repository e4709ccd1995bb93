"""Activation functions, each paired with its backward pass, simple to complex.

Every activation is an ``Activation(name, forward, backward, max_slope, kinks)``:

- ``forward(Z, out=None) -> A``: the activation applied to pre-activations ``Z (n_samples, n_units)``.
- ``backward(dA, Z, A, out=None) -> dZ``: turn ``dL/dA`` into ``dL/dZ``. For the element-wise
  functions that is ``dA * g'(Z)``; softmax couples the units of a row, so it applies its Jacobian.
  ``A`` is passed because ``g'`` is cheaper from it (``tanh' = 1 - A**2``); ``out`` must not alias ``dA``.
- ``max_slope``: the steepest slope of ``g`` (sigmoid's is 1/4, at Z = 0; softmax's ``dA_i/dZ_i``
  too); ``diagnostics`` measures saturation relative to it.
- ``kinks``: the values of ``Z`` where ``g'`` jumps (relu and leaky_relu: 0); ``gradcheck`` leaves out
  the entries whose nudges cross one.

``out`` lets the training loop reuse preallocated buffers; with ``out=None`` a new array is returned,
which is what you want in a notebook. No function here warns for ``|Z|`` up to 1e4: sigmoid is written
as ``0.5 * tanh(Z / 2) + 0.5`` (no ``exp`` overflow) and softmax subtracts the row maximum.

``ACTIVATIONS`` are the hidden-layer choices, ``OUTPUTS`` the output-layer choices. The smooth
activations added after TF Playground's set (elu, softplus, sine, swish, gelu) live in
``smooth_activations`` and are registered here; an ``MLP`` may use a different one in each hidden layer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np

from nn_core import smooth_activations as smooth

if TYPE_CHECKING:
    from nn_core._types import FloatArray


LEAKY_SLOPE = 0.01  # slope of leaky_relu for Z < 0


def _constants(value: float) -> Mapping[type, FloatArray]:
    """Read-only 0-d arrays of ``value``, one per float dtype, in a read-only mapping. A NumPy call
    spends ~0.3 us turning a Python float operand into an array; tiny networks make a dozen such
    calls per epoch."""
    consts: dict[type, FloatArray] = {}
    for dtype in (np.float32, np.float64):
        consts[dtype] = np.array(value, dtype)
        consts[dtype].flags.writeable = False
    return MappingProxyType(consts)


_HALF, _ONE = _constants(0.5), _constants(1.0)


@dataclass(frozen=True)
class Activation:
    """A function ``g`` paired with its backward pass, and the facts other modules need about it."""

    name: str
    forward: Callable[..., FloatArray]  # (Z, out=None) -> A
    backward: Callable[..., FloatArray]  # (dA, Z, A, out=None) -> dZ
    max_slope: float  # max over Z of g'(Z)
    kinks: tuple[float, ...]  # where g' jumps; () for a smooth g


def _like(A: FloatArray, out: FloatArray | None) -> FloatArray:
    return np.empty_like(A) if out is None else out


# --- linear: g(Z) = Z, g'(Z) = 1 ---
def linear(Z: FloatArray, out: FloatArray | None = None) -> FloatArray:
    if out is None:
        return Z.copy()
    np.copyto(out, Z)
    return out


def linear_backward(
    dA: FloatArray, Z: FloatArray, A: FloatArray, out: FloatArray | None = None
) -> FloatArray:
    return linear(dA, out)


# --- relu: g(Z) = max(Z, 0), g'(Z) = 1 where Z > 0 else 0 (0 at Z == 0, as TF Playground) ---
def relu(Z: FloatArray, out: FloatArray | None = None) -> FloatArray:
    # np.maximum (not fmax) so that a NaN from a diverged network propagates and is detected.
    return np.maximum(Z, 0, out=out)


def relu_backward(dA: FloatArray, Z: FloatArray, A: FloatArray, out: FloatArray | None = None) -> FloatArray:
    out = _like(dA, out)
    np.greater(Z, 0, out=out)  # 1.0 where the unit is active
    return np.multiply(dA, out, out=out)


# --- leaky_relu: g(Z) = Z if Z > 0 else 0.01 Z ---
def leaky_relu(Z: FloatArray, out: FloatArray | None = None) -> FloatArray:
    # Z * LEAKY_SLOPE is a temporary, so ``out`` may be ``Z`` itself.
    A: FloatArray = np.maximum(Z, Z * LEAKY_SLOPE, out=out)
    return A


def leaky_relu_backward(
    dA: FloatArray, Z: FloatArray, A: FloatArray, out: FloatArray | None = None
) -> FloatArray:
    out = _like(dA, out)
    np.greater(Z, 0, out=out)  # 1 or 0 ...
    np.multiply(out, 1 - LEAKY_SLOPE, out=out)
    np.add(out, LEAKY_SLOPE, out=out)  # ... mapped to 1 or LEAKY_SLOPE
    return np.multiply(dA, out, out=out)


# --- tanh: g'(Z) = 1 - tanh(Z)**2 = 1 - A**2 ---
def tanh(Z: FloatArray, out: FloatArray | None = None) -> FloatArray:
    return np.tanh(Z, out=out)


def tanh_backward(dA: FloatArray, Z: FloatArray, A: FloatArray, out: FloatArray | None = None) -> FloatArray:
    out = _like(dA, out)
    np.multiply(A, A, out=out)
    np.subtract(_ONE.get(A.dtype.type, 1.0), out, out=out)
    return np.multiply(dA, out, out=out)


# --- sigmoid: 1 / (1 + exp(-Z)), computed as 0.5 tanh(Z/2) + 0.5; g'(Z) = A (1 - A) ---
def sigmoid(Z: FloatArray, out: FloatArray | None = None) -> FloatArray:
    half = _HALF.get(Z.dtype.type, 0.5)
    out = np.multiply(Z, half, out=out)
    np.tanh(out, out=out)
    np.multiply(out, half, out=out)
    return np.add(out, half, out=out)


def sigmoid_backward(
    dA: FloatArray, Z: FloatArray, A: FloatArray, out: FloatArray | None = None
) -> FloatArray:
    out = _like(dA, out)
    np.subtract(_ONE.get(A.dtype.type, 1.0), A, out=out)
    np.multiply(out, A, out=out)
    return np.multiply(dA, out, out=out)


# --- softmax (output only): A_ij = exp(Z_ij) / sum_k exp(Z_ik) ---
def softmax(Z: FloatArray, out: FloatArray | None = None) -> FloatArray:
    A: FloatArray = np.subtract(Z, Z.max(axis=1, keepdims=True), out=out)  # shift: exp never overflows
    np.exp(A, out=A)
    return np.divide(A, np.add.reduce(A, axis=1, keepdims=True), out=A)


def softmax_backward(
    dA: FloatArray, Z: FloatArray, A: FloatArray, out: FloatArray | None = None
) -> FloatArray:
    """dZ_ij = A_ij (dA_ij - sum_k dA_ik A_ik): the softmax Jacobian applied to each row."""
    out = np.multiply(dA, A, out=out)
    row = np.add.reduce(out, axis=1, keepdims=True)
    np.subtract(dA, row, out=out)
    return np.multiply(out, A, out=out)


ACTIVATIONS = MappingProxyType(
    {
        a.name: a
        for a in (
            Activation("linear", linear, linear_backward, max_slope=1.0, kinks=()),
            Activation("relu", relu, relu_backward, max_slope=1.0, kinks=(0.0,)),
            Activation("leaky_relu", leaky_relu, leaky_relu_backward, max_slope=1.0, kinks=(0.0,)),
            Activation("tanh", tanh, tanh_backward, max_slope=1.0, kinks=()),
            Activation("sigmoid", sigmoid, sigmoid_backward, max_slope=0.25, kinks=()),
            # elu's slope is continuous at 0 (1 on both sides), so 0 is no kink.
            Activation("elu", smooth.elu, smooth.elu_backward, max_slope=1.0, kinks=()),
            # softplus' slope sigmoid(Z) approaches 1 as Z grows, never above it.
            Activation("softplus", smooth.softplus, smooth.softplus_backward, max_slope=1.0, kinks=()),
            Activation("sine", smooth.sine, smooth.sine_backward, max_slope=1.0, kinks=()),
            # swish and gelu overshoot slope 1 (at Z = 2.3994 and 1.4185) and dip below 0 for Z < 0.
            Activation("swish", smooth.swish, smooth.swish_backward, max_slope=1.0998393201288668, kinks=()),
            Activation("gelu", smooth.gelu, smooth.gelu_backward, max_slope=1.128993068658772, kinks=()),
        )
    }
)

OUTPUTS = MappingProxyType(
    {
        "sigmoid": ACTIVATIONS["sigmoid"],
        "softmax": Activation("softmax", softmax, softmax_backward, max_slope=0.25, kinks=()),
        "tanh": ACTIVATIONS["tanh"],
        "linear": ACTIVATIONS["linear"],
    }
)
