"""Config <-> URL round trip, and what a malformed link falls back to."""

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.core.config import FIELDS, HEADS, LEARNING_RATES, Config, from_query, normalize, to_query

EVERYTHING_SET = Config(
    dataset="spiral",
    n_classes=4,
    n_samples=420,
    noise=0.35,
    train_percent=70,
    data_seed=77,
    upload_task="multiclass",
    formula="x1-x2",
    features=("x1", "x2", "x1_x2", "sin_x2"),
    feature_formulas=("cos(x1)", "min(x1, x2) ^ 2"),
    hidden=(8, 6, 3),
    activation="relu",
    head="tanh_mse",
    init="he",
    init_seed=9,
    bias_init="uniform",
    layer_activations=("relu", "sine", "gelu"),
    optimizer="adam",
    learning_rate=0.003,
    batch_size=32,
    regularization="l2",
    reg_rate=0.001,
    dropout=0.1,
    max_epochs=500,
    speed=5,
    schedule="cosine",
    schedule_period=40,
    schedule_factor=0.5,
    schedule_multiplier=2,
    stop_rule="test_accuracy_reached",
    stop_target=0.9,
    stop_patience=30,
    show_test=True,
    discretize=True,
)


def test_to_query_default_config_is_empty():
    """Defaults stay out of the link, so a plain address means the default playground."""
    assert to_query(Config()) == {}


def test_round_trip_every_field_set_restores_config():
    """Every field differs from its default here, and all of them come back from the URL."""
    assert all(
        getattr(EVERYTHING_SET, f.name) != getattr(Config(), f.name) for f in dataclasses.fields(Config)
    )
    query = to_query(EVERYTHING_SET)
    assert len(query) == len(dataclasses.fields(Config))
    config, notices = from_query(query)
    assert config == EVERYTHING_SET
    assert notices == []


@pytest.mark.parametrize(
    "key, text",
    [
        ("lr", "abc"),
        ("lr", "0.02"),
        ("lr", "nan"),
        ("noise", "-1"),
        ("noise", "inf"),
        ("hidden", "4,x"),
        ("hidden", "100"),
        ("hidden", "1,1,1,1,1,1,1,1,1"),
        ("features", ""),
        ("features", "x1,x1"),
        ("features", "x3"),
        ("data", "mnist"),
        ("points", "5"),
        ("classes", "9"),
        ("test", "maybe"),
        ("batch", "-3"),
        ("speed", "6"),
        ("epochs", "1e9"),
        ("f", "x1 +* 2"),
        ("f", "__import__('os')"),
        ("f", "x1 x2"),
        ("binit", "glorot"),
        ("binit", "0.1"),
        ("binit", "AUTO"),
        ("sched", "warm"),
        ("speriod", "0"),
        ("sfactor", "0.4"),
        ("sfactor", "1.5"),
        ("smult", "0"),
        ("smult", "1.5"),
        ("stop", "val_loss"),
        ("stoptarget", "0"),
        ("stoptarget", "2"),
        ("patience", "-1"),
        ("acts", "relu,mish"),
        ("acts", "relu,,tanh"),
        ("acts", "softmax"),
        ("acts", ",".join(["relu"] * 9)),
    ],
)
def test_from_query_malformed_value_falls_back_with_notice(key, text):
    config, notices = from_query({key: text})
    assert config == Config()
    assert len(notices) == 1 and key in notices[0] and repr(text) in notices[0]


@pytest.mark.parametrize("bias_init", FIELDS["bias_init"].choices)
def test_bias_init_round_trips_as_binit(bias_init):
    """Every bias init travels as ``binit=<name>``; "auto", the default, stays out of the link (so a
    link from before bias inits, which has no binit, opens the same network it always did)."""
    config = Config(bias_init=bias_init)
    query = to_query(config)
    assert query == ({} if bias_init == "auto" else {"binit": bias_init})
    assert from_query(query) == (config, [])


@pytest.mark.parametrize(
    "hidden, acts, expected",
    [
        ((4, 4), (), ("tanh", "tanh")),
        ((4, 4, 4), ("relu", "sine"), ("relu", "sine", "tanh")),  # a layer added: the one activation
        ((4,), ("relu", "sine"), ("relu",)),  # a layer removed: the others keep theirs
        ((), ("relu",), ()),
    ],
)
def test_hidden_activations_pads_with_the_one_activation_and_cuts(hidden, acts, expected):
    assert Config(hidden=hidden, layer_activations=acts).hidden_activations == expected


