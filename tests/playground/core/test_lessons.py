"""Lessons and goals: every lesson file validates and its reference solution reaches its goal (while
the starting configuration alone does not); broken lesson files fail with the file and the key named;
goal texts parse, read in plain words and are checked live against hand-made and real experiments;
hostile goal texts raise ValueError and nothing else; the Lessons page through the app.

The replays train epoch by epoch and check the goal after every epoch, as the Playground checks it
after every tick: a goal the start configuration meets even for one epoch would show a pass badge.
"""

import json
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from playground.core import classroom, goals
from playground.core.config import FIELDS, Config, from_query, to_query
from playground.core.experiment import Experiment
from playground.core.lesson_tables import Step
from playground.core.lessons import Lesson, control_labels, find_lesson, load_lesson, load_lessons

APP = str(Path(__file__).resolve().parents[3] / "app.py")
PAGE = "pages/lessons.py"
LESSONS = load_lessons()
# The topics, each covered by a lesson of this id.
TOPICS = (
    "xor_hidden_layer",
    "learning_rate_too_small",
    "learning_rate_too_large",
    "features_versus_depth",
    "overfitting_regularization",
    "vanishing_gradients",
    "spiral_softmax",
    "optimizer_race",
    "initialization",
    "schedule_past_a_plateau",  # issue 16: a learning-rate schedule
    "feature_formula_circles",  # issue 16: a typed input feature
)


# --- the lesson files ---------------------------------------------------------------------------
def test_load_lessons_repository_files_cover_every_topic_in_order():
    assert len(LESSONS) >= 8
    assert set(TOPICS) <= {lesson.id for lesson in LESSONS}
    assert [lesson.order for lesson in LESSONS] == sorted(lesson.order for lesson in LESSONS)
    assert all(isinstance(lesson, Lesson) and isinstance(lesson.config, Config) for lesson in LESSONS)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_lesson_classroom_and_config_survive_the_link(lesson):
    """What "Start this lesson" opens is exactly what a shared link of it reopens."""
    room = lesson.classroom()
    assert room == classroom.Classroom(
        frozenset(lesson.hidden), frozenset(lesson.locked), lesson.text, lesson.goal, lesson.id
    )
    assert classroom.from_query(classroom.to_query(room)) == (room, [])
    assert from_query(to_query(lesson.config)) == (lesson.config, [])
    assert lesson.describe_goal() == goals.parse_goal(lesson.goal).describe()
    assert find_lesson(lesson.id) == lesson


def replay(start, steps, goal):
    """Train like the Playground: each step moves the experiment to its config (Reset first if asked),
    then trains epoch by epoch, observing and checking the goal after every epoch.
    Returns (experiment, last GoalStatus, statuses at epoch 0)."""
    exp, memory = Experiment(start), goals.new_memory()
    at_start = goals.evaluate(goal, exp, memory)
    status = at_start
    for step in steps:
        exp.update(step.config)
        if step.reset:
            exp.reset()
        for _ in range(step.epochs):
            exp.train(1)
            goals.observe(memory, exp)
            status = goals.evaluate(goal, exp, memory)
    return exp, status, at_start


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_lesson_solution_reaches_goal_and_start_alone_does_not(lesson):
    goal = goals.parse_goal(lesson.goal)
    _, status, at_start = replay(lesson.config, lesson.solution, goal)
    assert not at_start.passed
    assert status.passed, [check.now for check in status.checks]
    # ... and still holds at the end, so a page that checks only when training stops sees it too
    assert all(check.ok for check in status.checks), [check.now for check in status.checks]
    # The start configuration, trained as long as the whole solution, never meets the goal.
    epochs = sum(step.epochs for step in lesson.solution)
    _, untouched, _ = replay(lesson.config, [Step(lesson.config, epochs)], goal)
    assert not untouched.passed, [check.now for check in untouched.checks]


# --- broken lesson files ------------------------------------------------------------------------
VALID = """\
id = "tiny"
title = "Tiny"
order = 1
text = "Train it."
goal = "test_accuracy >= 90%"
hidden = ["dropout"]
locked = ["dataset"]

[config]
dataset = "gaussian"
n_samples = 40

[solution]
hidden = [2]
epochs = 20
"""


