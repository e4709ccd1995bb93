"""The hidden-space view: coordinates checked against the network's own layer activations, the grid,
the PCA labels, the figure (never NaN/inf), the training tick, and the page through the app.

AppTest runs a fragment once per ``run()`` and does not simulate ``run_every``: a "Keep training"
tick is one ``at.run()`` while the toggle is on.
"""

import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from nn_core.features import expand_features
from nn_core.projection import pca_2d
from playground.core.config import Config
from playground.core.experiment import Experiment
from playground.figures.hidden import hidden_space_figure
from playground.learn import hidden

APP = str(Path(__file__).resolve().parents[3] / "app.py")
PAGE = "pages/hidden_space.py"
# Two hidden layers of different widths, engineered features, test points: every path of the mapping.
CONFIG = Config(
    dataset="moons", n_samples=80, hidden=(5, 3), features=("x1", "x2", "x1_x2", "sin_x1"), batch_size=0
)


@pytest.fixture(scope="module")
def exp():
    e = Experiment(CONFIG)
    e.train(20)  # weights away from their initial values
    return e


def activations(exp, X, layer):
    """The independent oracle: the model's own forward pass on the expanded features."""
    inputs = expand_features(X, exp.config.input_features)
    return exp.model.layer_activations(inputs)[layer].astype(np.float64)


def hand_made_grid(low, high):
    """The expected grid lines, built line by line: 11 horizontal (x2 fixed), then 11 vertical."""
    along, across = np.linspace(low, high, 60), np.linspace(low, high, 11)
    horizontal = [np.column_stack([along, np.full(60, c)]) for c in across]
    vertical = [np.column_stack([np.full(60, c), along]) for c in across]
    return np.array(horizontal + vertical)


# --- layers, units, grid --------------------------------------------------------------------------
def test_layer_choices_labels_and_unit_names_follow_the_network(exp):
    assert hidden.layer_choices(exp) == [1, 2, 3]
    assert hidden.default_layer(exp) == 2  # the last hidden layer
    assert [hidden.layer_label(exp, n) for n in (1, 2, 3)] == [
        "Hidden layer 1 (5 neurons)",
        "Hidden layer 2 (3 neurons)",
        "Output layer (1 neuron)",
    ]
    assert [hidden.unit_name(exp, 2, i) for i in range(3)] == ["h2.1", "h2.2", "h2.3"]
    assert hidden.unit_name(exp, 3, 0) == "output"
    assert hidden.default_units(3) == (0, 1) and hidden.default_units(1) == (0, 0)


def test_grid_lines_are_straight_lines_across_the_domain():
    lines = hidden.grid_lines((-6.0, 6.0))
    assert lines.shape == (2 * hidden.N_LINES, hidden.POINTS_PER_LINE, 2) == (22, 60, 2)
    np.testing.assert_array_equal(lines, hand_made_grid(-6.0, 6.0))
    assert hidden.grid_lines((0.0, 1.0), n_lines=3, n_points=4).shape == (6, 4, 2)


@pytest.mark.parametrize("domain", [(1.0, 1.0), (2.0, -2.0), (0.0, np.inf)])
def test_grid_lines_reject_an_empty_or_infinite_domain(domain):
    with pytest.raises(ValueError, match=r"^domain must be finite .*got"):
        hidden.grid_lines(domain)


