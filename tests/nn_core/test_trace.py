"""trace_step records one training step: its numbers are the trainer's own next step, bit for bit,
and they agree with independent oracles (the forward pass, finite differences, the SGD rule)."""

import numpy as np
import pytest

import nn_core
from nn_core.trace import trace_step

X, y = nn_core.make_dataset("moons", n_samples=40, noise=0.1, rng=0)


def make_trainer(*, batch_size=8, optimizer="adam", dropout=0.0, l2=0.0, dtype=np.float32, epochs=2):
    model = nn_core.MLP([2, 4, 3, 1], activation="tanh", output="sigmoid", dtype=dtype, rng=0)
    trainer = nn_core.Trainer(
        model,
        loss="bce",
        optimizer=optimizer,
        learning_rate=0.05,
        batch_size=batch_size,
        dropout=dropout,
        l2=l2,
        rng=1,
    )
    trainer.train(X, y, epochs)  # optimizer state and a used generator: a step mid-training
    return trainer


class StepSpy:
    """Wraps a trainer's optimizer and keeps a copy of the parameters after every step."""

    def __init__(self, inner):
        self.inner, self.after = inner, []
        self.name = inner.name

    def step(self, p, g, learning_rate):
        self.inner.step(p, g, learning_rate)
        self.after.append(p.copy())


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "rmsprop", "adam"])
@pytest.mark.parametrize("batch_size", [None, 8])
@pytest.mark.parametrize("dropout", [0.0, 0.3])
def test_trace_is_the_trainers_next_step_bit_for_bit(optimizer, batch_size, dropout):
    trainer = make_trainer(batch_size=batch_size, optimizer=optimizer, dropout=dropout, l2=0.01)
    trace = trace_step(trainer, X, y)
    spy = trainer._optimizer = StepSpy(trainer._optimizer)
    trainer.train(X, y, 1)
    W, b = trainer.model.split(spy.after[0])
    for i in range(trace.n_layers):
        np.testing.assert_array_equal(trace.W_after[i], W[i])
        np.testing.assert_array_equal(trace.b_after[i], b[i])
    assert len(trace.rows) == (len(X) if batch_size is None else batch_size)
    assert (trace.masks is not None) == (dropout > 0)


def test_trace_leaves_the_trainer_untouched():
    trainer = make_trainer()
    params, state = trainer.model.params.copy(), trainer.rng.bit_generator.state
    m, epoch = trainer._optimizer.m.copy(), trainer.epoch
    trace_step(trainer, X, y)
    np.testing.assert_array_equal(trainer.model.params, params)
    np.testing.assert_array_equal(trainer._optimizer.m, m)
    assert trainer.rng.bit_generator.state == state and trainer.epoch == epoch


