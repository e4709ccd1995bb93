"""Trainer: history records, metrics recomputed independently, hyperparameter changes between
calls, mini-batches, dropout, L2, and bit-for-bit determinism."""

import math

import numpy as np
import pytest

import nn_core

from . import reference as ref

KEYS = {"epoch", "train_loss", "val_loss", "train_accuracy", "val_accuracy", "learning_rate"}
METRIC_KEYS = {"train_confusion", "val_confusion", "train_macro_f1", "val_macro_f1"}  # nn_core.metrics


def _binary(n=30, seed=0):
    X, y = nn_core.make_dataset("moons", n_samples=n, noise=0.2, rng=seed)
    return X, y


def _model(sizes=(2, 5, 1), output="sigmoid", activation="tanh", seed=1):
    return nn_core.MLP(list(sizes), activation=activation, output=output, dtype=np.float64, rng=seed)


def _flat_gradient(model, X, y, loss="bce", **penalties):
    """loss_and_gradients' gradient laid out like params (weights, then biases)."""
    _, dW, db = model.loss_and_gradients(X, y, loss=loss, **penalties)
    return np.concatenate([g.ravel() for g in dW] + db)


def _metrics(model, X, y, loss):
    """Data loss and accuracy of the model's current weights, computed without the engine."""
    Zs, As = ref.forward(model.weights, model.biases, X, model.activation, model.output)
    value = ref.data_loss(loss, As[-1], ref.encode(y, model.output, model.layer_sizes[-1]), Zs[-1])
    if y.dtype.kind == "f":
        return value, None
    A = As[-1]
    threshold = 0.0 if model.output == "tanh" else 0.5
    labels = A.argmax(axis=1) if A.shape[1] > 1 else (A[:, 0] > threshold).astype(int)
    return value, float(np.mean(labels == y))


# --- history ------------------------------------------------------------------------------------


def test_trainer_history_records_have_the_documented_keys():
    """Every record has epoch, train/val loss and train/val accuracy; train() returns the new ones."""
    X, y = _binary()
    trainer = nn_core.Trainer(_model(), loss="bce", rng=0)
    records = trainer.train(X, y, 3, X_val=X[:10], y_val=y[:10])
    assert len(records) == 3 and records == trainer.history
    assert all(set(r) == KEYS | METRIC_KEYS for r in records)


def test_trainer_epochs_count_on_across_train_calls():
    """Epoch numbers continue 1, 2, 3, ... over several train() calls."""
    X, y = _binary()
    trainer = nn_core.Trainer(_model(), loss="bce", rng=0)
    for _ in range(3):
        trainer.train(X, y, 1)
    trainer.train(X, y, 2)
    assert [r["epoch"] for r in trainer.history] == [1, 2, 3, 4, 5]
    assert trainer.epoch == 5


def test_trainer_zero_epochs_changes_nothing():
    """train(..., 0) returns no record and leaves the weights alone."""
    X, y = _binary()
    model = _model()
    before = model.params.copy()
    assert nn_core.Trainer(model, loss="bce", rng=0).train(X, y, 0) == []
    assert np.array_equal(model.params, before)


CASES = [
    ("moons", 2, "sigmoid", "bce", 1),
    ("moons", 2, "sigmoid", "mse", 1),
    ("moons", 2, "tanh", "mse", 1),
    ("blobs", 3, "softmax", "cross_entropy", 3),
    ("blobs", 3, "softmax", "mse", 3),
    ("plane", 2, "linear", "mse", 1),
]


