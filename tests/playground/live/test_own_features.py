"""AppTest of the sidebar's "Your own features" box: a typed formula becomes an input of the network
(and of its link, ``ff=``), a mistake is pointed at and never reaches the network, Remove takes an
input away, and a link's formulas come back (a bad one dropped with a notice)."""

import numpy as np
import pytest

from tests.playground.live.test_page import SMALL, chart_spec, experiment, open_app


def add(at, text):
    at.text_input(key="cfg_ff_text").input(text).run()
    at.button(key="cfg_ff_add").click().run()
    assert not at.exception, at.exception
    return at


def test_a_typed_feature_becomes_an_input_of_the_network_and_of_the_link():
    at = add(open_app(SMALL), "x1^2 + x2^2")
    exp = experiment(at)
    assert exp.config.feature_formulas == ("x1^2 + x2^2",) and exp.model.layer_sizes == [3, 3, 1]
    X_train = exp.points[0]
    np.testing.assert_array_equal(exp.inputs[0][:, 2], X_train[:, 0] ** 2 + X_train[:, 1] ** 2)
    assert at.query_params["ff"] == "x1^2 + x2^2"
    assert at.text_input(key="cfg_ff_text").value == ""  # the box is free for the next one
    network = chart_spec(at, "network")
    labels = next(t for t in network["data"] if t.get("name") == "labels")["text"]
    assert labels == ["x1", "x2", "x1^2 + x2^2"]
    at.button(key="step").click().run()
    assert experiment(at).epoch == 1 and not at.exception

    add(at, "cos(x1)\n")  # a pasted line break: the formula is kept on one line
    assert experiment(at).config.feature_formulas == ("x1^2 + x2^2", "cos(x1)")
    assert at.query_params["ff"] == "x1^2 + x2^2;cos(x1)"
    at.text_input(key="cfg_ff_text").input("x1^2  +  x2^2").run()  # the same, spaced otherwise
    assert at.button(key="cfg_ff_add").disabled and "x1^2 + x2^2 is an input already." in at.caption.values


def test_a_bad_formula_is_pointed_at_and_the_last_good_features_stay():
    at = add(open_app(SMALL), "tanh(3*x1)")
    at.text_input(key="cfg_ff_text").input("abs(x1) - x2**").run()
    expected = "Expected a number, x1, x2, a function or '(' here, found the end of the formula."
    assert at.error[0].value == expected
    assert "abs(x1) - x2**\n              ^" in [c.value for c in at.sidebar.code]
    assert at.button(key="cfg_ff_add").disabled
    at.run()
    assert experiment(at).config.feature_formulas == ("tanh(3*x1)",)
    assert at.text_input(key="cfg_ff_text").value == "abs(x1) - x2**"  # the text stays to be fixed

    at.text_input(key="cfg_ff_text").input("2x1").run()
    assert at.error[0].value.startswith("Missing an operator before 'x1'")
    assert "2x1\n ^" in [c.value for c in at.sidebar.code]


def test_where_a_feature_is_not_a_number_or_too_large_the_box_says_so():
    at = open_app({**SMALL, "ff": "1/x1;exp(exp(x2));cos(x1)"})
    captions = [c.value for c in at.sidebar.caption]
    assert sum("Not a number at some points" in c and "the input is 0" in c for c in captions) == 1
    assert sum(c == "Beyond ±1,000,000 at some points: clipped to it." for c in captions) == 1
    assert np.isfinite(experiment(at).inputs[0]).all() and np.abs(experiment(at).inputs[0]).max() <= 1e6


def test_remove_takes_an_input_away_and_out_of_the_link():
    at = open_app({**SMALL, "ff": "cos(x1);cos(x2)"})
    assert experiment(at).config.feature_formulas == ("cos(x1)", "cos(x2)")
    at.button(key="cfg_ff_remove_0").click().run()
    assert experiment(at).config.feature_formulas == ("cos(x2)",)
    assert experiment(at).model.layer_sizes == [3, 3, 1] and at.query_params["ff"] == "cos(x2)"
    at.button(key="cfg_ff_remove_0").click().run()
    assert experiment(at).config.feature_formulas == () and "ff" not in at.query_params


