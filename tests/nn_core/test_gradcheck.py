"""Gradient check: healthy networks pass for every activation x output/loss, every bug in BUGS is
caught in the blocks it breaks (and only there), the numerical gradient matches independent oracles
(a case by hand, a quadratic, tests/nn_core/reference.py), kinks are found, arguments are checked."""

import dataclasses

import numpy as np
import pytest

import nn_core
from nn_core import gradcheck as gc

from . import reference as ref

CLASSES = 3


def make_case(activation="tanh", output="sigmoid", *, hidden=(4, 3), n_samples=8, seed=0):
    """A float64 network whose every parameter is random (no bias at exactly 0, so no unit sits on
    a ReLU kink), with inputs and targets that fit its output."""
    rng = np.random.default_rng(seed)
    k = CLASSES if output == "softmax" else 1
    model = nn_core.MLP([3, *hidden, k], activation=activation, output=output, dtype=np.float64, rng=seed)
    model.params[:] = rng.normal(0.0, 0.8, model.params.size)
    X = rng.normal(size=(n_samples, 3))
    y = rng.normal(size=n_samples) if output == "linear" else rng.integers(0, max(k, 2), n_samples)
    return model, X, y


def names(model):
    return [f"{kind}{i + 1}" for i in range(model.n_layers) for kind in "Wb"]


# --- healthy networks ---------------------------------------------------------------------------


@pytest.mark.parametrize("output, loss", ref.OUTPUT_LOSS)
@pytest.mark.parametrize("activation", ref.HIDDEN)
def test_gradient_check_healthy_network_every_activation_and_loss_is_tiny(activation, output, loss):
    """Backprop and central differences agree to ~1e-8 or better, with both penalties on."""
    model, X, y = make_case(activation, output)
    result = gc.gradient_check(model, X, y, loss=loss, l1=0.01, l2=0.1)
    assert result.relative_error < 1e-8, result
    assert [b.name for b in result.blocks] == names(model)
    assert all(b.verdict == "good" and b.relative_error < 1e-7 for b in result.blocks)
    assert result.verdict == "good" and result.bug is None
    assert not any(b.changed_by_bug for b in result.blocks)
    assert result.n_params == model.params.size and result.n_samples == len(X)


def test_gradient_check_float32_model_checked_in_float64_and_left_unchanged():
    """The Playground's float32 network is checked on a float64 copy: still tiny, model untouched."""
    model, X, y = make_case()
    model32 = model.copy(dtype=np.float32)
    before = model32.params.copy()
    result = gc.gradient_check(model32, X, y, loss="bce")
    assert result.relative_error < 1e-8
    assert model32.dtype == np.float32
    np.testing.assert_array_equal(model32.params, before)


def test_gradient_check_blocks_have_layer_shapes_and_loss_value():
    model, X, y = make_case(hidden=(5,))
    result = gc.gradient_check(model, X, y, loss="mse", l2=0.3)
    assert [b.shape for b in result.blocks] == [(3, 5), (5,), (5, 1), (1,)]
    assert [b.numerical.size for b in result.blocks] == [15, 5, 5, 1]
    assert result.loss == pytest.approx(ref.total_loss(model, X, y, "mse", l2=0.3), rel=1e-12)


def test_gradient_check_result_is_frozen_and_read_only():
    model, X, y = make_case()
    result = gc.gradient_check(model, X, y, loss="bce")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.relative_error = 0.0
    with pytest.raises(ValueError, match="read-only"):
        result.blocks[0].numerical[0] = 1.0


# --- bugs ---------------------------------------------------------------------------------------
# With tanh hidden units, MSE on a sigmoid output and several samples, every bug changes something.
ALL = ["W1", "b1", "W2", "b2", "W3", "b3"]
HIDDEN_ONLY = ["W1", "b1", "W2", "b2"]  # the output layer's gradient comes before any hidden g'
BROKEN = {
    "no_derivative": HIDDEN_ONLY,
    "derivative_of_z": HIDDEN_ONLY,
    "sum_not_mean": ALL,
    "wrong_sign": ALL,
    "no_output_derivative": ALL,
}


