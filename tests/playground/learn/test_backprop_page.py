"""AppTest of the backprop stepper: every control, every stage, and the matrices on screen checked
against nn_core's own forward pass and gradients, and against the Playground's next step."""

import base64
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from playground.learn import stepper
from playground.learn.common import DEFAULT_CONFIG

APP = str(Path(__file__).resolve().parents[3] / "app.py")


def open_stepper(query=None):
    """The stepper page: straight away (the Learn pages' default network), or after the Playground
    page opened with ``query`` (its link parameters), whose network it then shows."""
    at = AppTest.from_file(APP, default_timeout=60)
    if query is not None:
        at.query_params.update({"points": "60", "hidden": "3,2", **query})
        at.run()
    at.switch_page("pages/backprop.py").run()
    assert not at.exception, at.exception
    return at


def decode(data):
    """A Plotly JSON array: a list, or a base64 typed array {dtype, bdata, shape}."""
    if isinstance(data, dict):
        array = np.frombuffer(base64.b64decode(data["bdata"]), dtype=np.dtype(data["dtype"]))
        shape = [int(s) for s in str(data.get("shape", len(array))).split(",")]
        return array.reshape(shape)
    return np.asarray(data, dtype=np.float64)


def shown_matrices(at):
    """{name: array} of the matrices on screen (title "name  (r×c)")."""
    out = {}
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        name = spec["layout"]["title"]["text"].split("  (")[0]
        out[name] = decode(spec["data"][0]["z"])
    return out


def subheader(at):
    return at.subheader[0].value


def walk(at):
    """Press Next until the last stage; return {stage title: matrices shown}."""
    seen = {subheader(at): shown_matrices(at)}
    while not at.button(key="bp_next").disabled:
        at.button(key="bp_next").click().run()
        assert not at.exception, at.exception
        seen[subheader(at)] = shown_matrices(at)
    return seen


def test_the_default_network_walks_through_2l_plus_2_stages_in_order():
    at = open_stepper()
    exp = at.session_state["learn_experiment"]
    assert exp.config == DEFAULT_CONFIG and "small default network" in at.caption[0].value
    seen = walk(at)
    assert list(seen) == [
        "Forward, layer 1 of 2",
        "Forward, layer 2 of 2",
        "Loss (binary cross-entropy)",
        "Backward, layer 2 of 2",
        "Backward, layer 1 of 2",
        "Update",
    ]
    assert set(seen["Forward, layer 1 of 2"]) == {"X", "W1", "b1", "Z1", "A1"}
    assert set(seen["Backward, layer 1 of 2"]) == {"dA1", "dZ1", "dW1", "db1"}
    assert len(seen["Update"]) == 12  # W and b of 2 layers: before, change, after
    assert at.button(key="bp_back").disabled is False
    at.button(key="bp_restart").click().run()
    assert subheader(at) == "Forward, layer 1 of 2" and at.button(key="bp_back").disabled
    at.button(key="bp_next").click().run()
    at.button(key="bp_back").click().run()
    assert subheader(at) == "Forward, layer 1 of 2"