# --- the mapping ------------------------------------------------------------------------------------
@pytest.mark.parametrize("layer, units", [(1, (0, 4)), (1, (3, 3)), (2, (2, 1)), (3, (0, 0))])
def test_two_neuron_view_equals_the_network_own_activations(exp, layer, units):
    view = hidden.hidden_view(exp, layer=layer, units=units, show_test=True)
    X_train, X_test, y_train, y_test = exp.points
    k = exp.model.layer_sizes[layer]
    cols = list(units) if k > 1 else [0]
    expect_train = activations(exp, X_train, layer)[:, cols]
    expect_test = activations(exp, X_test, layer)[:, cols]
    expect_lines = activations(exp, hand_made_grid(*exp.domain).reshape(-1, 2), layer)[:, cols]
    if k == 1:  # one unit: x is the unit, y is 0
        zero = np.zeros((len(expect_train), 1))
        expect_train = np.hstack([expect_train, zero])
        expect_test = np.hstack([expect_test, np.zeros((len(expect_test), 1))])
        expect_lines = np.hstack([expect_lines, np.zeros((len(expect_lines), 1))])
    np.testing.assert_allclose(view.train, expect_train, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(view.test, expect_test, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(view.lines.reshape(-1, 2), expect_lines, rtol=1e-5, atol=1e-6)
    assert view.lines.shape == (22, 60, 2)
    np.testing.assert_array_equal(view.y_train, y_train)
    np.testing.assert_array_equal(view.origin_train, X_train)
    np.testing.assert_array_equal(view.origin_test, X_test)
    assert view.problem is None


def test_two_neuron_view_names_its_axes(exp):
    view = hidden.hidden_view(exp, layer=2, units=(2, 0))
    assert (view.x_name, view.y_name) == ("h2.3", "h2.1")
    assert (view.x_label, view.y_label) == ("h2.3 activation", "h2.1 activation")
    out = hidden.hidden_view(exp, layer=3, units=(0, 0))
    assert (out.x_label, out.y_label) == ("output activation", "(one neuron: no second axis)")


def test_without_show_test_the_view_has_no_test_points(exp):
    view = hidden.hidden_view(exp, layer=1, units=(0, 1))
    assert view.test is None and view.y_test is None and view.origin_test is None


def test_pca_view_projects_points_and_grid_on_the_training_points_axes(exp):
    view = hidden.hidden_view(exp, layer=1, units="pca", show_test=True)
    X_train, X_test, _, _ = exp.points
    A = activations(exp, X_train, 1)
    _, components, explained, mean = pca_2d(A)
    np.testing.assert_allclose(view.train, (A - mean) @ components, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(view.test, (activations(exp, X_test, 1) - mean) @ components, atol=1e-5)
    grid = activations(exp, hand_made_grid(*exp.domain).reshape(-1, 2), 1)
    np.testing.assert_allclose(view.lines.reshape(-1, 2), (grid - mean) @ components, atol=1e-5)
    np.testing.assert_allclose(view.train.mean(axis=0), 0.0, atol=1e-9)  # centred on the training data
    assert (view.x_name, view.y_name) == ("PC1", "PC2")
    assert view.x_label == f"PC1 ({explained[0]:.0%} of the variance)"
    assert view.y_label == f"PC2 ({explained[1]:.0%} of the variance)"
    assert explained[0] >= explained[1] > 0


def test_pca_view_of_a_one_unit_layer_has_a_zero_second_axis(exp):
    view = hidden.hidden_view(exp, layer=3, units="pca")
    assert view.y_label == "PC2 (0% of the variance)" and view.x_label == "PC1 (100% of the variance)"
    np.testing.assert_array_equal(view.lines[..., 1], 0.0)


def test_input_view_is_the_plane_itself(exp):
    view = hidden.input_view(exp, show_test=True)
    X_train, X_test, _, _ = exp.points
    np.testing.assert_array_equal(view.train, X_train)
    np.testing.assert_array_equal(view.test, X_test)
    np.testing.assert_array_equal(view.lines, hand_made_grid(*exp.domain))
    assert (view.x_label, view.y_label) == ("x1", "x2")


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(layer=0), r"^layer must be an int in \[1, 3\].*got 0"),
        (dict(layer=4), r"^layer must .*got 4"),
        (dict(layer=True), r"^layer must .*got True"),
        (
            dict(layer=1, units=(0, 5)),
            r"^units must be 'pca' or a pair of unit indices in \[0, 4\]; got \(0, 5\)",
        ),
        (dict(layer=1, units="two"), r"^units must .*got 'two'"),
        (dict(layer=1, units=(0,)), r"^units must .*got \(0,\)"),
    ],
)
def test_hidden_view_rejects_bad_layers_and_units(exp, kwargs, match):
    with pytest.raises(ValueError, match=match):
        hidden.hidden_view(exp, **kwargs)


