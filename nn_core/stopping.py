"""Stop rules: when training has done enough, simple to complex: a loss below a target, an accuracy
that reaches a target, no improvement of the loss for ``patience`` epochs.

A rule is a small frozen record. After every epoch the trainer calls ``check(record, memory)`` with
that epoch's history record and a dict the trainer keeps for the rule (empty when the rule is set or
a hyperparameter changes); a rule returns None to go on, or the reason to stop, a short sentence
such as ``"val_loss < 0.05"``. The trainer then stops after that epoch: ``status = "stopped"``,
``stopped_by`` holds the reason and so does the record, as ``record["stopped_by"]``.

``on="val"`` reads the validation scores (the app's test set); with no validation data the rule
watches nothing and never fires. ``Plateau`` watches the validation loss when there is one, else the
training loss. Its memory (the best loss so far and when) lives in the trainer, not in the history,
which the app thins and ships to worker processes in pieces.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol

from nn_core._checks import check_choice, check_float, check_int

if TYPE_CHECKING:
    from nn_core._types import Record

SETS = ("val", "train")


class StopRule(Protocol):
    """What ``Trainer`` calls after each epoch: None, or why to stop."""

    name: str

    def check(self, record: Record, memory: dict[str, Any]) -> str | None: ...


@dataclass(frozen=True)
class LossBelow:
    """Stop once the ``on`` set's data loss is below ``target`` (> 0)."""

    target: float
    on: str = "val"
    name = "loss_below"

    def __post_init__(self) -> None:
        check_float("target", self.target, low_open=True)
        check_choice("on", self.on, SETS)

    def check(self, record: Record, memory: dict[str, Any]) -> str | None:
        loss = record[f"{self.on}_loss"]
        return None if loss is None or not loss < self.target else f"{self.on}_loss < {self.target:g}"


@dataclass(frozen=True)
class AccuracyReached:
    """Stop once the ``on`` set's accuracy is at least ``target`` (a fraction in (0, 1])."""

    target: float
    on: str = "val"
    name = "accuracy_reached"

    def __post_init__(self) -> None:
        check_float("target", self.target, high=1.0, low_open=True)
        check_choice("on", self.on, SETS)

    def check(self, record: Record, memory: dict[str, Any]) -> str | None:
        accuracy = record[f"{self.on}_accuracy"]
        done = accuracy is not None and accuracy >= self.target
        return f"{self.on}_accuracy >= {self.target:g}" if done else None


@dataclass(frozen=True)
class Plateau:
    """Stop when the loss (validation, else training) has not gone below its best so far by more than
    ``min_delta`` (>= 0) for ``patience`` (>= 1) epochs in a row: Keras' ``EarlyStopping``."""

    patience: int = 10
    min_delta: float = 0.0
    name = "plateau"

    def __post_init__(self) -> None:
        check_int("patience", self.patience, low=1)
        check_float("min_delta", self.min_delta)

    def check(self, record: Record, memory: dict[str, Any]) -> str | None:
        on = "val" if record["val_loss"] is not None else "train"
        loss = record[f"{on}_loss"]
        if loss < memory.get("best", math.inf) - self.min_delta:
            memory["best"], memory["waited"] = loss, 0
            return None
        memory["waited"] = memory.get("waited", 0) + 1
        if memory["waited"] < self.patience:
            return None
        by = f" by more than {self.min_delta:g}" if self.min_delta else ""
        return f"{on}_loss has not improved{by} for {self.patience} epochs"


STOP_RULES: MappingProxyType[str, type[Any]] = MappingProxyType(
    {cls.name: cls for cls in (LossBelow, AccuracyReached, Plateau)}
)


def check_stop(name: str, value: Any) -> tuple[StopRule, ...]:
    """None (never stop), a rule record, or a list or tuple of them, as a tuple of rules."""
    rules = () if value is None else value if isinstance(value, (list, tuple)) else (value,)
    kinds = tuple(STOP_RULES.values())
    if not all(isinstance(rule, kinds) for rule in rules):
        raise ValueError(f"{name} must be None or records of {sorted(STOP_RULES)}; got {value!r}")
    return tuple(rules)


def first_reason(rules: tuple[StopRule, ...], record: Record, memories: list[dict[str, Any]]) -> str | None:
    """The reason of the first of ``rules`` that fires on ``record`` (each with its own memory), or
    None. Every rule sees every record, so a plateau's count is right whichever rule fires first."""
    reasons = [rule.check(record, memory) for rule, memory in zip(rules, memories)]
    return next((reason for reason in reasons if reason), None)