def test_bugs_registry_is_covered_by_the_tests():
    assert set(BROKEN) == set(gc.BUGS)
    for bug in gc.BUGS.values():
        assert bug.label and bug.description and callable(bug.apply)


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
@pytest.mark.parametrize("bug", list(gc.BUGS))
def test_gradient_check_bug_is_wrong_exactly_in_the_blocks_it_breaks(bug, activation):
    model, X, y = make_case(activation, "sigmoid")
    result = gc.gradient_check(model, X, y, loss="mse", bug=bug)
    wrong = [b.name for b in result.blocks if b.verdict == "wrong"]
    assert wrong == BROKEN[bug]
    assert all(b.relative_error > 1e-3 for b in result.blocks if b.name in BROKEN[bug])
    assert all(b.relative_error < 1e-8 for b in result.blocks if b.name not in BROKEN[bug])
    assert [b.name for b in result.blocks if b.changed_by_bug] == BROKEN[bug]
    assert result.verdict == "wrong" and result.relative_error > 1e-3 and result.bug == bug


def test_gradient_check_wrong_sign_is_opposite():
    """Backprop's gradient negated: relative error exactly 1 (no penalty, whose gradient keeps its sign)."""
    model, X, y = make_case()
    result = gc.gradient_check(model, X, y, loss="bce", bug="wrong_sign")
    assert result.relative_error == pytest.approx(1.0, abs=1e-8)
    np.testing.assert_allclose(result.blocks[0].backprop, -result.blocks[0].numerical, rtol=1e-6)


def test_gradient_check_sum_not_mean_is_n_times_too_large():
    model, X, y = make_case(n_samples=5)
    result = gc.gradient_check(model, X, y, loss="bce", bug="sum_not_mean")
    for block in result.blocks:
        np.testing.assert_allclose(block.backprop, 5 * block.numerical, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize(
    "bug, activation, loss, n_samples",
    [
        ("no_derivative", "linear", "bce", 8),  # g' = 1 already
        ("derivative_of_z", "relu", "bce", 8),  # relu's derivative reads Z anyway
        ("derivative_of_z", "leaky_relu", "mse", 8),
        ("sum_not_mean", "tanh", "bce", 1),  # dividing by 1 sample
        ("no_output_derivative", "tanh", "bce", 8),  # the fused bce gradient already includes it
    ],
)
def test_gradient_check_bug_harmless_for_this_network_changes_nothing(bug, activation, loss, n_samples):
    model, X, y = make_case(activation, "sigmoid", n_samples=n_samples)
    result = gc.gradient_check(model, X, y, loss=loss, bug=bug)
    assert result.verdict == "good" and result.relative_error < 1e-8
    assert not any(b.changed_by_bug for b in result.blocks)


def test_gradient_check_bug_leaves_the_registry_and_model_alone():
    """A bug breaks a private copy: the registry's activations and a later healthy check are intact."""
    model, X, y = make_case()
    backward = nn_core.ACTIVATIONS["tanh"].backward
    gc.gradient_check(model, X, y, loss="mse", bug="no_derivative")
    assert nn_core.ACTIVATIONS["tanh"].backward is backward
    assert gc.gradient_check(model, X, y, loss="mse").verdict == "good"


# --- the numerical gradient against independent oracles -----------------------------------------


def test_numerical_gradient_one_weight_one_bias_by_hand():
    """L = (2w + b - 3)**2 + l2/2 w**2 + l1 |w| with w = 0.5, b = 0.25: r = -1.75,
    dL/dw = 4r + l2 w + l1 = -7 + 0.15 + 0.1, dL/db = 2r = -3.5."""
    model = nn_core.MLP([1, 1], output="linear", dtype=np.float64)
    model.weights = [np.array([[0.5]])]
    model.biases = [np.array([0.25])]
    grad = gc.numerical_gradient(model, [[2.0]], np.array([3.0]), loss="mse", l1=0.1, l2=0.3)
    np.testing.assert_allclose(grad, [-7.0 + 0.15 + 0.1, -3.5], rtol=1e-9)


def test_numerical_gradient_quadratic_loss_matches_closed_form():
    """No hidden layer, linear output, MSE: L = mean((X W + b - Y)**2) is quadratic, so
    dL/dW = 2 / (n k) X.T R and dL/db = 2 / (n k) sum of R's rows, with R = X W + b - Y."""
    rng = np.random.default_rng(3)
    model = nn_core.MLP([4, 2], output="linear", dtype=np.float64, rng=3)
    model.biases = [rng.normal(size=2)]
    X, Y = rng.normal(size=(6, 4)), rng.normal(size=(6, 2))
    R = X @ model.weights[0] + model.biases[0] - Y
    expected = np.concatenate([(2 / 12 * X.T @ R).ravel(), 2 / 12 * R.sum(axis=0)])
    np.testing.assert_allclose(gc.numerical_gradient(model, X, Y, loss="mse"), expected, rtol=1e-8)


@pytest.mark.parametrize("output, loss", ref.OUTPUT_LOSS)
def test_numerical_gradient_matches_the_reference_finite_differences(output, loss):
    """Against tests/nn_core/reference.py: its own forward pass, losses and penalty."""
    model, X, y = make_case("sigmoid", output, hidden=(3, 2))
    dW, db = ref.numeric_gradients(model, X, y, loss, l1=0.05, l2=0.2, eps=1e-5)
    expected = np.concatenate([d.ravel() for d in dW + db])
    got = gc.numerical_gradient(model, X, y, loss=loss, l1=0.05, l2=0.2)
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-9)


