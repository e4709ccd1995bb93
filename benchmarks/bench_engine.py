"""Speed of one training epoch (and of a decision-boundary grid) in nn_core, PyTorch and scikit-learn.

Run from the repository root::

    python benchmarks/bench_engine.py            # full run, ~1.5 min on 2 cores
    python benchmarks/bench_engine.py --quick    # smoke run, a few seconds of timing
    python benchmarks/bench_engine.py --only W1,W3,G

Method
------
- Same work for every peer. Each workload (W1-W5, defined in perf-anchors.md) draws its data once with
  ``nn_core.make_dataset`` and its Glorot-uniform initial weights once with NumPy; the weights are loaded
  into all peers (torch as ``weight.data = W.T``, sklearn through ``coefs_``/``intercepts_`` after one
  initializing ``partial_fit``, whose optimizer state is then discarded).
- One epoch is what a live UI needs per point of its loss curve:
  nn_core ``Trainer.train``: forward, backward and update over the batches, then the train loss and
  accuracy; torch eager: ``nn.Sequential`` + ``torch.optim`` steps, then ``loss.item()`` (W4: the
  last mini-batch's loss; batches from ``torch.randperm``); sklearn ``MLPClassifier.partial_fit`` once
  (sgd with momentum 0, or adam; alpha 0; its input checks and ``loss_`` included).
- Grid rows (G): a forward pass with probabilities over a 100x100 or 200x200 grid on [-6, 6]^2 for the
  W2, W3 and W5 nets: nn_core ``MLP.forward`` (float64 grid in), torch ``no_grad`` forward + sigmoid or
  softmax (float32 tensor in), sklearn ``predict_proba`` (float64 grid in).
- One thread everywhere: the BLAS/OpenMP variables below are set before NumPy is imported,
  ``torch.set_num_threads(1)``, and threadpoolctl limits every loaded BLAS/OpenMP pool to 1.
- Timing: ``time.perf_counter``. A ~0.3 s warm-up doubles the number of epochs per call until it has
  run long enough, which also calibrates a block of ~0.25 s; then 7 blocks. Time per epoch = block time
  / epochs in the block; reported: the median and the minimum over the blocks. Process CPU time is
  recorded per block: a block with CPU < 0.9 x wall (another process had the core) is discarded and
  run again (at most 7 times per measurement; if still noisy, all blocks are kept and the cell is
  flagged). Training continues across blocks, as it would in the app. Pass/miss compares the median
  with the anchors' targets.
- Dtypes: nn_core float32 (its default; float64 also shown for W1 and W2), torch float32, sklearn
  float64 (what it uses for float64 input, the mode perf-anchors.md reports).
- Correctness check: W2 (300 epochs) and W3 (20 epochs) are trained again from the common weights and
  every peer's final weights are scored by one float64 evaluator (an nn_core float64 model).

Peers that cannot be imported are skipped with a note; NumPy alone is enough to run this file.

This file runs the measurements and writes the results; the workloads are in ``engine_workloads.py``,
the peers in ``engine_peers.py``, the report in ``engine_report.py``, the timing method and the
machine's details in ``common.py``.
"""

import argparse
import os
import platform
import sys
import time

from common import (
    ONE_THREAD,
    REPO_ROOT,
    RESULTS_DIR,
    Method,
    cpu_flags,
    cpu_model,
    measure,
    now,
    save_results,
)

# One thread: set before NumPy (and torch) load their BLAS/OpenMP pools.
os.environ.update(ONE_THREAD)
sys.path.insert(0, str(REPO_ROOT))

import numpy as np  # noqa: E402
from engine_peers import NOTES, PEERS, MLPClassifier, TorchPeer, make_peers, torch  # noqa: E402
from engine_report import check_table, markdown_table, standing_notes  # noqa: E402
from engine_workloads import CHECKS, GRID_NETS, GRID_SIZES, TARGETS, WORKLOADS, grid, make_data  # noqa: E402

import nn_core  # noqa: E402


# --- timing -------------------------------------------------------------------------------------
def bench_training(wl, method):
    """{peer name: Timing} for one training workload."""
    peers = make_peers(wl, f64=wl.id in ("W1", "W2"))
    return {name: measure(peer.train, method) for name, peer in peers.items()}


def bench_grid(net_id, size, method):
    """{peer name: Timing} for one forward pass + probabilities over a size x size grid."""
    peers = make_peers(WORKLOADS[net_id])
    G = grid(size)
    timings = {}
    for name, peer in peers.items():
        G_in = peer.grid_input(G) if isinstance(peer, TorchPeer) else G

        def run(k, peer=peer, G_in=G_in):
            for _ in range(k):
                peer.predict(G_in)

        timings[name] = measure(run, method)
    return timings


# --- correctness check ----------------------------------------------------------------------------
def common_evaluation(wl, data, weights):
    """(loss, accuracy) of ``weights`` on ``data`` with an nn_core float64 model: one evaluator for
    every peer."""
    model = nn_core.MLP(wl.sizes, activation=wl.activation, output=wl.output, dtype=np.float64)
    model.weights, model.biases = weights
    return nn_core.Trainer(model, loss=wl.loss).evaluate(*data)


def run_check(wl, n_epochs):
    """Train every peer ``n_epochs`` from the common weights; rows for the printed check table."""
    data = make_data(wl)
    rows = {}
    for name, peer in make_peers(wl, f64=True).items():
        peer.train(n_epochs)
        loss, acc = common_evaluation(wl, data, peer.final_weights())
        rows[name] = {"own_loss": peer.loss_now(), "loss_f64_evaluator": loss, "accuracy": acc}
    return rows


