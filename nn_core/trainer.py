"""Training loop: epochs of (mini-)batch steps, per-epoch metrics, divergence detection.

One epoch is one pass over the training set. With ``batch_size=None`` (or >= n_samples) it is a single
full-batch step; otherwise the rows are shuffled with the trainer's ``rng`` and cut into batches of
``batch_size`` (the last one may be smaller), one optimizer step each.

After every epoch the model is evaluated without dropout on the whole training set, and on the
validation set if given. A history record holds, for the weights at the end of that epoch:
``epoch`` (1 for the first), ``train_loss`` and ``val_loss`` (the data loss; the L1/L2 penalty is left
out so that train and validation are comparable), for integer labels ``train_accuracy`` and
``val_accuracy`` (None for regression or without validation data), ``learning_rate``, the step
size every step of that epoch used: ``schedule.rate(epoch, learning_rate)`` (see ``schedules``),
and the metrics of ``metrics.py``.

Divergence: when a loss or a weight stops being finite, the trainer puts back the last finite weights,
sets ``status = "diverged"`` and ``diverged_epoch`` to the epoch where it happened, and ``train`` does
nothing more until a hyperparameter changes (lowering ``learning_rate`` resumes from those weights).
Stop rules (``stopping``): when one fires, the epoch's record gets ``stopped_by`` (the reason), and
so does the trainer, whose ``status`` is "stopped" until a hyperparameter or the rules change.

One step is the tutorial's stages, a short method each: ``_forward`` (the batch's output), ``_loss``
(scored once per epoch), ``_backward`` (every gradient) and ``_update`` (the optimizer's step). A
pickled trainer (model, optimizer state, generator, settings, history) continues exactly as it would.
"""

from __future__ import annotations

import copy
import math
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from nn_core._checks import as_rng, check_int
from nn_core.activations import OUTPUTS
from nn_core.hyperparameters import Hyperparameters, resume
from nn_core.losses import accuracy
from nn_core.metrics import epoch_metrics, record_metrics
from nn_core.mlp import MLP
from nn_core.optimizers import OPTIMIZERS
from nn_core.regularization import add_penalty_gradient
from nn_core.schedules import Schedule
from nn_core.stopping import StopRule, first_reason
from nn_core.training_data import Dataset, batches, is_full_batch, prepare, prepare_validation
from nn_core.workspace import Workspace

if TYPE_CHECKING:
    from nn_core._types import FloatArray, Record, Score, Scored

# Scratch state, rebuilt on demand: never pickled (see Trainer.__getstate__).
_SCRATCH = ("_grad", "_dW", "_db", "_last_good", "_workspaces", "_the_loss", "_output")


