"""How good the predictions are, beyond the loss: a confusion matrix, precision, recall and F1 per
class for classification; RMSE, MAE and R² for regression.

Simple to complex: counting (``confusion_matrix``), ratios of counts (``precision_recall_f1``), the
regression errors (``regression_metrics``), then what the trainer records each epoch
(``epoch_metrics``, ``record_metrics``). The conventions are scikit-learn's (``sklearn.metrics``),
which the tests compare with:

- ``confusion[i, j]``: how many samples of true class ``i`` were predicted as class ``j`` (rows are
  the truth, columns the prediction); the diagonal holds the hits.
- precision of class c = ``C[c, c] / C[:, c].sum()`` (of the samples predicted c, the share that is
  c); recall = ``C[c, c] / C[c, :].sum()`` (of the samples that are c, the share found);
  F1 = ``2 P R / (P + R)``. A ratio 0 / 0 counts as 0, as scikit-learn's ``zero_division=0``: a
  class never predicted has precision 0, a class with no samples recall 0, and then F1 is 0.
- regression, for ``y`` and ``y_hat`` of shape (n,) or (n, k): RMSE = sqrt(mean((y - y_hat)²)),
  MAE = mean(|y - y_hat|), R² = 1 - sum((y - y_hat)²) / sum((y - mean(y))²), each per output column
  and then averaged over the columns (scikit-learn's ``multioutput="uniform_average"``). Constant
  targets leave R² undefined (0 / 0 or x / 0): it is then 1.0 if every prediction is exact, else
  0.0 (scikit-learn's ``force_finite=True``), so it is never NaN or infinite.

History keys (``record_metrics``), for the training set (``train_``) and the validation set
(``val_``, None without one): classification ``train_confusion`` (k x k nested lists of ints, JSON
ready) and ``train_macro_f1`` (the mean of the per-class F1); regression ``train_rmse``,
``train_mae``, ``train_r2``. Per-class precision, recall and F1 come from the recorded matrix:
``precision_recall_f1(record["val_confusion"])``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from nn_core._checks import check_choice, check_int
from nn_core.activations import OUTPUTS
from nn_core.losses import decode_labels

if TYPE_CHECKING:
    from nn_core._types import F64, I64, FloatArray
    from nn_core.training_data import Dataset

CLASSIFICATION_KEYS = ("confusion", "macro_f1")  # an epoch's metrics of a classifier ...
REGRESSION_KEYS = ("rmse", "mae", "r2")  # ... and of a regressor (``epoch_metrics``)


# --- classification ---------------------------------------------------------------------------
def confusion_matrix(y_true: npt.ArrayLike, y_pred: npt.ArrayLike, n_classes: int) -> I64:
    """Counts of (true class, predicted class) pairs.

    Parameters
    ----------
    y_true, y_pred : (n_samples,) integer labels in ``[0, n_classes)`` (n_samples may be 0)
    n_classes : int >= 1, the matrix's side (classes that never occur get rows and columns of 0)

    Returns
    -------
    (n_classes, n_classes) int64: ``C[i, j]`` samples of class ``i`` predicted as ``j``.
    """
    k = check_int("n_classes", n_classes, low=1)
    true = _labels("y_true", y_true, k)
    pred = _labels("y_pred", y_pred, k)
    if true.shape != pred.shape:
        raise ValueError(f"y_true and y_pred must have the same length; got {len(true)} and {len(pred)}")
    return _count(true, pred, k)


def _count(true: npt.NDArray[Any], pred: npt.NDArray[Any], k: int) -> I64:
    # Pair (i, j) -> the single index i * k + j: one bincount instead of a k x k loop.
    counts: I64 = np.bincount(true * k + pred, minlength=k * k).reshape(k, k)
    return counts


def _labels(name: str, y: npt.ArrayLike, k: int) -> npt.NDArray[Any]:
    y = np.asarray(y)
    integers = np.issubdtype(y.dtype, np.integer) or y.dtype == bool or y.size == 0  # ([] is float)
    if y.ndim != 1 or not integers:
        raise ValueError(
            f"{name} must be a 1-D array of integer labels; got shape {y.shape}, dtype {y.dtype}"
        )
    y = y.astype(np.int64)
    if y.size and (y.min() < 0 or y.max() >= k):
        raise ValueError(f"{name} must hold labels in [0, {k}); got values {np.unique(y)[:10].tolist()}")
    return y


def precision_recall_f1(confusion: npt.ArrayLike) -> tuple[F64, F64, F64]:
    """Precision, recall and F1 of every class, from a confusion matrix (rows true, columns predicted).

    Parameters
    ----------
    confusion : (k, k) non-negative integer counts, k >= 1 (a nested list is fine)

    Returns
    -------
    (precision, recall, f1), each (k,) float64 in [0, 1]; a ratio 0 / 0 is 0 (``zero_division=0``).
    """
    C = np.asarray(confusion)
    square = C.ndim == 2 and C.shape[0] == C.shape[1] and C.shape[0] >= 1
    if not square or not np.issubdtype(C.dtype, np.integer) or (C.size and C.min() < 0):
        raise ValueError(
            f"confusion must be a (k, k) array of non-negative integer counts, k >= 1; "
            f"got shape {C.shape}, dtype {C.dtype}"
        )
    hits = np.diagonal(C).astype(np.float64)
    predicted, actual = C.sum(axis=0), C.sum(axis=1)
    # 2 P R / (P + R) == 2 hits / (predicted + actual): no 0 / 0 inside, the same 0 outside.
    return _ratio(hits, predicted), _ratio(hits, actual), _ratio(2 * hits, predicted + actual)


def _ratio(top: F64, bottom: npt.NDArray[Any]) -> F64:
    """top / bottom, elementwise, with 0 where bottom is 0."""
    out: F64 = np.divide(top, bottom, out=np.zeros_like(top), where=bottom != 0)
    return out


# --- regression -------------------------------------------------------------------------------
def regression_metrics(y: npt.ArrayLike, y_hat: npt.ArrayLike) -> dict[str, float]:
    """RMSE, MAE and R² of the predictions ``y_hat`` of the targets ``y``.

    Parameters
    ----------
    y, y_hat : the same shape, (n_samples,) or (n_samples, n_outputs), finite real numbers,
        n_samples >= 1

    Returns
    -------
    {"rmse": float >= 0, "mae": float >= 0, "r2": float <= 1}, averaged over the output columns;
    R² of constant targets is 1.0 for exact predictions, else 0.0 (see the module docstring).
    """
    Y, A = (_targets(name, v) for name, v in (("y", y), ("y_hat", y_hat)))
    if Y.shape != A.shape:
        raise ValueError(f"y and y_hat must have the same shape; got {np.shape(y)} and {np.shape(y_hat)}")
    with np.errstate(over="ignore"):  # finite but huge (1e200): the squares are inf, no warning
        return _regression(Y, A)


def _targets(name: str, v: npt.ArrayLike) -> F64:
    a = np.asarray(v)
    if a.ndim not in (1, 2) or len(a) == 0 or not np.issubdtype(a.dtype, np.number) or np.iscomplexobj(a):
        raise ValueError(
            f"{name} must be a non-empty (n_samples,) or (n_samples, n_outputs) array of real numbers; "
            f"got shape {a.shape}, dtype {a.dtype}"
        )
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} must be finite; got {np.count_nonzero(~np.isfinite(a))} NaN/inf values")
    return a.astype(np.float64).reshape(len(a), -1)


def _regression(Y: FloatArray, A: FloatArray) -> dict[str, float]:
    """The metrics of ``A`` against ``Y``, both (n, k), unchecked: a diverging network's inf and NaN
    pass through (the trainer, which runs under ``np.errstate(all="ignore")``, drops that epoch).
    Sums, not ``np.mean``, and no ``errstate`` of its own: this runs every epoch."""
    n = len(Y)
    error = np.subtract(A, Y, dtype=np.float64)
    residual = np.add.reduce(error * error, axis=0)  # per output column, as the spread below
    spread = Y - np.add.reduce(Y, axis=0, dtype=np.float64) / n
    total = np.add.reduce(spread * spread, axis=0)
    r2 = [_r2(res, tot) for res, tot in zip(residual.tolist(), total.tolist())]
    return {
        "rmse": float(np.add.reduce(np.sqrt(residual / n))) / len(r2),
        "mae": float(np.add.reduce(np.abs(error), axis=None)) / error.size,
        "r2": sum(r2) / len(r2),
    }


def _r2(residual: float, total: float) -> float:
    """1 - residual / total; for constant targets (total 0): 1.0 if exact, else 0.0."""
    if total == 0.0:
        return 1.0 if residual == 0.0 else 0.0
    return 1.0 - residual / total


# --- what the trainer records -----------------------------------------------------------------
def epoch_metrics(A: FloatArray, data: Dataset, output: str) -> dict[str, Any]:
    """The metrics of one scored pass: the network's output ``A (n, k)`` for ``data``.

    Parameters
    ----------
    A : (n_samples, n_outputs) output activations; data : a ``training_data.Dataset`` whose ``Y``
        has A's shape (labels: classification, None: regression); output : a key of ``OUTPUTS``,
        which says how ``A`` becomes labels (``losses.decode_labels``)

    Returns
    -------
    Classification: {"confusion": k x k nested lists of ints (k = max(n_outputs, 2)), "macro_f1":
    float}; regression: {"rmse", "mae", "r2"} floats (inf or NaN if ``A`` is).
    """
    output = check_choice("output", output, OUTPUTS)
    A = np.asarray(A)
    if A.ndim != 2 or A.shape != np.shape(data.Y):
        raise ValueError(f"A must have the shape of data.Y, {np.shape(data.Y)}; got {A.shape}")
    if data.labels is None:
        return _regression(data.Y, A)
    C = _count(data.labels, decode_labels(A, output), max(A.shape[1], 2)).tolist()
    return {"confusion": C, "macro_f1": _macro_f1(C)}


def _macro_f1(C: list[list[int]]) -> float:
    """The mean over classes of F1 = 2 C[c][c] / (row c + column c), 0 for 0 / 0, in plain Python:
    for a few classes it is 10x faster than ``precision_recall_f1``'s NumPy (this runs every epoch)."""
    columns = [sum(column) for column in zip(*C)]
    f1 = [2 * row[c] / (sum(row) + columns[c]) if sum(row) + columns[c] else 0.0 for c, row in enumerate(C)]
    return sum(f1) / len(f1)


def record_metrics(train: dict[str, Any], val: dict[str, Any] | None) -> dict[str, Any]:
    """The history record's metric entries: ``train``'s keys prefixed ``train_``, ``val``'s ``val_``
    (the same keys with None when there is no validation set)."""
    if not isinstance(train, dict) or not (val is None or isinstance(val, dict)):
        raise ValueError(
            f"train and val must be dicts (val may be None); got {type(train).__name__}, {type(val).__name__}"
        )
    return {
        **{f"train_{key}": value for key, value in train.items()},
        **{f"val_{key}": None if val is None else val[key] for key in train},
    }
