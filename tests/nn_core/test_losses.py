"""Losses: values against the exact definitions, dL/dZ against finite differences, target
encoding, accuracy and label decoding, worked by hand."""

import warnings

import numpy as np
import pytest

import nn_core
from nn_core import losses

from . import reference as ref

Z3 = np.random.default_rng(0).normal(0.0, 1.5, size=(4, 3))  # output pre-activations, 4 samples x 3 units
LABELS3 = np.array([2, 0, 1, 2])
ONE_HOT3 = np.eye(3)[LABELS3]


def test_losses_registry_pairs_each_loss_with_its_outputs():
    """mse accepts every output; bce only sigmoid; cross_entropy only softmax."""
    assert set(nn_core.LOSSES["mse"].outputs) == set(nn_core.OUTPUTS)
    assert nn_core.LOSSES["bce"].outputs == ("sigmoid",)
    assert nn_core.LOSSES["cross_entropy"].outputs == ("softmax",)


def test_mse_value_is_mean_over_all_entries():
    """mse = mean((A - Y)**2) over n*k entries, worked by hand on a 2x2 example."""
    A, Y = np.array([[0.5, 1.0], [2.0, -1.0]]), np.array([[0.0, 1.0], [0.0, 1.0]])
    assert losses.mse_value(A, A, Y) == pytest.approx((0.25 + 0.0 + 4.0 + 4.0) / 4, rel=1e-15)


def test_bce_value_matches_definition():
    """bce computed from Z equals -sum(Y log A + (1 - Y) log(1 - A)) / n_samples."""
    A = ref.activate("sigmoid", Z3)
    Y = (np.random.default_rng(1).random(Z3.shape) > 0.5).astype(float)
    expected = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / 4
    assert losses.bce_value(A, Z3, Y) == pytest.approx(expected, rel=1e-13)


def test_cross_entropy_value_matches_definition():
    """cross-entropy from Z equals -sum(Y log softmax(Z)) / n_samples with one-hot Y."""
    A = ref.activate("softmax", Z3)
    expected = -np.sum(ONE_HOT3 * np.log(A)) / 4
    assert losses.cross_entropy_value(A, Z3, ONE_HOT3) == pytest.approx(expected, rel=1e-13)


