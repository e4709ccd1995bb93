"""One user's experiment: the data, the network and its trainer, built from a ``Config``.

No Streamlit here: the page keeps an ``Experiment`` in ``st.session_state`` and calls ``update`` with
the config the controls produced. Changing the data or the architecture builds a new network;
changing a training setting keeps training the same one. ``update`` says which happened.
"""

import copy
import secrets
import time
from typing import NamedTuple

import numpy as np

import nn_core
from nn_core.features import expand_features
from playground.core.catalog import feature_label
from playground.core.config import (
    DATA_FIELDS,
    DRAWN,
    FORMULA,
    HEADS,
    MODEL_FIELDS,
    OWN_DATA,
    TRAINING_FIELDS,
    UPLOAD,
    changed_fields,
)
from playground.core.history import downsample_stride
from playground.core.schedule_stop import schedule_of, stop_rules_of

GRID_SIZE = 100  # the decision boundary is evaluated on GRID_SIZE x GRID_SIZE points ...
GRID_MACS = 8_000  # ... up to this many multiply-adds per point (a larger network gets a coarser grid)
MIN_GRID_SIZE = 40
HISTORY_RECENT = 1_000  # the newest epochs' records are always kept ...
HISTORY_POINTS = 5_000  # ... older ones thinned to at most about this many (see _thin_history)
NEURON_GRID = 20  # each neuron's thumbnail map, NEURON_GRID x NEURON_GRID ...
NEURON_GRID_UNITS = 16  # ... up to this many units in a layer (more: smaller thumbnails, coarser maps)
MIN_NEURON_GRID = 8


class Change(NamedTuple):
    """What ``Experiment.update`` did: ``rebuilt`` a network (epoch 0) or kept training the same one."""

    rebuilt: bool
    message: str


