"""The first tutorial (XOR, 2-2-1 sigmoid, MSE, learning rate 0.1, 10,000 epochs, seed 42), three ways.

1. ``run_tutorial``: the tutorial's own script (``tutorials/xor_tutorial.py``, verbatim) in a separate
   Python process; its exact output, and the numbers parsed from it. A separate process because the
   script seeds NumPy's global generator, which a Streamlit server shares among all its users.
2. ``run_nn_core``: the same network in ``nn_core``, started from the tutorial's exact weights
   (``np.random.RandomState(42)`` draws the same numbers as ``np.random.seed(42)``, without global state).
3. ``playground_config``: the nearest Playground ``Config``, for "open this network in the Playground".

Why nn_core's learning rate is 0.2 where the tutorial's is 0.1: the tutorial adds
``learning_rate * dW`` where ``dW`` is minus the gradient of ``0.5 * SUM((y - a2)**2)``, while nn_core's
mse is the MEAN over the ``n * k`` entries, whose gradient is ``2 / (n k)`` times that one. The same
step therefore needs ``0.1 * n * k / 2 = 0.1 * 4 * 1 / 2 = 0.2`` (see tests/nn_core/test_tutorial.py).

No Streamlit here: the page caches and shows what these functions return.
"""

import math
import re
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import numpy as np

import nn_core
from playground.core.config import FIELDS, Config

SCRIPT = Path(__file__).resolve().parents[2] / "tutorials" / "xor_tutorial.py"
TUTORIAL_LEARNING_RATE, EPOCHS, PRINT_EVERY, SEED = 0.1, 10_000, 100, 42
N_SAMPLES, N_OUTPUTS = 4, 1  # the XOR table, one output
NN_CORE_LEARNING_RATE = TUTORIAL_LEARNING_RATE * N_SAMPLES * N_OUTPUTS / 2  # 0.2
TIMEOUT_SECONDS = 60.0  # the script takes ~0.6 s; a busy 2-core server may be much slower

_LOSS_LINE = re.compile(r"^Epoch (\d+), Loss: (\S+)$")
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


class TutorialError(RuntimeError):
    """The tutorial's script failed, timed out, or printed something we cannot read."""


class TutorialRun(NamedTuple):
    """What the tutorial's script printed, and the numbers in it."""

    stdout: str  # exactly as printed
    losses: list  # [(epoch, loss)] for epochs 0, 100, ..., 9900: the loss BEFORE that epoch's update
    predictions: np.ndarray  # (4, 1) after 10,000 updates, to the 8 digits NumPy prints


class NnCoreRun(NamedTuple):
    """The same run in nn_core."""

    losses: list  # [(epoch, loss)] at the same epochs, with the same meaning as the tutorial's
    predictions: np.ndarray  # (4, 1) after 10,000 updates, full precision
    initial_weights: tuple  # (W1 (2, 2), W2 (2, 1)): the tutorial's starting weights


def source():
    """The tutorial's code as the script holds it, without our header comment."""
    lines = SCRIPT.read_text().splitlines()
    start = next((i for i, line in enumerate(lines) if not line.startswith("#")), 0)
    return "\n".join(lines[start:]) + "\n"


# --- 1. the tutorial's script ---------------------------------------------------------------------
def run_tutorial(*, timeout=TIMEOUT_SECONDS):
    """Run ``tutorials/xor_tutorial.py`` in a new Python process; return a ``TutorialRun``.

    Raises ``TutorialError`` if the process exits with an error, takes longer than ``timeout``
    seconds, or prints something that is not the tutorial's output.
    """
    try:
        done = subprocess.run(
            [sys.executable, str(SCRIPT)], capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise TutorialError(f"The tutorial's script did not finish within {timeout:g} s.") from error
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-5:])
        raise TutorialError(f"The tutorial's script failed (exit code {done.returncode}):\n{tail}")
    losses, predictions = parse_output(done.stdout)
    return TutorialRun(done.stdout, losses, predictions)