def write(folder, text=VALID, name="01_tiny.toml"):
    path = Path(folder) / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_load_lesson_valid_file_reads_every_key(tmp_path):
    lesson = load_lesson(write(tmp_path))
    assert (lesson.id, lesson.title, lesson.order, lesson.text, lesson.hint) == (
        "tiny",
        "Tiny",
        1,
        "Train it.",
        "",
    )
    assert lesson.config == Config(dataset="gaussian", n_samples=40)
    assert lesson.solution == (Step(Config(dataset="gaussian", n_samples=40, hidden=(2,)), 20),)
    assert (lesson.hidden, lesson.locked) == (("dropout",), ("dataset",))


def test_load_lesson_text_joins_wrapped_lines_but_keeps_paragraphs_and_lists(tmp_path):
    text = 'text = """\nOne\nsentence.\n\nA list:\n- first\n- second\n1. third\n"""'
    lesson = load_lesson(write(tmp_path, VALID.replace('text = "Train it."', text)))
    assert lesson.text == "One sentence.\n\nA list:\n- first\n- second\n1. third"


def test_load_lesson_steps_apply_on_top_of_each_other(tmp_path):
    text = VALID.replace("[solution]\nhidden = [2]\nepochs = 20\n", "")
    text += "[[solution.steps]]\nlearning_rate = 3.0\nepochs = 5\n"
    text += "[[solution.steps]]\nlearning_rate = 0.03\nfeatures = ['x2_sq', 'x1']\nreset = true\nepochs = 7\n"
    first, second = load_lesson(write(tmp_path, text)).solution
    assert first == Step(Config(dataset="gaussian", n_samples=40, learning_rate=3.0), 5)
    # features come in the sidebar's order whatever the file's
    expected = Config(dataset="gaussian", n_samples=40, features=("x1", "x2_sq"))
    assert second == Step(expected, 7, reset=True)


def test_a_lesson_may_train_on_typed_features_alone(tmp_path):
    text = VALID.replace("n_samples = 40", "n_samples = 40\nfeatures = []\nfeature_formulas = ['x1*x2']", 1)
    lesson = load_lesson(write(tmp_path, text))
    assert (lesson.config.features, lesson.config.feature_formulas) == ((), ("x1*x2",))


