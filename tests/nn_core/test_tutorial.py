"""The first tutorial (XOR, 2-2-1 sigmoid, seed 42, 10,000 epochs), copied literally, against nn_core.

The tutorial's backward pass computes ``output_delta = (y - a2) * a2 (1 - a2)`` and adds
``learning_rate * gradient``: that is gradient descent on ``0.5 * SUM((y - a2)**2)``. nn_core's mse
is the MEAN over the n*k entries, whose gradient is ``2 / (n k)`` times the same, so nn_core takes
the tutorial's step with ``learning_rate = tutorial_lr * n * k / 2 = 0.1 * 4 * 1 / 2 = 0.2``.

The legacy global ``np.random.seed`` is used here only to reproduce the tutorial's weights.
"""

import functools

import numpy as np
import pytest

import nn_core

TUTORIAL_LR, EPOCHS = 0.1, 10_000
N_SAMPLES, N_OUTPUTS = 4, 1
NN_CORE_LR = TUTORIAL_LR * N_SAMPLES * N_OUTPUTS / 2  # 0.2

# Example data, as in the tutorial (ints).
X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
y = np.array([[0], [1], [1], [0]])


# --- the tutorial's code (Steps 2-8), without its progress print --------------------------------
def initialize_network(input_size, hidden_size, output_size):
    np.random.seed(42)  # noqa: NPY002  (the tutorial's legacy seeding)
    network = {
        "W1": np.random.randn(input_size, hidden_size),  # noqa: NPY002
        "b1": np.zeros((1, hidden_size)),
        "W2": np.random.randn(hidden_size, output_size),  # noqa: NPY002
        "b2": np.zeros((1, output_size)),
    }
    return network


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_derivative(x):
    return x * (1 - x)


def forward_propagation(network, X):
    W1, b1 = network["W1"], network["b1"]
    W2, b2 = network["W2"], network["b2"]
    z1 = np.dot(X, W1) + b1
    a1 = sigmoid(z1)
    z2 = np.dot(a1, W2) + b2
    a2 = sigmoid(z2)
    cache = (z1, a1, z2, a2)
    return a2, cache


def compute_loss(y_true, y_pred):
    return np.mean((y_true - y_pred) ** 2)


def backward_propagation(network, cache, X, y):
    W1, b1 = network["W1"], network["b1"]  # noqa: F841  (unused, as in the tutorial)
    W2, b2 = network["W2"], network["b2"]  # noqa: F841
    z1, a1, z2, a2 = cache
    output_error = y - a2
    output_delta = output_error * sigmoid_derivative(a2)
    hidden_error = np.dot(output_delta, W2.T)
    hidden_delta = hidden_error * sigmoid_derivative(a1)
    dW2 = np.dot(a1.T, output_delta)
    db2 = np.sum(output_delta, axis=0, keepdims=True)
    dW1 = np.dot(X.T, hidden_delta)
    db1 = np.sum(hidden_delta, axis=0, keepdims=True)
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


def update_parameters(network, gradients, learning_rate):
    network["W1"] += learning_rate * gradients["dW1"]
    network["b1"] += learning_rate * gradients["db1"]
    network["W2"] += learning_rate * gradients["dW2"]
    network["b2"] += learning_rate * gradients["db2"]
    return network


def train_network(X, y, input_size, hidden_size, output_size, epochs, learning_rate):
    network = initialize_network(input_size, hidden_size, output_size)
    for _epoch in range(epochs):
        y_pred, cache = forward_propagation(network, X)
        compute_loss(y, y_pred)
        gradients = backward_propagation(network, cache, X, y)
        network = update_parameters(network, gradients, learning_rate)
    return network


def predict(network, X):
    y_pred, _ = forward_propagation(network, X)
    return y_pred


# --- nn_core with the tutorial's starting point -------------------------------------------------
def nn_core_model_like(network):
    """A float64 2-2-1 sigmoid MLP holding the tutorial network's weights."""
    model = nn_core.MLP([2, 2, 1], activation="sigmoid", output="sigmoid", dtype=np.float64)
    model.weights[0] = network["W1"]
    model.biases[0] = network["b1"].ravel()
    model.weights[1] = network["W2"]
    model.biases[1] = network["b2"].ravel()
    return model


