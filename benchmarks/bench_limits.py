"""The Playground's tick at every limit: what one student's worst legal setup costs the server.

Run from the repository root::

    python benchmarks/bench_limits.py            # about half a minute
    python benchmarks/bench_limits.py --no-save

A tick is what the page's fragment has a worker do once per round trip while training
(``playground.live.tick``): train K epochs (K from the speed setting, capped by the tick's budget,
``playground.live.pacing``; at least one), take snapshots for the live charts, pack them
(``playground.live.training.run``), and build the payload the browser receives. This script runs the
same functions and budgets without Streamlit, in its own thread, for the default setup and for
setups at every maximum the server allows
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

from playground.core.config import SPEEDS, Config  # noqa: E402
from playground.core.experiment import Experiment  # noqa: E402
from playground.live import frames, pacing, specs, training  # noqa: E402

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


def one_tick(exp, pace):
    """One tick as the page's runs it, in this thread (``training.run``: train, snapshot, pack; the
    ``pacing`` plan of a session alone), plus the payload's loss points. Returns (train s, rest s,
    KiB): the training's CPU time, and everything else of the tick's wall time."""
    n_epochs, n_frames = plan(exp, pace)
    start = time.perf_counter()
    result = training.run(training.Job(exp.travelling_copy(), n_epochs, n_frames))
    exp.take_training_from(result.experiment)
    pace.measured(result.snapshot_cpu)
    loss = frames.loss_points(exp.trainer.history, exp.config.task, after=max(0, exp.epoch - n_epochs))
    size = len(json.dumps({"frames": result.packed, "loss": loss}))
    wall = time.perf_counter() - start
    train = result.cpu - result.snapshot_cpu * (len(result.packed["epochs"]) if result.packed else 0)
    return train, max(0.0, wall - train), size / 1024


def plan(exp, pace):
    """(epochs, frames) of a session alone on the server (a whole worker for itself)."""
    speed = SPEEDS[exp.config.speed]
    return pace.plan(per_epoch=exp.cpu_seconds_per_epoch(), speed_epochs=speed, cores=1, active=1)


def bench(config, ticks):
    exp = Experiment(config)
    start = time.perf_counter()
    spec = specs.spec(exp, show_test=config.show_test, discretize=config.discretize, rev="bench")
    spec_seconds, spec_kib = time.perf_counter() - start, len(json.dumps(spec)) / 1024
    pace, rows = pacing.Pacing(), []
    for _ in range(ticks + 1):  # the first tick trains one epoch to time it, as the page's does
        rows.append(one_tick(exp, pace))
    rows = rows[1:]
    total = [t + r for t, r, _ in rows]
    return {
        "layer_sizes": exp.model.layer_sizes,
        "train_points": len(exp.points[0]),
        "epochs_per_tick": plan(exp, pace)[0],
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
