# ruff: noqa: NPY002, F841
# fmt: off
# The first tutorial's code, verbatim: "Implementing a Neural Network from Scratch in Python",
# Steps 1-9 (XOR, 2-2-1 sigmoid, MSE, learning rate 0.1, 10,000 epochs, np.random.seed(42)), joined
# into one script; only this header is ours (and the page's trailing line-break spaces are dropped).
# The app never imports it: playground/tutorial.py runs it as a separate Python process and reads
# what it prints, so its global np.random.seed never touches the server that all users share.
# The two pragmas above keep ruff from flagging (legacy np.random, unused locals) or reformatting it:
# it stays as published.
import numpy as np


def initialize_network(input_size, hidden_size, output_size):
    np.random.seed(42) # For reproducibility
    network = {
        'W1': np.random.randn(input_size, hidden_size),
        'b1': np.zeros((1, hidden_size)),
        'W2': np.random.randn(hidden_size, output_size),
        'b2': np.zeros((1, output_size))
    }
    return network


def sigmoid(x):
    return 1 / (1 + np.exp(-x))

def sigmoid_derivative(x):
    return x * (1 - x)


def forward_propagation(network, X):
    W1, b1 = network['W1'], network['b1']
    W2, b2 = network['W2'], network['b2']

    # Input to hidden layer
    z1 = np.dot(X, W1) + b1
    a1 = sigmoid(z1)

    # Hidden to output layer
    z2 = np.dot(a1, W2) + b2
    a2 = sigmoid(z2)

    cache = (z1, a1, z2, a2)
    return a2, cache


def compute_loss(y_true, y_pred):
    return np.mean((y_true - y_pred) ** 2)


def backward_propagation(network, cache, X, y):
    W1, b1 = network['W1'], network['b1']
    W2, b2 = network['W2'], network['b2']
    z1, a1, z2, a2 = cache

    # Output layer error
    output_error = y - a2
    output_delta = output_error * sigmoid_derivative(a2)

    # Hidden layer error
    hidden_error = np.dot(output_delta, W2.T)
    hidden_delta = hidden_error * sigmoid_derivative(a1)

    # Gradient for W2 and b2
    dW2 = np.dot(a1.T, output_delta)
    db2 = np.sum(output_delta, axis=0, keepdims=True)

    # Gradient for W1 and b1
    dW1 = np.dot(X.T, hidden_delta)
    db1 = np.sum(hidden_delta, axis=0, keepdims=True)

    gradients = {'dW1': dW1, 'db1': db1, 'dW2': dW2, 'db2': db2}
    return gradients


def update_parameters(network, gradients, learning_rate):
    network['W1'] += learning_rate * gradients['dW1']
    network['b1'] += learning_rate * gradients['db1']
    network['W2'] += learning_rate * gradients['dW2']
    network['b2'] += learning_rate * gradients['db2']
    return network


def train_network(X, y, input_size, hidden_size, output_size, epochs, learning_rate):
    network = initialize_network(input_size, hidden_size, output_size)
    for epoch in range(epochs):
        # Forward propagation
        y_pred, cache = forward_propagation(network, X)

        # Compute loss
        loss = compute_loss(y, y_pred)
        if epoch % 100 == 0:
            print(f'Epoch {epoch}, Loss: {loss}')

        # Backward propagation
        gradients = backward_propagation(network, cache, X, y)

        # Update parameters
        network = update_parameters(network, gradients, learning_rate)

    return network


def predict(network, X):
    y_pred, _ = forward_propagation(network, X)
    return y_pred

# Example data
X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
y = np.array([[0], [1], [1], [0]]) # XOR problem

# Training the network
input_size = 2
hidden_size = 2
output_size = 1
epochs = 10000
learning_rate = 0.1

trained_network = train_network(X, y, input_size, hidden_size, output_size, epochs, learning_rate)

# Making predictions
predictions = predict(trained_network, X)
print(f'Predictions: \n{predictions}')
