"""The "Compare runs" page: building runs from a base (shared data and seeds, checked overrides,
presets, notes), round-robin training (progress, bit-for-bit equal to an Experiment trained alone,
divergence), the figures (never NaN), and an AppTest of the page whose table is checked against
Experiments trained here."""

import base64
import dataclasses
import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from playground.compare import report, training, widgets
from playground.compare import runs as compare
from playground.core.config import DATA_FIELDS, Config
from playground.core.experiment import Experiment
from playground.figures import compare as figures

APP = str(Path(__file__).resolve().parents[3] / "app.py")
PAGE = "pages/compare.py"
SMALL = Config(dataset="moons", n_samples=60, hidden=(3,), batch_size=10)  # a quick network
REGRESSION = Config(dataset="plane", n_samples=60, hidden=(3,), head="linear_mse")
SHARED = (*DATA_FIELDS, "features", "init_seed")  # what no run may change
TASK_BASES = {  # a base per task
    "binary": SMALL,
    "multiclass": Config(dataset="spiral", n_classes=3, n_samples=60, hidden=(3,), head="softmax_ce"),
    "regression": REGRESSION,
}


def alone(config, n_epochs, upload=None):
    """An Experiment trained on its own, in one call: the independent oracle for every run."""
    exp = Experiment(config, upload=upload)
    exp.train(n_epochs)
    return exp


# --- building runs ---------------------------------------------------------------------------------
def test_build_runs_every_run_shares_the_base_data_and_seeds():
    overrides = [{}, {"optimizer": "adam", "hidden": (8, 8)}, {"activation": "relu", "batch_size": 0}]
    runs, notes = compare.build_runs(SMALL, overrides)
    assert [r.name for r in runs] == ["A", "B", "C"] and notes == []
    for run in runs:
        assert all(getattr(run.config, f) == getattr(SMALL, f) for f in SHARED)
    points = [Experiment(run.config).points for run in runs]
    assert all(np.array_equal(a, b) for other in points[1:] for a, b in zip(points[0], other))
    assert runs[0].differs == "same as base"
    assert runs[1].differs == "Optimizer: Adam; Hidden layers: 8, 8"
    assert runs[2].differs == "Hidden activation: ReLU; Batch size: full batch"


def test_build_runs_with_fewer_than_two_or_more_than_four_runs_raises():
    for overrides in ([{}], [{}] * 5):
        with pytest.raises(ValueError, match="2 to 4 runs; got"):
            compare.build_runs(SMALL, overrides)


@pytest.mark.parametrize(
    "field, value",
    [("dataset", "xor"), ("init_seed", 2), ("learning_rate", 0.5), ("optimizer", "lbfgs"), ("hidden", (0,)),
     ("hidden", (4,) * 9), ("hidden", [4]), ("batch_size", 1.5), ("batch_size", 300), ("dropout", 0.95)],
)  # fmt: skip
def test_build_runs_with_a_shared_field_or_a_value_out_of_range_raises(field, value):
    with pytest.raises(ValueError, match="got"):
        compare.build_runs(SMALL, [{}, {field: value}])


def test_build_runs_a_head_that_does_not_fit_becomes_the_task_default_with_a_note():
    runs, notes = compare.build_runs(REGRESSION, [{}, {"head": "sigmoid_bce"}])
    assert runs[1].config.head == "linear_mse"
    assert "Run B: sigmoid + binary cross-entropy does not fit a regression problem" in notes[0]
    spiral = TASK_BASES["multiclass"]
    runs, notes = compare.build_runs(spiral, [{"head": "tanh_mse"}, {"head": "linear_mse"}])
    assert [r.config.head for r in runs] == ["tanh_mse", "softmax_ce"] and "Run B:" in notes[0]


def test_build_runs_identical_runs_get_a_note():
    _, notes = compare.build_runs(SMALL, [{}, {"optimizer": "adam"}, {"optimizer": SMALL.optimizer}])
    assert notes == ["Runs A, C have the same settings: they train identically and their curves coincide."]
    # L1 at rate 0 is no penalty at all: the same as none, and said so.
    _, notes = compare.build_runs(SMALL, [{}, {"regularization": "l1"}])
    assert notes[0] == "Run B: L1 at rate 0 has no effect." and "Runs A, B" in notes[1]


