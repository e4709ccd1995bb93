"""A training (or validation) set as the trainer holds it: checked once per ``train`` call.

``prepare(model, X, y, loss=..., names=...)`` validates ``X`` and ``y`` against the model and the
loss and returns a ``Dataset``: ``X`` in the model's dtype, the target matrix ``Y`` the loss compares
with (see ``losses.encode_targets``) and the integer labels that accuracy counts, if any.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import numpy.typing as npt

from nn_core.losses import is_classification
from nn_core.mlp import MLP

if TYPE_CHECKING:
    from nn_core._types import FloatArray, IntArray


class Dataset(NamedTuple):
    """Checked data: X (n, n_features), Y (n, n_outputs), labels (n,) or None."""

    X: FloatArray  # (n, n_features) in the model dtype
    Y: FloatArray  # (n, n_outputs) targets, see losses.encode_targets
    labels: IntArray | None  # (n,) int labels, None for regression


def prepare(model: MLP, X: npt.ArrayLike, y: npt.ArrayLike, *, loss: str, names: tuple[str, str]) -> Dataset:
    """Check ``X (n, layer_sizes[0])`` and ``y`` (labels, or float targets for ``loss="mse"``) for
    ``model``; ``names`` are the parameter names the errors use (``("X_val", "y_val")``)."""
    if not isinstance(model, MLP):
        raise ValueError(f"model must be an nn_core.MLP; got {type(model).__name__}")
    X, Y = model.check_data(X, y, names=names)
    if not is_classification(y) and loss != "mse":
        raise ValueError(
            f"{names[1]} must hold integer class labels for loss={loss!r}; got dtype {np.asarray(y).dtype}"
        )
    labels = np.asarray(y).astype(np.int64).ravel() if is_classification(y) else None
    return Dataset(X, Y, labels)
