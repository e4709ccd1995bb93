"""The hidden-layer size boxes (issue 14): number inputs with - / + steppers, and an out-of-range size
named in a clear message with the allowed range, that layer keeping its size and nothing else lost.
"""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from playground.core.config import MAX_NEURONS

APP = str(Path(__file__).resolve().parents[3] / "app.py")


def open_app():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"points": "60", "hidden": "4,3", "lr": "0.1", "data": "moons"})
    at.run()
    assert not at.exception, at.exception
    return at


def config(at):
    return at.session_state["pg_experiment"].config


def test_each_layer_is_a_number_input_with_steppers_keyed_as_before():
    at = open_app()
    boxes = [at.number_input(key=f"cfg_hidden_{i}") for i in range(2)]
    assert [b.label for b in boxes] == ["Layer 1", "Layer 2"] and [b.value for b in boxes] == [4, 3]
    assert all(b.step == 1 for b in boxes)  # the - / + steppers move by one neuron
    assert "64" in boxes[0].help
    boxes[1].increment().run()
    assert config(at).hidden == (4, 4)


@pytest.mark.parametrize(("entered", "said"), [(100, "100 neurons"), (0, "0 neurons"), (-3, "-3 neurons")])
def test_an_out_of_range_size_is_named_with_the_allowed_range_and_nothing_else_is_lost(entered, said):
    at = open_app()
    at.number_input(key="cfg_hidden_1").set_value(entered).run()
    assert not at.exception, at.exception
    notices = [w.value for w in at.warning if w.value.startswith("Layer 2:")]
    allowed = f"(a layer has 1 to {MAX_NEURONS} neurons)"
    assert notices == [f"Layer 2: {said} is out of range {allowed}: keeping 3."]
    c = config(at)
    assert c.hidden == (4, 3) and c.learning_rate == 0.1 and c.dataset == "moons"
    assert at.query_params["hidden"] == "4,3"  # the link keeps the network in use
    at.number_input(key="cfg_hidden_1").set_value(MAX_NEURONS).run()  # back in range: used, no notice
    assert config(at).hidden == (4, MAX_NEURONS)
    assert not [w for w in at.warning if w.value.startswith("Layer 2:")]
