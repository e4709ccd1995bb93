"""Diagnostics: activation curves against finite differences, gradient norms against the engine's
gradients and against finite differences, vanishing gradients in a deep sigmoid net, dead and saturated
units counted by hand, training traces recorded step by step, determinism, and argument checks."""

import numpy as np
import pytest

import nn_core
from nn_core import diagnostics as dg

from . import reference as ref

HIDDEN = sorted(nn_core.ACTIVATIONS)
Z_POINTS = np.array([-7.0, -3.1, -0.8, -0.05, 0.05, 0.6, 2.4, 6.5])  # none at the relu kink
X4 = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y4 = np.array([0, 1, 1, 0])


def circles(n=200):
    return nn_core.make_dataset("circles", n_samples=n, noise=0.1, rng=0)


def model64(sizes, activation, **kw):
    return nn_core.MLP(sizes, activation=activation, output="sigmoid", dtype=np.float64, rng=3, **kw)


# --- activation_curve -------------------------------------------------------------------------
@pytest.mark.parametrize("name", HIDDEN)
def test_activation_curve_matches_formula_and_finite_difference(name):
    """g(z) is the textbook formula; g'(z) is the central difference of that formula."""
    g, slope = dg.activation_curve(name, Z_POINTS)
    eps = 1e-6
    numeric = (ref.activate(name, Z_POINTS + eps) - ref.activate(name, Z_POINTS - eps)) / (2 * eps)
    np.testing.assert_allclose(g, ref.activate(name, Z_POINTS), rtol=1e-14, atol=1e-16)
    np.testing.assert_allclose(slope, numeric, rtol=1e-7, atol=1e-10)


def test_activation_curve_at_zero_by_hand():
    """sigmoid: 0.5 and 1/4; tanh: 0 and 1; relu: 0 and 0 (the documented convention at the kink)."""
    z = np.array([0.0])
    assert [float(v[0]) for v in dg.activation_curve("sigmoid", z)] == [0.5, 0.25]
    assert [float(v[0]) for v in dg.activation_curve("tanh", z)] == [0.0, 1.0]
    assert [float(v[0]) for v in dg.activation_curve("relu", z)] == [0.0, 0.0]


@pytest.mark.parametrize("name", HIDDEN)
def test_max_slope_is_the_steepest_slope_of_the_curve(name):
    """No grid point is steeper than MAX_SLOPE, and the grid's steepest comes within 1e-6 of it
    (swish and gelu peak between grid points, softplus only as z grows: 40 is in the grid)."""
    _, slope = dg.activation_curve(name, np.append(np.linspace(-10, 10, 20_001), 40.0))
    assert slope.max() <= dg.MAX_SLOPE[name] * (1 + 1e-12)
    assert slope.max() == pytest.approx(dg.MAX_SLOPE[name], rel=1e-6)


def test_activation_curve_never_warns_for_large_z():
    g, slope = dg.activation_curve("sigmoid", np.array([-1e4, 1e4]))  # pytest: warnings are errors
    np.testing.assert_array_equal(g, [0.0, 1.0])
    np.testing.assert_array_equal(slope, [0.0, 0.0])


# --- layer_gradient_norms ---------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_gradient_norms_equal_norms_of_loss_and_gradients(dtype):
    X, y = circles(50)
    model = nn_core.MLP([2, 5, 4, 1], activation="tanh", dtype=dtype, rng=1)
    _, dW, _ = model.loss_and_gradients(X, y, loss="bce", l2=0.01)
    expected = [np.linalg.norm(d.astype(np.float64)) for d in dW]
    np.testing.assert_allclose(
        dg.layer_gradient_norms(model, X, y, loss="bce", l2=0.01), expected, rtol=1e-12
    )


def test_gradient_norms_match_finite_differences():
    """The independent oracle: norms of the finite-difference gradient of the reference loss."""
    model = model64([2, 3, 3, 1], "tanh")
    numeric_dW, _ = ref.numeric_gradients(model, X4, Y4, "bce")
    np.testing.assert_allclose(
        dg.layer_gradient_norms(model, X4, Y4, loss="bce"), [np.linalg.norm(d) for d in numeric_dW], rtol=1e-6
    )


