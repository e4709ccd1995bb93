"""nn_core's activations and a mixed network's gradients against PyTorch autograd, in float64.

An oracle, not a timing: for every hidden activation, ``g(z)`` and ``g'(z)`` on a grid out to
``|z| = 1e4`` (nn_core's ``forward`` and ``backward`` with ``dA = 1`` against ``torch`` and
``autograd.grad``); then the loss and every weight and bias gradient of mixed networks (one activation
per hidden layer, e.g. [2, 5, 4, 3, 1] relu / swish / sine with binary cross-entropy) with the same
weights. PyTorch's functions: ``F.silu`` (swish), ``F.gelu(approximate="tanh")``, ``F.elu``,
``F.softplus`` (with ``threshold=40``: beyond it torch returns ``z`` itself, which in float64 is
``log(1 + e^z)`` exactly from 37 on, where its default 20 is 2e-9 off; a larger one would overflow
``exp``), ``torch.sin``, ``torch.relu``, ``F.leaky_relu(0.01)``, ``torch.tanh``, ``torch.sigmoid``.

Writes ``benchmarks/results/oracle_torch.{json,md}`` with the largest absolute and relative
differences; exits with status 1 if any exceeds its tolerance.

    python benchmarks/oracle_torch.py
"""

import sys

import numpy as np
import torch
import torch.nn.functional as F
from common import REPO_ROOT, now, save_results

sys.path.insert(0, str(REPO_ROOT))
import nn_core  # noqa: E402

TORCH = {
    "linear": lambda z: z,
    "relu": torch.relu,
    "leaky_relu": lambda z: F.leaky_relu(z, 0.01),
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "elu": F.elu,
    "softplus": lambda z: F.softplus(z, threshold=40.0),
    "sine": torch.sin,
    "swish": F.silu,
    "gelu": lambda z: F.gelu(z, approximate="tanh"),
}
GRID = np.concatenate([np.linspace(-30.0, 30.0, 6001) + 1e-4, [-1e4, -1e3, -100.0, 100.0, 1e3, 1e4]])
MIXES = [
    ([2, 5, 4, 3, 1], ["relu", "swish", "sine"], "sigmoid", "bce"),
    ([2, 6, 6, 1], ["gelu", "elu"], "sigmoid", "bce"),
    ([2, 5, 4, 3], ["softplus", "tanh"], "softmax", "cross_entropy"),
    ([2, 4, 4, 4, 4, 1], ["sigmoid", "leaky_relu", "gelu", "sine"], "linear", "mse"),
]
TOLERANCE = {"value": 1e-12, "gradient": 1e-10}  # relative, over the larger of |nn_core| and 1


def differences(ours, theirs):
    """(max |a - b|, max |a - b| / max(|b|, 1)): absolute and relative-to-size differences."""
    gap = np.abs(np.asarray(ours, np.float64) - np.asarray(theirs, np.float64))
    return float(gap.max()), float((gap / np.maximum(np.abs(theirs), 1.0)).max())


def activation_rows():
    rows = []
    for name in sorted(nn_core.ACTIVATIONS):
        g = nn_core.ACTIVATIONS[name]
        Z = GRID[:, None].copy()
        A = g.forward(Z)
        slope = g.backward(np.ones_like(Z), Z, A)
        z = torch.tensor(GRID, dtype=torch.float64, requires_grad=True)
        a = TORCH[name](z)
        (dz,) = torch.autograd.grad(a.sum(), z)
        value, grad = differences(A[:, 0], a.detach().numpy()), differences(slope[:, 0], dz.numpy())
        rows.append({"activation": name, "value": value, "gradient": grad})
    return rows


