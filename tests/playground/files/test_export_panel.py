"""AppTest of the "Take it home" panel on its own (until the Playground page shows it): five
downloads named for the run, built from what the page shows; an upload resumes training once, and a
bad file leaves an error and a working session.

Streamlit 1.67's AppTest uploads files (``file_uploader(...).upload``). It does not click downloads:
the buttons' data callables are caught where Streamlit registers them (``add_deferred``) and called.
"""

import ast
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from playground.core.config import Config
from playground.core.experiment import Experiment
from playground.files import export, weights_in

ROOT = Path(__file__).resolve().parents[3]
CONFIG = Config(n_samples=60, hidden=(3,), batch_size=0)  # panel_app builds this one
NAMES = {
    "Data (CSV)": "nn-playground-circles-data.csv",
    "Loss history (CSV)": "nn-playground-circles-epoch5-history.csv",
    "Weights (JSON)": "nn-playground-circles-epoch5-weights.json",
    "Weights (.npz)": "nn-playground-circles-epoch5-weights.npz",
    "Python script": "nn-playground-circles-epoch5.py",
}


def panel_app():
    """The panel as the Playground shows it: in an expander, on the session's experiment."""
    import streamlit as st

    from playground.core.config import Config
    from playground.core.experiment import Experiment
    from playground.files import export_panel

    if "pg_experiment" not in st.session_state:
        st.session_state.pg_experiment = Experiment(Config(n_samples=60, hidden=(3,), batch_size=0))
        st.session_state.pg_experiment.train(5)
    with st.expander("Take it home"):
        export_panel.show(st.session_state.pg_experiment)


@pytest.fixture
def downloads(monkeypatch):
    """file name -> (data callable, MIME type) of every download button drawn."""
    seen = {}
    register = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        seen[file_name] = (data_callable, mimetype)
        return register(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return seen


def open_panel(**state):
    at = AppTest.from_function(panel_app, default_timeout=30)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def test_panel_offers_the_five_files_named_for_the_run(downloads):
    at = open_panel()
    assert [b.label for b in at.download_button] == list(NAMES)
    assert not any(b.disabled for b in at.download_button)
    assert set(downloads) == set(NAMES.values())
    assert "at epoch 5" in at.caption[0].value
    exp = at.session_state["pg_experiment"]
    files = {name: make() for name, (make, _) in downloads.items()}
    assert len(pd.read_csv(io.BytesIO(files[NAMES["Data (CSV)"]]))) == 60
    assert len(pd.read_csv(io.BytesIO(files[NAMES["Loss history (CSV)"]]))) == 5
    assert json.loads(files[NAMES["Weights (JSON)"]])["epoch"] == 5
    weights, _, _ = weights_in.load_weights(files[NAMES["Weights (.npz)"]], exp)
    assert np.array_equal(weights[0], exp.model.weights[0])
    assert "N_EPOCHS = 5" in files[NAMES["Python script"]]
    ast.parse(files[NAMES["Python script"]])
    assert downloads[NAMES["Weights (JSON)"]][1] == "application/json"


def test_panel_downloads_hold_the_epoch_shown_not_a_later_one(downloads):
    at = open_panel()
    exp = at.session_state["pg_experiment"]
    make, _ = downloads[NAMES["Weights (JSON)"]]
    exp.train(3)  # training goes on after the panel was drawn (a click comes later)
    assert json.loads(make())["epoch"] == 5


def test_panel_buttons_wait_while_training(downloads):
    at = open_panel(pg_running=True)
    assert all(b.disabled for b in at.download_button)
    assert at.caption[0].value.startswith("Pause to take the network home")


def test_upload_resumes_once_and_pauses():
    saved = Experiment(CONFIG)
    saved.train(9)
    at = open_panel(pg_running=True)
    at.file_uploader(key="ex_upload").upload("mine.json", export.weights_json(saved), "application/json")
    at.run()
    assert not at.exception, at.exception
    exp = at.session_state["pg_experiment"]
    assert "Loaded the 2-3-1 tanh network at epoch 9" in at.success[0].value
    assert exp.epoch == 9 and np.array_equal(exp.model.params, saved.model.params)
    assert at.session_state["pg_running"] is False  # a loaded network waits for Play
    exp.train(2)
    at.run()  # the file is still in the uploader: it must not be loaded again
    assert exp.epoch == 11 and at.session_state["pg_experiment"] is exp


def test_bad_upload_shows_an_error_and_the_session_goes_on():
    at = open_panel()
    exp = at.session_state["pg_experiment"]
    params = exp.model.params.copy()
    at.file_uploader(key="ex_upload").upload("broken.npz", b"PK\x03\x04" + bytes(200)).run()
    assert not at.exception, at.exception
    assert at.error[0].value.startswith("broken.npz: The .npz is damaged or truncated")
    assert exp.epoch == 5 and np.array_equal(exp.model.params, params)
    other = Experiment(Config(n_samples=60, hidden=(4,), batch_size=0))
    at.file_uploader(key="ex_upload").clear().upload("other.json", export.weights_json(other)).run()
    assert "W1 has shape (2, 4) in the file, but this network's W1 is (2, 3)" in at.error[0].value
    good = Experiment(CONFIG)
    at.file_uploader(key="ex_upload").clear().upload("good.npz", export.weights_npz(good)).run()
    assert not at.error and "at epoch 0" in at.success[0].value and exp.epoch == 0


def test_on_the_playground_the_last_change_line_says_the_weights_were_loaded():
    """Issue 14: "Last change: Reset" stayed on the Playground after loading weights at epoch 805."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"points": "60", "hidden": "3", "batch": "0"})
    at.run()
    at.button(key="reset").click().run()
    assert last_change(at) == "Last change: Reset: back to epoch 0 with the same initial weights."
    saved = Experiment(CONFIG)
    saved.trainer.epoch = 805  # as if trained that long: the file says epoch 805
    at.file_uploader(key="ex_upload").upload("mine.json", export.weights_json(saved), "application/json")
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["pg_experiment"].epoch == 805
    assert last_change(at).startswith("Last change: Loaded the 2-3-1 tanh network at epoch 805")
    at.run()  # and it stays until something else changes the network
    assert "at epoch 805" in last_change(at)


def last_change(at):
    return next(c.value for c in at.caption if c.value.startswith("Last change: "))
