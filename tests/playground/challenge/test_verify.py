"""A challenge's rules, and every entry verified by replaying it: the honest run is accepted (also when
it trained tick by tick in the workers, as the Playground trains), a doctored one (another score, a
locked setting changed, other epochs) is rejected with a plain message."""

import dataclasses
import io

import numpy as np
import pytest
from PIL import Image

from playground.challenge import rules, verify
from playground.core.config import Config
from playground.core.experiment import Experiment
from playground.live import training

BASE = Config(dataset="xor", n_samples=120, hidden=(6,), learning_rate=0.1, batch_size=10)
RACE = rules.Challenge(
    title="Smallest network on XOR", config=BASE, goal="test_accuracy>=0.8", score="neurons",
    locked=frozenset({"dataset", "n_samples", "data_seed", "noise"}), max_epochs=1000, minutes=30,
)  # fmt: skip


def trained(config, epochs):
    exp = Experiment(config)
    exp.train(epochs)
    return exp


def honest(exp, challenge=RACE):
    return rules.Entry(exp.config, exp.epoch, verify.measure(exp)[challenge.ranking.key])


def judged(challenge, entry):
    return verify.judge(challenge, entry, verify.replay(entry.config, entry.epochs, challenge.goal))


def test_the_honest_run_is_accepted_with_its_score_and_a_thumbnail():
    exp = trained(BASE, 300)
    verdict = judged(RACE, honest(exp))
    assert verdict.ok, verdict.message
    assert verdict.score == 6.0 and verdict.replay.numbers["test_accuracy"] == exp.metrics()["val_accuracy"]
    image = Image.open(io.BytesIO(verdict.replay.thumbnail))
    assert image.format == "PNG" and image.size[0] == image.size[1] >= 40


def test_a_run_trained_tick_by_tick_in_the_workers_replays_exactly():
    """The Playground trains in ticks of chunks in worker processes (with the film's one-epoch steps
    at the start); its numbers must equal a replay in one go, or honest students would be refused."""
    race = dataclasses.replace(RACE, score="test_loss")
    exp = Experiment(BASE)
    for n_epochs, n_frames in [(1, 1), (12, 6), (40, 6), (150, 6), (97, 3)]:
        result = training.run(training.Job(exp.travelling_copy(), n_epochs, n_frames))
        exp.take_training_from(result.experiment)
    assert exp.epoch == 300
    verdict = judged(race, honest(exp, race))
    assert verdict.ok, verdict.message
    assert verdict.score == exp.metrics()["val_loss"]  # bit for bit


def test_a_doctored_score_is_rejected():
    race = dataclasses.replace(RACE, score="test_loss")
    entry = honest(trained(BASE, 300), race)
    verdict = judged(race, dataclasses.replace(entry, claimed=entry.claimed * 0.5))
    assert not verdict.ok and "but the entry claims" in verdict.message


def test_a_changed_locked_setting_is_rejected_and_an_unlocked_one_is_fine():
    more_points = dataclasses.replace(BASE, n_samples=200)
    verdict = judged(RACE, honest(trained(more_points, 300)))
    assert not verdict.ok
    assert verdict.message == "This run changed what the challenge locks: Number of points."
    fewer_neurons = dataclasses.replace(BASE, hidden=(4,))
    verdict = judged(RACE, honest(trained(fewer_neurons, 400)))
    assert verdict.ok and verdict.score == 4.0


def test_a_locked_activation_locks_the_activation_per_layer_too():
    # The page draws no per-layer select under a locked activation; a link that sets one anyway
    # (the same plain activation, another function in a layer) breaks the lock.
    race = dataclasses.replace(RACE, locked=RACE.locked | {"activation"})
    config = dataclasses.replace(BASE, hidden=(6, 4), layer_activations=("relu", "tanh"))
    assert rules.broken_locks(race, config) == ["Activation per layer"]
    assert rules.broken_locks(RACE, config) == []
    assert rules.broken_locks(race, dataclasses.replace(BASE, hidden=(6, 4))) == []


def test_changed_epochs_are_caught():
    race = dataclasses.replace(RACE, score="test_loss")
    exp = trained(BASE, 300)
    entry = dataclasses.replace(honest(exp, race), epochs=250)  # the score of 300 epochs, claimed at 250
    assert not judged(race, entry).ok
    assert verify.check_budget(race, dataclasses.replace(entry, epochs=1001)) == (
        "This run trained 1001 epochs; this challenge replays at most 1000."
    )


def test_a_run_that_misses_the_goal_is_rejected():
    verdict = judged(RACE, honest(trained(BASE, 1)))
    assert not verdict.ok and verdict.message.startswith("The replay of this run does not meet the goal")


def test_a_change_while_training_is_remembered():
    exp = trained(BASE, 10)
    assert exp.changed_midway == ""
    exp.update(dataclasses.replace(BASE, learning_rate=0.3))
    assert exp.changed_midway == "Learning rate at epoch 10"
    exp.reset()
    assert exp.changed_midway == ""


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"title": "  "}, "title"),
        ({"goal": ""}, "needs a goal"),
        ({"goal": "accuracy > 3"}, "goal cannot be read"),
        ({"score": "vibes"}, "score must be one of"),
        ({"locked": frozenset({"warp_drive"})}, "Unknown controls"),
        ({"max_epochs": 0}, "epoch budget"),
        ({"minutes": 100_000}, "A race lasts"),
        ({"config": Config(dataset="upload")}, "uploaded or hand-drawn data"),
        ({"config": Config(dataset="drawn")}, "uploaded or hand-drawn data"),
    ],
)
def test_a_challenge_that_cannot_be_is_refused_in_words(changes, words):
    with pytest.raises(rules.ChallengeError, match=words):
        dataclasses.replace(RACE, **changes)


def test_the_spec_round_trips_as_plain_json():
    import json

    spec = json.loads(json.dumps(RACE.to_spec()))
    assert rules.Challenge.from_spec(spec) == RACE
    with pytest.raises(rules.ChallengeError):
        rules.Challenge.from_spec({"title": "x"})


def test_scores_are_shown_as_counts_losses_or_percentages():
    assert verify.format_score(RACE, 6.0) == "6 neurons"
    assert verify.format_score(dataclasses.replace(RACE, score="test_loss"), 0.123456) == "0.1235"
    assert verify.format_score(dataclasses.replace(RACE, score="test_accuracy"), 0.9) == "90.0 %"
    assert np.isfinite(verify.measure(trained(BASE, 2))["test_loss"])
