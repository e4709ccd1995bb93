"""The backprop stepper's script: one recorded training step (``nn_core.trace``) cut into stages.

A network of L layers gives 2 L + 2 stages: forward through layers 1..L, the loss, backward through
layers L..1, the update. Each stage holds its equations (LaTeX), the matrices nn_core computed (from
the trace, never recomputed here) and the nn_core source lines that computed them, read from the
code with ``inspect`` so that what the page shows cannot drift from what runs.

No Streamlit here; ``pages/backprop.py`` renders the stages.
"""

import inspect
import textwrap
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nn_core import ACTIVATIONS, LOSSES, OPTIMIZERS, OUTPUTS
from nn_core.mlp import MLP
from nn_core.trainer import Trainer
from playground.core import catalog

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Matrix:
    """One labelled matrix: ``array`` (rows, columns), with a label per row and per column."""

    name: str
    array: np.ndarray
    row_labels: tuple
    col_labels: tuple


@dataclass(frozen=True)
class Source:
    """Lines of nn_core: ``where`` (file, function, line numbers), ``code`` (the lines that did the
    stage's work) and ``whole`` (the function they come from)."""

    where: str
    code: str
    whole: str


@dataclass(frozen=True)
class Stage:
    kind: str  # "forward", "loss", "backward" or "update"
    layer: int | None  # 1-based; None for the loss and the update
    title: str
    text: str
    latex: tuple
    matrices: tuple
    sources: tuple


def source(function, needles=None):
    """The lines of ``function`` that contain one of ``needles`` (all of it when None), numbered as
    in the file. Raises LookupError if a needle is missing: the code changed and so must the page."""
    lines, first = inspect.getsourcelines(function)
    whole = textwrap.dedent("".join(lines))
    if needles is None:
        picked = list(range(len(lines)))
    else:
        picked = []
        for needle in needles:
            hits = [i for i, line in enumerate(lines) if needle in line]
            if not hits:
                raise LookupError(f"{function.__qualname__} no longer contains {needle!r}")
            picked.append(hits[0])
        picked = sorted(set(picked))
    path = Path(inspect.getsourcefile(function)).resolve().relative_to(ROOT).as_posix()
    span = (
        f"line {first + picked[0]}" if len(picked) == 1 else f"lines {first + picked[0]}-{first + picked[-1]}"
    )
    chosen = []
    for k, i in enumerate(picked):
        if k and i != picked[k - 1] + 1:
            chosen.append("...\n")
        chosen.append(lines[i])
    code = textwrap.dedent("".join(chosen))
    return Source(f"{path}, {function.__qualname__}, {span}", code, whole)


# --- labels -------------------------------------------------------------------------------------
def unit_labels(sizes, layer):
    """Labels of the units of ``layer`` (0 = the inputs, len(sizes) - 1 = the output layer)."""
    if layer == len(sizes) - 1:
        return tuple(f"out {j + 1}" for j in range(sizes[layer]))
    return tuple(f"h{layer},{j + 1}" for j in range(sizes[layer]))


def stages(trace, *, sizes, activation, output, features):
    """The stepper's stages for ``trace`` (a StepTrace) of a network with ``layer_sizes`` ``sizes``,
    hidden ``activation`` (a name for every hidden layer, or one name per hidden layer, as
    ``MLP.hidden_activations``), ``output`` activation and input ``features`` (column names of X)."""
    samples = tuple(f"sample {r}" for r in trace.rows)
    names = [tuple(features)] + [unit_labels(sizes, i) for i in range(1, len(sizes))]
    L = trace.n_layers
    hidden = (activation,) * (L - 1) if isinstance(activation, str) else tuple(activation)
    gs = [*hidden, None]  # layer i's own activation (the output layer's is ``output``)
    out = [_forward(trace, layer, samples, names, gs[layer - 1], output) for layer in range(1, L + 1)]
    out.append(_loss(trace, samples, names[-1], output))
    out += [_backward(trace, layer, samples, names, gs[layer - 1], output) for layer in range(L, 0, -1)]
    out.append(_update(trace, names))
    return out


def _forward(trace, layer, samples, names, activation, output):
    i, L = layer - 1, trace.n_layers
    g = output if layer == L else activation
    inputs = trace.X if layer == 1 else trace.A[i - 1]
    prev = "X" if layer == 1 else f"A^{{[{layer - 1}]}}"
    what = "the output layer" if layer == L else f"hidden layer {layer}"
    text = (
        f"Every sample (a row of {'X' if layer == 1 else f'A{layer - 1}'}) is multiplied by the weights "
        f"W{layer} (one column per unit of {what}), the bias b{layer} is added, and the activation "
        f"({catalog.label('activation', g)}) is applied element by element."
    )
    if trace.masks is not None and 1 < layer:
        text += " Dropout is on: during training the previous layer's A is multiplied by its mask first."
    matrices = (
        Matrix("X" if layer == 1 else f"A{layer - 1}", inputs, samples, names[i]),
        Matrix(f"W{layer}", trace.W_before[i], names[i], names[layer]),
        Matrix(f"b{layer}", trace.b_before[i][None, :], ("b",), names[layer]),
        Matrix(f"Z{layer}", trace.Z[i], samples, names[layer]),
        Matrix(f"A{layer}", trace.A[i], samples, names[layer]),
    )
    forward = source(
        MLP.forward_into, ["np.matmul(inputs, W, out=Z)", "np.add(Z, b, out=Z)", "activation.forward("]
    )
    the_g = (OUTPUTS[output] if layer == L else ACTIVATIONS[activation]).forward
    return Stage(
        "forward",
        layer,
        f"Forward, layer {layer} of {L}",
        text,
        (rf"Z^{{[{layer}]}} = {prev}\, W^{{[{layer}]}} + b^{{[{layer}]}}", catalog.ACTIVATIONS[g].tex),
        matrices,
        (forward, source(the_g)),
    )


