"""TensorFlow Playground link import (``playground.teach.tfplayground``) and the teacher page.

The oracle for the mapping is TF Playground's own source as described in
/work/shared/reference/playground-anchors.md section 1 (defaults, keys, the noise each generator
applies), written out here independently of the module's tables.
"""

import dataclasses
import hashlib
import math
import urllib.parse
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

import nn_core
from playground.core import classroom
from playground.core.classroom import CONTROLS, Classroom
from playground.core.config import Config, from_query, to_query
from playground.core.experiment import Experiment
from playground.teach import tf_settings, tfplayground
from playground.teach.tfplayground import IGNORED, NEAREST, NONE, SAME, from_hash

ROOT = Path(__file__).resolve().parents[3]
TF_DEFAULT_HASH = (
    "activation=tanh&batchSize=10&dataset=circle&regDataset=reg-plane&learningRate=0.03&"
    "regularizationRate=0&noise=0&networkShape=4,2&seed=0.59704&showTestData=false&discretize=false&"
    "percTrainData=50&x=true&y=true&xTimesY=false&xSquared=false&ySquared=false&cosX=false&sinX=false&"
    "cosY=false&sinY=false&collectStats=false&problem=classification&initZero=false&hideText=false"
)
TF_SEED = 242485  # sha256("0.59704"), first 8 bytes big-endian, mod 1,000,000 (pinned: links must not drift)
TF_DEFAULT_CONFIG = Config(
    dataset="circles",
    n_samples=500,  # NUM_SAMPLES_CLASSIFY
    noise=0.0,
    train_percent=50,
    data_seed=TF_SEED,
    features=("x1", "x2"),
    hidden=(4, 2),
    activation="tanh",
    head="tanh_mse",  # tanh output, squared error
    init="uniform",  # U(-0.5, 0.5), bias 0.1
    init_seed=TF_SEED,
    bias_init="constant",  # TF's biases start at 0.1 (said outright, not left to the weight init)
    optimizer="sgd",
    learning_rate=0.03,
    batch_size=10,
    regularization="none",
    reg_rate=0.0,
    speed=2,  # one epoch per frame
    show_test=False,
    discretize=False,
)


def config_of(text):
    return from_hash(text)[0]


def valid(config):
    """A Config is valid when its own link reads back as itself without a notice."""
    return from_query(to_query(config)) == (config, [])


# --- the TF default link ------------------------------------------------------------------------------
def test_from_hash_tf_default_hash_gives_tf_playgrounds_setup():
    config, room, notes = from_hash("#" + TF_DEFAULT_HASH)
    assert config == TF_DEFAULT_CONFIG
    assert room == Classroom()
    assert not [n for n in notes if n.how in (IGNORED, NONE) and not n.tf.startswith("collectStats")]


@pytest.mark.parametrize(("tf", "bias"), [("initZero=false", 0.1), ("initZero=true", 0.0)])
def test_from_hash_starts_the_network_as_tf_does(tf, bias):
    """TF Playground's start (nn.ts): every weight in U(-0.5, 0.5) and every bias 0.1; with initZero
    everything 0. The imported link's network has exactly that, in every layer."""
    model = Experiment(dataclasses.replace(config_of("#" + tf), n_samples=40)).model
    for b in model.biases:
        np.testing.assert_array_equal(b, np.float32(bias))
    for W in model.weights:
        assert np.abs(W).max() <= 0.5 and (np.abs(W).max() > 0.1 if bias else not W.any())


def test_from_hash_seed_is_sha256_of_the_text_mod_our_range():
    digest = hashlib.sha256(b"0.59704").digest()
    assert int.from_bytes(digest[:8], "big") % 1_000_000 == TF_SEED


@pytest.mark.parametrize(
    "text",
    [
        f"https://playground.tensorflow.org/#{TF_DEFAULT_HASH}",
        f"playground.tensorflow.org/#{TF_DEFAULT_HASH}",
        f"#{TF_DEFAULT_HASH}",
        TF_DEFAULT_HASH,
        f"?{TF_DEFAULT_HASH}",
        f"  https://playground.tensorflow.org/#{TF_DEFAULT_HASH[:100]}\n{TF_DEFAULT_HASH[100:]}  ",
        TF_DEFAULT_HASH.replace("4,2", "4%2C2"),
    ],
)
def test_from_hash_accepts_url_hash_or_bare_query(text):
    assert config_of(text) == TF_DEFAULT_CONFIG


