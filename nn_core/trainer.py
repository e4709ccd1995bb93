"""Training loop: epochs of (mini-)batch steps, per-epoch metrics, divergence detection.

One epoch is one pass over the training set. With ``batch_size=None`` (or >= n_samples) it is a single
full-batch step; otherwise the rows are shuffled with the trainer's ``rng`` and cut into batches of
``batch_size`` (the last one may be smaller), one optimizer step each.

After every epoch the model is evaluated without dropout on the whole training set, and on the
validation set if given. A history record holds, for the weights at the end of that epoch:
``epoch`` (1 for the first), ``train_loss`` and ``val_loss`` (the data loss; the L1/L2 penalty is left
out so that train and validation are comparable) and, for integer labels, ``train_accuracy`` and
``val_accuracy`` (None for regression or without validation data).

Divergence: when a loss or a weight stops being finite, the trainer puts back the last finite weights,
sets ``status = "diverged"`` and ``diverged_epoch`` to the epoch where it happened, and ``train`` does
nothing more until a hyperparameter changes (lowering ``learning_rate`` resumes from those weights).
"""

import copy
import math
from typing import NamedTuple

import numpy as np

from nn_core._checks import as_rng, check_choice, check_float, check_int
from nn_core.activations import OUTPUTS
from nn_core.losses import accuracy, is_classification
from nn_core.mlp import MLP, Workspace
from nn_core.optimizers import OPTIMIZERS
from nn_core.regularization import add_penalty_gradient


class Dataset(NamedTuple):
    X: np.ndarray  # (n, n_features) in the model dtype
    Y: np.ndarray  # (n, n_outputs) targets, see losses.encode_targets
    labels: np.ndarray | None  # (n,) int labels, None for regression


def _hyperparameter(name, check, doc):
    """A property that validates, and that lets a diverged trainer resume when its value changes."""

    attr = "_" + name  # the hot loop reads self._<name> directly

    def get(self):
        return getattr(self, attr)

    def set_(self, value):
        value = check(name, value)
        if not hasattr(self, attr) or getattr(self, attr) != value:
            setattr(self, attr, value)
            self.status, self.diverged_epoch = "ok", None

    return property(get, set_, doc=doc)


def _check_batch_size(name, value):
    return None if value is None else check_int(name, value, low=1)