def test_choices_always_hold_the_base_value():
    base = dataclasses.replace(SMALL, hidden=(5, 3), batch_size=17, dropout=0.25)
    assert compare.choices("hidden", base)[:4] == ((), (4,), (8,), (4, 4)) and (5, 3) in compare.choices(
        "hidden", base
    )
    assert compare.choices("batch_size", base) == (0, 1, 10, 17, 32, 64, 256)
    assert compare.choices("dropout", base) == (0.0, 0.1, 0.2, 0.25, 0.3, 0.5)
    assert compare.choices("learning_rate", base)[0] == 0.00001
    assert compare.format_value("head", "linear_mse", "binary") == "linear + MSE (not for binary)"


@pytest.mark.parametrize("task", list(TASK_BASES))
def test_every_preset_that_applies_builds_distinct_valid_runs(task):
    base = TASK_BASES[task]
    for name in compare.available_presets(task):
        runs, notes = compare.build_runs(base, compare.preset_overrides(name, task))
        assert notes == [], (name, notes)
        assert compare.MIN_RUNS <= len(runs) <= compare.MAX_RUNS
    if task == "regression":
        with pytest.raises(ValueError, match="got 'losses'"):
            compare.preset_overrides("losses", task)


# --- the widgets' state ----------------------------------------------------------------------------
def test_widget_state_opens_on_a_preset_keeps_overrides_and_follows_the_base():
    state = {}
    widgets.seed_widgets(state, SMALL)
    assert state["cmp_n_runs"] == 3 and state[widgets.widget_key(2, "optimizer")] == "adam"
    state[widgets.widget_key(1, "learning_rate")] = 0.3  # the user picks a value
    overrides = widgets.read_overrides(state, SMALL)
    assert overrides == [
        {"optimizer": "sgd"},
        {"optimizer": "momentum", "learning_rate": 0.3},
        {"optimizer": "adam"},
    ]
    adam_base = dataclasses.replace(SMALL, optimizer="adam", learning_rate=0.01)
    widgets.seed_widgets(state, adam_base)  # the Playground changed: what the runs did not set follows it
    assert [state[widgets.widget_key(i, "optimizer")] for i in range(3)] == ["sgd", "momentum", "adam"]
    assert [state[widgets.widget_key(i, "learning_rate")] for i in range(3)] == [0.01, 0.3, 0.01]
    widgets.apply_preset(state, adam_base, "activations")
    assert state["cmp_n_runs"] == 2 and state["cmp_overrides"][:2] == [
        {"activation": "tanh"},
        {"activation": "relu"},
    ]
    assert [state[widgets.widget_key(i, "activation")] for i in range(2)] == ["tanh", "relu"]


# --- training --------------------------------------------------------------------------------------
def test_train_round_robin_advances_all_runs_together_with_progress_up_to_1():
    exps = [Experiment(SMALL), Experiment(dataclasses.replace(SMALL, optimizer="adam"))]
    calls = []
    trained = training.train_round_robin(
        exps, 25, names=["A", "B"], chunks=5, progress=lambda *a: calls.append(a)
    )
    assert trained == [25, 25] and [e.epoch for e in exps] == [25, 25]
    fractions = [f for f, _ in calls]
    # The first chunk is one epoch (it times the run), then chunks of 5: 1, 6, 11, 16, 21, 25.
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(calls) == 12
    assert [text for _, text in calls[:4]] == [f"Run {r}: epoch {e} of 25" for e in (1, 6) for r in "AB"]


def test_train_round_robin_stops_at_its_time_budget():
    exps = [Experiment(SMALL), Experiment(dataclasses.replace(SMALL, optimizer="adam"))]
    calls = []
    trained = training.train_round_robin(exps, 2000, progress=lambda *a: calls.append(a), budget=0.0)
    assert trained == [0, 0]  # the budget was spent before the first chunk
    assert calls[-1] == (1.0, "Stopped by the 0 s time budget")