BROKEN = [
    # (what to replace in VALID, with what, words the error must contain)
    ("order = 1", 'order = 1\ncolour = "red"', ["colour", "unknown key"]),
    ('goal = "test_accuracy >= 90%"\n', "", ["goal", "missing"]),
    ("order = 1", 'order = "1"', ["order", "expected an integer"]),
    ("order = 1", "order = true", ["order", "expected an integer"]),
    ('text = "Train it."', 'text = ""', ["text", "1 to"]),
    ('text = "Train it."', f'text = "{"x" * 1001}"', ["text", "1 to 1000"]),
    ('id = "tiny"', 'id = "other"', ["id", "'other'", "file name"]),
    ('id = "tiny"', 'id = "Tiny!"', ["id", "'Tiny!'"]),
    ("n_samples = 40", "colour = 1", ["config.colour", "not a Config field"]),
    ("n_samples = 40", 'n_samples = "40"', ["config.n_samples", "expected an integer", "str '40'"]),
    ("n_samples = 40", "n_samples = 40.0", ["config.n_samples", "expected an integer"]),
    ("n_samples = 40", "n_samples = 5", ["config.n_samples", "not allowed", "from 20 to 2000"]),
    ("n_samples = 40", "learning_rate = 0.05", ["config.learning_rate", "not allowed", "0.03"]),
    ("n_samples = 40", "hidden = [4, 100]", ["config.hidden", "not allowed"]),
    ("n_samples = 40", "hidden = [4, 2.5]", ["config.hidden", "list of integers"]),
    ("n_samples = 40", "features = ['x3']", ["config.features", "not allowed"]),
    ("n_samples = 40", "features = []", ["config.features", "not allowed", "none with features of your own"]),
    ("n_samples = 40", "feature_formulas = ['x1 +* 2']", ["config.feature_formulas", "at character 5"]),
    ("n_samples = 40", "feature_formulas = ['x1', 'x1']", ["config.feature_formulas", "each once"]),
    ("n_samples = 40", "feature_formulas = [3]", ["config.feature_formulas", "a list of names"]),
    ("n_samples = 40", "show_test = 1", ["config.show_test", "true or false"]),
    ('dataset = "gaussian"', 'dataset = "upload"', ["config.dataset", "not a built-in dataset"]),
    ('dataset = "gaussian"', 'dataset = "plane"', ["config.head", "not allowed", "regression"]),
    ('hidden = ["dropout"]', 'hidden = ["colour"]', ["hidden", "'colour' is not a control"]),
    ('hidden = ["dropout"]', 'hidden = "dropout"', ["hidden", "expected a list"]),
    ('locked = ["dataset"]', 'locked = ["dataset", "dataset"]', ["locked", "twice"]),
    ('locked = ["dataset"]', 'locked = ["dropout"]', ["locked", "hidden already"]),
    ('locked = ["dataset"]', 'locked = ["play", "step"]', ["Play or Step"]),
    ('goal = "test_accuracy >= 90%"', 'goal = "accuracy >= 90%"', ["goal", "unknown metric 'accuracy'"]),
    ('goal = "test_accuracy >= 90%"', 'goal = ""', ["goal", "empty"]),
    ("epochs = 20", "", ["solution.epochs", "expected an integer"]),
    ("epochs = 20", "epochs = 0", ["solution.epochs", "from 1 to"]),
    ("epochs = 20", "epochs = 20\nreset = 'yes'", ["solution.reset", "true or false"]),
    ("hidden = [2]", "hidden = [2]\ndataset = 'xor'", ["solution", "changes dataset", "locked"]),
    ("hidden = [2]", "hidden = [2]\ndropout = 0.1", ["solution", "changes dropout"]),
    ("hidden = [2]", "hidden = [2]\nmomentum = 0.9", ["solution.momentum", "not a Config field"]),
    ("epochs = 20", "epochs = 20\nsteps = []", ["solution", "not both"]),
    ("[config]", "[config\n", ["not valid TOML"]),
    ("n_samples = 40", "layer_activations = ['relu', 'mish']", ["config.layer_activations", "not allowed"]),
    (
        "n_samples = 40",
        "layer_activations = ['relu', 'sine', 'elu']",
        ["config.layer_activations", "per hidden layer"],
    ),
    (
        "n_samples = 40",
        "layer_activations = 'relu'",
        ["config.layer_activations", "expected a list of names"],
    ),
]


@pytest.mark.parametrize(("old", "new", "words"), BROKEN, ids=[" ".join(b[2][:2]) for b in BROKEN])
def test_load_lesson_broken_file_names_file_and_key(tmp_path, old, new, words):
    assert old in VALID
    path = write(tmp_path, VALID.replace(old, new, 1))
    with pytest.raises(ValueError) as error:
        load_lesson(path)
    message = str(error.value)
    assert message.startswith("01_tiny.toml: ")
    for word in words:
        assert word in message


TOML_VALUES = st.one_of(
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.text(max_size=20),
    st.lists(st.integers(-5, 100), max_size=10),
    st.lists(st.sampled_from(["x1", "x2", "x1_sq", "sin_x1", "x9", ""]), max_size=4),
)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from([*FIELDS, "epochs", "reset"]), TOML_VALUES)
def test_load_lesson_any_value_anywhere_raises_only_value_error(tmp_path_factory, name, value):
    """Whatever a lesson's author writes for a key, the error is a ValueError naming the file."""
    line = f"{name} = {json.dumps(value)}"  # JSON's numbers, strings, booleans and arrays are TOML
    for old in ("n_samples = 40", "epochs = 20"):
        path = write(tmp_path_factory.mktemp("lesson"), VALID.replace(old, f"{old}\n{line}"))
        try:
            load_lesson(path)
        except ValueError as error:
            assert str(error).startswith("01_tiny.toml: ")


def test_load_lesson_may_give_each_hidden_layer_its_activation(tmp_path):
    """config and solution may set layer_activations, one name per hidden layer."""
    text = VALID.replace(
        "n_samples = 40", "n_samples = 40\nhidden = [3, 3]\nlayer_activations = ['relu', 'sine']"
    )
    text = text.replace("hidden = [2]", "hidden = [3, 3]\nlayer_activations = ['gelu', 'swish']")
    lesson = load_lesson(write(tmp_path, text))
    assert lesson.config.hidden_activations == ("relu", "sine")
    assert lesson.solution[0].config.hidden_activations == ("gelu", "swish")


