"""MLP: parameter layout, forward pass, a worked example by hand, and gradient checks against
finite differences of an independent re-implementation (tests/nn_core/reference.py)."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import nn_core

from . import reference as ref

FAST = settings(max_examples=30, deadline=None)


def sig(z):
    return 1.0 / (1.0 + math.exp(-z))


# --- parameters ---------------------------------------------------------------------------------


def test_mlp_layer_sizes_give_weight_and_bias_shapes():
    """weights[i] is (sizes[i], sizes[i+1]), biases[i] is (sizes[i+1],), params holds them all."""
    model = nn_core.MLP([3, 5, 4, 2], rng=0)
    assert [W.shape for W in model.weights] == [(3, 5), (5, 4), (4, 2)]
    assert [b.shape for b in model.biases] == [(5,), (4,), (2,)]
    assert model.n_weights == 3 * 5 + 5 * 4 + 4 * 2
    assert model.params.shape == (model.n_weights + 5 + 4 + 2,)
    assert model.n_layers == 3


def test_mlp_params_every_weight_then_every_bias():
    """params is the concatenation of the flattened weights, then the biases (the documented layout)."""
    model = nn_core.MLP([2, 3, 2], init="uniform", rng=1)
    expected = np.concatenate([W.ravel() for W in model.weights] + list(model.biases))
    np.testing.assert_array_equal(model.params, expected)


def test_mlp_weights_are_views_of_params():
    """Writing into params shows in weights/biases and vice versa: one block of memory."""
    model = nn_core.MLP([2, 3, 1], dtype=np.float64, rng=0)
    model.params[:] = np.arange(model.params.size)
    assert model.weights[1][2, 0] == 6 + 2 and model.biases[0][1] == 9 + 1
    model.weights[0] = np.full((2, 3), 7.0)
    np.testing.assert_array_equal(model.params[:6], 7.0)


def test_mlp_biases_setter_replaces_every_bias():
    """model.biases = [...] copies each array into the parameter vector."""
    model = nn_core.MLP([2, 2, 1], dtype=np.float64, rng=0)
    model.biases = [np.array([1.0, 2.0]), np.array([3.0])]
    np.testing.assert_array_equal(model.params[-3:], [1.0, 2.0, 3.0])


# --- initial weights ----------------------------------------------------------------------------


@pytest.mark.parametrize("init", sorted(nn_core.INITIALIZERS))
def test_mlp_same_seed_identical_initial_weights(init):
    """Same rng seed -> bit-for-bit identical parameters."""
    a = nn_core.MLP([2, 4, 3], init=init, rng=7)
    b = nn_core.MLP([2, 4, 3], init=init, rng=7)
    assert np.array_equal(a.params, b.params)


@pytest.mark.parametrize("init", sorted(set(nn_core.INITIALIZERS) - {"zeros"}))
def test_mlp_different_seeds_different_initial_weights(init):
    """Different seeds -> different random weights."""
    a = nn_core.MLP([2, 4, 3], init=init, rng=7)
    b = nn_core.MLP([2, 4, 3], init=init, rng=8)
    assert not np.array_equal(a.params, b.params)


@pytest.mark.parametrize("init", sorted(nn_core.INITIALIZERS))
def test_mlp_float32_initial_weights_are_float64_rounded(init):
    """The same seed starts float32 and float64 models at the same point, up to float32 rounding."""
    w32 = nn_core.MLP([2, 4, 3], init=init, dtype=np.float32, rng=3).params
    w64 = nn_core.MLP([2, 4, 3], init=init, dtype=np.float64, rng=3).params
    assert w32.dtype == np.float32 and w64.dtype == np.float64
    np.testing.assert_array_equal(w32, w64.astype(np.float32))


def test_mlp_initializers_follow_their_documented_distributions():
    """zeros, small (0.01 randn), normal, uniform (U(-.5,.5), b=.1), xavier (bound), he (std)."""
    big = {name: nn_core.MLP([200, 300], init=name, dtype=np.float64, rng=0) for name in nn_core.INITIALIZERS}
    assert not big["zeros"].params.any()
    assert big["small"].weights[0].std() == pytest.approx(0.01, rel=0.03)
    assert big["normal"].weights[0].std() == pytest.approx(1.0, rel=0.03)
    assert big["he"].weights[0].std() == pytest.approx(math.sqrt(2 / 200), rel=0.03)
    assert np.abs(big["uniform"].weights[0]).max() <= 0.5
    np.testing.assert_array_equal(big["uniform"].biases[0], 0.1)
    limit = math.sqrt(6 / (200 + 300))
    assert np.abs(big["xavier"].weights[0]).max() <= limit < 1.01 * np.abs(big["xavier"].weights[0]).max()
    for name in ("small", "normal", "he", "xavier"):
        assert not big[name].biases[0].any()


# --- forward ------------------------------------------------------------------------------------


@pytest.mark.parametrize("output", sorted(nn_core.OUTPUTS))
@pytest.mark.parametrize("activation", ref.HIDDEN)
def test_mlp_forward_matches_reference_forward(activation, output):
    """forward() equals the textbook forward pass, layer by layer, in float64."""
    model = nn_core.MLP(
        [2, 4, 3, 3], activation=activation, output=output, init="normal", dtype=np.float64, rng=2
    )
    X = np.random.default_rng(0).normal(size=(6, 2))
    _, As = ref.forward(model.weights, model.biases, X, activation, output)
    np.testing.assert_allclose(model.forward(X), As[-1], rtol=1e-12, atol=1e-14)
    for mine, theirs in zip(model.layer_activations(X)[1:], As):
        np.testing.assert_allclose(mine, theirs, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("activation", ref.HIDDEN)
def test_mlp_forward_consistent_with_loss_and_gradients(activation):
    """The mse of forward()'s output equals the loss that loss_and_gradients (training) computes."""
    model = nn_core.MLP(
        [2, 4, 1], activation=activation, output="linear", init="normal", dtype=np.float64, rng=6
    )
    X = np.random.default_rng(6).normal(size=(5, 2))
    y = np.random.default_rng(7).normal(size=5)
    value, _, _ = model.loss_and_gradients(X, y, loss="mse")
    assert np.mean((model.forward(X)[:, 0] - y) ** 2) == pytest.approx(value, rel=1e-12)


