"""AppTest: the Playground page shows the metrics. The live charts' payload carries the confusion
matrix (or RMSE, MAE and R²) in every frame and says in its spec what to draw beside the loss; the
table under the charts holds precision, recall and F1 per class, of the model now."""

import json

import pytest

from playground.core.scores import class_rows
from playground.live import metrics_panel
from tests.playground.live.test_page import SMALL, experiment, live_data, open_app


def table(at, label):
    (expander,) = [e for e in at.expander if e.label == label]
    (frame,) = expander.dataframe
    return frame.value


def test_the_confusion_matrix_and_the_per_class_table_show_and_follow_training():
    at = open_app(SMALL)
    data = live_data(at)
    assert data["spec"]["metrics"]["kind"] == "confusion" and data["spec"]["metrics"]["labels"] == ["0", "1"]
    (shown,) = data["frames"]["metrics"]
    assert shown["epoch"] == 0 and shown["set"] == "test"
    for _ in range(2):
        at.button(key="step").click().run()
    record = experiment(at).trainer.history[-1]
    (shown,) = live_data(at)["frames"]["metrics"]
    assert shown == {"epoch": 2, "set": "test", "confusion": record["val_confusion"]}
    rows = table(at, metrics_panel.LABEL)
    expected = class_rows(record["val_confusion"])
    assert rows["class"].tolist() == ["class 0", "class 1"]
    assert rows["F1"].tolist() == pytest.approx([r["F1"] for r in expected], rel=1e-12)
    assert rows["support"].sum() == sum(map(sum, record["val_confusion"]))


def test_regression_shows_rmse_mae_and_r2_of_both_sets():
    at = open_app({**SMALL, "data": "plane"})
    assert experiment(at).config.task == "regression"
    at.button(key="step").click().run()
    data = live_data(at)
    assert data["spec"]["metrics"] == {"kind": "regression"}
    (shown,) = data["frames"]["metrics"]
    record = experiment(at).trainer.history[-1]
    assert shown["train_rmse"] == pytest.approx(record["train_rmse"])
    assert shown["val_r2"] == pytest.approx(record["val_r2"])
    rows = table(at, metrics_panel.REGRESSION_LABEL)
    assert rows["metric"].tolist() == ["RMSE", "MAE", "R²"]
    assert rows["test"].tolist() == pytest.approx([record["val_rmse"], record["val_mae"], record["val_r2"]])


def test_without_the_live_component_the_heatmap_is_a_plotly_chart(monkeypatch):
    monkeypatch.setenv("NN_PLAYGROUND_LIVE", "0")
    at = open_app(SMALL)
    at.button(key="step").click().run()
    (chart,) = [e for e in at.get("plotly_chart") if "pg_confusion" in e.proto.id]
    z = json.loads(chart.proto.spec)["data"][0]["z"]
    assert z == experiment(at).trainer.history[-1]["val_confusion"]


def test_while_training_runs_the_table_waits_for_a_pause():
    """A dataframe serialized on every tick slowed a class of 30 (most ticks' charts were dropped):
    while Play runs the expander says the table comes on pause; pausing brings it back."""
    at = open_app(SMALL)
    at.button(key="play").click().run()
    (expander,) = [e for e in at.expander if e.label == metrics_panel.LABEL]
    assert not expander.dataframe and expander.caption[0].value == metrics_panel.PAUSED_ONLY
    at.button(key="pause").click().run()
    assert len(table(at, metrics_panel.LABEL)) == 2
