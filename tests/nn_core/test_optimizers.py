"""Optimizers: two steps of each update rule computed by hand with scalar arithmetic, and the
Trainer's steps checked against ``-lr * gradient`` from ``loss_and_gradients``."""

import math
import warnings

import numpy as np
import pytest

import nn_core
from nn_core import optimizers

P0 = [1.0, -2.0, 0.5]
G1 = [0.5, -1.0, 0.0]  # a zero entry: rmsprop/adam must not divide 0 by 0
G2 = [0.2, 0.4, -3.0]
LR1, LR2 = 0.1, 0.05  # the learning rate is an argument: it may change between steps


def _two_steps(optimizer):
    """Run two steps on copies (step may overwrite g) and return the parameters after each."""
    p = np.array(P0)
    optimizer.step(p, np.array(G1), LR1)
    p1 = p.copy()
    optimizer.step(p, np.array(G2), LR2)
    return p1, p


def test_optimizers_registry_names():
    """The four documented optimizers, keyed by name."""
    assert set(nn_core.OPTIMIZERS) == {"sgd", "momentum", "rmsprop", "adam"}


def test_sgd_two_steps_by_hand():
    """p <- p - lr g."""
    p1, p2 = _two_steps(optimizers.SGD())
    exp1 = [p - LR1 * g for p, g in zip(P0, G1)]
    exp2 = [p - LR2 * g for p, g in zip(exp1, G2)]
    np.testing.assert_allclose(p1, exp1, rtol=1e-15)
    np.testing.assert_allclose(p2, exp2, rtol=1e-15)


def test_momentum_two_steps_by_hand():
    """v <- 0.9 v + g, p <- p - lr v (v starts at 0)."""
    p1, p2 = _two_steps(optimizers.Momentum())
    v1 = list(G1)
    exp1 = [p - LR1 * v for p, v in zip(P0, v1)]
    v2 = [0.9 * v + g for v, g in zip(v1, G2)]
    exp2 = [p - LR2 * v for p, v in zip(exp1, v2)]
    np.testing.assert_allclose(p1, exp1, rtol=1e-15)
    np.testing.assert_allclose(p2, exp2, rtol=1e-14)


def test_rmsprop_two_steps_by_hand():
    """s <- 0.9 s + 0.1 g**2, p <- p - lr g / (sqrt(s) + 1e-8) (s starts at 0)."""
    p1, p2 = _two_steps(optimizers.RMSprop())
    s1 = [0.1 * g * g for g in G1]
    exp1 = [p - LR1 * g / (math.sqrt(s) + 1e-8) for p, g, s in zip(P0, G1, s1)]
    s2 = [0.9 * s + 0.1 * g * g for s, g in zip(s1, G2)]
    exp2 = [p - LR2 * g / (math.sqrt(s) + 1e-8) for p, g, s in zip(exp1, G2, s2)]
    np.testing.assert_allclose(p1, exp1, rtol=1e-14)
    np.testing.assert_allclose(p2, exp2, rtol=1e-14)


def test_adam_two_steps_by_hand():
    """m, v moving averages (0.9, 0.999), bias-corrected by 1 - beta**t, eps 1e-8."""
    adam = optimizers.Adam()
    p1, p2 = _two_steps(adam)
    m1 = [0.1 * g for g in G1]
    v1 = [0.001 * g * g for g in G1]
    exp1 = [p - LR1 * (m / 0.1) / (math.sqrt(v / 0.001) + 1e-8) for p, m, v in zip(P0, m1, v1)]
    m2 = [0.9 * m + 0.1 * g for m, g in zip(m1, G2)]
    v2 = [0.999 * v + 0.001 * g * g for v, g in zip(v1, G2)]
    c1, c2 = 1 - 0.9**2, 1 - 0.999**2
    exp2 = [p - LR2 * (m / c1) / (math.sqrt(v / c2) + 1e-8) for p, m, v in zip(exp1, m2, v2)]
    np.testing.assert_allclose(p1, exp1, rtol=1e-13)
    np.testing.assert_allclose(p2, exp2, rtol=1e-13)
    assert adam.t == 2