def test_one_sample_matrices_are_nn_cores_forward_and_gradients():
    """Independent of the stepper's trace: the model's own layer_activations and loss_and_gradients
    on that one row give the matrices the page shows."""
    at = open_stepper()
    at.radio(key="bp_batch").set_value("One training sample").run()
    at.number_input(key="bp_sample").set_value(7).run()
    seen = walk(at)
    exp = at.session_state["learn_experiment"]
    X, y = exp.inputs[0][7:8], exp.points[2][7:8]
    activations = exp.model.layer_activations(X)
    _, dW, db = exp.model.loss_and_gradients(X, y, loss="bce")
    np.testing.assert_allclose(seen["Forward, layer 1 of 2"]["X"], X, rtol=1e-6)
    np.testing.assert_allclose(seen["Forward, layer 1 of 2"]["A1"], activations[1], rtol=1e-6)
    np.testing.assert_allclose(seen["Forward, layer 2 of 2"]["A2"], activations[2], rtol=1e-6)
    np.testing.assert_allclose(seen["Backward, layer 2 of 2"]["dW2"], dW[1], rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(seen["Backward, layer 1 of 2"]["dW1"], dW[0], rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(seen["Backward, layer 1 of 2"]["db1"][0], db[0], rtol=1e-5, atol=1e-7)
    update = seen["Update"]
    np.testing.assert_allclose(update["W1 after"], exp.model.weights[0] - 0.1 * dW[0], rtol=1e-5, atol=1e-7)
    np.testing.assert_array_equal(update["W1 change"], update["W1 after"] - update["W1 before"])
    assert exp.epoch == 0  # the step was taken on a copy


def test_the_update_is_exactly_the_playgrounds_next_step():
    """Full batch: the Playground's Step takes one optimizer step, and lands on the very weights
    the stepper's Update stage shows (float32 values, compared exactly)."""
    at = open_stepper({"opt": "adam", "batch": "0"})
    at.button(key="bp_next").click().run()  # any stage: the trace is recorded on arrival
    seen = walk(at)
    exp = at.session_state["pg_experiment"]
    assert exp.config.optimizer == "adam" and exp.trainer.batch_size is None
    at.switch_page("pages/playground.py").run()
    at.button(key="step").click().run()
    assert exp.epoch == 1
    for i, W in enumerate(exp.model.weights):
        np.testing.assert_array_equal(seen["Update"][f"W{i + 1} after"], W)
        np.testing.assert_array_equal(seen["Update"][f"b{i + 1} after"][0], exp.model.biases[i])


def test_a_new_epoch_records_a_new_step_and_starts_over():
    at = open_stepper({})
    at.button(key="bp_next").click().run()
    first = at.session_state["bp_trace"]
    at.switch_page("pages/playground.py").run()
    at.button(key="step").click().run()
    at.switch_page("pages/backprop.py").run()
    assert subheader(at) == "Forward, layer 1 of 3"
    assert at.session_state["bp_trace"] is not first
    assert "epoch 1" in at.caption[0].value


def test_every_stage_shows_source_lines_read_from_nn_core():
    at = open_stepper()
    while True:
        code = [c.value for c in at.code]
        assert code and all(c.strip() for c in code)
        if at.button(key="bp_next").disabled:
            break
        at.button(key="bp_next").click().run()
    assert any("self._optimizer.step(" in c for c in code)  # the update stage


def test_source_finds_the_lines_and_says_when_the_code_changed():
    from nn_core.mlp import MLP

    src = stepper.source(MLP.forward_into, ["np.add(Z, b, out=Z)", "np.matmul(inputs, W, out=Z)"])
    assert src.code.splitlines() == ["np.matmul(inputs, W, out=Z)", "np.add(Z, b, out=Z)"]
    assert src.where.startswith("nn_core/mlp.py, MLP.forward_into, lines ")
    first, last = (int(n) for n in src.where.rsplit(" ", 1)[1].split("-"))
    lines = Path("nn_core/mlp.py").read_text().splitlines()
    assert "np.matmul(inputs, W, out=Z)" in lines[first - 1] and "np.add(Z, b, out=Z)" in lines[last - 1]
    with pytest.raises(LookupError, match="no longer contains"):
        stepper.source(MLP.forward_into, ["this line is not there"])


def test_a_mixed_network_shows_each_layers_own_activation_and_matches_nn_core():
    """A Playground network with one activation per layer (acts=relu,sine): each forward stage names
    and applies its layer's function, each backward stage its derivative; the matrices are nn_core's."""
    at = open_stepper({"acts": "relu,sine"})
    assert "ReLU / sine" in at.caption[0].value
    at.radio(key="bp_batch").set_value("One training sample").run()
    seen, texts = {}, {}
    while True:
        seen[subheader(at)] = shown_matrices(at)
        texts[subheader(at)] = " ".join(m.value for m in at.markdown) + " ".join(x.value for x in at.latex)
        if at.button(key="bp_next").disabled:
            break
        at.button(key="bp_next").click().run()
    assert "(ReLU)" in texts["Forward, layer 1 of 3"] and r"\max(Z, 0)" in texts["Forward, layer 1 of 3"]
    assert "(sine)" in texts["Forward, layer 2 of 3"] and r"\sin(Z)" in texts["Forward, layer 2 of 3"]
    assert r"\cos(Z)" in texts["Backward, layer 2 of 3"] and "(sine')" in texts["Backward, layer 2 of 3"]
    assert "(ReLU')" in texts["Backward, layer 1 of 3"]
    exp = at.session_state["pg_experiment"]
    assert exp.model.hidden_activations == ("relu", "sine")
    X = exp.inputs[0][:1]
    activations = exp.model.layer_activations(X)
    np.testing.assert_allclose(seen["Forward, layer 2 of 3"]["A2"], activations[2], rtol=1e-6)
    np.testing.assert_allclose(
        seen["Forward, layer 2 of 3"]["A2"], np.sin(seen["Forward, layer 2 of 3"]["Z2"]), rtol=1e-6
    )
    _, dW, _ = exp.model.loss_and_gradients(X, exp.points[2][:1], loss="bce")
    np.testing.assert_allclose(seen["Backward, layer 1 of 3"]["dW1"], dW[0], rtol=1e-5, atol=1e-7)
