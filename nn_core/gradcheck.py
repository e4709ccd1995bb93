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

``BUGS`` are deliberately broken backward formulas, run through nn_core's own backprop with one
piece swapped, so the check can show what a bug looks like. The module is ordered simple -> complex:
the error measure, the numerical gradient, the bugs, the whole check.
"""

import functools
import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass, replace
from types import MappingProxyType

import numpy as np

from nn_core._checks import check_choice, check_float
from nn_core.activations import ACTIVATIONS, OUTPUTS, Activation
from nn_core.mlp import MLP
from nn_core.regularization import penalty

GOOD_BELOW = 1e-7
WRONG_ABOVE = 1e-4
KINKS_ONLY = "kinks only"  # the verdict of a block whose every entry crossed a kink
VERDICTS = ("good", "look closer", "wrong", "undefined", KINKS_ONLY)
TINY = 1e-300  # the denominator's floor: two zero gradients agree (error 0), not 0 / 0
SAMPLE_BUDGET = 300_000  # n_params * n_samples: a few seconds of central differences (see sample_cap)


# --- the error measure ----------------------------------------------------------------------------
def relative_error(a, b):
    """CS231n's relative error ``||a - b|| / max(||a|| + ||b||, TINY)`` of two same-shape arrays:
    0 when equal, 1 when opposite; NaN if either holds NaN/inf."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape; got {a.shape} and {b.shape}")
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        return math.nan
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), TINY))


def verdict(error):
    """``"good"`` below GOOD_BELOW, ``"wrong"`` above WRONG_ABOVE, ``"look closer"`` between,
    ``"undefined"`` for NaN (a loss that overflowed)."""
    if not isinstance(error, numbers.Real) or isinstance(error, bool):
        raise ValueError(f"error must be a real number; got {error!r}")
    if math.isnan(error):
        return "undefined"
    return "good" if error < GOOD_BELOW else "wrong" if error > WRONG_ABOVE else "look closer"