def test_overflowing_gradient_norms_are_capped_without_warning():
    """Huge linear layers overflow float32: the norms are reported as the dtype's largest number."""
    model = nn_core.MLP([2, 4, 4, 1], activation="linear", output="linear", init="normal", rng=0)
    model.weights = [W * np.float32(1e15) for W in model.weights]
    norms = dg.layer_gradient_norms(model, X4, np.array([0.5, 1.0, -1.0, 2.0]), loss="mse")
    assert np.all(np.isfinite(norms))
    assert np.any(norms == np.finfo(np.float32).max)


def test_deep_sigmoid_with_small_init_has_vanishing_gradients_and_relu_he_does_not():
    """6 hidden layers: sigmoid + small init gives the first layer a gradient orders of magnitude
    below the output layer's; with ReLU + He the layers stay within a factor of 30."""
    X, y = circles()
    vanishing = dg.deep_run(X, y, activation="sigmoid", init="small", n_epochs=0)
    healthy = dg.deep_run(X, y, activation="relu", init="he", n_epochs=0)
    first, last = vanishing.grad_norms[0, 0], vanishing.grad_norms[0, -1]
    assert 0 < first < 1e-6 * last
    assert np.all(np.diff(np.log10(vanishing.grad_norms[0, 1:])) > 0)  # shrinking at every layer
    assert 1 / 30 < dg.gradient_ratio(healthy.grad_norms[0]) < 30
    assert healthy.grad_norms[0].min() > 1e-3


# --- dead_units and saturation ----------------------------------------------------------------
def forced_model(activation):
    """[2, 5, 4, 1]: hidden layer 1 has units 1 and 3 pushed to z << 0, layer 2 unit 0; all the
    other hidden units get z > 0 on every sample (weights small, biases +10)."""
    model = model64([2, 5, 4, 1], activation)
    model.weights = [0.1 * W for W in model.weights]
    model.biases = [np.array([10.0, -1e3, 10.0, -1e3, 10.0]), np.array([-1e3, 10.0, 10.0, 10.0]), np.zeros(1)]
    return model


def test_dead_units_counts_relu_units_forced_dead():
    X, _ = circles(100)
    np.testing.assert_array_equal(dg.dead_units(forced_model("relu"), X), [2, 1])


def test_dead_units_agree_with_reference_preactivations():
    """Dead = z <= 0 on every sample, from the reference forward pass of a random ReLU network."""
    X, _ = circles(60)
    model = nn_core.MLP([2, 8, 8, 8, 1], activation="relu", init="normal", dtype=np.float64, rng=5)
    Zs, _ = ref.forward(model.weights, model.biases, X, "relu", "sigmoid")
    expected = [int(np.sum(np.all(Z <= 0, axis=0))) for Z in Zs[:-1]]
    assert sum(expected) > 0  # the seed gives a case worth checking
    np.testing.assert_array_equal(dg.dead_units(model, X), expected)


def test_leaky_relu_units_never_die():
    X, _ = circles(100)
    np.testing.assert_array_equal(dg.dead_units(forced_model("leaky_relu"), X), [0, 0])


@pytest.mark.parametrize("scale, low, high", [(1e3, 0.95, 1.0), (1e-3, 0.0, 0.0)])
def test_tanh_saturation_near_one_with_huge_weights_and_zero_with_small(scale, low, high):
    X, _ = circles()
    model = nn_core.MLP([2, 16, 16, 1], activation="tanh", init="xavier", rng=2)
    model.weights = [W * np.float32(scale) for W in model.weights]
    share = dg.saturation(model, X)
    assert share.shape == (2,)
    assert np.all((low <= share[:1]) & (share[:1] <= high))  # the first layer sees the raw inputs


