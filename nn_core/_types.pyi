"""The type names nn_core's annotations use, for mypy (and readers) only.

A stub, not a module: a module-level alias would be one more shared object at import time (see
tests/test_isolation.py), so the modules import these names under ``if TYPE_CHECKING:`` and write
their annotations lazily (``from __future__ import annotations``).
"""

from collections.abc import Callable
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

from nn_core.activations import Activation

# A float32 or float64 array: the model's dtype decides which.
FloatArray: TypeAlias = npt.NDArray[np.floating[Any]]
IntArray: TypeAlias = npt.NDArray[np.integer[Any]]  # integer labels or indices
BoolArray: TypeAlias = npt.NDArray[np.bool_]
F64: TypeAlias = npt.NDArray[np.float64]
I64: TypeAlias = npt.NDArray[np.int64]

Layer: TypeAlias = tuple[FloatArray, FloatArray, Activation]  # (W, b, g) of one layer
Arrays: TypeAlias = tuple[FloatArray, ...]  # one array per layer
Backward: TypeAlias = Callable[..., FloatArray]  # (dA, Z, A, out=None) -> dZ
Record: TypeAlias = dict[str, Any]  # a history record: epoch, train_loss, val_loss, train/val_accuracy
Score: TypeAlias = tuple[float, float | None]  # (data loss, accuracy or None for regression)
Scored: TypeAlias = tuple[float, float | None, dict[str, Any]]  # Score + metrics.epoch_metrics
Init: TypeAlias = Callable[[int, int, np.random.Generator], tuple[F64, F64]]  # (fan_in, fan_out, rng) -> W, b
BiasInit: TypeAlias = Callable[[int, int, np.random.Generator], F64]  # (fan_in, fan_out, rng) -> b
Feature: TypeAlias = Callable[[npt.NDArray[Any]], npt.NDArray[Any]]  # X (n, 2) -> (n,)
# (n_samples, noise, n_classes, rng) -> (X (n, 2), y (n,))
DatasetGenerator: TypeAlias = Callable[
    [int, float, int, np.random.Generator], tuple[FloatArray, npt.NDArray[Any]]
]
Progress: TypeAlias = Callable[[int, int], object] | None  # progress(done, total)
DataLoss: TypeAlias = Callable[[], tuple[float, list[BoolArray]]]  # () -> (loss, kink signs)
Row: TypeAlias = tuple[int, float, F64, I64, F64]  # (epoch, loss, gradient norms, dead units, saturation)
