"""One activation per hidden layer: gradients of mixed networks against central differences (the
gradient check, and tests/nn_core/reference.py's own forward pass), a single name equal to a list of
identical names bit for bit, validation messages, and pickle, copy, repr, trace and diagnostics."""

import pickle

import numpy as np
import pytest

import nn_core
from nn_core import diagnostics
from nn_core import gradcheck as gc
from nn_core.trace import trace_step

from . import reference as ref

MIXES = [
    ("relu", "swish", "sine"),
    ("gelu", "elu", "softplus"),
    ("tanh", "sine", "leaky_relu"),
    ("sigmoid", "gelu", "swish"),
]


def mixed_case(activations, output="sigmoid", *, n_samples=9, seed=0):
    """A float64 [2, 5, 4, 3, k] network with random parameters (no bias exactly 0) and data for it."""
    rng = np.random.default_rng(seed)
    k = 3 if output == "softmax" else 1
    model = nn_core.MLP([2, 5, 4, 3, k], activation=list(activations), output=output, dtype=np.float64)
    model.params[:] = rng.normal(0.0, 0.9, model.params.size)
    X = rng.normal(size=(n_samples, 2))
    y = rng.integers(0, max(k, 2), n_samples)
    return model, X, y


@pytest.mark.parametrize("output, loss", [("sigmoid", "bce"), ("softmax", "cross_entropy"), ("tanh", "mse")])
@pytest.mark.parametrize("activations", MIXES)
def test_mixed_network_gradient_check_is_good(activations, output, loss):
    """nn_core.gradcheck: backprop and central differences agree per block (kinks of relu-type
    layers left out, and only those layers' own kinks counted)."""
    model, X, y = mixed_case(activations, output)
    result = gc.gradient_check(model, X, y, loss=loss, l2=0.1)
    assert result.verdict == "good", result.rows()
    assert result.relative_error < 1e-7


@pytest.mark.parametrize("activations", MIXES)
def test_mixed_network_forward_and_gradients_match_the_reference_oracle(activations):
    """The loss and gradients equal central differences of tests/nn_core/reference.py's forward
    pass, which knows nothing of nn_core's layers (each layer's activation named by hand)."""
    model, X, y = mixed_case(activations)
    W, b = [w.copy() for w in model.weights], [v.copy() for v in model.biases]
    Y = y.reshape(-1, 1).astype(np.float64)

    def loss_of(weights, biases):
        A = X
        for i, (w, v) in enumerate(zip(weights, biases)):
            A = ref.activate([*activations, "sigmoid"][i], A @ w + v)
        return float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))

    value, dW, db = model.loss_and_gradients(X, y, loss="bce")
    assert value == pytest.approx(loss_of(W, b), rel=1e-12)
    for i in range(len(W)):
        for grad, params in ((dW[i], W), (db[i], b)):
            target = params[i]
            numeric = np.zeros_like(target)
            for j in np.ndindex(target.shape):
                old = target[j]
                target[j] = old + 1e-6
                up = loss_of(W, b)
                target[j] = old - 1e-6
                down = loss_of(W, b)
                target[j] = old
                numeric[j] = (up - down) / 2e-6
            np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-8)


def test_mixed_network_kinks_are_counted_only_in_relu_type_layers():
    """A relu layer at zero biases has kinks; the same network with sine there has none."""
    X = np.random.default_rng(1).normal(size=(6, 2))
    y = np.array([0, 1, 0, 1, 1, 0])
    kinked = nn_core.MLP([2, 4, 3, 1], activation=["relu", "sine"], dtype=np.float64, rng=0)
    kinked.biases = [np.zeros(4), np.zeros(3), np.zeros(1)]
    X[0] = 0.0  # every relu unit of layer 1 sits at Z = 0 for this sample
    smooth = nn_core.MLP([2, 4, 3, 1], activation=["sine", "sine"], dtype=np.float64, rng=0)
    smooth.params[:] = kinked.params
    assert gc.gradient_check(kinked, X, y, loss="bce").n_kinked > 0
    assert gc.gradient_check(smooth, X, y, loss="bce").n_kinked == 0


@pytest.mark.parametrize("name", sorted(nn_core.ACTIVATIONS))
def test_single_name_equals_a_list_of_identical_names_bit_for_bit(name):
    """MLP(activation=name) and MLP(activation=[name] * 3): same weights, same 5 epochs of Adam."""
    data = nn_core.make_dataset("moons", n_samples=80, noise=0.1, rng=0)
    runs = []
    for activation in (name, [name] * 3):
        model = nn_core.MLP([2, 6, 5, 4, 1], activation=activation, rng=3)
        settings = dict(loss="bce", optimizer="adam", learning_rate=0.01, batch_size=16, rng=1)
        trainer = nn_core.Trainer(model, **settings)
        trainer.train(*data, 5)
        runs.append((model, trainer.history))
    (one, history_one), (listed, history_listed) = runs
    assert listed.activation == name and listed.hidden_activations == (name,) * 3
    np.testing.assert_array_equal(one.params, listed.params)
    assert history_one == history_listed
    assert repr(one) == repr(listed)


