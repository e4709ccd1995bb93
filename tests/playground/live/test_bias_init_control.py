"""AppTest of the bias init control: in the sidebar beside the weight init, it rebuilds the network
with the new biases and the same weights, and it travels in the link as ``binit``."""

import numpy as np
import pytest

from playground.core import catalog
from playground.core.config import FIELDS, to_query
from tests.playground.live.test_page import experiment, open_app

SMALL = {"points": "60", "hidden": "3", "batch": "0"}


def test_the_control_sits_beside_the_weight_init_and_offers_every_choice_by_label():
    at = open_app(SMALL)
    keys = [w.key for w in at.sidebar.selectbox]
    assert keys.index("cfg_bias_init") == keys.index("cfg_init") + 1
    widget = at.selectbox(key="cfg_bias_init")
    assert widget.value == "auto"
    assert list(widget.options) == [catalog.label("bias_init", name) for name in FIELDS["bias_init"].choices]
    assert widget.label == "Bias init" and "origin" in widget.help


@pytest.mark.parametrize(("name", "check"), [("constant", lambda b: np.all(b == np.float32(0.1))),
                                             ("uniform", lambda b: 0 < np.abs(b).max() <= np.sqrt(6 / 5)),
                                             ("zeros", lambda b: not b.any())])  # fmt: skip
def test_choosing_a_bias_init_rebuilds_with_those_biases_and_the_same_weights(name, check):
    at = open_app(SMALL | {"init": "uniform"})  # TF's weights: their own biases are 0.1
    before = [W.copy() for W in experiment(at).model.weights]  # at epoch 0
    at.button(key="step").click().run()
    at.selectbox(key="cfg_bias_init").set_value(name).run()
    assert not at.exception, at.exception
    exp = experiment(at)
    assert exp.config.bias_init == name and exp.epoch == 0  # a new network, at epoch 0
    assert check(exp.model.biases[0])
    for old, new in zip(before, exp.model.weights):
        np.testing.assert_array_equal(old, new)  # weights are drawn before biases: unchanged
    assert at.query_params["binit"] == name and dict(at.query_params) == to_query(exp.config)


def test_a_link_with_binit_opens_that_network_and_the_copy_link_keeps_it():
    at = open_app(SMALL | {"binit": "normal", "iseed": "4"})
    exp = experiment(at)
    assert exp.config.bias_init == "normal" and at.selectbox(key="cfg_bias_init").value == "normal"
    assert exp.model.bias_init == "normal" and 0.0 < np.abs(exp.model.biases[0]).max() < 0.6
    link = at.sidebar.code[0].value
    assert "binit=normal" in link and "iseed=4" in link


def test_a_bad_binit_in_a_link_falls_back_to_auto_with_a_notice():
    at = open_app(SMALL | {"binit": "glorot"})
    assert experiment(at).config.bias_init == "auto"
    assert any("binit='glorot'" in w.value and "Bias init" in w.value for w in at.warning)
