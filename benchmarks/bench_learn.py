"""What the Learn pages cost, next to PyTorch doing the same work, in one run.

Run from the repository root (``pip install -r requirements-bench.txt`` for the torch column)::

    python benchmarks/bench_learn.py            # about a minute on 2 cores
    python benchmarks/bench_learn.py --no-save  # print only

Workloads (the pages' own defaults, and the biggest network the Playground allows):

- ``step``: one recorded training step, what the backprop stepper computes when it opens.
  nn_core ``trace.trace_step`` (a twin of the trainer; forward, loss, backward, update, every
  intermediate matrix copied out) against torch: ``nn.Sequential`` forward keeping every Z and A
  (``retain_grad``), loss, ``backward``, one optimizer step, on a deep copy of the model.
- ``gradcheck``: the gradient check page, every parameter nudged twice. nn_core
  ``gradcheck.gradient_check`` against ``torch.autograd.gradcheck`` of the same float64 loss with
  the parameters as inputs (central differences for each, one backward pass).
- ``compare``: the activations page's default comparison: 3 activations x 2 inits, 6 hidden layers
  of 8, 200 points, 200 full-batch SGD epochs, per-layer gradient norms every 2 epochs. nn_core
  ``diagnostics.compare_runs`` against the same loop written in torch.

One thread everywhere; the median of several repeats (wall clock), with process CPU time per repeat
so a repeat that lost its core to another process can be told apart (CPU < 0.9 x wall: flagged).
The one-thread variables, the clock and the results folder are ``common.py``'s.
"""

import argparse
import copy
import os
import statistics
import sys

from common import CONTENDED, ONE_THREAD, REPO_ROOT, clock, now, save_results

os.environ.update(ONE_THREAD)
sys.path.insert(0, str(REPO_ROOT))

import numpy as np  # noqa: E402

import nn_core  # noqa: E402
from nn_core import diagnostics, gradcheck  # noqa: E402
from nn_core.trace import trace_step  # noqa: E402

DEFAULT = dict(sizes=[2, 4, 4, 1], activation="tanh", n_train=150, batch=10, optimizer="sgd")
LARGE = dict(sizes=[2] + [64] * 8 + [1], activation="relu", n_train=1000, batch=1000, optimizer="adam")


def timed(fn, repeats):
    """(median wall seconds, flagged) over ``repeats`` calls after one warm-up call."""
    fn()
    walls, noisy = [], 0
    for _ in range(repeats):
        wall, cpu = clock(fn)
        walls.append(wall)
        noisy += cpu < CONTENDED * wall
    return statistics.median(walls), noisy > repeats // 2


# --- the workloads in nn_core -------------------------------------------------------------------
def nn_core_trainer(case, seed=0):
    X, y = nn_core.make_dataset("circles", n_samples=case["n_train"], noise=0.1, rng=seed)
    model = nn_core.MLP(case["sizes"], activation=case["activation"], output="sigmoid", rng=seed)
    trainer = nn_core.Trainer(
        model, loss="bce", optimizer=case["optimizer"], learning_rate=0.03, batch_size=case["batch"], rng=seed
    )
    trainer.train(X, y, 2)  # optimizer state exists, as in the app
    return trainer, X, y


