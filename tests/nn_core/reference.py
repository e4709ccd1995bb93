"""Independent oracles for the nn_core tests, written from the definitions and not from the engine.

Plain NumPy, no ``out=`` buffers, no fused gradients: a forward pass, the target encoding, the
three losses, the weight penalty, and central finite differences over every weight and bias.
"""

import numpy as np

LEAKY_SLOPE = 0.01

# (output, loss) pairs the engine must support: mse with any output, bce with sigmoid only,
# cross-entropy with softmax only.
OUTPUT_LOSS = [
    ("sigmoid", "mse"),
    ("sigmoid", "bce"),
    ("softmax", "mse"),
    ("softmax", "cross_entropy"),
    ("tanh", "mse"),
    ("linear", "mse"),
]
HIDDEN = ["linear", "relu", "leaky_relu", "tanh", "sigmoid", "elu", "softplus", "sine", "swish", "gelu"]
PENALTIES = {"none": (0.0, 0.0), "l1": (0.07, 0.0), "l2": (0.0, 0.3), "both": (0.07, 0.3)}


def activate(name, Z):
    """g(Z) for every activation name, from its textbook formula."""
    if name == "linear":
        return Z
    if name == "relu":
        return np.where(Z > 0, Z, 0.0)
    if name == "leaky_relu":
        return np.where(Z > 0, Z, LEAKY_SLOPE * Z)
    if name == "tanh":
        return np.tanh(Z)
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-np.clip(Z, -500, 500)))  # clipped: exp(500) cannot overflow
    if name == "elu":
        return np.where(Z > 0, Z, np.exp(np.minimum(Z, 0.0)) - 1.0)
    if name == "softplus":
        return np.log1p(np.exp(np.clip(Z, -500, 500)))
    if name == "sine":
        return np.sin(Z)
    if name == "swish":
        return Z / (1.0 + np.exp(-np.clip(Z, -500, 500)))
    if name == "gelu":  # the tanh approximation, as published (Hendrycks & Gimpel 2016)
        return 0.5 * Z * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (Z + 0.044715 * Z**3)))
    if name == "softmax":
        E = np.exp(Z - Z.max(axis=1, keepdims=True))
        return E / E.sum(axis=1, keepdims=True)
    raise KeyError(name)


def forward(weights, biases, X, activation, output):
    """Pre-activations and activations of every layer: (Zs, As), As[-1] is the network output."""
    Zs, As, A = [], [], np.asarray(X, dtype=np.float64)
    for i, (W, b) in enumerate(zip(weights, biases)):
        Z = A @ np.asarray(W, np.float64) + np.asarray(b, np.float64)
        A = activate(output if i == len(weights) - 1 else activation, Z)
        Zs.append(Z)
        As.append(A)
    return Zs, As


def encode(y, output, k):
    """Targets as the issue defines them: 0/1 column (tanh: -1/+1), one-hot rows, or float y as is."""
    y = np.asarray(y)
    if y.dtype.kind == "f":
        return y.reshape(len(y), -1).astype(np.float64)
    low = -1.0 if output == "tanh" else 0.0
    if k == 1:
        return np.array([[1.0 if label == 1 else low] for label in y])
    Y = np.full((len(y), k), low)
    for row, label in enumerate(y):
        Y[row, label] = 1.0
    return Y


def data_loss(loss, A, Y, Z=None):
    """mse: mean over all n*k entries; bce and cross-entropy: sums divided by n_samples.

    For bce, ``1 - A`` is taken as sigmoid(-Z) when the output pre-activations Z are given:
    computed as ``1 - A`` it loses its digits when A is close to 1."""
    n = Y.shape[0]
    if loss == "mse":
        return float(np.mean((A - Y) ** 2))
    if loss == "bce":
        one_minus_A = 1 - A if Z is None else activate("sigmoid", -Z)
        return float(-np.sum(Y * np.log(A) + (1 - Y) * np.log(one_minus_A)) / n)
    if loss == "cross_entropy":
        return float(-np.sum(Y * np.log(A)) / n)
    raise KeyError(loss)


def penalty(weights, l1, l2):
    """l2/2 * sum(W**2) + l1 * sum(|W|) over the weights only (biases are not penalized)."""
    return sum(l2 / 2 * float(np.sum(W**2)) + l1 * float(np.sum(np.abs(W))) for W in weights)


def total_loss(model, X, y, loss, l1=0.0, l2=0.0):
    """Data loss + penalty of ``model``'s current weights, computed without the engine."""
    Zs, As = forward(model.weights, model.biases, X, model.activation, model.output)
    Y = encode(y, model.output, model.layer_sizes[-1])
    return data_loss(loss, As[-1], Y, Zs[-1]) + penalty(model.weights, l1, l2)


def finite_differences(arrays, f, eps=1e-6):
    """Central differences (f(p + eps) - f(p - eps)) / (2 eps) of ``f()`` for every entry of every
    array in ``arrays``, perturbing each entry in place and restoring it."""
    grads = []
    for array in arrays:
        grad = np.zeros(array.shape)
        for idx in np.ndindex(array.shape):
            saved = array[idx]
            array[idx] = saved + eps
            plus = f()
            array[idx] = saved - eps
            minus = f()
            array[idx] = saved
            grad[idx] = (plus - minus) / (2 * eps)
        grads.append(grad)
    return grads


def numeric_gradients(model, X, y, loss, l1=0.0, l2=0.0, eps=1e-6):
    """Finite-difference gradients of ``total_loss`` for every weight and bias: (dW list, db list)."""
    grads = finite_differences(
        list(model.weights) + list(model.biases), lambda: total_loss(model, X, y, loss, l1, l2), eps
    )
    n = len(model.weights)
    return grads[:n], grads[n:]


def hidden_preactivations(model, X):
    """Every hidden layer's pre-activations, flattened (to keep relu kinks away from the data)."""
    Zs, _ = forward(model.weights, model.biases, X, model.activation, model.output)
    return np.concatenate([Z.ravel() for Z in Zs[:-1]]) if len(Zs) > 1 else np.zeros(0)


def away_from_kinks(model, X, l1, margin=1e-3):
    """True when finite differences cannot straddle a kink: no relu/leaky pre-activation and (with
    L1) no weight within ``margin`` of 0."""
    if model.activation in ("relu", "leaky_relu") and np.any(
        np.abs(hidden_preactivations(model, X)) < margin
    ):
        return False
    return not (l1 and any(np.any(np.abs(W) < margin) for W in model.weights))


def assert_gradients_match(analytic, numeric, scale=1.0):
    """Analytic and finite-difference gradients agree to a relative 1e-6 (absolute 1e-8 * scale for
    entries near 0, where the difference quotient's rounding error dominates)."""
    for a, f in zip(analytic, numeric):
        assert a.shape == f.shape
        np.testing.assert_allclose(a, f, rtol=1e-6, atol=1e-8 * scale)
