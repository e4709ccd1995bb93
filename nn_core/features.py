"""Engineered input features, as in TensorFlow Playground: the network sees chosen functions of
the two coordinates instead of (or besides) the coordinates themselves.

``FEATURES[name](X) -> (n,)`` for ``X (n, 2)`` holding (x1, x2). With ``x1 * x2`` as an input, even a
network without hidden layers separates XOR; with ``x1**2`` and ``x2**2`` it separates circles.

Besides these fixed names, a feature may be a formula of x1 and x2 typed by the user (``"cos(x1)"``,
``"x1**2 + x2**2"``), parsed by ``nn_core.formula``'s grammar: ``expand_features`` reads every name
that is not a key of ``FEATURES`` as a formula. ("x1" and "x2" are both, and mean the same.)
"""

from __future__ import annotations

from collections.abc import Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from nn_core._checks import check_matrix
from nn_core.formula import FormulaError, parse

if TYPE_CHECKING:
    from nn_core._types import F64, Feature

# A formula feature's values are clipped to [-FORMULA_BOUND, FORMULA_BOUND]: a float32 network turns
# exp(exp(x1)) = 1e64 into inf, and any input past a million saturates every unit it reaches anyway.
FORMULA_BOUND = 1e6


FEATURES: MappingProxyType[str, Feature] = MappingProxyType(
    {
        "x1": lambda X: X[:, 0],
        "x2": lambda X: X[:, 1],
        "x1_sq": lambda X: X[:, 0] ** 2,
        "x2_sq": lambda X: X[:, 1] ** 2,
        "x1_x2": lambda X: X[:, 0] * X[:, 1],
        "sin_x1": lambda X: np.sin(X[:, 0]),
        "sin_x2": lambda X: np.sin(X[:, 1]),
    }
)

FEATURE_LABELS = MappingProxyType(
    {
        "x1": "x1",
        "x2": "x2",
        "x1_sq": "x1²",
        "x2_sq": "x2²",
        "x1_x2": "x1·x2",
        "sin_x1": "sin(x1)",
        "sin_x2": "sin(x2)",
    }
)


def expand_features(X: npt.ArrayLike, names: Sequence[str]) -> npt.NDArray[Any]:
    """The chosen features of 2-D points ``X (n, 2)`` as columns: ``(n, len(names))``, same dtype.

    ``names``: keys of ``FEATURES``, or formulas of x1 and x2 (any other string, parsed by
    ``nn_core.formula``). A formula is evaluated in float64 and never hands the network a value that
    is not finite: where it is not (``1/x1`` at x1 = 0, ``log(x1)`` for x1 <= 0) it is 0, and it is
    clipped to +-``FORMULA_BOUND``. A name that is neither raises ``FormulaError`` (a ``ValueError``)
    naming ``names[i]``, the formula and the position of the mistake.
    """
    X = check_matrix("X", X, n_features=2)
    if isinstance(names, str) or len(names) == 0:
        raise ValueError(f"names must list at least one feature; got {names!r}")
    columns = [feature_function(name, f"names[{i}]")(X) for i, name in enumerate(names)]
    return np.column_stack(columns).astype(X.dtype, copy=False)


def feature_function(name: str, parameter: str = "name") -> Feature:
    """The function ``X (n, 2) -> (n,)`` of feature ``name``: ``FEATURES[name]``, or else the formula
    ``name`` as ``formula_feature`` evaluates it. ``parameter`` is what an error calls ``name``."""
    if not isinstance(name, str):
        raise ValueError(f"{parameter} must be a feature name or a formula (a string); got {name!r}")
    if name in FEATURES:
        return FEATURES[name]
    try:
        parsed = parse(name)
    except FormulaError as error:
        fixed = ", ".join(FEATURES)
        why = f"{parameter} is neither a feature ({fixed}) nor a formula: {error.message}"
        raise FormulaError(error.text, error.position, why) from None
    return lambda X: _bounded(parsed(X))


def formula_feature(text: str, X: npt.ArrayLike) -> F64:
    """The feature ``text`` (a formula of x1 and x2) at the points ``X (n, 2)``: ``(n,)`` float64, every
    value finite (0 where the formula is not) and within +-``FORMULA_BOUND``."""
    X = check_matrix("X", X, n_features=2)
    return _bounded(parse(text)(X))


def _bounded(values: F64) -> F64:
    """``values`` (already finite: ``Formula`` zeroes the rest) clipped to +-FORMULA_BOUND."""
    return np.clip(values, -FORMULA_BOUND, FORMULA_BOUND)
