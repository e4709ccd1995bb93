"""Gradient checking: backpropagation's gradients against central differences of the loss.

Central differences estimate each partial derivative from two evaluations of the full loss ``L``
(data loss + weight penalty), nudging one parameter ``theta_j`` up and down by ``eps``:

    dL/dtheta_j  ~=  (L(theta + eps e_j) - L(theta - eps e_j)) / (2 eps)      error O(eps**2)

Backprop and the estimate are compared per parameter block (``W1``, ``b1``, ``W2``, ...; layer 1 is
the first weight layer) with the relative error of CS231n's notes (cs231n.github.io/neural-networks-3):

    relative_error(a, b) = ||a - b|| / max(||a|| + ||b||, tiny)      0 (equal) .. 1 (opposite)

Thresholds, for float64 and ``eps = 1e-5`` (the check always runs on a float64 copy of the network):
truncation error ~ eps**2 and rounding error ~ 1e-16 / eps are both ~1e-10 relative, so a correct
smooth network scores 1e-11..1e-9 and ``GOOD_BELOW = 1e-7`` leaves a margin of 100. A wrong formula
changes gradients by about their own size, 1e-2..1, hence ``WRONG_ABOVE = 1e-4``; between the two,
look closer. Legitimate reasons to land there: ``eps = 1e-3`` (truncation ~1e-7), a loss near a
minimum (tiny gradients: rounding dominates, a larger ``eps`` helps), and kinks. Where a nudge
crosses a kink (a ReLU or leaky-ReLU unit switching at Z = 0, an L1-penalized weight passing 0), the
difference quotient averages two slopes while backprop takes one: up to 1 for that entry, ~1e-6 on
a large block. Such entries are detected (the units' on/off pattern differs between the two
nudges), counted, and left out of the errors.

The numerical gradient lives in ``finite_differences``, the deliberately broken backward formulas
(``BUGS``) in ``bugs``; both are re-exported here. This module is ordered simple -> complex: the
error measure and its verdicts, then the whole check.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from nn_core._checks import check_choice, is_int, is_real
from nn_core.bugs import BUGS, Bug
from nn_core.finite_differences import (
    check_arguments,
    numerical_gradient,
    numerical_gradient_and_kinks,
)
from nn_core.mlp import MLP

if TYPE_CHECKING:
    from nn_core._types import BoolArray, FloatArray, Progress

__all__ = (
    "BUGS",
    "GOOD_BELOW",
    "KINKS_ONLY",
    "SAMPLE_BUDGET",
    "VERDICTS",
    "WRONG_ABOVE",
    "Block",
    "Bug",
    "GradientCheck",
    "gradient_check",
    "numerical_gradient",
    "numerical_gradient_and_kinks",
    "relative_error",
    "sample_cap",
    "verdict",
)

GOOD_BELOW = 1e-7
WRONG_ABOVE = 1e-4
KINKS_ONLY = "kinks only"  # the verdict of a block whose every entry crossed a kink
VERDICTS = ("good", "look closer", "wrong", "undefined", KINKS_ONLY)
TINY = 1e-300  # the denominator's floor: two zero gradients agree (error 0), not 0 / 0
SAMPLE_BUDGET = 300_000  # n_params * n_samples: a few seconds of central differences (see sample_cap)


# --- the error measure ----------------------------------------------------------------------------
def relative_error(a: npt.ArrayLike, b: npt.ArrayLike) -> float:
    """CS231n's relative error ``||a - b|| / max(||a|| + ||b||, TINY)`` of two same-shape arrays:
    0 when equal, 1 when opposite; NaN if either holds NaN/inf."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape; got {a.shape} and {b.shape}")
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        return math.nan
    return float(np.linalg.norm(a - b) / max(float(np.linalg.norm(a) + np.linalg.norm(b)), TINY))


def verdict(error: Any) -> str:
    """``"good"`` below GOOD_BELOW, ``"wrong"`` above WRONG_ABOVE, ``"look closer"`` between,
    ``"undefined"`` for NaN (a loss that overflowed)."""
    if not is_real(error):
        raise ValueError(f"error must be a real number; got {error!r}")
    if math.isnan(error):
        return "undefined"
    return "good" if error < GOOD_BELOW else "wrong" if error > WRONG_ABOVE else "look closer"