def sample_cap(n_params):
    """How many samples a check of ``n_params`` parameters may use: ``SAMPLE_BUDGET // n_params``,
    at least 5. The check costs ``2 * n_params`` forward passes, each in proportion to the samples."""
    if not isinstance(n_params, numbers.Integral) or isinstance(n_params, bool) or n_params < 1:
        raise ValueError(f"n_params must be an int >= 1; got {n_params!r}")
    return max(5, SAMPLE_BUDGET // int(n_params))


# --- the numerical gradient -----------------------------------------------------------------------
def numerical_gradient(model, X, y, *, loss, l1=0.0, l2=0.0, eps=1e-5, progress=None):
    """Central differences of the full loss (data loss + penalty) for every entry of ``model.params``.

    Parameters
    ----------
    model : an ``MLP``; it is not modified (the nudges go to a float64 copy).
    X : (n_samples, layer_sizes[0]); y : labels or targets (see ``losses.encode_targets``).
    loss : a key of ``LOSSES`` valid for the model's output; l1, l2 : penalty rates >= 0.
    eps : the nudge, in (0, 1]; progress : optional ``progress(done, total)``, called about every 1 %
        of the parameters and once at the end with ``done == total``.

    Returns
    -------
    (n_params,) float64, laid out like ``model.params`` (every weight, then every bias).
    """
    model, X, Y, the_loss, l1, l2, eps = _prepare(model, X, y, loss, l1, l2, eps, progress)
    return _central_differences(model, X, Y, the_loss, l1=l1, l2=l2, eps=eps, progress=progress)[0]


def _central_differences(model, X, Y, the_loss, *, l1, l2, eps, progress):
    """The loop behind ``numerical_gradient``, on a float64 ``model`` it may nudge.

    The layers come from the public views and the registries, never from the model's internals, so
    a bug swapped into a model's backward pass cannot leak into the estimate.

    Returns (gradient (n_params,), kinked (n_params,) bool): ``kinked[j]`` when the two nudges of
    parameter j put a ReLU-type unit, or an L1-penalized weight, on different sides of 0. The
    difference quotient then averages two slopes, and backprop rightly reports one of them."""
    kinks = ("relu", "leaky_relu")
    hidden, output = ACTIVATIONS[model.activation], OUTPUTS[model.output]
    layers = [(W, b, hidden, model.activation in kinks) for W, b in zip(model.weights, model.biases)]
    layers[-1] = (*layers[-1][:2], output, False)
    grad, kinked = np.empty_like(model.params), np.zeros(model.params.shape, dtype=bool)
    (grad_W, grad_b), (kinked_W, kinked_b) = model.split(grad), model.split(kinked)
    report = _Reporter(progress, model.params.size)
    A_prev = X
    for i, (W, b, activation, _) in enumerate(layers):
        # Layers before i do not depend on layer i's parameters: start every evaluation at A_prev.
        data_loss = functools.partial(_loss_from, layers, i, A_prev, Y, the_loss)
        blocks = ((W, grad_W[i], kinked_W[i], l1, l2), (b, grad_b[i], kinked_b[i], 0.0, 0.0))
        for values, out, out_kinked, rate_1, rate_2 in blocks:  # biases are not penalized
            # Views, all three: nudging ``flat`` nudges the model; the results land in grad, kinked.
            flat, out, out_kinked = values.reshape(-1), out.reshape(-1), out_kinked.reshape(-1)
            for j in range(flat.size):
                out[j], out_kinked[j] = _partial(flat, j, eps, data_loss, l1=rate_1, l2=rate_2)
                report.one()
        A_prev = activation.forward(A_prev @ W + b)
    return grad, kinked


def _partial(flat, j, eps, data_loss, *, l1, l2):
    """(L(+eps) - L(-eps)) / (2 eps) for entry j of ``flat``, and whether the nudges crossed a kink.
    The penalty is a sum over single weights, so only this weight's term can change: it is
    differenced alone (exact, and O(1) instead of O(n_params))."""
    old = flat[j]
    flat[j] = old + eps
    up, up_signs = data_loss()
    flat[j] = old - eps
    down, down_signs = data_loss()
    flat[j] = old
    kinked = bool(l1) and old - eps <= 0 <= old + eps  # |w| bends at 0
    kinked = kinked or any(not np.array_equal(u, d) for u, d in zip(up_signs, down_signs))
    if l1 or l2:
        up += penalty(np.array([old + eps]), l1=l1, l2=l2)
        down += penalty(np.array([old - eps]), l1=l1, l2=l2)
    return (up - down) / (2 * eps), kinked


def _loss_from(layers, start, A_prev, Y, the_loss):
    """Run ``layers[start:]`` forward from their input ``A_prev``. Returns (data loss, [Z > 0 of
    each ReLU-type layer]): where the units switch on, the loss bends."""
    A, signs = A_prev, []
    with np.errstate(over="ignore", invalid="ignore"):  # a huge network may overflow: NaN, reported
        for W, b, activation, bends in layers[start:]:
            Z = A @ W + b
            if bends:
                signs.append(Z > 0)
            A = activation.forward(Z)
        return the_loss.value(A, Z, Y), signs


class _Reporter:
    """Calls ``progress(done, total)`` about every 1 % and at the end."""

    def __init__(self, progress, total):
        self.progress, self.total, self.done = progress, total, 0
        self.every = max(1, -(-total // 100))  # ceil: at most 100 calls, plus the last

    def one(self):
        self.done += 1
        if self.progress is not None and (self.done % self.every == 0 or self.done == self.total):
            self.progress(self.done, self.total)


# --- bugs: nn_core's backprop with one formula broken ---------------------------------------------
@dataclass(frozen=True)
class Bug:
    """A broken backward formula. ``apply(model, the_loss) -> the_loss`` breaks a float64 copy:
    it may swap the hidden activations of ``model._layers`` and returns the ``Loss`` to use."""

    label: str  # a few words, for menus
    description: str  # the broken line, in plain words
    apply: Callable


def _swap_hidden_backward(model, make_backward):
    """Give every hidden layer of ``model`` the activation ``g`` with backward ``make_backward(g)``."""
    for i, (W, b, g) in enumerate(model._layers[:-1]):
        model._layers[i] = (W, b, Activation(g.name, g.forward, make_backward(g)))


def _no_derivative(model, the_loss):
    _swap_hidden_backward(model, lambda g: ACTIVATIONS["linear"].backward)  # dZ = dA
    return the_loss


def _derivative_of_z(model, the_loss):
    # tanh' and sigmoid' are computed from A (1 - A**2, A (1 - A)); handing them Z instead is the
    # classic sigmoid_derivative(Z) = Z (1 - Z). ReLU's derivative reads Z anyway: unaffected.
    _swap_hidden_backward(model, lambda g: lambda dA, Z, A, out=None: g.backward(dA, Z, Z, out=out))
    return the_loss


def _times_output_gradient(factor):
    """A bug multiplying the output layer's dL/dZ by ``factor(n_samples)``."""

    def apply(model, the_loss):
        def gradient(A, Z, Y, output, out=None):
            return np.multiply(the_loss.gradient(A, Z, Y, output, out=out), factor(len(A)), out=out)

        return replace(the_loss, gradient=gradient)

    return apply


def _no_output_derivative(model, the_loss):
    # Uses dA as dZ at the output: right for bce and cross-entropy, whose fused gradient (A - Y) / n
    # already includes it (and ignores ``output``), wrong for mse behind sigmoid, tanh or softmax.
    def gradient(A, Z, Y, output, out=None):
        return the_loss.gradient(A, Z, Y, OUTPUTS["linear"], out=out)

    return replace(the_loss, gradient=gradient)


BUGS = MappingProxyType(
    {
        "no_derivative": Bug(
            "forget the activation's derivative",
            "Hidden layers pass dZ = dA back, without multiplying by g'(Z). "
            "Harmless only for a linear activation; shows in every layer but the last.",
            _no_derivative,
        ),
        "derivative_of_z": Bug(
            "derivative from Z instead of A",
            "The shortcut sigmoid'(Z) = A (1 - A) is fed Z: Z (1 - Z) (and 1 - Z² for tanh). "
            "ReLU-type derivatives read Z anyway, so only sigmoid and tanh hidden layers break.",
            _derivative_of_z,
        ),
        "sum_not_mean": Bug(
            "sum instead of mean",
            "The output gradient is not divided by the number of samples: every gradient is n times "
            "too large (with one sample this changes nothing).",
            _times_output_gradient(lambda n_samples: n_samples),
        ),
        "wrong_sign": Bug(
            "wrong sign",
            "The output gradient dL/dZ comes out negated (Y - A instead of A - Y): training would climb.",
            _times_output_gradient(lambda n_samples: -1),
        ),
        "no_output_derivative": Bug(
            "forget the output activation's derivative",
            "dZ = dA at the output. Right for bce and cross-entropy, where the derivative cancels; "
            "wrong for MSE behind a sigmoid, tanh or softmax output.",
            _no_output_derivative,
        ),
    }
)


# --- the whole check ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Block:
    """One parameter block (``W1``, ``b1``, ...): its gradients, flat, and how far apart they are.
    The error and the difference leave out the ``kinked`` entries (see ``gradient_check``)."""

    name: str
    shape: tuple
    numerical: np.ndarray  # (size,) central differences
    backprop: np.ndarray  # (size,) backprop's gradient (the broken one under a bug)
    kinked: np.ndarray  # (size,) bool: the nudges of this entry crossed a kink
    relative_error: float  # NaN if undefined (every entry kinked, or an overflow)
    max_abs_difference: float
    verdict: str
    changed_by_bug: bool  # the bug changed backprop's gradient here (False without a bug)


@dataclass(frozen=True)
class GradientCheck:
    """The result of ``gradient_check``: ``blocks`` in layer order W1, b1, W2, b2, ..."""

    blocks: tuple
    relative_error: float  # over every parameter at once, kinked entries left out
    verdict: str
    loss: float  # the full loss at the checked parameters
    n_samples: int
    n_params: int
    n_kinked: int
    eps: float
    bug: str | None

    def rows(self):
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


def gradient_check(model, X, y, *, loss, l1=0.0, l2=0.0, eps=1e-5, bug=None, progress=None):
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
    model64, X, Y, the_loss, l1, l2, eps = _prepare(model, X, y, loss, l1, l2, eps, progress)
    if bug is not None:
        check_choice("bug", bug, BUGS)
    value, correct = model64.loss_and_flat_gradient(X, Y, the_loss, l1=l1, l2=l2)
    backprop = correct
    if bug is not None:
        broken = model64.copy()
        backprop = broken.loss_and_flat_gradient(X, Y, BUGS[bug].apply(broken, the_loss), l1=l1, l2=l2)[1]
    numerical, kinked = _central_differences(
        model64, X, Y, the_loss, l1=l1, l2=l2, eps=eps, progress=progress
    )
    blocks = tuple(_blocks(model64, numerical, backprop, correct, kinked))
    overall = _compare(numerical, backprop, kinked)[0]
    n_kinked = int(np.count_nonzero(kinked))
    summary = (overall, _verdict(overall, kinked), value, len(X), numerical.size, n_kinked, eps, bug)
    return GradientCheck(blocks, *summary)


def _blocks(model, numerical, backprop, correct, kinked):
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


def _verdict(error, kinked):
    """``verdict(error)``, or ``"kinks only"`` when every entry was left out for a kink."""
    return KINKS_ONLY if kinked.all() else verdict(error)


def _compare(numerical, backprop, kinked):
    """(relative error, max |difference|) over the entries that are not ``kinked``; NaN, NaN if
    none is left or a value is NaN/inf."""
    keep = ~kinked
    if not keep.any():
        return math.nan, math.nan
    error = relative_error(numerical[keep], backprop[keep])
    if math.isnan(error):
        return math.nan, math.nan
    return error, float(np.max(np.abs(numerical[keep] - backprop[keep])))


def _prepare(model, X, y, loss, l1, l2, eps, progress):
    """Check the arguments; return a float64 copy of the model, X and the target matrix Y in
    float64, the ``Loss``, and the checked l1, l2, eps."""
    if not isinstance(model, MLP):
        raise ValueError(f"model must be an nn_core MLP; got {type(model).__name__}")
    if not np.all(np.isfinite(model.params)):
        bad = np.count_nonzero(~np.isfinite(model.params))
        raise ValueError(f"model.params must be finite (a diverged network?); got {bad} NaN/inf")
    if progress is not None and not callable(progress):
        raise ValueError(f"progress must be None or a callable(done, total); got {progress!r}")
    model64 = model.copy(dtype=np.float64)
    the_loss = model64.check_loss(loss)
    l1, l2 = check_float("l1", l1), check_float("l2", l2)
    eps = check_float("eps", eps, low=0.0, low_open=True, high=1.0)
    X, Y = model64.check_data(X, y)
    return model64, X, Y, the_loss, l1, l2, eps