def test_acts_link_of_another_length_is_padded_or_cut_with_a_notice():
    config, notices = from_query({"hidden": "4,4,4", "acts": "relu,sine", "act": "elu"})
    assert config.layer_activations == ("relu", "sine", "elu") == config.hidden_activations
    assert notices == ["2 activations for 3 hidden layers; using relu,sine,elu."]
    config, notices = from_query({"hidden": "4", "acts": "relu,sine"})
    assert config.layer_activations == ("relu",) and len(notices) == 1


def test_acts_equal_to_the_one_activation_leave_the_link():
    """Every layer alike is the plain act=: normalize drops the list, the link stays short."""
    config, notices = from_query({"hidden": "4,4", "acts": "relu,relu", "act": "relu"})
    assert config.layer_activations == () and config.hidden_activations == ("relu", "relu")
    assert notices == [] and to_query(config) == {"act": "relu"}
    mixed = Config(layer_activations=("relu", "swish"))
    assert to_query(mixed) == {"acts": "relu,swish"} and from_query(to_query(mixed)) == (mixed, [])


def test_from_query_unknown_parameter_is_ignored_with_notice():
    config, notices = from_query({"colour": "red", "lr": "0.1"})
    assert config == Config(learning_rate=0.1)
    assert notices == ["Ignored unknown link parameter colour='red'."]


def test_from_query_head_that_does_not_fit_the_task_is_replaced():
    """A regression dataset cannot use sigmoid + binary cross-entropy: the link falls back."""
    config, notices = from_query({"data": "plane", "head": "sigmoid_bce"})
    assert config.head == "linear_mse"
    assert "does not fit a regression problem" in notices[0]


def test_normalize_multiclass_gets_softmax_by_default():
    config, notices = normalize(Config(dataset="spiral", n_classes=3))
    assert (config.head, config.n_outputs, config.layer_sizes[-1]) == ("softmax_ce", 3, 3)
    assert notices


@pytest.mark.parametrize(
    "config, layer_sizes",
    [
        (Config(), [2, 4, 4, 1]),
        (Config(head="softmax_ce", hidden=()), [2, 2]),
        (Config(dataset="blobs", n_classes=5, head="sigmoid_mse", features=("x1",)), [1, 4, 4, 5]),
        (Config(dataset="multi_gaussian", head="tanh_mse", hidden=(8,)), [2, 8, 1]),
        (Config(features=("x1",), feature_formulas=("cos(x1)", "x1*x2"), hidden=()), [3, 1]),
    ],
)
def test_layer_sizes_follow_features_hidden_and_head(config, layer_sizes):
    assert config.layer_sizes == layer_sizes


@settings(max_examples=60, deadline=None)
@given(
    lr=st.sampled_from(LEARNING_RATES),
    hidden=st.lists(st.integers(1, 64), max_size=8).map(tuple),
    noise=st.floats(0, 1, allow_nan=False),
    features=st.sets(st.sampled_from(FIELDS["features"].choices), min_size=1),
    head=st.sampled_from([h for h in HEADS if "binary" in HEADS[h].tasks]),
)
def test_round_trip_random_configs(lr, hidden, noise, features, head):
    config = Config(learning_rate=lr, hidden=hidden, noise=noise, features=tuple(sorted(features)), head=head)
    assert from_query(to_query(config)) == (config, [])


def test_a_link_of_many_junk_values_gets_a_bounded_list_of_notices():
    config, notices = from_query({f"junk{i}": "1" for i in range(500)} | {"lr": "0.1"})
    assert config.learning_rate == 0.1
    assert len(notices) == 11 and notices[-1] == "... and 490 more ignored link values."


def test_a_formula_link_says_what_is_wrong_with_it():
    config, notices = from_query({"data": "formula", "f": "sin(x1"})
    assert config == Config(dataset="formula")  # the default formula
    assert notices == [
        "Ignored f='sin(x1' from the link (Your formula f(x1, x2)): expected ')' here, found the end, "
        "using x2 - 2.5*sin(x1)."
    ]
    config, notices = from_query({"data": "formula", "f": "abs(x1) - x2^2"})
    assert (config.formula, config.task, config.classes, notices) == ("abs(x1) - x2^2", "binary", 2, [])