def test_adam_first_step_moves_each_nonzero_gradient_entry_by_lr():
    """Bias correction makes Adam's first step -lr * sign(g) (up to eps), whatever |g|."""
    p = np.array([0.0, 0.0, 0.0])
    optimizers.Adam().step(p, np.array([1e-3, -50.0, 2.0]), 0.01)
    np.testing.assert_allclose(p, [-0.01, 0.01, -0.01], rtol=1e-4)


@pytest.mark.parametrize("name", sorted(nn_core.OPTIMIZERS))
def test_optimizer_zero_gradient_keeps_params_without_warnings(name):
    """A zero gradient moves nothing and never divides 0 by 0 (eps in the denominators)."""
    p = np.array([1.0, -2.0], dtype=np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nn_core.OPTIMIZERS[name]().step(p, np.zeros(2, np.float32), 0.1)
    np.testing.assert_array_equal(p, [1.0, -2.0])
    assert p.dtype == np.float32


# --- through the Trainer ------------------------------------------------------------------------


def _regression_problem():
    X, y = nn_core.make_dataset("plane", n_samples=12, noise=0.2, rng=1)
    model = nn_core.MLP([2, 4, 1], activation="tanh", output="linear", init="normal", dtype=np.float64, rng=2)
    return model, X, y


def _flat_gradient(model, X, y, **penalties):
    """loss_and_gradients' gradient laid out like params: every weight, then every bias."""
    _, dW, db = model.loss_and_gradients(X, y, loss="mse", **penalties)
    return np.concatenate([g.ravel() for g in dW] + db)


@pytest.mark.parametrize("l1,l2", [(0.0, 0.0), (0.01, 0.1)])
def test_trainer_sgd_full_batch_epoch_is_minus_lr_gradient(l1, l2):
    """One full-batch sgd epoch changes params by exactly -lr * loss_and_gradients' gradient."""
    model, X, y = _regression_problem()
    expected = model.params - 0.3 * _flat_gradient(model, X, y, l1=l1, l2=l2)
    nn_core.Trainer(model, loss="mse", optimizer="sgd", learning_rate=0.3, l1=l1, l2=l2).train(X, y, 1)
    np.testing.assert_allclose(model.params, expected, rtol=1e-14, atol=1e-15)


def test_trainer_momentum_keeps_velocity_across_train_calls():
    """Two momentum epochs (two train() calls): p2 = p1 - lr (0.9 g0 + g1)."""
    model, X, y = _regression_problem()
    trainer = nn_core.Trainer(model, loss="mse", optimizer="momentum", learning_rate=0.1)
    p0, g0 = model.params.copy(), _flat_gradient(model, X, y)
    trainer.train(X, y, 1)
    p1 = model.params.copy()
    np.testing.assert_allclose(p1, p0 - 0.1 * g0, rtol=1e-14)
    g1 = _flat_gradient(model, X, y)
    trainer.train(X, y, 1)
    np.testing.assert_allclose(model.params, p1 - 0.1 * (0.9 * g0 + g1), rtol=1e-13)


def test_trainer_sgd_reproduces_mazur_published_update():
    """sgd lr 0.5 on Mazur's 2-2-2 example gives his published updated weights."""
    model = nn_core.MLP([2, 2, 2], activation="sigmoid", output="sigmoid", dtype=np.float64)
    model.weights = [np.array([[0.15, 0.25], [0.20, 0.30]]), np.array([[0.40, 0.50], [0.45, 0.55]])]
    model.biases = [np.array([0.35, 0.35]), np.array([0.60, 0.60])]
    trainer = nn_core.Trainer(model, loss="mse", optimizer="sgd", learning_rate=0.5)
    trainer.train(np.array([[0.05, 0.10]]), np.array([[0.01, 0.99]]), 1)
    np.testing.assert_allclose(
        model.weights[1], [[0.35891648, 0.511301270], [0.408666186, 0.561370121]], atol=1e-8
    )
    np.testing.assert_allclose(
        model.weights[0], [[0.149780716, 0.24975114], [0.19956143, 0.29950229]], atol=1e-8
    )
