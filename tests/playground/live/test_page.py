"""AppTest of the Playground page: every control acts, Step/Reset/Play behave, links restore state.

AppTest runs the fragment once per ``run()`` and does not simulate ``run_every``; a "tick" is one
``at.run()`` while the running flag is set.
"""

import json
import urllib.parse
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from playground.core import catalog
from playground.core.config import SPEEDS, Config, to_query
from playground.live.pacing import MAX_FRAMES
from tests.playground.core.test_config import EVERYTHING_SET

APP = str(Path(__file__).resolve().parents[3] / "app.py")
SMALL = {"points": "60", "hidden": "3", "batch": "0"}  # fast runs


def open_app(query=None):
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def experiment(at):
    return at.session_state["pg_experiment"]


def live_data(at):
    """The payload of the live charts component (its ``data``, as the browser receives it)."""
    (element,) = at.get("bidi_component")
    return json.loads(element.proto.json)


def chart_spec(at, key):
    """The Plotly figure JSON of the chart with this key (AppTest does not render Plotly); the live
    component's spec for that chart unless the page fell back to st.plotly_chart."""
    if at.get("bidi_component"):
        return live_data(at)["spec"][key]["figure"]
    for element in at.get("plotly_chart"):
        if element.proto.id and key in element.proto.id:
            return json.loads(element.proto.spec)
    raise AssertionError(f"no chart {key!r}")


def metric(at, label):
    """A counter above the charts as the page shows it: drawn by live_view.js from the live payload
    (the last frame's epoch, the status's rate), or an ``st.metric`` when the page fell back."""
    if at.get("bidi_component"):
        data = live_data(at)
        shown = {"Epoch": str(data["frames"]["epochs"][-1]), "Epochs / s": f"{data['status']['rate']:,.0f}"}
        return shown[label]
    return next(m.value for m in at.metric if m.label == label)


def test_page_loads_with_defaults():
    at = open_app()
    assert at.title[0].value == "NumPy Neural Network Playground"
    assert experiment(at).config == Config()
    assert metric(at, "Epoch") == "0"
    assert not at.metric  # the live view draws the counters: one element per tick for Streamlit
    data = live_data(at)  # the charts are the live component's, drawn in place
    assert not at.get("plotly_chart")
    assert {"boundary", "loss", "network", "weights"} <= set(data["spec"])
    assert data["spec"]["boundary"]["figure"]["layout"]["title"]["text"] == ""  # frames say the epoch
    assert data["frames"]["epochs"] == [0] and data["running"] is False
    assert data["plotly"].startswith("app/static/plotly-") and data["module"].startswith("app/static/")


def test_without_the_live_component_the_page_falls_back_to_plotly_charts_and_says_so(monkeypatch):
    monkeypatch.setenv("NN_PLAYGROUND_LIVE", "0")
    at = open_app(SMALL)
    assert not at.get("bidi_component")
    assert chart_spec(at, "boundary")["layout"]["title"]["text"] == "epoch 0"
    assert {"boundary", "loss", "network", "weights"} <= {
        k
        for e in at.get("plotly_chart")
        for k in ("boundary", "loss", "network", "weights")
        if k in e.proto.id
    }
    assert any("NN_PLAYGROUND_LIVE=0" in c.value for c in at.caption)
    at.button(key="play").click().run()
    assert experiment(at).epoch > 0 and chart_spec(at, "boundary")["layout"]["title"]["text"] != "epoch 0"
    # The counters are st.metric here (the live view draws its own).
    assert metric(at, "Epoch") == str(experiment(at).epoch)
    assert [m.label for m in at.metric][:3] == ["Epoch", "Train loss", "Test loss"]


def test_without_worker_processes_the_page_trains_anyway_and_says_why(monkeypatch):
    """A host that forbids processes (here: NN_PLAYGROUND_WORKERS=0): ticks train in the session's
    own thread, the page says so, and the model trains."""
    from playground.live import workers

    monkeypatch.setattr(workers, "pool", lambda: workers.Workers(0))
    at = open_app(SMALL)
    assert not any("own process" in c.value for c in at.caption)  # nothing to say before a tick
    at.button(key="play").click().run()
    at.run()
    assert experiment(at).epoch > 1
    assert any("own process" in c.value and "NN_PLAYGROUND_WORKERS=0" in c.value for c in at.caption)