def _loss(trace, samples, outputs, output):
    the_loss = LOSSES[trace.loss_name]
    latex = [catalog.LOSSES[trace.loss_name].tex]
    if trace.penalty:
        latex.append(r"\text{plus the penalty: } \tfrac{\lambda_2}{2} \sum W^2 + \lambda_1 \sum |W|")
    text = (
        f"The output A{trace.n_layers} is compared with the targets Y. Loss of this batch: "
        f"{trace.loss:.6g}" + (f", plus the penalty {trace.penalty:.6g}." if trace.penalty else ".")
    )
    return Stage(
        "loss",
        None,
        f"Loss ({catalog.label('loss', trace.loss_name)})",
        text,
        tuple(latex),
        (
            Matrix(f"A{trace.n_layers}", trace.A[-1], samples, outputs),
            Matrix("Y", trace.Y, samples, outputs),
        ),
        (source(the_loss.value),),
    )


def _backward(trace, layer, samples, names, activation, output):
    i, L = layer - 1, trace.n_layers
    # The transpose goes inside A's superscript: "A^{[1]}^{\top}" is a double superscript, which
    # KaTeX refuses (it showed the raw TeX in red).
    prev_t = r"X^{\top}" if layer == 1 else rf"A^{{[{layer - 1}]\top}}"
    latex, matrices, sources = [], [], []
    if layer == L:
        latex.append(catalog.LOSSES[trace.loss_name].gradient_tex)
        text = "Backpropagation starts at the output: the loss gives dZ of the last layer directly."
        sources.append(source(LOSSES[trace.loss_name].gradient))
    else:
        latex += [
            rf"dA^{{[{layer}]}} = dZ^{{[{layer + 1}]}}\, W^{{[{layer + 1}]\top}}",
            rf"dZ^{{[{layer}]}} = dA^{{[{layer}]}} \odot g'(Z^{{[{layer}]}})",
            catalog.ACTIVATIONS[activation].derivative_tex,
        ]
        text = (
            f"Layer {layer + 1} sends its dZ back through its weights (transposed): that is dA, how the "
            f"loss changes with each output of layer {layer}. Times this layer's activation's slope at Z "
            f"({catalog.label('activation', activation)}') gives dZ."
        )
        matrices.append(Matrix(f"dA{layer}", trace.dA[i], samples, names[layer]))
        needles = ["dA = np.matmul(dZ, ws.layers[i][0].T", "dZ = hidden.backward("]
        sources += [source(MLP.backward_into, needles), source(ACTIVATIONS[activation].backward)]
    latex += [
        rf"dW^{{[{layer}]}} = {prev_t}\, dZ^{{[{layer}]}}",
        rf"db^{{[{layer}]}} = \textstyle\sum_{{\text{{samples}}}} dZ^{{[{layer}]}}",
    ]
    matrices += [
        Matrix(f"dZ{layer}", trace.dZ[i], samples, names[layer]),
        Matrix(f"dW{layer}", trace.dW[i], names[i], names[layer]),
        Matrix(f"db{layer}", trace.db[i][None, :], ("db",), names[layer]),
    ]
    if layer == 1:
        needles = ["np.matmul(ws.inputs[0].T, dZ, out=dW[0])", "np.matmul(ws.ones, dZ, out=db[0])"]
    else:
        needles = ["np.matmul(ws.inputs[i].T, dZ, out=dW[i])", "np.matmul(ws.ones, dZ, out=db[i])"]
    sources.append(source(MLP.backward_into, needles))
    if trace.penalty:
        latex.append(
            r"dW \mathrel{+}= \lambda_2 W + \lambda_1 \operatorname{sign}(W) \quad \text{(the penalty)}"
        )
        sources.append(source(Trainer._backward, ["add_penalty_gradient("]))
    return Stage(
        "backward",
        layer,
        f"Backward, layer {layer} of {L}",
        text,
        tuple(latex),
        tuple(matrices),
        tuple(sources),
    )


def _update(trace, names):
    matrices = []
    for i in range(trace.n_layers):
        layer = i + 1
        matrices += [
            Matrix(f"W{layer} before", trace.W_before[i], names[i], names[layer]),
            Matrix(f"W{layer} change", trace.W_after[i] - trace.W_before[i], names[i], names[layer]),
            Matrix(f"W{layer} after", trace.W_after[i], names[i], names[layer]),
            Matrix(f"b{layer} before", trace.b_before[i][None, :], ("b",), names[layer]),
            Matrix(f"b{layer} change", (trace.b_after[i] - trace.b_before[i])[None, :], ("b",), names[layer]),
            Matrix(f"b{layer} after", trace.b_after[i][None, :], ("b",), names[layer]),
        ]
    text = (
        f"The optimizer ({catalog.label('optimizer', trace.optimizer)}, learning rate "
        f"η = {trace.learning_rate:g}) moves every weight and bias against its gradient. The same rule "
        "applies to the biases, with db."
    )
    sources = (source(Trainer._update), source(OPTIMIZERS[trace.optimizer].step))
    return Stage(
        "update",
        None,
        "Update",
        text,
        catalog.OPTIMIZERS[trace.optimizer].update_tex,
        tuple(matrices),
        sources,
    )
