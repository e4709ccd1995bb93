"""The shapes of the app catalog's records (``playground.core.catalog``): one frozen dataclass per kind.

A record holds what the app shows or writes for one registry name, never what the engine computes
(slopes, kinks, class counts: those are on nn_core's own records). Every field is required, so a new
name cannot be half described: ``tests/test_recipes.py`` checks that every key of every nn_core registry
has a record here with every field set.

``tf`` is how TensorFlow Playground spells the same choice in its URL hash, as ``key=value``
(``"activation=relu"``, ``"dataset=circle"``); ``TF_ALWAYS`` when TF uses it with nothing to choose
(plain SGD), ``NO_EQUIVALENT`` when TF has none. ``playground.teach`` reads its translations from it.

Export-script code (``script`` fields) is plain NumPy text that ``playground.files.export_script``
pastes into the file it writes; ``$role`` / ``$Role`` in an activation's code become ``hidden`` or
``output``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from types import MappingProxyType

NO_EQUIVALENT = "(no equivalent in TensorFlow Playground)"
TF_ALWAYS = "(what TensorFlow Playground always uses)"


@dataclass(frozen=True)
class Activation:
    """A function g of a layer (hidden or output): A = g(Z)."""

    name: str
    label: str  # what a reader sees: "ReLU"
    tex: str  # A = g(Z), for the backprop stepper
    derivative_tex: str  # g'(Z)
    script_forward: str  # ``def $role(Z)`` for the export script
    script_backward: str  # ``def ${role}_backward(dA, Z, A)``: dL/dZ from dL/dA
    tf: str  # as a hidden activation: "activation=<name>"


@dataclass(frozen=True)
class Output:
    """An output activation's role in TF Playground; its maths is the ``Activation`` of the same name."""

    name: str
    tf: str  # "problem=classification": the output TF uses for that problem


@dataclass(frozen=True)
class Loss:
    name: str
    label: str
    tex: str  # L = ...
    gradient_tex: str  # dZ of the output layer
    script: str  # ``def loss(A, Z, Y)`` and ``def loss_gradient(A, Z, Y)``
    tf: str


@dataclass(frozen=True)
class Optimizer:
    name: str
    label: str
    update_tex: tuple  # one or more lines of the update rule
    script: str  # ``def optimizer_state(params)`` and ``def step(params, grads, state, t)``
    tf: str


@dataclass(frozen=True)
class Initializer:
    name: str
    label: str
    tf: str  # "initZero=true" / "initZero=false"


@dataclass(frozen=True)
class BiasInitializer:
    name: str
    label: str
    tf: str  # TF starts every bias at 0.1 ("initZero=false"), or at 0 with its weights ("initZero=true")


@dataclass(frozen=True)
class Dataset:
    """A dataset's display label and its TF Playground twin, with how TF's noise maps onto ours."""

    name: str
    label: str
    tf: str  # "dataset=circle", "regDataset=reg-plane"
    tf_noise: Callable | None  # TF's noise t (= TF's slider / 100) -> our noise; None without a twin
    tf_noise_why: str  # how the two noises differ, in a sentence; "" without a twin


@dataclass(frozen=True)
class Feature:
    name: str
    label: str  # "x1²"
    script: str  # the column as a NumPy expression of X (n, 2)
    tf: str  # "xSquared=true"


def table(*records):
    """``records`` keyed by name, read-only, in the order given. Raises ValueError on a repeated name."""
    names = [record.name for record in records]
    if len(set(names)) != len(names):
        raise ValueError(f"every name must appear once; got {names}")
    return MappingProxyType({record.name: record for record in records})