def test_numerical_gradient_larger_eps_is_less_accurate():
    """Truncation error grows like eps**2: eps = 1e-2 is visibly worse than 1e-5 on a tanh net."""
    model, X, y = make_case()
    errors = [gc.gradient_check(model, X, y, loss="bce", eps=eps).relative_error for eps in (1e-2, 1e-5)]
    assert errors[0] > 1e-6 > 1e-8 > errors[1]


# --- kinks ----------------------------------------------------------------------------------------


def dead_input_relu(b2):
    """1-2-2-1 relu net whose first-layer units are both off for x = -1: layer 2 then sees Z = b2,
    so a b2 entry of exactly 0 puts that unit on the kink. For x = 2 every unit is well on."""
    model = nn_core.MLP([1, 2, 2, 1], activation="relu", dtype=np.float64)
    model.weights = [np.array([[1.0, 2.0]]), np.array([[0.5, -0.3], [0.2, 0.7]]), np.array([[1.5], [-0.8]])]
    model.biases = [np.zeros(2), np.array(b2), np.array([0.1])]
    return model, np.array([[-1.0], [2.0]]), np.array([0, 1])


def test_gradient_check_relu_kink_counted_and_left_out():
    """b2[0] = 0: its nudges switch unit 1 of layer 2 for x = -1. The difference quotient averages
    the slopes on both sides, backprop takes g'(0) = 0: they differ, and the entry is left out."""
    model, X, y = dead_input_relu([0.0, 0.5])
    result = gc.gradient_check(model, X, y, loss="bce")
    b2 = result.blocks[3]
    assert b2.name == "b2" and b2.kinked.tolist() == [True, False]
    assert result.n_kinked == 1
    assert abs(b2.numerical[0] - b2.backprop[0]) > 1e-3  # why it is left out
    assert b2.relative_error < 1e-8 and b2.verdict == "good"
    assert all(b.verdict == "good" for b in result.blocks) and result.verdict == "good"


def test_gradient_check_block_with_only_kinks_says_so():
    """Every entry left out: no error to report (NaN), verdict 'kinks only'."""
    model, X, y = dead_input_relu([0.0, 0.0])
    result = gc.gradient_check(model, X, y, loss="bce")
    b2 = result.blocks[3]
    assert b2.kinked.all() and np.isnan(b2.relative_error) and np.isnan(b2.max_abs_difference)
    assert b2.verdict == gc.KINKS_ONLY
    assert result.n_kinked == 2 and result.verdict == "good"


def test_gradient_check_l1_weight_at_zero_is_a_kink():
    model, X, y = make_case()
    model.weights[1][0, 0] = 0.0
    result = gc.gradient_check(model, X, y, loss="bce", l1=0.1)
    assert result.n_kinked == 1 and result.blocks[2].kinked[0]
    assert result.verdict == "good"
    without_l1 = gc.gradient_check(model, X, y, loss="bce")
    assert without_l1.n_kinked == 0


# --- progress, error measure, verdicts, cap -------------------------------------------------------