def test_activations_that_are_not_finite_give_a_message_and_no_numbers():
    e = Experiment(Config(dataset="moons", n_samples=40, hidden=(4, 4), activation="relu"))
    e.model.params[: e.model.n_weights] = 1e30  # finite weights; relu(1e30 * relu(1e30 x)) overflows
    assert hidden.hidden_view(e, layer=1, units=(0, 1)).problem is None  # |1e30 x| < float32 max
    view = hidden.hidden_view(e, layer=2, units=(0, 1))
    assert "hidden layer 2 (4 neurons) are not finite numbers" in view.problem
    assert view.train.size == 0 and view.lines.size == 0
    e.model.params[0] = np.nan  # weights set by hand past the checks: the same message, no warning
    assert "not finite" in hidden.hidden_view(e, layer=1, units="pca").problem


def test_a_diverged_experiment_says_so_and_still_shows_its_last_finite_weights():
    e = Experiment(CONFIG)
    assert hidden.notice(e) is None
    e.trainer.status, e.trainer.diverged_epoch = "diverged", 7  # what the trainer does on a blow-up
    assert "diverged at epoch 7" in hidden.notice(e)
    assert hidden.hidden_view(e, layer=1, units=(0, 1)).problem is None
    assert hidden.train_tick(e) is True and e.epoch == 0  # a diverged trainer trains no more


# --- figure ----------------------------------------------------------------------------------------
def test_figure_draws_the_grid_as_one_trace_and_one_trace_per_class(exp):
    view = hidden.hidden_view(exp, layer=1, units=(0, 1), show_test=True)
    fig = hidden.figure(exp, view, title="t")
    grid, *points = fig.data
    assert grid.mode == "lines" and grid.hoverinfo == "skip"
    assert sum(v is None for v in grid.x) == 22 and len(grid.x) == 22 * 61
    assert [p.name for p in points] == ["class 0", "class 1", "class 0 (test)", "class 1 (test)"]
    assert sum(len(p.x) for p in points) == len(view.train) + len(view.test)
    assert "h1.1 = %{x:.3f}" in points[0].hovertemplate and "from (x1, x2)" in points[0].hovertemplate
    assert fig.layout.xaxis.title.text == "h1.1 activation" and fig.layout.title.text == "t"


def test_figure_never_holds_nan_or_inf():
    lines = hand_made_grid(-1.0, 1.0)
    lines[0, 5] = np.nan
    lines[3, 7, 1] = np.inf
    train = np.array([[0.0, 0.0], [np.nan, 1.0], [1.0, -np.inf], [0.5, 0.5]])
    fig = hidden_space_figure(
        lines=lines, train=train, y_train=np.array([0, 1, 0, 1]), x_label="a", y_label="b"
    )
    text = fig.to_json()
    assert "NaN" not in text and "Infinity" not in text
    assert sum(len(p.x) for p in fig.data[1:]) == 2  # the two finite points
    assert sum(v is None for v in fig.data[0].x) == 22 + 2  # separators + the two gaps


def test_figure_for_regression_colours_points_by_target_on_a_symmetric_scale():
    y = np.array([-2.0, 0.5, 1.0])
    fig = hidden_space_figure(
        lines=hand_made_grid(-1.0, 1.0), train=np.eye(3)[:, :2], y_train=y, task="regression"
    )
    (points,) = fig.data[1:]
    assert (points.marker.cmin, points.marker.cmax) == (-2.0, 2.0) and points.marker.showscale
    np.testing.assert_array_equal(points.marker.color, y)


def test_figure_uses_equal_scales_unless_one_axis_is_nearly_flat():
    lines = hand_made_grid(-1.0, 1.0)
    square = hidden_space_figure(lines=lines, train=np.zeros((1, 2)), y_train=np.zeros(1))
    assert square.layout.yaxis.scaleanchor == "x"
    flat = hidden_space_figure(lines=lines * [1.0, 0.01], train=np.zeros((1, 2)), y_train=np.zeros(1))
    assert flat.layout.yaxis.scaleanchor is None


def test_figure_rejects_an_unknown_task():
    with pytest.raises(ValueError, match=r"^task must be one of .*got 'ranking'"):
        hidden_space_figure(lines=np.zeros((0, 2, 2)), train=np.zeros((0, 2)), y_train=[], task="ranking")


