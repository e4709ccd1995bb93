"""The engine benchmark's peers: nn_core, PyTorch (eager) and scikit-learn (``MLPClassifier``) behind
one interface: ``train(k epochs)``, ``predict(grid)``, ``loss_now()``, ``final_weights()``.

torch and scikit-learn are optional: a peer that cannot be imported is skipped, with a line in ``NOTES``
(printed under the table and stored in the JSON; ``bench_engine.py`` adds its own). Importing this
module imports them, pinned to one thread: ``bench_engine.py`` sets the thread variables first.
"""

import numpy as np
from engine_workloads import glorot_weights, make_data

import nn_core

NOTES = []  # printed under the table and stored in the JSON


def _optional_imports():
    """Import the peers that are available; remember a note for each one that is not."""
    peers = {}
    try:
        import torch

        torch.set_num_threads(1)
        try:
            torch.set_num_interop_threads(1)
        except RuntimeError:  # only allowed before any inter-op work has started
            pass
        peers["torch"] = torch
    except ImportError as error:
        NOTES.append(f"torch not importable ({error}); its column is skipped.")
    try:
        from sklearn.neural_network import MLPClassifier

        peers["sklearn"] = MLPClassifier
    except ImportError as error:
        NOTES.append(f"scikit-learn not importable ({error}); its column is skipped.")
    try:
        from threadpoolctl import threadpool_info, threadpool_limits

        peers["threadpool_limiter"] = threadpool_limits(limits=1)  # kept alive for the whole run
        peers["threadpool_info"] = threadpool_info
    except ImportError:
        NOTES.append("threadpoolctl not importable; relying on the *_NUM_THREADS variables only.")
    return peers


PEERS = _optional_imports()
torch = PEERS.get("torch")
MLPClassifier = PEERS.get("sklearn")


# --- peers: same interface: train(k epochs), predict(grid), final_weights() ----------------------
class NnCorePeer:
    """nn_core ``MLP`` + ``Trainer`` in float32 or float64."""

    def __init__(self, wl, data, init, dtype=np.float32):
        self.X, self.y = data
        self.model = nn_core.MLP(wl.sizes, activation=wl.activation, output=wl.output, dtype=dtype)
        for i, (W, b) in enumerate(zip(*init)):
            self.model.weights[i], self.model.biases[i] = W, b
        self.trainer = nn_core.Trainer(
            self.model,
            loss=wl.loss,
            optimizer=wl.optimizer,
            learning_rate=wl.learning_rate,
            batch_size=wl.batch_size,
            rng=wl.seed,
        )

    def train(self, n_epochs):
        """Run ``n_epochs`` epochs in one ``Trainer.train`` call; return the last train loss."""
        records = self.trainer.train(self.X, self.y, n_epochs)
        if len(records) != n_epochs:
            raise RuntimeError(f"nn_core diverged at epoch {self.trainer.diverged_epoch}")
        self.trainer.history.clear()  # keep memory flat over hundreds of thousands of epochs
        return records[-1]["train_loss"]

    def predict(self, G):
        return self.model.forward(G)

    def loss_now(self):
        """The training loss of the current weights, in the model dtype."""
        return self.trainer.evaluate(self.X, self.y)[0]

    def final_weights(self):
        return list(self.model.weights), list(self.model.biases)