def test_progress_called_with_increasing_counts_ending_at_total():
    model, X, y = make_case(hidden=(16, 16))
    calls = []
    gc.gradient_check(model, X, y, loss="bce", progress=lambda done, total: calls.append((done, total)))
    total = model.params.size
    assert calls[-1] == (total, total)
    assert all(t == total for _, t in calls)
    assert all(a < b for (a, _), (b, _) in zip(calls, calls[1:]))
    assert 50 <= len(calls) <= 101  # about every 1 %


def test_relative_error_values():
    assert gc.relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert gc.relative_error([1.0, -2.0], [-1.0, 2.0]) == 1.0
    assert gc.relative_error([0.0, 0.0], [0.0, 0.0]) == 0.0
    assert gc.relative_error([3.0, 0.0], [0.0, 4.0]) == pytest.approx(5.0 / 7.0)
    assert np.isnan(gc.relative_error([np.nan], [1.0]))


@pytest.mark.parametrize(
    "error, expected",
    [
        (0.0, "good"),
        (9e-8, "good"),
        (1e-7, "look closer"),
        (1e-4, "look closer"),
        (2e-4, "wrong"),
        (1.0, "wrong"),
    ],
)
def test_verdict_thresholds(error, expected):
    assert gc.verdict(error) == expected
    assert expected in gc.VERDICTS


def test_verdict_nan_undefined():
    assert gc.verdict(float("nan")) == "undefined"


def test_sample_cap_shrinks_with_network_size():
    assert gc.sample_cap(17) == gc.SAMPLE_BUDGET // 17
    assert gc.sample_cap(30_000) == 10
    assert gc.sample_cap(10**9) == 5


# --- validation -----------------------------------------------------------------------------------
MODEL, X, Y = make_case()


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"model": "net"}, "model must be an nn_core MLP; got str"),
        ({"X": np.zeros((8, 2))}, r"X must have shape \(n_samples, 3\).*got shape \(8, 2\)"),
        ({"y": np.zeros(7, int)}, "y must have 8 rows"),
        ({"loss": "hinge"}, "loss must be one of .*got 'hinge'"),
        ({"loss": "cross_entropy"}, "loss='cross_entropy' needs output in"),
        ({"l1": -0.1}, r"l1 must be a finite number in \[0.0, inf\); got -0.1"),
        ({"l2": float("nan")}, "l2 must be a finite number"),
        ({"eps": 0.0}, r"eps must be a finite number in \(0.0, 1.0\]; got 0.0"),
        ({"eps": 2.0}, "eps must be .*got 2.0"),
        ({"eps": "1e-5"}, "eps must be .*got '1e-5'"),
        ({"progress": 3}, "progress must be None or a callable.*got 3"),
    ],
)
@pytest.mark.parametrize("function", [gc.numerical_gradient, gc.gradient_check])
def test_bad_argument_raises_value_error_naming_it(function, kwargs, match):
    args = {"model": MODEL, "X": X, "y": Y, "loss": "bce", **kwargs}
    with pytest.raises(ValueError, match=match):
        function(args.pop("model"), args.pop("X"), args.pop("y"), **args)


def test_gradient_check_unknown_bug_raises():
    with pytest.raises(ValueError, match="bug must be one of .*got 'typo'"):
        gc.gradient_check(MODEL, X, Y, loss="bce", bug="typo")


def test_diverged_model_raises():
    model = MODEL.copy()
    model.params[0] = np.nan
    with pytest.raises(ValueError, match=r"model.params must be finite \(a diverged network\?\); got 1"):
        gc.gradient_check(model, X, Y, loss="bce")


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: gc.relative_error(np.zeros(2), np.zeros(3)), r"same shape; got \(2,\) and \(3,\)"),
        (lambda: gc.verdict("small"), "error must be a real number; got 'small'"),
        (lambda: gc.verdict(True), "error must be a real number; got True"),
        (lambda: gc.sample_cap(0), "n_params must be an int >= 1; got 0"),
        (lambda: gc.sample_cap(2.5), "n_params must be an int >= 1; got 2.5"),
    ],
)
def test_helpers_bad_argument_raise(call, match):
    with pytest.raises(ValueError, match=match):
        call()
