"""A config's learning-rate schedule and stop rule: as nn_core records for the trainer, and the rule's
reason in the words of the page (the exported script writes its own code for both:
``playground.files.export_script``).

The config holds plain settings (``schedule``, ``schedule_period``, ``schedule_factor``; ``stop_rule``,
``stop_target``, ``stop_patience``); nn_core's ``schedules`` and ``stopping`` hold the maths. The app
calls the test set what nn_core calls validation data, so ``stop_rule="test_loss_below"`` is
``LossBelow(target, on="val")``, and its reason ``"val_loss < 0.05"`` reads "test loss < 0.05".
"""

from types import MappingProxyType

import nn_core
from nn_core.stopping import AccuracyReached, LossBelow, Plateau

PLATEAU_MIN_DELTA = 1e-4  # "plateau": a loss better by less than this does not count as better
# The rules with a target: stop_rule -> (the set it watches, what it compares with the target).
TARGET_RULES = MappingProxyType(
    {
        "test_loss_below": ("test", "loss"),
        "train_loss_below": ("train", "loss"),
        "test_accuracy_reached": ("test", "accuracy"),
        "train_accuracy_reached": ("train", "accuracy"),
    }
)
_SETS = MappingProxyType({"test": "val", "train": "train"})  # the app's word -> nn_core's
_WORDS = MappingProxyType({"val_": "test ", "train_": "training "})  # nn_core's reason -> the page's


def schedule_of(config):
    """The ``nn_core.schedules`` record the config describes."""
    c = config
    return nn_core.make_schedule(
        c.schedule, period=c.schedule_period, factor=c.schedule_factor, multiplier=c.schedule_multiplier
    )


def stop_rules_of(config):
    """The ``nn_core.stopping`` rules the config describes: () for "none", else one rule."""
    if config.stop_rule == "none":
        return ()
    if config.stop_rule == "plateau":
        return (Plateau(config.stop_patience, PLATEAU_MIN_DELTA),)
    where, metric = TARGET_RULES[config.stop_rule]
    rule = LossBelow if metric == "loss" else AccuracyReached
    return (rule(config.stop_target, on=_SETS[where]),)


def reason_text(reason):
    """nn_core's reason (``"val_loss < 0.05"``) in the page's words (``"test loss < 0.05"``)."""
    for engine, page in _WORDS.items():
        reason = reason.replace(engine, page)
    return reason.replace("_", " ")
