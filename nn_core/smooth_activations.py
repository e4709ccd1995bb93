"""The smooth hidden activations beyond TensorFlow Playground's four, simple to complex: elu,
softplus, sine, swish and gelu; each forward pass paired with its backward pass.

The functions follow the protocol of ``activations`` (which registers them in ``ACTIVATIONS``):
``forward(Z, out=None) -> A`` and ``backward(dA, Z, A, out=None) -> dZ = dA * g'(Z)``; ``out`` may be
``Z`` itself in ``forward`` and must not alias ``dA`` in ``backward``.

No function warns for ``|Z|`` up to 1e4, in float32 or float64 (nothing overflows, nothing is
invalid; ``exp`` of a very negative number may underflow to 0, which is the right answer and
which NumPy, by default, rightly does not warn about):

- elu takes ``exp`` of ``min(Z, 0)`` only, which is at most 1;
- softplus is ``max(Z, 0) + log1p(exp(-|Z|))``: ``exp`` of a number <= 0 (``np.logaddexp(Z, 0)``
  computes the same, 14x slower);
- sigmoid, inside swish and softplus', is ``0.5 * tanh(Z / 2) + 0.5``, as in ``activations``;
- gelu's cubic is at most 1e12 at ``|Z| = 1e4``, far inside float32's range (3e38), and ``tanh``
  of anything is finite.

Each forward pass is written with the same NumPy operations, in the same order, as the code that
``playground``'s exported script prints for it, so a script replays a run bit for bit.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from nn_core._types import FloatArray

GELU_C = math.sqrt(2.0 / math.pi)  # gelu's tanh approximation: tanh(GELU_C (Z + GELU_CUBIC Z**3))
GELU_CUBIC = 0.044715


def _buffer(like: FloatArray, out: FloatArray | None) -> FloatArray:
    return np.empty_like(like) if out is None else out


def _sigmoid(Z: FloatArray) -> FloatArray:
    """1 / (1 + exp(-Z)) as 0.5 tanh(Z / 2) + 0.5 (no overflow), a new array."""
    s: FloatArray = np.multiply(Z, 0.5)
    np.tanh(s, out=s)
    np.multiply(s, 0.5, out=s)
    return np.add(s, 0.5, out=s)


# --- elu (alpha = 1): g(Z) = Z if Z > 0 else exp(Z) - 1; g'(Z) = 1 if Z > 0 else exp(Z) ---
def elu(Z: FloatArray, out: FloatArray | None = None) -> FloatArray:
    """max(Z, 0) + expm1(min(Z, 0)): each side's term is 0 on the other side, and exp never sees Z > 0."""
    negative = np.minimum(Z, 0)
    np.expm1(negative, out=negative)
    out = np.maximum(Z, 0, out=out)
    return np.add(out, negative, out=out)


def elu_backward(dA: FloatArray, Z: FloatArray, A: FloatArray, out: FloatArray | None = None) -> FloatArray:
    out = np.minimum(Z, 0, out=_buffer(dA, out))
    np.exp(out, out=out)  # exp(0) = 1 for Z > 0: the slope of the linear side
    return np.multiply(dA, out, out=out)


# --- softplus: g(Z) = log(1 + exp(Z)), a smooth relu; g'(Z) = sigmoid(Z) ---
def softplus(Z: FloatArray, out: FloatArray | None = None) -> FloatArray:
    """max(Z, 0) + log1p(exp(-|Z|)): the same as log(1 + exp(Z)), and exp never sees Z > 0."""
    tail = np.abs(Z)
    np.negative(tail, out=tail)
    np.exp(tail, out=tail)
    np.log1p(tail, out=tail)
    out = np.maximum(Z, 0, out=out)
    return np.add(out, tail, out=out)


def softplus_backward(
    dA: FloatArray, Z: FloatArray, A: FloatArray, out: FloatArray | None = None
) -> FloatArray:
    return np.multiply(dA, _sigmoid(Z), out=out)


# --- sine: g(Z) = sin(Z), g'(Z) = cos(Z); periodic, so it never saturates for good ---
def sine(Z: FloatArray, out: FloatArray | None = None) -> FloatArray:
    return np.sin(Z, out=out)


def sine_backward(dA: FloatArray, Z: FloatArray, A: FloatArray, out: FloatArray | None = None) -> FloatArray:
    out = np.cos(Z, out=_buffer(dA, out))
    return np.multiply(dA, out, out=out)


# --- swish (SiLU): g(Z) = Z sigmoid(Z); g'(Z) = s + Z s (1 - s) = s + A (1 - s), s = sigmoid(Z) ---
def swish(Z: FloatArray, out: FloatArray | None = None) -> FloatArray:
    return np.multiply(Z, _sigmoid(Z), out=out)


def swish_backward(dA: FloatArray, Z: FloatArray, A: FloatArray, out: FloatArray | None = None) -> FloatArray:
    s = _sigmoid(Z)
    out = np.subtract(1, s, out=_buffer(dA, out))
    np.multiply(A, out, out=out)
    np.add(s, out, out=out)
    return np.multiply(dA, out, out=out)


# --- gelu, the tanh approximation (Hendrycks & Gimpel 2016): g(Z) = 0.5 Z (1 + tanh(u)),
# u = GELU_C (Z + GELU_CUBIC Z**3). It differs from the exact Z Phi(Z) (Phi the normal CDF, via erf)
# by at most 4.7e-4 (at |Z| = 2.70; measured against math.erf in the tests).
# g'(Z) = 0.5 (1 + t) + 0.5 Z (1 - t**2) GELU_C (1 + 3 GELU_CUBIC Z**2), t = tanh(u) ---
def _gelu_tanh(Z: FloatArray) -> FloatArray:
    """t = tanh(GELU_C (Z + GELU_CUBIC Z**3)), a new array."""
    t: FloatArray = np.multiply(Z, Z)
    np.multiply(t, Z, out=t)
    np.multiply(t, GELU_CUBIC, out=t)
    np.add(Z, t, out=t)
    np.multiply(t, GELU_C, out=t)
    return np.tanh(t, out=t)


def gelu(Z: FloatArray, out: FloatArray | None = None) -> FloatArray:
    t = _gelu_tanh(Z)
    np.add(t, 1, out=t)
    np.multiply(t, 0.5, out=t)
    return np.multiply(Z, t, out=out)


def gelu_backward(dA: FloatArray, Z: FloatArray, A: FloatArray, out: FloatArray | None = None) -> FloatArray:
    t = _gelu_tanh(Z)
    inner = np.multiply(Z, Z)  # du/dZ = GELU_C (1 + 3 GELU_CUBIC Z**2)
    np.multiply(inner, 3 * GELU_CUBIC, out=inner)
    np.add(inner, 1, out=inner)
    np.multiply(inner, GELU_C, out=inner)
    out = np.multiply(t, t, out=_buffer(dA, out))  # tanh' = 1 - t**2
    np.subtract(1, out, out=out)
    np.multiply(out, inner, out=out)
    np.multiply(out, Z, out=out)
    np.add(t, 1, out=t)
    np.add(out, t, out=out)  # Z (1 - t**2) u' + (1 + t), then halved
    np.multiply(out, 0.5, out=out)
    return np.multiply(dA, out, out=out)