def test_mlp_forward_float32_close_to_float64():
    """A float32 model computes the float64 model's outputs to float32 precision, in float32."""
    X = np.random.default_rng(0).normal(size=(5, 2))
    out32 = nn_core.MLP([2, 5, 2], output="softmax", dtype=np.float32, rng=4).forward(X)
    out64 = nn_core.MLP([2, 5, 2], output="softmax", dtype=np.float64, rng=4).forward(X)
    assert out32.dtype == np.float32
    np.testing.assert_allclose(out32, out64, rtol=1e-5, atol=1e-6)


def test_mlp_forward_int_inputs_same_as_float():
    """Integer X (as in the tutorial) is converted, not rejected."""
    model = nn_core.MLP([2, 3, 1], dtype=np.float64, rng=0)
    X = np.array([[0, 1], [1, 1]])
    np.testing.assert_array_equal(model.forward(X), model.forward(X.astype(float)))


def test_mlp_forward_is_deterministic_and_leaves_params_alone():
    """Two forward() calls give identical outputs and do not touch the parameters."""
    model = nn_core.MLP([2, 6, 1], rng=0)
    before = model.params.copy()
    X = np.random.default_rng(1).normal(size=(8, 2))
    assert np.array_equal(model.forward(X), model.forward(X))
    assert np.array_equal(model.params, before)


@pytest.mark.parametrize(
    "output,expected",
    [("sigmoid", lambda A: (A[:, 0] > 0.5).astype(int)), ("tanh", lambda A: (A[:, 0] > 0).astype(int))],
)
def test_mlp_predict_one_output_thresholds(output, expected):
    """predict() thresholds one output at 0.5 (sigmoid) or 0 (tanh)."""
    model = nn_core.MLP([2, 4, 1], output=output, init="normal", dtype=np.float64, rng=5)
    X = np.random.default_rng(5).normal(size=(20, 2))
    np.testing.assert_array_equal(model.predict(X), expected(model.forward(X)))


def test_mlp_predict_softmax_argmax_and_linear_values():
    """predict() is the row argmax for softmax, the raw values for a linear output."""
    X = np.random.default_rng(0).normal(size=(7, 2))
    soft = nn_core.MLP([2, 4, 3], output="softmax", dtype=np.float64, rng=0)
    np.testing.assert_array_equal(soft.predict(X), soft.forward(X).argmax(axis=1))
    lin1 = nn_core.MLP([2, 4, 1], output="linear", dtype=np.float64, rng=0)
    np.testing.assert_array_equal(lin1.predict(X), lin1.forward(X)[:, 0])
    lin2 = nn_core.MLP([2, 4, 2], output="linear", dtype=np.float64, rng=0)
    np.testing.assert_array_equal(lin2.predict(X), lin2.forward(X))


# --- worked examples ----------------------------------------------------------------------------

