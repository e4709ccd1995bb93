"""Sessions, as the server sees them: each session has its own experiment, and its live payloads are
numbered in a stream of its own; a reload (a new session on the same URL) gets the URL's settings, a
new network and a new stream. The browser side (``static/live_view.js``: a new stream starting below
an epoch it had drawn means the training was lost, and the page says so) is in
``tests/e2e/test_sessions.py``.

Each ``AppTest`` is its own session; the ``secrets`` token that names a stream is drawn per session,
so a restarted server's sessions get new streams as a reload's does.
"""

import re

import numpy as np

from playground.core.config import Config, to_query
from playground.core.experiment import Experiment
from tests.playground.live.test_page import SMALL, experiment, live_data, open_app

MOONS = {**SMALL, "data": "moons", "hidden": "8", "lr": "0.1"}
SPIRAL = {**SMALL, "data": "spiral", "head": "softmax_ce"}


def test_every_payload_names_its_session_stream_and_counts_up_in_it():
    at = open_app(SMALL)
    first = live_data(at)
    assert re.fullmatch(r"[0-9a-f]{8}", first["stream"]) and first["seq"] >= 1
    at.button(key="step").click().run()
    stepped = live_data(at)
    at.button(key="reset").click().run()
    reset = live_data(at)
    # A Reset is the same session: the same stream, a higher seq, and the picture back at epoch 0
    # (the browser must not mistake it for lost training).
    assert first["stream"] == stepped["stream"] == reset["stream"]
    assert first["seq"] < stepped["seq"] < reset["seq"]
    assert (stepped["frames"]["epochs"], reset["frames"]["epochs"]) == ([1], [0])

    other = live_data(open_app(SMALL))  # another session (a reload, another user, a restarted server)
    assert other["stream"] != first["stream"]
    assert other["seq"] <= stepped["seq"]  # its count starts again: only the stream tells them apart


def test_two_sessions_keep_their_own_data_model_progress_and_url():
    a, b = open_app(MOONS), open_app(SPIRAL)
    exp_a, exp_b = experiment(a), experiment(b)
    assert exp_a is not exp_b and exp_a.trainer is not exp_b.trainer
    assert (exp_a.config.dataset, exp_b.config.dataset) == ("moons", "spiral")
    assert (exp_a.model.layer_sizes, exp_b.model.layer_sizes) == ([2, 8, 1], [2, 3, 3])
    assert live_data(a)["stream"] != live_data(b)["stream"]

    for _ in range(3):
        a.button(key="step").click().run()
    b.run()
    assert (experiment(a).epoch, experiment(b).epoch) == (3, 0)

    # B changes its data (4 arms): a new network in B; A's experiment, epoch and URL are untouched.
    b.slider(key="cfg_n_classes").set_value(4).run()
    a.run()
    assert experiment(b).config.n_classes == 4 and experiment(b).model.layer_sizes == [2, 3, 4]
    assert experiment(a) is exp_a and exp_a.epoch == 3 and exp_a.config.n_classes == 3
    assert dict(a.query_params) == to_query(exp_a.config)
    assert dict(b.query_params) == to_query(experiment(b).config) and b.query_params["classes"] == "4"
    assert not np.array_equal(exp_a.points[0], experiment(b).points[0])  # each its own data


def test_a_reload_is_a_new_session_with_the_settings_from_the_url_and_a_new_network():
    at = open_app(SMALL)
    at.selectbox(key="cfg_dataset").set_value("moons").run()
    at.select_slider(key="cfg_learning_rate").set_value(0.1).run()
    for _ in range(2):
        at.button(key="step").click().run()
    config, url = experiment(at).config, dict(at.query_params)
    assert url == to_query(config) and experiment(at).epoch == 2

    reloaded = open_app(url)  # what a reload does: the same URL, a new session
    exp = experiment(reloaded)
    assert (
        exp.config
        == config
        == Config(dataset="moons", learning_rate=0.1, n_samples=60, hidden=(3,), batch_size=0)
    )
    assert reloaded.selectbox(key="cfg_dataset").value == "moons"
    assert reloaded.select_slider(key="cfg_learning_rate").value == 0.1
    assert exp.epoch == 0
    assert np.array_equal(exp.model.params, Experiment(config).model.params)  # the initial network
    data = live_data(reloaded)
    assert data["stream"] != live_data(at)["stream"] and data["frames"]["epochs"] == [0]
    assert "spec" in data  # the charts are drawn anew
