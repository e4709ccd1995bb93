"""Lesson goals on the metrics: ``test_f1 >= 80%`` reads the history's macro F1 (nn_core.metrics),
in words and live, and is undefined for regression."""

import dataclasses

import numpy as np
import pytest

from playground.core import drawn, goals
from playground.core.config import Config
from playground.core.experiment import Experiment

SMALL = Config(n_samples=60, hidden=(3,), batch_size=0)


def test_an_f1_goal_reads_like_an_accuracy():
    goal = goals.parse_goal("test_f1 >= 80%; train_f1 > 0.5")
    assert goal.describe() == "test macro F1 ≥ 80 % and training macro F1 > 50 %"
    with pytest.raises(ValueError, match="above 100 %"):
        goals.parse_goal("test_f1 >= 120%")


def test_an_f1_goal_is_checked_against_the_recorded_macro_f1():
    exp = Experiment(SMALL)
    exp.train(5)
    f1 = exp.trainer.history[-1]["val_macro_f1"]
    passed = goals.evaluate(goals.parse_goal(f"test_f1 <= {f1}"), exp)
    failed = goals.evaluate(goals.parse_goal(f"test_f1 > {f1}"), exp)
    assert passed.passed and not failed.passed
    assert failed.checks[0].now == f"test macro F1 now {f1 * 100:.1f} %"


def test_an_f1_goal_on_regression_says_there_is_none():
    exp = Experiment(dataclasses.replace(SMALL, dataset="plane", head="linear_mse"))
    exp.train(2)
    status = goals.evaluate(goals.parse_goal("test_f1 >= 50%"), exp)
    assert not status.passed and "none for regression" in status.checks[0].now


def test_a_goal_on_a_set_without_points_says_so_not_regression():
    # Points drawn by hand, none of them test points: a classification run with no test scores.
    X = np.random.default_rng(0).uniform(-4, 4, (20, 2))
    points = drawn.Drawn(X, (X[:, 0] > 0).astype(np.int64), np.zeros(20, bool))
    exp = Experiment(Config(dataset="drawn", hidden=(3,)), upload=points)
    exp.train(3)
    for goal, now in [
        ("test_f1 >= 50%", "test macro F1: no test points"),
        ("test_accuracy >= 50%", "test accuracy: no test points"),
        ("test_loss < 0.5", "test loss: no test points"),
    ]:
        assert goals.evaluate(goals.parse_goal(goal), exp).checks[0].now == now
    assert goals.evaluate(goals.parse_goal("train_f1 >= 0%"), exp).passed
