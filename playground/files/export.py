"""Take it home: the data, the loss history and the weights of a run, as files.

No Streamlit here (``export_panel`` puts these behind download buttons). Every function reads an
``Experiment`` (or a ``Snapshot`` of one: the same attributes, copied) and returns the file's bytes:

- ``data_csv``: the raw 2-D points (not the expanded features), one row each: x1, x2, label (or
  target, for regression), split (train/test). ``xor_table`` trains and tests on the same 4 points,
  so they appear twice.
- ``history_csv``: one row per epoch: epoch, train_loss, test_loss, train_accuracy, test_accuracy
  (empty cells for regression's accuracies), learning_rate (the rate the epoch used), then the
  metrics of ``nn_core.metrics`` flattened (``metric_columns``): classification train/test macro F1
  and each class's precision, recall and F1 (``test_f1_2``: class 2), computed from the recorded
  confusion matrices; regression train/test RMSE, MAE and R².
- ``weights_json`` / ``weights_npz``: ``format``, ``version``, ``layer_sizes``, ``activation``,
  ``output``, ``config`` (the URL query of ``config.to_query``: a dict in JSON, the query string in the
  npz), ``epoch``, ``data_digest`` (a fingerprint of the points, so resuming can tell the same data),
  and ``W1, b1, ..., Wn, bn``. Both read back bit for bit (JSON floats are the exact
  float32 values as Python floats).

Reading a weights file back and resuming from it is ``playground.files.weights_in``; the standalone NumPy
script of a run is ``playground.files.export_script``.
"""

import hashlib
import io
import json
import urllib.parse
from types import MappingProxyType
from typing import NamedTuple

import numpy as np
import pandas as pd

import nn_core
import nn_core.metrics
from playground.core.config import to_query

FORMAT, VERSION = "nn-playground-weights", 1
META_KEYS = ("format", "version", "layer_sizes", "activation", "output", "config", "epoch", "data_digest")


class Records(NamedTuple):
    """The part of a trainer the exports read."""

    history: list
    epoch: int


class Snapshot(NamedTuple):
    """A copy of what the exports read from an ``Experiment``: safe to read later (or from another
    thread) while the experiment trains on. Points are never changed in place, so they are shared."""

    config: object
    points: tuple
    model: nn_core.MLP
    trainer: Records
    names: tuple = ()  # the classes' names (an uploaded file's), or ()

    @property
    def epoch(self):
        return self.trainer.epoch

    def class_names(self):
        return self.names


def snapshot(exp):
    """Freeze ``exp`` for export: a copy of the model, the history list as it is now, the epoch."""
    records = Records(list(exp.trainer.history), exp.epoch)  # records are never changed once added
    return Snapshot(exp.config, exp.points, exp.model.copy(), records, exp.class_names())


def file_name(exp, kind):
    """The download's name, e.g. ``nn-playground-circles-epoch120-weights.npz``.

    ``kind``: "data" (.csv), "history" (.csv), "weights.json", "weights.npz" or "script" (.py)."""
    stem = f"nn-playground-{exp.config.dataset.replace('_', '-')}"
    if kind == "data":
        return f"{stem}-data.csv"
    epoch = f"epoch{max(exp.epoch, 1) if kind == 'script' else exp.epoch}"
    names = {"history": "history.csv", "weights.json": "weights.json", "weights.npz": "weights.npz"}
    return f"{stem}-{epoch}.py" if kind == "script" else f"{stem}-{epoch}-{names[kind]}"


# --- CSV ------------------------------------------------------------------------------------------
def data_csv(exp):
    """The raw points as CSV (UTF-8): x1, x2, label (int) or target (float), split; and the class's
    name when the data came from a file that names its classes."""
    X_train, X_test, y_train, y_test = exp.points
    column = "target" if exp.config.task == "regression" else "label"
    names = exp.class_names()

    def part(X, y, split):
        columns = {"x1": X[:, 0], "x2": X[:, 1], column: y}
        if names:
            columns["class"] = [names[int(k)] for k in y]
        return pd.DataFrame(columns | {"split": split})

    parts = [part(*args) for args in ((X_train, y_train, "train"), (X_test, y_test, "test"))]
    return pd.concat(parts, ignore_index=True).to_csv(index=False).encode("utf-8")


