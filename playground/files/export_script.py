"""The standalone script of a run: one Python file, NumPy its only import, that replays it.

``standalone_script(exp, n_epochs)`` writes the data (the raw points and their split) and the network
at epoch 0 as literals, then only the maths this configuration needs (features, forward, loss,
backward, L1/L2, dropout, shuffling, the optimizer), in float32 and in nn_core's order of operations,
so with the same NumPy its losses equal the app's to the last bit. ``tests/playground/test_export.py``
runs the generated files and compares.
"""

import string
import textwrap
import urllib.parse
from types import MappingProxyType

import numpy as np

import nn_core
from nn_core.features import FEATURE_LABELS
from playground.core.config import HEADS, UPLOAD, to_query


class ScriptError(ValueError):
    """A configuration the script has no code for."""


# --- the script ------------------------------------------------------------------------
def standalone_script(exp, n_epochs):
    """A single Python file, NumPy its only import, that trains this configuration's network from
    its initial weights for ``n_epochs`` epochs and prints the losses as the app records them.

    The data (the raw points and their split) and the network at epoch 0 (``Experiment(config)``:
    the same init seed) are literals. The maths is a plain re-implementation of what ``nn_core`` runs
    for this config, and only that (features, forward, loss, backward, L1/L2, dropout, shuffling with
    ``default_rng((init_seed, 2))``, the optimizer), in float32 and in nn_core's order of operations,
    so with the same NumPy its losses equal the app's to the last bit.
    """
    if not isinstance(n_epochs, int) or n_epochs < 1:
        raise ValueError(f"n_epochs must be an int >= 1; got {n_epochs!r}")
    why_not = script_unsupported(exp.config)
    if why_not:
        raise ScriptError(why_not)
    c, head = exp.config, HEADS[exp.config.head]
    start = initial_model(c)
    X_train, X_test, y_train, y_test = exp.points
    regression = c.task == "regression"
    low = "-1.0" if head.output == "tanh" else "0.0"  # class 0's target (tanh outputs aim at -1)
    if regression:
        targets, accuracy = _TARGETS["regression"], _ACCURACY["regression"]
    else:
        one = c.n_outputs == 1
        targets = string.Template(_TARGETS["column" if one else "one_hot"]).substitute(low=low, k=c.n_outputs)
        accuracy = string.Template(_ACCURACY["threshold" if one else "argmax"]).substitute(
            threshold="0.0" if head.output == "tanh" else "0.5"
        )
    output = _activation(head.output, "output", backward=head.loss == "mse")  # else the loss fuses it
    return string.Template(_SCRIPT).substitute(
        summary="\n".join(textwrap.fill(line, 100, subsequent_indent="  ") for line in _summary(exp)),
        query=_query_lines(to_query(c)),
        n_epochs=n_epochs,
        print_every=max(1, n_epochs // 10),
        learning_rate=repr(float(c.learning_rate)),
        batch_size=c.batch_size or None,
        l1=repr(float(c.l1)),
        l2=repr(float(c.l2)),
        dropout=repr(float(c.dropout)),
        init_seed=c.init_seed,
        data_seed=c.data_seed,
        source="your uploaded file"
        if c.dataset == UPLOAD
        else f"nn_core.make_dataset, data seed {c.data_seed}",
        init=c.init,
        X_train=_points(X_train),
        X_test=_points(X_test),
        y_train=_values(y_train, regression),
        y_test=_values(y_test, regression),
        weights=_arrays(start.weights),
        biases=_arrays(start.biases),
        features="\n".join(f"        {_FEATURES[f]},  # {FEATURE_LABELS[f]}" for f in c.features),
        targets=targets,
        hidden=_activation(c.activation, "hidden", backward=True),
        output=output,
        loss=_LOSSES[head.loss],
        accuracy=accuracy,
        optimizer=_OPTIMIZERS[c.optimizer],
    )


def script_unsupported(config):
    """None if ``standalone_script`` covers ``config``, else why not (a setting it has no code for)."""
    head = HEADS[config.head]
    wanted = [
        (config.activation, _ACTIVATIONS, "activation"),
        (head.output, _ACTIVATIONS, "output"),
        (head.loss, _LOSSES, "loss"),
        (config.optimizer, _OPTIMIZERS, "optimizer"),
        *((name, _FEATURES, "feature") for name in config.features),
    ]
    missing = [f"{kind} {name!r}" for name, table, kind in wanted if name not in table]
    return f"The script does not cover {', '.join(missing)} yet." if missing else None


def initial_model(config):
    """The network at epoch 0 for ``config``, as ``Experiment`` builds it (same init and seed)."""
    head = HEADS[config.head]
    return nn_core.MLP(
        config.layer_sizes,
        activation=config.activation,
        output=head.output,
        init=config.init,
        rng=config.init_seed,
    )


def _summary(exp):
    c, head = exp.config, HEADS[exp.config.head]
    batch = "full batch" if not c.batch_size else f"batch size {c.batch_size}"
    penalty = "no penalty" if c.l1 == c.l2 == 0 else f"{c.regularization.upper()} {c.reg_rate:g}"
    sizes = "-".join(map(str, c.layer_sizes))
    return [
        (
            "Data: your uploaded points, as the app scaled them"
            if c.dataset == UPLOAD
            else f"Data: {c.dataset}, {c.n_samples} points, noise {c.noise:g}, data seed {c.data_seed}"
        )
        + f"; {len(exp.points[0])} to train on, {len(exp.points[1])} to test (split with data seed "
        f"{c.data_seed}).",
        f"Network: {sizes} on {', '.join(FEATURE_LABELS[f] for f in c.features)}; "
        f"{c.activation} hidden layers, {head.label}; {c.init} init, init seed {c.init_seed}.",
        f"Training: {c.optimizer}, learning rate {c.learning_rate:g}, {batch}, {penalty}, "
        f"dropout {c.dropout:g}.",
    ]


def _query_lines(query):
    """The link's parameters as ``?a=1&b=2...``, broken after an ``&`` where a line gets long."""
    if not query:
        return "(none: every setting at its default)"
    items = urllib.parse.urlencode(query, safe=",").split("&")
    tokens = [item + "&" for item in items[:-1]] + items[-1:]
    return textwrap.fill("?" + " ".join(tokens), 90, subsequent_indent="    ").replace("& ", "&")


def _wrap(items, indent):
    """Comma-separated items packed into lines of at most ~104 characters, each indented."""
    lines, line = [], ""
    for item in items:
        if line and indent + len(line) + len(item) > 102:
            lines.append(line)
            line = ""
        line += (" " if line else "") + item + ","
    return "\n".join(" " * indent + text for text in lines + [line])


def _f32(x):
    """The shortest text that reads back (through a Python float) as exactly the float32 ``x``."""
    text = str(np.float32(x))
    return text if np.float32(float(text)).tobytes() == np.float32(x).tobytes() else repr(float(x))


def _points(X):
    return "np.array(\n    [\n" + _wrap([f"[{x1!r}, {x2!r}]" for x1, x2 in X.tolist()], 8) + "\n    ]\n)"


def _values(y, regression):
    items = [repr(float(v)) for v in y] if regression else [str(int(v)) for v in y]
    return "np.array(\n    [\n" + _wrap(items, 8) + "\n    ]\n)"


def _arrays(arrays):
    """float32 arrays as literals: shortest exact float32 texts, 2-D ones flat, then reshaped."""
    parts = []
    for i, a in enumerate(arrays, start=1):
        reshape = f".reshape({a.shape[0]}, {a.shape[1]})" if a.ndim == 2 else ""
        values = _wrap([_f32(x) for x in a.ravel()], 12)
        parts.append(
            f"    np.array(  # layer {i}: {a.shape}\n        [\n{values}\n        ],\n"
            f"        dtype=np.float32,\n    ){reshape},"
        )
    return "[\n" + "\n".join(parts) + "\n]"


def _activation(name, role, *, backward):
    """The script's ``hidden``/``output`` function (and its backward pass) for activation ``name``."""
    forward_code, backward_code = _ACTIVATIONS[name]
    text = forward_code + ("\n\n" + backward_code if backward else "")
    return string.Template(text).substitute(role=role, Role=role.capitalize())


# The script's pieces: what nn_core computes for each registry entry, in plain NumPy, with the same
# operations in the same order (so the same float32 rounding; a Python float times a float32 array
# is float32). The constants are nn_core's (activations.LEAKY_SLOPE, the optimizers' defaults); the
# tests run generated scripts for every entry and compare their losses with the app's, bit for bit.
_FEATURES = MappingProxyType(
    {
        "x1": "X[:, 0]",
        "x2": "X[:, 1]",
        "x1_sq": "X[:, 0] ** 2",
        "x2_sq": "X[:, 1] ** 2",
        "x1_x2": "X[:, 0] * X[:, 1]",
        "sin_x1": "np.sin(X[:, 0])",
        "sin_x2": "np.sin(X[:, 1])",
    }
)

# name -> (forward, backward) as functions named $role and ${role}_backward (role: hidden or output).
_ACTIVATIONS = MappingProxyType(
    {
        "linear": (
            '''def $role(Z):
    """$Role activation: linear, g(Z) = Z."""
    return Z.copy()
''',
            '''def ${role}_backward(dA, Z, A):
    """dL/dZ from dL/dA: g'(Z) = 1."""
    return dA.copy()
''',
        ),
        "relu": (
            '''def $role(Z):
    """$Role activation: relu, g(Z) = max(Z, 0)."""
    return np.maximum(Z, 0)
''',
            '''def ${role}_backward(dA, Z, A):
    """dL/dZ from dL/dA: g'(Z) = 1 where Z > 0, else 0."""
    return dA * (Z > 0)
''',
        ),
        "leaky_relu": (
            '''def $role(Z):
    """$Role activation: leaky_relu, g(Z) = Z where Z > 0, else 0.01 Z."""
    return np.maximum(Z, Z * 0.01)
''',
            '''def ${role}_backward(dA, Z, A):
    """dL/dZ from dL/dA: g'(Z) = 1 where Z > 0, else 0.01."""
    return dA * ((Z > 0) * np.float32(0.99) + np.float32(0.01))
''',
        ),
        "tanh": (
            '''def $role(Z):
    """$Role activation: tanh."""
    return np.tanh(Z)
''',
            '''def ${role}_backward(dA, Z, A):
    """dL/dZ from dL/dA: tanh'(Z) = 1 - A**2."""
    return dA * (1 - A * A)
''',
        ),
        "sigmoid": (
            '''def $role(Z):
    """$Role activation: sigmoid, 1 / (1 + exp(-Z)) as 0.5 tanh(Z / 2) + 0.5 (no overflow)."""
    return np.tanh(Z * 0.5) * 0.5 + 0.5
''',
            '''def ${role}_backward(dA, Z, A):
    """dL/dZ from dL/dA: sigmoid'(Z) = A (1 - A)."""
    return dA * ((1 - A) * A)
''',
        ),
        "softmax": (
            '''def $role(Z):
    """$Role activation: softmax, exp(Z) / its row sum (the row maximum subtracted first)."""
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)
''',
            '''def ${role}_backward(dA, Z, A):
    """dL/dZ from dL/dA: through the softmax Jacobian, row by row."""
    return (dA - (dA * A).sum(axis=1, keepdims=True)) * A
''',
        ),
    }
)

_FUSED = '''

def loss_gradient(A, Z, Y):
    """dL/dZ of the output layer: (A - Y) / n (the output's derivative cancels the loss's)."""
    return (A - Y) * (1.0 / len(A))
'''
_LOSSES = MappingProxyType(
    {
        "bce": '''def loss(A, Z, Y):
    """Binary cross-entropy, mean over samples, from Z: log(1 + exp(Z)) - Y Z (never log(0))."""
    per_entry = np.log1p(np.exp(-np.abs(Z))) + np.maximum(Z, 0) - Y * Z
    return float(per_entry.sum()) / len(Z)
'''
        + _FUSED,
        "cross_entropy": '''def loss(A, Z, Y):
    """Softmax cross-entropy, mean over samples, from Z: log(sum(exp(Z))) - Z of the true class."""
    top = Z.max(axis=1, keepdims=True)
    log_sum_exp = np.log(np.exp(Z - top).sum(axis=1)) + top[:, 0]
    return float((log_sum_exp - (Y * Z).sum(axis=1)).sum()) / len(Z)
'''
        + _FUSED,
        "mse": '''def loss(A, Z, Y):
    """Mean squared error over all entries (the sum of squares as a BLAS dot product, as nn_core)."""
    diff = A - Y
    return float(np.vdot(diff, diff)) / diff.size


def loss_gradient(A, Z, Y):
    """dL/dZ of the output layer: dL/dA = 2 (A - Y) / (n k), back through the output activation."""
    return output_backward((A - Y) * (2.0 / A.size), Z, A)
''',
    }
)

_TARGETS = MappingProxyType(
    {
        "regression": '''def targets(y):
    """Regression targets as the (n, 1) column the loss compares with."""
    return y.reshape(-1, 1).astype(np.float32)
''',
        "column": '''def targets(y):
    """Labels as the (n, 1) column the loss compares with: 1.0 for class 1, $low for class 0."""
    return np.where(y == 1, 1.0, $low).astype(np.float32).reshape(-1, 1)
''',
        "one_hot": '''def targets(y):
    """Labels as (n, $k) rows: 1.0 in the label's column, $low elsewhere."""
    Y = np.full((len(y), $k), $low, dtype=np.float32)
    Y[np.arange(len(y)), y] = 1.0
    return Y
''',
    }
)

_ACCURACY = MappingProxyType(
    {
        "regression": '''def accuracy(A, labels):
    """No accuracy for regression."""
    return None
''',
        "threshold": '''def accuracy(A, labels):
    """Share of points on their class's side of $threshold."""
    return np.count_nonzero((A[:, 0] > $threshold) == labels) / len(labels)
''',
        "argmax": '''def accuracy(A, labels):
    """Share of points whose largest output is their class."""
    return np.count_nonzero(A.argmax(axis=1) == labels) / len(labels)
''',
    }
)

_OPTIMIZERS = MappingProxyType(
    {
        "sgd": '''def optimizer_state(params):
    """Plain gradient descent remembers nothing."""
    return [None] * len(params)


def step(params, grads, state, t):
    """p <- p - lr g."""
    for p, g in zip(params, grads):
        p -= g * LEARNING_RATE
''',
        "momentum": '''def optimizer_state(params):
    """Momentum's velocities, one per parameter array, starting at 0."""
    return [np.zeros_like(p) for p in params]


def step(params, grads, state, t):
    """Heavy-ball momentum, PyTorch's form (mu = 0.9): v <- mu v + g, p <- p - lr v."""
    for p, g, v in zip(params, grads, state):
        v *= 0.9
        v += g
        p -= v * LEARNING_RATE
''',
        "rmsprop": '''def optimizer_state(params):
    """RMSprop's running averages of g**2, one per parameter array, starting at 0."""
    return [np.zeros_like(p) for p in params]


def step(params, grads, state, t):
    """RMSprop (rho = 0.9, eps = 1e-8): s <- rho s + (1 - rho) g**2, p <- p - lr g / (sqrt(s) + eps)."""
    for p, g, s in zip(params, grads, state):
        s *= 0.9
        s += (g * g) * (1 - 0.9)
        p -= g / (np.sqrt(s) + 1e-08) * LEARNING_RATE
''',
        "adam": '''def optimizer_state(params):
    """Adam's moments (m, v), one pair per parameter array, starting at 0."""
    return [(np.zeros_like(p), np.zeros_like(p)) for p in params]


def step(params, grads, state, t):
    """Adam (beta1 = 0.9, beta2 = 0.999, eps = 1e-8), t counting steps from 1:
    m <- b1 m + (1 - b1) g,  v <- b2 v + (1 - b2) g**2,
    p <- p - lr m_hat / (sqrt(v_hat) + eps) with m_hat = m / (1 - b1**t), v_hat = v / (1 - b2**t)."""
    c1, c2 = 1 - 0.9**t, 1 - 0.999**t
    for p, g, (m, v) in zip(params, grads, state):
        m *= 0.9
        m += g * (1 - 0.9)
        v *= 0.999
        v += (g * g) * (1 - 0.999)
        p -= m / (np.sqrt(v) * c2**-0.5 + 1e-08) * (LEARNING_RATE / c1)
''',
    }
)

_SCRIPT = '''"""NumPy Neural Network Playground: a run to take home.

$summary
Link parameters: $query

Needs NumPy only: `python this_file.py`. It trains the Playground's network for this configuration
from its initial weights for N_EPOCHS epochs, printing the losses every PRINT_EVERY epochs and at the
end as the app records them (the data loss at the end of each epoch: no dropout, no penalty).

Where the numbers come from: the points below are the app's ($source, split with
np.random.default_rng(($data_seed, 1))); the weights are the network at epoch 0 (nn_core.MLP, init
"$init", init seed $init_seed). From there everything is computed here, in float32
and in the order nn_core computes it, so with the same NumPy the losses equal the app's to the last
digit. The app's own run differs if a training setting was changed during it or weights were loaded:
this file trains with one setting throughout, from epoch 0.
"""

import numpy as np

N_EPOCHS = $n_epochs
PRINT_EVERY = $print_every
LEARNING_RATE = $learning_rate
BATCH_SIZE = $batch_size  # rows per step; None: the whole training set in one step
L1, L2 = $l1, $l2  # the weight penalties' rates (biases are not penalized)
DROPOUT = $dropout  # the share of hidden units dropped in each training pass
SEED = ($init_seed, 2)  # the app's generator for shuffling rows and drawing dropout masks

# fmt: off
# The points (x1, x2) and their labels or targets, as the app split them.
X_TRAIN = $X_train
Y_TRAIN = $y_train
X_TEST = $X_test
Y_TEST = $y_test

# The network at epoch 0: W[i] is (n_in, n_out), B[i] is (n_out,). Layer i: Z = A_prev @ W[i] + B[i].
W = $weights
B = $biases
# fmt: on


def features(X):
    """The network's inputs, one column each, computed from the points in float64, then float32."""
    columns = [
$features
    ]
    return np.column_stack(columns).astype(np.float32)


$targets

$hidden

$output

$loss

$accuracy

def forward(X, rng=None):
    """Every layer's input, Z and A for X (n, n_features), and the dropout masks (training only).

    With rng (and DROPOUT > 0) each hidden layer's A is multiplied, before the next layer reads it,
    by a mask: 0 with probability DROPOUT, else 1 / (1 - DROPOUT) (inverted dropout).
    """
    inputs, Zs, As, masks = [], [], [], []
    A = X
    for i in range(len(W)):
        inputs.append(A)
        Z = np.dot(A, W[i]) + B[i]
        A = output(Z) if i == len(W) - 1 else hidden(Z)
        Zs.append(Z)
        As.append(A)
        if rng is not None and i < len(W) - 1:
            keep = rng.random(A.shape, dtype=np.float32) >= DROPOUT
            masks.append(keep.astype(np.float32) * np.float32(1.0 / (1.0 - DROPOUT)))
            A = A * masks[-1]
    return inputs, Zs, As, masks


def backward(inputs, Zs, As, masks, dZ):
    """The gradients (dW, dB) of the batch loss, from the output layer's dZ back to the first layer:
    dW[i] = inputs[i].T @ dZ, dB[i] = the sum of dZ over rows, dA = dZ @ W[i].T, then dZ = g'(Z) dA;
    plus the penalty's gradient L2 W + L1 sign(W)."""
    dW, dB = [None] * len(W), [None] * len(W)
    ones = np.ones(len(dZ), np.float32)  # dB as ones @ dZ: the BLAS sum nn_core uses (same rounding)
    for i in range(len(W) - 1, -1, -1):
        dW[i] = np.dot(inputs[i].T, dZ)
        dB[i] = np.dot(ones, dZ)
        if i > 0:
            dA = np.dot(dZ, W[i].T)
            if masks:
                dA = dA * masks[i - 1]  # dropped units pass no gradient back
            dZ = hidden_backward(dA, Zs[i - 1], As[i - 1])
    for W_i, dW_i in zip(W, dW):
        if L2:
            dW_i += L2 * W_i
        if L1:
            dW_i += L1 * np.sign(W_i)
    return dW, dB


$optimizer

def evaluate(X, Y, labels):
    """Data loss and accuracy (None for regression) of the current weights on X, without dropout."""
    _, Zs, As, _ = forward(X)
    return loss(As[-1], Zs[-1], Y), accuracy(As[-1], labels)


def main():
    X_train, Y_train = features(X_TRAIN), targets(Y_TRAIN)
    X_test, Y_test = features(X_TEST), targets(Y_TEST)
    params = W + B  # every weight, then every bias: the order of nn_core's flat parameter vector
    state = optimizer_state(params)
    rng = np.random.default_rng(SEED)
    n, steps = len(X_train), 0
    full = BATCH_SIZE is None or BATCH_SIZE >= n
    with np.errstate(all="ignore"):  # overflow is how divergence starts: it is detected below
        last = (0, *evaluate(X_train, Y_train, Y_TRAIN), *evaluate(X_test, Y_test, Y_TEST))
        for epoch in range(1, N_EPOCHS + 1):
            if full:
                batches = [(X_train, Y_train)]
            else:  # a new shuffle every epoch, cut into batches (the last one may be smaller)
                order = rng.permutation(n)
                rows = [order[start : start + BATCH_SIZE] for start in range(0, n, BATCH_SIZE)]
                batches = [(X_train[r], Y_train[r]) for r in rows]
            for X, Y in batches:
                inputs, Zs, As, masks = forward(X, rng if DROPOUT else None)
                dW, dB = backward(inputs, Zs, As, masks, loss_gradient(As[-1], Zs[-1], Y))
                steps += 1
                step(params, dW + dB, state, steps)
            train_loss, train_accuracy = evaluate(X_train, Y_train, Y_TRAIN)
            test_loss, test_accuracy = evaluate(X_test, Y_test, Y_TEST)
            total = float(np.concatenate([p.ravel() for p in params]).sum())
            if not np.all(np.isfinite([train_loss, total, test_loss])):
                print(f"The loss became infinite at epoch {epoch}: training stops (lower LEARNING_RATE).")
                break  # the app, too, keeps the last finite epoch
            last = (epoch, train_loss, train_accuracy, test_loss, test_accuracy)
            if epoch % PRINT_EVERY == 0 or epoch == N_EPOCHS:
                line = f"epoch {epoch:6d}  train loss {train_loss:.6f}  test loss {test_loss:.6f}"
                if train_accuracy is not None:
                    line += f"  train accuracy {train_accuracy:.3f}  test accuracy {test_accuracy:.3f}"
                print(line)
    epoch, train_loss, _, test_loss, _ = last
    print(f"final epoch {epoch}: train loss {train_loss!r}, test loss {test_loss!r}")


if __name__ == "__main__":
    main()
'''
