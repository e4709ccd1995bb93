"""Activations: forward against the textbook formulas, backward against finite differences of the
forward, the documented derivative conventions, ``out=`` buffers, and saturation without warnings."""

import warnings

import numpy as np
import pytest

import nn_core
from nn_core import activations

from . import reference as ref

ALL = {**nn_core.ACTIVATIONS, **nn_core.OUTPUTS}
ELEMENTWISE = sorted(nn_core.ACTIVATIONS)  # every hidden activation acts entry by entry

# Pre-activations with no entry near 0 (the relu kink) and none large enough to overflow exp.
Z_GRID = np.array([[-6.0, -2.5, -0.7, 0.3], [0.9, 2.2, 5.5, -0.05], [-1.3, 0.05, 3.0, -4.0]])


def test_registries_hold_the_documented_names():
    """Hidden: linear, relu, leaky_relu, tanh, sigmoid, elu, softplus, sine, swish, gelu; outputs:
    sigmoid, softmax, tanh, linear."""
    assert set(nn_core.ACTIVATIONS) == {"linear", "relu", "leaky_relu", "tanh", "sigmoid"} | {
        "elu",
        "softplus",
        "sine",
        "swish",
        "gelu",
    }
    assert set(nn_core.OUTPUTS) == {"sigmoid", "softmax", "tanh", "linear"}
    assert all(a.name == name for name, a in ALL.items())


@pytest.mark.parametrize("name", sorted(ALL))
def test_activation_forward_matches_textbook_formula(name):
    """g(Z) equals the reference formula (sigmoid = 1/(1+exp(-Z)), softmax = exp / row sum, ...)."""
    np.testing.assert_allclose(ALL[name].forward(Z_GRID), ref.activate(name, Z_GRID), rtol=1e-14, atol=1e-16)


def test_leaky_relu_forward_uses_slope_one_hundredth():
    """leaky_relu(Z) is Z for Z > 0 and 0.01 Z otherwise, worked by hand."""
    Z = np.array([[3.0, -3.0, 0.0, -250.0]])
    np.testing.assert_array_equal(activations.leaky_relu(Z), [[3.0, -0.03, 0.0, -2.5]])


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_activation_backward_matches_finite_difference(name):
    """backward(dA) = dA * g'(Z), with g' from central differences of forward()."""
    act, eps = ALL[name], 1e-6
    dA = np.random.default_rng(0).normal(size=Z_GRID.shape)
    numeric = (act.forward(Z_GRID + eps) - act.forward(Z_GRID - eps)) / (2 * eps)
    dZ = act.backward(dA, Z_GRID, act.forward(Z_GRID))
    np.testing.assert_allclose(dZ, dA * numeric, rtol=1e-7, atol=1e-10)


def test_softmax_backward_applies_the_jacobian():
    """dZ_i = sum_j J_ji dA_j with J = diag(a) - a a^T, built explicitly row by row."""
    Z = Z_GRID[:, :3]
    dA = np.random.default_rng(1).normal(size=Z.shape)
    A = activations.softmax(Z)
    expected = np.stack([(np.diag(a) - np.outer(a, a)).T @ d for a, d in zip(A, dA)])
    np.testing.assert_allclose(activations.softmax_backward(dA, Z, A), expected, rtol=1e-12, atol=1e-15)


def test_relu_backward_at_zero_is_zero_and_leaky_is_slope():
    """At Z == 0 relu passes no gradient and leaky_relu passes 0.01 (the documented convention)."""
    Z, dA = np.zeros((1, 2)), np.array([[2.0, -3.0]])
    np.testing.assert_array_equal(activations.relu_backward(dA, Z, activations.relu(Z)), [[0.0, 0.0]])
    np.testing.assert_allclose(activations.leaky_relu_backward(dA, Z, Z), [[0.02, -0.03]], rtol=1e-15)


@pytest.mark.parametrize("name", sorted(ALL))
def test_activation_forward_out_buffer_is_filled_and_returned(name):
    """forward(Z, out=buf) writes g(Z) into buf, returns buf and leaves Z alone."""
    Z = Z_GRID.copy()
    buf = np.empty_like(Z)
    result = ALL[name].forward(Z, out=buf)
    assert result is buf
    np.testing.assert_allclose(buf, ref.activate(name, Z_GRID), rtol=1e-14, atol=1e-16)
    np.testing.assert_array_equal(Z, Z_GRID)


@pytest.mark.parametrize("name", sorted(ALL))
def test_activation_forward_in_place_matches_out_of_place(name):
    """forward(Z, out=Z) (what MLP.layer_activations calls) gives the same values as a new array."""
    Z = Z_GRID.copy()
    expected = ALL[name].forward(Z_GRID)
    np.testing.assert_allclose(ALL[name].forward(Z, out=Z), expected, rtol=1e-15, atol=0)


@pytest.mark.parametrize("name", sorted(ALL))
def test_activation_backward_out_buffer_is_filled_and_returned(name):
    """backward(dA, Z, A, out=buf) writes into buf, returns it, and leaves dA unchanged."""
    act = ALL[name]
    A = act.forward(Z_GRID)
    dA = np.random.default_rng(2).normal(size=Z_GRID.shape)
    dA_copy = dA.copy()
    buf = np.empty_like(dA)
    assert act.backward(dA, Z_GRID, A, out=buf) is buf
    np.testing.assert_allclose(buf, act.backward(dA_copy, Z_GRID, A), rtol=1e-15)
    np.testing.assert_array_equal(dA, dA_copy)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", sorted(ALL))
def test_activation_keeps_dtype(name, dtype):
    """float32 in, float32 out (forward and backward), and likewise for float64."""
    Z = Z_GRID.astype(dtype)
    A = ALL[name].forward(Z)
    assert A.dtype == dtype
    assert ALL[name].backward(np.ones_like(Z), Z, A).dtype == dtype


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", sorted(ALL))
def test_activation_extreme_inputs_finite_without_warnings(name, dtype):
    """|Z| = 1e4 saturates cleanly: no overflow warning, finite forward and backward."""
    Z = np.array([[1e4, -1e4, 0.5], [-1e4, 1e4, 1e4]], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        A = ALL[name].forward(Z)
        dZ = ALL[name].backward(np.ones_like(Z), Z, A)
    assert np.all(np.isfinite(A)) and np.all(np.isfinite(dZ))


def test_sigmoid_saturates_to_exactly_zero_and_one():
    """sigmoid(+-1e4) is 1 and 0, and sigmoid(0) is 0.5."""
    np.testing.assert_array_equal(activations.sigmoid(np.array([[1e4, -1e4, 0.0]])), [[1.0, 0.0, 0.5]])


def test_softmax_rows_sum_to_one_and_ignore_a_shift():
    """softmax rows are probabilities, unchanged by adding a constant per row (even 1e4)."""
    Z = Z_GRID[:, :3]
    A = activations.softmax(Z)
    np.testing.assert_allclose(A.sum(axis=1), 1.0, rtol=1e-15)
    shifted = activations.softmax(Z + np.array([[1e4], [-1e4], [300.0]]))
    np.testing.assert_allclose(shifted, A, rtol=1e-9)