def test_a_tick_sends_evenly_spaced_frames_ending_at_the_model():
    at = open_app({**SMALL, "speed": "3"})
    at.button(key="play").click().run()  # the first tick trains one epoch, to time it
    at.run()
    data = live_data(at)
    exp = experiment(at)
    epochs = data["frames"]["epochs"]
    # K epochs (150 at speed 3, fewer if the 0.12 s training budget bites on a busy machine) in
    # up to MAX_FRAMES chunks (fewer if snapshots are slow): how many depends on timing, the
    # shape does not.
    assert data["running"] is True and 2 <= len(epochs) <= MAX_FRAMES
    assert epochs[-1] == exp.epoch and 1 < exp.epoch <= 1 + SPEEDS[3]
    steps = np.diff([1, *epochs])
    assert steps.max() - steps.min() <= 1  # near-equal chunks: 150 epochs in 6 chunks of 25
    loss = data["loss"]
    assert loss["epochs"][-1] == exp.epoch


def test_step_advances_exactly_one_epoch():
    at = open_app(SMALL)
    at.button(key="step").click().run()
    assert experiment(at).epoch == 1 and metric(at, "Epoch") == "1"
    at.button(key="step").click().run()
    assert experiment(at).epoch == 2
    assert live_data(at)["frames"]["epochs"] == [2]  # the picture shows the model after epoch 2


def test_reset_returns_to_epoch_zero_with_the_same_initial_weights():
    at = open_app(SMALL)
    initial = experiment(at).model.params.copy()
    for _ in range(3):
        at.button(key="step").click().run()
    assert not np.array_equal(experiment(at).model.params, initial)
    at.button(key="reset").click().run()
    assert experiment(at).epoch == 0
    assert np.array_equal(experiment(at).model.params, initial)


def test_play_trains_k_epochs_per_tick_and_pause_stops():
    at = open_app({**SMALL, "speed": "2"})
    at.button(key="play").click().run()  # the click's run is the first tick: one epoch, timed
    assert experiment(at).epoch == 1
    at.run()
    assert experiment(at).epoch == 1 + SPEEDS[2]  # then K from the speed setting
    at.run()
    assert experiment(at).epoch == 1 + 2 * SPEEDS[2]
    at.button(key="pause").click().run()
    paused = experiment(at).epoch
    at.run()
    assert experiment(at).epoch == paused


def test_learning_rate_change_keeps_training_the_same_network():
    at = open_app(SMALL)
    at.button(key="step").click().run()
    at.button(key="step").click().run()
    params = experiment(at).model.params.copy()
    at.select_slider(key="cfg_learning_rate").set_value(0.3).run()
    exp = experiment(at)
    assert exp.epoch == 2 and np.array_equal(exp.model.params, params)
    assert exp.trainer.learning_rate == 0.3
    assert any("keeps training" in c.value for c in at.caption)
    at.button(key="step").click().run()
    assert experiment(at).epoch == 3


def test_architecture_change_builds_a_new_network():
    at = open_app(SMALL)
    at.button(key="step").click().run()
    at.number_input(key="cfg_hidden_0").set_value(5).run()
    exp = experiment(at)
    assert exp.epoch == 0 and exp.model.layer_sizes == [2, 5, 1]
    assert any("New network" in c.value for c in at.caption)


# Each control, a new value, and what must follow on the experiment's config.
CONTROLS = [
    ("selectbox", "cfg_dataset", "moons", lambda c: c.dataset == "moons"),
    ("slider", "cfg_n_samples", 80, lambda c: c.n_samples == 80),
    ("slider", "cfg_noise", 0.3, lambda c: c.noise == 0.3),
    ("slider", "cfg_train_percent", 70, lambda c: c.train_percent == 70),
    ("number_input", "cfg_data_seed", 5, lambda c: c.data_seed == 5),
    ("pills", "cfg_features", ["x1", "x2", "x1_x2"], lambda c: c.features == ("x1", "x2", "x1_x2")),
    ("slider", "cfg_n_hidden", 3, lambda c: c.hidden == (4, 4, 4)),
    ("selectbox", "cfg_activation", "relu", lambda c: c.activation == "relu"),
    ("selectbox", "cfg_head", "tanh_mse", lambda c: c.head == "tanh_mse"),
    ("selectbox", "cfg_init", "he", lambda c: c.init == "he"),
    ("number_input", "cfg_init_seed", 7, lambda c: c.init_seed == 7),
    ("selectbox", "cfg_optimizer", "adam", lambda c: c.optimizer == "adam"),
    ("select_slider", "cfg_learning_rate", 1.0, lambda c: c.learning_rate == 1.0),
    ("slider", "cfg_batch_size", 16, lambda c: c.batch_size == 16),
    ("selectbox", "cfg_regularization", "l1", lambda c: c.regularization == "l1"),
    ("slider", "cfg_dropout", 0.2, lambda c: c.dropout == 0.2),
    ("number_input", "cfg_max_epochs", 300, lambda c: c.max_epochs == 300),
    ("select_slider", "cfg_speed", 5, lambda c: c.speed == 5),
    ("toggle", "cfg_show_test", True, lambda c: c.show_test),
    ("toggle", "cfg_discretize", True, lambda c: c.discretize),
]