def test_bce_value_extreme_logits_finite_by_hand():
    """Z = -1e4 with Y = 1 costs 1e4, Z = +1e4 with Y = 0 costs 1e4, correct sides cost 0."""
    Z = np.array([[-1e4], [1e4], [1e4], [-1e4]])
    Y = np.array([[1.0], [0.0], [1.0], [0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = losses.bce_value(ref.activate("sigmoid", np.clip(Z, -50, 50)), Z, Y)
    assert value == pytest.approx((1e4 + 1e4 + 0 + 0) / 4, rel=1e-12)


def test_cross_entropy_value_extreme_logits_finite_by_hand():
    """Z = (1e4, -1e4, 0) with label 1: -log softmax = log-sum-exp - Z_1 = 1e4 + 1e4."""
    Z = np.array([[1e4, -1e4, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = losses.cross_entropy_value(ref.activate("softmax", Z), Z, np.array([[0.0, 1.0, 0.0]]))
    assert value == pytest.approx(2e4, rel=1e-12)


@pytest.mark.parametrize("output,loss", ref.OUTPUT_LOSS)
def test_loss_gradient_matches_finite_difference_in_z(output, loss):
    """dL/dZ from the loss equals central differences of the reference loss of g(Z)."""
    Z = Z3 if output == "softmax" else Z3[:, :1]
    Y = ONE_HOT3 if output == "softmax" else np.array([[1.0], [0.0], [1.0], [0.0]])
    if output == "tanh":
        Y = 2 * Y - 1
    eps, numeric = 1e-6, np.zeros_like(Z)
    for idx in np.ndindex(Z.shape):
        plus, minus = Z.copy(), Z.copy()
        plus[idx] += eps
        minus[idx] -= eps
        f_plus = ref.data_loss(loss, ref.activate(output, plus), Y, plus)
        f_minus = ref.data_loss(loss, ref.activate(output, minus), Y, minus)
        numeric[idx] = (f_plus - f_minus) / (2 * eps)
    A = nn_core.OUTPUTS[output].forward(Z)
    dZ = nn_core.LOSSES[loss].gradient(A, Z, Y, nn_core.OUTPUTS[output])
    np.testing.assert_allclose(dZ, numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("loss,output", [("bce", "sigmoid"), ("cross_entropy", "softmax")])
def test_fused_gradient_is_output_minus_target_over_n(loss, output):
    """For bce/sigmoid and cross-entropy/softmax, dL/dZ = (A - Y) / n_samples exactly."""
    Z = Z3 if output == "softmax" else Z3[:, :1]
    Y = ONE_HOT3 if output == "softmax" else np.array([[1.0], [0.0], [1.0], [0.0]])
    A = nn_core.OUTPUTS[output].forward(Z)
    dZ = nn_core.LOSSES[loss].gradient(A, Z, Y, nn_core.OUTPUTS[output])
    np.testing.assert_allclose(dZ, (A - Y) / 4, rtol=1e-15)


def test_mse_gradient_linear_output_is_two_diff_over_nk():
    """mse with a linear output: dL/dZ = 2 (A - Y) / (n k)."""
    Y = np.random.default_rng(2).normal(size=Z3.shape)
    dZ = losses.mse_gradient(Z3, Z3, Y, nn_core.OUTPUTS["linear"])
    np.testing.assert_allclose(dZ, 2 * (Z3 - Y) / 12, rtol=1e-15)


# --- targets ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "output,n_outputs,expected",
    [
        ("sigmoid", 1, [[0.0], [1.0], [1.0]]),
        ("linear", 1, [[0.0], [1.0], [1.0]]),
        ("tanh", 1, [[-1.0], [1.0], [1.0]]),
        ("softmax", 2, [[1.0, 0.0], [0.0, 1.0], [0.0, 1.0]]),
        ("sigmoid", 3, [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 1.0, 0.0]]),
        ("tanh", 3, [[1.0, -1.0, -1.0], [-1.0, 1.0, -1.0], [-1.0, 1.0, -1.0]]),
    ],
)
def test_encode_targets_integer_labels_by_hand(output, n_outputs, expected):
    """Labels (0, 1, 1) become a 0/1 column (tanh: -1/+1) or one-hot rows (tanh: -1/+1)."""
    Y = losses.encode_targets(np.array([0, 1, 1]), output=output, n_outputs=n_outputs, dtype=np.float64)
    np.testing.assert_array_equal(Y, expected)
    assert Y.dtype == np.float64


def test_encode_targets_boolean_and_column_labels_like_int():
    """Boolean labels and an (n, 1) int column encode like the (n,) int labels."""
    kw = dict(output="sigmoid", n_outputs=1, dtype=np.float32)
    expected = losses.encode_targets(np.array([1, 0, 1]), **kw)
    np.testing.assert_array_equal(losses.encode_targets(np.array([True, False, True]), **kw), expected)
    np.testing.assert_array_equal(losses.encode_targets(np.array([[1], [0], [1]]), **kw), expected)
    assert expected.dtype == np.float32


def test_encode_targets_float_is_regression_used_as_is():
    """Float y is a regression target: (n,) becomes a column, (n, k) is kept, values untouched."""
    y = np.array([0.25, -3.5, 7.0])
    Y = losses.encode_targets(y, output="tanh", n_outputs=1, dtype=np.float64)
    np.testing.assert_array_equal(Y, y[:, None])
    y2 = np.array([[0.5, 2.0], [-1.0, 4.0]])
    np.testing.assert_array_equal(
        losses.encode_targets(y2, output="linear", n_outputs=2, dtype=np.float64), y2
    )


def test_is_classification_ints_and_bools_not_floats():
    """Integer and boolean y hold labels; float y holds regression targets."""
    assert losses.is_classification(np.array([0, 1]))
    assert losses.is_classification(np.array([True, False]))
    assert not losses.is_classification(np.array([0.0, 1.0]))


# --- accuracy and decoding ----------------------------------------------------------------------


def test_decode_labels_thresholds_and_argmax_by_hand():
    """One output: > 0.5 (> 0 for tanh) is label 1; several outputs: the row argmax."""
    A1 = np.array([[0.2], [0.7], [0.5], [-0.1]])
    np.testing.assert_array_equal(losses.decode_labels(A1, "sigmoid"), [0, 1, 0, 0])
    np.testing.assert_array_equal(losses.decode_labels(A1, "tanh"), [1, 1, 1, 0])
    A3 = np.array([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2]])
    np.testing.assert_array_equal(losses.decode_labels(A3, "softmax"), [1, 0])


def test_accuracy_counts_matching_rows_by_hand():
    """Accuracy is the fraction of decoded labels equal to the true labels."""
    A1 = np.array([[0.2], [0.7], [0.9], [0.4]])
    assert losses.accuracy(A1, np.array([0, 1, 0, 0]), "sigmoid") == 0.75
    assert losses.accuracy(A1 - 0.5, np.array([0, 1, 0, 0]), "tanh") == 0.75
    A3 = np.array([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2]])
    assert losses.accuracy(A3, np.array([1, 2]), "softmax") == 0.5