def test_load_lesson_solution_may_not_set_layer_activations_when_the_activation_is_hidden(tmp_path):
    """The page hides the per-layer selects with the activation: a solution cannot use them either."""
    text = VALID.replace('hidden = ["dropout"]', 'hidden = ["activation"]')
    text = text.replace("hidden = [2]", "layer_activations = ['relu', 'sine']")
    with pytest.raises(ValueError, match="solution: changes layer_activations, hidden or locked"):
        load_lesson(write(tmp_path, text))


def test_load_lesson_empty_steps_and_bad_file_name_raise(tmp_path):
    steps = VALID.replace("[solution]\nhidden = [2]\nepochs = 20\n", "[solution]\nsteps = []\n")
    with pytest.raises(ValueError, match=r"01_tiny.toml: solution.steps: expected one or more"):
        load_lesson(write(tmp_path, steps))
    with pytest.raises(ValueError, match=r"tiny.toml: the file name must be NN_<id>.toml"):
        load_lesson(write(tmp_path, name="tiny.toml"))


def test_load_lessons_sorts_by_order_and_rejects_duplicates(tmp_path):
    write(tmp_path, VALID.replace("order = 1", "order = 2"))
    write(tmp_path, VALID.replace('"tiny"', '"small"'), name="02_small.toml")
    assert [lesson.id for lesson in load_lessons(tmp_path)] == ["small", "tiny"]
    write(tmp_path, VALID.replace('"tiny"', '"teeny"').replace("order = 1", "order = 2"), "03_teeny.toml")
    with pytest.raises(ValueError, match=r"03_teeny.toml: order 2 is also used by 01_tiny.toml"):
        load_lessons(tmp_path)
    write(tmp_path, VALID, name="04_tiny.toml")
    with pytest.raises(ValueError, match=r"04_tiny.toml: id 'tiny' is also used by 01_tiny.toml"):
        load_lessons(tmp_path)


# --- goals: reading ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("test_accuracy >= 95%; neurons <= 6", "test accuracy ≥ 95 % and at most 6 hidden neurons"),
        ("test_accuracy>=0.95;neurons<=6;", "test accuracy ≥ 95 % and at most 6 hidden neurons"),
        ("  TEST_LOSS < 0.177 ", "test loss < 0.177"),
        ("train_loss <= 1e-3; layers > 1", "training loss ≤ 0.001 and more than 1 hidden layers"),
        ("layers <= 0; train_accuracy > 50%", "no hidden layer and training accuracy > 50 %"),
        ("neurons >= 1; layers < 3", "at least 1 hidden neuron and fewer than 3 hidden layers"),
        ("epoch <= 200; test_accuracy >= 90%", "test accuracy ≥ 90 % by epoch 200"),
        ("test_loss < .45; epoch >= 300", "test loss < 0.45 at epoch 300 or later"),
        ("epoch > 10", "after epoch 10"),
        ("diverged; test_loss < 0.01", "the loss diverged at least once and test loss < 0.01"),
        (
            "diverged;layers>=1;test_loss<1",
            "the loss diverged at least once, at least 1 hidden layer and test loss < 1",
        ),
    ],
)
def test_parse_goal_describe_reads_in_plain_words(text, words):
    assert goals.parse_goal(text).describe() == words


def test_parse_goal_percent_is_a_fraction():
    percent, fraction = goals.parse_goal("test_accuracy >= 95%"), goals.parse_goal("test_accuracy >= 0.95")
    assert percent.conditions == fraction.conditions == (goals.Condition("test_accuracy", ">=", 0.95),)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        (" ; ;", "empty"),
        ("accuracy >= 0.9", "unknown metric 'accuracy'"),
        ("test_accuracy = 0.9", "'test_accuracy = 0.9'"),
        ("test_accuracy >= 95", "above 100 %"),
        ("neurons <= 6.5", "whole number"),
        ("test_loss < 5%", "only accuracies"),
        ("test_loss < -1", "not negative"),
        ("epoch <= 1e400", "finite"),
        ("test_loss < 1.2.3", "'1.2.3'"),
        ("test_loss < e", "not a number"),
        ("test_loss < ٣", "plain ASCII"),  # an Arabic-Indic 3: float() would read it, the grammar not
        ("test_loss ≤ 0.1", "write <="),
        ("test_loss\u00a0< 1", "plain ASCII"),  # a no-break space, as pasted from a web page
        ("__import__('os').system('x') > 1", "cannot read"),
        ("test_loss", "cannot read"),
        ("< 3", "metric name"),
        ("x" * 201, "at most 200"),
        ("; ".join(["epoch > 1"] * 9), "at most 8"),
    ],
)
def test_parse_goal_bad_text_raises_value_error_naming_the_part(text, words):
    with pytest.raises(ValueError) as error:
        goals.parse_goal(text)
    assert words in str(error.value)


