"""Learning-rate schedules: each one's rates against a table written out by hand, the cycles' edges,
validation messages, and the trainer: the recorded learning_rate is the step SGD took."""

import math
import pickle

import numpy as np
import pytest

import nn_core
from nn_core.schedules import Constant, Cosine, Exponential, StepDecay, Triangular

C4 = (1 + math.cos(math.pi / 4)) / 2  # 0.8535..., a quarter of the way down a 4-epoch cosine
C4_3 = (1 + math.cos(3 * math.pi / 4)) / 2  # 0.1464..., three quarters of the way
C8 = (1 + math.cos(math.pi / 8)) / 2  # 0.9619..., an eighth of the way down an 8-epoch cosine

# (schedule, base rate, {epoch: rate}), worked out by hand from the formulas in schedules.py.
TABLES = [
    (Constant(), 0.3, {1: 0.3, 2: 0.3, 100: 0.3}),
    # base 0.1, times 0.5 every 10 epochs: epochs 1..10 at 0.1, 11..20 at 0.05, 21..25 at 0.025
    (StepDecay(period=10, factor=0.5), 0.1, {e: 0.1 for e in range(1, 11)}),
    (StepDecay(period=10, factor=0.5), 0.1, {e: 0.05 for e in range(11, 21)}),
    (StepDecay(period=10, factor=0.5), 0.1, {e: 0.025 for e in range(21, 26)}),
    (StepDecay(period=1, factor=0.1), 1.0, {1: 1.0, 2: 0.1, 3: 0.01, 4: 0.001}),
    # times 0.25 every 2 epochs, smoothly: halved each epoch
    (Exponential(period=2, factor=0.25), 0.1, {1: 0.1, 2: 0.05, 3: 0.025, 4: 0.0125, 5: 0.00625}),
    (Exponential(period=1, factor=0.9), 1.0, {1: 1.0, 2: 0.9, 3: 0.81, 11: 0.9**10}),
    # period 4 down to 0, restart at epochs 5, 9, ...
    (Cosine(period=4), 1.0, {1: 1.0, 2: C4, 3: 0.5, 4: C4_3, 5: 1.0, 6: C4, 7: 0.5, 9: 1.0, 401: 1.0}),
    # floor 0.2 * 0.5 = 0.1: 0.1 + 0.4 * cosine
    (Cosine(period=4, factor=0.2), 0.5, {1: 0.5, 2: 0.1 + 0.4 * C4, 3: 0.3, 5: 0.5}),
    # cycles of 2, 4, 8 epochs: restarts at epochs 3 and 7, and 15
    (
        Cosine(period=2, multiplier=2),
        1.0,
        {1: 1.0, 2: 0.5, 3: 1.0, 4: C4, 5: 0.5, 6: C4_3, 7: 1.0, 8: C8, 11: 0.5, 15: 1.0},
    ),
    # up from 0 to 1 over 4 epochs, down over 4, up again
    (
        Triangular(period=4, factor=0.0),
        1.0,
        {1: 0.0, 2: 0.25, 3: 0.5, 4: 0.75, 5: 1.0, 6: 0.75, 7: 0.5, 8: 0.25, 9: 0.0, 10: 0.25, 13: 1.0},
    ),
    (Triangular(period=4, factor=0.2), 0.5, {1: 0.1, 3: 0.3, 5: 0.5, 7: 0.3, 9: 0.1}),
    (Triangular(period=1, factor=0.5), 2.0, {1: 1.0, 2: 2.0, 3: 1.0, 4: 2.0}),
]


