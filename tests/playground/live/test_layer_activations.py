"""One activation per hidden layer on the Playground page: the folded "Activation per layer"
selects, the menu a layer's title opens in the network view (its choices, the choice sent back), the
``acts`` link parameter (round trip, a wrong length padded with a notice, junk refused), the
one-activation select resetting every layer, and the network built with the list."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

import nn_core

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


# --- a choice in the menu of a hidden layer's title in the network view (the "layer" trigger) ---
def clicks_app():
    """Applies ``session_state.events`` as choices in layer titles' menus, on a 3-hidden-layer network."""
    import streamlit as st

    from playground.core import session
    from playground.core.classroom import Classroom
    from playground.live import controls

    for name, value in {"cfg_n_hidden": 3, "cfg_activation": "tanh"}.items():
        st.session_state.setdefault(name, value)
    room = st.session_state.get("room")
    if room:
        session.keep_classroom(Classroom(**{room: frozenset({"activation"})}))
    st.session_state.allowed = controls.layer_choice_allowed()
    for event in st.session_state.get("events", []):
        controls.take_layer_click(event)
    st.session_state.acts = [st.session_state.get(f"cfg_act_{i}") for i in range(3)]


def apply_clicks(events, room=None):
    """``room``: "locked" or "hidden", a teacher's classroom settings for the activation."""
    at = AppTest.from_function(clicks_app, default_timeout=60)
    at.session_state["events"] = events
    at.session_state["room"] = room
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_choice_in_a_layer_titles_menu_sets_that_layers_activation():
    sine, gelu = {"layer": 1, "activation": "sine", "n": 1}, {"layer": 2, "activation": "gelu", "n": 2}
    at = apply_clicks([sine, gelu])
    assert at.session_state["acts"] == [None, "sine", "gelu"]
    assert at.session_state["pg_layer_clicked"] is True and at.session_state["allowed"] is True
    again = apply_clicks([{"layer": 0, "activation": name, "n": k} for k, name in enumerate(["elu", "relu"])])
    assert again.session_state["acts"][0] == "relu"  # the last choice stands


def test_junk_repeated_unknown_or_locked_layer_choices_change_nothing():
    junk = [
        None, "layer", [0, "sine"], {"layer": 3, "activation": "sine", "n": 1},
        {"layer": -1, "activation": "sine", "n": 2}, {"layer": True, "activation": "sine", "n": 3},
        {"layer": "0", "activation": "sine", "n": 4}, {"layer": 1.0, "activation": "sine", "n": 5},
        {"layer": 0, "activation": "sine"}, {"layer": 0, "activation": "mish", "n": 6},
        {"layer": 0, "activation": "softmax", "n": 7}, {"layer": 0, "activation": "Sine", "n": 8},
        {"layer": 0, "activation": ["sine"], "n": 9}, {"layer": 0, "activation": None, "n": 10},
        {"layer": 0, "activation": "sine ", "n": 11}, {"layer": 0, "step": 1, "n": 12},
        {"layer": 0, "activation": "tanh", "n": 13},  # the one it has: no new network
        {"layer": 2**70, "activation": "sine", "n": 14}, {"layer": 0, "activation": "x" * 10**5, "n": 15},
    ]  # fmt: skip
    at = apply_clicks(junk)
    assert at.session_state["acts"] == [None, None, None] and "pg_layer_clicked" not in at.session_state
    # The same message again (a rerun hands the trigger back): taken once.
    sine, elu = {"layer": 0, "activation": "sine", "n": 9}, {"layer": 0, "activation": "elu", "n": 9}
    repeated = apply_clicks([sine, elu])
    assert repeated.session_state["acts"][0] == "sine"
    for room in ("locked", "hidden"):  # a teacher's classroom settings: the titles choose nothing
        kept = apply_clicks([{"layer": 0, "activation": "sine", "n": 1}], room=room)
        assert kept.session_state["acts"] == [None, None, None] and kept.session_state["allowed"] is False