def test_feature_formulas_travel_joined_by_a_semicolon():
    config = Config(feature_formulas=("max(x1, x2)", "x1^2 + x2^2", "cos(x2)"))
    assert to_query(config) == {"ff": "max(x1, x2);x1^2 + x2^2;cos(x2)"}
    assert from_query(to_query(config)) == (config, [])
    assert config.input_features == ("x1", "x2", "max(x1, x2)", "x1^2 + x2^2", "cos(x2)")


def test_a_bad_feature_formula_in_a_link_is_dropped_with_its_position_and_the_rest_kept():
    config, notices = from_query({"ff": " cos(x1) ;x1 +* 2;;tanh(3*x1);cos(x1)"})
    assert config == Config(feature_formulas=("cos(x1)", "tanh(3*x1)"))  # stripped, each once
    assert notices == [
        "Ignored the feature formula 'x1 +* 2' from the link: at character 5, expected a number, x1, "
        "x2, a function or '(' here, found '*'."
    ]


@pytest.mark.parametrize(
    "text",
    ["__import__('os').system('ls')", "x1.__class__", "lambda: 1", "x1; import os", "open('f')"],
)
def test_a_hostile_feature_formula_is_never_kept(text):
    config, notices = from_query({"ff": text})
    assert config.feature_formulas in ((), ("x1",)) and notices  # "x1; import os" keeps x1 only


def test_at_most_four_feature_formulas_come_from_a_link():
    config, notices = from_query({"ff": ";".join(f"{k}*x1" for k in range(1, 7))})
    assert config.feature_formulas == ("1*x1", "2*x1", "3*x1", "4*x1")
    assert notices == ["The link has more feature formulas than the 4 allowed: using the first 4 that work."]
    config, notices = from_query({"ff": "junk;" * 5000})  # a hostile link: a bounded list of notices
    assert config == Config() and 1 <= len(notices) <= 10


def test_schedule_and_stop_rule_round_trip_through_their_short_keys():
    """The six fields under their documented URL keys, and back."""
    config = Config(schedule="step", schedule_period=25, schedule_factor=0.5, stop_rule="plateau",
                    stop_target=0.2, stop_patience=40)  # fmt: skip
    query = to_query(config)
    assert query == {"sched": "step", "speriod": "25", "sfactor": "0.5", "stop": "plateau",
                     "stoptarget": "0.2", "patience": "40"}  # fmt: skip
    assert from_query(query) == (config, [])


def test_an_accuracy_stop_rule_on_a_regression_problem_is_switched_off_with_a_notice():
    config, notices = from_query({"data": "plane", "head": "linear_mse", "stop": "test_accuracy_reached"})
    assert config.stop_rule == "none"
    assert notices == ["A regression problem has no accuracy to stop at: stop rule off."]


def test_a_link_with_an_accuracy_stop_rule_and_no_target_gets_an_accuracy_target():
    """A hand-written ``stop=test_accuracy_reached`` must not stop at once on "accuracy >= 0.05" (the
    default target is a loss's): it gets 0.95, as picking the rule in the sidebar does."""
    assert from_query({"stop": "test_accuracy_reached"})[0].stop_target == 0.95
    assert from_query({"stop": "train_loss_below"})[0].stop_target == 0.05
    assert from_query({"stop": "test_accuracy_reached", "stoptarget": "0.7"})[0].stop_target == 0.7
    for config in (
        Config(stop_rule="test_accuracy_reached", stop_target=0.05),  # odd but allowed: it travels
        Config(stop_rule="train_accuracy_reached", stop_target=0.95),
        Config(stop_rule="plateau", stop_target=0.95),
    ):
        assert from_query(to_query(config)) == (config, [])


def test_features_none_with_formulas_of_your_own_only():
    """features=none: the network's inputs are the typed formulas alone; with no formula either there
    would be no input, so the default features stay, with a notice."""
    config, notices = from_query({"features": "none", "ff": "x1*x2;cos(x1)"})
    assert notices == [] and (config.features, config.feature_formulas) == ((), ("x1*x2", "cos(x1)"))
    assert config.input_features == ("x1*x2", "cos(x1)") and config.layer_sizes[0] == 2
    assert to_query(config)["features"] == "none" and from_query(to_query(config)) == (config, [])
    for params in ({"features": "none"}, {"features": "none", "ff": "x1 +* 2"}):
        config, notices = from_query(params)
        assert config.features == Config().features and config.feature_formulas == ()
        assert notices[-1] == "No input feature and none of your own: using x1, x2.", notices