def test_trace_forward_matrices_are_the_models_layer_activations():
    trainer = make_trainer(optimizer="sgd")
    trace = trace_step(trainer, X, y, rows=[3, 17, 5])
    np.testing.assert_array_equal(trace.rows, [3, 17, 5])
    np.testing.assert_array_equal(trace.X, X[[3, 17, 5]].astype(np.float32))
    activations = trainer.model.layer_activations(X[[3, 17, 5]])
    for i in range(trace.n_layers):
        np.testing.assert_allclose(trace.A[i], activations[i + 1], rtol=1e-6)
        W, b = trainer.model.weights[i], trainer.model.biases[i]
        np.testing.assert_allclose(trace.Z[i], activations[i] @ W + b, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(trace.Y[:, 0], y[[3, 17, 5]])


def test_trace_gradients_match_finite_differences():
    """Central differences of the batch loss (float64) against every recorded dW and db."""
    trainer = make_trainer(optimizer="sgd", dtype=np.float64, l2=0.01)
    rows = [0, 4, 9, 21]
    trace = trace_step(trainer, X, y, rows=rows)
    model, eps = trainer.model.copy(), 1e-6

    def batch_loss():
        value, _, _ = model.loss_and_gradients(X[rows], y[rows], loss="bce", l2=0.01)
        return value

    numeric = np.empty_like(model.params)
    for k in range(model.params.size):
        keep = model.params[k]
        model.params[k] = keep + eps
        up = batch_loss()
        model.params[k] = keep - eps
        numeric[k] = (up - batch_loss()) / (2 * eps)
        model.params[k] = keep
    dW, db = model.split(numeric)
    for i in range(trace.n_layers):
        np.testing.assert_allclose(trace.dW[i], dW[i], rtol=1e-6, atol=1e-9)
        np.testing.assert_allclose(trace.db[i], db[i], rtol=1e-6, atol=1e-9)
    assert trace.loss + trace.penalty == pytest.approx(batch_loss(), rel=1e-12)


def test_trace_backward_follows_the_chain_rule_layer_by_layer():
    trace = trace_step(make_trainer(dtype=np.float64), X, y)
    n = len(trace.rows)
    np.testing.assert_allclose(trace.dZ[-1], (trace.A[-1] - trace.Y) / n)  # bce on a sigmoid
    for i in range(trace.n_layers - 1):
        np.testing.assert_allclose(trace.dA[i], trace.dZ[i + 1] @ trace.W_before[i + 1].T)
        np.testing.assert_allclose(trace.dZ[i], trace.dA[i] * (1 - np.tanh(trace.Z[i]) ** 2), atol=1e-15)
        inputs = trace.X if i == 0 else trace.A[i - 1]
        np.testing.assert_allclose(trace.dW[i], inputs.T @ trace.dZ[i], atol=1e-15)
        np.testing.assert_allclose(trace.db[i], trace.dZ[i].sum(axis=0), atol=1e-15)


def test_trace_sgd_update_is_w_minus_learning_rate_times_dw():
    trace = trace_step(make_trainer(optimizer="sgd", dtype=np.float64), X, y)
    for i in range(trace.n_layers):
        np.testing.assert_allclose(trace.W_after[i], trace.W_before[i] - 0.05 * trace.dW[i], rtol=1e-15)
        np.testing.assert_allclose(trace.b_after[i], trace.b_before[i] - 0.05 * trace.db[i], rtol=1e-15)
    assert (trace.optimizer, trace.learning_rate, trace.loss_name) == ("sgd", 0.05, "bce")


def test_trace_with_a_schedule_steps_with_the_next_epochs_rate():
    """Two epochs done: the traced step is epoch 3's first, at the schedule's rate for epoch 3 (the
    stepper shows that eta), and it is the trainer's own next step bit for bit."""
    trainer = make_trainer(optimizer="sgd", dtype=np.float64)
    trainer.schedule = nn_core.make_schedule("step", period=1, factor=0.5)
    trace = trace_step(trainer, X, y)
    assert trace.learning_rate == 0.05 * 0.25
    for i in range(trace.n_layers):
        np.testing.assert_allclose(trace.W_after[i], trace.W_before[i] - 0.0125 * trace.dW[i], rtol=1e-15)
    spy = trainer._optimizer = StepSpy(trainer._optimizer)
    trainer.train(X, y, 1)
    np.testing.assert_array_equal(np.concatenate([w.ravel() for w in trace.W_after]),
                                  spy.after[0][: trainer.model.n_weights])  # fmt: skip


@pytest.mark.parametrize(
    "rows", [[], [40], [-1], [1, 1], [0.5], [[0, 1]], "a", {"a": 1}], ids=lambda r: repr(r)[:12]
)
def test_trace_rejects_bad_rows(rows):
    with pytest.raises(ValueError, match=r"rows must be distinct ints in \[0, 40\); got"):
        trace_step(make_trainer(epochs=0), X, y, rows=rows)


def test_trace_rejects_a_non_trainer():
    with pytest.raises(ValueError, match="trainer must be an nn_core.Trainer; got MLP"):
        trace_step(nn_core.MLP([2, 1]), X, y)


def test_mlp_copy_is_independent_and_can_change_dtype():
    model = nn_core.MLP([2, 3, 1], activation="relu", init="he", rng=0)
    twin = model.copy()
    np.testing.assert_array_equal(twin.params, model.params)
    assert repr(twin) == repr(model)
    twin.weights[0] = np.zeros((2, 3))
    assert np.any(model.weights[0] != 0)  # the copy owns its parameters
    wide = model.copy(dtype=np.float64)
    assert wide.params.dtype == np.float64
    np.testing.assert_array_equal(wide.params, model.params.astype(np.float64))


def test_trainer_copy_trains_exactly_like_the_original_and_leaves_it_alone():
    trainer = make_trainer(dropout=0.2)
    twin = trainer.copy()
    before = trainer.model.params.copy()
    twin.train(X, y, 3)
    np.testing.assert_array_equal(trainer.model.params, before)
    trainer.train(X, y, 3)
    np.testing.assert_array_equal(twin.model.params, trainer.model.params)
    assert twin.history == trainer.history and twin.epoch == trainer.epoch == 5