# --- the machine ----------------------------------------------------------------------------------
def machine_info():
    """CPU, versions, threads and load before the run, for the JSON."""
    info = {
        "date": now(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "torch": getattr(torch, "__version__", None),
        "sklearn": None,
        "cpu": cpu_model(),
        "avx512": "avx512f" in cpu_flags(),
        "numpy_call_ns": numpy_call_ns(),
        "logical_cpus": os.cpu_count(),
        "loadavg_before": os.getloadavg(),
    }
    if MLPClassifier is not None:
        import sklearn

        info["sklearn"] = sklearn.__version__
    if "threadpool_info" in PEERS:
        info["threadpools"] = [
            {k: p.get(k) for k in ("user_api", "internal_api", "num_threads")}
            for p in PEERS["threadpool_info"]()
        ]
    if torch is not None:
        info["torch_threads"] = torch.get_num_threads()
    try:
        import psutil

        info["other_cpu_load_before"] = psutil.cpu_percent(interval=0.3) / 100
    except ImportError:
        pass
    return info


def numpy_call_ns():
    """Best-of-7 cost of a tiny ``np.add(x, y, out)`` call in ns: the per-call overhead that bounds
    W1/W2/W4 (413 ns on the perf-anchors machine), to compare machines."""
    x = np.ones((4, 2), np.float32)
    out = np.empty_like(x)
    best = float("inf")
    for _ in range(7):
        t0 = time.perf_counter()
        for _ in range(20_000):
            np.add(x, x, out)
        best = min(best, (time.perf_counter() - t0) / 20_000)
    return round(best * 1e9)


# --- main -----------------------------------------------------------------------------------------
SELECTABLE = (*WORKLOADS, "G", "check")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="short warm-up and 3 short blocks (smoke run)")
    parser.add_argument(
        "--only",
        default=",".join(SELECTABLE),
        help=f"comma-separated subset of {','.join(SELECTABLE)} (G = all grid rows)",
    )
    parser.add_argument("--no-save", action="store_true", help=f"do not write {RESULTS_DIR.name}/engine.*")
    args = parser.parse_args(argv)
    wanted = {s.strip().upper() for s in args.only.split(",") if s.strip()}
    unknown = wanted - {s.upper() for s in SELECTABLE}
    if unknown:
        parser.error(f"--only: unknown {sorted(unknown)}; choose from {','.join(SELECTABLE)}")
    args.only = [s for s in SELECTABLE if s.upper() in wanted]
    return args


def run_benchmarks(selection, method):
    """{row key: {peer: Timing}} for the selected training workloads and grids, in table order."""
    results = {}
    for wl_id in (s for s in selection if s in WORKLOADS):
        print(f"  {wl_id} ...", flush=True)
        results[wl_id] = bench_training(WORKLOADS[wl_id], method)
    if "G" in selection:
        for net_id in GRID_NETS:
            for size in GRID_SIZES:
                print(f"  G {net_id} {size}x{size} ...", flush=True)
                results[f"G-{net_id}-{size}"] = bench_grid(net_id, size, method)
    return results


def save(results, checks, info, md_lines):
    payload = {
        "meta": info,
        "notes": NOTES + standing_notes(results),
        "targets": {k: {"max_median_s": v[0], "min_torch_ratio": v[1]} for k, v in TARGETS.items()},
        "results": {
            key: {peer: t.as_dict() for peer, t in timings.items()} for key, timings in results.items()
        },
        "checks": checks,
    }
    save_results("engine", payload, md_lines)
    print(f"\nWrote {RESULTS_DIR.relative_to(REPO_ROOT)}/engine.json and engine.md")


def main(argv=None):
    args = parse_args(argv)
    started = time.perf_counter()
    method = Method(0.05, 0.03, 3, 3) if args.quick else Method()
    info = machine_info()
    info.update(quick=args.quick, only=args.only, method=vars(method))
    print(f"nn_core engine benchmark: {info['cpu']}, 1 thread, {'quick' if args.quick else 'full'} run")
    if info.get("other_cpu_load_before", 0) > 0.3:
        NOTES.append(
            f"The machine was busy before the run ({info['other_cpu_load_before']:.0%} of its CPUs in use "
            "by other processes): expect inflated and noisy times."
        )
    for note in NOTES:
        print(f"NOTE: {note}")

    results = run_benchmarks(args.only, method)
    checks, check_lines = {}, []
    if "check" in args.only:
        for wl_id, n_epochs in CHECKS.items():
            rows = run_check(WORKLOADS[wl_id], n_epochs)
            checks[wl_id] = {"epochs": n_epochs, "peers": rows}
            check_lines += ["", *check_table(WORKLOADS[wl_id], n_epochs, rows)]

    info["total_s"] = round(time.perf_counter() - started, 1)
    mode = "quick" if args.quick else "full"
    if args.only != list(SELECTABLE):
        mode += f", only {','.join(args.only)}"
    header = [
        f"# nn_core engine benchmark ({info['date']}, {mode} run)",
        "",
        f"{info['cpu']}, one thread; Python {info['python']}, NumPy {info['numpy']}, "
        f"torch {info['torch']}, scikit-learn {info['sklearn']}. Total run time {info['total_s']} s.",
        f"AVX-512: {'yes' if info['avx512'] else 'no'}; a tiny NumPy call (np.add, out=) costs "
        f"{info['numpy_call_ns']} ns here. The targets were set on an AMD EPYC Zen 3 without AVX-512 "
        "where it costs 413 ns (perf-anchors.md), so absolute times move with the machine.",
        "",
    ]
    md = header + (markdown_table(results) if results else ["(no timing rows selected)"])
    md += [""] + [f"- {note}" for note in NOTES + standing_notes(results)] + check_lines
    print("\n" + "\n".join(md))
    if not args.no_save:
        save(results, checks, info, md)


if __name__ == "__main__":
    main()
