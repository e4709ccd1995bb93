"""The metrics the page shows: from the newest history record, or the initial weights at epoch 0; the
per-class table's numbers against a worked example."""

import dataclasses

import pytest

from playground.core import scores
from playground.core.config import Config
from playground.core.experiment import Experiment

SMALL = Config(n_samples=60, hidden=(3,), batch_size=0)


def test_class_rows_worked_by_hand():
    """C = [[1, 1, 0], [0, 2, 0], [1, 0, 2]] (tests/nn_core/test_metrics.py works it out)."""
    rows = scores.class_rows([[1, 1, 0], [0, 2, 0], [1, 0, 2]], ("a", "b", "c"))
    assert [r["class"] for r in rows] == ["a", "b", "c"] and [r["support"] for r in rows] == [2, 2, 3]
    assert [r["precision"] for r in rows] == pytest.approx([1 / 2, 2 / 3, 1.0])
    assert [r["recall"] for r in rows] == pytest.approx([1 / 2, 1.0, 2 / 3])
    assert [r["F1"] for r in rows] == pytest.approx([0.5, 0.8, 0.8])
    assert scores.class_rows([[1, 0], [0, 1]])[1]["class"] == "class 1"


def test_shown_metrics_follow_the_history():
    exp = Experiment(SMALL)
    exp.train(4)
    record = exp.trainer.history[-1]
    assert scores.shown_metrics(exp) == {"epoch": 4, "set": "test", "confusion": record["val_confusion"]}


def test_regression_metrics_drop_non_finite_values():
    exp = Experiment(dataclasses.replace(SMALL, dataset="plane", head="linear_mse"))
    exp.train(2)
    exp.trainer.history[-1] = {**exp.trainer.history[-1], "val_r2": float("nan"), "val_mae": None}
    shown = scores.shown_metrics(exp)
    assert shown["val_r2"] is None and shown["val_mae"] is None and shown["train_rmse"] > 0