def parse_output(stdout):
    """(losses [(epoch, loss)], predictions (4, 1)) from the script's output; ``TutorialError`` if the
    output is not the expected 100 loss lines and a 4x1 predictions array.

    ``str`` of a float64 is its shortest round-trip form, so the parsed losses are the exact values;
    the predictions are only as precise as NumPy prints them (8 significant digits).
    """
    head, marker, tail = stdout.partition("Predictions:")
    matches = [_LOSS_LINE.match(line) for line in head.splitlines()]
    if not marker or None in matches:
        raise TutorialError(f"Unexpected output from the tutorial's script:\n{stdout[:500]}")
    losses = [(int(m[1]), float(m[2])) for m in matches]
    predictions = np.array([float(x) for x in _NUMBER.findall(tail)]).reshape(-1, 1)
    expected_epochs = list(range(0, EPOCHS, PRINT_EVERY))
    if [e for e, _ in losses] != expected_epochs or predictions.shape != (N_SAMPLES, N_OUTPUTS):
        raise TutorialError(f"Unexpected output from the tutorial's script:\n{stdout[:500]}")
    return losses, predictions


# --- 2. the same network in nn_core ---------------------------------------------------------------
def tutorial_weights(seed=SEED):
    """(W1 (2, 2), W2 (2, 1)) as the tutorial draws them after ``np.random.seed(seed)``: a private
    ``RandomState(seed)`` gives the same numbers in the same order without touching global state."""
    rng = np.random.RandomState(seed)  # noqa: NPY002  (the legacy stream is what the tutorial used)
    return rng.randn(2, 2), rng.randn(2, 1)


def run_nn_core(*, epochs=EPOCHS, print_every=PRINT_EVERY):
    """The tutorial's run in nn_core: ``MLP([2, 2, 1])`` sigmoid/sigmoid in float64 with the tutorial's
    weights and zero biases, full-batch sgd on mse at learning rate 0.2. Returns an ``NnCoreRun``.

    The tutorial prints, at epoch ``e``, the loss of the weights before that epoch's update, i.e. after
    ``e`` updates. nn_core's history record ``e`` (1-based) holds the loss after ``e`` updates, so the
    tutorial's epoch ``e`` is ``history[e - 1]``, and epoch 0 is the untrained network's loss, which
    ``Trainer.evaluate`` gives.
    """
    model = nn_core.MLP([2, 2, 1], activation="sigmoid", output="sigmoid", init="zeros", dtype=np.float64)
    W1, W2 = tutorial_weights()
    model.weights = [W1, W2]  # biases stay at zero, as in the tutorial
    X, y = nn_core.make_dataset("xor_table")
    trainer = nn_core.Trainer(model, loss="mse", optimizer="sgd", learning_rate=NN_CORE_LEARNING_RATE)
    initial_loss, _ = trainer.evaluate(X, y)
    history = trainer.train(X, y, epochs)
    if trainer.status != "ok":  # cannot happen at these settings; say so rather than show a short table
        raise TutorialError(f"nn_core's run stopped early ({trainer.status} at epoch {trainer.epoch}).")
    after = [initial_loss] + [record["train_loss"] for record in history]
    losses = [(e, float(after[e])) for e in range(0, epochs, print_every)]
    return NnCoreRun(losses, model.forward(X), (W1, W2))


# --- 3. the nearest Playground config -------------------------------------------------------------
def nearest_choice(value, choices):
    """The allowed value closest to ``value`` on a log scale (learning rates are ratios)."""
    return min(choices, key=lambda c: (abs(math.log(c / value)), c))


def playground_config():
    """The Playground ``Config`` nearest to the tutorial: the 4-point XOR table, 2 sigmoid hidden units,
    sigmoid + MSE, standard-normal initial weights, full batch, 10,000 epochs, seeds 42. The learning
    rate is nn_core's 0.2 if the Playground's ladder offers it, else the nearest rung it does offer."""
    return Config(
        dataset="xor_table",
        hidden=(2,),
        activation="sigmoid",
        head="sigmoid_mse",
        init="normal",
        init_seed=SEED,
        data_seed=SEED,
        optimizer="sgd",
        learning_rate=nearest_choice(NN_CORE_LEARNING_RATE, FIELDS["learning_rate"].choices),
        batch_size=0,
        max_epochs=EPOCHS,
    )


def playground_differences(config):
    """What the Playground run does differently from the tutorial's, one sentence each."""
    notes = [
        "Its initial weights are standard normal too, but drawn from `np.random.default_rng("
        f"{config.init_seed})`, not from the legacy `np.random.seed(42)` stream: it starts elsewhere, "
        "so its loss curve and predictions differ (the nn_core run above is the one that starts from "
        "the tutorial's exact weights).",
        "It trains in float32 (for speed), not float64.",
    ]
    if config.learning_rate != NN_CORE_LEARNING_RATE:
        notes.append(
            f"Its learning rate is {config.learning_rate:g}, the rung of the Playground's ladder nearest to "
            f"{NN_CORE_LEARNING_RATE:g} (the ladder has no {NN_CORE_LEARNING_RATE:g})."
        )
    return notes


