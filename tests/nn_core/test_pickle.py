"""Pickling a Trainer (and its MLP) for a worker process: the round trip continues training bit for
bit, the views alias the flat vectors again, and the bytes are the parameters, the optimizer state
and the history, not the workspaces."""

import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest

import nn_core

OPTIMIZERS = sorted(nn_core.OPTIMIZERS)
# (batch_size, dropout, l1, l2): full batch, mini-batches, dropout, penalties.
SETTINGS = [(None, 0.0, 0.0, 0.0), (16, 0.0, 0.0, 0.0), (None, 0.3, 0.0, 0.0), (16, 0.3, 1e-3, 1e-2)]


def _data():
    X, y = nn_core.make_dataset("spiral", n_samples=90, noise=0.1, n_classes=3, rng=0)
    return X[:60], y[:60], X[60:], y[60:]


def _trainer(optimizer, batch_size=None, dropout=0.0, l1=0.0, l2=0.0, dtype=np.float32):
    model = nn_core.MLP([2, 8, 8, 3], activation="relu", output="softmax", init="he", dtype=dtype, rng=1)
    return nn_core.Trainer(
        model,
        loss="cross_entropy",
        optimizer=optimizer,
        learning_rate=0.05,
        batch_size=batch_size,
        l1=l1,
        l2=l2,
        dropout=dropout,
        rng=2,
    )


def _round_trip(obj):
    return pickle.loads(pickle.dumps(obj))


def _assert_same_state(a, b):
    np.testing.assert_array_equal(a.model.params, b.model.params)
    assert a.history == b.history
    assert (a.epoch, a.status, a.diverged_epoch) == (b.epoch, b.status, b.diverged_epoch)
    assert a.rng.bit_generator.state == b.rng.bit_generator.state
    for name in ("velocity", "square_avg", "m", "v", "t"):
        mine, theirs = getattr(a._optimizer, name, None), getattr(b._optimizer, name, None)
        assert (mine is None) == (theirs is None), name
        if mine is not None:
            np.testing.assert_array_equal(mine, theirs)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("batch_size, dropout, l1, l2", SETTINGS)
def test_pickled_trainer_continues_bit_for_bit_like_the_original(
    optimizer, batch_size, dropout, l1, l2, dtype
):
    """Train, pickle, then train the original and the copy alike: same weights, history, state."""
    X, y, X_val, y_val = _data()
    original = _trainer(optimizer, batch_size, dropout, l1, l2, dtype)
    original.train(X, y, 4, X_val=X_val, y_val=y_val)
    twin = _round_trip(original)
    _assert_same_state(original, twin)
    for trainer in (original, twin):
        trainer.train(X, y, 5, X_val=X_val, y_val=y_val)
        trainer.learning_rate = 0.02
        trainer.train(X, y, 3)
    _assert_same_state(original, twin)


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_pickled_diverged_trainer_waits_and_resumes_like_the_original(optimizer):
    """A diverged trainer pickles as diverged: train() does nothing, then a smaller rate resumes alike."""
    X, y = nn_core.make_dataset("plane", n_samples=50, rng=0)
    model = nn_core.MLP([2, 16, 1], activation="relu", output="linear", rng=0)
    huge = 1e20 if optimizer in ("adam", "rmsprop") else 10.0  # their steps are ~lr whatever the gradient
    original = nn_core.Trainer(
        model, loss="mse", optimizer=optimizer, learning_rate=huge, batch_size=16, rng=0
    )
    original.train(X, y * 10, 200)
    assert original.status == "diverged"
    twin = _round_trip(original)
    _assert_same_state(original, twin)
    for trainer in (original, twin):
        assert trainer.train(X, y, 3) == []
        trainer.learning_rate = 1e-4
        trainer.train(X, y, 4)
    assert twin.status == "ok"
    _assert_same_state(original, twin)


def test_unpickled_views_alias_the_flat_vectors():
    """After loading, weights/biases are views of params, _dW/_db of the gradient, and the layer list
    reads the same memory: editing a view edits params, and training moves the views."""
    X, y, _, _ = _data()
    trainer = _round_trip(_trainer("adam"))
    model = trainer.model
    for views, flat in ((model.weights, model.params), (model.biases, model.params)):
        assert all(np.shares_memory(v, flat) for v in views)
    assert all(np.shares_memory(v, trainer._grad) for v in [*trainer._dW, *trainer._db])
    assert all(W is w and b is bb for (W, b, _), w, bb in zip(model._layers, model.weights, model.biases))
    model.weights[0] = np.full_like(model.weights[0], 0.5)
    assert np.all(model.params[: model.weights[0].size] == 0.5)
    before = model.weights[1].copy()
    trainer.train(X, y, 1)
    assert not np.array_equal(before, model.weights[1])


def test_pickled_size_is_parameters_state_and_history_not_workspaces():
    """A trained Adam trainer with many workspaces pickles to about params + m + v + history: the
    gradient, the last good weights, Adam's scratch vector and the workspaces stay behind."""
    X, y = nn_core.make_dataset("spiral", n_samples=3000, noise=0.1, n_classes=3, rng=0)
    model = nn_core.MLP([2, 64, 64, 3], activation="relu", output="softmax", rng=0)
    trainer = nn_core.Trainer(model, loss="cross_entropy", optimizer="adam", batch_size=64, rng=0)
    trainer.train(X, y, 3, X_val=X[:500], y_val=y[:500])
    trainer.evaluate(X[:1000], y[:1000])
    n_records = len(trainer.history)
    workspace_bytes = sum(
        a.nbytes for ws in trainer._workspaces.values() for a in ws.Z + ws.A + ws.dZ + ws.dA
    )
    size = len(pickle.dumps(trainer))
    bound = 3 * model.params.nbytes + 200 * n_records + 4096
    assert size <= bound, (size, bound)
    assert workspace_bytes > bound  # so the bound would catch workspaces that slipped in


def test_pickled_mlp_predicts_alike_and_keeps_its_settings():
    """An MLP alone round-trips: same repr, dtype, params and predictions; its own memory."""
    model = nn_core.MLP([2, 5, 3], activation="tanh", output="softmax", init="he", dtype=np.float64, rng=0)
    twin = _round_trip(model)
    X = np.random.default_rng(0).normal(size=(10, 2))
    assert repr(twin) == repr(model) and twin.dtype is np.float64
    np.testing.assert_array_equal(twin.forward(X), model.forward(X))
    assert not np.shares_memory(twin.params, model.params)
    assert len(pickle.dumps(model)) <= model.params.nbytes + 1024


def _train_in_worker(trainer, X, y, n_epochs):
    """What an app worker does each tick: train the trainer it was sent, send it back."""
    trainer.train(X, y, n_epochs)
    return trainer


def test_trainer_sent_to_a_worker_process_comes_back_as_if_trained_here():
    """Three ticks in a spawned worker process (pickled there and back each time) end exactly where
    three ticks in this process do: weights, history, optimizer state and generator."""
    X, y, _, _ = _data()
    here, there = _trainer("adam", batch_size=16, dropout=0.2, l2=1e-3), _trainer("adam", 16, 0.2, 0.0, 1e-3)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        for _ in range(3):
            here.train(X, y, 4)
            there = pool.submit(_train_in_worker, there, X, y, 4).result(timeout=120)
    _assert_same_state(here, there)
