"""One activation per hidden layer on the Playground page: the folded "Activation per layer"
selects, the ``acts`` link parameter (round trip, a wrong length padded with a notice, junk refused),
the one-activation select resetting every layer, and the network built with the list."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[3] / "app.py")


def open_app(query=None):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"points": "60", "hidden": "4,3,2", "data": "moons"} | (query or {}))
    at.run()
    assert not at.exception, at.exception
    return at


def experiment(at):
    return at.session_state["pg_experiment"]


def test_the_per_layer_selects_sit_in_a_folded_expander_one_per_hidden_layer():
    at = open_app()
    expander = next(e for e in at.expander if e.label == "Activation per layer")
    assert not getattr(expander.proto, "expanded", False)
    selects = [at.selectbox(key=f"cfg_act_{i}") for i in range(3)]
    assert [s.label for s in selects] == ["Layer 1", "Layer 2", "Layer 3"]
    assert [s.value for s in selects] == ["tanh"] * 3
    assert {"swish (SiLU)", "GELU (tanh approx.)", "ELU", "softplus", "sine"} <= set(selects[0].options)
    assert "acts" not in at.query_params  # every layer alike: the plain act= says it


def test_choosing_a_layers_activation_rebuilds_the_network_and_writes_acts_in_the_link():
    at = open_app()
    at.selectbox(key="cfg_act_1").set_value("swish").run()
    at.selectbox(key="cfg_act_2").set_value("sine").run()
    assert not at.exception, at.exception
    exp = experiment(at)
    assert exp.config.layer_activations == ("tanh", "swish", "sine")
    assert exp.model.hidden_activations == ("tanh", "swish", "sine")
    assert exp.epoch == 0
    assert at.query_params["acts"] == "tanh,swish,sine"


def test_an_acts_link_round_trips_into_the_selects_the_model_and_back():
    at = open_app({"acts": "relu,gelu,elu"})
    assert [at.selectbox(key=f"cfg_act_{i}").value for i in range(3)] == ["relu", "gelu", "elu"]
    assert experiment(at).model.activation == ("relu", "gelu", "elu")
    assert at.query_params["acts"] == "relu,gelu,elu"
    assert not at.warning or all("acts" not in w.value for w in at.warning)


def test_an_acts_link_for_another_number_of_layers_is_padded_with_a_notice():
    at = open_app({"acts": "relu,sine", "act": "elu"})
    assert experiment(at).model.hidden_activations == ("relu", "sine", "elu")
    assert any("2 activations for 3 hidden layers" in w.value for w in at.warning)
    assert at.query_params["acts"] == "relu,sine,elu"


def test_a_bad_acts_value_is_ignored_with_a_notice():
    at = open_app({"acts": "relu,mish,tanh"})
    assert experiment(at).config.layer_activations == ()
    assert any("acts=" in w.value and "Activation per layer" in w.value for w in at.warning)


def test_the_one_activation_select_sets_every_layer():
    at = open_app({"acts": "relu,gelu,elu"})
    at.selectbox(key="cfg_activation").set_value("softplus").run()
    assert not at.exception, at.exception
    assert [at.selectbox(key=f"cfg_act_{i}").value for i in range(3)] == ["softplus"] * 3
    assert experiment(at).model.activation == "softplus"
    assert "acts" not in at.query_params and at.query_params["act"] == "softplus"


def test_adding_a_layer_gives_it_the_one_activation_and_keeps_the_others():
    at = open_app({"acts": "relu,gelu,elu"})
    at.slider(key="cfg_n_hidden").set_value(4).run()
    assert experiment(at).model.hidden_activations == ("relu", "gelu", "elu", "tanh")
    at.slider(key="cfg_n_hidden").set_value(2).run()
    assert experiment(at).model.hidden_activations == ("relu", "gelu")
    assert at.query_params["acts"] == "relu,gelu"
