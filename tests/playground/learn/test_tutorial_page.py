"""The tutorial page: the tutorial's script run as published, its nn_core twin, the Playground config,
and the page itself (AppTest through the app's navigation).

The oracle for the script's output is the tutorial's code as copied in tests/nn_core/test_tutorial.py,
not the script file the app runs, with the progress print of its Step 8 put back. Like that module,
it uses the legacy global ``np.random.seed``: only here, in the test process, never in the app.
"""

import base64
import dataclasses
import functools
import json
import textwrap
from pathlib import Path

import numpy as np
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from playground.core.config import FIELDS, from_query, to_query
from playground.core.experiment import Experiment
from playground.figures.tutorial import tutorial_loss_figure
from playground.learn import tutorial
from tests.nn_core import test_tutorial as oracle

APP = str(Path(__file__).resolve().parents[3] / "app.py")
PRINTED_EPOCHS = list(range(0, 10_000, 100))


@functools.cache
def oracle_run():
    """(stdout, [(epoch, loss)], predictions (4, 1)) of the tutorial's Steps 2-9, printing as it does."""
    network = oracle.initialize_network(2, 2, 1)
    lines, losses = [], []
    for epoch in range(10_000):
        y_pred, cache = oracle.forward_propagation(network, oracle.X)
        loss = oracle.compute_loss(oracle.y, y_pred)
        if epoch % 100 == 0:
            lines.append(f"Epoch {epoch}, Loss: {loss}")
            losses.append((epoch, float(loss)))
        gradients = oracle.backward_propagation(network, cache, oracle.X, oracle.y)
        network = oracle.update_parameters(network, gradients, 0.1)
    predictions = oracle.predict(network, oracle.X)
    lines.append(f"Predictions: \n{predictions}")
    return "\n".join(lines) + "\n", losses, predictions


@functools.cache
def tutorial_run():
    return tutorial.run_tutorial()


@functools.cache
def nn_core_run():
    return tutorial.run_nn_core()


def write_script(tmp_path, monkeypatch, code):
    """Point run_tutorial at a stand-in script."""
    script = tmp_path / "stand_in.py"
    script.write_text(textwrap.dedent(code))
    monkeypatch.setattr(tutorial, "SCRIPT", script)


# --- (a) the tutorial's script, run as a process ---------------------------------------------------
def test_run_tutorial_prints_exactly_what_the_tutorials_code_prints():
    expected, _, _ = oracle_run()
    assert tutorial_run().stdout == expected


def test_run_tutorial_parses_every_printed_loss_exactly():
    _, expected, _ = oracle_run()
    assert [e for e, _ in tutorial_run().losses] == PRINTED_EPOCHS
    assert tutorial_run().losses == expected  # str(float64) round-trips: the very same floats


def test_run_tutorial_parses_the_predictions_to_printed_precision():
    _, _, expected = oracle_run()
    assert tutorial_run().predictions.shape == (4, 1)
    np.testing.assert_allclose(tutorial_run().predictions, expected, rtol=1e-7, atol=1e-9)


def test_source_is_the_script_without_its_header():
    code = tutorial.source()
    assert code.startswith("import numpy as np\n")
    assert "np.random.seed(42) # For reproducibility" in code
    assert code in tutorial.SCRIPT.read_text()


def test_run_tutorial_failing_script_raises_with_its_error(tmp_path, monkeypatch):
    write_script(tmp_path, monkeypatch, "1 / 0\n")
    with pytest.raises(tutorial.TutorialError, match="exit code 1(.|\n)*ZeroDivisionError"):
        tutorial.run_tutorial()


def test_run_tutorial_slow_script_times_out(tmp_path, monkeypatch):
    write_script(tmp_path, monkeypatch, "import time\ntime.sleep(30)\n")
    with pytest.raises(tutorial.TutorialError, match="did not finish within 0.5 s"):
        tutorial.run_tutorial(timeout=0.5)


