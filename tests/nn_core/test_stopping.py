"""Stop rules: each fires at the epoch an independent reading of an unstopped run's history says,
the last record and the trainer say why, a stopped trainer waits like a diverged one, pickling
mid-run continues identically, and bad parameters are named."""

import pickle

import numpy as np
import pytest

import nn_core
from nn_core.stopping import AccuracyReached, LossBelow, Plateau


def _data():
    X, y = nn_core.make_dataset("moons", n_samples=80, noise=0.25, rng=0)
    return X[:50], y[:50], X[50:], y[50:]


def _trainer(stop=None, **kwargs):
    model = nn_core.MLP([2, 6, 1], activation="tanh", output="sigmoid", dtype=np.float64, rng=0)
    settings = dict(loss="bce", optimizer="adam", learning_rate=0.05, batch_size=10, rng=0) | kwargs
    return nn_core.Trainer(model, stop=stop, **settings)


def _free_run(n_epochs=300, **kwargs):
    """The history of the same run without any rule."""
    X, y, X_val, y_val = _data()
    trainer = _trainer(**kwargs)
    return trainer.train(X, y, n_epochs, X_val=X_val, y_val=y_val)


def _first(history, test):
    return next(r["epoch"] for r in history if test(r))


def _plateau_epoch(losses, patience, min_delta):
    """Written out again, apart from stopping.py: the epoch (1-based) when the loss has not beaten
    best - min_delta for ``patience`` epochs in a row."""
    best, waited = float("inf"), 0
    for epoch, loss in enumerate(losses, start=1):
        if loss < best - min_delta:
            best, waited = loss, 0
        else:
            waited += 1
            if waited == patience:
                return epoch
    return None


def _run(stop, n_epochs=300, **kwargs):
    X, y, X_val, y_val = _data()
    trainer = _trainer(stop, **kwargs)
    records = trainer.train(X, y, n_epochs, X_val=X_val, y_val=y_val)
    return trainer, records


@pytest.mark.parametrize(
    "rule, metric, test, reason",
    [
        (LossBelow(0.3), "val_loss", lambda v: v < 0.3, "val_loss < 0.3"),
        (LossBelow(0.25, on="train"), "train_loss", lambda v: v < 0.25, "train_loss < 0.25"),
        (AccuracyReached(0.9), "val_accuracy", lambda v: v >= 0.9, "val_accuracy >= 0.9"),
        (AccuracyReached(0.88, on="train"), "train_accuracy", lambda v: v >= 0.88, "train_accuracy >= 0.88"),
    ],
    ids=["val_loss", "train_loss", "val_accuracy", "train_accuracy"],
)
def test_target_rule_stops_after_the_first_epoch_that_meets_it(rule, metric, test, reason):
    free = _free_run()
    expected = _first(free, lambda r: test(r[metric]))
    assert 1 < expected < 300  # the rule has something to do
    trainer, records = _run(rule)
    assert len(records) == expected and trainer.epoch == expected
    assert records[:-1] == free[: expected - 1] and records[-1] == free[expected - 1] | {"stopped_by": reason}
    assert trainer.status == "stopped" and trainer.stopped_by == reason == trainer.history[-1]["stopped_by"]
    assert all("stopped_by" not in r for r in records[:-1])


@pytest.mark.parametrize("patience, min_delta", [(5, 0.0), (10, 0.0), (5, 1e-3), (20, 1e-4)])
def test_plateau_stops_when_the_loss_has_not_improved_for_patience_epochs(patience, min_delta):
    """Watched on the validation loss; the epoch agrees with the loop written out in this test."""
    free = _free_run(600, learning_rate=0.1)
    expected = _plateau_epoch([r["val_loss"] for r in free], patience, min_delta)
    assert expected is not None and expected > patience
    trainer, records = _run(Plateau(patience, min_delta), 600, learning_rate=0.1)
    assert len(records) == expected
    by = f" by more than {min_delta:g}" if min_delta else ""
    assert records[-1]["stopped_by"] == f"val_loss has not improved{by} for {patience} epochs"


def test_plateau_watches_the_training_loss_without_validation_data():
    X, y, _, _ = _data()
    free = _trainer(learning_rate=0.1).train(X, y, 600)
    expected = _plateau_epoch([r["train_loss"] for r in free], 5, 1e-3)
    trainer = _trainer(Plateau(5, 1e-3), learning_rate=0.1)
    assert len(trainer.train(X, y, 600)) == expected
    assert trainer.stopped_by == "train_loss has not improved by more than 0.001 for 5 epochs"


def test_rules_on_validation_scores_never_fire_without_validation_data():
    X, y, _, _ = _data()
    trainer = _trainer([LossBelow(10.0), AccuracyReached(0.01)])
    assert len(trainer.train(X, y, 20)) == 20 and trainer.status == "ok"


