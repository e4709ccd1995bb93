"""The experiment behind the page: what rebuilds the network, what keeps training it."""

import dataclasses

import numpy as np
import pytest

from playground.core.config import Config
from playground.core.experiment import GRID_SIZE, NEURON_GRID, Experiment

SMALL = Config(n_samples=60, hidden=(3,), batch_size=0)


def test_same_config_same_data_and_initial_weights():
    a, b = Experiment(SMALL), Experiment(SMALL)
    assert all(np.array_equal(p, q) for p, q in zip(a.points, b.points))
    assert np.array_equal(a.model.params, b.model.params)


@pytest.mark.parametrize(
    "change",
    [
        {"learning_rate": 0.1},
        {"optimizer": "adam"},
        {"batch_size": 5},
        {"regularization": "l2", "reg_rate": 0.01},
        {"dropout": 0.2},
    ],
)
def test_update_training_setting_keeps_the_trained_network(change):
    exp = Experiment(SMALL)
    exp.train(5)
    params = exp.model.params.copy()
    result = exp.update(dataclasses.replace(SMALL, **change))
    assert not result.rebuilt and "from epoch 5" in result.message
    assert exp.epoch == 5 and np.array_equal(exp.model.params, params)
    t = exp.trainer
    assert (t.optimizer, t.learning_rate, t.batch_size or 0, t.l2, t.dropout) == (
        exp.config.optimizer,
        exp.config.learning_rate,
        exp.config.batch_size,
        exp.config.l2,
        exp.config.dropout,
    )


@pytest.mark.parametrize(
    "change",
    [
        {"hidden": (5, 2)},
        {"activation": "relu"},
        {"init_seed": 2},
        {"features": ("x1", "x2", "x1_x2")},
        {"feature_formulas": ("cos(x1)",)},
        {"noise": 0.3},
        {"data_seed": 9},
    ],
)
def test_update_data_or_architecture_builds_a_new_network(change):
    exp = Experiment(SMALL)
    exp.train(5)
    result = exp.update(dataclasses.replace(SMALL, **change))
    assert result.rebuilt and exp.epoch == 0
    assert exp.model.layer_sizes == exp.config.layer_sizes


def test_update_view_setting_changes_nothing():
    exp = Experiment(SMALL)
    assert exp.update(dataclasses.replace(SMALL, show_test=True, discretize=True, speed=5)) is None


def test_reset_returns_to_epoch_zero_with_the_same_initial_weights():
    exp = Experiment(SMALL)
    initial = exp.model.params.copy()
    exp.train(10)
    assert not np.array_equal(exp.model.params, initial)
    exp.reset()
    assert exp.epoch == 0 and np.array_equal(exp.model.params, initial)


def test_train_stops_at_the_epoch_budget():
    exp = Experiment(dataclasses.replace(SMALL, max_epochs=7))
    assert exp.train(5) == 5 and exp.train(5) == 2 and exp.train(5) == 0
    assert exp.finished and exp.epoch == 7


def test_divergence_is_reported_and_training_stops():
    exp = Experiment(
        Config(dataset="plane", head="linear_mse", learning_rate=10.0, n_samples=60, batch_size=0)
    )
    exp.train(200)
    assert exp.diverged and exp.trainer.diverged_epoch >= 1
    assert np.all(np.isfinite(exp.model.params)) and np.all(np.isfinite(exp.boundary_values()))
    assert exp.train(5) == 0


@pytest.mark.parametrize(
    "config, shape",
    [
        (SMALL, (GRID_SIZE, GRID_SIZE)),
        (Config(dataset="spiral", n_classes=3, head="softmax_ce", n_samples=60), (GRID_SIZE, GRID_SIZE, 3)),
        (Config(dataset="blobs", n_classes=4, head="tanh_mse", n_samples=60), (GRID_SIZE, GRID_SIZE, 4)),
        (Config(dataset="plane", head="linear_mse", n_samples=60), (GRID_SIZE, GRID_SIZE)),
    ],
)
def test_boundary_values_shape_and_range(config, shape):
    values = Experiment(config).boundary_values()
    assert values.shape == shape and np.all(np.isfinite(values))
    if config.task != "regression":
        assert values.min() >= 0 and values.max() <= 1
    if config.task == "multiclass":
        np.testing.assert_allclose(values.sum(axis=2), 1, rtol=1e-5)


def test_boundary_values_match_the_model_at_a_grid_point():
    """Row i, column j of the grid is the model at (x1 = axis[j], x2 = axis[i])."""
    exp = Experiment(SMALL)
    i, j = 13, 71
    point = np.array([[exp.grid_axis[j], exp.grid_axis[i]]])
    assert exp.boundary_values()[i, j] == pytest.approx(exp.model.forward(point)[0, 0], rel=1e-6)