@pytest.mark.parametrize(
    "stdout",
    ["", "Epoch 0, Loss: 0.25\n", "Epoch 0, Loss: 0.25\nPredictions: \n[[0.5]]\n", "hello\nPredictions: \n"],
)
def test_parse_output_unexpected_text_raises(stdout):
    with pytest.raises(tutorial.TutorialError, match="Unexpected output"):
        tutorial.parse_output(stdout)


# --- (b) the same run in nn_core -------------------------------------------------------------------
def test_run_nn_core_starts_from_the_tutorials_weights():
    network = oracle.initialize_network(2, 2, 1)
    W1, W2 = nn_core_run().initial_weights
    np.testing.assert_array_equal(W1, network["W1"])
    np.testing.assert_array_equal(W2, network["W2"])


def test_run_nn_core_loss_matches_the_tutorial_at_every_printed_epoch():
    ours, theirs = nn_core_run().losses, tutorial_run().losses
    assert [e for e, _ in ours] == [e for e, _ in theirs] == PRINTED_EPOCHS
    np.testing.assert_allclose([v for _, v in ours], [v for _, v in theirs], rtol=0, atol=1e-9)


def test_run_nn_core_one_epoch_late_would_not_match():
    """The matching above pins the epochs: nn_core's loss one update later is measurably different."""
    late = tutorial.run_nn_core(epochs=202, print_every=101)  # epochs 0, 101, 202 -> compare 101 with 100
    assert abs(late.losses[1][1] - tutorial_run().losses[1][1]) > 1e-8


def test_run_nn_core_predictions_match_the_tutorial():
    _, _, expected = oracle_run()
    np.testing.assert_allclose(nn_core_run().predictions, expected, rtol=0, atol=1e-9)


def test_run_nn_core_leaves_the_global_generator_alone():
    state = np.random.get_state()  # noqa: NPY002  (checking that nobody touched it)
    tutorial.run_nn_core(epochs=1)
    after = np.random.get_state()  # noqa: NPY002
    assert all(np.array_equal(a, b) for a, b in zip(state, after))


def test_loss_and_prediction_columns_pair_the_runs():
    losses = tutorial.loss_columns(tutorial_run(), nn_core_run())
    assert losses["epoch"] == PRINTED_EPOCHS
    np.testing.assert_array_equal(losses["difference"], losses["nn_core loss"] - losses["tutorial loss"])
    predictions = tutorial.prediction_columns(tutorial_run(), nn_core_run())
    assert predictions["input"] == ["(0, 0)", "(0, 1)", "(1, 0)", "(1, 1)"]
    assert list(predictions["target"]) == [0, 1, 1, 0]


# --- (c) the Playground config ---------------------------------------------------------------------
def test_playground_config_is_valid_and_survives_its_link():
    """from_query checks every field against FIELDS: no notice means every value is allowed."""
    config = tutorial.playground_config()
    assert from_query(to_query(config)) == (config, [])
    assert config.learning_rate in FIELDS["learning_rate"].choices


def test_playground_config_builds_the_tutorials_network():
    config = tutorial.playground_config()
    exp = Experiment(config)
    assert exp.model.layer_sizes == [2, 2, 1]
    assert (exp.model.activation, exp.model.output, exp.trainer.loss) == ("sigmoid", "sigmoid", "mse")
    assert (exp.model.init, exp.trainer.optimizer, exp.trainer.batch_size) == ("normal", "sgd", None)
    assert (config.dataset, config.max_epochs, config.init_seed, config.data_seed) == (
        "xor_table",
        10_000,
        42,
        42,
    )
    np.testing.assert_array_equal(exp.points[0], oracle.X)


@pytest.mark.parametrize(
    ("ladder", "expected"), [((0.1, 0.3, 1.0), 0.3), ((0.1, 0.2, 0.3), 0.2), ((0.01, 0.1), 0.1)]
)
def test_nearest_choice_on_a_log_scale(ladder, expected):
    assert tutorial.nearest_choice(0.2, ladder) == expected