@pytest.mark.parametrize("text", ["", "https://playground.tensorflow.org/", "#", None])
def test_from_hash_without_settings_gives_tf_defaults_and_our_seeds(text):
    config, room, notes = from_hash(text)
    assert config == dataclasses.replace(TF_DEFAULT_CONFIG, data_seed=1, init_seed=1)
    assert any(n.tf.startswith("seed") and n.how == NEAREST for n in notes)


def test_from_hash_absent_keys_take_tf_defaults_not_ours():
    config = config_of("#dataset=xor")
    assert (config.hidden, config.n_samples, config.init, config.speed) == ((4, 2), 500, "uniform", 2)
    assert Config().hidden != (4, 2)  # the test means something only while our default differs


# --- each key -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("tf", "expected"),
    [
        ("dataset=circle", {"dataset": "circles"}),
        ("dataset=xor", {"dataset": "xor"}),
        ("dataset=gauss", {"dataset": "gaussian"}),
        ("dataset=spiral", {"dataset": "spiral", "n_classes": 2, "task": "binary"}),
        ("problem=regression", {"dataset": "plane", "head": "linear_mse", "n_samples": 1200}),
        ("problem=regression&regDataset=reg-gauss", {"dataset": "multi_gaussian", "head": "linear_mse"}),
        ("problem=regression&dataset=xor", {"dataset": "plane"}),
        ("problem=classification&regDataset=reg-gauss", {"dataset": "circles", "head": "tanh_mse"}),
        ("activation=relu", {"activation": "relu"}),
        ("activation=sigmoid", {"activation": "sigmoid"}),
        ("activation=linear", {"activation": "linear"}),
        ("activation=tanh", {"activation": "tanh"}),
        ("learningRate=0.00001", {"learning_rate": 0.00001}),
        ("learningRate=10", {"learning_rate": 10.0}),
        ("learningRate=0.05", {"learning_rate": 0.03}),  # log scale: 0.05/0.03 < 0.1/0.05
        ("learningRate=0.15", {"learning_rate": 0.2}),
        ("learningRate=1000", {"learning_rate": 10.0}),
        ("regularization=L1&regularizationRate=0.001", {"regularization": "l1", "reg_rate": 0.001}),
        ("regularization=L2&regularizationRate=10", {"regularization": "l2", "reg_rate": 10.0}),
        ("regularizationRate=0.002", {"reg_rate": 0.003}),
        ("batchSize=1", {"batch_size": 1}),
        ("batchSize=30", {"batch_size": 30}),
        ("batchSize=300", {"batch_size": 256}),
        ("batchSize=7.4", {"batch_size": 7}),
        ("networkShape=8,8,8,8,8,8", {"hidden": (8,) * 6}),
        ("networkShape=", {"hidden": ()}),
        ("networkShape=1", {"hidden": (1,)}),
        ("networkShape=" + ",".join(["3"] * 10), {"hidden": (3,) * 8}),
        ("networkShape=100,0", {"hidden": (64, 1)}),
        ("percTrainData=10", {"train_percent": 10}),
        ("percTrainData=90", {"train_percent": 90}),
        ("percTrainData=55", {"train_percent": 60}),
        ("percTrainData=5", {"train_percent": 10}),
        ("x=false&y=false&xSquared=true&ySquared=true", {"features": ("x1_sq", "x2_sq")}),
        (
            "xTimesY=true&sinX=true&sinY=true&xSquared=true&ySquared=true",
            {"features": ("x1", "x2", "x1_sq", "x2_sq", "x1_x2", "sin_x1", "sin_x2")},
        ),
        ("cosX=true&cosY=true", {"features": ("x1", "x2"), "feature_formulas": ("cos(x1)", "cos(x2)")}),
        ("x=false&y=false&cosY=true", {"features": (), "feature_formulas": ("cos(x2)",)}),
        ("cosX=true&cosX_hide=true&cosY=false", {"feature_formulas": ()}),
        ("sinX=true&cosX=true", {"features": ("x1", "x2", "sin_x1"), "feature_formulas": ("cos(x1)",)}),
        ("x=false&y=false", {"features": ("x1", "x2")}),
        ("showTestData=true&discretize=true", {"show_test": True, "discretize": True}),
        ("showTestData=1", {"show_test": True}),  # TF: anything but "false" is true
        ("initZero=true", {"init": "zeros", "bias_init": "zeros"}),
        ("initZero=false", {"init": "uniform", "bias_init": "constant"}),
        ("dataset=xor&dataset=spiral", {"dataset": "spiral"}),  # the last value wins, as in TF
        ("seed=", {"data_seed": 1, "init_seed": 1}),
    ],
)
def test_from_hash_maps_each_key(tf, expected):
    config = config_of("#" + tf)
    assert {name: getattr(config, name) for name in expected} == expected
    assert valid(config)