@pytest.mark.parametrize("batch_size,dropout", [(None, 0.0), (7, 0.0), (7, 0.3)])
@pytest.mark.parametrize("dataset,n_classes,output,loss,k", CASES)
def test_trainer_history_matches_independent_evaluation(
    dataset, n_classes, output, loss, k, batch_size, dropout
):
    """train/val loss and accuracy equal a no-dropout re-evaluation of the weights after the epoch."""
    X, y = nn_core.make_dataset(dataset, n_samples=40, noise=0.3, n_classes=n_classes, rng=0)
    X_tr, X_val, y_tr, y_val = nn_core.train_test_split(X, y, test_fraction=0.25, rng=0)
    model = _model((2, 4, k), output=output)
    trainer = nn_core.Trainer(
        model, loss=loss, optimizer="adam", learning_rate=0.05, batch_size=batch_size, dropout=dropout, rng=0
    )
    trainer.train(X_tr, y_tr, 2, X_val=X_val, y_val=y_val)
    record = trainer.history[-1]
    train_loss, train_acc = _metrics(model, X_tr, y_tr, loss)
    val_loss, val_acc = _metrics(model, X_val, y_val, loss)
    assert record["train_loss"] == pytest.approx(train_loss, rel=1e-10)
    assert record["val_loss"] == pytest.approx(val_loss, rel=1e-10)
    assert record["train_accuracy"] == (None if train_acc is None else pytest.approx(train_acc))
    assert record["val_accuracy"] == (None if val_acc is None else pytest.approx(val_acc))


def test_trainer_regression_accuracy_is_none():
    """Float targets: no accuracy, for training or validation data."""
    X, y = nn_core.make_dataset("plane", n_samples=20, rng=0)
    trainer = nn_core.Trainer(_model(output="linear"), loss="mse", rng=0)
    record = trainer.train(X, y, 1, X_val=X, y_val=y)[0]
    assert record["train_accuracy"] is None and record["val_accuracy"] is None
    assert math.isfinite(record["val_loss"])


def test_trainer_without_validation_data_val_metrics_are_none():
    """No X_val/y_val: val_loss and val_accuracy are None."""
    X, y = _binary()
    record = nn_core.Trainer(_model(), loss="bce", rng=0).train(X, y, 1)[0]
    assert record["val_loss"] is None and record["val_accuracy"] is None


def test_trainer_evaluate_matches_last_record():
    """evaluate() on the training data gives the last record's loss and accuracy."""
    X, y = _binary()
    trainer = nn_core.Trainer(_model(), loss="bce", optimizer="adam", learning_rate=0.05, rng=0)
    trainer.train(X, y, 3)
    loss, acc = trainer.evaluate(X, y)
    assert loss == pytest.approx(trainer.history[-1]["train_loss"], rel=1e-12)
    assert acc == trainer.history[-1]["train_accuracy"]


# --- full-batch steps, and the reused forward pass ---------------------------------------------


def test_trainer_full_batch_epochs_in_one_call_are_successive_gradient_steps():
    """Three sgd epochs in one call equal three manual steps p <- p - lr * gradient."""
    X, y = _binary()
    model, manual = _model(), _model()
    nn_core.Trainer(model, loss="bce", learning_rate=0.5).train(X, y, 3)
    for _ in range(3):
        manual.params[:] = manual.params - 0.5 * _flat_gradient(manual, X, y)
    np.testing.assert_allclose(model.params, manual.params, rtol=1e-13)


def test_trainer_uses_weights_edited_by_hand_between_calls():
    """Weights set by hand between train() calls are the ones the next step starts from."""
    X, y = _binary()
    model = _model()
    trainer = nn_core.Trainer(model, loss="bce", learning_rate=0.5)
    trainer.train(X, y, 1)
    model.weights[0] = np.full((2, 5), 0.3)
    expected = model.params - 0.5 * _flat_gradient(model, X, y)
    trainer.train(X, y, 1)
    np.testing.assert_allclose(model.params, expected, rtol=1e-13)


def test_trainer_uses_new_data_of_the_same_size():
    """A second train() call with other rows (same count) steps on the new data, not the old."""
    X, y = _binary(seed=0)
    X2, y2 = _binary(seed=5)
    model = _model()
    trainer = nn_core.Trainer(model, loss="bce", learning_rate=0.5)
    trainer.train(X, y, 1)
    expected = model.params - 0.5 * _flat_gradient(model, X2, y2)
    trainer.train(X2, y2, 1)
    np.testing.assert_allclose(model.params, expected, rtol=1e-13)


# --- hyperparameter changes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,value",
    [
        ("learning_rate", 0.01),
        ("batch_size", 4),
        ("optimizer", "adam"),
        ("l2", 0.5),
        ("l1", 0.1),
        ("dropout", 0.2),
    ],
)
def test_trainer_hyperparameter_change_keeps_weights(name, value):
    """Changing a hyperparameter between calls leaves the weights as they were; training goes on."""
    X, y = _binary()
    model = _model()
    trainer = nn_core.Trainer(model, loss="bce", optimizer="momentum", learning_rate=0.1, rng=0)
    trainer.train(X, y, 2)
    before = model.params.copy()
    setattr(trainer, name, value)
    assert getattr(trainer, name) == value
    assert np.array_equal(model.params, before)
    records = trainer.train(X, y, 1)
    assert records[0]["epoch"] == 3 and not np.array_equal(model.params, before)