def test_neuron_maps_one_per_unit_and_inputs_are_the_features():
    exp = Experiment(dataclasses.replace(SMALL, features=("x1", "x2_sq")))
    maps = exp.neuron_maps()
    assert [m.shape for m in maps] == [(n, NEURON_GRID, NEURON_GRID) for n in exp.model.layer_sizes]
    axis = exp.neuron_axis
    np.testing.assert_allclose(maps[0][0][5], axis, rtol=1e-6)  # x1 varies along a row
    np.testing.assert_allclose(maps[0][1][:, 5], axis**2, rtol=1e-6)  # x2² varies down a column


def test_feature_formulas_are_inputs_after_the_fixed_features_with_maps_and_labels():
    formulas = ("cos(x2)", "1/x1", "x1^2 + x2^2 + abs(x1 - x2)")
    exp = Experiment(dataclasses.replace(SMALL, features=("x1",), feature_formulas=formulas))
    X_train = exp.points[0]
    assert exp.model.layer_sizes[0] == 4 == exp.inputs[0].shape[1]
    np.testing.assert_array_equal(exp.inputs[0][:, 1], np.cos(X_train[:, 1]))
    np.testing.assert_array_equal(exp.inputs[0][:, 2], 1 / X_train[:, 0])
    maps = exp.neuron_maps()
    axis = exp.neuron_axis  # 20 points over [-5, 5]: none is 0, so 1/x1 is finite on the grid
    np.testing.assert_allclose(maps[0][1][:, 5], np.cos(axis), rtol=1e-6)  # cos(x2) down a column
    np.testing.assert_allclose(maps[0][2][5], 1 / axis, rtol=1e-6)  # 1/x1 along a row
    assert all(np.isfinite(m).all() for m in maps)
    assert exp.feature_names() == ["x1", "cos(x2)", "1/x1", "x1^2 + x2^2 +…"]  # cut to 14 characters
    exp.train(3)
    assert np.isfinite(exp.metrics()["train_loss"])


def test_metrics_at_epoch_zero_are_the_initial_scores():
    exp = Experiment(SMALL)
    metrics = exp.metrics()
    X_train, _, y_train, _ = exp.points
    assert metrics["epoch"] == 0
    assert metrics["train_accuracy"] == pytest.approx(np.mean(exp.model.predict(X_train) == y_train))
    exp.train(1)
    assert exp.metrics() is exp.trainer.history[-1]


def test_neuron_centers_mark_squashed_layers():
    exp = Experiment(Config(hidden=(3, 2), activation="sigmoid", head="tanh_mse", n_samples=60))
    assert exp.neuron_centers() == [0.0, 0.5, 0.5, 0.0]


def test_xor_table_trains_and_tests_on_all_four_points():
    exp = Experiment(Config(dataset="xor_table", hidden=(2,), batch_size=0))
    X_train, X_test, y_train, y_test = exp.points
    assert len(X_train) == len(X_test) == 4 and list(y_train) == [0, 1, 1, 0]


def test_a_long_run_keeps_a_bounded_history_and_the_loss_chart_loses_nothing():
    """15,000 epochs: the history is thinned (the newest 1,000 epochs all kept, older ones every
    s-th epoch, s a power of two); what is kept, and the live loss chart's points, equal those of an
    unthinned twin run (same seeds, the same numbers bit for bit)."""
    from playground.core.experiment import HISTORY_POINTS, HISTORY_RECENT
    from playground.core.history import MAX_LIVE_POINTS
    from playground.live import frames

    assert MAX_LIVE_POINTS <= HISTORY_POINTS  # else the chart would need an epoch thinned out
    config = Config(n_samples=40, hidden=(2,), batch_size=0)
    exp, twin = Experiment(config), Experiment(config)
    for _ in range(15):
        exp.train(1000)
    full = list(
        twin.trainer.train(
            *twin.inputs[:1], twin.points[2], 15_000, X_val=twin.inputs[1], y_val=twin.points[3]
        )
    )
    history = exp.trainer.history
    assert exp.epoch == 15_000 and len(history) <= 2 * (HISTORY_POINTS + HISTORY_RECENT)
    assert len(history) < 15_000
    assert [r["epoch"] for r in history[-HISTORY_RECENT:]] == list(range(14_001, 15_001))
    assert history == [r for r in full if r["epoch"] in {h["epoch"] for h in history}]
    for after in (None, 14_500):
        assert frames.loss_points(history, "binary", after=after) == frames.loss_points(
            full, "binary", after=after
        )
