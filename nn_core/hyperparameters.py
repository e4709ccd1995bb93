"""Trainer settings that can change between calls to ``train``, each validated when set.

``hyperparameter(name, check, doc)`` makes a property that validates the value with ``check`` and,
when the value changes, clears a diverged trainer's status: lowering the learning rate (or changing
any other setting) is how a user resumes after divergence.
"""

from collections.abc import Callable
from typing import Any

from nn_core._checks import check_float, check_int


def hyperparameter(name: str, check: Callable[[str, Any], Any], doc: str) -> Any:
    """A property that validates, and that lets a diverged trainer resume when its value changes."""

    attr = "_" + name  # the hot loop reads self._<name> directly

    def get(self: Any) -> Any:
        return getattr(self, attr)

    def set_(self: Any, value: Any) -> None:
        value = check(name, value)
        if not hasattr(self, attr) or getattr(self, attr) != value:
            setattr(self, attr, value)
            self.status, self.diverged_epoch = "ok", None

    return property(get, set_, doc=doc)


def check_learning_rate(name: str, value: Any) -> float:
    """A finite step size > 0."""
    return check_float(name, value, low=0.0, low_open=True)


def check_batch_size(name: str, value: Any) -> int | None:
    """None (full batch) or an int >= 1."""
    return None if value is None else check_int(name, value, low=1)


def check_dropout(name: str, value: Any) -> float:
    """A drop rate in [0, 1)."""
    return check_float(name, value, high=1.0, high_open=True)
