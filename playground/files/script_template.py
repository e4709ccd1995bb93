"""The standalone script's fixed text: the template every run fills in, the two pieces that depend
on the kind of problem (how labels become targets, how accuracy is counted), and the learning-rate
schedule's and the stop rule's code (nn_core's ``schedules`` and ``stopping``, spelled out alike).

The pieces that depend on a registry name (features, activations, the loss, the optimizer) are on that
name's record in ``playground.core.catalog``. ``playground.files.export_script`` fills the template.
"""

from types import MappingProxyType

# Only in a script whose network has inputs typed as formulas (Config.feature_formulas): each one's
# NumPy code (playground.files.formula_code) is a lambda of x1 and x2 passed to this function.
FORMULA_FEATURE = '''
def formula_feature(f, X):
    """A feature typed as a formula, f(x1, x2) at every point in float64, as nn_core computes it: 0
    where it is not a finite number (1/x1 at x1 = 0), then clipped to +-1e6."""
    with np.errstate(all="ignore"):
        values = np.broadcast_to(f(X[:, 0], X[:, 1]), (len(X),)).astype(np.float64)
    return np.clip(np.where(np.isfinite(values), values, 0.0), -1e6, 1e6)

'''

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


def report(A):
    """RMSE, MAE and R2 of the test set's outputs A (constant targets: R2 is 1 if exact, else 0)."""
    Y = targets(Y_TEST).astype(np.float64)
    error = A.astype(np.float64) - Y
    squares, total = np.sum(error * error), np.sum((Y - Y.mean()) ** 2)
    r2 = (1.0 if squares == 0 else 0.0) if total == 0 else 1.0 - squares / total
    print(f"test RMSE {np.sqrt(squares / len(Y)):.6f}  MAE {np.mean(np.abs(error)):.6f}  R2 {r2:.6f}")
''',
        "threshold": '''def accuracy(A, labels):
    """Share of points on their class's side of $threshold."""
    return np.count_nonzero((A[:, 0] > $threshold) == labels) / len(labels)


def report(A):
    """The confusion matrix of the test set's outputs A: C[i, j] points of class i predicted as j."""
    predicted = (A[:, 0] > $threshold).astype(np.int64)
    C = np.bincount(Y_TEST * $k + predicted, minlength=$k * $k).reshape($k, $k)
    print("test confusion matrix (rows: true class, columns: predicted class):")
    print("\\n".join("  " + " ".join(f"{count:6d}" for count in row) for row in C))
''',
        "argmax": '''def accuracy(A, labels):
    """Share of points whose largest output is their class."""
    return np.count_nonzero(A.argmax(axis=1) == labels) / len(labels)


def report(A):
    """The confusion matrix of the test set's outputs A: C[i, j] points of class i predicted as j."""
    C = np.bincount(Y_TEST * $k + A.argmax(axis=1), minlength=$k * $k).reshape($k, $k)
    print("test confusion matrix (rows: true class, columns: predicted class):")
    print("\\n".join("  " + " ".join(f"{count:6d}" for count in row) for row in C))
''',
    }
)

# The learning rate of each epoch: the code of nn_core.schedules, operation for operation.
RATES = MappingProxyType(
    {
        "constant": '''def rate(epoch):
    """The learning rate of epoch ``epoch`` (1 for the first): constant."""
    return BASE_RATE