@pytest.mark.parametrize(
    ("tf", "how"),
    [
        ("cosX=true", SAME),
        ("hideText=true", NONE),
        ("tutorial=dp", NONE),
        ("problem=regression&regDataset=reg-argmax", NONE),
        ("collectStats=true", IGNORED),
        ("dataset=moons", IGNORED),
        ("activation=swish", IGNORED),
        ("learningRate=fast", IGNORED),
        ("learningRate=-1", IGNORED),
        ("batchSize=0", IGNORED),
        ("networkShape=4,x", IGNORED),
        ("noise=nan", IGNORED),
        ("regularization=L3", IGNORED),
        ("whatever=1", IGNORED),
        ("noise=200", NEAREST),
        ("learningRate=0.05", NEAREST),
        ("learningRate=0.03", NEAREST),  # the same number, but twice TF's step here: never "same"
    ],
)
def test_from_hash_notes_what_has_no_equivalent_or_is_ignored(tf, how):
    key = tf.split("&")[-1].split("=")[0]
    notes = from_hash("#" + tf)[2]
    assert any(n.tf.startswith(key) and n.how == how and n.why for n in notes), notes
    assert valid(config_of("#" + tf))


def test_from_hash_tf_cos_inputs_become_typed_features():
    config, _, notes = from_hash("#x=false&y=false&cosX=true&cosY=true")
    # TF's cos inputs alone: here too the network's only inputs (no checked feature needed)
    assert (config.features, config.feature_formulas) == ((), ("cos(x1)", "cos(x2)"))
    cos = [n for n in notes if n.tf.startswith(("cosX", "cosY"))]
    assert [(n.how, n.here) for n in cos] == [(SAME, "Your own features: cos(x1), cos(x2)")] * 2
    assert not any(n.tf == "(no input feature)" for n in notes)
    assert any(n.here == "Input features: none" for n in notes)
    assert config_of("#x=false&y=false").features == ("x1", "x2")  # no input at all: x1, x2
    assert any(n.tf == "(no input feature)" and n.how == NEAREST for n in from_hash("#x=false&y=false")[2])


@pytest.mark.parametrize("name", ["swish", "gelu", "elu", "softplus", "sine", "leaky_relu"])
def test_from_hash_our_own_activations_are_not_tfs_and_every_layer_gets_tfs_one(name):
    """TF Playground has relu, tanh, sigmoid and linear: a link naming one of our newer activations
    (not TF's) is ignored with a note, and the imported network uses one activation in every layer."""
    config, _, notes = from_hash(f"#activation={name}&networkShape=4,3,2")
    assert config.activation == "tanh" and config.hidden_activations == ("tanh",) * 3
    assert config.layer_activations == () and valid(config)
    assert any(n.tf.startswith("activation") and n.how == IGNORED for n in notes)
    relu = from_hash("#activation=relu&networkShape=4,3,2")[0]
    assert relu.hidden_activations == ("relu",) * 3 and relu.layer_activations == ()


def test_from_hash_malformed_values_fall_back_to_tf_defaults():
    config = config_of("#learningRate=fast&batchSize=-3&networkShape=4,x&activation=swish&noise=-5")
    assert (config.learning_rate, config.batch_size, config.hidden) == (0.03, 10, (4, 2))
    assert (config.activation, config.noise) == ("tanh", 0.0)


