"""Edit data on the Playground (AppTest): the mode's controls, Clear and Undo keep the network and its
epoch, drawn points round-trip through the link, a hostile link falls back with a notice, a hostile
click stream is ignored within bounds. The clicks
themselves (data coordinates read from the chart) are tested in a real browser: tests/e2e/test_drawing.py."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as hs
from streamlit.testing.v1 import AppTest

from playground.core import drawn
from playground.live import edits, film_gif
from tests.playground.live.test_page import SMALL, experiment, open_app


def edit_mode(at):
    at.toggle(key="pg_edit_on").set_value(True).run()
    assert not at.exception, at.exception
    return at


def test_edit_mode_shows_its_controls():
    at = edit_mode(open_app({**SMALL, "data": "xor"}))
    assert at.segmented_control(key="pg_edit_label").options == ["class 0", "class 1"]
    assert at.button(key="pg_edit_undo_button").disabled  # nothing to undo yet
    assert any("shift-click: remove the points near the cursor" in c.value for c in at.caption)


def test_clear_and_undo_keep_the_network_and_its_epoch():
    at = edit_mode(open_app({**SMALL, "data": "xor"}))
    for _ in range(3):
        at.button(key="step").click().run()
    exp = experiment(at)
    weights, points = exp.model.params.copy(), [p.copy() for p in exp.points]
    at.button(key="pg_edit_clear").click().run()
    exp = experiment(at)
    assert exp.epoch == 3 and np.array_equal(exp.model.params, weights)  # the same network
    assert exp.config.dataset == "drawn" and len(exp.points[0]) == 0
    assert at.selectbox(key="cfg_dataset").value == "drawn"
    at.button(key="step").click().run()
    assert experiment(at).epoch == 3  # no points: nothing to train on
    at.button(key="pg_edit_undo_button").click().run()
    exp = experiment(at)
    assert all(np.array_equal(a, b) for a, b in zip(exp.points, points))  # the points are back
    assert exp.epoch == 3 and np.array_equal(exp.model.params, weights)
    at.button(key="step").click().run()
    assert experiment(at).epoch == 4 and "pts" in at.query_params


def test_drawn_points_travel_in_the_link():
    d = drawn.Drawn(np.array([[1.0, 2.0], [-3.0, 0.5], [0.0, -4.0]]), np.array([1, 0, 1]),
                    np.array([False, False, True]))  # fmt: skip
    at = open_app({**SMALL, "data": "drawn", "pts": drawn.to_link(d)})
    exp = experiment(at)
    X_train, X_test, y_train, y_test = exp.points
    assert np.allclose(X_train, [[1.0, 2.0], [-3.0, 0.5]], atol=0.002) and y_train.tolist() == [1, 0]
    assert np.allclose(X_test, [[0.0, -4.0]], atol=0.002) and y_test.tolist() == [1]
    assert at.query_params["pts"] == drawn.to_link(d) and not at.warning


def test_a_hostile_drawn_link_falls_back_with_a_notice():
    at = open_app({**SMALL, "data": "drawn", "pts": "not-points"})
    assert experiment(at).config.dataset == "circles"
    notices = [w.value for w in at.warning]
    assert any("Ignored the drawn points in the link" in n for n in notices), notices


def test_the_data_export_holds_the_drawn_points():
    from playground.files import export

    d = drawn.Drawn(np.array([[1.0, 2.0], [-3.0, 0.5], [0.0, -4.0]]), np.array([1, 0, 1]),
                    np.array([False, False, True]))  # fmt: skip
    at = open_app({**SMALL, "data": "drawn", "pts": drawn.to_link(d)})
    lines = export.data_csv(export.snapshot(experiment(at))).decode("utf-8").strip().splitlines()
    assert len(lines) == 1 + 3 and lines[0].startswith("x1,x2")
    assert sorted(line.split(",")[-1] for line in lines[1:]) == ["test", "train", "train"]


def test_regression_asks_for_the_target_of_a_new_point():
    at = edit_mode(open_app({**SMALL, "data": "plane", "head": "linear_mse"}))
    box = at.number_input(key="pg_edit_target")
    assert box.value == 0.5 and not at.warning
    box.set_value(-0.3).run()
    assert not at.exception and at.number_input(key="pg_edit_target").value == -0.3


def test_a_link_with_three_class_points_and_no_classes_opens_on_them():
    d = drawn.Drawn(np.array([[1.0, 2.0], [-3.0, 0.5], [0.0, -4.0]]), np.array([2, 0, 1]),
                    np.array([False, False, True]), task="multiclass", n_classes=3)  # fmt: skip
    at = open_app({**SMALL, "data": "drawn", "pts": drawn.to_link(d)})  # no utask=, classes=: hand-made
    exp = experiment(at)
    assert (exp.config.task, exp.config.classes, exp.model.layer_sizes[-1]) == ("multiclass", 3, 3)
    at.button(key="step").click().run()
    assert not at.exception and experiment(at).epoch == 1


def test_undo_back_past_a_change_of_dataset_builds_a_network_that_fits():
    at = edit_mode(open_app({**SMALL, "data": "spiral", "classes": "3"}))
    for _ in range(2):  # two edits of 3-class data: Undo takes back the second, then the first
        at.button(key="pg_edit_clear").click().run()
    at.selectbox(key="cfg_dataset").set_value("xor").run()  # a 1-output network
    at.button(key="pg_edit_undo_button").click().run()  # the 3-class spiral again
    exp = experiment(at)
    assert (exp.config.task, exp.model.layer_sizes[-1], len(exp.points[0])) == ("multiclass", 3, 0)
    at.button(key="pg_edit_undo_button").click().run()  # ... and its points back
    at.button(key="step").click().run()
    assert not at.exception and experiment(at).epoch == 1 and len(experiment(at).points[0]) > 0


# --- a hostile click stream: what a forged websocket message can carry as the "edit" trigger ------
def clicks_app():
    """Applies ``session_state.events`` as clicks from the browser, on XOR in edit mode."""
    import streamlit as st

    from playground.core import session
    from playground.core.config import Config
    from playground.core.experiment import Experiment
    from playground.live import edits

    st.session_state.pg_edit_on = True
    if session.experiment() is None:
        session.keep_experiment(Experiment(Config(dataset="xor", n_samples=60)))
    for event in st.session_state.get("events", []):
        edits.take_edit(event)


def apply_clicks(events):
    """The session after ``events``, applied by ``edits.take_edit`` (an exception fails the run)."""
    at = AppTest.from_function(clicks_app, default_timeout=60)
    at.session_state["events"] = events
    at.run()
    assert not at.exception, at.exception
    return at.session_state


def test_a_click_with_junk_is_ignored_and_a_good_one_still_counts():
    junk = [10**400, -(10**400), float("nan"), float("inf"), "1", None, True, [1], {"x": 1}]
    events = [{"op": "add", "x": j, "y": 0.5, "n": i} for i, j in enumerate(junk)]
    events += [{"op": "add", "x": 0.5, "y": 0.5, "n": j} for j in junk]  # the sequence number too
    events += [{"op": j, "x": 0.5, "y": 0.5, "n": 99} for j in junk + ["drop"]]
    events += ["add", None, 7, [], {"op": "add", "x": 0.5, "y": 0.5, "n": 100}]
    state = apply_clicks(events)
    assert len(state["pg_drawn"]) == 60 + 1  # the XOR copy and the one good click


def test_a_repeated_click_is_applied_once_and_one_outside_the_plane_is_refused_in_words():
    click = {"op": "add", "x": 1.0, "y": 2.0, "n": 5}
    state = apply_clicks([click, click, {**click, "n": 6, "x": 1e300}])
    assert len(state["pg_drawn"]) == 60 + 1 and "outside the plane" in state["pg_edit_message"]


number = hs.one_of(
    hs.floats(), hs.integers(-(10**400), 10**400), hs.text(max_size=5), hs.none(), hs.booleans()
)
click = hs.fixed_dictionaries(
    {"op": hs.sampled_from(["add", "remove", "x"]), "x": number, "y": number, "n": number}
)


@settings(max_examples=25, deadline=None)
@given(hs.lists(hs.one_of(click, number), max_size=40))
def test_a_hostile_click_stream_never_crashes_nor_grows_without_bound(events):
    state = apply_clicks(events)
    if "pg_drawn" in state:
        assert len(state["pg_drawn"]) <= drawn.MAX_POINTS and np.isfinite(state["pg_drawn"].X).all()
    assert len(state["pg_edit_undo"] if "pg_edit_undo" in state else []) <= edits.UNDO_DEPTH


def test_thousands_of_clicks_stay_within_the_limits():
    events = [{"op": "add", "x": (i % 97) / 10 - 4.8, "y": (i // 97) / 10 - 4.8, "n": i} for i in range(2100)]
    state = apply_clicks(events)
    assert len(state["pg_drawn"]) == drawn.MAX_POINTS and len(state["pg_edit_undo"]) == edits.UNDO_DEPTH
    assert f"at most {drawn.MAX_POINTS} points" in state["pg_edit_message"]


def test_regression_cleared_drawn_and_linked_again_without_a_notice():
    at = edit_mode(open_app({**SMALL, "data": "plane", "head": "linear_mse"}))
    at.button(key="pg_edit_clear").click().run()  # no targets left: the colour scale must not fail
    assert not at.exception, at.exception
    assert film_gif._color_scale(experiment(at)) == 1.0  # the GIF's colours too
    at.button(key="pg_edit_undo_button").click().run()
    assert not at.exception and not at.warning, [w.value for w in at.warning]
    query = {name: at.query_params[name] for name in at.query_params}
    again = open_app({name: value[0] if isinstance(value, list) else value for name, value in query.items()})
    exp = experiment(again)
    assert (exp.config.dataset, exp.config.task, len(exp.points[0]) + len(exp.points[1])) == (
        "drawn", "regression", len(experiment(at).points[0]) + len(experiment(at).points[1]),
    )  # fmt: skip
    assert not again.warning, [w.value for w in again.warning]


def test_more_than_200_drawn_points_stay_out_of_the_link_and_the_page_says_so():
    at = edit_mode(open_app({**SMALL, "data": "xor", "points": "300"}))
    at.button(key="pg_edit_clear").click().run()
    at.button(key="pg_edit_undo_button").click().run()  # the drawn copy of all 300 points
    assert experiment(at).config.dataset == "drawn" and "pts" not in at.query_params
    notes = [c.value for c in at.sidebar.caption]
    assert any("does not hold your 300 drawn points" in n and "data CSV" in n for n in notes), notes
