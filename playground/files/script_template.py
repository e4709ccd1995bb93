"""The standalone script's fixed text: the template every run fills in, and the two pieces that depend
on the kind of problem (how labels become targets, how accuracy is counted).

The pieces that depend on a registry name (features, activations, the loss, the optimizer) are on that
name's record in ``playground.core.catalog``. ``playground.files.export_script`` fills the template.
"""

from types import MappingProxyType

TARGETS = MappingProxyType(
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

ACCURACY = MappingProxyType(
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

SCRIPT = '''"""NumPy Neural Network Playground: a run to take home.

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
        A = output(Z) if i == len(W) - 1 else HIDDEN[i](Z)
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
            dZ = HIDDEN_BACKWARD[i - 1](dA, Zs[i - 1], As[i - 1])
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
