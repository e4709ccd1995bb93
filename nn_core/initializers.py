"""Weight initializers, from the tutorial's plain ``randn`` to the scaled schemes that keep deep nets alive.

Each is ``init(fan_in, fan_out, rng) -> (W (fan_in, fan_out), b (fan_out,))`` in float64; the model
casts to its dtype, so the same seed gives the same starting point in float32 and float64.
Biases start at 0 except in ``uniform``, which copies TensorFlow Playground (biases 0.1).
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from nn_core._types import F64, Init


def zeros(fan_in: int, fan_out: int, rng: np.random.Generator) -> tuple[F64, F64]:
    """All zeros: every unit of a layer stays identical forever (the symmetry a lesson can show)."""
    return np.zeros((fan_in, fan_out)), np.zeros(fan_out)


def small(fan_in: int, fan_out: int, rng: np.random.Generator) -> tuple[F64, F64]:
    """0.01 * randn, the second tutorial's choice: tiny weights, slow start for deep nets."""
    return 0.01 * rng.standard_normal((fan_in, fan_out)), np.zeros(fan_out)


def normal(fan_in: int, fan_out: int, rng: np.random.Generator) -> tuple[F64, F64]:
    """Plain randn (standard deviation 1), the first tutorial's choice."""
    return rng.standard_normal((fan_in, fan_out)), np.zeros(fan_out)


def uniform(fan_in: int, fan_out: int, rng: np.random.Generator) -> tuple[F64, F64]:
    """TensorFlow Playground's: W ~ U(-0.5, 0.5), b = 0.1."""
    return rng.uniform(-0.5, 0.5, (fan_in, fan_out)), np.full(fan_out, 0.1)


def xavier(fan_in: int, fan_out: int, rng: np.random.Generator) -> tuple[F64, F64]:
    """Glorot uniform: W ~ U(-r, r) with r = sqrt(6 / (fan_in + fan_out)); suits tanh and sigmoid."""
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, (fan_in, fan_out)), np.zeros(fan_out)


def he(fan_in: int, fan_out: int, rng: np.random.Generator) -> tuple[F64, F64]:
    """He normal: W ~ N(0, 2 / fan_in); keeps the variance of ReLU layers constant."""
    return rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in), np.zeros(fan_out)


INITIALIZERS: MappingProxyType[str, Init] = MappingProxyType(
    {f.__name__: f for f in (zeros, small, normal, uniform, xavier, he)}
)
