"""Learning-rate schedules, simple to complex: constant, step decay, exponential, cosine with warm
restarts (SGDR), cyclic triangular.

A schedule is a small frozen record with ``rate(epoch, base_rate) -> float``: the step size used for
every step of epoch ``epoch`` (1 for the first), given the trainer's ``learning_rate`` as the base.
The rate changes once per epoch, not per step, so one number per epoch says what the optimizer used
(the trainer records it as the history's ``learning_rate``) and a batch size change leaves the
schedule alone. Every parameter is relative to the base rate, so changing ``learning_rate`` scales
the whole schedule.

With ``t = epoch - 1`` epochs done before this one:

- constant:     ``base``
- step:         ``base * factor ** (t // period)``: times ``factor`` every ``period`` epochs
- exponential:  ``base * factor ** (t / period)``: the same decay, smoothly
- cosine:       ``low + (base - low) * (1 + cos(pi * t_cur / T)) / 2`` with ``low = factor * base``;
  ``t_cur`` counts epochs since the last restart, the first cycle lasts ``T = period`` epochs and
  each next one ``multiplier`` times longer (Loshchilov & Hutter 2017, SGDR; PyTorch's
  ``CosineAnnealingWarmRestarts`` stepped once per epoch; ``np.cos``, as the exported script computes it)
- triangular:   from ``low = factor * base`` up to ``base`` over ``period`` epochs, back down over the
  next ``period``, and again (Smith 2017, "triangular", with max_lr = base, base_lr = factor * base)
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Protocol, cast

import numpy as np

from nn_core._checks import check_choice, check_float, check_int


class Schedule(Protocol):
    """What ``Trainer`` calls: ``rate(epoch, base_rate)``, the step size for epoch ``epoch`` >= 1."""

    name: str

    def rate(self, epoch: int, base_rate: float) -> float: ...


def _check_epoch(epoch: int, base_rate: float) -> tuple[int, float]:
    return check_int("epoch", epoch, low=1) - 1, check_float("base_rate", base_rate, low_open=True)


@dataclass(frozen=True)
class Constant:
    """The base rate every epoch."""

    name = "constant"

    def rate(self, epoch: int, base_rate: float) -> float:
        return _check_epoch(epoch, base_rate)[1]


@dataclass(frozen=True)
class StepDecay:
    """``base * factor ** ((epoch - 1) // period)``; ``period`` >= 1 epochs, ``factor`` in (0, 1]."""

    period: int = 10
    factor: float = 0.5
    name = "step"

    def __post_init__(self) -> None:
        check_int("period", self.period, low=1)
        check_float("factor", self.factor, high=1.0, low_open=True)

    def rate(self, epoch: int, base_rate: float) -> float:
        t, base = _check_epoch(epoch, base_rate)
        return base * self.factor ** (t // self.period)


@dataclass(frozen=True)
class Exponential:
    """``base * factor ** ((epoch - 1) / period)``: ``factor`` in (0, 1] per ``period`` epochs."""

    period: int = 10
    factor: float = 0.5
    name = "exponential"

    def __post_init__(self) -> None:
        check_int("period", self.period, low=1)
        check_float("factor", self.factor, high=1.0, low_open=True)

    def rate(self, epoch: int, base_rate: float) -> float:
        t, base = _check_epoch(epoch, base_rate)
        return base * float(self.factor ** (t / self.period))


@dataclass(frozen=True)
class Cosine:
    """Cosine from ``base`` down towards ``factor * base`` over ``period`` epochs, then a restart at
    ``base``; each cycle ``multiplier`` (an int >= 1) times longer than the one before."""

    period: int = 10
    factor: float = 0.0
    multiplier: int = 1
    name = "cosine"

    def __post_init__(self) -> None:
        check_int("period", self.period, low=1)
        check_float("factor", self.factor, high=1.0)
        check_int("multiplier", self.multiplier, low=1)

    def rate(self, epoch: int, base_rate: float) -> float:
        t, base = _check_epoch(epoch, base_rate)
        t_cur, length = t, self.period
        while t_cur >= length:  # cycles grow geometrically (multiplier > 1): a few dozen at most
            t_cur, length = t_cur - length, length * self.multiplier
            if self.multiplier == 1:  # equal cycles: skip to the last one at once
                t_cur %= length
        low = self.factor * base
        return low + (base - low) * (1 + float(np.cos(np.pi * t_cur / length))) / 2


@dataclass(frozen=True)
class Triangular:
    """From ``factor * base`` up to ``base`` in a straight line over ``period`` epochs (a half-cycle),
    back down over the next ``period``, and so on; ``factor`` in [0, 1]."""

    period: int = 10
    factor: float = 0.1
    name = "triangular"

    def __post_init__(self) -> None:
        check_int("period", self.period, low=1)
        check_float("factor", self.factor, high=1.0)

    def rate(self, epoch: int, base_rate: float) -> float:
        t, base = _check_epoch(epoch, base_rate)
        position = t % (2 * self.period)  # 0 .. 2 * period - 1 within the cycle
        rise = min(position, 2 * self.period - position) / self.period  # 0 -> 1 -> 0
        low = self.factor * base
        return low + (base - low) * rise


SCHEDULES: MappingProxyType[str, type[Any]] = MappingProxyType(
    {cls.name: cls for cls in (Constant, StepDecay, Exponential, Cosine, Triangular)}
)


def make_schedule(name: str, **params: Any) -> Schedule:
    """The schedule ``name`` (a key of ``SCHEDULES``) with ``params`` (period, factor, multiplier):
    parameters a schedule does not have are ignored, so one set of settings fits every name."""
    cls = SCHEDULES[check_choice("schedule", name, SCHEDULES)]
    fields = getattr(cls, "__dataclass_fields__", {})
    schedule: Schedule = cls(**{k: v for k, v in params.items() if k in fields})
    return schedule


def check_schedule(name: str, value: Any) -> Schedule:
    """A schedule record, or the name of one (with its default parameters)."""
    if isinstance(value, str):
        return make_schedule(value)
    if isinstance(value, tuple(SCHEDULES.values())):
        return cast("Schedule", value)
    raise ValueError(f"{name} must be a name in {sorted(SCHEDULES)} or one of their records; got {value!r}")