def sample_cap(n_params: Any) -> int:
    """How many samples a check of ``n_params`` parameters may use: ``SAMPLE_BUDGET // n_params``,
    at least 5. The check costs ``2 * n_params`` forward passes, each in proportion to the samples."""
    if not is_int(n_params) or n_params < 1:
        raise ValueError(f"n_params must be an int >= 1; got {n_params!r}")
    return max(5, SAMPLE_BUDGET // int(n_params))


# --- the whole check ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Block:
    """One parameter block (``W1``, ``b1``, ...): its gradients, flat, and how far apart they are.
    The error and the difference leave out the ``kinked`` entries (see ``gradient_check``)."""

    name: str
    shape: tuple[int, ...]
    numerical: FloatArray  # (size,) central differences
    backprop: FloatArray  # (size,) backprop's gradient (the broken one under a bug)
    kinked: BoolArray  # (size,) bool: the nudges of this entry crossed a kink
    relative_error: float  # NaN if undefined (every entry kinked, or an overflow)
    max_abs_difference: float
    verdict: str
    changed_by_bug: bool  # the bug changed backprop's gradient here (False without a bug)


@dataclass(frozen=True)
class GradientCheck:
    """The result of ``gradient_check``: ``blocks`` in layer order W1, b1, W2, b2, ..."""

    blocks: tuple[Block, ...]
    relative_error: float  # over every parameter at once, kinked entries left out
    verdict: str
    loss: float  # the full loss at the checked parameters
    n_samples: int
    n_params: int
    n_kinked: int
    eps: float
    bug: str | None

    def rows(self) -> list[dict[str, Any]]:
        """One dict per block, for a table: block, shape ("2 x 4"), relative error, max |difference|,
        kinks left out, verdict (``pandas.DataFrame(result.rows())``)."""
        return [
            {
                "block": b.name,
                "shape": " x ".join(map(str, b.shape)),
                "relative error": b.relative_error,
                "max |difference|": b.max_abs_difference,
                "kinks left out": int(np.count_nonzero(b.kinked)),
                "verdict": b.verdict,
            }
            for b in self.blocks
        ]


def gradient_check(
    model: MLP,
    X: npt.ArrayLike,
    y: npt.ArrayLike,
    *,
    loss: str,
    l1: float = 0.0,
    l2: float = 0.0,
    eps: float = 1e-5,
    bug: str | None = None,
    progress: Progress = None,
) -> GradientCheck:
    """Compare backprop with central differences for every parameter of ``model``.

    Parameters
    ----------
    model, X, y, loss, l1, l2, eps, progress : as for ``numerical_gradient`` (the model is not changed).
    bug : None, or a key of ``BUGS``: the backprop side runs with that formula broken.

    Returns
    -------
    A frozen ``GradientCheck``; its blocks' arrays are read-only.

    Notes
    -----
    Entries whose two nudges crossed a kink (a ReLU-type unit switching, or an L1-penalized weight
    passing 0) are counted and left out of the errors: there the difference quotient averages two
    slopes while backprop takes one, so the gap says nothing about the code. A fresh ReLU network
    has many: zero biases put a unit exactly at Z = 0 for every sample that switches its inputs off.
    """
    model64, X, Y, the_loss, l1, l2, eps = check_arguments(model, X, y, loss, l1, l2, eps, progress)
    if bug is not None:
        check_choice("bug", bug, BUGS)
    value, correct = model64.loss_and_flat_gradient(X, Y, the_loss, l1=l1, l2=l2)
    backprop = correct
    if bug is not None:
        broken = model64.copy()
        backprop = broken.loss_and_flat_gradient(X, Y, BUGS[bug].apply(broken, the_loss), l1=l1, l2=l2)[1]
    numerical, kinked = numerical_gradient_and_kinks(
        model, X, y, loss=loss, l1=l1, l2=l2, eps=eps, progress=progress
    )
    blocks = tuple(_blocks(model64, numerical, backprop, correct, kinked))
    overall = _compare(numerical, backprop, kinked)[0]
    n_kinked = int(np.count_nonzero(kinked))
    summary = (overall, _verdict(overall, kinked), value, len(X), numerical.size, n_kinked, eps, bug)
    return GradientCheck(blocks, *summary)


def _blocks(
    model: MLP, numerical: FloatArray, backprop: FloatArray, correct: FloatArray, kinked: BoolArray
) -> Iterator[Block]:
    """One ``Block`` per weight matrix and bias vector, in layer order."""
    views = [model.split(v) for v in (numerical, backprop, correct, kinked)]
    for i in range(model.n_layers):
        for kind, name in ((0, f"W{i + 1}"), (1, f"b{i + 1}")):
            num, bp, ok, bent = (v[kind][i].ravel().copy() for v in views)
            for array in (num, bp, bent):
                array.flags.writeable = False
            error, gap = _compare(num, bp, bent)
            changed = relative_error(bp, ok) > 1e-12  # not bit-exact: a swap may reorder sums
            shape = views[0][kind][i].shape
            yield Block(name, shape, num, bp, bent, error, gap, _verdict(error, bent), changed)


def _verdict(error: float, kinked: BoolArray) -> str:
    """``verdict(error)``, or ``"kinks only"`` when every entry was left out for a kink."""
    return KINKS_ONLY if kinked.all() else verdict(error)


def _compare(numerical: FloatArray, backprop: FloatArray, kinked: BoolArray) -> tuple[float, float]:
    """(relative error, max |difference|) over the entries that are not ``kinked``; NaN, NaN if
    none is left or a value is NaN/inf."""
    keep = ~kinked
    if not keep.any():
        return math.nan, math.nan
    error = relative_error(numerical[keep], backprop[keep])
    if math.isnan(error):
        return math.nan, math.nan
    return error, float(np.max(np.abs(numerical[keep] - backprop[keep])))