class TorchPeer:
    """PyTorch eager, float32: ``nn.Sequential`` of ``Linear`` + activation; losses on logits where
    torch has the fused form (BCEWithLogits, CrossEntropy), a Sigmoid output layer for MSE."""

    ACTIVATIONS = {"sigmoid": "Sigmoid", "tanh": "Tanh", "relu": "ReLU"}

    def __init__(self, wl, data, init):
        torch.manual_seed(wl.seed)
        nn = torch.nn
        layers = []
        for i, (W, b) in enumerate(zip(*init)):
            linear = nn.Linear(*W.shape)
            linear.weight.data = torch.tensor(W.T, dtype=torch.float32)
            linear.bias.data = torch.tensor(b, dtype=torch.float32)
            layers.append(linear)
            if i < len(init[0]) - 1:
                layers.append(getattr(nn, self.ACTIVATIONS[wl.activation])())
        if wl.loss == "mse":
            layers.append(nn.Sigmoid())
            self.loss_fn, self.probabilities = nn.MSELoss(), None
        elif wl.loss == "bce":
            self.loss_fn, self.probabilities = nn.BCEWithLogitsLoss(), torch.sigmoid
        else:
            self.loss_fn, self.probabilities = nn.CrossEntropyLoss(), lambda z: torch.softmax(z, dim=1)
        self.model = nn.Sequential(*layers)
        optimizer = torch.optim.Adam if wl.optimizer == "adam" else torch.optim.SGD
        self.optimizer = optimizer(self.model.parameters(), lr=wl.learning_rate)
        X, y = data
        self.X = torch.tensor(X, dtype=torch.float32)
        self.Y = torch.tensor(y, dtype=torch.long if wl.loss == "cross_entropy" else torch.float32)
        if wl.loss != "cross_entropy":
            self.Y = self.Y.reshape(-1, 1)
        self.batch_size = wl.batch_size

    def _step(self, X, Y):
        self.optimizer.zero_grad()
        loss = self.loss_fn(self.model(X), Y)
        loss.backward()
        self.optimizer.step()
        return loss

    def _epoch(self):
        if self.batch_size is None:
            return self._step(self.X, self.Y).item()
        order = torch.randperm(len(self.X))
        for start in range(0, len(self.X), self.batch_size):
            rows = order[start : start + self.batch_size]
            loss = self._step(self.X[rows], self.Y[rows])
        return loss.item()

    def train(self, n_epochs):
        for _ in range(n_epochs):
            loss = self._epoch()
        return loss

    def grid_input(self, G):
        return torch.tensor(G, dtype=torch.float32)

    def predict(self, G):
        with torch.no_grad():
            return self.probabilities(self.model(G))

    def loss_now(self):
        """The training loss of the current weights (float32)."""
        with torch.no_grad():
            return self.loss_fn(self.model(self.X), self.Y).item()

    def final_weights(self):
        linears = [m for m in self.model if isinstance(m, torch.nn.Linear)]
        return [m.weight.detach().numpy().T for m in linears], [m.bias.detach().numpy() for m in linears]


class SklearnPeer:
    """scikit-learn ``MLPClassifier``, one ``partial_fit`` per epoch (float64 data)."""

    ACTIVATIONS = {"sigmoid": "logistic", "tanh": "tanh", "relu": "relu"}

    def __init__(self, wl, data, init):
        self.X, self.y = data
        self.clf = MLPClassifier(
            hidden_layer_sizes=wl.sizes[1:-1],
            activation=self.ACTIVATIONS[wl.activation],
            solver="adam" if wl.optimizer == "adam" else "sgd",
            alpha=0.0,
            batch_size=wl.batch_size or len(self.X),
            learning_rate="constant",
            learning_rate_init=wl.learning_rate,
            momentum=0.0,
            nesterovs_momentum=False,
            shuffle=True,
            random_state=wl.seed,
            tol=0.0,
            n_iter_no_change=10**9,
        )
        self.clf.partial_fit(self.X, self.y, classes=np.unique(self.y))  # builds coefs_ and its state
        self.clf.coefs_ = [np.array(W, dtype=np.float64) for W in init[0]]
        self.clf.intercepts_ = [np.array(b, dtype=np.float64) for b in init[1]]
        del self.clf._optimizer  # the next partial_fit starts a fresh optimizer on the common weights

    def train(self, n_epochs):
        for _ in range(n_epochs):
            self.clf.partial_fit(self.X, self.y)
        return self.clf.loss_

    def predict(self, G):
        return self.clf.predict_proba(G)

    def loss_now(self):
        """None: sklearn's ``loss_`` is accumulated during the pass, before the last update."""
        return None

    def final_weights(self):
        return self.clf.coefs_, self.clf.intercepts_


def make_peers(wl, *, f64=False):
    """{peer name: peer} for workload ``wl``, all built from the same data and initial weights."""
    data, init = make_data(wl), glorot_weights(wl.sizes, wl.seed)
    peers = {"nn_core f32": NnCorePeer(wl, data, init)}
    if f64:
        peers["nn_core f64"] = NnCorePeer(wl, data, init, dtype=np.float64)
    if torch is not None:
        peers["torch"] = TorchPeer(wl, data, init)
    if MLPClassifier is not None:
        peers["sklearn"] = SklearnPeer(wl, data, init)
    return peers