def test_from_hash_notes_every_key_of_the_link():
    notes = from_hash("#" + TF_DEFAULT_HASH)[2]
    for key in dict(part.split("=") for part in TF_DEFAULT_HASH.split("&")):
        if key in tf_settings.FEATURES or key in tf_settings.FORMULAS:
            assert any(key in n.tf for n in notes), key  # the features share one line
        else:
            assert any(n.tf.startswith(f"{key}=") for n in notes), key
    assert all(n.how in (SAME, NEAREST, NONE, IGNORED) for n in notes)


def test_from_hash_keeps_hostile_keys_and_values_short_in_the_notes():
    notes = from_hash("#" + "k" * 5000 + "=1&dataset=" + "v" * 5000 + "&(x)=1")[2]
    long = [n for n in notes if n.tf.startswith(("kkk", "dataset=vvv"))]
    assert len(long) == 2 and all(len(n.tf) == 61 for n in long)
    assert any(n.tf == "(x)=1" for n in notes)  # a key in brackets is still shown as a key


def test_from_hash_caps_notes_for_many_unknown_keys():
    notes = from_hash("#" + "&".join(f"k{i}=1" for i in range(500)))[2]
    unknown = [n for n in notes if n.how == IGNORED]
    assert len(unknown) == tf_settings.MAX_UNKNOWN_NOTES + 1 and "480 more" in unknown[-1].tf


# --- noise: the same spread as TF's generators ----------------------------------------------------------
def tf_spread(dataset, noise):
    """The spread TF's generator gives at ``noise`` (0..50), in our units (anchors 1.2, dataset.ts)."""
    t = noise / 100
    return {
        "circle": 5 * t / math.sqrt(3),  # label taken at the point moved by U(-5t, 5t) per axis
        "xor": 5 * t / math.sqrt(3),
        "gauss": math.sqrt(0.5 + 7 * t),  # variance 0.5 -> 4 as t goes 0 -> 0.5
        "spiral": t / math.sqrt(3),  # U(-t, t) jitter per axis
    }[dataset]


def our_spread(dataset, noise):
    """The spread of our generators (nn_core/datasets.py docstrings) at our noise in [0, 1]."""
    return {"circles": 1.5 * noise, "xor": 2.0 * noise, "gaussian": 0.7 + 2.6 * noise, "spiral": noise}[
        dataset
    ]


@pytest.mark.parametrize("dataset", ["circle", "xor", "gauss", "spiral"])
@pytest.mark.parametrize("noise", [0, 5, 15, 25, 35, 50])
def test_noise_matches_tf_spread_within_half_a_slider_step(dataset, noise):
    config = config_of(f"#dataset={dataset}&noise={noise}")
    assert config.noise in {round(0.05 * k, 2) for k in range(21)}  # a position of our slider
    slope = our_spread(config.dataset, 1.0) - our_spread(config.dataset, 0.0)
    assert abs(our_spread(config.dataset, config.noise) - tf_spread(dataset, noise)) <= slope * 0.025 + 0.01


def test_noise_gaussian_cluster_std_matches_tf_in_data():
    """Our generated clusters at the mapped noise have TF's standard deviation (sqrt of its variance)."""
    config = config_of("#dataset=gauss&noise=30")
    X, y = nn_core.make_dataset("gaussian", n_samples=20_000, noise=config.noise, rng=0)
    measured = np.std(X[y == 1] - [2.0, 2.0])
    assert measured == pytest.approx(math.sqrt(0.5 + 7 * 0.3), abs=0.07)


@pytest.mark.parametrize(("tf", "expected"), [("", 0.0), ("&noise=50", 0.4), ("&noise=10", 0.1)])
def test_noise_regression_plane_relative_to_the_range(tf, expected):
    assert config_of(f"#problem=regression{tf}").noise == expected


# --- hidden controls ----------------------------------------------------------------------------------
TF_HIDABLE = {
    "showTestData": "show_test",
    "discretize": "discretize",
    "playButton": "play",
    "stepButton": "step",
    "resetButton": "reset",
    "learningRate": "learning_rate",
    "activation": "activation",
    "regularization": "regularization",
    "regularizationRate": "reg_rate",
    "dataset": "dataset",
    "percTrainData": "train_percent",
    "noise": "noise",
    "batchSize": "batch_size",
    "numHiddenLayers": "hidden",
}


