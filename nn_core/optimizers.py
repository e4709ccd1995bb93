"""Optimizers, simple to complex: SGD, momentum, RMSprop, Adam.

Each works on the network's flat parameter vector ``p`` and its gradient ``g`` (see ``mlp``), so one
step is a handful of whole-vector NumPy calls whatever the depth. ``step(p, g, learning_rate)``
updates ``p`` in place and may overwrite ``g`` (it is recomputed before the next step). The learning
rate is an argument, not state, so it can change between steps without resetting anything.
State (velocities, moments) is created at the first step, sized like ``p``. Pickling keeps the state
and leaves out the scratch vector ``_tmp`` (overwritten before every read), remade at the next step.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

if TYPE_CHECKING:
    from nn_core._types import FloatArray


class Optimizer(Protocol):
    """What ``Trainer`` calls: ``step(p, g, learning_rate)`` updates ``p`` in place."""

    name: str

    def step(self, p: FloatArray, g: FloatArray, learning_rate: float) -> None: ...


class _Scratch:
    """Pickles without ``_tmp``, a scratch vector like ``p``: the state shrinks by a third (Adam)."""

    _tmp: FloatArray | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "_tmp"}

    def _scratch(self, p: FloatArray) -> FloatArray:
        if self._tmp is None:
            self._tmp = np.empty_like(p)
        return self._tmp


class SGD:
    """Plain gradient descent: ``p <- p - lr * g``."""

    name = "sgd"

    def step(self, p: FloatArray, g: FloatArray, learning_rate: float) -> None:
        np.multiply(g, learning_rate, out=g)
        np.subtract(p, g, out=p)


class Momentum:
    """Heavy-ball momentum, PyTorch's form: ``v <- mu * v + g``, ``p <- p - lr * v`` (mu = 0.9)."""

    name = "momentum"

    def __init__(self, momentum: float = 0.9) -> None:
        self.momentum = momentum
        self.velocity: FloatArray | None = None

    def step(self, p: FloatArray, g: FloatArray, learning_rate: float) -> None:
        if self.velocity is None:
            self.velocity = np.zeros_like(p)
        v = self.velocity
        np.multiply(v, self.momentum, out=v)
        np.add(v, g, out=v)
        np.multiply(v, learning_rate, out=g)
        np.subtract(p, g, out=p)


class RMSprop(_Scratch):
    """Scale each step by a running RMS of the gradient (Hinton's lecture 6e; rho = 0.9, eps = 1e-8):
    ``s <- rho * s + (1 - rho) * g**2``, ``p <- p - lr * g / (sqrt(s) + eps)``."""

    name = "rmsprop"

    def __init__(self, rho: float = 0.9, eps: float = 1e-8) -> None:
        self.rho, self.eps = rho, eps
        self.square_avg: FloatArray | None = None

    def step(self, p: FloatArray, g: FloatArray, learning_rate: float) -> None:
        if self.square_avg is None:
            self.square_avg = np.zeros_like(p)
        s, tmp = self.square_avg, self._scratch(p)
        np.multiply(s, self.rho, out=s)
        np.multiply(g, g, out=tmp)
        np.multiply(tmp, 1 - self.rho, out=tmp)
        np.add(s, tmp, out=s)
        np.sqrt(s, out=tmp)
        np.add(tmp, self.eps, out=tmp)
        np.divide(g, tmp, out=g)
        np.multiply(g, learning_rate, out=g)
        np.subtract(p, g, out=p)


class Adam(_Scratch):
    """Adam (Kingma & Ba 2015; beta1 = 0.9, beta2 = 0.999, eps = 1e-8), with t counting steps:

    ``m <- b1 m + (1 - b1) g``,  ``v <- b2 v + (1 - b2) g**2``,
    ``p <- p - lr * m_hat / (sqrt(v_hat) + eps)`` with ``m_hat = m / (1 - b1**t)``,
    ``v_hat = v / (1 - b2**t)`` (the bias corrections undo the zero start of m and v).
    """

    name = "adam"

    def __init__(self, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8) -> None:
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.t = 0
        self.m: FloatArray | None = None
        self.v: FloatArray | None = None

    def step(self, p: FloatArray, g: FloatArray, learning_rate: float) -> None:
        if self.m is None or self.v is None:
            self.m, self.v = np.zeros_like(p), np.zeros_like(p)
        m, v, tmp = self.m, self.v, self._scratch(p)
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        np.multiply(m, b1, out=m)
        np.multiply(g, 1 - b1, out=tmp)
        np.add(m, tmp, out=m)
        np.multiply(v, b2, out=v)
        np.multiply(g, g, out=tmp)
        np.multiply(tmp, 1 - b2, out=tmp)
        np.add(v, tmp, out=v)
        # m_hat / (sqrt(v_hat) + eps) == (m / c1) / (sqrt(v) / sqrt(c2) + eps)
        c1, c2 = 1 - b1**self.t, 1 - b2**self.t
        np.sqrt(v, out=tmp)
        np.multiply(tmp, c2**-0.5, out=tmp)
        np.add(tmp, self.eps, out=tmp)
        np.divide(m, tmp, out=tmp)
        np.multiply(tmp, learning_rate / c1, out=tmp)
        np.subtract(p, tmp, out=p)


OPTIMIZERS: MappingProxyType[str, type[Optimizer]] = MappingProxyType(
    {cls.name: cls for cls in (SGD, Momentum, RMSprop, Adam)}
)