def test_a_link_with_feature_formulas_comes_back_and_a_bad_one_is_dropped_with_a_notice():
    at = open_app({**SMALL, "ff": "min(x1, x2);x1 +* 2;sin(x1)*x2"})
    assert experiment(at).config.feature_formulas == ("min(x1, x2)", "sin(x1)*x2")
    warnings = " ".join(w.value for w in at.warning)
    assert "Ignored the feature formula 'x1 +* 2' from the link: at character 5" in warnings
    assert at.query_params["ff"] == "min(x1, x2);sin(x1)*x2"  # the link keeps what is used
    link = at.sidebar.code[-1].value
    assert "ff=min%28x1,+x2%29%3Bsin%28x1%29%2Ax2" in link  # round trip through the share link
    assert open_app({**SMALL, "ff": "min(x1, x2);sin(x1)*x2"}).session_state["pg_experiment"].config == (
        experiment(at).config
    )


def test_at_most_four_features_of_your_own():
    at = open_app({**SMALL, "ff": "x1;x2;x1*x2;cos(x1)"})
    assert at.text_input(key="cfg_ff_text").disabled and at.button(key="cfg_ff_add").disabled


@pytest.mark.parametrize(
    "page", ["pages/hidden_space.py", "pages/backprop.py", "pages/gradient_check.py", "pages/compare.py"]
)
def test_the_learn_pages_take_a_network_with_features_of_your_own(page):
    """The pages that read the Playground's network see its typed inputs too (and their labels)."""
    at = open_app({**SMALL, "ff": "cos(x1);x1^2 + x2^2 + 1/x1"})
    at.button(key="step").click().run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    if page != "pages/compare.py":  # a Learn page: it looks inside the Playground's 4-input network
        assert any(c.value.startswith("Your Playground network: 4-3-1 ") for c in at.caption), at.caption
    at.switch_page("pages/playground.py").run()
    assert not at.exception, at.exception
    assert experiment(at).config.feature_formulas == ("cos(x1)", "x1^2 + x2^2 + 1/x1")


def test_a_teacher_can_lock_or_hide_the_box_and_the_links_features_stay_in_use():
    at = open_app({**SMALL, "ff": "cos(x1)", "lock": "feature_formulas"})
    assert at.text_input(key="cfg_ff_text").disabled and at.button(key="cfg_ff_remove_0").disabled
    at = open_app({**SMALL, "ff": "cos(x1)", "hide": "feature_formulas"})
    assert not [w for w in at.text_input if w.key == "cfg_ff_text"]
    assert experiment(at).config.feature_formulas == ("cos(x1)",) and experiment(at).model.layer_sizes[0] == 3


def test_a_network_on_typed_features_alone():
    """With a feature of your own, no checked feature is needed: the network's one input is x1*x2 (XOR
    made linear), the link says features=none and reopens the same network."""
    at = add(open_app({**SMALL, "data": "xor"}), "x1*x2")
    at.pills(key="cfg_features").set_value([]).run()
    assert not at.exception, at.exception
    assert not any("at least one input feature" in w.value for w in at.warning)
    config = experiment(at).config
    assert (config.features, config.feature_formulas) == ((), ("x1*x2",))
    assert experiment(at).model.layer_sizes == [1, 3, 1]
    assert at.query_params["features"] == "none" and at.query_params["ff"] == "x1*x2"
    again = open_app({**SMALL, "data": "xor", "features": "none", "ff": "x1*x2"})
    assert experiment(again).config == config and not again.warning
    at.button(key="cfg_ff_remove_0").click().run()  # no input left at all: the last checked ones come back
    assert experiment(at).config.features == ("x1", "x2")
    assert any("at least one input feature" in w.value for w in at.warning)