''',
        "step": '''def rate(epoch):
    """The learning rate of epoch ``epoch`` (1 for the first): times FACTOR every PERIOD epochs."""
    return BASE_RATE * FACTOR ** ((epoch - 1) // PERIOD)
''',
        "exponential": '''def rate(epoch):
    """The learning rate of epoch ``epoch`` (1 for the first): times FACTOR per PERIOD epochs, smoothly."""
    return BASE_RATE * float(FACTOR ** ((epoch - 1) / PERIOD))
''',
        "cosine": '''def rate(epoch):
    """The learning rate of epoch ``epoch`` (1 for the first): a cosine from BASE_RATE down towards
    FACTOR * BASE_RATE over a cycle of PERIOD epochs, then a restart (SGDR); each cycle MULTIPLIER
    times longer than the one before."""
    t, length = epoch - 1, PERIOD  # t: epochs since the last restart, once the loop is done
    while t >= length:
        t, length = t - length, length * MULTIPLIER
        if MULTIPLIER == 1:  # equal cycles: skip to the last one at once
            t %= length
    low = FACTOR * BASE_RATE
    return low + (BASE_RATE - low) * (1 + float(np.cos(np.pi * t / length))) / 2
''',
        "triangular": '''def rate(epoch):
    """The learning rate of epoch ``epoch`` (1 for the first): from FACTOR * BASE_RATE up to BASE_RATE
    in a straight line over PERIOD epochs, back down over the next PERIOD, and so on."""
    position = (epoch - 1) % (2 * PERIOD)
    rise = min(position, 2 * PERIOD - position) / PERIOD  # 0 -> 1 -> 0
    low = FACTOR * BASE_RATE
    return low + (BASE_RATE - low) * rise
''',
    }
)

# When to stop: the code of nn_core.stopping, with the app's words ($set: "test" or "train" in the
# record, $words: "test" or "training" in the reason).
STOPS = MappingProxyType(
    {
        "none": '''def stop_reason(record, memory):
    """No stop rule: every epoch is trained."""
    return None
''',
        "loss": '''def stop_reason(record, memory):
    """Why to stop after this epoch (None: go on): the $words loss is below STOP_TARGET."""
    return f"$words loss < {STOP_TARGET:g}" if record["${set}_loss"] < STOP_TARGET else None
''',
        "accuracy": '''def stop_reason(record, memory):
    """Why to stop after this epoch (None: go on): the $words accuracy has reached STOP_TARGET."""
    accuracy = record["${set}_accuracy"]
    done = accuracy is not None and accuracy >= STOP_TARGET
    return f"$words accuracy >= {STOP_TARGET:g}" if done else None
''',
        "plateau": '''def stop_reason(record, memory):
    """Why to stop after this epoch (None: go on): the test loss has not gone below its best so far
    by more than MIN_DELTA for PATIENCE epochs in a row (``memory`` keeps the best and the count)."""
    loss = record["test_loss"]
    if loss < memory.get("best", float("inf")) - MIN_DELTA:
        memory["best"], memory["waited"] = loss, 0
        return None
    memory["waited"] = memory.get("waited", 0) + 1
    if memory["waited"] < PATIENCE:
        return None
    return f"test loss has not improved by more than {MIN_DELTA:g} for {PATIENCE} epochs"
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
"$init", bias init "$bias_init", init seed $init_seed). From there everything is computed here, in
float32 and in the order nn_core computes it, so with the same NumPy the losses equal the app's to the
last digit. The app's own run differs if a training setting was changed during it or weights were loaded:
this file trains with one setting throughout, from epoch 0.
"""

import numpy as np

N_EPOCHS = $n_epochs
PRINT_EVERY = $print_every
BASE_RATE = $learning_rate  # the learning rate setting: rate(epoch) makes each epoch's step size of it
PERIOD, FACTOR, MULTIPLIER = $period, $factor, $multiplier  # the schedule's ($schedule; see rate below)
STOP_TARGET, PATIENCE, MIN_DELTA = $stop_target, $patience, $min_delta  # the stop rule's ($stop_rule)
LEARNING_RATE = BASE_RATE  # the step size step() uses: main() sets it to rate(epoch) every epoch
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

$formula_feature
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

$rate

$stop_reason

def evaluate(X, Y, labels):
    """Data loss and accuracy (None for regression) of the current weights on X, without dropout."""
    _, Zs, As, _ = forward(X)
    return loss(As[-1], Zs[-1], Y), accuracy(As[-1], labels)


def main():
    global LEARNING_RATE  # the step size step() reads: this epoch's rate
    X_train, Y_train = features(X_TRAIN), targets(Y_TRAIN)
    X_test, Y_test = features(X_TEST), targets(Y_TEST)
    params = W + B  # every weight, then every bias: the order of nn_core's flat parameter vector
    state = optimizer_state(params)
    rng = np.random.default_rng(SEED)
    n, steps, memory = len(X_train), 0, {}  # memory: the stop rule's
    full = BATCH_SIZE is None or BATCH_SIZE >= n
    with np.errstate(all="ignore"):  # overflow is how divergence starts: it is detected below
        last = (0, *evaluate(X_train, Y_train, Y_TRAIN), *evaluate(X_test, Y_test, Y_TEST))
        for epoch in range(1, N_EPOCHS + 1):
            LEARNING_RATE = rate(epoch)
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
                print(f"The loss became infinite at epoch {epoch}: training stops (lower BASE_RATE).")
                break  # the app, too, keeps the last finite epoch
            last = (epoch, train_loss, train_accuracy, test_loss, test_accuracy)
            if epoch % PRINT_EVERY == 0 or epoch == N_EPOCHS:
                line = f"epoch {epoch:6d}  train loss {train_loss:.6f}  test loss {test_loss:.6f}"
                if train_accuracy is not None:
                    line += f"  train accuracy {train_accuracy:.3f}  test accuracy {test_accuracy:.3f}"
                print(line)
            record = {"train_loss": train_loss, "test_loss": test_loss}
            record |= {"train_accuracy": train_accuracy, "test_accuracy": test_accuracy}
            reason = stop_reason(record, memory)
            if reason:
                print(f"Stopped at epoch {epoch}: {reason}.")
                break
    epoch, train_loss, _, test_loss, _ = last
    print(f"final epoch {epoch}: train loss {train_loss!r}, test loss {test_loss!r}")
    if epoch == N_EPOCHS and len(Y_TEST):  # (a diverged run's weights are not the app's)
        report(forward(X_test)[2][-1])


if __name__ == "__main__":
    main()
'''