def test_plateau_counts_across_train_calls_like_one_call():
    """A live app trains a few epochs per tick: the plateau's count carries over."""
    X, y, X_val, y_val = _data()
    one = _trainer(Plateau(5, 1e-3), learning_rate=0.1)
    one.train(X, y, 600, X_val=X_val, y_val=y_val)
    ticks = _trainer(Plateau(5, 1e-3), learning_rate=0.1)
    while ticks.train(X, y, 7, X_val=X_val, y_val=y_val):
        pass
    assert ticks.history == one.history and ticks.stopped_by == one.stopped_by


def test_first_of_several_rules_to_fire_stops_and_says_so():
    free = _free_run()
    loss_at = _first(free, lambda r: r["val_loss"] < 0.3)
    accuracy_at = _first(free, lambda r: r["val_accuracy"] >= 0.9)
    trainer, records = _run([LossBelow(0.3), AccuracyReached(0.9)])
    assert len(records) == min(loss_at, accuracy_at)
    assert trainer.stopped_by == ("val_loss < 0.3" if loss_at <= accuracy_at else "val_accuracy >= 0.9")


def test_stopped_trainer_waits_until_a_rule_or_hyperparameter_changes():
    """Like divergence: train() does nothing; a new learning rate or new rules resume training from
    the same weights; the same value set again changes nothing."""
    X, y, X_val, y_val = _data()
    trainer, records = _run(LossBelow(0.3))
    params = trainer.model.params.copy()
    assert trainer.train(X, y, 5, X_val=X_val, y_val=y_val) == []
    trainer.learning_rate, trainer.stop = 0.05, LossBelow(0.3)  # the same values: still stopped
    assert trainer.train(X, y, 5, X_val=X_val, y_val=y_val) == [] and trainer.status == "stopped"
    assert np.array_equal(trainer.model.params, params)
    trainer.stop = LossBelow(0.2)
    assert trainer.status == "ok" and trainer.stopped_by is None
    more = trainer.train(X, y, 3, X_val=X_val, y_val=y_val)
    assert [r["epoch"] for r in more] == [len(records) + 1, len(records) + 2, len(records) + 3]
    trainer.stop = None
    assert len(trainer.train(X, y, 4, X_val=X_val, y_val=y_val)) == 4


def test_a_new_learning_rate_gives_a_plateau_patience_epochs_again():
    X, y, X_val, y_val = _data()
    trainer, records = _run(Plateau(5, 1e-3), 600, learning_rate=0.1)
    trainer.learning_rate = 0.01
    more = trainer.train(X, y, 600, X_val=X_val, y_val=y_val)
    assert len(more) >= 5 and more[-1]["stopped_by"]


def test_pickled_trainer_mid_plateau_stops_at_the_same_epoch():
    """The plateau's memory travels with the trainer (as it does to the app's worker processes)."""
    X, y, X_val, y_val = _data()
    schedule = nn_core.make_schedule("cosine", period=50)
    original = _trainer(Plateau(10, 1e-4), learning_rate=0.1, schedule=schedule)
    while not original._stop_memory[0].get("waited"):  # until the plateau has started counting
        original.train(X, y, 1, X_val=X_val, y_val=y_val)
    assert original.status == "ok"
    twin = pickle.loads(pickle.dumps(original))
    for trainer in (original, twin):
        trainer.train(X, y, 600, X_val=X_val, y_val=y_val)
    assert original.status == twin.status == "stopped"
    assert original.history == twin.history and original.stopped_by == twin.stopped_by
    np.testing.assert_array_equal(original.model.params, twin.model.params)


def test_stop_rules_registry():
    assert {name: cls.name for name, cls in nn_core.STOP_RULES.items()} == {
        "loss_below": "loss_below",
        "accuracy_reached": "accuracy_reached",
        "plateau": "plateau",
    }


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: LossBelow(0.0), "target must be a finite number in (0.0, inf); got 0.0"),
        (lambda: LossBelow(0.1, on="test"), "on must be one of ['train', 'val']; got 'test'"),
        (lambda: AccuracyReached(1.5), "target must be a finite number in (0.0, 1.0]; got 1.5"),
        (lambda: Plateau(patience=0), "patience must be an int >= 1; got 0"),
        (lambda: Plateau(min_delta=-1.0), "min_delta must be a finite number in [0.0, inf); got -1.0"),
        (lambda: _trainer("val_loss < 0.1"), "stop must be None or records of"),
        (lambda: _trainer([LossBelow(0.1), 3]), "stop must be None or records of"),
    ],
)
def test_stop_rule_validation_names_the_parameter_and_value(make, message):
    with pytest.raises(ValueError) as error:
        make()
    assert message in str(error.value)