# --- where the tutorial and nn_core differ: (markdown, LaTeX or None) for the page ----------------
NOTES = (
    (
        "**The derivative is given the activation, not z.** The tutorial writes "
        "σ'(x) = σ(x)(1 − σ(x)) but codes `sigmoid_derivative(x)` as `x * (1 - x)`, and calls it "
        "with a layer's output `a = σ(z)`. That is right, because σ'(z) = a(1 − a); called with `z` "
        "it would be wrong. nn_core's `sigmoid_backward(dA, Z, A)` receives both and uses `A` too "
        "(no second exponential), with the argument named for what it is.",
        r"\sigma'(z) = \sigma(z)\,\bigl(1 - \sigma(z)\bigr) = a\,(1 - a), \qquad a = \sigma(z)",
    ),
    (
        "**`+=` with an error `y - a2`.** The tutorial's output error is `y - a2`, the opposite sign "
        "of the loss gradient's `a2 - y`, so what it calls the gradient is minus the gradient, and "
        "adding it goes downhill. nn_core computes the gradient itself and subtracts it: the same step.",
        r"W_2 \mathrel{+}= \eta\; a_1^{\top}\bigl[(y - a_2) \odot a_2 (1 - a_2)\bigr]"
        r" \;=\; W_2 - \eta\, \frac{\partial}{\partial W_2}\, \tfrac{1}{2} \sum (a_2 - y)^2",
    ),
    (
        "**Sum versus mean: learning rate 0.1 there is 0.2 here.** The tutorial prints the *mean* "
        "squared error, but its step follows half the *sum* of squared errors. nn_core steps along "
        "the gradient of the mean over the n·k entries (n = 4 samples, k = 1 output), which is "
        "2 / (n k) times smaller; the same step needs a learning rate n·k / 2 = 2 times larger.",
        r"\begin{gathered}"
        r"\frac{\partial}{\partial W}\, \frac{1}{nk} \sum (a_2 - y)^2"
        r" = \frac{2}{nk}\, \frac{\partial}{\partial W}\, \tfrac{1}{2} \sum (a_2 - y)^2 \\"
        r"\Rightarrow\quad \eta_{\text{nn\_core}} = \eta\, \frac{nk}{2}"
        r" = 0.1 \cdot \frac{4 \cdot 1}{2} = 0.2"
        r"\end{gathered}",
    ),
    (
        "**The loss before the update.** At epoch e the tutorial prints the loss of the weights it is "
        "about to update, i.e. after e updates; nn_core's history records the loss after each epoch's "
        "update. So nn_core's loss at epoch e in the table is its history record e, and at epoch 0 "
        "the untrained network's loss (`Trainer.evaluate`). Both predictions are after all 10,000 updates.",
        None,
    ),
    (
        "**Rounding, not bit for bit.** nn_core computes the sigmoid as 0.5 tanh(z/2) + 0.5, which "
        "cannot overflow, and sums in its own order: the two runs agree to about 1e-16, not exactly.",
        r"\sigma(z) = \frac{1}{1 + e^{-z}} = \tfrac{1}{2} \tanh(z / 2) + \tfrac{1}{2}",
    ),
)


# --- the side-by-side tables ----------------------------------------------------------------------
def loss_columns(tutorial, ours):
    """Columns of the loss table: epoch, tutorial loss, nn_core loss, difference (nn_core - tutorial)."""
    epochs = [e for e, _ in tutorial.losses]
    theirs = np.array([loss for _, loss in tutorial.losses])
    mine = np.array([loss for _, loss in ours.losses])
    return {"epoch": epochs, "tutorial loss": theirs, "nn_core loss": mine, "difference": mine - theirs}


def prediction_columns(tutorial, ours):
    """Columns of the predictions table: the input, the XOR target, both networks' outputs."""
    X, y = nn_core.make_dataset("xor_table")
    return {
        "input": [f"({a:g}, {b:g})" for a, b in X],
        "target": y.astype(int),
        "tutorial prediction": tutorial.predictions[:, 0],
        "nn_core prediction": ours.predictions[:, 0],
    }