def test_train_runs_results_equal_experiments_trained_alone_bit_for_bit():
    overrides = [
        {},
        {"optimizer": "adam", "dropout": 0.2},
        {"batch_size": 0, "regularization": "l2", "reg_rate": 0.01},
    ]
    runs, _ = compare.build_runs(SMALL, overrides)
    results = training.train_runs(runs, 23, chunks=4)  # chunks of 6: the last one is shorter
    assert results.key == training.settings_key(runs, 23) and results.task == "binary"
    for run, result in zip(runs, results.runs):
        oracle = alone(run.config, 23)
        assert result.history == oracle.trainer.history  # every epoch's record, exactly
        assert np.array_equal(result.boundary, oracle.boundary_values())
        assert result.epochs == 23 and result.diverged_epoch is None and result.seconds > 0
    row = report.table_rows(results)[1]
    assert row["test_loss"] == alone(runs[1].config, 23).trainer.history[-1]["val_loss"]


def test_train_runs_a_diverged_run_stops_is_reported_and_never_gives_nan():
    runs, _ = compare.build_runs(REGRESSION, [{"learning_rate": 0.01}, {"learning_rate": 10.0}])
    calls = []
    results = training.train_runs(runs, 40, progress=lambda *a: calls.append(a))
    stable, wild = results.runs
    assert stable.epochs == 40 and stable.diverged_epoch is None
    assert wild.diverged_epoch == alone(runs[1].config, 40).trainer.diverged_epoch is not None
    assert len(wild.history) == wild.epochs == wild.diverged_epoch - 1
    assert calls[-1][0] == 1.0 and any("diverged at epoch" in text for _, text in calls)
    row = report.table_rows(results)[1]
    assert row["diverged_at"] == wild.diverged_epoch and "train_accuracy" not in row
    assert np.isfinite([r["val_loss"] for r in wild.history]).all() and np.isfinite(wild.boundary).all()
    assert report.divergence_notes(results)[0].startswith(f"Run B diverged at epoch {wild.diverged_epoch}")
    assert report.boundary_title(wild, "regression").endswith(f", diverged at {wild.diverged_epoch}")


def test_a_run_the_shared_stop_rule_stops_says_so_and_where():
    """The base's stop rule is every run's: a run it stops early is done, and the page says why its
    curves end (the epochs column alone would read like the time budget)."""
    base = dataclasses.replace(SMALL, stop_rule="train_loss_below", stop_target=0.4)
    runs, _ = compare.build_runs(base, [{"learning_rate": 0.3}, {"learning_rate": 0.001}])
    calls = []
    results = training.train_runs(runs, 60, progress=lambda *a: calls.append(a))
    fast, slow = results.runs
    oracle = alone(runs[0].config, 60)
    assert fast.epochs == oracle.epoch < 60
    assert fast.stopped_by == oracle.trainer.stopped_by == "train_loss < 0.4"
    assert slow.epochs == 60 and slow.stopped_by is None
    assert report.stop_notes(results) == [
        f"Run A stopped at epoch {fast.epochs}: training loss < 0.4 (the stop rule every run shares; its "
        "curves end there)."
    ]
    assert report.boundary_title(fast, "binary").endswith(f", stopped at {fast.epochs}")
    assert any(f"Run A: stopped at epoch {fast.epochs}" in text for _, text in calls)


def test_train_runs_with_epochs_out_of_range_raises():
    runs, _ = compare.build_runs(SMALL, [{}, {}])
    for n_epochs in (0, training.MAX_EPOCHS + 1, 2.0):
        with pytest.raises(ValueError, match="got"):
            training.train_runs(runs, n_epochs)


# --- figures -------------------------------------------------------------------------------------
def decode(data):
    """A Plotly JSON array: a list, or a base64 typed array {dtype, bdata}."""
    if isinstance(data, dict):
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=np.dtype(data["dtype"]))
    return np.asarray(data, dtype=np.float64)


def assert_finite(spec):
    """No NaN/inf in a figure's JSON: nowhere in the text, nor in any trace's numeric arrays."""
    text = spec if isinstance(spec, str) else json.dumps(spec)
    data = json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} in the figure"))["data"]
    for trace in data:
        for key in ("x", "y", "z", "customdata"):
            if key in trace and not (
                isinstance(trace[key], list) and trace[key] and isinstance(trace[key][0], str)
            ):
                assert np.isfinite(decode(trace[key])).all(), (trace.get("name"), key)


def record(epoch, loss, accuracy):
    return dict(epoch=epoch, train_loss=loss, val_loss=loss, train_accuracy=accuracy, val_accuracy=accuracy)


