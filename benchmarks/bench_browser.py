"""Live-training speed of the Playground as a user sees it: headless Chromium, a real Streamlit server.

Run from the repository root::

    python benchmarks/bench_browser.py                  # both chart modes x (default, large); ~3 min
    python benchmarks/bench_browser.py --mode live      # only the live component
    python benchmarks/bench_browser.py --query ""       # only the default configuration
    python benchmarks/bench_browser.py --no-save        # print only
    git worktree add /tmp/before 927c641 && python benchmarks/bench_browser.py --before /tmp/before
                                                        # also an older checkout's live component

Method
------
- Two chart modes, each against its own server: ``live`` (the in-place component, the app's default)
  and ``plotly`` (``NN_PLAYGROUND_LIVE=0``: the ``st.plotly_chart`` fallback, i.e. the charts as they
  were before the component: remounted on every update). Configurations: the default, and a large one
  (8 hidden layers of 64 on 2,000 points).
- Server and browser: started by ``tests/e2e/harness.py``, as in the e2e tests: ``python -m streamlit run
  app.py`` on a free port of 127.0.0.1, stopped by its PID. Browser: the system Chromium through
  Playwright's sync API, viewport 1400x1700, a fresh context per run.
- An init script (before any page script) runs a ``requestAnimationFrame`` probe: on every frame it takes
  a fingerprint of the boundary picture's pixels (the heat canvas drawn down to 64 x 64 and read back,
  or the data URLs of the images Plotly drew it as) and logs the frames where it changed: the painted
  updates. It also logs the epoch the chart says it shows ("epoch N") when that changes, notes when the
  chart's plot node is a new one (a remount), and wraps ``WebSocket`` to log every message received and
  sent (the browser sends one message per fragment tick). A capturing ``mousedown`` listener timestamps
  the Pause click.
- Per run: open the page, press Play, wait for the first painted epoch, let it run ``--warmup`` seconds,
  measure a window of ``--seconds``, press Pause and record how long the picture kept changing.
- CPU: psutil user+system time over the window of the server process (and children), and of all
  Chromium processes (the sum). "cores" = CPU seconds / window seconds; "other" = the rest of the
  machine (this script, the Playwright driver, other jobs): a large "other" means contention.

One run's measurement is ``browser_run.py`` (its probe: ``browser_probe.js``); this file parses the
command line and writes the report: ``benchmarks/results/browser.json`` (every run's raw
measurements) and ``benchmarks/results/browser.md`` (the printed report) unless ``--no-save``.
"""

import argparse
import os
import platform
import sys

from common import REPO_ROOT, now, save_results

sys.path.insert(0, str(REPO_ROOT))  # run as a script from anywhere: the shared harness lives in tests/

from browser_run import MODES, measure_mode  # noqa: E402

from tests.e2e.harness import CHROMIUM_ARGS, chromium_path  # noqa: E402

LARGE = "hidden=64,64,64,64,64,64,64,64&points=2000"


# --- report -------------------------------------------------------------------------------------
COLUMNS = [
    ("version", lambda r: r.get("version", "now")),
    ("charts", lambda r: "live component" if r["mode"] == "live" else "st.plotly_chart"),
    ("config", lambda r: LABELS.get(r["query"], f"`?{r['query']}`")),
    ("painted fps", lambda r: f"{r['painted_per_s']:.1f}"),
    ("epoch labels / s", lambda r: f"{r.get('epoch_labels_per_s', 0):.1f}"),
    ("epochs/s", lambda r: f"{r['epochs_per_s']:.0f}"),
    ("ticks/s", lambda r: f"{r['ticks_per_s']:.1f}"),
    ("server ms / tick", lambda r: _fmt(r["server_cpu_ms_per_tick"], "{:.0f}")),
    ("of which training", lambda r: _fmt(r["train_ms_per_tick_est"], "{:.0f}")),
    ("KiB / tick", lambda r: _fmt(r["ws_kib_per_tick"], "{:.0f}")),
    ("server cores", lambda r: f"{r['server_cores']:.2f}"),
    ("browser cores", lambda r: f"{r['browser_cores']:.2f}"),
    ("other cores", lambda r: f"{r['other_cores']:.2f}"),
    ("chart nodes created", lambda r: f"{r['chart_nodes_created']}"),
    ("pause lag s", lambda r: f"{r['pause_lag_s']:.2f}" if r["pause_settled"] else "did not settle"),
]
LABELS = {"": "default", LARGE: "large (8 x 64, 2,000 points)"}