@pytest.mark.parametrize(("tf", "ours"), TF_HIDABLE.items())
def test_hide_flags_hide_the_matching_control(tf, ours):
    assert from_hash(f"#{tf}_hide=true")[1] == Classroom(hidden=frozenset({ours}))
    assert from_hash(f"#{tf}_hide=false")[1] == Classroom()
    assert from_hash(f"#{tf}_hide=TRUE")[1] == Classroom()  # TF hides only for exactly "true"


def test_hide_flags_all_at_once_name_real_controls():
    room = from_hash("#" + "&".join(f"{tf}_hide=true" for tf in TF_HIDABLE))[1]
    assert room.hidden == set(TF_HIDABLE.values()) and room.hidden <= set(CONTROLS)


def test_hide_flag_of_a_feature_removes_that_input_as_tf_does():
    config, room, notes = from_hash("#xTimesY=true&x_hide=true")
    assert config.features == ("x2", "x1_x2") and room == Classroom()
    assert any(n.tf.startswith("x_hide") and n.how == NONE for n in notes)


@pytest.mark.parametrize("tf", ["problem_hide=true", "foo_hide=true"])
def test_hide_flags_without_equivalent_are_noted(tf):
    config, room, notes = from_hash("#" + tf)
    assert room == Classroom() and any(n.tf.startswith(tf.split("=")[0]) and n.why for n in notes)


def test_imported_link_round_trips_through_our_url():
    config, room, _ = from_hash("#dataset=spiral&noise=20&networkShape=6,3&learningRate_hide=true&seed=abc")
    query = to_query(config) | classroom.to_query(room)
    assert from_query(query, other_keys=classroom.QUERY_KEYS) == (config, [])
    assert classroom.from_query(query) == (room, [])


# --- hostile input ------------------------------------------------------------------------------------
TF_KEYS = [*tfplayground.TF_KEYS, *(f"{k}_hide" for k in TF_HIDABLE), "x_hide", "zzz", ""]


def check_result(result):
    config, room, notes = result
    assert valid(config)
    assert isinstance(room, Classroom) and room.hidden <= set(CONTROLS) and not room.locked
    assert all(isinstance(n, tfplayground.Note) and n.how in (SAME, NEAREST, NONE, IGNORED) for n in notes)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_from_hash_any_text_never_raises_and_gives_a_valid_config(text):
    check_result(from_hash(text))


VALUES = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["true", "false", "", "nan", "inf", "-1", "1e308", "0x10", "4,,2", "%ZZ", "１０"]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.lists(st.integers(-5, 200), max_size=12).map(lambda xs: ",".join(map(str, xs))),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(TF_KEYS), VALUES), max_size=30))
def test_from_hash_any_values_of_tf_keys_never_raise(pairs):
    text = "#" + "&".join(f"{urllib.parse.quote(k)}={urllib.parse.quote(v)}" for k, v in pairs)
    check_result(from_hash(text))


# --- the page (AppTest) -------------------------------------------------------------------------------
PAGE = "pages/teacher.py"