class Trainer:
    """Trains ``model`` with ``loss`` and ``optimizer``; keeps ``history``, ``epoch`` and ``status``.

    Parameters
    ----------
    model : MLP
    loss : a key of ``LOSSES`` valid for ``model.output``
    optimizer : a key of ``OPTIMIZERS`` ("sgd", "momentum", "rmsprop", "adam")
    learning_rate : > 0; batch_size : None (full batch) or int >= 1
    l1, l2 : penalty rates >= 0; dropout : rate in [0, 1) for hidden layers, training only
    rng : seed or Generator for shuffling and dropout masks

    Every hyperparameter can be changed between calls to ``train``; the model and its weights are
    kept (a new optimizer starts with fresh state).
    """

    learning_rate = _hyperparameter(
        "learning_rate", lambda n, v: check_float(n, v, low=0.0, low_open=True), "Step size, > 0."
    )
    batch_size = _hyperparameter("batch_size", _check_batch_size, "Rows per step; None = full batch.")
    l1 = _hyperparameter("l1", check_float, "L1 penalty rate, >= 0.")
    l2 = _hyperparameter("l2", check_float, "L2 penalty rate, >= 0.")
    dropout = _hyperparameter(
        "dropout", lambda n, v: check_float(n, v, high=1.0, high_open=True), "Drop rate in [0, 1)."
    )

    def __init__(
        self,
        model,
        *,
        loss,
        optimizer="sgd",
        learning_rate=0.03,
        batch_size=None,
        l1=0.0,
        l2=0.0,
        dropout=0.0,
        rng=None,
    ):
        if not isinstance(model, MLP):
            raise ValueError(f"model must be an nn_core.MLP; got {type(model).__name__}")
        self.model = model
        self._loss = model.check_loss(loss)
        self._output = OUTPUTS[model.output]
        self.learning_rate, self.batch_size = learning_rate, batch_size
        self.l1, self.l2, self.dropout = l1, l2, dropout
        self.optimizer = optimizer
        self.rng = as_rng(rng)
        self.history, self.epoch = [], 0
        self.status, self.diverged_epoch = "ok", None
        self._grad = np.zeros_like(model.params)
        self._dW, self._db = model.split(self._grad)
        self._last_good = model.params.copy()
        self._workspaces = {}

    @property
    def loss(self):
        """The loss's name. Fixed for the trainer's life: it must match the model's output."""
        return self._loss.name

    @property
    def optimizer(self):
        """The optimizer's name; assigning a new name starts that optimizer with fresh state."""
        return self._optimizer.name

    @optimizer.setter
    def optimizer(self, name):
        name = check_choice("optimizer", name, OPTIMIZERS)
        if getattr(self, "_optimizer", None) is None or self._optimizer.name != name:
            self._optimizer = OPTIMIZERS[name]()
            self.status, self.diverged_epoch = "ok", None

    # --- public ---------------------------------------------------------------------------
    def train(self, X, y, n_epochs=1, *, X_val=None, y_val=None):
        """Run ``n_epochs`` epochs; return their history records (fewer if training diverges)."""
        n_epochs = check_int("n_epochs", n_epochs, low=0)
        train_set = self._prepare(X, y, ("X", "y"))
        if (X_val is None) != (y_val is None):
            raise ValueError(
                f"X_val and y_val go together; got X_val={type(X_val).__name__}, y_val={type(y_val).__name__}"
            )
        val_set = None if X_val is None else self._prepare(X_val, y_val, ("X_val", "y_val"))
        records = []
        if self.status == "diverged":
            return records
        np.copyto(self._last_good, self.model.params)  # the weights may have been edited by hand
        for ws in self._workspaces.values():
            ws.fresh = False
        n = len(train_set.X)
        full = self._full_batch(n)
        # Full batch without dropout: the end-of-epoch evaluation runs in the training workspace and
        # leaves the forward pass that the next step needs, so each epoch runs it once, not twice.
        train_ws = self._workspace("train", n) if full else None
        reuse = full and not self._dropout
        eval_ws = train_ws if reuse else self._workspace("eval", n)
        val_ws = self._workspace("eval", len(val_set.X)) if val_set else None
        # Overflow is how divergence starts; it is detected below and explained, not warned about.
        with np.errstate(all="ignore"):
            for _ in range(n_epochs):
                if full:
                    self._full_batch_step(train_ws, train_set)
                else:
                    self._minibatch_epoch(train_set)
                record = self._end_epoch(train_set, eval_ws, reuse, val_set, val_ws)
                if record is None:
                    break
                records.append(record)
        return records

    def evaluate(self, X, y):
        """Data loss and accuracy (None for regression) of the current model on ``X``, ``y``."""
        data = self._prepare(X, y, ("X", "y"))
        with np.errstate(all="ignore"):
            return self._evaluate(data, self._workspace("eval", len(data.X)))

    def copy(self):
        """An independent twin: a copy of the model, the same settings, a copy of the optimizer's
        state and of the random generator. The twin's next step is exactly this trainer's next step,
        and nothing done to the twin touches this trainer."""
        twin = Trainer(
            self.model.copy(),
            loss=self.loss,
            optimizer=self.optimizer,
            learning_rate=self._learning_rate,
            batch_size=self._batch_size,
            l1=self._l1,
            l2=self._l2,
            dropout=self._dropout,
        )
        twin._optimizer = copy.deepcopy(self._optimizer)
        twin.rng = copy.deepcopy(self.rng)
        twin.history, twin.epoch = [dict(r) for r in self.history], self.epoch
        twin.status, twin.diverged_epoch = self.status, self.diverged_epoch
        return twin

    # --- one epoch ------------------------------------------------------------------------
    def _full_batch_step(self, ws, data):
        if not ws.fresh:  # the last evaluation may already hold this forward pass
            self.model.forward_into(ws, data.X, dropout=self._dropout, rng=self.rng)
        self._step(ws, data.Y)

    def _minibatch_epoch(self, data):
        n = len(data.X)
        order = self.rng.permutation(n)
        for start in range(0, n, self._batch_size):
            rows = order[start : start + self._batch_size]
            ws = self._workspace("train", len(rows))
            X = data.X.take(rows, axis=0, out=ws.X)  # copy the batch into preallocated rows
            Y = data.Y.take(rows, axis=0, out=ws.Y)
            self.model.forward_into(ws, X, dropout=self._dropout, rng=self.rng)
            self._step(ws, Y)

    def _step(self, ws, Y):
        """Backpropagate the batch held in ``ws`` and take one optimizer step."""
        self._backward(ws, Y)
        self._update()
        ws.fresh = False

    def _backward(self, ws, Y):
        """The gradient of the batch loss (plus the penalty) into ``self._grad`` (``_dW``, ``_db``)."""
        model, grad = self.model, self._grad
        dZ = self._loss.gradient(ws.A[-1], ws.Z[-1], Y, self._output, out=ws.dZ[-1])
        model.backward_into(ws, dZ, self._dW, self._db, dropout=self._dropout)
        if self._l1 or self._l2:
            nw = model.n_weights
            add_penalty_gradient(model.params[:nw], grad[:nw], l1=self._l1, l2=self._l2)

    def _update(self):
        """One optimizer step with the gradient in ``self._grad`` (which the step may overwrite)."""
        self._optimizer.step(self.model.params, self._grad, self._learning_rate)

    def _end_epoch(self, train_set, eval_ws, reuse, val_set, val_ws):
        """Score the epoch's weights; return its history record, or None if training diverged.
        ``reuse``: ``eval_ws`` is the full-batch training workspace, whose forward pass the next
        step may reuse."""
        self.epoch += 1
        train_loss, train_accuracy = self._evaluate(train_set, eval_ws)
        eval_ws.fresh = reuse
        val_loss, val_accuracy = self._evaluate(val_set, val_ws) if val_set else (None, None)
        finite = (train_loss, float(np.add.reduce(self.model.params)), val_loss or 0.0)
        if not all(map(math.isfinite, finite)):
            self._diverge()
            return None
        np.copyto(self._last_good, self.model.params)
        record = {
            "epoch": self.epoch,
            "train_loss": train_loss,
            "val_loss": val_loss,
            "train_accuracy": train_accuracy,
            "val_accuracy": val_accuracy,
        }
        self.history.append(record)
        return record

    def _evaluate(self, data, ws):
        """Data loss and accuracy (None for regression) of the current weights, forward pass in ``ws``."""
        A = self.model.forward_into(ws, data.X)
        loss = self._loss.value(A, ws.Z[-1], data.Y)
        if data.labels is None:
            return loss, None
        return loss, accuracy(A, data.labels, self.model.output)

    def _diverge(self):
        self.status, self.diverged_epoch = "diverged", self.epoch
        self.epoch -= 1
        np.copyto(self.model.params, self._last_good)
        self._optimizer = OPTIMIZERS[self._optimizer.name]()  # its moments may be inf too
        for ws in self._workspaces.values():
            ws.fresh = False

    # --- helpers --------------------------------------------------------------------------
    def _full_batch(self, n):
        return self._batch_size is None or self._batch_size >= n

    def _workspace(self, kind, n):
        key = (kind, n)
        if key not in self._workspaces:
            self._workspaces[key] = Workspace(self.model, n)
        return self._workspaces[key]

    def _prepare(self, X, y, names):
        X, Y = self.model.check_data(X, y, names=names)
        if not is_classification(y) and self.loss != "mse":
            raise ValueError(
                f"{names[1]} must hold integer class labels for loss={self.loss!r}; "
                f"got dtype {np.asarray(y).dtype}"
            )
        labels = np.asarray(y).astype(np.int64).ravel() if is_classification(y) else None
        return Dataset(X, Y, labels)
