"""The replay's film and its GIF: memory per session, what a pause sends, and the time to make the GIF.

Run from the repository root::

    python benchmarks/bench_film.py            # about a minute
    python benchmarks/bench_film.py --no-save

For the default setup and the largest one the server allows (8 hidden layers of 64 on 2,000 points),
this trains a run through the same function the workers run (``playground.live.training.run``, ticks
of the size the pacing gives on an idle 2-core server) and keeps its film as the Playground does
(``playground.live.film``). Side by side in the same run: keeping every full frame the browser was
shown (no film rule), and the GIF with a 255-colour palette per frame instead of 64. Reports the
film's frames and bytes (the session's memory for it), the JSON the browser receives when paused,
and the GIF's frames, size and the seconds to make it (one thread: the session's own).
"""

import argparse
import json
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from benchmarks.bench_limits import BIGGEST  # noqa: E402
from benchmarks.common import cpu_model, now, save_results  # noqa: E402
from playground.core.config import Config  # noqa: E402
from playground.core.experiment import Experiment  # noqa: E402
from playground.live import film, film_gif, frames, training  # noqa: E402

# (name, config, epochs to train, (epochs, frames) per tick): ticks as the pacing plans them for one
# session on an idle server (the default: ~12 epochs in 6 frames; 8 x 64: a few epochs, 3 frames).
SETUPS = (
    ("default (2-4-4-1, 300 points)", Config(), 8_000, (12, 6)),
    ("largest (8 x 64, 2,000 points)", BIGGEST, 600, (6, 3)),
)
MB = 1024**2


def run(config, n_epochs, tick):
    """Train ``n_epochs`` in ticks; return (experiment, film, bytes of every full frame shown, seconds)."""
    exp = Experiment(config)
    kept = film.Film("bench")
    kept.add(film.reel(frames.snapshot(exp)))
    every = kept.nbytes
    start = time.perf_counter()
    while exp.epoch < n_epochs:
        result = training.run(training.Job(exp, min(tick[0], n_epochs - exp.epoch), tick[1]))
        exp = result.experiment
        kept.add_all(result.reels)
        every += sum(r.nbytes for r in result.reels)
    return exp, kept, every, time.perf_counter() - start


def gif_cost(reels, exp, colors):
    film_gif.COLORS = colors  # the module's constant, changed for this comparison only
    start = time.perf_counter()
    data = film_gif.film_gif(reels, exp)
    return time.perf_counter() - start, len(data)


def measure(name, config, n_epochs, tick):
    exp, kept, every, train_seconds = run(config, n_epochs, tick)
    paused = len(json.dumps({"id": kept.id, "frames": kept.packed()}))
    default_colors = film_gif.COLORS
    try:
        gif_seconds, gif_bytes = gif_cost(kept.reels, exp, default_colors)
        full_seconds, full_bytes = gif_cost(kept.reels, exp, 255)
    finally:
        film_gif.COLORS = default_colors
    return {
        "setup": name,
        "epochs": exp.epoch,
        "train_seconds": round(train_seconds, 2),
        "film_frames": len(kept.reels),
        "film_first_epochs": kept.epochs[:8],
        "film_mb": round(kept.nbytes / MB, 2),
        "every_frame_mb": round(every / MB, 1),
        "paused_payload_mb": round(paused / MB, 2),
        "gif_frames": len(kept.reels),
        "gif_seconds": round(gif_seconds, 2),
        "gif_mb": round(gif_bytes / MB, 2),
        "gif_255_seconds": round(full_seconds, 2),
        "gif_255_mb": round(full_bytes / MB, 2),
    }


def report(rows):
    lines = [
        "# The replay's film and its GIF",
        "",
        f"{now()} · {cpu_model()} · `python benchmarks/bench_film.py`",
        "",
        f"Film: at most {film.MAX_FRAMES} frames and {film.BUDGET_BYTES // MB} MB per session. GIF: "
        f"{film_gif.SIDE} px, {film_gif.COLORS} colours a frame.",
        "",
        "| setup | epochs | film frames | film MB | every shown frame, MB (ratio) | paused payload MB "
        "| GIF s | GIF MB | 255 colours: s, MB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        ratio = r["every_frame_mb"] / max(r["film_mb"], 1e-9)
        lines.append(
            f"| {r['setup']} | {r['epochs']:,} | {r['film_frames']} | {r['film_mb']} | "
            f"{r['every_frame_mb']} ({ratio:.0f}x) | {r['paused_payload_mb']} | {r['gif_seconds']} | "
            f"{r['gif_mb']} | {r['gif_255_seconds']}, {r['gif_255_mb']} |"
        )
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-save", action="store_true", help="print only")
    args = parser.parse_args()
    rows = [measure(*setup) for setup in SETUPS]
    lines = report(rows)
    print("\n".join(lines))
    if not args.no_save:
        save_results("film", {"date": now(), "cpu": cpu_model(), "rows": rows}, lines)


if __name__ == "__main__":
    main()
