"""A class challenge's entries replay with their bias init: a run with random biases, trained tick by
tick in the workers, verifies bit for bit; the same numbers claimed for other biases do not."""

import dataclasses

from playground.challenge import rules, verify
from playground.core.config import Config, from_query, to_query
from playground.core.experiment import Experiment
from playground.live import training

BASE = Config(dataset="spiral", n_samples=90, hidden=(8, 8), activation="relu", head="softmax_ce",
              optimizer="adam", learning_rate=0.01, batch_size=32, bias_init="uniform")  # fmt: skip
RACE = rules.Challenge(
    title="Spiral", config=BASE, goal="test_accuracy>=0.3", score="test_loss",
    locked=frozenset({"dataset", "n_samples", "data_seed", "noise"}), max_epochs=1000, minutes=30,
)  # fmt: skip


def worker_trained(config, epochs):
    """Trained as the Playground trains: ticks in worker processes."""
    exp = Experiment(config)
    for n_epochs in (1, 19, epochs - 20):
        exp.take_training_from(training.run(training.Job(exp.travelling_copy(), n_epochs, 3)).experiment)
    return exp


def test_a_run_with_uniform_biases_replays_bit_for_bit_from_its_link():
    exp = worker_trained(BASE, 120)
    config, notices = from_query(to_query(exp.config))  # what the board stores is the link
    assert config.bias_init == "uniform" and notices == []
    entry = rules.Entry(config, exp.epoch, exp.metrics()["val_loss"])
    verdict = verify.judge(RACE, entry, verify.replay(entry.config, entry.epochs, RACE.goal))
    assert verdict.ok, verdict.message
    assert verdict.score == exp.metrics()["val_loss"]


def test_the_same_score_claimed_with_other_biases_is_rejected():
    exp = worker_trained(BASE, 120)
    other = dataclasses.replace(exp.config, bias_init="zeros")
    entry = rules.Entry(other, exp.epoch, exp.metrics()["val_loss"])
    replayed = verify.replay(entry.config, entry.epochs, RACE.goal)
    assert replayed.numbers["test_loss"] != entry.claimed  # other biases, another run
    assert not verify.judge(RACE, entry, replayed).ok