@pytest.mark.parametrize("kind, key, value, check", CONTROLS, ids=[c[1] for c in CONTROLS])
def test_every_control_changes_the_config_and_the_url(kind, key, value, check):
    at = open_app({"hidden": "4,4", "points": "60"})
    widget = getattr(at, kind)(key=key)
    widget.set_value(value).run()
    assert not at.exception, at.exception
    config = experiment(at).config
    assert check(config)
    assert dict(at.query_params) == to_query(config)


def test_new_data_button_draws_another_seed_and_rebuilds():
    at = open_app(SMALL)
    before = experiment(at).points[0].copy()
    at.button(key="new_data").click().run()
    exp = experiment(at)
    assert exp.config.data_seed == 2 and not np.array_equal(exp.points[0], before)


def test_regularization_rate_reaches_the_trainer():
    at = open_app({**SMALL, "reg": "l2"})
    at.select_slider(key="cfg_reg_rate").set_value(0.03).run()
    assert experiment(at).trainer.l2 == 0.03 and experiment(at).trainer.l1 == 0.0


def test_show_test_and_discretize_change_the_boundary_figure():
    at = open_app(SMALL)
    names = [t.get("name") for t in chart_spec(at, "boundary")["data"]]
    assert not any("test" in (n or "") for n in names)
    at.toggle(key="cfg_show_test").set_value(True).run()
    names = [t.get("name") for t in chart_spec(at, "boundary")["data"]]
    assert any("test" in (n or "") for n in names)


def test_url_with_every_parameter_restores_it():
    config = EVERYTHING_SET  # every field differs from its default
    at = open_app(to_query(config))
    assert experiment(at).config == config
    assert experiment(at).model.layer_sizes == [6, 8, 6, 3, 4]
    assert not at.warning
    link = at.sidebar.code[-1].value  # the copy-link control
    assert link.endswith("?" + urllib.parse.urlencode(to_query(config), safe=","))


def test_malformed_url_falls_back_to_defaults_with_a_notice():
    at = open_app({"lr": "fast", "hidden": "4,-1", "data": "mnist", "bogus": "1"})
    assert experiment(at).config == Config()
    warnings = " ".join(w.value for w in at.warning)
    assert "lr='fast'" in warnings and "hidden='4,-1'" in warnings and "data='mnist'" in warnings


def test_divergence_shows_a_plain_message_and_play_is_disabled():
    at = open_app(
        {"data": "plane", "head": "linear_mse", "lr": "10.0", "points": "60", "batch": "0", "speed": "5"}
    )
    at.button(key="play").click().run()
    for _ in range(5):
        if experiment(at).diverged:
            break
        at.run()
    at.run()
    exp = experiment(at)
    assert exp.diverged
    message = at.error[0].value
    assert (
        f"infinite at epoch {exp.trainer.diverged_epoch}" in message and "lower the learning rate" in message
    )
    assert at.button(key="play").disabled
    assert "NaN" not in json.dumps(live_data(at)) and "Infinity" not in json.dumps(live_data(at))


def test_fixed_epochs_show_progress_and_stop():
    at = open_app({**SMALL, "epochs": "12", "speed": "3"})
    at.button(key="play").click().run()
    at.run()
    at.run()
    exp = experiment(at)
    assert exp.epoch == 12 and exp.finished
    data = live_data(at)  # live_view.js draws the progress bar: epochs[-1] of max_epochs
    assert data["status"]["max_epochs"] == 12 and data["frames"]["epochs"][-1] == 12
    assert any("Trained 12 epochs" in s.value for s in at.success)


