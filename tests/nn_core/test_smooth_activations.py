"""The smooth activations (elu, softplus, sine, swish, gelu): derivatives against central
differences on a grid out to |z| = 1e4, no floating-point warning at all there, values worked by
hand, and gelu's tanh approximation against the exact erf-based gelu within its known error."""

import math
import warnings

import numpy as np
import pytest

import nn_core
from nn_core import smooth_activations as smooth

SMOOTH = ["elu", "softplus", "sine", "swish", "gelu"]

# A grid through the curved middle, the tails, and out to |z| = 1e4 (no point on a relu-type kink).
WIDE = np.concatenate([np.linspace(-12.0, 12.0, 241) + 0.0123, [-1e4, -3e3, -50.0, 50.0, 3e3, 1e4]])


def _derivative_by_central_differences(forward, z, eps=1e-6, *, relative=True):
    """g'(z) from the forward pass alone, in float64, with a nudge relative to |z| beyond 1 (or
    ``eps`` everywhere: sine curves as much at 1e4 as at 0, so a wide nudge would misread it)."""
    h = eps * np.maximum(1.0, np.abs(z)) if relative else np.full_like(z, eps)
    return (forward((z + h)[:, None])[:, 0] - forward((z - h)[:, None])[:, 0]) / (2 * h)


@pytest.mark.parametrize("name", SMOOTH)
def test_smooth_activation_backward_matches_central_differences_out_to_1e4(name):
    """backward(dA = 1) equals (g(z + h) - g(z - h)) / 2h at every grid point, large |z| included."""
    g = nn_core.ACTIVATIONS[name]
    Z = WIDE[:, None]
    slope = g.backward(np.ones_like(Z), Z, g.forward(Z))[:, 0]
    numeric = _derivative_by_central_differences(g.forward, WIDE, relative=name != "sine")
    if name == "sine":  # differences of sin near 1e4 round to ~1e-16 * 1e4 / 1e-6 = 1e-6
        np.testing.assert_allclose(slope, numeric, rtol=0, atol=5e-6)
    else:
        np.testing.assert_allclose(slope, numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", SMOOTH)
def test_smooth_activation_raises_no_floating_point_error_at_1e4(name, dtype):
    """Under np.errstate(all='raise', under='ignore') (overflow, invalid and divide raise) and with
    warnings as errors, forward and backward at |z| up to 1e4 run and give finite values. Underflow
    is exempt: exp(-1e4) rounding to 0 is the right answer (NumPy's default ignores it too)."""
    g = nn_core.ACTIVATIONS[name]
    Z = np.array([[-1e4, -1e3, -100.0, -30.0, 0.0, 30.0, 100.0, 1e3, 1e4]], dtype=dtype)
    with warnings.catch_warnings(), np.errstate(all="raise", under="ignore"):
        warnings.simplefilter("error")
        A = g.forward(Z)
        dZ = g.backward(np.ones_like(Z), Z, A)
        buffer = Z.copy()
        g.forward(buffer, out=buffer)  # in place, as MLP.layer_activations calls it
    assert np.all(np.isfinite(A)) and np.all(np.isfinite(dZ))
    np.testing.assert_array_equal(buffer, A)


def test_smooth_activation_values_by_hand():
    """Values worked by hand: elu(-inf side) -> -1, softplus(0) = log 2, softplus(1e4) = 1e4,
    swish(1e4) = 1e4, swish(-1e4) = 0, gelu(0) = 0, sine(pi/2) = 1."""
    Z = np.array([[0.0, 2.0, -1e4, 1e4, -1.0]])
    np.testing.assert_allclose(smooth.elu(Z), [[0.0, 2.0, -1.0, 1e4, math.exp(-1.0) - 1.0]], rtol=1e-15)
    np.testing.assert_allclose(smooth.softplus(Z)[0, [0, 2, 3]], [math.log(2.0), 0.0, 1e4], rtol=1e-15)
    np.testing.assert_allclose(smooth.swish(Z)[0, [0, 2, 3]], [0.0, 0.0, 1e4], atol=0)
    np.testing.assert_allclose(smooth.swish(np.array([[2.0]])), [[2.0 / (1.0 + math.exp(-2.0))]], rtol=1e-15)
    np.testing.assert_array_equal(smooth.gelu(np.array([[0.0, 1e4, -1e4]])), [[0.0, 1e4, 0.0]])
    np.testing.assert_allclose(smooth.sine(np.array([[math.pi / 2, 0.0]])), [[1.0, 0.0]], atol=1e-16)


def test_smooth_activation_slopes_by_hand():
    """elu' is 1 right of 0 and e^z left of it; softplus' is sigmoid; sine' is cos; swish'(0) = 1/2;
    gelu'(0) = 1/2; all at 1e4 are exactly their limits 1 (or 0 on the flat side)."""
    Z = np.array([[-2.0, 0.0, 3.0, 1e4, -1e4]])
    ones = np.ones_like(Z)

    def slope(name):
        g = nn_core.ACTIVATIONS[name]
        return g.backward(ones, Z, g.forward(Z))[0]

    np.testing.assert_allclose(slope("elu"), [math.exp(-2.0), 1.0, 1.0, 1.0, 0.0], rtol=1e-15)
    sigmoid = [1 / (1 + math.exp(2.0)), 0.5, 1 / (1 + math.exp(-3.0)), 1.0, 0.0]
    np.testing.assert_allclose(slope("softplus"), sigmoid, rtol=1e-14)
    np.testing.assert_allclose(slope("sine"), np.cos(Z[0]), rtol=1e-15)
    assert slope("swish")[1] == 0.5 and slope("gelu")[1] == 0.5
    assert list(slope("swish")[3:]) == [1.0, 0.0] and list(slope("gelu")[3:]) == [1.0, 0.0]


def test_gelu_tanh_approximation_is_within_its_known_error_of_the_exact_erf_gelu():
    """The exact gelu is z Phi(z) = z (1 + erf(z / sqrt 2)) / 2 (math.erf); the tanh approximation
    stays within 5e-4 of it (worst 4.7e-4, at |z| = 2.70) and is not the exact function (the gap
    exceeds 1e-4 there: the label says 'approximation'); both agree to 1e-6 for |z| > 6."""
    z = np.linspace(-8.0, 8.0, 3201)
    exact = np.array([v * (1.0 + math.erf(v / math.sqrt(2.0))) / 2.0 for v in z])
    gap = np.abs(smooth.gelu(z[:, None])[:, 0] - exact)
    assert 1e-4 < gap.max() < 5e-4
    assert abs(z[np.argmax(gap)]) == pytest.approx(2.7, abs=0.05)
    assert gap[np.abs(z) > 6].max() < 1e-6


def test_smooth_activations_keep_float32_and_match_float64():
    """float32 in, float32 out; within float32 rounding of the float64 values."""
    Z = (WIDE[:, None] / 3).astype(np.float32)
    for name in SMOOTH:
        g = nn_core.ACTIVATIONS[name]
        A32 = g.forward(Z)
        dZ32 = g.backward(np.ones_like(Z), Z, A32)
        assert A32.dtype == np.float32 and dZ32.dtype == np.float32
        Z64 = Z.astype(np.float64)
        np.testing.assert_allclose(A32, g.forward(Z64), rtol=2e-6, atol=2e-6)
        np.testing.assert_allclose(dZ32, g.backward(np.ones_like(Z64), Z64, g.forward(Z64)), atol=1e-5)