class Experiment:
    """Data + model + trainer for one config; ``update`` moves it to another config."""

    def __init__(self, config, upload=None):
        """``upload``: the user's data (``playground.files.upload.UploadedData``), used when the config's
        dataset is "upload"."""
        self.config = config
        self.upload = upload
        # Tells this experiment's charts from any other's (a new session, a restarted server), and
        # `builds` counts networks built, so the live charts know when to start over.
        self.nonce = secrets.token_hex(4)
        self.builds = 0
        self.data_version = 0  # counts the data's edits by hand (``edit_points``): the charts redraw
        self._build_data()
        self._build_network()

    # --- building ------------------------------------------------------------------------
    def _build_data(self):
        c = self.config
        if c.dataset == DRAWN:
            if self.upload is None:
                raise ValueError("dataset 'drawn' needs the drawn points; got upload=None")
            low, high = self.upload.domain
            self.points, self.domain = self.upload.points(), (float(low), float(high))
            return
        if c.dataset == UPLOAD:
            if self.upload is None:
                raise ValueError("dataset 'upload' needs the uploaded data; got upload=None")
            X, y = self.upload.X, self.upload.y
        elif c.dataset == FORMULA:
            X, y = nn_core.formula_dataset(c.formula, n_samples=c.n_samples, noise=c.noise, rng=c.data_seed)
        else:
            n_classes = c.classes if c.task != "regression" else 2
            X, y = nn_core.make_dataset(
                c.dataset, n_samples=c.n_samples, noise=c.noise, n_classes=n_classes, rng=c.data_seed
            )
        split_rng = np.random.default_rng((c.data_seed, 1))
        test_fraction = 1 - c.train_percent / 100
        spec = nn_core.DATASETS.get(c.dataset)  # None for an upload
        if spec is not None and spec.n_points is not None:
            # a fixed handful (the tutorial's 4 XOR points): train and test on all of them, as it does
            self.points = (X, X, y, y)
        else:
            self.points = nn_core.train_test_split(X, y, test_fraction=test_fraction, rng=split_rng)
        low, high = spec.domain if spec is not None else nn_core.DATASETS["circles"].domain
        self.domain = (low, high)

    def _build_network(self):
        c, head = self.config, HEADS[self.config.head]
        acts = list(c.hidden_activations) or c.activation  # one per hidden layer (equal: the name)
        self.model = nn_core.MLP(
            c.layer_sizes,
            activation=acts,
            output=head.output,
            init=c.init,
            bias_init=c.bias_init,
            rng=c.init_seed,
        )
        self.trainer = nn_core.Trainer(
            self.model, loss=head.loss, rng=np.random.default_rng((c.init_seed, 2))
        )
        self._apply_training_settings()
        X_train, X_test, _, _ = self.points
        self.inputs = (_features(X_train, c.input_features), _features(X_test, c.input_features))
        grid, neuron_grid = grid_sizes(c.layer_sizes)
        self.grid_axis = np.linspace(*self.domain, grid)
        self.neuron_axis = np.linspace(*self.domain, neuron_grid)
        self._plane_inputs = {}  # grid size -> the grid's input features (``_inputs_on``)
        self.train_seconds = self.train_cpu_seconds = 0.0
        # What changed since epoch 0 other than training on (a setting, loaded weights): such a run is
        # not reproducible from its link alone, so a class challenge's board cannot verify it.
        self.changed_midway = ""
        self.builds += 1

    def _apply_training_settings(self):
        c, t = self.config, self.trainer
        t.optimizer, t.learning_rate = c.optimizer, c.learning_rate
        t.batch_size = c.batch_size or None
        t.l1, t.l2, t.dropout = c.l1, c.l2, c.dropout
        t.schedule, t.stop = schedule_of(c), stop_rules_of(c)  # a new one resumes a stopped trainer

    # --- changes ---------------------------------------------------------------------------
    def update(self, config, upload=None):
        """Move to ``config`` (with ``upload``, the user's data, for dataset "upload"). Returns a
        ``Change`` saying what happened, or None if nothing did."""
        old, self.config = self.config, config
        data = changed_fields(old, config, DATA_FIELDS)
        if config.dataset in OWN_DATA and upload is not self.upload:  # another file, other points
            data = data or ["your data"]
        self.upload = upload
        if data:
            self._build_data()
            self._build_network()
            return Change(True, f"New data and a new network ({', '.join(data)} changed).")
        model = changed_fields(old, config, MODEL_FIELDS)
        if model:
            self._build_network()
            return Change(
                True, f"New network ({', '.join(model)} changed): training starts again at epoch 0."
            )
        training = changed_fields(old, config, TRAINING_FIELDS)
        if training:
            self._apply_training_settings()
            if self.epoch > 0:
                self.changed_midway = self.changed_midway or f"{', '.join(training)} at epoch {self.epoch}"
            return Change(
                False,
                f"{', '.join(training)} changed: the same network keeps training from epoch {self.epoch}.",
            )
        return None

    def edit_points(self, config, drawn):
        """Train on ``drawn`` (a ``core.drawn.Drawn``: points edited by hand) from now on, keeping the
        network, its trainer and its history: the next epochs see the new points. ``config`` is the
        config with dataset "drawn" (the first edit turns a generated dataset into a drawn one)."""
        self.config, self.upload = config, drawn
        self._build_data()
        X_train, X_test, _, _ = self.points
        self.inputs = (_features(X_train, config.input_features), _features(X_test, config.input_features))
        self.data_version += 1
        if self.epoch > 0:
            self.changed_midway = self.changed_midway or f"data edited at epoch {self.epoch}"

    def reset(self):
        """Back to epoch 0 with the same initial weights (the init seed is part of the config)."""
        self._build_network()

    # --- training ---------------------------------------------------------------------------
    @property
    def epoch(self):
        return self.trainer.epoch

    @property
    def diverged(self):
        return self.trainer.status == "diverged"

    @property
    def stopped(self):
        """True when the stop rule fired (``trainer.stopped_by`` says why)."""
        return self.trainer.status == "stopped"

    @property
    def finished(self):
        """True when a fixed number of epochs is set and reached, or the stop rule fired."""
        return self.stopped or (bool(self.config.max_epochs) and self.epoch >= self.config.max_epochs)

    def train(self, n_epochs):
        """Train up to ``n_epochs`` more epochs (fewer if the epoch budget or divergence stops it).
        Returns the number of epochs trained."""
        if self.config.max_epochs:
            n_epochs = min(n_epochs, self.config.max_epochs - self.epoch)
        (X_train, X_test), (_, _, y_train, y_test) = self.inputs, self.points
        if n_epochs <= 0 or self.diverged or not len(y_train):
            return 0  # (no points to train on: a drawn set cleared by hand)
        start, cpu_start = time.perf_counter(), time.thread_time()
        test = dict(X_val=X_test, y_val=y_test) if len(y_test) else {}  # every point may be training
        records = self.trainer.train(X_train, y_train, n_epochs, **test)
        self.train_seconds += time.perf_counter() - start
        # CPU time of this thread too: on a busy server, wall time also counts the waits for the
        # other sessions' threads (one interpreter lock), which says nothing about this network.
        self.train_cpu_seconds += time.thread_time() - cpu_start
        self._thin_history()
        return len(records)

    def __getstate__(self):
        """What a copy or a pickle keeps: everything but the grid inputs, a cache made again on use
        (160 KB for the 100x100 grid, which would travel to a worker and back with every tick)."""
        return {k: v for k, v in self.__dict__.items() if k != "_plane_inputs"}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._plane_inputs = {}

    def travelling_copy(self):
        """A copy to train elsewhere (a worker process, ``playground.live.training``): the data, the
        network and its trainer, without the history and the upload, which stay here. It pickles to a
        few KB. Trained, it comes back through ``take_training_from``."""
        twin = copy.copy(self)  # (without the grid inputs: see __getstate__)
        twin.upload = None
        twin.trainer = copy.copy(self.trainer)
        twin.trainer.history = []
        return twin

    def take_training_from(self, twin):
        """Adopt what ``twin`` (a travelling copy, trained elsewhere) learned: its network, trainer
        state (optimizer moments, random state, epoch, status) and new history records."""
        history = self.trainer.history + twin.trainer.history
        self.model, self.trainer = twin.model, twin.trainer
        self.trainer.history = history
        self.train_seconds, self.train_cpu_seconds = twin.train_seconds, twin.train_cpu_seconds
        self._thin_history()

    def _thin_history(self):
        """Bound what a long run keeps in memory: a record costs ~1.4 KB with 3 classes (~370 bytes
        before nn_core.metrics' confusion matrices), so an hour at 750 epochs a second would hold
        3.8 GB; kept here, ~17 MB. Keep the newest HISTORY_RECENT records, and of the older
        ones those whose epoch is a multiple of a power of two, at most about HISTORY_POINTS. The live
        loss chart keeps multiples of a coarser power of two (at most MAX_LIVE_POINTS), so it loses
        nothing; the exported history says which epochs it holds."""
        history = self.trainer.history
        if len(history) <= 2 * (HISTORY_POINTS + HISTORY_RECENT):
            return
        old, recent = history[:-HISTORY_RECENT], history[-HISTORY_RECENT:]
        stride = downsample_stride(old[-1]["epoch"], max_points=HISTORY_POINTS)
        history[:] = [r for r in old if r["epoch"] % stride == 0] + recent

    def metrics(self):
        """The numbers on screen: the last epoch's record, or at epoch 0 the initial weights' scores."""
        if self.trainer.history:
            return self.trainer.history[-1]
        (X_train, X_test), (_, _, y_train, y_test) = self.inputs, self.points
        none = (None, None)  # a set without points (drawn by hand) has no scores
        train_loss, train_accuracy = self.trainer.evaluate(X_train, y_train) if len(y_train) else none
        val_loss, val_accuracy = self.trainer.evaluate(X_test, y_test) if len(y_test) else none
        record = {
            "epoch": 0,
            "train_loss": train_loss,
            "val_loss": val_loss,
            "train_accuracy": train_accuracy,
            "val_accuracy": val_accuracy,
            "learning_rate": self.trainer.schedule.rate(1, self.trainer.learning_rate),  # epoch 1's
        }
        return {k: (v if v is None or np.isfinite(v) else None) for k, v in record.items()}

    def seconds_per_epoch(self):
        """Average training time (wall clock) per epoch so far (0 before any epoch)."""
        return self.train_seconds / self.epoch if self.epoch else 0.0

    def cpu_seconds_per_epoch(self):
        """Average training CPU time per epoch so far (0 before any epoch): used to size a tick."""
        return self.train_cpu_seconds / self.epoch if self.epoch else 0.0

    # --- what the figures show --------------------------------------------------------------
    def boundary_values(self):
        """The model over the grid, as the boundary figure wants it: P(class 1) (ny, nx) for binary,
        class probabilities (ny, nx, k) for multi-class, predicted values (ny, nx) for regression."""
        A = self._outputs_on(self.grid_axis)
        n = len(self.grid_axis)
        task, output = self.config.task, self.model.output
        if output == "tanh":  # -1..1 -> 0..1 for classification shading
            A = A if task == "regression" else (A + 1) / 2
        if task == "multiclass":
            P = np.clip(A, 1e-9, None) if output == "softmax" else np.clip(A, 1e-6, 1.0)
            return (P / P.sum(axis=1, keepdims=True)).reshape(n, n, -1)
        column = A[:, 1] if output == "softmax" else A[:, 0]
        return column.reshape(n, n)

    def neuron_maps(self):
        """Every unit's output over a coarse grid: one (units, r, r) array per layer, inputs first."""
        layers = self.model.layer_activations(self._inputs_on(self.neuron_axis))
        r = len(self.neuron_axis)
        return [A.T.reshape(-1, r, r) for A in layers]

    def neuron_centers(self):
        """Per layer, the value a neuron map shows as neutral: 0.5 for units squashed into [0, 1]
        (sigmoid, softmax), else 0."""
        acts = [*self.config.hidden_activations, self.model.output]
        return [0.0] + [0.5 if a in ("sigmoid", "softmax") else 0.0 for a in acts]

    def feature_names(self):
        return [feature_label(name) for name in self.config.input_features]

    def class_names(self):
        """What class k is called: an uploaded file's own names (its words, or scikit-learn's header),
        else () and the charts say "class k"."""
        if self.config.dataset == UPLOAD and self.upload is not None:
            return tuple(getattr(self.upload, "class_names", ()))  # (a stand-in may have none)
        return ()

    def _outputs_on(self, axis):
        with np.errstate(all="ignore"):  # huge but finite weights may saturate; figures clip
            return self.model.forward(self._inputs_on(axis))

    def _inputs_on(self, axis):
        """The input features of every point of the square grid on ``axis`` (made once per network:
        a tick snapshots the model up to 30 times)."""
        if len(axis) not in self._plane_inputs:
            self._plane_inputs[len(axis)] = expand_features(_grid_points(axis), self.config.input_features)
        return self._plane_inputs[len(axis)]