@settings(max_examples=300, deadline=None)
@given(
    st.text(max_size=60)
    | st.text(alphabet="test_lossaccuracyneuronslayerepochdivrg<>=;%.0123456789e- ", max_size=60)
)
def test_parse_goal_random_text_raises_only_value_error(text):
    try:
        goal = goals.parse_goal(text)
    except ValueError:
        return
    assert goal.conditions and goal.describe()


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(sorted(goals.METRICS)), st.sampled_from(sorted(goals.OPS)), st.integers(0, 100)
        ),
        min_size=1,
        max_size=8,
    )
)
def test_parse_goal_grammar_texts_parse_to_their_conditions(parts):
    fraction = {name for name, m in goals.METRICS.items() if m.kind == "accuracy"}  # accuracies, F1
    text = "; ".join(f"{metric} {op} {n / 100 if metric in fraction else n}" for metric, op, n in parts)
    goal = goals.parse_goal(text)
    assert [(c.metric, c.op) for c in goal.conditions] == [(m, op) for m, op, _ in parts]
    assert goal.describe()


# --- goals: checking ----------------------------------------------------------------------------
def fake(epoch=5, hidden=(4,), diverged=False, **record):
    """A hand-made experiment: just what goals read (metrics(), epoch, diverged, config.hidden)."""
    record = {"train_loss": 0.3, "val_loss": 0.4, "train_accuracy": 0.9, "val_accuracy": 0.88} | record
    return SimpleNamespace(
        epoch=epoch, diverged=diverged, config=SimpleNamespace(hidden=hidden), metrics=lambda: record
    )


def test_evaluate_reports_each_condition_with_its_value_now():
    goal = goals.parse_goal("test_accuracy >= 95%; neurons <= 6; layers < 2; epoch <= 10")
    status = goals.evaluate(goal, fake(val_accuracy=0.9134, hidden=(3, 2)))
    assert status == goals.GoalStatus(
        False,
        (
            goals.Check("test accuracy ≥ 95 %", False, "test accuracy now 91.3 %"),
            goals.Check("at most 6 hidden neurons", True, "hidden neurons now 5"),
            goals.Check("fewer than 2 hidden layers", False, "hidden layers now 2"),
            goals.Check("by epoch 10", True, "epoch now 5"),
        ),
        None,
    )
    assert status.badge == "Not reached yet"


def test_evaluate_undefined_metric_is_not_met():
    goal = goals.parse_goal("test_accuracy >= 0%; train_loss < 10")
    regression = goals.evaluate(goal, fake(val_accuracy=None, train_accuracy=None))
    assert [c.ok for c in regression.checks] == [False, True]
    assert regression.checks[0].now == "test accuracy: none for regression"
    untrained = goals.evaluate(goal, fake(epoch=0))
    assert [c.now for c in untrained.checks] == [
        "test accuracy: not trained yet",
        "training loss: not trained yet",
    ]
    diverged = goals.evaluate(goal, fake(diverged=True))
    assert not diverged.passed
    assert diverged.checks[1].now == "training loss: infinite (the loss diverged)"


def test_evaluate_pass_stays_passed_as_the_loss_wobbles():
    goal, memory = goals.parse_goal("test_loss < 0.2; neurons <= 4"), goals.new_memory()
    assert not goals.evaluate(goal, fake(epoch=10, val_loss=0.25), memory).passed
    passed = goals.evaluate(goal, fake(epoch=11, val_loss=0.19), memory)
    assert (passed.passed, passed.passed_at, passed.badge) == (True, 11, "Passed at epoch 11")
    later = goals.evaluate(goal, fake(epoch=12, val_loss=0.21), memory)
    assert (later.passed, later.passed_at) == (True, 11)
    assert [c.ok for c in later.checks] == [False, True]  # the checks still say how things are now
    assert memory["first_held"] == {"test loss < 0.2": 11, "at most 4 hidden neurons": 10}
    json.dumps(memory)  # plain data: it lives in session state


