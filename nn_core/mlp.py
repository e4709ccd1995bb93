"""The multilayer perceptron: forward pass, backpropagation and the loss gradient.

Layer ``i`` (0-based) maps its input ``A_prev (n, fan_in)`` to
``Z = A_prev @ W[i] + b[i]`` and ``A = g(Z)``, with ``g`` the hidden activation, or the output
activation for the last layer. Backpropagation runs the same layers in reverse:

    dW[i] = A_prev.T @ dZ          db[i] = sum of dZ over samples
    dA_prev = dZ @ W[i].T          dZ_prev = g'(Z_prev) * dA_prev   (the activation's backward)

starting from ``dZ`` of the output layer, which the loss provides (see ``losses``).

Speed without magic: all parameters live in one flat vector (``params``), every weight first, then
every bias; ``weights[i]`` and ``biases[i]`` are views into it. An optimizer then updates a whole
network in a few NumPy calls, and ``params[:n_weights]`` is what L1/L2 penalize. Training reuses
preallocated arrays (a ``Workspace`` per batch size) through NumPy's ``out=`` arguments.
"""

import numpy as np

from nn_core._checks import as_rng, check_choice, check_float, check_int, check_matrix
from nn_core.activations import ACTIVATIONS, OUTPUTS
from nn_core.initializers import INITIALIZERS
from nn_core.losses import LOSSES, decode_labels, encode_targets, is_classification
from nn_core.regularization import add_penalty_gradient, penalty

DTYPES = (np.float32, np.float64)


class ParameterList(list):
    """Views into ``MLP.params``. ``model.weights[0] = W`` copies ``W`` into the view (shape checked),
    so the flat vector, the views and the optimizer keep sharing one block of memory."""

    def __init__(self, views, name):
        super().__init__(views)
        self.name = name

    def __setitem__(self, i, value):
        value = np.asarray(value)
        if value.shape != self[i].shape:
            raise ValueError(f"{self.name}[{i}] must have shape {self[i].shape}; got {value.shape}")
        if not np.all(np.isfinite(value)):
            raise ValueError(
                f"{self.name}[{i}] must be finite; got {np.count_nonzero(~np.isfinite(value))} NaN/inf"
            )
        self[i][...] = value


class Workspace:
    """Preallocated arrays for one batch of ``n`` samples through ``model``.

    ``Z[i]``, ``A[i]``: layer i's pre-activations and activations (n, layer_sizes[i + 1]);
    ``inputs[i]``: what layer i read (X, or the previous A after dropout); ``dA``/``dZ``: their
    gradients; ``X``, ``Y``: room to copy a mini-batch into; ``masks``: dropout masks (lazy).
    ``layers`` zips each layer's parameters with its buffers once, so the hot loops only unpack.
    """

    def __init__(self, model, n):
        sizes, dtype = model.layer_sizes, model.dtype
        outs = sizes[1:]
        # Zeros, not np.empty: BLAS may read an ``out`` buffer before overwriting it (beta * C with
        # beta = 0), and uninitialised memory can hold NaN bit patterns, which raise a spurious
        # "invalid value" warning that depends on what the process did before.
        self.X = np.zeros((n, sizes[0]), dtype)
        self.Y = np.zeros((n, sizes[-1]), dtype)
        self.Z = [np.zeros((n, k), dtype) for k in outs]
        self.A = [np.zeros((n, k), dtype) for k in outs]
        self.dZ = [np.zeros((n, k), dtype) for k in outs]
        self.dA = [np.zeros((n, k), dtype) for k in outs]
        self.inputs = [None] * len(outs)
        self.ones = np.ones(n, dtype)  # db = ones @ dZ: BLAS sums the rows 2-6x faster than add.reduce
        self.masks = None  # one per hidden layer once dropout is used
        self.dropped = None
        self.fresh = False  # True while Z/A hold the forward pass of the current params on X
        self.layers = [
            (W, b, activation, Z, A) for (W, b, activation), Z, A in zip(model._layers, self.Z, self.A)
        ]


