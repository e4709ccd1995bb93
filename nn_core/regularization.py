"""L1 and L2 weight penalties (biases are not penalized).

penalty(W) = l2 / 2 * sum(W**2) + l1 * sum(|W|)
d penalty / dW = l2 * W + l1 * sign(W)      (sign(0) = 0: the subgradient that leaves zeros alone)

``w`` and ``grad_w`` are flat vectors holding every weight of the network, so each is a single call.
"""

import numpy as np


def penalty(w, *, l1=0.0, l2=0.0):
    """The penalty added to the data loss. ``w`` is the flat vector of all weights."""
    value = 0.0
    if l2:
        value += 0.5 * l2 * float(np.vdot(w, w))
    if l1:
        value += l1 * float(np.add.reduce(np.abs(w)))
    return value


def add_penalty_gradient(w, grad_w, *, l1=0.0, l2=0.0):
    """Add the penalty's gradient to ``grad_w`` in place (both flat, same shape)."""
    if l2:
        grad_w += l2 * w
    if l1:
        grad_w += l1 * np.sign(w)
    return grad_w