def history_csv(exp):
    """The loss history as CSV (UTF-8), one row per epoch; None (no accuracy) is an empty cell."""
    frame = pd.DataFrame.from_records(exp.trainer.history, columns=list(_HISTORY_COLUMNS))
    frame = frame.rename(columns=_HISTORY_COLUMNS).astype({"epoch": "int64"})
    columns = metric_columns(exp.config.task, exp.model.layer_sizes[-1])
    for name, column in zip(columns, zip(*(metric_row(r, columns) for r in exp.trainer.history))):
        frame[name] = column
    frame = frame.reindex(columns=[*_HISTORY_COLUMNS.values(), *columns])  # (no epoch: the header)
    frame = frame.astype({name: "float64" for name in frame.columns[1:]})  # None -> NaN -> ""
    return frame.to_csv(index=False, na_rep="").encode("utf-8")


# history record key -> CSV column ("val" is the trainer's word; the app calls it test data)
_HISTORY_COLUMNS = MappingProxyType(
    {
        "epoch": "epoch",
        "train_loss": "train_loss",
        "val_loss": "test_loss",
        "train_accuracy": "train_accuracy",
        "val_accuracy": "test_accuracy",
        "learning_rate": "learning_rate",  # the rate the epoch used (its schedule's)
    }
)


def metric_columns(task, n_outputs):
    """The history CSV's metric columns, after the loss and accuracy ones ("val" is "test" here)."""
    if task == "regression":
        return [f"{s}_{m}" for m in nn_core.metrics.REGRESSION_KEYS for s in ("train", "test")]
    classes = range(max(n_outputs, 2))
    per_class = [
        f"{s}_{m}_{c}" for s in ("train", "test") for m in ("precision", "recall", "f1") for c in classes
    ]
    return ["train_macro_f1", "test_macro_f1", *per_class]


def metric_row(record, columns):
    """One record's values of ``columns`` (None for a missing set or a non-finite value)."""
    values = {}
    for s, prefix in (("train", "train"), ("test", "val")):
        confusion = record.get(f"{prefix}_confusion")
        if confusion is not None:
            for name, scores in zip(
                ("precision", "recall", "f1"), nn_core.metrics.precision_recall_f1(confusion)
            ):
                values |= {f"{s}_{name}_{c}": v for c, v in enumerate(scores.tolist())}
        for key in ("macro_f1", *nn_core.metrics.REGRESSION_KEYS):
            values[f"{s}_{key}"] = record.get(f"{prefix}_{key}")
    return [values.get(name) for name in columns]


# --- weights out ----------------------------------------------------------------------------------
def _metadata(exp):
    return {
        "format": FORMAT,
        "version": VERSION,
        "layer_sizes": list(exp.model.layer_sizes),
        "activation": activation_text(exp.model),
        "output": exp.model.output,
        "config": to_query(exp.config),
        "epoch": exp.epoch,
        "data_digest": data_digest(exp.points),
    }


def activation_text(model):
    """The hidden activation as a weights file spells it: its name, or for a network with one per
    layer their names joined by commas ("relu,swish,sine")."""
    return model.activation if isinstance(model.activation, str) else ",".join(model.hidden_activations)


def data_digest(points):
    """A fingerprint of the data (train and test points and labels): the first 12 hex digits of a
    sha256. It tells a weights file's data from another, an uploaded file's included."""
    sha = hashlib.sha256()
    for array in points:
        sha.update(np.ascontiguousarray(array).tobytes())
    return sha.hexdigest()[:12]


def weights_json(exp):
    """The weights as UTF-8 JSON: the metadata, then ``W1``/``b1``... as nested lists of floats
    (each float32 written as the Python float of the same value, so it reads back exactly)."""
    document = _metadata(exp)
    for i, (W, b) in enumerate(zip(exp.model.weights, exp.model.biases), start=1):
        document[f"W{i}"], document[f"b{i}"] = W.tolist(), b.tolist()
    return json.dumps(document, allow_nan=False).encode("utf-8")


def weights_npz(exp):
    """The weights as a compressed ``.npz``: float32 ``W1``/``b1``..., the metadata as plain arrays
    (strings as 0-d unicode arrays, never objects: ``np.load(allow_pickle=False)`` reads it)."""
    meta = _metadata(exp)
    arrays = {
        "format": np.array(FORMAT),
        "version": np.array(VERSION, np.int64),
        "layer_sizes": np.array(meta["layer_sizes"], np.int64),
        "activation": np.array(meta["activation"]),
        "output": np.array(meta["output"]),
        "config": np.array(urllib.parse.urlencode(meta["config"], safe=",")),
        "epoch": np.array(meta["epoch"], np.int64),
        "data_digest": np.array(meta["data_digest"]),
    }
    for i, (W, b) in enumerate(zip(exp.model.weights, exp.model.biases), start=1):
        arrays[f"W{i}"], arrays[f"b{i}"] = np.array(W), np.array(b)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()