def _fmt(value, pattern):
    return "–" if value is None else pattern.format(value)


def markdown_table(runs):
    lines = ["| " + " | ".join(name for name, _ in COLUMNS) + " |"]
    lines.append("|" + "---|" * len(COLUMNS))
    lines += ["| " + " | ".join(str(cell(r)) for _, cell in COLUMNS) + " |" for r in runs]
    return lines


def git_commit(root):
    """The short commit of the checkout ``root``."""
    import subprocess

    done = subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return done.stdout.strip() or root


def machine_info(browser_version):
    import playwright
    import plotly
    import psutil
    import streamlit

    return {
        "date": now(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
        "streamlit": streamlit.__version__,
        "plotly": plotly.__version__,
        "playwright": getattr(playwright, "__version__", "?"),
        "psutil": psutil.__version__,
        "chromium": browser_version,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="steady-state window (default 10)")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of Play before the window")
    parser.add_argument(
        "--query",
        action="append",
        help=f'URL query of a run, repeatable (default: "" and "{LARGE}"); "" = default configuration',
    )
    parser.add_argument(
        "--mode", action="append", choices=list(MODES), help="charts to measure (default: both)"
    )
    parser.add_argument(
        "--before",
        metavar="DIR",
        help="also measure the live component of an older checkout (e.g. git worktree add DIR COMMIT)",
    )
    parser.add_argument("--no-save", action="store_true", help="print only; keep the saved results")
    args = parser.parse_args(argv)
    queries = args.query if args.query is not None else ["", LARGE]
    modes = args.mode or ["plotly", "live"]

    try:
        import psutil  # noqa: F401
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        raise SystemExit(f"{error}: pip install -r requirements-bench.txt") from error
    executable = chromium_path()
    if not executable:
        raise SystemExit("chromium not found: apt-get install chromium, or set CHROMIUM_PATH")

    load_before = os.getloadavg()
    runs = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=list(CHROMIUM_ARGS))
        try:
            info = machine_info(browser.version)
            info["load_average_before"] = [round(x, 2) for x in load_before]
            if args.before:
                label = f"before ({git_commit(args.before)})"
                runs += measure_mode(browser, "live", queries, args, root=args.before, version=label)
            for mode in modes:
                runs += measure_mode(browser, mode, queries, args)
        finally:
            browser.close()

    header = [
        "# Browser benchmark: live training of the Playground in headless Chromium",
        "",
        f"{info['date']} · {info['cpus']} CPUs shared by server and browser · load average before "
        f"{', '.join(map(str, info['load_average_before']))} · Python {info['python']} · streamlit "
        f"{info['streamlit']} · plotly {info['plotly']} · Chromium {info['chromium']} · window "
        f"{args.seconds:g} s after {args.warmup:g} s of warm-up",
        "",
    ]
    notes = [
        "",
        "- painted fps: animation frames on which the boundary picture's pixels changed, per second "
        "(a fingerprint of the heat canvas shrunk to 64 x 64, or of the images Plotly drew the "
        "boundary as, taken on every animation frame). epoch labels / s: changes of the epoch the "
        "chart says it shows (what this column counted before 2026-12-04); epochs/s from those labels.",
        "- ticks/s: messages the browser sent in the window (one per fragment tick, plus the odd "
        "acknowledgement); server ms / tick and KiB / tick divide the server's CPU time and the bytes "
        "the browser received by them. 'of which training': epochs in the window x this configuration's "
        "cost per epoch (measured in-process) / ticks.",
        "- cores: psutil CPU seconds / window (server process; all Chromium processes; the rest of the "
        "machine). chart nodes created: new boundary plot DOM nodes in the window (a remount each). "
        "pause lag: last change of the picture after the Pause mousedown.",
    ]
    report = header + markdown_table(runs) + notes
    print("\n".join(report))
    if not args.no_save:
        payload = {"machine": info, "args": vars(args), "runs": runs}
        json_path, md_path = save_results("browser", payload, report)
        print(f"\nsaved {json_path} and {md_path}", file=sys.stderr)


if __name__ == "__main__":
    main()