@functools.cache
def tutorial_result():
    return train_network(X, y, 2, 2, 1, EPOCHS, TUTORIAL_LR)


def test_tutorial_xor_data_is_the_xor_table_dataset():
    """nn_core's xor_table dataset is the tutorial's X and y."""
    X_table, y_table = nn_core.make_dataset("xor_table")
    np.testing.assert_array_equal(X_table, X)
    np.testing.assert_array_equal(y_table, y.ravel())


def test_tutorial_gradient_is_minus_nk_over_2_times_ours():
    """The tutorial's 'gradient' is -d(0.5 SUM sq)/dw = -(n k / 2) * d(MEAN sq)/dw, so one step with
    lr 0.1 there equals one nn_core sgd step with lr 0.1 * 4 / 2 = 0.2."""
    network = initialize_network(2, 2, 1)
    model = nn_core_model_like(network)
    _, cache = forward_propagation(network, X)
    theirs = backward_propagation(network, cache, X, y)
    _, dW, db = model.loss_and_gradients(X, y.ravel(), loss="mse")
    factor = -N_SAMPLES * N_OUTPUTS / 2
    np.testing.assert_allclose(theirs["dW1"], factor * dW[0], rtol=1e-13)
    np.testing.assert_allclose(theirs["db1"].ravel(), factor * db[0], rtol=1e-13)
    np.testing.assert_allclose(theirs["dW2"], factor * dW[1], rtol=1e-13)
    np.testing.assert_allclose(theirs["db2"].ravel(), factor * db[1], rtol=1e-13)


def test_tutorial_one_step_delta_equals_nn_core_step_at_lr_0_2():
    """One tutorial update (lr 0.1) and one nn_core sgd epoch (lr 0.2) move every weight equally."""
    network = initialize_network(2, 2, 1)
    model = nn_core_model_like(network)
    before = model.params.copy()
    nn_core.Trainer(model, loss="mse", optimizer="sgd", learning_rate=NN_CORE_LR).train(X, y.ravel(), 1)
    _, cache = forward_propagation(network, X)
    update_parameters(network, backward_propagation(network, cache, X, y), TUTORIAL_LR)
    expected = nn_core_model_like(network).params
    np.testing.assert_allclose(model.params - before, expected - before, rtol=1e-12, atol=1e-17)


def test_tutorial_10000_epochs_reproduced_by_nn_core():
    """10,000 epochs of the tutorial and of nn_core (sgd, mse, lr 0.2) end at the same weights,
    predictions and loss, to 1e-9."""
    start = initialize_network(2, 2, 1)
    model = nn_core_model_like(start)
    X_table, y_table = nn_core.make_dataset("xor_table")
    trainer = nn_core.Trainer(model, loss="mse", optimizer="sgd", learning_rate=NN_CORE_LR)
    trainer.train(X_table, y_table, EPOCHS)
    final = tutorial_result()
    np.testing.assert_allclose(model.weights[0], final["W1"], rtol=0, atol=1e-9)
    np.testing.assert_allclose(model.biases[0], final["b1"].ravel(), rtol=0, atol=1e-9)
    np.testing.assert_allclose(model.weights[1], final["W2"], rtol=0, atol=1e-9)
    np.testing.assert_allclose(model.biases[1], final["b2"].ravel(), rtol=0, atol=1e-9)
    np.testing.assert_allclose(model.forward(X_table), predict(final, X), rtol=0, atol=1e-9)
    assert trainer.history[-1]["train_loss"] == pytest.approx(compute_loss(y, predict(final, X)), abs=1e-9)
    assert trainer.epoch == EPOCHS and trainer.status == "ok"


def test_tutorial_training_moves_far_from_the_start():
    """The comparison above is not vacuous: 10,000 epochs change the weights by a lot."""
    start, final = initialize_network(2, 2, 1), tutorial_result()
    assert np.abs(final["W1"] - start["W1"]).max() > 0.5