@pytest.mark.parametrize("schedule, base, table", TABLES, ids=lambda v: getattr(v, "name", None))
def test_schedule_rates_match_the_hand_written_table(schedule, base, table):
    rates = {epoch: schedule.rate(epoch, base) for epoch in table}
    assert rates == pytest.approx(table, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("period, multiplier", [(1, 1), (3, 1), (5, 1), (2, 2), (3, 3), (1, 2)])
def test_cosine_restarts_exactly_at_the_cycle_boundaries(period, multiplier):
    """The rate is the base on the first epoch of every cycle (cycle lengths T, T*m, T*m**2, ...)
    and only there; within a cycle it falls."""
    schedule = Cosine(period=period, multiplier=multiplier)
    starts, start, length = set(), 1, period
    while start < 400:
        starts.add(start)
        start, length = start + length, length * multiplier
    rates = [schedule.rate(e, 1.0) for e in range(1, 400)]
    assert {e for e, r in zip(range(1, 400), rates) if r == 1.0} == starts
    for e in range(2, 400):
        if e not in starts:
            assert rates[e - 1] < rates[e - 2]


@pytest.mark.parametrize("period", [1, 2, 5, 7])
def test_triangular_turns_at_the_half_cycle_boundaries(period):
    """Low at epochs 1, 2N+1, 4N+1 ...; high at N+1, 3N+1, ...; straight lines between."""
    schedule = Triangular(period=period, factor=0.1)
    for cycle in range(3):
        low, high = 1 + 2 * period * cycle, 1 + period + 2 * period * cycle
        assert schedule.rate(low, 1.0) == pytest.approx(0.1)
        assert schedule.rate(high, 1.0) == pytest.approx(1.0)
        steps = np.diff([schedule.rate(e, 1.0) for e in range(low, high + period + 1)])
        np.testing.assert_allclose(steps, [0.9 / period] * period + [-0.9 / period] * period)


def test_schedules_registry_and_make_schedule():
    """Every registry key names its record; make_schedule ignores parameters a schedule lacks."""
    assert list(nn_core.SCHEDULES) == ["constant", "step", "exponential", "cosine", "triangular"]
    for name, cls in nn_core.SCHEDULES.items():
        assert cls.name == name
        schedule = nn_core.make_schedule(name, period=3, factor=0.5, multiplier=2)
        assert schedule.name == name and schedule.rate(1, 0.2) > 0
    assert nn_core.make_schedule("step", period=3, factor=0.5) == StepDecay(3, 0.5)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: StepDecay(period=0), "period must be an int >= 1; got 0"),
        (lambda: StepDecay(period=2.5), "period must be an int >= 1; got 2.5"),
        (lambda: StepDecay(factor=1.5), "factor must be a finite number in (0.0, 1.0]; got 1.5"),
        (lambda: Exponential(factor=0.0), "factor must be a finite number in (0.0, 1.0]; got 0.0"),
        (lambda: Cosine(factor=-0.1), "factor must be a finite number in [0.0, 1.0]; got -0.1"),
        (lambda: Cosine(multiplier=0), "multiplier must be an int >= 1; got 0"),
        (lambda: Triangular(factor=float("nan")), "factor must be a finite number in [0.0, 1.0]; got nan"),
        (lambda: Constant().rate(0, 0.1), "epoch must be an int >= 1; got 0"),
        (lambda: StepDecay().rate(1, -0.1), "base_rate must be a finite number in (0.0, inf); got -0.1"),
        (lambda: nn_core.make_schedule("warm"), "schedule must be one of ["),
    ],
)
def test_schedule_validation_names_the_parameter_and_value(make, message):
    with pytest.raises(ValueError) as error:
        make()
    assert message in str(error.value)


def _trainer(schedule, batch_size=None, optimizer="sgd", **kwargs):
    model = nn_core.MLP([2, 4, 1], activation="tanh", output="sigmoid", dtype=np.float64, rng=0)
    return nn_core.Trainer(
        model, loss="bce", optimizer=optimizer, learning_rate=0.4, batch_size=batch_size,
        schedule=schedule, rng=0, **kwargs,
    )  # fmt: skip