def torch_model(torch, model, activation, dtype):
    """An nn.Sequential holding ``model``'s weights (Linear.weight is W.T)."""
    layers = []
    for i, (W, b) in enumerate(zip(model.weights, model.biases)):
        linear = torch.nn.Linear(*W.shape).to(dtype)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(np.ascontiguousarray(W.T)))
            linear.bias.copy_(torch.from_numpy(np.asarray(b)))
        layers.append(linear)
        if i < model.n_layers - 1:
            layers.append(torch.nn.Tanh() if activation == "tanh" else torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


# --- step -----------------------------------------------------------------------------------------
def bench_step(torch, case, repeats):
    trainer, X, y = nn_core_trainer(case)
    ours = timed(lambda: trace_step(trainer, X, y), repeats)
    if torch is None:
        return ours, None
    net = torch_model(torch, trainer.model, case["activation"], torch.float32)
    optimizer_class = torch.optim.SGD if case["optimizer"] == "sgd" else torch.optim.Adam
    rows = np.arange(case["batch"])
    Xb, yb = torch.from_numpy(X[rows].astype(np.float32)), torch.from_numpy(y[rows].astype(np.float32))

    def step():
        twin = copy.deepcopy(net)  # the stepper works on a copy too
        optimizer = optimizer_class(twin.parameters(), lr=0.03)
        kept, A = [], Xb
        for layer in twin:
            A = layer(A)
            A.retain_grad()
            kept.append(A)
        loss = torch.nn.functional.binary_cross_entropy_with_logits(A[:, 0], yb)
        loss.backward()
        before = [p.detach().clone() for p in twin.parameters()]
        optimizer.step()
        return [k.grad.numpy().copy() for k in kept], before

    return ours, timed(step, repeats)


# --- gradcheck ----------------------------------------------------------------------------------
def bench_gradcheck(torch, case, n_samples, repeats):
    trainer, X, y = nn_core_trainer(case)
    model = trainer.model
    ours = timed(lambda: gradcheck.gradient_check(model, X[:n_samples], y[:n_samples], loss="bce"), repeats)
    if torch is None:
        return ours, None
    net = torch_model(torch, model.copy(dtype=np.float64), case["activation"], torch.float64)
    Xt, yt = (
        torch.from_numpy(X[:n_samples].astype(np.float64)),
        torch.from_numpy(y[:n_samples].astype(np.float64)),
    )
    params = tuple(p.detach().clone().requires_grad_(True) for p in net.parameters())
    names = [name for name, _ in net.named_parameters()]

    def loss_of(*values):
        out = torch.func.functional_call(net, dict(zip(names, values)), (Xt,))
        return torch.nn.functional.binary_cross_entropy_with_logits(out[:, 0], yt)

    def check():
        # atol/rtol wide: the ReLU network's kinks make torch's default tolerances fail, and a
        # failure would raise, not time the work.
        return torch.autograd.gradcheck(loss_of, params, eps=1e-5, atol=1e9, rtol=1e9)

    return ours, timed(check, repeats)


# --- compare ----------------------------------------------------------------------------------------
PAIRS = [(a, i) for a in ("sigmoid", "tanh", "relu") for i in ("xavier", "normal")]


def bench_compare(torch, repeats):
    X, y = nn_core.make_dataset("circles", n_samples=200, noise=0.1, rng=0)
    settings = dict(depth=6, width=8, learning_rate=0.1, n_epochs=200, every=2, rng=0)
    ours = timed(lambda: diagnostics.compare_runs(X, y, PAIRS, **settings), repeats)
    if torch is None:
        return ours, None
    Xt, yt = torch.from_numpy(X.astype(np.float32)), torch.from_numpy(y.astype(np.float32))
    acts = {"sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh, "relu": torch.nn.ReLU}

    def run(activation, init):
        torch.manual_seed(0)
        layers, width = [], 2
        for _ in range(6):
            linear = torch.nn.Linear(width, 8)
            if init == "normal":
                torch.nn.init.normal_(linear.weight)
            else:
                torch.nn.init.xavier_normal_(linear.weight)
            torch.nn.init.zeros_(linear.bias)
            layers += [linear, acts[activation]()]
            width = 8
        layers.append(torch.nn.Linear(8, 1))
        net = torch.nn.Sequential(*layers)
        optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
        norms = []
        for epoch in range(201):
            optimizer.zero_grad()
            loss = torch.nn.functional.binary_cross_entropy_with_logits(net(Xt)[:, 0], yt)
            loss.backward()
            if epoch % 2 == 0:  # as the nn_core run: the gradient of the whole set, recorded
                norms.append([m.weight.grad.norm().item() for m in net if isinstance(m, torch.nn.Linear)])
            if epoch < 200:
                optimizer.step()
        return norms

    return ours, timed(lambda: [run(a, i) for a, i in PAIRS], repeats)


# --- report -----------------------------------------------------------------------------------------
def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args(argv)
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:
        torch = None
    rows = []
    params = {
        name: nn_core.MLP(c["sizes"]).params.size for name, c in (("default", DEFAULT), ("large", LARGE))
    }
    cap = gradcheck.sample_cap(params["large"])
    default, large = f"{params['default']} params", f"{params['large']:,} params"
    work = [
        ("step", "default 2-4-4-1 tanh, batch 10, sgd", lambda: bench_step(torch, DEFAULT, 50)),
        ("step", "8×64 relu, batch 1000, adam", lambda: bench_step(torch, LARGE, 15)),
        ("gradcheck", f"default net ({default}), 20 samples", lambda: bench_gradcheck(torch, DEFAULT, 20, 7)),
        ("gradcheck", f"8×64 relu ({large}), {cap} samples", lambda: bench_gradcheck(torch, LARGE, cap, 1)),
        ("compare", "6 runs × 200 epochs, 6×8, 200 points", lambda: bench_compare(torch, 3)),
    ]
    for name, what, fn in work:
        (ours, ours_noisy), theirs = fn()
        row = {"workload": name, "case": what, "nn_core_s": ours, "noisy": ours_noisy}
        line = f"{name:9} {what:45} nn_core {ours * 1e3:9.2f} ms"
        if theirs is not None:
            row |= {"torch_s": theirs[0], "ratio": theirs[0] / ours, "noisy": ours_noisy or theirs[1]}
            line += f"   torch {theirs[0] * 1e3:9.2f} ms   torch/nn_core {theirs[0] / ours:5.2f}×"
        rows.append(row)
        print(line)
    if args.no_save:
        return
    stamp = now()
    versions = {
        "numpy": np.__version__,
        "torch": getattr(torch, "__version__", None),
        "python": sys.version.split()[0],
    }
    lines = [f"# Learn pages: cost next to torch ({stamp}, one thread)", "",
             "| workload | case | nn_core | torch | torch / nn_core |", "|---|---|---|---|---|"]  # fmt: skip
    for r in rows:
        torch_cell = f"{r['torch_s'] * 1e3:.2f} ms" if "torch_s" in r else "n/a"
        ratio = f"{r['ratio']:.2f}×" if "ratio" in r else "n/a"
        flag = " (noisy)" if r["noisy"] else ""
        ours = f"{r['nn_core_s'] * 1e3:.2f} ms{flag}"
        lines.append(f"| {r['workload']} | {r['case']} | {ours} | {torch_cell} | {ratio} |")
    save_results("learn", {"when": stamp, "versions": versions, "rows": rows}, lines)


if __name__ == "__main__":
    main()