@pytest.mark.parametrize(
    "activation, message",
    [
        (["relu", "tanh"], r"activation must be a name or a list of 3 names \(one per layer\); got \['relu'"),
        (["relu"] * 4, "a list of 3 names"),
        (["relu", "swishy", "tanh"], r"activation\[1\] must be one of \[.*'swish'.*\]; got 'swishy'"),
        (["relu", 3, "tanh"], r"activation\[1\] must be one of .*; got 3"),
        ("softmax", r"activation must be one of .*; got 'softmax'"),
        (7, "activation must be a name or a list of 3 names"),
        (None, "activation must be a name or a list of 3 names"),
    ],
)
def test_mixed_activation_validation_names_the_parameter(activation, message):
    with pytest.raises(ValueError, match=message):
        nn_core.MLP([2, 4, 4, 4, 1], activation=activation)


def test_mixed_network_attributes_pickle_copy_and_repr():
    """activation is the tuple, hidden_activations too; pickle and copy keep both and predict alike."""
    model = nn_core.MLP([2, 5, 4, 3, 1], activation=["relu", "swish", "sine"], rng=0)
    assert model.activation == ("relu", "swish", "sine") == model.hidden_activations
    assert "activation=('relu', 'swish', 'sine')" in repr(model)
    X = np.random.default_rng(0).normal(size=(7, 2))
    for clone in (pickle.loads(pickle.dumps(model)), model.copy(), model.copy(dtype=np.float64)):
        assert clone.hidden_activations == model.hidden_activations
        np.testing.assert_allclose(clone.forward(X), model.forward(X), rtol=1e-6)
    assert [g.name for _, _, g in model._layers] == ["relu", "swish", "sine", "sigmoid"]
    no_hidden = nn_core.MLP([2, 1], activation=[])
    assert no_hidden.hidden_activations == () == no_hidden.activation
    assert nn_core.MLP([2, 1]).hidden_activations == () and nn_core.MLP([2, 1]).activation == "tanh"


def test_mixed_network_trace_applies_each_layers_activation():
    """The step-by-step trace: A[i] = g_i(Z[i]) with each hidden layer's own g, and the step is the
    trainer's next step bit for bit."""
    X, y = nn_core.make_dataset("circles", n_samples=40, noise=0.05, rng=0)
    model = nn_core.MLP([2, 5, 4, 3, 1], activation=["relu", "swish", "sine"], rng=0)
    trainer = nn_core.Trainer(model, loss="bce", optimizer="sgd", learning_rate=0.1, rng=0)
    trace = trace_step(trainer, X, y)
    for Z, A, name in zip(trace.Z, trace.A, ["relu", "swish", "sine", "sigmoid"]):
        np.testing.assert_allclose(A, ref.activate(name, Z.astype(np.float64)), rtol=1e-5, atol=1e-6)
    trainer.train(X, y, 1)
    for after, W in zip(trace.W_after, model.weights):
        np.testing.assert_array_equal(after, W)


def test_mixed_network_diagnostics_use_each_layers_activation():
    """Saturation and dead units per layer: a relu layer pushed negative is dead, a sine layer with
    a sine layer after it is neither, a sigmoid layer at Z = 100 is both (A rounds to 1)."""
    X = np.random.default_rng(0).normal(size=(50, 2))
    model = nn_core.MLP([2, 3, 3, 3, 1], activation=["relu", "sine", "sigmoid"], dtype=np.float64, rng=0)
    model.biases = [np.full(3, -100.0), np.full(3, 0.0), np.full(3, 100.0), np.zeros(1)]
    model.weights = [np.ones((2, 3)) * 0.01, np.ones((3, 3)), np.ones((3, 3)), np.ones((3, 1))]
    np.testing.assert_array_equal(diagnostics.dead_units(model, X), [3, 0, 3])  # sigmoid(100) == 1.0
    saturation = diagnostics.saturation(model, X)
    assert saturation[0] == 1.0 and saturation[2] == 1.0
    assert saturation[1] == 0.0  # relu's output is 0, so sine sees Z = 0, its steepest point


@pytest.mark.parametrize("name, broken", [("swish", True), ("gelu", False), ("elu", False), ("sine", False)])
def test_derivative_of_z_bug_breaks_only_derivatives_that_read_a(name, broken):
    """BUGS["derivative_of_z"] hands Z where A belongs: swish' = s + A (1 - s) reads A, so it breaks;
    gelu', elu', softplus' and sine' read Z only, as its description says."""
    model, X, y = mixed_case((name, name, name))
    result = gc.gradient_check(model, X, y, loss="bce", bug="derivative_of_z")
    assert (result.verdict == "wrong") == broken
    assert any(b.changed_by_bug for b in result.blocks) == broken
