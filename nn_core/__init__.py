"""nn_core: a from-scratch NumPy multilayer perceptron, small enough to read, exact enough to test.

Imports NumPy and the standard library only: usable from a notebook, a script or the app.

Notation (used in every module)
-------------------------------
X  (n_samples, n_features)   inputs, one sample per row
y  (n_samples,)              integer class labels, or float regression targets
Y  (n_samples, n_outputs)    targets as the loss sees them (0/1 column, one-hot rows, or y itself)
W  (n_in, n_out), b (n_out,) a layer's weights and biases; Z = A_prev @ W + b, A = g(Z)
dW, db, dZ, dA               gradients of the loss with respect to W, b, Z, A

Registries, keyed by the names the app, its URLs and the tests use:
``ACTIVATIONS``, ``OUTPUTS``, ``INITIALIZERS``, ``BIAS_INITIALIZERS``, ``LOSSES``, ``OPTIMIZERS``,
``DATASETS``, ``FEATURES``, ``SCHEDULES`` (learning rate per epoch) and ``STOP_RULES`` (when to stop
training).

Modules beyond the training core (import them by name, e.g. ``from nn_core import gradcheck``):
``formula`` (formulas of x1 and x2 typed by a user, parsed by a small grammar of our own: a dataset's
labels, or input features through ``expand_features``),
``trace`` (one training step with every intermediate matrix recorded), ``gradcheck`` (backprop
against central differences, and deliberately broken backward formulas), ``diagnostics`` (activation
curves, per-layer gradient norms, dead and saturated units), ``projection`` (2-D PCA) and
``metrics`` (confusion matrix, precision/recall/F1 per class, RMSE/MAE/R²: in every history record).

Quick tour::

    import nn_core
    X, y = nn_core.make_dataset("moons", n_samples=200, noise=0.1, rng=0)
    X_train, X_test, y_train, y_test = nn_core.train_test_split(X, y, rng=0)
    model = nn_core.MLP([2, 16, 1], activation="tanh", output="sigmoid", rng=0)
    # or one activation per hidden layer: nn_core.MLP([2, 8, 8, 1], activation=["relu", "sine"])
    trainer = nn_core.Trainer(model, loss="bce", optimizer="adam", learning_rate=0.01, rng=0)
    trainer.train(X_train, y_train, 300, X_val=X_test, y_val=y_test)
    trainer.history[-1]   # {'epoch': 300, 'train_loss': ..., 'val_accuracy': ...}
"""

from nn_core.activations import ACTIVATIONS, OUTPUTS
from nn_core.datasets import DATASETS, make_dataset, train_test_split
from nn_core.features import FEATURES, expand_features
from nn_core.formula import formula_dataset
from nn_core.initializers import BIAS_INITIALIZERS, INITIALIZERS
from nn_core.losses import LOSSES
from nn_core.mlp import MLP
from nn_core.optimizers import OPTIMIZERS
from nn_core.schedules import SCHEDULES, make_schedule
from nn_core.stopping import STOP_RULES
from nn_core.trainer import Trainer

__all__ = (
    "ACTIVATIONS",
    "BIAS_INITIALIZERS",
    "DATASETS",
    "FEATURES",
    "INITIALIZERS",
    "LOSSES",
    "MLP",
    "OPTIMIZERS",
    "OUTPUTS",
    "SCHEDULES",
    "STOP_RULES",
    "Trainer",
    "expand_features",
    "formula_dataset",
    "make_dataset",
    "make_schedule",
    "train_test_split",
)