def grid_sizes(layer_sizes):
    """(boundary grid side, neuron map side) for a network of ``layer_sizes``. A picture of the
    boundary is a forward pass over every grid point: past GRID_MACS multiply-adds per point the grid
    gets coarser, so one picture costs about the same on any network (8 x 64 units: 53 x 53 instead of
    100 x 100, ~4 ms) and the live view can show as many a second. Neuron maps shrink with the widest
    layer: 64 units leave each thumbnail a few pixels tall, and 20 x 20 values would be wasted."""
    macs = sum(a * b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))
    grid = GRID_SIZE if macs <= GRID_MACS else max(MIN_GRID_SIZE, int(GRID_SIZE * (GRID_MACS / macs) ** 0.5))
    widest = max(layer_sizes)
    neuron_grid = (
        NEURON_GRID
        if widest <= NEURON_GRID_UNITS
        else max(MIN_NEURON_GRID, NEURON_GRID * NEURON_GRID_UNITS // widest)
    )
    return grid, neuron_grid


def _features(X, names):
    """The network's inputs for the points ``X`` (n, 2): their features (none for no points, as a set
    drawn by hand and cleared has)."""
    return expand_features(X, names) if len(X) else np.zeros((0, len(names)))


def _grid_points(axis):
    """All (x1, x2) pairs of a square grid, row-major with x2 (rows) outer: (len(axis)**2, 2)."""
    x1, x2 = np.meshgrid(axis, axis)
    return np.column_stack([x1.ravel(), x2.ravel()])