def test_trainer_new_learning_rate_used_from_current_weights():
    """After learning_rate changes, the next sgd epoch is p - new_lr * gradient at the kept weights."""
    X, y = _binary()
    model = _model()
    trainer = nn_core.Trainer(model, loss="bce", learning_rate=0.5)
    trainer.train(X, y, 2)
    trainer.learning_rate = 0.05
    expected = model.params - 0.05 * _flat_gradient(model, X, y)
    trainer.train(X, y, 1)
    np.testing.assert_allclose(model.params, expected, rtol=1e-13)


def test_trainer_new_l2_used_from_current_weights():
    """After l2 changes, the next sgd epoch includes l2 * W in the gradient."""
    X, y = _binary()
    model = _model()
    trainer = nn_core.Trainer(model, loss="bce", learning_rate=0.5)
    trainer.train(X, y, 1)
    trainer.l2 = 0.3
    expected = model.params - 0.5 * _flat_gradient(model, X, y, l2=0.3)
    trainer.train(X, y, 1)
    np.testing.assert_allclose(model.params, expected, rtol=1e-13)


def test_trainer_new_optimizer_starts_with_fresh_state():
    """Re-assigning "adam" keeps its state; switching away and back starts a new Adam at t = 0."""
    X, y = _binary()
    trainer = nn_core.Trainer(_model(), loss="bce", optimizer="adam", rng=0)
    trainer.train(X, y, 3)
    assert trainer._optimizer.t == 3
    trainer.optimizer = "adam"  # the same name: the same optimizer, state kept
    assert trainer._optimizer.t == 3
    trainer.optimizer = "sgd"
    trainer.optimizer = "adam"
    trainer.train(X, y, 1)
    assert trainer._optimizer.t == 1


# --- mini-batches -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "n,batch_size,steps", [(10, 3, 4), (10, 5, 2), (10, 1, 10), (10, 10, 1), (10, 64, 1), (10, None, 1)]
)
def test_trainer_epoch_takes_ceil_n_over_batch_steps(n, batch_size, steps):
    """One epoch is ceil(n / batch_size) optimizer steps (one for full batch), counted by adam's t."""
    X, y = _binary(n)
    trainer = nn_core.Trainer(_model(), loss="bce", optimizer="adam", batch_size=batch_size, rng=0)
    trainer.train(X, y, 2)
    assert trainer._optimizer.t == 2 * steps


def test_trainer_minibatch_epoch_visits_every_row_once():
    """n=3, batch 2: the epoch is one sgd step on two rows, then one on the third (some split)."""
    X, y = _binary(3)
    model = _model()
    nn_core.Trainer(model, loss="bce", learning_rate=0.5, batch_size=2, rng=4).train(X, y, 1)
    matches = 0
    for last in range(3):
        manual = _model()
        for rows in ([r for r in range(3) if r != last], [last]):
            manual.params[:] = manual.params - 0.5 * _flat_gradient(manual, X[rows], y[rows])
        matches += np.allclose(manual.params, model.params, rtol=1e-12, atol=1e-15)
    assert matches == 1


# --- regularization and dropout ----------------------------------------------------------------


def test_trainer_l2_shrinks_weights():
    """With a large l2 the trained weights have a much smaller norm than without."""
    X, y = _binary(40)
    norms = {}
    for l2 in (0.0, 1.0):
        model = _model((2, 8, 1), seed=3)
        nn_core.Trainer(model, loss="bce", optimizer="adam", learning_rate=0.05, l2=l2, rng=0).train(X, y, 60)
        norms[l2] = np.linalg.norm(model.params[: model.n_weights])
    assert norms[1.0] < 0.5 * norms[0.0]


