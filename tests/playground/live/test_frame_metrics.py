"""The metrics a frame carries (``static/frame_format.json`` "packing" "metrics"): the confusion matrix
of the test set (or the training set when every point trains) for classification, RMSE, MAE and R²
for regression, each checked against nn_core.metrics recomputed from the model, JSON-ready."""

import dataclasses
import json
from pathlib import Path

import numpy as np

from nn_core import metrics
from nn_core.losses import decode_labels
from playground.core.config import Config
from playground.core.experiment import Experiment
from playground.figures.confusion import confusion_colorscale
from playground.live import frames, specs

FORMAT = json.loads((Path(__file__).resolve().parents[3] / "static" / "frame_format.json").read_text())
SMALL = Config(n_samples=60, hidden=(3,), batch_size=0)
SPIRAL = dataclasses.replace(SMALL, dataset="spiral", n_classes=3, head="softmax_ce", hidden=(6,))
PLANE = dataclasses.replace(SMALL, dataset="plane", head="linear_mse")


def packed_metrics(exp):
    packed = json.loads(json.dumps(frames.pack_frames([frames.snapshot(exp)])))  # as the browser gets it
    return packed["metrics"][0]


def confusion_now(exp, X, y):
    k = max(exp.model.layer_sizes[-1], 2)
    return metrics.confusion_matrix(y, decode_labels(exp.model.forward(X), exp.model.output), k).tolist()


def test_the_format_documents_the_metrics_packing():
    about = FORMAT["packing"]["metrics"]
    assert "confusion" in about and "train_rmse" in about and "val_r2" in about


def test_a_frame_carries_the_test_sets_confusion_matrix_at_every_epoch():
    """Epoch 0 (from the initial weights) and after training: the test set's matrix of the model now."""
    exp = Experiment(SPIRAL)
    (_, X_test), (_, _, _, y_test) = exp.inputs, exp.points
    for epochs in (0, 7):
        exp.train(epochs)
        got = packed_metrics(exp)
        assert got == {"epoch": exp.epoch, "set": "test", "confusion": confusion_now(exp, X_test, y_test)}
        assert len(got["confusion"]) == 3 and sum(map(sum, got["confusion"])) == len(y_test)


def test_without_test_points_the_training_sets_matrix_is_shown():
    """(A set drawn by hand can have no test points; here the test points are taken away by hand.)"""
    exp = Experiment(SMALL)
    exp.points = (exp.points[0], exp.points[0][:0], exp.points[2], exp.points[2][:0])
    exp.inputs = (exp.inputs[0], exp.inputs[0][:0])
    (X_train, _), (_, _, y_train, _) = exp.inputs, exp.points
    for epochs in (0, 3):
        exp.train(epochs)
        got = packed_metrics(exp)
        assert got["set"] == "train" and got["confusion"] == confusion_now(exp, X_train, y_train)


def test_a_regression_frame_carries_rmse_mae_and_r2_of_both_sets():
    exp = Experiment(PLANE)
    exp.train(5)
    (X_train, X_test), (_, _, y_train, y_test) = exp.inputs, exp.points
    got = packed_metrics(exp)
    for prefix, X, y in (("train", X_train, y_train), ("val", X_test, y_test)):
        expected = metrics.regression_metrics(y, exp.model.forward(X)[:, 0])
        for key, value in expected.items():
            assert np.isclose(got[f"{prefix}_{key}"], value, rtol=1e-6)
    assert set(got) == {"epoch", *(f"{p}_{k}" for k in ("rmse", "mae", "r2") for p in ("train", "val"))}


def test_the_spec_says_what_to_draw_beside_the_loss():
    """Classification: a heatmap template with one label per class; regression: the table."""
    spiral = specs.spec(Experiment(SPIRAL), show_test=False, discretize=False, rev="r")["metrics"]
    assert spiral["kind"] == "confusion" and spiral["labels"] == ["0", "1", "2"]
    assert spiral["figure"]["data"][0]["type"] == "heatmap"
    # the heatmap's colours in a dark theme (confusion.js picks them when the page is dark)
    assert spiral["colorscale_dark"] == [list(step) for step in confusion_colorscale(dark=True)]
    assert spiral["colorscale_dark"] != spiral["figure"]["data"][0]["colorscale"]
    plane = specs.spec(Experiment(PLANE), show_test=False, discretize=False, rev="r")["metrics"]
    assert plane == {"kind": "regression"}
    binary = specs.metrics_spec(Experiment(SMALL))  # one sigmoid output: still two classes
    assert binary["labels"] == ["0", "1"]
