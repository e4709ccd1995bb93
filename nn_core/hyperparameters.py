"""Trainer settings that can change between calls to ``train``, each validated when set.

``Hyperparameters`` is the part of ``Trainer`` that holds them, with the trainer's status.
``hyperparameter(name, check, doc)`` makes a property that validates the value with ``check`` and,
when the value changes, clears a diverged or stopped trainer's status (``resume``): lowering the
learning rate (or changing any other setting, the schedule and the stop rules included) is how a
user resumes after divergence or after a stop rule fired.
"""

from collections.abc import Callable
from typing import Any

from nn_core._checks import check_choice, check_float, check_int
from nn_core.optimizers import OPTIMIZERS, Optimizer
from nn_core.schedules import Schedule, check_schedule
from nn_core.stopping import StopRule, check_stop


def hyperparameter(name: str, check: Callable[[str, Any], Any], doc: str) -> Any:
    """A property that validates, and that lets a diverged trainer resume when its value changes."""

    attr = "_" + name  # the hot loop reads self._<name> directly

    def get(self: Any) -> Any:
        return getattr(self, attr)

    def set_(self: Any, value: Any) -> None:
        value = check(name, value)
        if not hasattr(self, attr) or getattr(self, attr) != value:
            setattr(self, attr, value)
            resume(self)

    return property(get, set_, doc=doc)


def resume(trainer: Any) -> None:
    """Clear a diverged or stopped status; the stop rules start watching afresh (a plateau's count
    starts again, so a stopped trainer trains at least ``patience`` more epochs)."""
    trainer.status, trainer.diverged_epoch, trainer.stopped_by = "ok", None, None
    trainer._stop_memory = [{} for _ in getattr(trainer, "_stop", ())]


def check_learning_rate(name: str, value: Any) -> float:
    """A finite step size > 0."""
    return check_float(name, value, low=0.0, low_open=True)


def check_batch_size(name: str, value: Any) -> int | None:
    """None (full batch) or an int >= 1."""
    return None if value is None else check_int(name, value, low=1)


def check_dropout(name: str, value: Any) -> float:
    """A drop rate in [0, 1)."""
    return check_float(name, value, high=1.0, high_open=True)


class Hyperparameters:
    """The settings of a ``Trainer`` (its base class), each a validated property, and its status."""

    learning_rate = hyperparameter("learning_rate", check_learning_rate, "Step size, > 0.")
    batch_size = hyperparameter("batch_size", check_batch_size, "Rows per step; None = full batch.")
    l1 = hyperparameter("l1", check_float, "L1 penalty rate, >= 0.")
    l2 = hyperparameter("l2", check_float, "L2 penalty rate, >= 0.")
    dropout = hyperparameter("dropout", check_dropout, "Drop rate in [0, 1).")
    schedule = hyperparameter("schedule", check_schedule, "Learning rate per epoch (``schedules``).")
    stop = hyperparameter("stop", check_stop, "Stop rules, a tuple (``stopping``); () = never stop.")
    _learning_rate: float
    _batch_size: int | None
    _l1: float
    _l2: float
    _dropout: float
    _schedule: Schedule
    _stop: tuple[StopRule, ...]
    _stop_memory: list[dict[str, Any]]  # one per stop rule, see stopping.first_reason
    status: str  # "ok", "diverged" or "stopped"
    diverged_epoch: int | None
    stopped_by: str | None

    @property
    def optimizer(self) -> str:
        """The optimizer's name; assigning a new name starts that optimizer with fresh state."""
        return self._optimizer.name

    @optimizer.setter
    def optimizer(self, name: str) -> None:
        name = check_choice("optimizer", name, OPTIMIZERS)
        if getattr(self, "_optimizer", None) is None or self._optimizer.name != name:
            self._optimizer: Optimizer = OPTIMIZERS[name]()
            resume(self)