def test_observe_remembers_divergence_after_training_forgets_it():
    goal, memory = goals.parse_goal("diverged; test_loss < 0.2"), goals.new_memory()
    assert goals.evaluate(goal, fake(val_loss=0.1), memory).checks[0] == goals.Check(
        "the loss diverged at least once", False, "not diverged yet"
    )
    goals.observe(memory, fake(epoch=7, diverged=True))
    goals.observe(memory, fake(epoch=9, diverged=True))  # the first divergence is the one kept
    status = goals.evaluate(goal, fake(epoch=20, val_loss=0.1), memory)
    assert status.passed
    assert status.checks[0] == goals.Check("the loss diverged at least once", True, "diverged after epoch 7")


def test_evaluate_real_experiment_classification():
    config = Config(dataset="gaussian", n_samples=40, hidden=(2,), batch_size=0, learning_rate=0.1)
    exp, memory = Experiment(config), goals.new_memory()
    goal = goals.parse_goal("test_accuracy >= 90%; neurons <= 2; layers <= 1")
    assert not goals.evaluate(goal, exp, memory).passed  # epoch 0: nothing trained yet
    exp.train(30)
    status = goals.evaluate(goal, exp, memory)
    assert status.passed and status.passed_at == 30
    assert status.checks[0].now == f"test accuracy now {exp.metrics()['val_accuracy'] * 100:.1f} %"


def test_evaluate_real_experiment_diverges_then_recovers():
    config = Config(dataset="plane", head="linear_mse", learning_rate=3.0)
    exp, memory = Experiment(config), goals.new_memory()
    goal = goals.parse_goal("diverged; test_loss < 0.05; test_accuracy >= 0%")
    exp.train(5)
    goals.observe(memory, exp)
    assert exp.diverged and memory["diverged_at"] == exp.epoch
    exp.update(Config(dataset="plane", head="linear_mse", learning_rate=0.03))
    exp.reset()
    assert not exp.diverged  # the trainer forgot; the memory did not
    exp.train(50)
    checks = goals.evaluate(goal, exp, memory).checks
    assert [c.ok for c in checks] == [True, True, False]  # regression: no accuracy, never met
    assert checks[2].now == "test accuracy: none for regression"


# --- the page -----------------------------------------------------------------------------------
@pytest.fixture
def app():
    """The app, switched to the Lessons page."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


def test_lessons_page_lists_every_lesson_in_order(app):
    assert [s.value for s in app.subheader] == [f"{lesson.order}. {lesson.title}" for lesson in LESSONS]
    markdown = [m.value for m in app.markdown]
    for lesson in LESSONS:
        assert lesson.text in markdown
        assert f"**Goal:** {lesson.describe_goal()}" in markdown
    captions = [c.value for c in app.caption]
    for lesson in LESSONS:
        assert f"Locked: {', '.join(control_labels(lesson.locked))}" in captions
    assert (
        "Locked: Dataset, Number of points, Noise, Training data (%), Data seed, Input features, "
        in (
            captions[1]  # the sidebar's labels, not the field names
        )
    )
    assert app.progress[0].proto.text == f"0 of {len(LESSONS)} lessons passed in this session"


def test_lessons_page_shows_the_session_passes(app):
    app.session_state["pg_passed_lessons"] = {"xor_hidden_layer", "gone_lesson"}
    app.run()
    assert app.progress[0].proto.text == f"1 of {len(LESSONS)} lessons passed in this session"
    badges = [m.value for m in app.markdown if "-badge[" in m.value]
    assert badges == [":green-badge[:material/check_circle: Passed]"]
    assert app.button(key="lsn_start_xor_hidden_layer").proto.type == "secondary"
    assert app.button(key="lsn_start_initialization").proto.type == "primary"


def test_lessons_page_start_opens_the_playground_with_the_lesson(app):
    lesson = find_lesson("vanishing_gradients")
    app.button(key=f"lsn_start_{lesson.id}").click().run()
    assert not app.exception
    assert app.session_state["pg_url_config"] == (lesson.config, [])
    assert app.session_state["pg_classroom"] == lesson.classroom()
    assert "Lessons" not in [t.value for t in app.title]  # now on the Playground
