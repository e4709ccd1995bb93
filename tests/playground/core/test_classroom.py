"""Classroom links (hidden and locked controls, a task text) and uploaded data on the Playground."""

import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from playground.core import classroom
from playground.core.classroom import CONTROLS, Classroom
from playground.core.config import Config, from_query, to_query

APP = str(Path(__file__).resolve().parents[3] / "app.py")
SMALL = {"points": "60", "hidden": "3", "batch": "0"}


def open_app(query):
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params.update(query)
    at.run()
    assert not at.exception, at.exception
    return at


def widget_keys(at):
    keys = set()
    for kind in ("selectbox", "slider", "select_slider", "number_input", "toggle", "button", "pills"):
        keys |= {w.key for w in at.get(kind) if getattr(w, "key", None)}
    return keys


def widget(at, key):
    return next(w for kind in ("selectbox", "slider", "select_slider", "number_input", "toggle", "button")
                for w in at.get(kind) if getattr(w, "key", None) == key)  # fmt: skip


def test_classroom_round_trips_through_the_url():
    room = Classroom(
        hidden=frozenset({"learning_rate", "activation", "play"}),
        locked=frozenset({"dataset"}),
        task="Make the **test loss** fall below 0.2.",
        goal="test_loss<0.2",
        lesson="xor",
    )
    query = classroom.to_query(room)
    assert query["hide"] == "activation,learning_rate,play"  # in the sidebar's order
    assert classroom.from_query(query) == (room, [])
    assert classroom.to_query(Classroom()) == {} and not Classroom()


def test_classroom_drops_unknown_controls_and_cuts_long_texts_with_notices():
    room, notices = classroom.from_query({"hide": "lr,learning_rate,,nope", "task": "x" * 5000})
    assert room.hidden == {"learning_rate"} and len(room.task) == classroom.MAX_TASK_CHARS
    assert "'lr', 'nope'" in notices[0] and "cut to 1000" in notices[1]


@given(st.dictionaries(st.sampled_from(["hide", "lock", "task", "goal", "lesson", "x"]), st.text()))
def test_classroom_from_any_query_never_raises(params):
    room, notices = classroom.from_query(params)
    assert room.hidden <= set(CONTROLS) and room.locked <= set(CONTROLS)
    assert isinstance(notices, list)


def test_config_ignores_classroom_keys_but_still_reports_unknown_ones():
    config, notices = from_query(
        {"lr": "0.1", "hide": "dataset", "zzz": "1"}, other_keys=classroom.QUERY_KEYS
    )
    assert config.learning_rate == 0.1 and notices == ["Ignored unknown link parameter zzz='1'."]


def test_teacher_link_hides_locks_and_shows_the_task():
    room = Classroom(
        hidden=frozenset({"learning_rate", "activation", "step", "show_test"}),
        locked=frozenset({"dataset", "hidden"}),
        task="Find the smallest network that separates the spiral.",
    )
    at = open_app(SMALL | to_query(Config(dataset="spiral")) | classroom.to_query(room))
    keys = widget_keys(at)
    assert not {"cfg_learning_rate", "cfg_activation", "step", "cfg_show_test"} & keys
    assert {"cfg_optimizer", "cfg_noise", "play", "reset", "cfg_discretize"} <= keys
    assert widget(at, "cfg_dataset").disabled and widget(at, "cfg_n_hidden").disabled
    assert not widget(at, "cfg_optimizer").disabled
    assert any("smallest network" in m.value for m in at.markdown)
    exp = at.session_state["pg_experiment"]
    assert exp.config.dataset == "spiral" and exp.config.hidden == (3,)
    # The link stays in the address bar, so a reload keeps the lesson.
    assert at.query_params["hide"] == "activation,learning_rate,show_test,step"
    # Hidden controls keep their value through training steps.
    at.button(key="play").click().run()
    assert exp.config.learning_rate == Config().learning_rate and exp.epoch >= 1


def test_show_all_controls_leaves_the_classroom():
    at = open_app(SMALL | {"hide": "learning_rate", "task": "Try it."})
    assert "cfg_learning_rate" not in widget_keys(at)
    at.button(key="leave_classroom").click().run()
    assert "cfg_learning_rate" in widget_keys(at) and "hide" not in at.query_params


def fake_upload(task="multiclass", n_classes=3, digest="abc123"):
    """Stands for playground.upload.UploadedData: what the Experiment and the controls read."""
    rng = np.random.default_rng(0)
    X = rng.uniform(-5, 5, (90, 2))
    y = (np.arange(90) % n_classes).astype(np.int64) if task != "regression" else np.tanh(X[:, 0] / 3)
    return SimpleNamespace(X=X, y=y, task=task, n_classes=n_classes, name="mine.csv", digest=digest)