def test_recorded_learning_rate_is_the_step_sgd_took():
    """Full-batch SGD: each epoch's change of the parameters is -learning_rate * gradient, with the
    gradient from loss_and_gradients at the epoch's starting weights and the record's rate."""
    X, y = nn_core.make_dataset("moons", n_samples=40, noise=0.2, rng=0)
    schedule = StepDecay(period=2, factor=0.5)
    trainer = _trainer(schedule)
    for epoch in range(1, 8):
        _, dW, db = trainer.model.loss_and_gradients(X, y, loss="bce")
        gradient = np.concatenate([g.ravel() for g in dW] + db)
        before = trainer.model.params.copy()
        (record,) = trainer.train(X, y, 1)
        assert record["learning_rate"] == schedule.rate(epoch, 0.4) == 0.4 * 0.5 ** ((epoch - 1) // 2)
        step = -record["learning_rate"] * gradient
        np.testing.assert_allclose(trainer.model.params - before, step, atol=1e-14)


@pytest.mark.parametrize("batch_size", [None, 8])
@pytest.mark.parametrize("name", sorted(nn_core.SCHEDULES))
def test_history_records_every_epochs_scheduled_rate(name, batch_size):
    """Full batch and mini-batches alike: record e holds schedule.rate(e, learning_rate)."""
    X, y = nn_core.make_dataset("moons", n_samples=40, noise=0.2, rng=0)
    schedule = nn_core.make_schedule(name, period=3, factor=0.5)
    trainer = _trainer(schedule, batch_size)
    trainer.train(X, y, 5)
    trainer.train(X, y, 7, X_val=X[:10], y_val=y[:10])
    assert [r["learning_rate"] for r in trainer.history] == [schedule.rate(e, 0.4) for e in range(1, 13)]


def test_mini_batch_sgd_steps_use_the_epochs_rate():
    """Two trainers, one with a step schedule and one whose constant rate is changed by hand to the
    same value before each epoch, end with identical weights: every step of an epoch used its rate."""
    X, y = nn_core.make_dataset("moons", n_samples=40, noise=0.2, rng=0)
    schedule = StepDecay(period=2, factor=0.3)
    scheduled, by_hand = _trainer(schedule, 8, "adam"), _trainer("constant", 8, "adam")
    scheduled.train(X, y, 6)
    for epoch in range(1, 7):
        by_hand.learning_rate = schedule.rate(epoch, 0.4)
        by_hand.train(X, y, 1)
    np.testing.assert_array_equal(scheduled.model.params, by_hand.model.params)


def test_changing_the_schedule_keeps_the_network_and_counts_epochs_on():
    """A new schedule on a live trainer: same weights and optimizer state; the next epoch's rate is
    the new schedule's rate at the trainer's epoch (the schedule runs on the trainer's clock)."""
    X, y = nn_core.make_dataset("moons", n_samples=40, noise=0.2, rng=0)
    trainer = _trainer("constant", 8, "adam")
    trainer.train(X, y, 5)
    params, optimizer = trainer.model.params.copy(), trainer._optimizer
    trainer.schedule = Cosine(period=4)
    assert trainer._optimizer is optimizer and np.array_equal(trainer.model.params, params)
    (record,) = trainer.train(X, y, 1)
    assert record["epoch"] == 6 and record["learning_rate"] == Cosine(period=4).rate(6, 0.4)
    trainer.schedule = "step"  # a name: its default parameters
    assert trainer.schedule == StepDecay()


def test_constant_schedule_is_bit_for_bit_the_trainer_without_one():
    X, y = nn_core.make_dataset("moons", n_samples=40, noise=0.2, rng=0)
    with_schedule, default = _trainer(Constant(), 8, "adam"), _trainer("constant", 8, "adam")
    with_schedule.train(X, y, 4)
    default.train(X, y, 4)
    np.testing.assert_array_equal(with_schedule.model.params, default.model.params)
    assert default.schedule == Constant() and all(r["learning_rate"] == 0.4 for r in default.history)


def test_trainer_schedule_validation():
    with pytest.raises(ValueError, match=r"schedule must be one of \[.*\]; got 'warm'"):
        _trainer("warm")
    with pytest.raises(ValueError, match="schedule must be a name in .* or one of their records; got 0.1"):
        _trainer(0.1)


def test_pickled_scheduled_trainer_continues_identically():
    X, y = nn_core.make_dataset("moons", n_samples=40, noise=0.2, rng=0)
    original = _trainer(Cosine(period=3, factor=0.1, multiplier=2), 8, "momentum", dropout=0.2)
    original.train(X, y, 4)
    twin = pickle.loads(pickle.dumps(original))
    for trainer in (original, twin):
        trainer.train(X, y, 9)
    np.testing.assert_array_equal(original.model.params, twin.model.params)
    assert original.history == twin.history and original.schedule == twin.schedule
