"""The multilayer perceptron: forward pass, backpropagation and the loss gradient.

Layer ``i`` (0-based) maps its input ``A_prev (n, fan_in)`` to
``Z = A_prev @ W[i] + b[i]`` and ``A = g(Z)``, with ``g`` the hidden activation, or the output
activation for the last layer. Backpropagation runs the same layers in reverse:

    dW[i] = A_prev.T @ dZ          db[i] = sum of dZ over samples
    dA_prev = dZ @ W[i].T          dZ_prev = g'(Z_prev) * dA_prev   (the activation's backward)

starting from ``dZ`` of the output layer, which the loss provides (see ``losses``).

Read in this order: the ``MLP``'s parameters, ``forward`` and ``predict`` for inference, the
training passes ``forward_into`` and ``backward_into`` that ``Trainer`` calls once per step, and
``loss_and_gradients`` for a notebook. Speed without magic: every parameter lives in one flat
vector, ``params`` (see ``parameters``), with ``weights[i]`` and ``biases[i]`` as views into it, and
the training passes write into a ``Workspace`` of preallocated arrays through NumPy's ``out=``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from nn_core import _checks, parameters
from nn_core._checks import as_rng, check_choice, check_float, check_layer_sizes, check_matrix
from nn_core.activations import ACTIVATIONS, OUTPUTS
from nn_core.initializers import AUTO, BIAS_CHOICES, INITIALIZERS, initialize
from nn_core.losses import LOSSES, Loss, decode_labels, encode_targets, is_classification
from nn_core.parameters import ParameterList
from nn_core.regularization import add_penalty_gradient, inverted_dropout, penalty
from nn_core.workspace import Workspace

if TYPE_CHECKING:
    from nn_core._types import FloatArray, Layer

DTYPES = (np.float32, np.float64)


class MLP:
    """A fully connected network ``layer_sizes[0] -> hidden layers -> layer_sizes[-1]``.

    Parameters
    ----------
    layer_sizes : ints >= 1, at least 2 (inputs, hidden..., outputs); 0 hidden: logistic/linear regression.
    activation : a key of ``ACTIVATIONS`` for every hidden layer, or a list of keys, one per hidden layer.
    output : output activation, a key of ``OUTPUTS`` (softmax needs >= 2 outputs).
    init : a key of ``INITIALIZERS``.
    bias_init : "auto" (the weight init's own biases) or a key of ``BIAS_INITIALIZERS``; drawn after
        every weight (see ``initializers``), so it never changes the weights a seed gives.
    rng : seed or ``np.random.Generator`` for the initial weights.
    dtype : np.float32 (fast, the default) or np.float64 (gradient checks).

    Attributes
    ----------
    weights : list, ``weights[i].shape == (layer_sizes[i], layer_sizes[i + 1])``
    biases : list, ``biases[i].shape == (layer_sizes[i + 1],)``
    params : the flat vector behind both; ``n_weights`` of its entries are weights.
    activation : the name if given one (or a list of one name), else the tuple of names;
    hidden_activations : always the tuple, one name per hidden layer.

    Pickling ships the architecture and ``params`` only; the views are rebuilt on loading.
    """

    def __init__(
        self,
        layer_sizes: Sequence[int],
        *,
        activation: str | Sequence[str] = "tanh",
        output: str = "sigmoid",
        init: str = "xavier",
        bias_init: str = AUTO,
        dtype: type = np.float32,
        rng: int | np.random.Generator | None = None,
    ) -> None:
        self.layer_sizes = check_layer_sizes(layer_sizes)
        acts = _checks.check_choices("activation", activation, ACTIVATIONS, n=len(self.layer_sizes) - 2)
        self.activation = (
            activation if isinstance(activation, str) else acts[0] if len(set(acts)) == 1 else acts
        )
        self.output = check_choice("output", output, OUTPUTS)
        self.init = check_choice("init", init, INITIALIZERS)
        self.bias_init = check_choice("bias_init", bias_init, BIAS_CHOICES)
        if output == "softmax" and self.layer_sizes[-1] < 2:
            raise ValueError(f"output='softmax' needs >= 2 output units; got layer_sizes={self.layer_sizes}")
        if np.dtype(dtype) not in [np.dtype(d) for d in DTYPES]:
            raise ValueError(f"dtype must be np.float32 or np.float64; got {dtype!r}")
        self.dtype: type[np.floating[Any]] = np.dtype(dtype).type
        self._bind(np.zeros(parameters.n_params(self.layer_sizes), self.dtype))
        initialize(self._weights, self._biases, init, bias_init, as_rng(rng))

    def _bind(self, params: FloatArray) -> None:
        """Make ``params`` this model's flat vector, with the views and the layer list into it."""
        self.params = params
        self.n_weights = parameters.n_weights(self.layer_sizes)
        self._weights, self._biases = parameters.split(params, self.layer_sizes)
        # (W, b, activation) per layer, looked up once: the training loop runs over this list.
        activations = [ACTIVATIONS[name] for name in self.hidden_activations] + [OUTPUTS[self.output]]
        self._layers: list[Layer] = list(zip(self._weights, self._biases, activations))

    def __getstate__(self) -> dict[str, Any]:
        """What ``pickle`` ships: the architecture and ``params``, not the views into it."""
        names = ("layer_sizes", "activation", "output", "init", "bias_init", "dtype", "params")
        return {name: getattr(self, name) for name in names}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update({"bias_init": AUTO} | {k: v for k, v in state.items() if k != "params"})
        self._bind(state["params"])

    # --- parameters -------------------------------------------------------------------------
    @property
    def weights(self) -> ParameterList:
        return self._weights

    @weights.setter
    def weights(self, values: Sequence[npt.ArrayLike]) -> None:
        self._assign(self._weights, values)

    @property
    def biases(self) -> ParameterList:
        return self._biases

    @biases.setter
    def biases(self, values: Sequence[npt.ArrayLike]) -> None:
        self._assign(self._biases, values)

    def _assign(self, views: ParameterList, values: Sequence[npt.ArrayLike]) -> None:
        if len(values) != len(views):
            raise ValueError(f"{views.name} must be a list of {len(views)} arrays; got {len(values)}")
        for i, value in enumerate(values):
            views[i] = value

    def split(self, flat: npt.NDArray[Any]) -> tuple[ParameterList, ParameterList]:
        """Views of a flat vector shaped like ``params`` as (weight matrices, bias vectors)."""
        return parameters.split(flat, self.layer_sizes)

    def copy(self, *, dtype: type | None = None) -> MLP:
        """An independent copy: the same architecture and weights, its own ``params``; in ``dtype``
        if given (``np.float64`` for a gradient check), else in this model's dtype."""
        kind = self.dtype if dtype is None else dtype
        clone = MLP(
            self.layer_sizes, activation=self.activation, output=self.output, init="zeros", dtype=kind
        )
        clone.init, clone.bias_init = self.init, self.bias_init
        clone.params[...] = self.params
        return clone

    @property
    def hidden_activations(self) -> tuple[str, ...]:
        """The activation of every hidden layer, layer 1 first: ``(n_layers - 1,)`` names."""
        names = self.activation
        return (names,) * (self.n_layers - 1) if isinstance(names, str) else tuple(names)

    @property
    def n_layers(self) -> int:
        """Number of weight layers (hidden layers + 1)."""
        return len(self.layer_sizes) - 1

    # --- inference --------------------------------------------------------------------------
    def layer_activations(self, X: npt.ArrayLike) -> list[FloatArray]:
        """Every layer's activations for ``X (n, layer_sizes[0])``: a list ``[X, A_1, ..., A_out]``."""
        X = check_matrix("X", X, n_features=self.layer_sizes[0])
        out = [X.astype(self.dtype, copy=False)]
        for W, b, activation in self._layers:
            Z = np.matmul(out[-1], W)
            Z += b
            out.append(activation.forward(Z, out=Z))
        return out

    def forward(self, X: npt.ArrayLike) -> FloatArray:
        """Output-layer activations ``(n_samples, layer_sizes[-1])`` for ``X (n_samples, n_features)``."""
        return self.layer_activations(X)[-1]

    def predict(self, X: npt.ArrayLike) -> npt.NDArray[Any]:
        """Class labels ``(n_samples,)`` for sigmoid, tanh and softmax outputs; values for a linear
        output (``(n_samples,)`` with one output, else ``(n_samples, k)``)."""
        A = self.forward(X)
        if self.output == "linear":
            return A[:, 0] if A.shape[1] == 1 else A
        return decode_labels(A, self.output)

    # --- training: the two passes of one step, into a Workspace (the Trainer checks the arguments) ---
    def forward_into(
        self,
        ws: Workspace,
        X: FloatArray,
        *,
        dropout: float = 0.0,
        rng: np.random.Generator | None = None,
    ) -> FloatArray:
        """Forward pass of ``X (n, layer_sizes[0])`` into ``ws``, a ``Workspace(self, n)``;
        inverted dropout on the hidden layers if ``dropout > 0`` (masks drawn from ``rng``).

        Returns the output activations ``ws.A[-1] (n, layer_sizes[-1])``; ``ws.Z``, ``ws.A`` and
        ``ws.inputs`` hold every layer's, for ``backward_into``.

        Products use ``np.matmul``, not ``np.dot``: ``np.dot`` lets go of Python's interpreter lock
        on every call, however small, and on a server where many sessions train at once each
        training step then waits for the other threads (measured: an epoch took 235 ms instead of
        0.33 ms beside three busy threads; 24 ms with matmul, which is 15 % slower alone)."""
        inputs, last = X, len(ws.layers) - 1
        for i, (W, b, activation, Z, A) in enumerate(ws.layers):
            ws.inputs[i] = inputs
            np.matmul(inputs, W, out=Z)
            np.add(Z, b, out=Z)
            inputs = activation.forward(Z, out=A)
            if dropout and i < last:
                masks, dropped = ws.dropout_buffers()
                inputs = inverted_dropout(inputs, dropout, rng, mask=masks[i], out=dropped[i])
        return inputs

    def backward_into(
        self,
        ws: Workspace,
        dZ: FloatArray,
        dW: list[FloatArray],
        db: list[FloatArray],
        *,
        dropout: float = 0.0,
    ) -> None:
        """Backpropagate the output gradient ``dZ (n, layer_sizes[-1])`` through the forward pass held in
        ``ws``, into ``dW`` and ``db`` (lists like ``weights`` and ``biases``; views of one flat gradient
        vector, see ``MLP.split``). ``dropout``: the rate the forward pass used (its masks are in ``ws``).
        The weights are read through ``ws.layers``, views of this model's."""
        for i in range(len(ws.layers) - 1, 0, -1):
            np.matmul(ws.inputs[i].T, dZ, out=dW[i])
            np.matmul(ws.ones, dZ, out=db[i])  # the sum of dZ over samples
            dA = np.matmul(dZ, ws.layers[i][0].T, out=ws.dA[i - 1])
            if dropout and ws.masks is not None:
                np.multiply(dA, ws.masks[i - 1], out=dA)  # dropped units pass no gradient back
            _, _, hidden, Z, A = ws.layers[i - 1]
            dZ = hidden.backward(dA, Z, A, out=ws.dZ[i - 1])
        np.matmul(ws.inputs[0].T, dZ, out=dW[0])
        np.matmul(ws.ones, dZ, out=db[0])

    # --- the loss and its gradient, for notebooks and gradient checks -----------------------
    def loss_and_gradients(
        self, X: npt.ArrayLike, y: npt.ArrayLike, *, loss: str, l1: float = 0.0, l2: float = 0.0
    ) -> tuple[float, list[FloatArray], list[FloatArray]]:
        """Loss (data loss + penalty) and its gradients with respect to every weight and bias.

        Parameters
        ----------
        X : (n_samples, layer_sizes[0]); y : labels or targets (see ``losses.encode_targets``).
        loss : a key of ``LOSSES`` valid for this output; l1, l2 : penalty rates >= 0.

        Returns
        -------
        (loss: float, dW: list like ``weights``, db: list like ``biases``); fresh arrays.
        """
        the_loss = self.check_loss(loss)
        l1, l2 = check_float("l1", l1), check_float("l2", l2)
        X, Y = self.check_data(X, y)
        value, grad = self.loss_and_flat_gradient(X, Y, the_loss, l1=l1, l2=l2)
        dW, db = self.split(grad)
        return value, list(dW), list(db)

    def loss_and_flat_gradient(
        self, X: FloatArray, Y: FloatArray, the_loss: Loss, *, l1: float = 0.0, l2: float = 0.0
    ) -> tuple[float, FloatArray]:
        """``loss_and_gradients`` without the checks, on checked ``X`` and target matrix ``Y``, with
        a ``Loss`` object: (loss, gradient as one flat vector like ``params``)."""
        ws = Workspace(self, len(X))
        A = self.forward_into(ws, X)
        value = the_loss.value(A, ws.Z[-1], Y) + penalty(self.params[: self.n_weights], l1=l1, l2=l2)
        grad = np.zeros_like(self.params)  # zeros: np.matmul writes into it (see Workspace)
        dZ = the_loss.gradient(A, ws.Z[-1], Y, OUTPUTS[self.output], out=ws.dZ[-1])
        self.backward_into(ws, dZ, *self.split(grad))
        add_penalty_gradient(self.params[: self.n_weights], grad[: self.n_weights], l1=l1, l2=l2)
        return value, grad

    def check_loss(self, loss: str) -> Loss:
        """The ``Loss`` named ``loss``, if it is defined for this model's output."""
        the_loss = LOSSES[check_choice("loss", loss, LOSSES)]
        if self.output not in the_loss.outputs:
            raise ValueError(
                f"loss={loss!r} needs output in {list(the_loss.outputs)}; got output={self.output!r}"
            )
        return the_loss

    def check_data(
        self, X: npt.ArrayLike, y: npt.ArrayLike, *, names: tuple[str, str] = ("X", "y")
    ) -> tuple[FloatArray, FloatArray]:
        """Validate ``X`` and ``y``; return ``X`` in the model dtype and the target matrix ``Y``."""
        X = check_matrix(names[0], X, n_features=self.layer_sizes[0])
        y = np.asarray(y)
        if y.shape[:1] != X.shape[:1]:
            raise ValueError(f"{names[1]} must have {X.shape[0]} rows like {names[0]}; got shape {y.shape}")
        if not is_classification(y) and not np.issubdtype(y.dtype, np.floating):
            raise ValueError(f"{names[1]} must hold int labels or float targets; got dtype {y.dtype}")
        Y = encode_targets(y, output=self.output, n_outputs=self.layer_sizes[-1], dtype=self.dtype)
        return np.ascontiguousarray(X, dtype=self.dtype), Y

    def __repr__(self) -> str:
        return (
            f"MLP({self.layer_sizes}, activation={self.activation!r}, output={self.output!r}, "
            f"init={self.init!r}, bias_init={self.bias_init!r}, dtype=np.{np.dtype(self.dtype).name})"
        )
