"""Numerical stability: saturated networks (pre-activations of +-1e4) compute finite values without a
warning, and a diverging Trainer stops cleanly, restores its last finite weights and can resume."""

import math
import warnings

import numpy as np
import pytest

import nn_core

from . import reference as ref

DTYPES = pytest.mark.parametrize("dtype", [np.float32, np.float64])

# Each input row appears with both labels, so some predictions are confidently wrong.
X_BIG = np.array([[100.0, -100.0], [-100.0, 100.0], [100.0, -100.0], [-100.0, 100.0]])
W1_BIG = np.array([[50.0, -50.0], [-50.0, 50.0]])  # hidden pre-activations exactly +-1e4
PATTERN = np.array([[1.0, -1.0, 1.0], [-1.0, 1.0, -1.0]])


def _targets(output):
    if output == "linear":
        return np.array([1.0, -1.0, 0.5, 0.0])
    return np.array([0, 1, 2, 1]) if output == "softmax" else np.array([0, 1, 1, 0])


def _saturated_net(activation, output, dtype):
    """[2, 2, k] net whose hidden and output pre-activations reach +-1e4 on X_BIG."""
    k = 3 if output == "softmax" else 1
    model = nn_core.MLP([2, 2, k], activation=activation, output=output, dtype=dtype)
    model.weights[0] = W1_BIG
    hidden = ref.activate(activation, X_BIG @ W1_BIG)  # +-1e4 before the activation
    scale = 1e4 / np.abs(hidden @ PATTERN[:, :k]).max()
    model.weights[1] = scale * PATTERN[:, :k]
    return model