def test_uploaded_data_becomes_the_dataset_of_the_session():
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["pg_upload"] = upload = fake_upload()
    at.query_params.update(SMALL | {"data": "upload"})
    at.run()
    assert not at.exception, at.exception
    exp = at.session_state["pg_experiment"]
    assert exp.config.dataset == "upload" and exp.config.task == "multiclass" and exp.config.classes == 3
    assert exp.model.layer_sizes[-1] == 3  # softmax over the file's three classes
    X_train, X_test, _, _ = exp.points
    assert len(X_train) + len(X_test) == len(upload.X)
    assert "Your data: mine.csv" in widget(at, "cfg_dataset").options
    assert widget(at, "cfg_noise").disabled and widget(at, "cfg_n_samples").disabled
    at.button(key="step").click().run()
    assert exp.epoch == 1
    # Another file: new data, a new network.
    at.session_state["pg_upload"] = fake_upload(task="binary", n_classes=2, digest="def456")
    at.run()
    exp = at.session_state["pg_experiment"]
    assert exp.config.task == "binary" and exp.epoch == 0


@pytest.mark.parametrize("query", [{"data": "upload"}, {"data": "upload", "utask": "regression"}])
def test_an_upload_link_without_the_upload_falls_back_with_a_notice(query):
    at = open_app(SMALL | query)
    assert at.session_state["pg_experiment"].config.dataset == "circles"
    assert any("uploaded in another session" in w.value for w in at.warning)


def test_presenter_mode_enlarges_the_live_charts_and_hides_the_sidebar():
    at = open_app(SMALL)
    (component,) = at.get("bidi_component")
    assert json.loads(component.proto.json)["present"] is False
    at.toggle(key="pg_presenter").set_value(True).run()
    (component,) = at.get("bidi_component")
    assert json.loads(component.proto.json)["present"] is True
    styles = [h.proto.body for h in at.get("html")]
    assert any('section[data-testid="stSidebar"]' in body and "display: none" in body for body in styles)
    at.toggle(key="pg_presenter").set_value(False).run()
    styles = [h.proto.body for h in at.get("html")]  # the page's own compact style stays
    assert styles and not any('section[data-testid="stSidebar"]' in body for body in styles)


def test_an_uploaded_csv_trains_on_the_playground():
    """The whole path: the Your data page reads a file, its button opens the Playground on it."""
    rows = ["height,weight,species"] + [
        f"{i % 7},{(i * 3) % 11},{'cat' if i % 2 else 'dog'}" for i in range(40)
    ]
    at = AppTest.from_file(APP, default_timeout=30)
    at.switch_page("pages/your_data.py").run()
    at.file_uploader(key="yd_file").set_value(("pets.csv", "\n".join(rows).encode(), "text/csv")).run()
    at.button(key="yd_train").click().run()
    assert not at.exception, at.exception
    exp = at.session_state["pg_experiment"]
    assert exp.config.dataset == "upload" and exp.config.task == "binary"
    X_train, X_test, _, _ = exp.points
    assert len(X_train) + len(X_test) == 40 and np.abs(np.concatenate([X_train, X_test])).max() <= 5 + 1e-9
    assert at.title[0].value == "NumPy Neural Network Playground"
    at.button(key="step").click().run()
    assert exp.epoch == 1


def test_take_it_home_offers_the_five_files_and_loads_weights_back():
    from playground.files import export

    at = open_app(SMALL)
    labels = {b.key for b in at.get("download_button")}
    assert labels == {"ex_data", "ex_history", "ex_weights_json", "ex_weights_npz", "ex_script"}
    at.button(key="step").click().run()
    exp = at.session_state["pg_experiment"]
    saved, trained = export.weights_npz(exp), exp.model.params.copy()
    at.button(key="reset").click().run()
    assert not np.array_equal(exp.model.params, trained)
    at.file_uploader(key="ex_upload").set_value(("w.npz", saved, "application/octet-stream")).run()
    assert not at.exception, at.exception
    np.testing.assert_array_equal(at.session_state["pg_experiment"].model.params, trained)
    assert at.session_state["pg_experiment"].epoch == 1


def test_the_activation_hidden_or_locked_takes_the_per_layer_activations_along():
    assert classroom.unavailable({"activation", "dataset"}) == {"activation", "layer_activations", "dataset"}
    assert classroom.unavailable({"layer_activations"}) == {"layer_activations"}
    assert classroom.unavailable(()) == frozenset()
