"""Regularization: L1 and L2 weight penalties (biases are not penalized), then dropout.

penalty(W) = l2 / 2 * sum(W**2) + l1 * sum(|W|)
d penalty / dW = l2 * W + l1 * sign(W)      (sign(0) = 0: the subgradient that leaves zeros alone)

``w`` and ``grad_w`` are flat vectors holding every weight of the network, so each is a single call.
Inverted dropout zeroes each hidden unit with probability ``rate`` during training and scales the
survivors by 1 / (1 - rate), so the expected activation is unchanged and inference needs no rescaling.

These run inside every training step: their callers (``MLP``, ``Trainer``) check the arguments.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from nn_core._types import FloatArray


def penalty(w: FloatArray, *, l1: float = 0.0, l2: float = 0.0) -> float:
    """The penalty added to the data loss. ``w`` is the flat vector of all weights."""
    value = 0.0
    if l2:
        value += 0.5 * l2 * float(np.vdot(w, w))
    if l1:
        value += l1 * float(np.add.reduce(np.abs(w)))
    return value


def add_penalty_gradient(
    w: FloatArray, grad_w: FloatArray, *, l1: float = 0.0, l2: float = 0.0
) -> FloatArray:
    """Add the penalty's gradient to ``grad_w`` in place (both flat, same shape)."""
    if l2:
        grad_w += l2 * w
    if l1:
        grad_w += l1 * np.sign(w)
    return grad_w


def inverted_dropout(
    A: FloatArray, rate: float, rng: np.random.Generator | None, *, mask: FloatArray, out: FloatArray
) -> FloatArray:
    """``A (n, units)`` with each entry zeroed with probability ``rate`` (0 < rate < 1) and the rest
    scaled by 1 / (1 - rate), into ``out``; ``mask`` (like ``A``) receives the scaled 0/1 mask, which
    backpropagation multiplies ``dA`` by. The mask comes from ``rng``, the trainer's generator."""
    if rng is None:
        raise ValueError("rng must be a numpy Generator when dropout is on; got None")
    rng.random(out=mask, dtype=mask.dtype)
    np.greater_equal(mask, rate, out=mask)
    np.multiply(mask, 1.0 / (1.0 - rate), out=mask)
    return np.multiply(A, mask, out=out)