def test_figures_keep_nan_inf_and_zero_off_the_charts_and_mark_divergence():
    messy = [record(1, 0.5, 0.5), record(2, np.nan, None), record(3, np.inf, np.inf), record(4, 0.0, 1.0)]
    runs = [
        dict(name="A", history=messy, diverged_epoch=None),
        dict(name="B", history=[record(1, 2.0, 0.4), record(2, 1e30, 0.5)], diverged_epoch=3),
        dict(name="C", history=[], diverged_epoch=1),  # diverged in its first epoch: nothing to draw
    ]
    loss = figures.compare_loss_figure(runs)
    accuracy = figures.compare_accuracy_figure(runs)
    for fig in (loss, accuracy):
        assert_finite(fig.to_json())
    a_test = loss.data[0]
    assert list(a_test.x) == [1, 4] and list(a_test.y) == [0.5, figures.LOSS_FLOOR]
    assert loss.layout.yaxis.type == "log" and loss.layout.yaxis.dtick == 1  # decades only
    assert loss.data[0].line.color == figures.run_color(0)
    marker = [t for t in loss.data if t.name == "B diverged at epoch 3"][0]
    assert list(marker.x) == [2] and list(marker.y) == [1e30]
    empty = figures.compare_accuracy_figure(
        [dict(name="A", history=[record(1, 1.0, None)], diverged_epoch=None)]
    )
    assert "no accuracy" in empty.layout.annotations[0].text


@pytest.mark.parametrize("task", list(TASK_BASES))
def test_run_boundary_figure_has_no_nan_and_no_legend(task):
    exp = Experiment(TASK_BASES[task])
    values = exp.boundary_values().copy()
    values.flat[:3] = (np.nan, np.inf, -np.inf)
    X_train, _, y_train, _ = exp.points
    fig = figures.run_boundary_figure(
        2, xs=exp.grid_axis, values=values, task=task, X_train=X_train, y_train=y_train,
        n_classes=exp.config.classes, title="C: test loss 0.5",
    )  # fmt: skip
    assert_finite(fig.to_json())
    assert fig.layout.showlegend is False and fig.layout.title.font.color == figures.run_color(2)


@pytest.mark.parametrize("task", ["binary", "regression"])
def test_the_table_has_a_column_for_every_field_of_its_rows(task):
    record = {"train_loss": 0.5, "val_loss": 0.6, "train_accuracy": 0.9, "val_accuracy": 0.8}
    run = SimpleNamespace(name="A", differs="-", history=[record], epochs=3, seconds=0.1, diverged_epoch=None)
    rows = report.table_rows(SimpleNamespace(task=task, runs=(run,)))
    assert set(rows[0]) <= set(report.table_columns())
    assert ("train_accuracy" in rows[0]) is (task != "regression")


# --- the page ------------------------------------------------------------------------------------
def open_page(base=None):
    """The page in the app, with ``base`` as the session's Playground config (None: the page is the
    session's first, with no Playground experiment)."""
    at = AppTest.from_file(APP, default_timeout=60)
    if base is not None:
        at.run()  # the Playground first: it would move an experiment set earlier to its own config
        at.session_state["pg_experiment"] = Experiment(base)
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def rerun(at):
    at.run()
    assert not at.exception, at.exception


def select(at, i, field, value):
    at.selectbox(key=widgets.widget_key(i, field)).set_value(value)


def chart(at, key):
    for element in at.get("plotly_chart"):
        if element.proto.id.endswith(key):
            return json.loads(element.proto.spec)
    raise AssertionError(f"no chart {key!r}")


def has_results(at):
    return bool(at.dataframe) and any(e.proto.id.endswith("cmp_loss_chart") for e in at.get("plotly_chart"))


def test_page_opens_on_the_defaults_with_sgd_momentum_adam_and_asks_for_training():
    at = open_page()
    assert at.title[0].value == "Compare runs"
    assert at.caption[0].value.startswith("Base: the defaults") and "data seed 1" in at.caption[0].value
    assert at.radio(key="cmp_n_runs").value == 3 and at.number_input(key="cmp_epochs").value == 300
    assert [at.selectbox(key=widgets.widget_key(i, "optimizer")).value for i in range(3)] == [
        "sgd",
        "momentum",
        "adam",
    ]
    assert at.info[-1].value == "Press Train to train the runs." and not has_results(at)