def test_playground_differences_mention_the_learning_rate_only_when_it_differs():
    config = tutorial.playground_config()
    exact = dataclasses.replace(config, learning_rate=0.2)
    assert not any("learning rate" in note.lower() for note in tutorial.playground_differences(exact))
    if config.learning_rate != 0.2:
        assert any(f"{config.learning_rate:g}" in note for note in tutorial.playground_differences(config))


# --- the figure --------------------------------------------------------------------------------------
def test_tutorial_loss_figure_has_both_runs():
    figure = tutorial_loss_figure([0, 100], [0.3, 0.2], [0.3, 0.2 + 1e-16])
    assert [trace.name for trace in figure.data] == ["nn_core (lr 0.2)", "tutorial (lr 0.1)"]
    np.testing.assert_array_equal(figure.data[1].y, [0.3, 0.2])
    np.testing.assert_array_equal(figure.data[0].x, [0, 100])


# --- (d) the page, through the app -------------------------------------------------------------------
def open_page():
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/tutorial.py").run()
    assert not at.exception, at.exception
    return at


@pytest.fixture(scope="module")
def page():
    return open_page()


def test_page_shows_the_source_and_the_exact_output(page):
    assert page.title[0].value == "The tutorial, reproduced"
    # st.code drops the final newline
    assert page.code[0].value == tutorial.source().rstrip("\n")
    assert page.code[1].value == oracle_run()[0].rstrip("\n")


def test_page_loss_table_shows_both_runs(page):
    table = page.dataframe[0].value
    assert list(table.columns) == ["epoch", "tutorial loss", "nn_core loss", "difference"]
    assert list(table["epoch"]) == PRINTED_EPOCHS
    assert list(table["tutorial loss"]) == [loss for _, loss in oracle_run()[1]]
    np.testing.assert_allclose(table["nn_core loss"], table["tutorial loss"], rtol=0, atol=1e-9)
    assert np.abs(table["difference"]).max() < 1e-9


def test_page_predictions_table_shows_both_runs(page):
    table = page.dataframe[1].value
    assert list(table["target"]) == [0, 1, 1, 0]
    np.testing.assert_allclose(table["tutorial prediction"], oracle_run()[2][:, 0], atol=1e-8)
    np.testing.assert_allclose(table["nn_core prediction"], oracle_run()[2][:, 0], atol=1e-9)


def plotted(values):
    """A trace's array from the chart's JSON: a list, or plotly's base64 typed array."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
    return np.asarray(values)


def test_page_loss_chart_plots_both_runs(page):
    (chart,) = page.get("plotly_chart")
    nn_core_trace, tutorial_trace = json.loads(chart.proto.spec)["data"]
    assert list(plotted(tutorial_trace["x"])) == PRINTED_EPOCHS
    assert list(plotted(tutorial_trace["y"])) == [loss for _, loss in oracle_run()[1]]
    np.testing.assert_allclose(plotted(nn_core_trace["y"]), plotted(tutorial_trace["y"]), rtol=0, atol=1e-9)


def test_page_shows_the_notes_with_formulas(page):
    assert len(page.latex) == sum(formula is not None for _, formula in tutorial.NOTES)
    assert any("0.2" in latex.value for latex in page.latex)


def test_page_button_opens_the_tutorials_network_in_the_playground():
    at = open_page()
    at.button(key="tut_open").click().run()
    assert not at.exception, at.exception
    exp = at.session_state["pg_experiment"]
    assert exp.config == tutorial.playground_config()
    assert exp.epoch == 0 and exp.model.layer_sizes == [2, 2, 1]
    assert at.title[0].value == "NumPy Neural Network Playground"


def test_page_failing_script_shows_the_error(tmp_path, monkeypatch):
    write_script(tmp_path, monkeypatch, "raise SystemExit('no numpy here')\n")
    st.cache_data.clear()  # a cached success would hide the failure (failures are never cached)
    at = open_page()
    assert "exit code 1" in at.error[0].value and "no numpy here" in at.error[0].value
    assert not at.dataframe and not at.button