class MLP:
    """A fully connected network ``layer_sizes[0] -> hidden layers -> layer_sizes[-1]``.

    Parameters
    ----------
    layer_sizes : sequence of int >= 1, length >= 2 (inputs, hidden..., outputs); 0 hidden layers is
        logistic/linear regression.
    activation : hidden activation, a key of ``ACTIVATIONS``.
    output : output activation, a key of ``OUTPUTS`` (softmax needs >= 2 outputs).
    init : a key of ``INITIALIZERS``.
    dtype : np.float32 (fast, the default) or np.float64 (gradient checks).
    rng : seed or ``np.random.Generator`` for the initial weights.

    Attributes
    ----------
    weights : list, ``weights[i].shape == (layer_sizes[i], layer_sizes[i + 1])``
    biases : list, ``biases[i].shape == (layer_sizes[i + 1],)``
    params : the flat vector behind both; ``n_weights`` of its entries are weights.
    """

    def __init__(
        self, layer_sizes, *, activation="tanh", output="sigmoid", init="xavier", dtype=np.float32, rng=None
    ):
        self.layer_sizes = _check_layer_sizes(layer_sizes)
        self.activation = check_choice("activation", activation, ACTIVATIONS)
        self.output = check_choice("output", output, OUTPUTS)
        self.init = check_choice("init", init, INITIALIZERS)
        if output == "softmax" and self.layer_sizes[-1] < 2:
            raise ValueError(f"output='softmax' needs >= 2 output units; got layer_sizes={self.layer_sizes}")
        if np.dtype(dtype) not in [np.dtype(d) for d in DTYPES]:
            raise ValueError(f"dtype must be np.float32 or np.float64; got {dtype!r}")
        self.dtype = np.dtype(dtype).type
        shapes = list(zip(self.layer_sizes[:-1], self.layer_sizes[1:]))
        self.n_weights = sum(a * b for a, b in shapes)
        self.params = np.zeros(self.n_weights + sum(self.layer_sizes[1:]), self.dtype)
        self._weights, self._biases = self.split(self.params)
        rng = as_rng(rng)
        for W, b, (fan_in, fan_out) in zip(self._weights, self._biases, shapes):
            W[...], b[...] = INITIALIZERS[init](fan_in, fan_out, rng)
        # (W, b, activation) per layer, looked up once: the training loop runs over this list.
        activations = [ACTIVATIONS[activation]] * (self.n_layers - 1) + [OUTPUTS[output]]
        self._layers = list(zip(self._weights, self._biases, activations))

    # --- parameters -------------------------------------------------------------------------
    @property
    def weights(self):
        return self._weights

    @weights.setter
    def weights(self, values):
        self._assign(self._weights, values)

    @property
    def biases(self):
        return self._biases

    @biases.setter
    def biases(self, values):
        self._assign(self._biases, values)

    def _assign(self, views, values):
        if len(values) != len(views):
            raise ValueError(f"{views.name} must be a list of {len(views)} arrays; got {len(values)}")
        for i, value in enumerate(values):
            views[i] = value

    def split(self, flat):
        """Views of a flat vector shaped like ``params`` as (weight matrices, bias vectors)."""
        if not isinstance(flat, np.ndarray) or flat.shape != self.params.shape:
            raise ValueError(f"flat must be an array of shape {self.params.shape}; got {np.shape(flat)}")
        weights, biases, start = [], [], self.n_weights
        offset = 0
        for a, b in zip(self.layer_sizes[:-1], self.layer_sizes[1:]):
            weights.append(flat[offset : offset + a * b].reshape(a, b))
            biases.append(flat[start : start + b])
            offset, start = offset + a * b, start + b
        return ParameterList(weights, "weights"), ParameterList(biases, "biases")

    def copy(self, *, dtype=None):
        """An independent copy: the same architecture and weights, its own ``params``; in ``dtype``
        if given (``np.float64`` for a gradient check), else in this model's dtype."""
        clone = MLP(
            self.layer_sizes,
            activation=self.activation,
            output=self.output,
            init="zeros",
            dtype=self.dtype if dtype is None else dtype,
        )
        clone.init = self.init
        clone.params[...] = self.params
        return clone

    @property
    def n_layers(self):
        """Number of weight layers (hidden layers + 1)."""
        return len(self.layer_sizes) - 1

    # --- inference --------------------------------------------------------------------------
    def layer_activations(self, X):
        """Every layer's activations for ``X (n, layer_sizes[0])``: a list ``[X, A_1, ..., A_out]``."""
        X = check_matrix("X", X, n_features=self.layer_sizes[0])
        out = [X.astype(self.dtype, copy=False)]
        for W, b, activation in self._layers:
            Z = np.matmul(out[-1], W)
            Z += b
            out.append(activation.forward(Z, out=Z))
        return out

    def forward(self, X):
        """Output-layer activations ``(n_samples, layer_sizes[-1])`` for ``X (n_samples, n_features)``."""
        return self.layer_activations(X)[-1]

    def predict(self, X):
        """Class labels ``(n_samples,)`` for sigmoid, tanh and softmax outputs; values for a linear
        output (``(n_samples,)`` with one output, else ``(n_samples, k)``)."""
        A = self.forward(X)
        if self.output == "linear":
            return A[:, 0] if A.shape[1] == 1 else A
        return decode_labels(A, self.output)

    # --- training internals (preallocated, no checks: the Trainer checks once per call) -----
    def forward_into(self, ws, X, *, dropout=0.0, rng=None):
        """Forward pass of ``X`` into workspace ``ws``; inverted dropout on hidden layers if asked.

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
                inputs = _drop(ws, i, inputs, dropout, rng)
        ws.fresh = False
        return inputs

    def backward_into(self, ws, dZ, dW, db, *, dropout=0.0):
        """Backpropagate the output gradient ``dZ`` through ``ws`` into the lists ``dW`` and ``db``
        (views of one flat gradient vector, see ``split``)."""
        for i in range(len(ws.layers) - 1, 0, -1):
            np.matmul(ws.inputs[i].T, dZ, out=dW[i])
            np.matmul(ws.ones, dZ, out=db[i])  # the sum of dZ over samples
            dA = np.matmul(dZ, ws.layers[i][0].T, out=ws.dA[i - 1])
            if dropout:
                np.multiply(dA, ws.masks[i - 1], out=dA)  # dropped units pass no gradient back
            _, _, hidden, Z, A = ws.layers[i - 1]
            dZ = hidden.backward(dA, Z, A, out=ws.dZ[i - 1])
        np.matmul(ws.inputs[0].T, dZ, out=dW[0])
        np.matmul(ws.ones, dZ, out=db[0])

    # --- the loss and its gradient, for notebooks and gradient checks -----------------------
    def loss_and_gradients(self, X, y, *, loss, l1=0.0, l2=0.0):
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

    def loss_and_flat_gradient(self, X, Y, the_loss, *, l1=0.0, l2=0.0):
        """``loss_and_gradients`` without the checks, on checked ``X`` and target matrix ``Y``, with
        a ``Loss`` object: (loss, gradient as one flat vector like ``params``)."""
        ws = Workspace(self, len(X))
        A = self.forward_into(ws, X)
        value = the_loss.value(A, ws.Z[-1], Y) + penalty(self.params[: self.n_weights], l1=l1, l2=l2)
        grad = np.zeros_like(self.params)  # zeros: np.matmul writes into it (see Workspace)
        dZ = the_loss.gradient(A, ws.Z[-1], Y, OUTPUTS[self.output], out=ws.dZ[-1])
        dW, db = self.split(grad)
        self.backward_into(ws, dZ, dW, db)
        add_penalty_gradient(self.params[: self.n_weights], grad[: self.n_weights], l1=l1, l2=l2)
        return value, grad

    def check_loss(self, loss):
        the_loss = LOSSES[check_choice("loss", loss, LOSSES)]
        if self.output not in the_loss.outputs:
            raise ValueError(
                f"loss={loss!r} needs output in {list(the_loss.outputs)}; got output={self.output!r}"
            )
        return the_loss

    def check_data(self, X, y, *, names=("X", "y")):
        """Validate ``X`` and ``y``; return ``X`` in the model dtype and the target matrix ``Y``."""
        X = check_matrix(names[0], X, n_features=self.layer_sizes[0])
        y = np.asarray(y)
        if y.shape[:1] != X.shape[:1]:
            raise ValueError(f"{names[1]} must have {X.shape[0]} rows like {names[0]}; got shape {y.shape}")
        if not is_classification(y) and not np.issubdtype(y.dtype, np.floating):
            raise ValueError(f"{names[1]} must hold int labels or float targets; got dtype {y.dtype}")
        Y = encode_targets(y, output=self.output, n_outputs=self.layer_sizes[-1], dtype=self.dtype)
        return np.ascontiguousarray(X, dtype=self.dtype), Y

    def __repr__(self):
        return (
            f"MLP({self.layer_sizes}, activation={self.activation!r}, output={self.output!r}, "
            f"init={self.init!r}, dtype=np.{np.dtype(self.dtype).name})"
        )


def _drop(ws, i, A, rate, rng):
    """Inverted dropout: zero each unit with probability ``rate`` and scale survivors by
    1 / (1 - rate), so the expected activation is unchanged and inference needs no rescaling."""
    if ws.masks is None:
        ws.masks = [np.empty_like(a) for a in ws.A[:-1]]
        ws.dropped = [np.empty_like(a) for a in ws.A[:-1]]
    mask = ws.masks[i]
    rng.random(out=mask, dtype=mask.dtype)
    np.greater_equal(mask, rate, out=mask)
    np.multiply(mask, 1.0 / (1.0 - rate), out=mask)
    return np.multiply(A, mask, out=ws.dropped[i])


def _check_layer_sizes(layer_sizes):
    try:
        sizes = list(layer_sizes)
    except TypeError:
        raise ValueError(f"layer_sizes must be a sequence of ints; got {layer_sizes!r}") from None
    if len(sizes) < 2:
        raise ValueError(f"layer_sizes needs an input and an output size; got {layer_sizes!r}")
    try:
        for size in sizes:
            check_int("layer_sizes", size, low=1)
    except ValueError:
        raise ValueError(f"layer_sizes must all be ints >= 1; got {layer_sizes!r}") from None
    return [int(s) for s in sizes]