def test_trainer_dropout_is_training_only():
    """With dropout the trajectory changes, yet forward() afterwards is deterministic."""
    X, y = _binary(40)
    plain, dropped = _model((2, 8, 1)), _model((2, 8, 1))
    nn_core.Trainer(plain, loss="bce", optimizer="adam", learning_rate=0.05, rng=0).train(X, y, 5)
    nn_core.Trainer(dropped, loss="bce", optimizer="adam", learning_rate=0.05, dropout=0.5, rng=0).train(
        X, y, 5
    )
    assert not np.array_equal(plain.params, dropped.params)
    assert np.array_equal(dropped.forward(X), dropped.forward(X))


def test_trainer_dropout_step_is_gradient_of_the_masked_network():
    """A dropout sgd step follows the finite-difference gradient of the net with that step's mask
    (inverted dropout: kept units scaled by 1 / (1 - rate)). White-box: reads the Trainer's mask."""
    X, y = _binary(12)
    model, probe = _model((2, 6, 1)), _model((2, 6, 1))
    trainer = nn_core.Trainer(model, loss="bce", learning_rate=0.5, dropout=0.5, rng=3)
    trainer.train(X, y, 1)
    mask = trainer._workspaces[("train", 12)].masks[0]
    assert set(np.unique(mask)) == {0.0, 2.0}

    def masked_loss():
        hidden = np.tanh(X @ probe.weights[0] + probe.biases[0]) * mask
        A = ref.activate("sigmoid", hidden @ probe.weights[1] + probe.biases[1])
        return ref.data_loss("bce", A, y[:, None].astype(float))

    numeric = ref.finite_differences(list(probe.weights) + list(probe.biases), masked_loss)
    step = (probe.params - model.params) / 0.5
    np.testing.assert_allclose(step, np.concatenate([g.ravel() for g in numeric]), rtol=1e-6, atol=1e-9)


def test_trainer_dropout_still_learns_moons():
    """Training with dropout 0.2 on moons lowers the (dropout-free) training loss substantially."""
    X, y = nn_core.make_dataset("moons", n_samples=100, noise=0.1, rng=0)
    trainer = nn_core.Trainer(
        _model((2, 16, 1)), loss="bce", optimizer="adam", learning_rate=0.03, dropout=0.2, rng=0
    )
    history = trainer.train(X, y, 150)
    assert history[-1]["train_loss"] < 0.6 * history[0]["train_loss"]
    assert history[-1]["train_accuracy"] > 0.8


# --- determinism --------------------------------------------------------------------------------


def _seeded_run(model_seed, trainer_seed, data_seed=0):
    X, y = nn_core.make_dataset("moons", n_samples=40, noise=0.2, rng=data_seed)
    X_tr, X_val, y_tr, y_val = nn_core.train_test_split(X, y, rng=data_seed)
    model = nn_core.MLP([2, 6, 1], activation="relu", rng=model_seed)
    trainer = nn_core.Trainer(
        model, loss="bce", optimizer="adam", learning_rate=0.05, batch_size=6, dropout=0.3, rng=trainer_seed
    )
    trainer.train(X_tr, y_tr, 4, X_val=X_val, y_val=y_val)
    return trainer.history, model.params


def test_trainer_same_seeds_bit_for_bit_identical_runs():
    """Same seeds: identical histories and final parameters (mini-batches, dropout, adam)."""
    history_a, params_a = _seeded_run(1, 2)
    history_b, params_b = _seeded_run(1, 2)
    assert history_a == history_b
    assert np.array_equal(params_a, params_b)


@pytest.mark.parametrize("seeds", [(1, 3), (4, 2)])
def test_trainer_different_seeds_different_runs(seeds):
    """A different trainer seed (shuffles, masks) or model seed gives different final weights."""
    _, params_a = _seeded_run(1, 2)
    _, params_b = _seeded_run(*seeds)
    assert not np.array_equal(params_a, params_b)


def test_trainer_generator_rng_same_as_its_seed():
    """rng=np.random.default_rng(s) and rng=s drive the same shuffles and masks."""
    X, y = _binary(20)
    runs = []
    for rng in (7, np.random.default_rng(7)):
        model = _model()
        nn_core.Trainer(model, loss="bce", batch_size=3, dropout=0.2, rng=rng).train(X, y, 2)
        runs.append(model.params.copy())
    assert np.array_equal(runs[0], runs[1])
