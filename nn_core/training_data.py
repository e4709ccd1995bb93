"""A training (or validation) set as the trainer holds it: checked once per ``train`` call.

``prepare(model, X, y, loss=..., names=...)`` validates ``X`` and ``y`` against the model and the
loss and returns a ``Dataset``: ``X`` in the model's dtype, the target matrix ``Y`` the loss compares
with (see ``losses.encode_targets``) and the integer labels that accuracy counts, if any.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import numpy.typing as npt

from nn_core.losses import is_classification
from nn_core.mlp import MLP
from nn_core.workspace import Workspace

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


def prepare_validation(
    model: MLP, X_val: npt.ArrayLike | None, y_val: npt.ArrayLike | None, *, loss: str
) -> Dataset | None:
    """``prepare`` for the optional validation set: None when neither is given; both or neither."""
    if (X_val is None) != (y_val is None):
        raise ValueError(
            f"X_val and y_val go together; got X_val={type(X_val).__name__}, y_val={type(y_val).__name__}"
        )
    if X_val is None or y_val is None:
        return None
    return prepare(model, X_val, y_val, loss=loss, names=("X_val", "y_val"))


def is_full_batch(batch_size: int | None, n: int) -> bool:
    """One step per epoch on all ``n`` rows: no batch size, or one at least as large as the set."""
    return batch_size is None or batch_size >= n


def batches(
    data: Dataset,
    batch_size: int | None,
    rng: np.random.Generator,
    workspace: Callable[[str, int], Workspace],
) -> Iterator[tuple[Workspace, FloatArray, FloatArray]]:
    """(workspace, X, Y) for each step of one epoch: the whole set, or mini-batches of ``batch_size``
    rows shuffled with ``rng`` (the last one may be smaller). ``workspace("train", n)`` gives the
    workspace for a batch of n rows. Lazy: batches of one size share a workspace, so each is copied
    into it just before its step."""
    n = len(data.X)
    if is_full_batch(batch_size, n):
        yield workspace("train", n), data.X, data.Y
        return
    size, order = batch_size or n, rng.permutation(n)
    for start in range(0, n, size):
        rows = order[start : start + size]
        ws = workspace("train", len(rows))
        yield ws, data.X.take(rows, axis=0, out=ws.X), data.Y.take(rows, axis=0, out=ws.Y)