# Every per-run control, with a value to pick in some run: (run, field, value).
PICKS = [
    (0, "learning_rate", 0.1), (1, "activation", "relu"), (1, "init", "he"), (2, "hidden", (8, 8)),
    (2, "batch_size", 0), (3, "regularization", "l2"), (3, "reg_rate", 0.01), (3, "dropout", 0.1),
    (0, "optimizer", "rmsprop"), (1, "head", "softmax_ce"),
]  # fmt: skip


def test_small_training_run_table_matches_experiments_trained_in_the_test():
    at = open_page(SMALL)
    assert (
        at.caption[0].value.startswith("Base: your Playground settings")
        and "moons, 60 points" in at.caption[0].value
    )
    at.radio(key="cmp_n_runs").set_value(4)
    rerun(at)
    for i, field, value in PICKS:
        select(at, i, field, value)
    at.number_input(key="cmp_epochs").set_value(15)
    rerun(at)
    at.button(key="cmp_train").click()
    rerun(at)
    # The opening preset's optimizers for A-C, the base for D; then the picks: built here independently.
    configs = [dataclasses.replace(SMALL, optimizer=o) for o in ("sgd", "momentum", "adam", SMALL.optimizer)]
    for i, field, value in PICKS:
        configs[i] = dataclasses.replace(configs[i], **{field: value})
    table = at.dataframe[0].value
    assert list(table["run"]) == ["A", "B", "C", "D"]
    assert table["differs"][3] == "Regularization: L2 0.01; Dropout: 0.1"
    for (_, row), config in zip(table.iterrows(), configs):
        last = alone(config, 15).trainer.history[-1]
        for column in ("train_loss", "test_loss", "train_accuracy", "test_accuracy"):
            assert row[column] == last[column.replace("test", "val")], (row["run"], column)
        assert row["epochs"] == 15 and row["epochs_per_second"] > 0 and row["diverged_at"] is None
    loss, accuracy = chart(at, "cmp_loss_chart"), chart(at, "cmp_accuracy_chart")
    assert len(loss["data"]) == 8 and len(accuracy["data"]) == 8  # test and train per run
    for i in range(4):
        boundary = chart(at, f"cmp_boundary_{i}")
        test_loss = table["test_loss"][i]
        assert boundary["layout"]["title"]["text"].startswith(f"{'ABCD'[i]}: test loss {test_loss:.4g}")
        assert_finite(boundary)
    assert_finite(loss)
    assert_finite(accuracy)


def test_changing_any_setting_hides_the_results_until_they_are_true_again():
    at = open_page(SMALL)
    at.number_input(key="cmp_epochs").set_value(5)
    rerun(at)
    at.button(key="cmp_train").click()
    rerun(at)
    before = at.dataframe[0].value
    changes = [  # (widget kind, key, another value, the trained value)
        ("selectbox", widgets.widget_key(1, "dropout"), 0.3, 0.0),
        ("number_input", "cmp_epochs", 6, 5),
        ("radio", "cmp_n_runs", 2, 3),
    ]
    for kind, key, other, trained in changes:
        getattr(at, kind)(key=key).set_value(other)
        rerun(at)
        assert not has_results(at) and "settings changed" in at.warning[0].value, key
        getattr(at, kind)(key=key).set_value(trained)
        rerun(at)
        assert not at.warning and at.dataframe[0].value.drop(columns="epochs_per_second").equals(
            before.drop(columns="epochs_per_second")
        )


def test_every_preset_button_fills_the_runs():
    at = open_page(SMALL)
    for name in compare.PRESETS:
        at.button(key=f"cmp_preset_{name}").click()
        rerun(at)
        want = compare.preset_overrides(name, "binary")
        assert at.radio(key="cmp_n_runs").value == len(want), name
        for i, changes in enumerate(want):
            for field, value in changes.items():
                assert at.selectbox(key=widgets.widget_key(i, field)).value == value, (name, i, field)
        assert not at.info[:-1], [n.value for n in at.info]  # no notes: the runs are distinct and valid


