"""The metrics the page shows beside the loss: the confusion matrix with precision, recall and F1 per
class for classification; RMSE, MAE and R² of the training and the test set for regression.

No Streamlit here. They come from the newest history record (``nn_core.metrics`` adds them to every
epoch's record); before the first epoch, from the initial weights. The confusion matrix shown is the
test set's, or the training set's when every point trains (``set``).
"""

import numpy as np

from nn_core import metrics
from nn_core.training_data import prepare

REGRESSION_KEYS = tuple(f"{prefix}_{key}" for key in metrics.REGRESSION_KEYS for prefix in ("train", "val"))


def shown_metrics(exp):
    """What the metrics panel shows for ``exp`` now, JSON-ready (and what a live frame carries):

    classification: {"epoch", "set": "test" or "train", "confusion": k x k nested lists of ints};
    regression: {"epoch", "train_rmse", "val_rmse", "train_mae", "val_mae", "train_r2", "val_r2"},
    each a finite float or None (no test set, or a diverged value). None when there are no points.
    """
    record = exp.metrics()
    if "train_confusion" not in record and "train_rmse" not in record:
        record = {**record, **_initial(exp)}  # epoch 0: no record yet
    if exp.config.task == "regression":
        return {"epoch": exp.epoch, **{key: _finite(record.get(key)) for key in REGRESSION_KEYS}}
    for key, name in (("val_confusion", "test"), ("train_confusion", "train")):
        if record.get(key) is not None:
            return {"epoch": exp.epoch, "set": name, "confusion": record[key]}
    return None


def _initial(exp):
    """The metrics of the initial weights (prefixed train_ and val_), computed as the trainer would;
    {} without training points (a drawn set may have none, or no test points)."""
    (X_train, X_test), (_, _, y_train, y_test) = exp.inputs, exp.points
    if not len(y_train):
        return {}
    test = _scored(exp, X_test, y_test) if len(y_test) else None
    return metrics.record_metrics(_scored(exp, X_train, y_train), test)


def _scored(exp, X, y):
    data = prepare(exp.model, X, y, loss=exp.trainer.loss, names=("X", "y"))
    with np.errstate(all="ignore"):
        return metrics.epoch_metrics(exp.model.forward(data.X), data, exp.model.output)


def _finite(value):
    return None if value is None or not np.isfinite(value) else float(value)


def class_rows(confusion, class_names=()):
    """Precision, recall, F1 and support of every class of ``confusion`` (rows true, columns
    predicted), one dict per class, named by ``class_names`` or "class k"."""
    precision, recall, f1 = metrics.precision_recall_f1(confusion)
    support = np.asarray(confusion).sum(axis=1)
    names = (
        list(class_names) if len(class_names) == len(support) else [f"class {c}" for c in range(len(support))]
    )
    return [
        {"class": name, "precision": p, "recall": r, "F1": f, "support": int(s)}
        for name, p, r, f, s in zip(names, precision.tolist(), recall.tolist(), f1.tolist(), support)
    ]
