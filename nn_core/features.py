"""Engineered input features, as in TensorFlow Playground: the network sees chosen functions of
the two coordinates instead of (or besides) the coordinates themselves.

``FEATURES[name](X) -> (n,)`` for ``X (n, 2)`` holding (x1, x2). With ``x1 * x2`` as an input, even a
network without hidden layers separates XOR; with ``x1**2`` and ``x2**2`` it separates circles.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from nn_core._checks import check_choice, check_matrix

if TYPE_CHECKING:
    from nn_core._types import Feature


FEATURES: MappingProxyType[str, Feature] = MappingProxyType(
    {
        "x1": lambda X: X[:, 0],
        "x2": lambda X: X[:, 1],
        "x1_sq": lambda X: X[:, 0] ** 2,
        "x2_sq": lambda X: X[:, 1] ** 2,
        "x1_x2": lambda X: X[:, 0] * X[:, 1],
        "sin_x1": lambda X: np.sin(X[:, 0]),
        "sin_x2": lambda X: np.sin(X[:, 1]),
    }
)

FEATURE_LABELS = MappingProxyType(
    {
        "x1": "x1",
        "x2": "x2",
        "x1_sq": "x1²",
        "x2_sq": "x2²",
        "x1_x2": "x1·x2",
        "sin_x1": "sin(x1)",
        "sin_x2": "sin(x2)",
    }
)


def expand_features(X: npt.ArrayLike, names: Sequence[str]) -> npt.NDArray[Any]:
    """The chosen features of 2-D points ``X (n, 2)`` as columns: ``(n, len(names))``, same dtype."""
    X = check_matrix("X", X, n_features=2)
    if len(names) == 0:
        raise ValueError(f"names must list at least one feature; got {list(names)!r}")
    for name in names:
        check_choice("names", name, FEATURES)
    return np.column_stack([FEATURES[name](X) for name in names]).astype(X.dtype, copy=False)
