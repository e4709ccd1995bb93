"""One training step, recorded: every matrix that the forward pass, the loss, backpropagation and
the optimizer compute for one batch, exactly as ``Trainer`` computes them.

``trace_step`` never re-implements the maths. It takes a twin of the trainer (``Trainer.copy``: a
copy of the model, the optimizer's state and the random generator) and lets the twin run its own
code, stopping between the stages to copy what they left in the workspace:

1. forward: ``Trainer._forward`` (``MLP.forward_into``) -> ``Z[i]``, ``A[i]`` per layer;
2. loss: ``Trainer._loss`` (the loss's ``value``) on the batch;
3. backward: ``Trainer._backward`` (the loss's ``gradient``, then ``MLP.backward_into``, then the
   L1/L2 penalty) -> ``dZ[i]``, ``dA[i]``, ``dW[i]``, ``db[i]``;
4. update: ``Trainer._update`` (the optimizer's ``step``) -> the weights after the step.

The trainer itself is untouched. With ``rows=None`` the twin takes the batch the trainer's next step
will take (the whole set, or the first mini-batch of the next shuffle), so ``W_after`` is, bit for
bit, what the trainer's next step produces.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from nn_core.regularization import penalty
from nn_core.trainer import Trainer
from nn_core.training_data import Dataset
from nn_core.workspace import Workspace

if TYPE_CHECKING:
    from nn_core._types import Arrays, FloatArray, IntArray


@dataclass(frozen=True)
class StepTrace:
    """Everything one step computed. Layer ``i`` is 0-based (layer 0 reads ``X``); tuples hold one
    array per layer, output layer last. ``batch`` is the number of rows in the batch.

    rows : (batch,) the batch's row indices in the training set, in the order the step used them
    X : (batch, n_features); Y : (batch, n_outputs) targets as the loss sees them
    Z, A : Z[i], A[i] (batch, layer_sizes[i + 1]): pre-activations and activations
    masks : dropout masks of the hidden layers (kept units scaled by 1 / (1 - rate)), or None
    loss : the batch's data loss before the step; penalty : the L1/L2 term added to it
    dZ : dZ[i] (batch, layer_sizes[i + 1]), dL/dZ of every layer
    dA : dA[i] (batch, layer_sizes[i + 1]) for the hidden layers only (the output layer's dZ comes
        straight from the loss): dL/dA, what layer i + 1 sends back
    dW, db : gradients, shaped like the weights and biases (penalty included)
    W_before, b_before, W_after, b_after : the parameters around the step
    """

    rows: IntArray
    X: FloatArray
    Y: FloatArray
    Z: Arrays
    A: Arrays
    masks: Arrays | None
    loss: float
    penalty: float
    dZ: Arrays
    dA: Arrays
    dW: Arrays
    db: Arrays
    W_before: Arrays
    b_before: Arrays
    W_after: Arrays
    b_after: Arrays
    optimizer: str
    learning_rate: float
    loss_name: str

    @property
    def n_layers(self) -> int:
        return len(self.Z)


def trace_step(
    trainer: Trainer, X: npt.ArrayLike, y: npt.ArrayLike, *, rows: npt.ArrayLike | None = None
) -> StepTrace:
    """Record one optimizer step of ``trainer`` on a batch of ``X``, ``y`` (its training set).

    Parameters
    ----------
    trainer : Trainer, left untouched.
    X : (n_samples, n_features); y : labels or targets, as ``Trainer.train`` takes them.
    rows : None for the batch the trainer's next step will use; else the row indices of the batch
        (distinct ints in [0, n_samples)), e.g. ``[7]`` for one sample.

    Returns
    -------
    StepTrace
    """
    if not isinstance(trainer, Trainer):
        raise ValueError(f"trainer must be an nn_core.Trainer; got {type(trainer).__name__}")
    twin = trainer.copy()
    twin._rate = twin.schedule.rate(twin.epoch + 1, twin.learning_rate)  # the next epoch's, as train sets it
    data = twin._data(X, y, ("X", "y"))
    n = len(data.X)
    if rows is None:
        rows = _next_rows(twin, n)
    else:
        rows = _check_rows(rows, n)
    ws = Workspace(twin.model, len(rows))
    Xb, Yb = data.X.take(rows, axis=0, out=ws.X), data.Y.take(rows, axis=0, out=ws.Y)
    model = twin.model
    with np.errstate(all="ignore"):  # a diverging network is traced as it is; its numbers say so
        A_out = twin._forward(ws, Xb)
        loss = twin._loss(A_out, ws, Dataset(Xb, Yb, None))[0]
        forward = _copies(ws.Z), _copies(ws.A)
        masks = _copies(ws.masks) if twin.dropout and ws.masks is not None else None
        twin._backward(ws, A_out, Yb)
        dW, db = _copies(twin._dW), _copies(twin._db)
        W_before, b_before = _copies(model.weights), _copies(model.biases)
        added = penalty(model.params[: model.n_weights], l1=twin.l1, l2=twin.l2)
        twin._update()
    return StepTrace(
        rows=rows,
        X=Xb.copy(),
        Y=Yb.copy(),
        Z=forward[0],
        A=forward[1],
        masks=masks,
        loss=float(loss),
        penalty=float(added),
        dZ=_copies(ws.dZ),
        dA=_copies(ws.dA[:-1]),
        dW=dW,
        db=db,
        W_before=W_before,
        b_before=b_before,
        W_after=_copies(model.weights),
        b_after=_copies(model.biases),
        optimizer=twin.optimizer,
        learning_rate=twin._rate,
        loss_name=twin.loss,
    )


def _next_rows(twin: Trainer, n: int) -> IntArray:
    """The rows of the twin's next step, consuming its generator as ``Trainer.train`` does."""
    if twin.batch_size is None or twin.batch_size >= n:
        return np.arange(n)
    return twin.rng.permutation(n)[: twin.batch_size]


def _check_rows(rows: npt.ArrayLike, n: int) -> IntArray:
    try:
        array = np.asarray(rows)
    except (TypeError, ValueError):
        array = np.zeros(0)  # not an array of ints: rejected below like an empty one
    ok = array.ndim == 1 and array.size > 0
    ok = ok and np.issubdtype(array.dtype, np.integer) and len(np.unique(array)) == array.size
    if not ok or array.min() < 0 or array.max() >= n:
        raise ValueError(f"rows must be distinct ints in [0, {n}); got {rows!r}")
    return array.astype(np.intp)


def _copies(arrays: Iterable[npt.NDArray[Any]]) -> tuple[npt.NDArray[Any], ...]:
    return tuple(np.array(a, copy=True) for a in arrays)