def test_notes_for_identical_runs_and_a_head_that_does_not_fit():
    at = open_page(SMALL)
    select(at, 2, "optimizer", "momentum")
    select(at, 0, "head", "linear_mse")
    rerun(at)
    notes = [n.value for n in at.info]
    assert "Run A: linear + MSE does not fit a binary problem; using sigmoid + binary cross-entropy." in notes
    assert "Runs B, C have the same settings: they train identically and their curves coincide." in notes


def test_regression_with_a_diverging_run_shows_it_as_diverged_without_accuracy():
    at = open_page(REGRESSION)
    assert at.button(key="cmp_preset_losses").disabled
    at.radio(key="cmp_n_runs").set_value(2)
    select(at, 0, "optimizer", "sgd")
    select(at, 1, "optimizer", "sgd")
    select(at, 1, "learning_rate", 10.0)
    at.number_input(key="cmp_epochs").set_value(30)
    rerun(at)
    at.button(key="cmp_train").click()
    rerun(at)
    diverged_at = alone(dataclasses.replace(REGRESSION, learning_rate=10.0), 30).trainer.diverged_epoch
    assert f"Run B diverged at epoch {diverged_at}" in at.warning[0].value
    table = at.dataframe[0].value
    assert table["diverged_at"][1] == diverged_at and "train_accuracy" not in table
    assert not any(e.proto.id.endswith("cmp_accuracy_chart") for e in at.get("plotly_chart"))
    loss = chart(at, "cmp_loss_chart")
    assert_finite(loss)
    assert any(t["name"] == f"B diverged at epoch {diverged_at}" for t in loss["data"])


def test_a_new_playground_base_moves_the_runs_and_hides_old_results():
    at = open_page(SMALL)
    select(at, 1, "learning_rate", 0.3)
    at.number_input(key="cmp_epochs").set_value(5)
    rerun(at)
    at.button(key="cmp_train").click()
    rerun(at)
    at.session_state["pg_experiment"] = Experiment(dataclasses.replace(SMALL, activation="relu"))
    rerun(at)
    assert [at.selectbox(key=widgets.widget_key(i, "activation")).value for i in range(3)] == ["relu"] * 3
    assert at.selectbox(key=widgets.widget_key(1, "learning_rate")).value == 0.3  # the run's own change stays
    assert not has_results(at) and "settings changed" in at.warning[0].value


def test_uploaded_data_is_the_data_of_every_run():
    rng = np.random.default_rng(0)
    X = rng.uniform(-5, 5, (50, 2))
    upload = SimpleNamespace(X=X, y=(X[:, 0] > 0).astype(np.int64), name="mine.csv", digest="abc")
    base = Config(dataset="upload", upload_task="binary", hidden=(3,))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.session_state["pg_experiment"] = Experiment(base, upload=upload)
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert "your file mine.csv, 50 points" in at.caption[0].value
    at.number_input(key="cmp_epochs").set_value(4)
    at.button(key="cmp_train").click()
    rerun(at)
    want = alone(dataclasses.replace(base, optimizer="adam"), 4, upload).trainer.history[-1]["val_loss"]
    assert at.dataframe[0].value["test_loss"][2] == want


def test_a_run_may_use_a_learning_rate_schedule_and_trains_with_it():
    """The schedule is a run setting (its period and lowest rate: the base's): that run's epochs use
    the scheduled rate, the other's stay at the learning rate."""
    base = dataclasses.replace(SMALL, schedule_period=2, schedule_factor=0.5)
    runs, notes = compare.build_runs(base, [{}, {"schedule": "step"}])
    assert notes == [] and runs[1].differs == "Learning-rate schedule: step decay (× factor every period)"
    constant, step = training.train_runs(runs, 4).runs
    assert [r["learning_rate"] for r in constant.history] == [0.03] * 4
    assert [r["learning_rate"] for r in step.history] == [0.03, 0.03, 0.015, 0.015]


def test_a_runs_activation_replaces_a_base_with_one_activation_per_layer():
    """Base: relu / sine layers. A run that picks tanh uses tanh in every layer; a run that keeps the
    base's activation keeps its layers' own."""
    base = Config(hidden=(4, 4), layer_activations=("relu", "sine"))
    (a, b), notes = compare.build_runs(base, [{"activation": "tanh"}, {"learning_rate": 0.1}])
    assert notes == []
    assert a.config.hidden_activations == ("tanh", "tanh") and a.config.layer_activations == ()
    assert b.config.hidden_activations == ("relu", "sine")