def torch_loss(model, X, y, loss):
    """The same network in PyTorch, built from nn_core's weights: (loss, [dW...], [db...])."""
    Ws = [torch.tensor(W, dtype=torch.float64, requires_grad=True) for W in model.weights]
    bs = [torch.tensor(b, dtype=torch.float64, requires_grad=True) for b in model.biases]
    A = torch.tensor(X, dtype=torch.float64)
    for W, b, name in zip(Ws, bs, [*model.hidden_activations, None]):
        Z = A @ W + b
        A = TORCH[name](Z) if name else Z
    if loss == "bce":
        value = F.binary_cross_entropy_with_logits(A[:, 0], torch.tensor(y, dtype=torch.float64))
    elif loss == "cross_entropy":
        value = F.cross_entropy(A, torch.tensor(y))
    else:
        value = F.mse_loss(A[:, 0], torch.tensor(y, dtype=torch.float64))
    grads = torch.autograd.grad(value, Ws + bs)
    return value.item(), [g.numpy() for g in grads[: len(Ws)]], [g.numpy() for g in grads[len(Ws) :]]


def network_rows():
    rows = []
    for seed, (sizes, hidden, output, loss) in enumerate(MIXES):
        rng = np.random.default_rng(seed)
        model = nn_core.MLP(sizes, activation=hidden, output=output, dtype=np.float64, rng=seed)
        model.params[:] = rng.normal(0.0, 0.8, model.params.size)
        X = rng.normal(size=(64, sizes[0]))
        y = rng.normal(size=64) if output == "linear" else rng.integers(0, max(sizes[-1], 2), 64)
        value, dW, db = model.loss_and_gradients(X, y, loss=loss)
        t_value, t_dW, t_db = torch_loss(model, X, y, loss)
        ours, theirs = (
            np.concatenate([g.ravel() for g in dW + db]),
            np.concatenate([g.ravel() for g in t_dW + t_db]),
        )
        label = f"{sizes} {' / '.join(hidden)}, {output} + {loss}"
        rows.append(
            {"network": label, "value": differences(value, t_value), "gradient": differences(ours, theirs)}
        )
    return rows


def report(acts, nets):
    fmt = "{:.1e}".format
    lines = [
        "# nn_core against PyTorch autograd (float64)",
        "",
        f"Run {now()} with torch {torch.__version__}, NumPy {np.__version__}:",
        "`python benchmarks/oracle_torch.py` (exits 1 if a relative difference passes 1e-12 / 1e-10).",
        "Differences are max |nn_core - torch| (abs) and that over max(|torch|, 1) (rel).",
        "",
        f"## Activations: g(z) and g'(z) at {len(GRID)} points in [-30, 30] and out to |z| = 1e4",
        "",
        "| activation | g abs | g rel | g' abs | g' rel |",
        "|---|---|---|---|---|",
    ]
    for r in acts:
        lines.append(f"| {r['activation']} | {' | '.join(fmt(v) for v in (*r['value'], *r['gradient']))} |")
    lines += [
        "",
        "## Mixed networks: the loss and every weight and bias gradient (64 samples, random weights)",
        "",
        "| network | loss abs | loss rel | gradient abs | gradient rel |",
        "|---|---|---|---|---|",
    ]
    for r in nets:
        lines.append(f"| {r['network']} | {' | '.join(fmt(v) for v in (*r['value'], *r['gradient']))} |")
    return lines


def main():
    acts, nets = activation_rows(), network_rows()
    worst = {k: max(r[k][1] for r in acts + nets) for k in TOLERANCE}
    lines = report(acts, nets)
    lines += [
        "",
        f"Largest relative differences: value {worst['value']:.1e}, gradient {worst['gradient']:.1e}",
    ]
    payload = {
        "date": now(),
        "torch": torch.__version__,
        "activations": acts,
        "networks": nets,
        "worst": worst,
    }
    save_results("oracle_torch", payload, lines)
    print("\n".join(lines))
    return 0 if all(worst[k] <= TOLERANCE[k] for k in TOLERANCE) else 1


if __name__ == "__main__":
    sys.exit(main())