def test_switching_to_regression_switches_the_head_and_says_so():
    at = open_app(SMALL)
    at.selectbox(key="cfg_dataset").select("plane").run()
    assert experiment(at).config.head == "linear_mse"
    assert any("switched to linear + MSE" in w.value for w in at.warning)


def test_no_input_feature_keeps_the_last_ones_with_a_message():
    at = open_app(SMALL)
    at.pills(key="cfg_features").set_value([]).run()
    assert not at.exception
    assert experiment(at).config.features == ("x1", "x2")
    assert any("at least one input feature" in w.value for w in at.warning)


def test_epochs_per_second_is_epochs_over_elapsed_time(monkeypatch):
    """Uneven ticks (0.1 s, then 0.9 s) train 20 epochs in 1 s: the page says 20, not the mean of
    the per-tick rates (100 and 11). The first tick trains one epoch to time it."""
    ticks = iter([10.0, 10.1, 11.0])
    monkeypatch.setattr("playground.live.rate.clock", lambda: next(ticks))
    at = open_app({**SMALL, "speed": "2"})  # 10 epochs per tick
    at.button(key="play").click().run()
    at.run()
    at.run()
    assert experiment(at).epoch == 21
    assert metric(at, "Epochs / s") == "20"


def test_a_visit_to_another_page_keeps_the_playground_as_it_was():
    at = open_app(SMALL)
    at.selectbox(key="cfg_dataset").set_value("moons").run()
    at.button(key="step").click().run()
    before = experiment(at)
    assert (before.config.dataset, before.epoch) == ("moons", 1)
    at.switch_page("pages/backprop.py").run()
    assert not at.exception, at.exception
    at.switch_page("pages/playground.py").run()
    assert not at.exception, at.exception
    assert experiment(at) is before and experiment(at).config.dataset == "moons"
    assert at.selectbox(key="cfg_dataset").value == "moons" and metric(at, "Epoch") == "1"


@pytest.mark.parametrize("name", ["above_sine", "above_cubic", "above_abs", "star"])
def test_a_curve_dataset_is_picked_by_its_name_kept_in_the_link_and_trains(name):
    """The boundary datasets (issue 17) are datasets like the others: in the picker under their display
    name, in the URL, and a Step trains on them."""
    at = open_app(SMALL)
    box = at.selectbox(key="cfg_dataset")
    assert catalog.label("dataset", name) in box.options
    box.set_value(name).run()
    at.button(key="step").click().run()
    assert not at.exception, at.exception
    assert at.query_params["data"] == name and experiment(at).config.dataset == name
    assert experiment(at).epoch == 1
    reopened = open_app({**SMALL, "data": name})
    assert experiment(reopened).config.dataset == name


def test_a_typed_formula_labels_the_points_travels_in_the_link_and_a_mistake_keeps_the_last_one():
    at = open_app({**SMALL, "data": "formula", "f": "x1*x2", "noise": "0"})
    exp = experiment(at)
    X_train, _, y_train, _ = exp.points
    assert np.array_equal(y_train, (X_train[:, 0] * X_train[:, 1] > 0).astype(int))  # the oracle
    box = at.text_input(key="cfg_formula")
    assert box.value == "x1*x2" and not at.error

    box.input("abs(x1) - x2**").run()  # a mistake: said under the box, with a caret; nothing lost
    expected = "Expected a number, x1, x2, a function or '(' here, found the end of the formula."
    assert at.error[0].value == expected
    assert at.code[0].value == "abs(x1) - x2**\n              ^"
    assert experiment(at).config.formula == "x1*x2" and at.query_params["f"] == "x1*x2"
    assert at.text_input(key="cfg_formula").value == "abs(x1) - x2**"  # the text stays to be fixed

    at.text_input(key="cfg_formula").input("abs(x1) - x2").run()
    exp = experiment(at)
    X_train, _, y_train, _ = exp.points
    assert exp.config.formula == at.query_params["f"] == "abs(x1) - x2" and not at.error
    assert np.array_equal(y_train, (np.abs(X_train[:, 0]) - X_train[:, 1] > 0).astype(int))
    at.button(key="step").click().run()
    assert experiment(at).epoch == 1 and not at.exception


def test_a_formula_with_one_side_only_or_holes_is_said():
    at = open_app({**SMALL, "data": "formula", "f": "x1**2 + 1"})
    assert any("every point gets the same class" in w.value for w in at.warning)
    at.text_input(key="cfg_formula").input("log(x1)").run()
    assert any("not a finite number at some points" in w.value for w in at.warning)