@pytest.fixture
def app():
    """An AppTest of the app, on the Playground (small and fast)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"points": "60", "hidden": "3"})
    at.run()
    assert not at.exception, at.exception
    return at


def teacher(at):
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert [h.value for h in at.header] == [
        "Build a link for your class",
        "Run a race: a class challenge with a live board",
        "Import a TensorFlow Playground link",
    ]
    return at


def link_query(link):
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(link).query))


def read_link(link):
    """(config, classroom) as the Playground reads the link."""
    query = link_query(link)
    config, notices = from_query(query, other_keys=classroom.QUERY_KEYS)
    room, more = classroom.from_query(query)
    assert notices == more == []
    return config, room


def test_page_builds_a_link_with_hidden_and_locked_controls_task_and_goal(app):
    at = teacher(app)
    assert read_link(at.code[0].value) == (Config(n_samples=60, hidden=(3,)), Classroom())
    at.multiselect(key="tch_hide").set_value(["learning_rate", "activation"]).run()
    at.multiselect(key="tch_lock").set_value(["dataset"]).run()
    at.text_area(key="tch_task").input("Separate the **circles** with 3 neurons.").run()
    at.text_input(key="tch_goal").input("test_accuracy>=0.95;neurons<=6").run()
    assert not at.exception and not at.error
    config, room = read_link(at.code[0].value)
    assert config == Config(n_samples=60, hidden=(3,))  # the Playground's setup
    assert room == Classroom(
        hidden=frozenset({"learning_rate", "activation"}),
        locked=frozenset({"dataset"}),
        task="Separate the **circles** with 3 neurons.",
        goal="test_accuracy>=0.95;neurons<=6",
    )
    assert urllib.parse.urlsplit(at.code[0].value).path.endswith("/")  # the Playground: the app's root


def test_page_reports_an_unreadable_goal_and_leaves_it_out(app):
    at = teacher(app)
    at.text_input(key="tch_goal").input("test_acc>=2").run()
    assert "test_acc" in at.error[0].value
    assert "goal" not in link_query(at.code[0].value)


def test_page_a_control_both_hidden_and_locked_is_hidden(app):
    at = teacher(app)
    at.multiselect(key="tch_hide").set_value(["noise"]).run()
    at.multiselect(key="tch_lock").set_value(["noise", "batch_size"]).run()
    room = read_link(at.code[0].value)[1]
    assert room.hidden == {"noise"} and room.locked == {"batch_size"}


def test_page_without_the_playground_uses_the_defaults(app):
    del app.session_state["pg_experiment"]
    at = teacher(app)
    assert read_link(at.code[0].value) == (Config(), Classroom())


def test_page_open_it_here_opens_the_playground_as_the_link_would(app):
    at = teacher(app)
    at.multiselect(key="tch_hide").set_value(["learning_rate"]).run()
    at.text_area(key="tch_task").input("Try it.").run()
    at.button(key="tch_open").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "NumPy Neural Network Playground"
    assert at.session_state["pg_classroom"] == Classroom(hidden=frozenset({"learning_rate"}), task="Try it.")
    assert at.session_state["pg_experiment"].config == Config(n_samples=60, hidden=(3,))
    assert "cfg_learning_rate" not in {w.key for w in at.get("select_slider")}


def test_page_imports_a_tf_link_and_opens_it(app):
    at = teacher(app)
    tf_link = (
        "https://playground.tensorflow.org/#dataset=xor&activation=relu&learningRate_hide=true&cosX=true"
        "&hideText=true"
    )
    at.text_input(key="tch_tf").input(tf_link).run()
    assert not at.exception, at.exception
    table = at.table[0].value
    assert list(table.columns) == ["TensorFlow Playground", "Here", "How", "What differs"]
    assert "no equivalent" in set(table["How"])
    expected = from_hash(tf_link)
    assert read_link(at.code[1].value) == expected[:2]
    at.button(key="tch_tf_open").click().run()
    assert not at.exception, at.exception
    assert at.session_state["pg_experiment"].config == expected[0]
    assert expected[0].feature_formulas == ("cos(x1)",)  # TF's cos input, a typed feature here
    assert at.session_state["pg_classroom"] == Classroom(hidden=frozenset({"learning_rate"}))


@pytest.mark.parametrize(
    "text",
    ["#noise=%ZZ&networkShape=1e308", "javascript:alert(1)", "&&&===", "#" + "x" * 5000],
    ids=["bad-values", "script", "separators", "long"],
)
def test_page_survives_hostile_pastes(app, text):
    at = teacher(app)
    at.text_input(key="tch_tf").input(text).run()
    assert not at.exception, at.exception
    assert valid(read_link(at.code[1].value)[0])


def test_a_link_copied_html_escaped_keeps_every_setting():
    """Issue 17: "&amp;" between the keys (copied from a web page or an LMS editor) kept only the first
    key and opened TF's defaults."""
    escaped = "https://playground.tensorflow.org/#dataset=xor&amp;networkShape=3&amp;activation=relu"
    config = config_of(escaped)
    assert (config.dataset, config.hidden, config.activation) == ("xor", (3,), "relu")
    assert config_of(escaped.replace("&amp;", "&")) == config


def test_from_hash_leaves_the_schedule_and_the_stop_rule_at_their_defaults():
    """TF Playground has neither: a constant learning rate, training until paused."""
    config = config_of("#" + TF_DEFAULT_HASH.replace("learningRate=0.03", "learningRate=0.1"))
    names = ("schedule", "schedule_period", "schedule_factor", "stop_rule", "stop_target", "stop_patience")
    assert config.learning_rate == 0.1
    assert {n: getattr(config, n) for n in names} == {n: getattr(Config(), n) for n in names}
