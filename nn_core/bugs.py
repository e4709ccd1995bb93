"""Deliberately broken backward formulas, for the gradient check to catch.

Each ``Bug`` breaks one formula of nn_core's own backprop on a float64 copy of the network (a hidden
activation's derivative, or the output gradient of the loss), so ``gradcheck.gradient_check`` can
show what a classic mistake looks like next to central differences. Ordered from the hidden layers
to the output.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np

from nn_core.activations import ACTIVATIONS, OUTPUTS, Activation
from nn_core.losses import Loss
from nn_core.mlp import MLP

if TYPE_CHECKING:
    from nn_core._types import Backward, FloatArray


@dataclass(frozen=True)
class Bug:
    """A broken backward formula. ``apply(model, the_loss) -> the_loss`` breaks a float64 copy:
    it may swap the hidden activations of ``model._layers`` and returns the ``Loss`` to use."""

    label: str  # a few words, for menus
    description: str  # the broken line, in plain words
    apply: Callable[[MLP, Loss], Loss]


def _swap_hidden_backward(model: MLP, make_backward: Callable[[Activation], Backward]) -> None:
    """Give every hidden layer of ``model`` the activation ``g`` with backward ``make_backward(g)``."""
    for i, (W, b, g) in enumerate(model._layers[:-1]):
        model._layers[i] = (W, b, replace(g, backward=make_backward(g)))


def _no_derivative(model: MLP, the_loss: Loss) -> Loss:
    _swap_hidden_backward(model, lambda g: ACTIVATIONS["linear"].backward)  # dZ = dA
    return the_loss


def _derivative_of_z(model: MLP, the_loss: Loss) -> Loss:
    # tanh', sigmoid' and swish' are computed from A (1 - A**2, A (1 - A), s + A (1 - s)); handing
    # them Z instead is the classic sigmoid_derivative(Z) = Z (1 - Z). The other derivatives read Z
    # anyway: unaffected.
    def make_backward(g: Activation) -> Backward:
        def backward(
            dA: FloatArray, Z: FloatArray, A: FloatArray, out: FloatArray | None = None
        ) -> FloatArray:
            return g.backward(dA, Z, Z, out=out)

        return backward

    _swap_hidden_backward(model, make_backward)
    return the_loss


def _times_output_gradient(factor: Callable[[int], float]) -> Callable[[MLP, Loss], Loss]:
    """A bug multiplying the output layer's dL/dZ by ``factor(n_samples)``."""

    def apply(model: MLP, the_loss: Loss) -> Loss:
        def gradient(
            A: FloatArray, Z: FloatArray, Y: FloatArray, output: Activation, out: FloatArray | None = None
        ) -> FloatArray:
            dZ: FloatArray = np.multiply(the_loss.gradient(A, Z, Y, output, out=out), factor(len(A)), out=out)
            return dZ

        return replace(the_loss, gradient=gradient)

    return apply


def _no_output_derivative(model: MLP, the_loss: Loss) -> Loss:
    # Uses dA as dZ at the output: right for bce and cross-entropy, whose fused gradient (A - Y) / n
    # already includes it (and ignores ``output``), wrong for mse behind sigmoid, tanh or softmax.
    def gradient(
        A: FloatArray, Z: FloatArray, Y: FloatArray, output: Activation, out: FloatArray | None = None
    ) -> FloatArray:
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
            "Only sigmoid, tanh and swish read A (swish' = s + A (1 - s)); the others read Z anyway, "
            "so only those hidden layers break.",
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