def test_sigmoid_saturation_by_hand():
    """One sigmoid unit with z = -6, -5, 0, 5, 6: g'(5)/0.25 = 0.027 (not saturated), g'(6)/0.25 =
    0.0099 (saturated): 2 of 5. With threshold 0.03 the |z| = 5 points count too: 4 of 5."""
    model = model64([1, 1, 1], "sigmoid")
    model.weights = [np.array([[1.0]]), np.array([[1.0]])]
    model.biases = [np.zeros(1), np.zeros(1)]
    X = np.array([[-6.0], [-5.0], [0.0], [5.0], [6.0]])
    np.testing.assert_allclose(dg.saturation(model, X), [0.4])
    np.testing.assert_allclose(dg.saturation(model, X, threshold=0.03), [0.8])


def test_relu_saturation_is_the_share_of_inactive_pairs():
    X, _ = circles(80)
    model = nn_core.MLP([2, 6, 6, 1], activation="relu", init="he", dtype=np.float64, rng=4)
    Zs, _ = ref.forward(model.weights, model.biases, X, "relu", "sigmoid")
    np.testing.assert_allclose(dg.saturation(model, X), [np.mean(Z <= 0) for Z in Zs[:-1]])


# --- track_training, summary, compare_runs ----------------------------------------------------
def test_track_training_records_what_a_step_by_step_twin_measures():
    """Records at epochs 0, 3, 6, 7: each equal to the engine's loss, gradient norms, dead units and
    saturation of a twin trained to that epoch."""
    X, y = circles(80)
    trainer = nn_core.Trainer(
        nn_core.MLP([2, 6, 6, 1], activation="relu", rng=0), loss="bce", learning_rate=0.3
    )
    twin = trainer.copy()
    trace = dg.track_training(trainer, X, y, 7, every=3)
    np.testing.assert_array_equal(trace.epochs, [0, 3, 6, 7])
    for k, epochs in enumerate([0, 3, 3, 1]):
        twin.train(X, y, epochs)
        loss, dW, _ = twin.model.loss_and_gradients(X, y, loss="bce")
        assert trace.loss[k] == pytest.approx(loss, rel=1e-12)
        np.testing.assert_allclose(
            trace.grad_norms[k], [np.linalg.norm(d.astype(float)) for d in dW], rtol=1e-6
        )
        np.testing.assert_array_equal(trace.dead[k], dg.dead_units(twin.model, X))
        np.testing.assert_array_equal(trace.saturation[k], dg.saturation(twin.model, X))
    np.testing.assert_array_equal(trace.units, [6, 6])
    assert trace.diverged_epoch is None and not trace.grad_norms.flags.writeable


def test_track_training_reports_progress_and_continues_the_trainers_epochs():
    X, y = circles(40)
    trainer = nn_core.Trainer(nn_core.MLP([2, 3, 1], rng=0), loss="bce")
    trainer.train(X, y, 2)
    calls = []
    trace = dg.track_training(
        trainer, X, y, 5, every=2, progress=lambda done, total: calls.append((done, total))
    )
    assert calls == [(2, 5), (4, 5), (5, 5)]
    np.testing.assert_array_equal(trace.epochs, [2, 4, 6, 7])


def test_track_training_stops_at_divergence_with_finite_records():
    X = np.linspace(-3, 3, 20).reshape(-1, 2)
    y = X.sum(axis=1) * 50.0
    model = nn_core.MLP([2, 4, 1], activation="linear", output="linear", init="normal", rng=0)
    trainer = nn_core.Trainer(model, loss="mse", learning_rate=10.0)
    trace = dg.track_training(trainer, X, y, 200, every=1)
    assert trace.diverged_epoch is not None and trace.epochs[-1] < 200
    assert all(np.all(np.isfinite(a)) for a in (trace.loss, trace.grad_norms, trace.saturation))
    assert dg.summary(trace)["diverged_epoch"] == trace.diverged_epoch