def test_after_a_layer_click_the_page_builds_the_network_with_it():
    """What take_layer_click leaves in the session (a layer's new choice, the rerun flag) is what
    the next full run of the page builds, and the link then says acts=."""
    at = open_app()
    at.session_state["cfg_act_0"] = "elu"
    at.session_state["pg_layer_clicked"] = True
    at.run()
    assert not at.exception, at.exception
    assert experiment(at).model.hidden_activations == ("elu", "tanh", "tanh")
    assert at.query_params["acts"] == "elu,tanh,tanh"


def test_the_network_view_titles_show_each_layers_activation_as_a_click_target():
    from playground.live import specs

    at = open_app({"acts": "relu,gelu,swish"})
    layout = specs.network_spec(experiment(at))["figure"]["layout"]
    titles = {a["name"]: a["text"] for a in layout["annotations"] if a.get("name")}
    assert titles == {
        "activation 0": "hidden 1<br>ReLU",
        "activation 1": "hidden 2<br>GELU",
        "activation 2": "hidden 3<br>swish",
    }
    assert all(a["captureevents"] for a in layout["annotations"] if a.get("name"))


def test_the_titles_hover_tip_promises_a_click_only_where_a_click_chooses():
    """The spec's titles carry no tip of their own: the live view adds the spec's one
    (``activations.tip``) while the payload's ``layers.on`` says choosing is allowed, so a
    teacher's lock or hide leaves no "click: choose" on a title that opens nothing. The static
    figure of the fallback (no live view: nothing to click) promises no click either."""
    from playground.figures.network import LAYER_TIP
    from playground.live import panels, specs
    from tests.playground.live.test_page import live_data

    for query, on in (({}, True), ({"lock": "activation"}, False), ({"hide": "layer_activations"}, False)):
        at = open_app(query)
        spec = specs.network_spec(experiment(at))
        titles = [a for a in spec["figure"]["layout"]["annotations"] if a.get("name")]
        assert len(titles) == 3 and not any(a.get("hovertext") for a in titles)
        assert spec["activations"]["tip"] == LAYER_TIP == "click: choose this layer's activation"
        assert live_data(at)["layers"] == {"on": on}, query  # as the browser gets it
    network = panels.fallback_figures(experiment(at))[2]
    titles = [a for a in network.layout.annotations if a.name]
    assert [a.text for a in titles] == ["hidden 1<br>tanh", "hidden 2<br>tanh", "hidden 3<br>tanh"]
    assert not any(a.hovertext or a.captureevents for a in titles)


def test_the_network_spec_gives_the_menu_every_hidden_activation_labelled_as_in_the_sidebar():
    from playground.live import component, specs

    at = open_app({"acts": "relu,gelu,swish"})
    acts = specs.network_spec(experiment(at))["activations"]
    assert acts["layers"] == ["relu", "gelu", "swish"]
    assert [name for name, _ in acts["choices"]] == list(nn_core.ACTIVATIONS)
    labels = dict(acts["choices"])
    assert labels["gelu"] == "GELU (tanh approx.)" and labels["swish"] == "swish (SiLU)"
    assert labels["leaky_relu"] == "leaky ReLU" and labels["sine"] == "sine"
    assert at.selectbox(key="cfg_act_0").options == list(labels.values())  # the sidebar's labels
    data = component.payload(experiment(at), [], running=False, sync={})
    assert data["layers"] == {"on": True}


def test_a_teachers_hidden_or_locked_per_layer_activations_survive_a_change_of_the_one_activation():
    # The one-activation select sets every layer's; with the per-layer list locked (or hidden) by the
    # link, the list is the teacher's and stays: only the plain activation changes.
    for how in ("lock", "hide"):
        at = open_app({"acts": "relu,sine,elu", how: "layer_activations"})
        at.selectbox(key="cfg_activation").set_value("sigmoid").run()
        assert not at.exception, at.exception
        config = experiment(at).config
        assert config.activation == "sigmoid"
        assert config.layer_activations == ("relu", "sine", "elu"), how
        assert at.query_params["acts"] == "relu,sine,elu"