@DTYPES
@pytest.mark.parametrize("output,loss", ref.OUTPUT_LOSS)
@pytest.mark.parametrize("activation", ref.HIDDEN)
def test_saturated_net_forward_and_gradients_finite_without_warnings(activation, output, loss, dtype):
    """|Z| up to 1e4 in every layer: forward, loss and gradients are finite and nothing warns."""
    model = _saturated_net(activation, output, dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = model.forward(X_BIG)
        value, dW, db = model.loss_and_gradients(X_BIG, _targets(output), loss=loss, l1=0.01, l2=0.01)
    assert np.all(np.isfinite(out)) and math.isfinite(value)
    assert all(np.all(np.isfinite(g)) for g in dW + db)


def test_saturated_net_reaches_the_intended_preactivations():
    """The stability net really has output pre-activations of magnitude 1e4 (the test is not vacuous)."""
    model = _saturated_net("tanh", "linear", np.float64)
    np.testing.assert_allclose(np.abs(model.forward(X_BIG)), 1e4, rtol=1e-12)


@DTYPES
@pytest.mark.parametrize("output,loss", ref.OUTPUT_LOSS)
def test_saturated_net_training_epoch_finite_without_warnings(output, loss, dtype):
    """A Trainer epoch on a saturated relu net records finite losses and stays 'ok'."""
    model = _saturated_net("relu", output, dtype)
    trainer = nn_core.Trainer(model, loss=loss, learning_rate=1e-9)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        record = trainer.train(X_BIG, _targets(output), 1, X_val=X_BIG, y_val=_targets(output))[0]
    assert trainer.status == "ok"
    assert math.isfinite(record["train_loss"]) and math.isfinite(record["val_loss"])


# --- divergence ---------------------------------------------------------------------------------

DIVERGING = {
    # name: (dataset, layer sizes, hidden, output, loss, learning rate)
    "linear_output_lr_1e6": ("plane", [2, 3, 1], "tanh", "linear", "mse", 1e6),
    "relu_net_lr_1e3": ("moons", [2, 4, 1], "relu", "linear", "mse", 1e3),
}


def _diverging_trainer(case, dtype, batch_size=None):
    dataset, sizes, hidden, output, loss, lr = DIVERGING[case]
    X, y = nn_core.make_dataset(dataset, n_samples=20, noise=0.1, rng=0)
    y = y.astype(np.float64)
    model = nn_core.MLP(sizes, activation=hidden, output=output, dtype=dtype, rng=0)
    trainer = nn_core.Trainer(
        model, loss=loss, optimizer="sgd", learning_rate=lr, batch_size=batch_size, rng=0
    )
    return trainer, X, y


def _train_until_diverged(trainer, X, y, max_epochs=300):
    """Train one epoch per call; return the parameters after the last successful epoch."""
    last_good = trainer.model.params.copy()
    for _ in range(max_epochs):
        records = trainer.train(X, y, 1, X_val=X[:5], y_val=y[:5])
        if trainer.status == "diverged":
            assert records == []
            return last_good
        last_good = trainer.model.params.copy()
    raise AssertionError(f"no divergence in {max_epochs} epochs")


@pytest.mark.parametrize("batch_size", [None, 6])
@DTYPES
@pytest.mark.parametrize("case", sorted(DIVERGING))
def test_divergence_detected_and_last_finite_weights_restored(case, dtype, batch_size):
    """A huge learning rate ends in status 'diverged', the weights of the last finite epoch, finite
    history values, and no warning."""
    trainer, X, y = _diverging_trainer(case, dtype, batch_size)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        last_good = _train_until_diverged(trainer, X, y)
    assert trainer.status == "diverged"
    assert type(trainer.diverged_epoch) is int and trainer.diverged_epoch >= 1
    assert trainer.diverged_epoch == len(trainer.history) + 1 == trainer.epoch + 1
    assert np.all(np.isfinite(trainer.model.params))
    assert np.array_equal(trainer.model.params, last_good)
    for record in trainer.history:
        assert all(math.isfinite(record[k]) for k in ("train_loss", "val_loss"))


@DTYPES
@pytest.mark.parametrize("case", sorted(DIVERGING))
def test_divergence_in_one_call_stops_early(case, dtype):
    """train(..., 300) returns fewer records than asked once the loss blows up, all finite."""
    trainer, X, y = _diverging_trainer(case, dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        records = trainer.train(X, y, 300)
    assert trainer.status == "diverged" and len(records) == trainer.diverged_epoch - 1 < 300
    assert np.all(np.isfinite(trainer.model.params))
    assert all(math.isfinite(r["train_loss"]) for r in records)


def test_diverged_trainer_does_nothing_until_a_hyperparameter_changes():
    """After divergence train() is a no-op; re-setting the same rate changes nothing either."""
    trainer, X, y = _diverging_trainer("linear_output_lr_1e6", np.float64)
    _train_until_diverged(trainer, X, y)
    params, history, epoch = trainer.model.params.copy(), list(trainer.history), trainer.epoch
    assert trainer.train(X, y, 5) == []
    trainer.learning_rate = 1e6  # unchanged value: still diverged
    assert trainer.train(X, y, 5) == [] and trainer.status == "diverged"
    assert np.array_equal(trainer.model.params, params)
    assert trainer.history == history and trainer.epoch == epoch


def test_diverged_trainer_resumes_from_restored_weights_with_smaller_rate():
    """A smaller learning_rate clears the status; the next sgd epoch starts at the restored weights."""
    trainer, X, y = _diverging_trainer("linear_output_lr_1e6", np.float64)
    restored = _train_until_diverged(trainer, X, y)
    failed_epoch = trainer.diverged_epoch
    trainer.learning_rate = 1e-3
    assert trainer.status == "ok" and trainer.diverged_epoch is None
    assert np.array_equal(trainer.model.params, restored)
    _, dW, db = trainer.model.loss_and_gradients(X, y, loss="mse")
    expected = restored - 1e-3 * np.concatenate([g.ravel() for g in dW] + db)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        records = trainer.train(X, y, 1)
    assert records[0]["epoch"] == failed_epoch and trainer.status == "ok"
    np.testing.assert_allclose(trainer.model.params, expected, rtol=1e-13)


@pytest.mark.parametrize(
    "name,value", [("optimizer", "momentum"), ("l2", 0.1), ("batch_size", 5), ("dropout", 0.1)]
)
def test_diverged_status_cleared_by_any_hyperparameter_change(name, value):
    """Changing optimizer, l2, batch_size or dropout also clears 'diverged'."""
    trainer, X, y = _diverging_trainer("linear_output_lr_1e6", np.float64)
    _train_until_diverged(trainer, X, y)
    setattr(trainer, name, value)
    assert trainer.status == "ok" and trainer.diverged_epoch is None


def test_diverged_momentum_resumes_with_fresh_velocity():
    """After divergence the optimizer's (infinite) state is dropped: the first momentum step on
    resuming is p - lr * g, as from a zero velocity."""
    trainer, X, y = _diverging_trainer("linear_output_lr_1e6", np.float64)
    trainer.optimizer = "momentum"
    restored = _train_until_diverged(trainer, X, y)
    trainer.learning_rate = 1e-3
    _, dW, db = trainer.model.loss_and_gradients(X, y, loss="mse")
    expected = restored - 1e-3 * np.concatenate([g.ravel() for g in dW] + db)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        trainer.train(X, y, 1)
    assert trainer.status == "ok"
    np.testing.assert_allclose(trainer.model.params, expected, rtol=1e-13)