def test_deep_run_is_deterministic_given_its_seed():
    X, y = circles(60)
    a, b, c = (dg.deep_run(X, y, activation="tanh", init="normal", n_epochs=20, rng=s) for s in (7, 7, 8))
    for field in ("epochs", "loss", "grad_norms", "dead", "saturation"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
    assert not np.array_equal(a.grad_norms, c.grad_norms)


def test_compare_runs_equals_one_deep_run_per_pair_and_reports_progress():
    X, y = circles(60)
    pairs = [("sigmoid", "xavier"), ("relu", "he")]
    fractions = []
    traces = dg.compare_runs(X, y, pairs, depth=3, width=4, n_epochs=10, every=5, progress=fractions.append)
    for (activation, init), trace in zip(pairs, traces):
        alone = dg.deep_run(X, y, activation=activation, init=init, depth=3, width=4, n_epochs=10, every=5)
        np.testing.assert_array_equal(trace.grad_norms, alone.grad_norms)
    assert fractions == [0.25, 0.5, 0.75, 1.0]


def test_summary_by_hand():
    trace = dg.Trace(
        epochs=np.array([0, 10]),
        loss=np.array([0.7, 0.2]),
        grad_norms=np.array([[1e-4, 1e-2, 1.0], [0.5, 0.5, 0.0]]),
        dead=np.array([[0, 0], [1, 3]]),
        saturation=np.array([[0.0, 0.0], [0.5, 0.2]]),
        units=np.array([4, 6]),
        diverged_epoch=None,
    )
    assert dg.summary(trace) == {
        "first_layer_start": 1e-4,
        "first_layer_end": 0.5,
        "ratio_start": 1e-4,
        "ratio_end": None,  # the last layer's gradient is 0: no ratio
        "dead_end": 4,
        "units": 10,
        "saturation_end": pytest.approx((0.5 * 4 + 0.2 * 6) / 10),
        "final_loss": 0.2,
        "final_epoch": 10,
        "diverged_epoch": None,
    }


# --- argument checks --------------------------------------------------------------------------
def tiny():
    return nn_core.MLP([2, 3, 1], rng=0)


BAD_CALLS = {
    "name": lambda: dg.activation_curve("softmax", Z_POINTS),
    "z": lambda: dg.activation_curve("tanh", np.zeros((2, 2))),
    "z finite": lambda: dg.activation_curve("tanh", np.array([0.0, np.nan])),
    "model": lambda: dg.layer_gradient_norms("net", X4, Y4, loss="bce"),
    "loss": lambda: dg.layer_gradient_norms(tiny(), X4, Y4, loss="hinge"),
    "X": lambda: dg.dead_units(tiny(), np.zeros((4, 3))),
    "threshold": lambda: dg.saturation(tiny(), X4, threshold=0.0),
    "trainer": lambda: dg.track_training(tiny(), X4, Y4, 1),
    "n_epochs": lambda: dg.track_training(nn_core.Trainer(tiny(), loss="bce"), X4, Y4, -1),
    "every": lambda: dg.track_training(nn_core.Trainer(tiny(), loss="bce"), X4, Y4, 1, every=0),
    "progress": lambda: dg.track_training(nn_core.Trainer(tiny(), loss="bce"), X4, Y4, 1, progress=3),
    "norms": lambda: dg.gradient_ratio([1.0]),
    "trace": lambda: dg.summary({"epochs": []}),
    "depth": lambda: dg.deep_run(X4, Y4, activation="relu", init="he", depth=0),
    "width": lambda: dg.deep_run(X4, Y4, activation="relu", init="he", width=2.5),
    "activation": lambda: dg.deep_run(X4, Y4, activation="mish", init="he"),
    "init": lambda: dg.deep_run(X4, Y4, activation="relu", init="orthogonal"),
    "learning_rate": lambda: dg.deep_run(X4, Y4, activation="relu", init="he", learning_rate=0),
    "pairs": lambda: dg.compare_runs(X4, Y4, ["relu"]),
}


@pytest.mark.parametrize("param", sorted(BAD_CALLS))
def test_bad_arguments_raise_value_error_naming_the_parameter(param):
    with pytest.raises(ValueError, match=rf"^{param.split()[0]} .*got"):
        BAD_CALLS[param]()
