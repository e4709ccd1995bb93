"""The Playground's tick at every limit: what one student's worst legal setup costs the server.

Run from the repository root::

    python benchmarks/bench_limits.py            # about half a minute
    python benchmarks/bench_limits.py --no-save

A tick is what the page's fragment does once per round trip while training (``playground.live.state.tick``):
train K epochs (K from the speed setting, capped by ``TICK_TRAIN_BUDGET``; at least one), take up to
``FRAMES_PER_TICK`` snapshots for the live charts (capped by ``FRAME_BUDGET``), pack them, and build
the payload the browser receives. This script replays that loop without Streamlit (the same
functions and budgets) for the default setup and for setups at every maximum the server allows
(2,000 points, 90 % of them for training, all 7 input features, 8 hidden layers of 64, 5 classes,
batch size 1, dropout, L1, Adam, speed 5), and reports the wall time of a tick: its training part,
its snapshots and payload, the median and worst over the measured ticks, and the payload size.
The first payload of a network also carries the charts' spec (built once per network): timed apart.
"""

import argparse
import json
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from playground.core.config import Config  # noqa: E402
from playground.core.experiment import Experiment  # noqa: E402
from playground.live import frames, state  # noqa: E402

RESULTS_DIR = REPO_ROOT / "benchmarks" / "results"
TICK_LIMIT = 0.5  # seconds: the budget a tick at every maximum is held to (stated in the README)
ALL_FEATURES = ("x1", "x2", "x1_sq", "x2_sq", "x1_x2", "sin_x1", "sin_x2")
BIGGEST = Config(
    dataset="spiral",
    n_classes=5,
    n_samples=2000,
    noise=1.0,
    train_percent=90,
    features=ALL_FEATURES,
    hidden=(64,) * 8,
    activation="relu",
    head="softmax_ce",
    init="he",
    optimizer="adam",
    learning_rate=0.001,
    batch_size=256,
    regularization="l1",
    reg_rate=0.001,
    dropout=0.5,
    speed=5,
)
SETUPS = {
    "default": Config(),
    "every maximum, batch 256": BIGGEST,
    "every maximum, batch 1": replace(BIGGEST, batch_size=1),
    "every maximum, sigmoid, full batch": replace(BIGGEST, activation="sigmoid", batch_size=0, init="xavier"),
}


def one_tick(exp, snapshot_cost):
    """Replay ``state.tick`` with snapshots, and build the payload. Returns (train s, rest s, KiB,
    new snapshot cost)."""
    n_epochs = state.epochs_per_tick(exp)
    affordable = int(state.FRAME_BUDGET / snapshot_cost) if snapshot_cost > 0 else state.FRAMES_PER_TICK
    n_frames = max(1, min(state.FRAMES_PER_TICK, n_epochs, affordable))
    train = rest = 0.0
    taken = []
    for chunk in state._chunks(n_epochs, n_frames):
        start = time.perf_counter()
        exp.train(chunk)
        middle = time.perf_counter()
        taken.append(frames.snapshot(exp))
        end = time.perf_counter()
        train, rest = train + middle - start, rest + end - middle
        snapshot_cost = 0.7 * (snapshot_cost or end - middle) + 0.3 * (end - middle)
    start = time.perf_counter()
    packed = frames.pack_frames(taken)
    loss = frames.loss_points(exp.trainer.history, exp.config.task, after=max(0, exp.epoch - n_epochs))
    size = len(json.dumps({"frames": packed, "loss": loss}))
    rest += time.perf_counter() - start
    return train, rest, size / 1024, snapshot_cost


def bench(config, ticks):
    exp = Experiment(config)
    start = time.perf_counter()
    spec = frames.spec(exp, show_test=config.show_test, discretize=config.discretize, rev="bench")
    spec_seconds, spec_kib = time.perf_counter() - start, len(json.dumps(spec)) / 1024
    cost, rows = 0.0, []
    for _ in range(ticks + 1):  # the first tick trains one epoch to time it, as the page's does
        train, rest, kib, cost = one_tick(exp, cost)
        rows.append((train, rest, kib))
    rows = rows[1:]
    total = [t + r for t, r, _ in rows]
    return {
        "layer_sizes": exp.model.layer_sizes,
        "train_points": len(exp.points[0]),
        "epochs_per_tick": state.epochs_per_tick(exp),
        "tick_median_s": statistics.median(total),
        "tick_worst_s": max(total),
        "train_median_s": statistics.median(t for t, _, _ in rows),
        "rest_median_s": statistics.median(r for _, r, _ in rows),
        "payload_kib": statistics.median(k for _, _, k in rows),
        "spec_s": spec_seconds,
        "spec_kib": spec_kib,
        "epoch": exp.epoch,
        "diverged": exp.diverged,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ticks", type=int, default=8)
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args(argv)
    results = {}
    for name, config in SETUPS.items():
        results[name] = r = bench(config, args.ticks)
        verdict = "ok" if r["tick_worst_s"] <= TICK_LIMIT else "OVER"
        print(
            f"{name:38} {'-'.join(map(str, r['layer_sizes'])):28} K={r['epochs_per_tick']:5} "
            f"tick {r['tick_median_s'] * 1e3:6.0f} ms (worst {r['tick_worst_s'] * 1e3:6.0f}, "
            f"train {r['train_median_s'] * 1e3:5.0f}) payload {r['payload_kib']:6.1f} KiB, "
            f"spec {r['spec_s'] * 1e3:4.0f} ms / {r['spec_kib']:6.0f} KiB  [{verdict} vs {TICK_LIMIT} s]"
        )
    if args.no_save:
        return
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / "limits.json").write_text(
        json.dumps({"tick_limit_s": TICK_LIMIT, "setups": results}, indent=2)
    )
    lines = [
        f"# The Playground's tick at every limit (budget {TICK_LIMIT} s)",
        "",
        "| setup | network | epochs/tick | tick median | tick worst | training | payload | spec (once) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {'-'.join(map(str, r['layer_sizes']))} | {r['epochs_per_tick']} | "
            f"{r['tick_median_s'] * 1e3:.0f} ms | {r['tick_worst_s'] * 1e3:.0f} ms | "
            f"{r['train_median_s'] * 1e3:.0f} ms | {r['payload_kib']:.0f} KiB | "
            f"{r['spec_s'] * 1e3:.0f} ms, {r['spec_kib']:.0f} KiB |"
        )
    (RESULTS_DIR / "limits.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