# --- training ticks ------------------------------------------------------------------------------
def test_train_tick_times_one_epoch_then_trains_a_few_and_stops_at_the_budget():
    e = Experiment(Config(dataset="xor", n_samples=40, hidden=(3,), batch_size=0, max_epochs=15))
    assert hidden.train_tick(e) is False and e.epoch == 1  # the first tick only times an epoch
    assert hidden.train_tick(e) is False and e.epoch == 1 + hidden.EPOCHS_PER_TICK
    assert hidden.train_tick(e) is True and e.epoch == 15  # the budget, not 21
    assert hidden.status(e).startswith("epoch 15 · train accuracy ")


def test_status_of_a_regression_shows_losses():
    e = Experiment(Config(dataset="plane", n_samples=40, hidden=(3,), head="linear_mse"))
    assert hidden.status(e).startswith("epoch 0 · train loss ")


def test_a_network_on_typed_features_alone_shows_its_hidden_space():
    """No checked feature, one typed one (x1*x2, XOR made linear): the input view is still the plane
    of x1 and x2, and the hidden layer's view is drawn from the network's one input."""
    e = Experiment(Config(dataset="xor", n_samples=60, features=(), feature_formulas=("x1*x2",), hidden=(3,)))
    assert e.model.layer_sizes == [1, 3, 1]
    e.train(5)
    for view in (hidden.input_view(e), hidden.hidden_view(e, layer=1)):
        fig = hidden.figure(e, view)
        points = [t for t in fig.data if t.mode == "markers"]  # (grid lines break at NaN on purpose)
        assert points and all(np.isfinite(np.asarray(t.x, float)).all() for t in points)


# --- the page, through the app --------------------------------------------------------------------------
def open_page(playground=None):
    """The app on the Hidden space page. Without ``playground`` the page is opened first (a visitor
    arriving by its link: the page's default network); else the Playground first, its widgets set
    ``{key: (kind, value)}``, then the page."""
    at = AppTest.from_file(APP, default_timeout=60)
    if playground is not None:
        at.run()
        for key, (kind, value) in playground.items():
            getattr(at, kind)(key=key).set_value(value).run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def page_experiment(at):
    state = at.session_state
    return state["pg_experiment"] if "pg_experiment" in state else state["learn_experiment"]


def chart(at, key):
    (element,) = [e for e in at.get("plotly_chart") if e.proto.id.endswith(key)]
    return json.loads(element.proto.spec)


def axis_titles(at):
    layout = chart(at, "hs_hidden_chart")["layout"]
    return layout["xaxis"]["title"]["text"], layout["yaxis"]["title"]["text"]


def test_page_drives_every_control_on_the_default_network():
    at = open_page()
    assert at.title[0].value == "Hidden space"
    assert "small default network" in at.caption[0].value
    assert any("this page's small default network" in c.value for c in at.caption)
    exp = page_experiment(at)
    assert exp.model.layer_sizes == [2, 4, 1]
    assert at.selectbox(key="hs_layer").value == 1
    assert axis_titles(at) == ("h1.1 activation", "h1.2 activation")
    assert chart(at, "hs_input_chart")["layout"]["xaxis"]["title"]["text"] == "x1"

    at.selectbox(key="hs_unit_x").set_value(2).run()
    at.selectbox(key="hs_unit_y").set_value(3).run()
    assert axis_titles(at) == ("h1.3 activation", "h1.4 activation")

    at.button_group(key="hs_view").set_value("pca").run()
    assert at.selectbox(key="hs_unit_x").disabled and at.selectbox(key="hs_unit_y").disabled
    assert axis_titles(at)[0].startswith("PC1 (")

    at.selectbox(key="hs_layer").set_value(2).run()  # the output layer: one neuron
    at.button_group(key="hs_view").set_value("neurons").run()
    assert at.selectbox(key="hs_unit_x").disabled  # one neuron: nothing to choose
    assert axis_titles(at) == ("output activation", "(one neuron: no second axis)")

    at.toggle(key="hs_test").set_value(True).run()
    names = [t["name"] for t in chart(at, "hs_hidden_chart")["data"]]
    assert "class 0 (test)" in names and "class 0 (test)" in [
        t["name"] for t in chart(at, "hs_input_chart")["data"]
    ]

    at.button(key="hs_train").click().run()
    assert page_experiment(at).epoch == 10
    assert chart(at, "hs_hidden_chart")["layout"]["title"]["text"] == "Output layer (1 neuron), epoch 10"

    at.toggle(key="hs_keep").set_value(True).run()  # this run is one tick of the fragment
    assert page_experiment(at).epoch == 10 + hidden.EPOCHS_PER_TICK
    at.toggle(key="hs_keep").set_value(False).run()
    assert page_experiment(at).epoch == 10 + hidden.EPOCHS_PER_TICK  # off: no more training
    assert not at.exception, at.exception