W1 = [[0.15, 0.25], [0.20, 0.30]]  # W1[i][j]: input i -> hidden j
B1 = [0.35, 0.35]
W2 = [0.40, 0.45]  # hidden j -> the output unit
B2 = 0.60
SAMPLES = [((0.05, 0.10), 0.01), ((1.0, -0.5), 0.99)]


def _worked_2_2_1():
    """Forward pass, mse loss and every gradient of the 2-2-1 sigmoid net, scalar by scalar."""
    n = len(SAMPLES)
    out = {"A1": [], "A2": [], "loss": 0.0, "dW1": [[0.0, 0.0], [0.0, 0.0]], "db1": [0.0, 0.0]}
    out.update(dW2=[0.0, 0.0], db2=0.0)
    for (x0, x1), target in SAMPLES:
        z1 = [x0 * W1[0][j] + x1 * W1[1][j] + B1[j] for j in range(2)]
        a1 = [sig(z1[0]), sig(z1[1])]
        z2 = a1[0] * W2[0] + a1[1] * W2[1] + B2
        a2 = sig(z2)
        out["A1"].append(a1)
        out["A2"].append([a2])
        out["loss"] += (a2 - target) ** 2 / n  # mean over n samples * 1 output
        dz2 = 2 * (a2 - target) / n * a2 * (1 - a2)  # dL/da2 * sigmoid'(z2)
        out["db2"] += dz2
        for j in range(2):
            out["dW2"][j] += a1[j] * dz2
            dz1 = dz2 * W2[j] * a1[j] * (1 - a1[j])  # back through W2 and sigmoid'(z1)
            out["db1"][j] += dz1
            out["dW1"][0][j] += x0 * dz1
            out["dW1"][1][j] += x1 * dz1
    return out


def _net_2_2_1():
    model = nn_core.MLP([2, 2, 1], activation="sigmoid", output="sigmoid", dtype=np.float64)
    model.weights = [np.array(W1), np.array(W2).reshape(2, 1)]
    model.biases = [np.array(B1), np.array([B2])]
    X = np.array([x for x, _ in SAMPLES])
    y = np.array([t for _, t in SAMPLES])
    return model, X, y


def test_mlp_worked_2_2_1_forward_matches_hand_computation():
    """Hidden and output activations of the 2-2-1 sigmoid net equal the scalar computation."""
    model, X, _ = _net_2_2_1()
    hand = _worked_2_2_1()
    _, A1, A2 = model.layer_activations(X)
    np.testing.assert_allclose(A1, hand["A1"], rtol=1e-14)
    np.testing.assert_allclose(A2, hand["A2"], rtol=1e-14)
    np.testing.assert_allclose(model.forward(X), hand["A2"], rtol=1e-14)


def test_mlp_worked_2_2_1_loss_and_gradients_match_hand_computation():
    """mse and dW1, db1, dW2, db2 of the 2-2-1 net equal the step-by-step chain rule."""
    model, X, y = _net_2_2_1()
    hand = _worked_2_2_1()
    loss, dW, db = model.loss_and_gradients(X, y, loss="mse")
    assert loss == pytest.approx(hand["loss"], rel=1e-13)
    np.testing.assert_allclose(dW[0], hand["dW1"], rtol=1e-12)
    np.testing.assert_allclose(db[0], hand["db1"], rtol=1e-12)
    np.testing.assert_allclose(dW[1][:, 0], hand["dW2"], rtol=1e-12)
    np.testing.assert_allclose(db[1], [hand["db2"]], rtol=1e-12)


def _mazur_net():
    """Matt Mazur's 'A Step by Step Backpropagation Example' (2-2-2, sigmoid, one sample)."""
    model = nn_core.MLP([2, 2, 2], activation="sigmoid", output="sigmoid", dtype=np.float64)
    model.weights = [np.array([[0.15, 0.25], [0.20, 0.30]]), np.array([[0.40, 0.50], [0.45, 0.55]])]
    model.biases = [np.array([0.35, 0.35]), np.array([0.60, 0.60])]
    return model, np.array([[0.05, 0.10]]), np.array([[0.01, 0.99]])


def test_mlp_mazur_example_published_forward_and_loss():
    """Our mse (mean over the 2 outputs) is Mazur's 1/2 sum of squares: E_total = 0.298371109."""
    model, X, Y = _mazur_net()
    _, hidden, out = model.layer_activations(X)
    np.testing.assert_allclose(hidden[0], [0.593269992, 0.596884378], atol=1e-9)
    np.testing.assert_allclose(out[0], [0.75136507, 0.772928465], atol=1e-8)
    assert model.loss_and_gradients(X, Y, loss="mse")[0] == pytest.approx(0.298371109, abs=1e-9)


