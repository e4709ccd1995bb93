"""Weight and bias initializers, from the tutorial's plain ``randn`` to the scaled schemes that keep deep
nets alive.

A weight init is ``init(fan_in, fan_out, rng) -> (W (fan_in, fan_out), b (fan_out,))`` in float64: the
scheme's own biases come with it (0, except in ``uniform``, which copies TensorFlow Playground's 0.1).
A bias init, ``bias_init(fan_in, fan_out, rng) -> b (fan_out,)``, replaces them: with every bias at 0,
every first-layer ReLU hinge passes through the origin. ``"auto"`` keeps the weight init's own.
The model casts to its dtype, so the same seed gives the same starting point in float32 and float64.

Draw order (it decides what a seed gives): every layer's weights first, then every layer's biases
(``initialize``). So the bias init never moves the weights: a seed gives the same weights whatever
the biases, and ``"auto"``, which draws nothing more, gives what nn_core gave before bias inits.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from nn_core._types import F64, BiasInit, FloatArray, Init


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


# --- bias initializers: (fan_in, fan_out, rng) -> b (fan_out,) ----------------------------------
AUTO = "auto"  # the weight init's own biases (see the module docstring)
BIAS_CONSTANT = 0.1  # TensorFlow Playground's starting bias


def zeros_bias(fan_in: int, fan_out: int, rng: np.random.Generator) -> F64:
    """b = 0: every hinge of the first layer passes through the origin."""
    return np.zeros(fan_out)


def constant_bias(fan_in: int, fan_out: int, rng: np.random.Generator) -> F64:
    """b = 0.1, TensorFlow Playground's: ReLU units start a little on, none dead at the origin."""
    return np.full(fan_out, BIAS_CONSTANT)


def uniform_bias(fan_in: int, fan_out: int, rng: np.random.Generator) -> F64:
    """b ~ U(-r, r), r = sqrt(6 / (fan_in + fan_out)): drawn like Glorot weights, as scikit-learn's
    MLPClassifier draws its intercepts (``_init_coef``, for every activation but logistic)."""
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, fan_out)


def normal_bias(fan_in: int, fan_out: int, rng: np.random.Generator) -> F64:
    """b ~ N(0, 0.1^2): small random offsets that break the hinges' common point."""
    return 0.1 * rng.standard_normal(fan_out)


BIAS_INITIALIZERS: MappingProxyType[str, BiasInit] = MappingProxyType(
    {"zeros": zeros_bias, "constant": constant_bias, "uniform": uniform_bias, "normal": normal_bias}
)
BIAS_CHOICES = (AUTO, *BIAS_INITIALIZERS)  # what ``MLP(bias_init=...)`` accepts


def initialize(
    weights: list[FloatArray], biases: list[FloatArray], init: str, bias_init: str, rng: np.random.Generator
) -> None:
    """Fill ``weights[i] (fan_in, fan_out)`` and ``biases[i] (fan_out,)`` in place from ``rng``: every
    layer's weights (with the weight init's own biases) first, then every layer's bias init."""
    for W, b in zip(weights, biases):
        W[...], b[...] = INITIALIZERS[init](W.shape[0], W.shape[1], rng)
    if bias_init != AUTO:
        for W, b in zip(weights, biases):
            b[...] = BIAS_INITIALIZERS[bias_init](W.shape[0], W.shape[1], rng)
