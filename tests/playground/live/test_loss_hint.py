"""The empty loss chart's hint tells the truth (issue 14): "press Play or Step to train" only when Play
and Step can train. A network that diverged in its first epoch (both buttons disabled), one with no
epoch left, or weights loaded at epoch 805 (no history before it) each get their own words, in the
fallback chart (``panels.fallback_figures``) and in the live chart's spec (``specs.loss_spec``) alike.
"""

import dataclasses

import numpy as np
import pytest

from playground.core.config import Config
from playground.core.experiment import Experiment
from playground.figures.curves import PLAY_HINT, empty_hint, loss_figure, loss_layout
from playground.live import component as live
from playground.live import panels, specs

SMALL = Config(n_samples=60, hidden=(3,), batch_size=0)
REGRESSION = dataclasses.replace(SMALL, dataset="plane", head="linear_mse")


def hints(exp):
    """The empty chart's text in the fallback figure and in the live spec."""
    fallback = panels.fallback_figures(exp)[1].layout.annotations
    spec = specs.loss_spec(exp)["empty_layout"].get("annotations", [])
    return [a.text for a in fallback], [a["text"] for a in spec]


def diverge_in_the_first_epoch(exp):
    for w in exp.model.weights:
        w[:] = 1e30  # a linear output of 1e30: its squared error overflows float32
    exp.train(1)


def diverged_in_its_first_epoch():
    exp = Experiment(REGRESSION)
    diverge_in_the_first_epoch(exp)
    assert exp.diverged and exp.trainer.history == [] and exp.epoch == 0
    return exp


def loaded_at(epoch, max_epochs=0):
    exp = Experiment(dataclasses.replace(SMALL, max_epochs=max_epochs))
    exp.trainer.epoch = epoch  # what weights_in.resume does with a file of the same run
    assert exp.trainer.history == []
    return exp


def test_a_new_network_says_press_play_or_step():
    assert hints(Experiment(SMALL)) == ([PLAY_HINT], [PLAY_HINT])


def test_a_network_that_diverged_in_its_first_epoch_does_not_say_press_play():
    fallback, spec = hints(diverged_in_its_first_epoch())
    assert fallback == spec and "Play" not in fallback[0] and "lower the learning rate" in fallback[0]


def test_weights_loaded_at_a_later_epoch_say_there_is_no_history_before_it():
    fallback, spec = hints(loaded_at(805))
    assert (
        fallback == spec == ["no history before epoch 805 (loaded weights): press Play or Step to train on"]
    )


def test_weights_loaded_past_the_epoch_budget_say_there_is_nothing_left_to_train():
    exp = loaded_at(805, max_epochs=500)
    assert exp.finished
    fallback, spec = hints(exp)
    assert fallback == spec and "Play" not in fallback[0] and "Epochs to train" in fallback[0]


def test_divergence_is_a_new_spec_revision_so_the_live_chart_gets_the_new_hint():
    exp = Experiment(REGRESSION)
    before = live.revision(exp)
    diverge_in_the_first_epoch(exp)
    assert exp.diverged and live.revision(exp) != before


@pytest.mark.parametrize(
    ("state", "words"),
    [
        (dict(epoch=0, diverged=False, finished=False), "press Play or Step to train"),
        (dict(epoch=0, diverged=True, finished=False), "lower the learning rate"),
        (dict(epoch=12, diverged=True, finished=False), "lower the learning rate"),
        (dict(epoch=805, diverged=False, finished=False), "no history before epoch 805"),
        (dict(epoch=805, diverged=False, finished=True), "no epoch left"),
    ],
)
def test_empty_hint_for_each_case(state, words):
    assert words in empty_hint(**state)


def test_the_figure_and_the_layout_show_the_hint_they_are_given_only_when_empty():
    fig = loss_figure([], task="binary", empty_hint="a hint")
    assert [a.text for a in fig.layout.annotations] == ["a hint"]
    record = dict(epoch=1, train_loss=0.5, val_loss=0.6, train_accuracy=0.5, val_accuracy=0.5)
    assert not loss_figure([record], task="binary", empty_hint="a hint").layout.annotations
    assert loss_layout("regression", empty=True, empty_hint="x")["annotations"][0]["text"] == "x"
    assert np.isfinite(fig.layout.height)
