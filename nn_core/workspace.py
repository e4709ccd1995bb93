"""Preallocated arrays for training: one ``Workspace`` per batch size, reused through NumPy's ``out=``.

A workspace is scratch memory, nothing more: every array in it is overwritten before it is read,
so it can be thrown away at any time (``Trainer`` does not pickle its workspaces) and rebuilt.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from nn_core._checks import check_int

if TYPE_CHECKING:  # for the annotations only: mlp imports this module
    from nn_core._types import FloatArray
    from nn_core.mlp import MLP


class Workspace:
    """Preallocated arrays for one batch of ``n`` samples through ``model``.

    ``Z[i]``, ``A[i]``: layer i's pre-activations and activations (n, layer_sizes[i + 1]);
    ``inputs[i]``: what layer i read (X, or the previous A after dropout); ``dA``/``dZ``: their
    gradients; ``X``, ``Y``: room to copy a mini-batch into; ``masks``, ``dropped``: dropout masks and
    the masked activations of the hidden layers (made at the first use of dropout).
    ``layers`` zips each layer's parameters with its buffers once, so the hot loops only unpack.
    """

    def __init__(self, model: MLP, n: int) -> None:
        n = check_int("n", n, low=1)
        sizes, dtype = model.layer_sizes, model.dtype
        outs = sizes[1:]
        # Zeros, not np.empty: BLAS may read an ``out`` buffer before overwriting it (beta * C with
        # beta = 0), and uninitialised memory can hold NaN bit patterns, which raise a spurious
        # "invalid value" warning that depends on what the process did before.
        self.X = np.zeros((n, sizes[0]), dtype)
        self.Y = np.zeros((n, sizes[-1]), dtype)
        self.Z = [np.zeros((n, k), dtype) for k in outs]
        self.A = [np.zeros((n, k), dtype) for k in outs]
        self.dZ = [np.zeros((n, k), dtype) for k in outs]
        self.dA = [np.zeros((n, k), dtype) for k in outs]
        self.inputs: list[FloatArray] = [self.X] * len(outs)
        self.ones = np.ones(n, dtype)  # db = ones @ dZ: BLAS sums the rows 2-6x faster than add.reduce
        self.masks: list[FloatArray] | None = None
        self.dropped: list[FloatArray] | None = None
        self.layers = [(W, b, g, Z, A) for (W, b, g), Z, A in zip(model._layers, self.Z, self.A)]

    def dropout_buffers(self) -> tuple[list[FloatArray], list[FloatArray]]:
        """(masks, dropped): one array per hidden layer, made at the first call."""
        if self.masks is None or self.dropped is None:
            self.masks = [np.empty_like(a) for a in self.A[:-1]]
            self.dropped = [np.empty_like(a) for a in self.A[:-1]]
        return self.masks, self.dropped