def test_mlp_mazur_example_published_gradients():
    """dE/dw5 = 0.082167041, and w - 0.5 dE/dw gives Mazur's published updated weights."""
    model, X, Y = _mazur_net()
    _, dW, _ = model.loss_and_gradients(X, Y, loss="mse")
    assert dW[1][0, 0] == pytest.approx(0.082167041, abs=1e-9)
    new_W2 = model.weights[1] - 0.5 * dW[1]  # w5 w7 / w6 w8
    new_W1 = model.weights[0] - 0.5 * dW[0]  # w1 w3 / w2 w4
    np.testing.assert_allclose(new_W2, [[0.35891648, 0.511301270], [0.408666186, 0.561370121]], atol=1e-8)
    np.testing.assert_allclose(new_W1, [[0.149780716, 0.24975114], [0.19956143, 0.29950229]], atol=1e-8)


# --- gradient checks over every combination -----------------------------------------------------


def _small_net(activation, output, l1):
    """A [2, 3, 3, k] float64 net with random weights and biases, drawn again until finite
    differences are safe (no relu kink and, with L1, no weight near 0 within reach)."""
    k = 3 if output == "softmax" else 1
    for seed in range(100):
        rng = np.random.default_rng(seed)
        model = nn_core.MLP([2, 3, 3, k], activation=activation, output=output, dtype=np.float64, rng=0)
        model.params[:] = rng.normal(0.0, 0.8, model.params.size)
        X = rng.normal(size=(5, 2))
        y = rng.normal(size=5) if output == "linear" else rng.integers(0, max(k, 2), 5)
        if ref.away_from_kinks(model, X, l1):
            return model, X, y
    raise AssertionError("no kink-free draw in 100 seeds")


COMBINATIONS = pytest.mark.parametrize("penalty", list(ref.PENALTIES))
OUTPUT_LOSS = pytest.mark.parametrize("output,loss", ref.OUTPUT_LOSS)
HIDDEN = pytest.mark.parametrize("activation", ref.HIDDEN)


@COMBINATIONS
@OUTPUT_LOSS
@HIDDEN
def test_loss_and_gradients_every_combination_match_finite_differences(activation, output, loss, penalty):
    """Backprop equals central differences of the independent loss, for every weight and bias."""
    l1, l2 = ref.PENALTIES[penalty]
    model, X, y = _small_net(activation, output, l1)
    _, dW, db = model.loss_and_gradients(X, y, loss=loss, l1=l1, l2=l2)
    num_dW, num_db = ref.numeric_gradients(model, X, y, loss, l1, l2)
    ref.assert_gradients_match(dW + db, num_dW + num_db)


@COMBINATIONS
@OUTPUT_LOSS
@HIDDEN
def test_loss_and_gradients_every_combination_loss_equals_reference(activation, output, loss, penalty):
    """The returned loss is data loss + l2/2 sum(W**2) + l1 sum|W| (weights only), independently."""
    l1, l2 = ref.PENALTIES[penalty]
    model, X, y = _small_net(activation, output, l1)
    value, _, _ = model.loss_and_gradients(X, y, loss=loss, l1=l1, l2=l2)
    assert value == pytest.approx(ref.total_loss(model, X, y, loss, l1, l2), rel=1e-12)


def test_loss_and_gradients_penalty_skips_biases():
    """Changing only the biases changes the loss by the data loss alone, never by the penalty."""
    model, X, y = _small_net("tanh", "sigmoid", 0.0)
    with_penalty = model.loss_and_gradients(X, y, loss="bce", l1=0.5, l2=2.0)[0]
    without = model.loss_and_gradients(X, y, loss="bce")[0]
    expected = ref.penalty(model.weights, 0.5, 2.0)
    assert with_penalty - without == pytest.approx(expected, rel=1e-12)
    assert expected != pytest.approx(ref.penalty(list(model.weights) + list(model.biases), 0.5, 2.0))


def test_loss_and_gradients_returns_fresh_arrays_and_keeps_params():
    """The gradients are new arrays (not views of params) and the parameters are not changed."""
    model, X, y = _small_net("relu", "softmax", 0.0)
    before = model.params.copy()
    _, dW, db = model.loss_and_gradients(X, y, loss="cross_entropy", l2=0.1)
    assert np.array_equal(model.params, before)
    assert [g.shape for g in dW] == [W.shape for W in model.weights]
    assert [g.shape for g in db] == [b.shape for b in model.biases]
    for g in dW + db:
        assert not np.shares_memory(g, model.params)