class Trainer(Hyperparameters):
    """Trains ``model`` with ``loss`` and ``optimizer``; keeps ``history``, ``epoch`` and ``status``.

    Parameters
    ----------
    model : MLP
    loss : a key of ``LOSSES`` valid for ``model.output``
    optimizer : a key of ``OPTIMIZERS`` ("sgd", "momentum", "rmsprop", "adam")
    learning_rate : > 0; batch_size : None (full batch) or int >= 1
    l1, l2 : penalty rates >= 0; dropout : rate in [0, 1) for hidden layers, training only
    rng : seed or Generator for shuffling and dropout masks
    schedule : a ``SCHEDULES`` name or record (default "constant"); stop : None or ``STOP_RULES`` records

    Every hyperparameter (see ``Hyperparameters``) can be changed between calls to ``train``; the
    model and its weights are kept (a new optimizer starts with fresh state).
    """

    def __init__(
        self,
        model: MLP,
        *,
        loss: str,
        optimizer: str = "sgd",
        learning_rate: float = 0.03,
        batch_size: int | None = None,
        l1: float = 0.0,
        l2: float = 0.0,
        dropout: float = 0.0,
        rng: int | np.random.Generator | None = None,
        schedule: str | Schedule = "constant",
        stop: StopRule | list[StopRule] | tuple[StopRule, ...] | None = None,
    ) -> None:
        if not isinstance(model, MLP):
            raise ValueError(f"model must be an nn_core.MLP; got {type(model).__name__}")
        self.model = model
        self._loss_name = model.check_loss(loss).name
        self.learning_rate, self.batch_size = learning_rate, batch_size
        self.l1, self.l2, self.dropout = l1, l2, dropout
        self.schedule, self.stop, self.optimizer = schedule, stop, optimizer
        self.rng = as_rng(rng)
        self.history: list[Record] = []
        self.epoch, self._rate = 0, self._learning_rate
        resume(self)
        self._make_scratch()

    def _make_scratch(self) -> None:
        """The arrays a trainer can always rebuild: the gradient (``_dW``, ``_db`` are views of it),
        the last finite weights, the workspaces (made per batch size when first needed), and the
        loss and output activation looked up once from their names."""
        model = self.model
        self._the_loss, self._output = model.check_loss(self._loss_name), OUTPUTS[model.output]
        self._grad = np.zeros_like(model.params)
        self._dW, self._db = model.split(self._grad)
        self._last_good = model.params.copy()
        self._workspaces: dict[tuple[str, int], Workspace] = {}

    def __getstate__(self) -> dict[str, Any]:
        """What ``pickle`` ships: the model, optimizer state, generator, settings and history. The
        gradient, the last finite weights and the workspaces are scratch: each is overwritten before
        it is read (``train`` starts by copying the weights into ``_last_good``)."""
        return {k: v for k, v in self.__dict__.items() if k not in _SCRATCH}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._make_scratch()

    @property
    def loss(self) -> str:
        """The loss's name. Fixed for the trainer's life: it must match the model's output."""
        return self._loss_name

    # --- public ---------------------------------------------------------------------------
    def train(
        self,
        X: npt.ArrayLike,
        y: npt.ArrayLike,
        n_epochs: int = 1,
        *,
        X_val: npt.ArrayLike | None = None,
        y_val: npt.ArrayLike | None = None,
    ) -> list[Record]:
        """Run ``n_epochs`` epochs; return their history records (fewer if training diverges or stops)."""
        n_epochs = check_int("n_epochs", n_epochs, low=0)
        train_set = self._data(X, y, ("X", "y"))
        val_set = prepare_validation(self.model, X_val, y_val, loss=self._loss_name)
        if self.status != "ok" or n_epochs == 0:
            return []
        np.copyto(self._last_good, self.model.params)  # the weights may have been edited by hand
        # Overflow is how divergence starts; it is detected below and explained, not warned about.
        with np.errstate(all="ignore"):
            if is_full_batch(self._batch_size, len(train_set.X)) and not self._dropout:
                return self._full_batch_epochs(train_set, val_set, n_epochs)
            return self._epochs(train_set, val_set, n_epochs)

    def evaluate(self, X: npt.ArrayLike, y: npt.ArrayLike) -> Score:
        """Data loss and accuracy (None for regression) of the current model on ``X``, ``y``."""
        data = self._data(X, y, ("X", "y"))
        with np.errstate(all="ignore"):
            return self._score(data)[:2]

    def copy(self) -> Trainer:
        """An independent twin: a copy of the model, the same settings, a copy of the optimizer's
        state, of the random generator and of the history. The twin's next step is exactly this
        trainer's next step, and nothing done to the twin touches this trainer."""
        return copy.deepcopy(self)  # through __getstate__: the twin makes its own scratch arrays

    # --- one step: forward, loss, backward, update ----------------------------------------
    def _step(self, ws: Workspace, X: FloatArray, Y: FloatArray) -> None:
        """One gradient-descent step on the batch ``X (n, n_features)``, ``Y (n, n_outputs)``."""
        A = self._forward(ws, X)
        self._backward(ws, A, Y)
        self._update()

    def _forward(self, ws: Workspace, X: FloatArray) -> FloatArray:
        """The network's output ``A (n, n_outputs)`` for the batch, with dropout while training."""
        return self.model.forward_into(ws, X, dropout=self._dropout, rng=self.rng)

    def _loss(self, A: FloatArray, ws: Workspace, data: Dataset) -> Scored:
        """Data loss, accuracy (None for regression) and metrics (``epoch_metrics``) of the output ``A``
        for ``data``, whose forward pass ``ws`` holds (the losses read the pre-activations ``ws.Z[-1]``)."""
        loss, output = self._the_loss.value(A, ws.Z[-1], data.Y), self.model.output
        hits = None if data.labels is None else accuracy(A, data.labels, output)
        return loss, hits, epoch_metrics(A, data, output)

    def _backward(self, ws: Workspace, A: FloatArray, Y: FloatArray) -> None:
        """The gradient of the batch loss (plus the penalty) into ``self._grad`` (``_dW``, ``_db``):
        the loss gives the output layer's dZ, backpropagation the rest."""
        model, grad = self.model, self._grad
        dZ = self._the_loss.gradient(A, ws.Z[-1], Y, self._output, out=ws.dZ[-1])
        model.backward_into(ws, dZ, self._dW, self._db, dropout=self._dropout)
        if self._l1 or self._l2:
            nw = model.n_weights
            add_penalty_gradient(model.params[:nw], grad[:nw], l1=self._l1, l2=self._l2)

    def _update(self) -> None:
        """One optimizer step with the gradient in ``self._grad`` (which the step may overwrite)."""
        self._optimizer.step(self.model.params, self._grad, self._rate)

    # --- epochs ---------------------------------------------------------------------------
    def _epochs(self, data: Dataset, val_set: Dataset | None, n_epochs: int) -> list[Record]:
        """Epochs of mini-batch steps (or full-batch steps with dropout), each scored afterwards."""
        records = []
        for _ in range(n_epochs):
            self._rate = self._schedule.rate(self.epoch + 1, self._learning_rate)
            for ws, X, Y in batches(data, self._batch_size, self.rng, self._workspace):
                self._step(ws, X, Y)
            record = self._end_epoch(self._score(data), val_set)
            records += [record] if record else []
            if self.status != "ok":  # diverged (no record) or stopped
                break
        return records

    def _full_batch_epochs(self, data: Dataset, val_set: Dataset | None, n_epochs: int) -> list[Record]:
        """Full-batch epochs without dropout: ``_step``'s forward, backward and update, where the
        forward pass that scores an epoch's weights is also the next step's: one per epoch, not two."""
        records, ws = [], self._workspace("train", len(data.X))
        A = self._forward(ws, data.X)
        for _ in range(n_epochs):
            self._rate = self._schedule.rate(self.epoch + 1, self._learning_rate)
            self._backward(ws, A, data.Y)
            self._update()
            A = self._forward(ws, data.X)
            record = self._end_epoch(self._loss(A, ws, data), val_set)
            records += [record] if record else []
            if self.status != "ok":  # diverged (no record) or stopped
                break
        return records

    def _end_epoch(self, score: Scored, val_set: Dataset | None) -> Record | None:
        """Record the epoch whose weights scored ``score`` on the training set; return the record,
        or None if training diverged (the last finite weights are then back in place). A stop rule
        that fires adds ``stopped_by`` to the record and stops the trainer."""
        self.epoch += 1
        train_loss, train_accuracy, train_metrics = score
        val_loss, val_accuracy, val_metrics = self._score(val_set) if val_set else (None, None, None)
        finite = (train_loss, float(np.add.reduce(self.model.params)), val_loss or 0.0)
        if not all(map(math.isfinite, finite)):
            self._diverge()
            return None
        np.copyto(self._last_good, self.model.params)
        record: Record = {
            "epoch": self.epoch,
            "train_loss": train_loss,
            "val_loss": val_loss,
            "train_accuracy": train_accuracy,
            "val_accuracy": val_accuracy,
            "learning_rate": self._rate,
            **record_metrics(train_metrics, val_metrics),
        }
        reason = first_reason(self._stop, record, self._stop_memory)
        if reason:
            record["stopped_by"] = self.stopped_by = reason
            self.status = "stopped"
        self.history.append(record)
        return record

    def _diverge(self) -> None:
        self.status, self.diverged_epoch = "diverged", self.epoch
        self.epoch -= 1
        np.copyto(self.model.params, self._last_good)
        self._optimizer = OPTIMIZERS[self._optimizer.name]()  # its moments may be inf too

    # --- helpers --------------------------------------------------------------------------
    def _score(self, data: Dataset) -> Scored:
        """``_loss`` of the current weights on ``data``, without dropout, in an evaluation workspace."""
        ws = self._workspace("eval", len(data.X))
        return self._loss(self.model.forward_into(ws, data.X), ws, data)

    def _workspace(self, kind: str, n: int) -> Workspace:
        key = (kind, n)
        if key not in self._workspaces:
            self._workspaces[key] = Workspace(self.model, n)
        return self._workspaces[key]

    def _data(self, X: npt.ArrayLike, y: npt.ArrayLike, names: tuple[str, str]) -> Dataset:
        return prepare(self.model, X, y, loss=self._loss_name, names=names)