def test_page_looks_inside_the_playground_network_and_trains_it():
    at = open_page(
        {
            "cfg_dataset": ("selectbox", "moons"),
            "cfg_n_hidden": ("slider", 3),
            "cfg_n_samples": ("slider", 80),
        }
    )
    exp = page_experiment(at)
    assert exp is at.session_state["pg_experiment"] and exp.config.dataset == "moons"
    assert "Your Playground network: 2-4-4-4-1" in at.caption[0].value
    assert any("trains your Playground network itself" in c.value for c in at.caption)
    assert at.selectbox(key="hs_layer").options == [
        "Hidden layer 1 (4 neurons)",
        "Hidden layer 2 (4 neurons)",
        "Hidden layer 3 (4 neurons)",
        "Output layer (1 neuron)",
    ]
    assert at.selectbox(key="hs_layer").value == 3  # the last hidden layer first
    assert axis_titles(at) == ("h3.1 activation", "h3.2 activation")
    at.button(key="hs_train").click().run()
    assert exp.epoch == 10
    at.switch_page("pages/playground.py").run()  # the Playground shows the network it trained here
    assert not at.exception, at.exception
    assert at.session_state["pg_experiment"] is exp and exp.epoch == 10


def test_page_controls_survive_a_visit_and_fall_back_when_the_network_changes():
    at = open_page({"cfg_n_hidden": ("slider", 3), "cfg_n_samples": ("slider", 60)})
    at.selectbox(key="hs_layer").set_value(3).run()
    at.selectbox(key="hs_unit_y").set_value(3).run()
    at.button_group(key="hs_view").set_value("pca").run()
    at.switch_page("pages/playground.py").run()
    at.switch_page(PAGE).run()
    assert at.selectbox(key="hs_layer").value == 3 and at.button_group(key="hs_view").value == "pca"
    assert at.selectbox(key="hs_unit_y").value == 3
    at.switch_page("pages/playground.py").run()
    at.slider(key="cfg_n_hidden").set_value(1).run()
    at.number_input(key="cfg_hidden_0").set_value(2).run()  # 2-2-1: layer 3 and unit 3 are gone
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="hs_layer").value == 1 and at.selectbox(key="hs_unit_y").value == 1


def test_keep_training_stops_at_the_epoch_budget_and_switches_itself_off():
    at = open_page({"cfg_max_epochs": ("number_input", 12), "cfg_n_samples": ("slider", 60)})
    exp = page_experiment(at)
    at.toggle(key="hs_keep").set_value(True).run()  # first tick: 1 epoch, timed
    for _ in range(5):
        if not at.toggle(key="hs_keep").value:
            break
        at.run()
    assert exp.epoch == 12 and not at.toggle(key="hs_keep").value
    assert at.toggle(key="hs_keep").disabled and at.button(key="hs_train").disabled
    assert any("epoch budget (12) is reached" in c.value for c in at.caption)


def test_page_for_a_regression_network_colours_points_by_target():
    at = open_page({"cfg_dataset": ("selectbox", "plane"), "cfg_n_samples": ("slider", 60)})
    points = [t for t in chart(at, "hs_hidden_chart")["data"] if t["mode"] == "markers"]
    assert [t["name"] for t in points] == ["train"] and points[0]["marker"]["showscale"]
    assert page_experiment(at).config.task == "regression"