def test_loss_and_gradients_l1_at_zero_weight_uses_zero_subgradient():
    """sign(0) = 0: an exactly-zero weight gets no L1 pull (the documented subgradient)."""
    model, X, y = _small_net("tanh", "linear", 0.0)
    model.weights[0][0, 0] = 0.0
    plain = model.loss_and_gradients(X, y, loss="mse")[1][0][0, 0]
    with_l1 = model.loss_and_gradients(X, y, loss="mse", l1=0.3)[1][0][0, 0]
    assert with_l1 == plain


# --- properties on random architectures ---------------------------------------------------------


@st.composite
def networks(draw, dtypes=(np.float64,)):
    """A random MLP (1-4 weight layers, widths 1-6), a data batch and the loss to use."""
    n_layers = draw(st.integers(1, 4))
    sizes = draw(st.lists(st.integers(1, 6), min_size=n_layers + 1, max_size=n_layers + 1))
    output, loss = draw(st.sampled_from(ref.OUTPUT_LOSS))
    if output == "softmax":
        sizes[-1] = max(sizes[-1], 2)
    activation = draw(st.sampled_from(ref.HIDDEN))
    dtype = draw(st.sampled_from(dtypes))
    seed = draw(st.integers(0, 2**32 - 1))
    n = draw(st.integers(1, 5))
    rng = np.random.default_rng(seed)
    model = nn_core.MLP(sizes, activation=activation, output=output, init="normal", dtype=dtype, rng=rng)
    model.params[:] = model.params + rng.normal(0.0, 0.3, model.params.size)  # non-zero biases
    X = rng.normal(size=(n, sizes[0]))
    k = sizes[-1]
    if output == "linear":
        y = rng.normal(size=n) if k == 1 else rng.normal(size=(n, k))
    else:
        y = rng.integers(0, max(k, 2), n)
    return model, X, y, loss


@FAST
@given(networks(dtypes=(np.float32, np.float64)), st.integers(1, 30))
def test_mlp_forward_random_architecture_shape_and_dtype(case, n):
    """forward() returns (n_samples, layer_sizes[-1]) in the model dtype."""
    model, _, _, _ = case
    X = np.random.default_rng(n).normal(size=(n, model.layer_sizes[0]))
    out = model.forward(X)
    assert out.shape == (n, model.layer_sizes[-1])
    assert out.dtype == model.dtype


@FAST
@given(networks(dtypes=(np.float32, np.float64)), st.floats(0.1, 1000.0))
def test_mlp_forward_sigmoid_in_unit_interval_softmax_rows_sum_to_one(case, scale):
    """Sigmoid outputs lie in [0, 1]; softmax rows are probability vectors, even for large inputs."""
    model, X, _, _ = case
    out = model.forward(X * scale)
    if model.output in ("sigmoid", "softmax"):
        assert np.all((out >= 0) & (out <= 1))
    if model.output == "softmax":
        tol = 1e-5 if model.dtype == np.float32 else 1e-12
        np.testing.assert_allclose(out.sum(axis=1), 1.0, atol=tol)
    assert np.all(np.isfinite(out))


@settings(max_examples=40, deadline=None)
@given(networks())
def test_loss_and_gradients_random_architecture_match_finite_differences(case):
    """On random small float64 nets, backprop agrees with finite differences of the oracle."""
    model, X, y, loss = case
    assume(ref.away_from_kinks(model, X, 0.0))
    value, dW, db = model.loss_and_gradients(X, y, loss=loss)
    assert value == pytest.approx(ref.total_loss(model, X, y, loss), rel=1e-10)
    num_dW, num_db = ref.numeric_gradients(model, X, y, loss)
    ref.assert_gradients_match(dW + db, num_dW + num_db, scale=max(1.0, abs(value)))


@FAST
@given(
    networks(dtypes=(np.float32, np.float64)),
    st.floats(0.1, 100.0),
    st.sampled_from([0.0, 0.1]),
    st.sampled_from([0.0, 0.2]),
)
def test_loss_and_gradients_random_architecture_never_warn(case, scale, l1, l2):
    """loss_and_gradients emits no warning (overflow, divide, invalid) and returns finite values."""
    model, X, y, loss = case
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value, dW, db = model.loss_and_gradients(X * scale, y, loss=loss, l1=l1, l2=l2)
    assert math.isfinite(value)
    assert all(np.all(np.isfinite(g)) and g.dtype == model.dtype for g in dW + db)
