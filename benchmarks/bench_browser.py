"""Live-training speed of the Playground as a user sees it: headless Chromium, a real Streamlit server.

Run from the repository root::

    python benchmarks/bench_browser.py                  # both chart modes x (default, large); ~3 min
    python benchmarks/bench_browser.py --mode live      # only the live component
    python benchmarks/bench_browser.py --query ""       # only the default configuration
    python benchmarks/bench_browser.py --no-save        # print only

Method
------
- Two chart modes, each against its own server: ``live`` (the in-place component, the app's default)
  and ``plotly`` (``NN_PLAYGROUND_LIVE=0``: the ``st.plotly_chart`` fallback, i.e. the charts as they
  were before the component: remounted on every update). Configurations: the default, and a large one
  (8 hidden layers of 64 on 2,000 points).
- Server and browser: started by ``tests/e2e/harness.py``, as in the e2e tests: ``python -m streamlit run
  app.py`` on a free port of 127.0.0.1, stopped by its PID. Browser: the system Chromium through
  Playwright's sync API, viewport 1400x1700, a fresh context per run.
- An init script (before any page script) runs a ``requestAnimationFrame`` probe: on every frame it reads
  the boundary chart's title ("epoch N": one per frame drawn) and logs it when it changes, notes when the
  chart's plot node is a new one (a remount), and wraps ``WebSocket`` to log every message received and
  sent (the browser sends one message per fragment tick). A capturing ``mousedown`` listener timestamps
  the Pause click.
- Per run: open the page, press Play, wait for the first painted epoch, let it run ``--warmup`` seconds,
  measure a window of ``--seconds``, press Pause and record how long the picture kept changing.
- CPU: psutil user+system time over the window of the server process (and children), and of all
  Chromium processes (the sum). "cores" = CPU seconds / window seconds; "other" = the rest of the
  machine (this script, the Playwright driver, other jobs): a large "other" means contention.

Writes ``benchmarks/results/browser.json`` (every run's raw measurements) and
``benchmarks/results/browser.md`` (the printed report) unless ``--no-save``.
"""

import argparse
import json
import os
import platform
import sys
import tempfile
import time
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))  # run as a script from anywhere: the shared harness lives in tests/

from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402

from tests.e2e.harness import CHROMIUM_ARGS, VIEWPORT, chromium_path, start_app, stop_app  # noqa: E402

RESULTS_DIR = REPO_ROOT / "benchmarks" / "results"
TIMEOUT_MS = 60_000
PAUSE_TIMEOUT_MS = 20_000
LARGE = "hidden=64,64,64,64,64,64,64,64&points=2000"
MODES = {"live": {}, "plotly": {"NN_PLAYGROUND_LIVE": "0"}}  # the component, and the fallback
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'

PROBE_JS = """(() => {
  const titles = [], received = [], sent = [], nodes = [], pauses = [];
  let last = null, lastNode = null;
  window.__bench = { titles, received, sent, nodes, pauses };
  // The boundary chart: the live component's plot, or st.plotly_chart's (skipping stale ghosts).
  const boundary = () => {
    const live = document.querySelector('.nnl-boundary');
    if (live) return live;
    for (const box of document.querySelectorAll('.st-key-boundary')) {
      if (box.getAttribute('data-stale') !== 'true') return box.querySelector('.js-plotly-plot');
    }
    return null;
  };
  const frame = () => {
    const plot = boundary();
    const t = plot && plot.querySelector('.gtitle');
    const now = Date.now();
    if (t && plot !== lastNode) { nodes.push(now); lastNode = plot; }
    if (t && t.textContent !== last) { titles.push([now, t.textContent]); last = t.textContent; }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  document.addEventListener('mousedown', (e) => {
    if (e.target.closest('.st-key-pause')) pauses.push(Date.now());
  }, true);
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        const d = e.data;
        received.push([Date.now(), d.byteLength ?? d.size ?? d.length ?? 0]);
      });
    }
    send(data) {
      sent.push(Date.now());  // one BackMsg per fragment tick (plus the odd widget change)
      return super.send(data);
    }
  };
})();"""


# --- server and processes -----------------------------------------------------------------------
def cpu_seconds(processes):
    """{pid: user+system seconds} of the live processes among ``processes``."""
    import psutil

    out = {}
    for p in processes:
        try:
            t = p.cpu_times()
            out[p.pid] = t.user + t.system
        except psutil.Error:
            pass
    return out


def chromium_processes():
    import psutil

    me = psutil.Process()
    found = []
    for p in me.children(recursive=True):
        try:
            if "chrom" in p.name().lower():
                found.append(p)
        except psutil.Error:
            pass
    return found


def server_processes(server):
    import psutil

    proc = psutil.Process(server.pid)
    return [proc, *proc.children(recursive=True)]


def machine_busy_seconds():
    import psutil

    t = psutil.cpu_times()
    idle = t.idle + getattr(t, "iowait", 0.0)
    return sum(t) - idle  # guest times are already counted in user on Linux; fine for a ratio


def cpu_delta(before, after):
    """CPU seconds used between two snapshots; processes born in between count from zero."""
    return sum(after[pid] - before.get(pid, 0.0) for pid in after)


# --- one measured run ---------------------------------------------------------------------------
def read_epoch(text):
    try:
        word, number = text.split()
        return int(number) if word == "epoch" else None
    except ValueError:
        return None


def metric_value(page, label):
    return page.evaluate(
        """(label) => {
          for (const m of document.querySelectorAll('[data-testid="stMetric"]')) {
            if (m.closest('[data-stale="true"]')) continue;
            const l = m.querySelector('[data-testid="stMetricLabel"]');
            if (l && l.innerText.trim() === label)
              return m.querySelector('[data-testid="stMetricValue"]').innerText.trim();
          }
          return null;
        }""",
        label,
    )


def measure(context, url, query, seconds, warmup, server, mode):
    page = context.new_page()
    page.goto(f"{url}/?{query}" if query else url)
    page.wait_for_function("() => window.__bench.titles.length > 0")
    page.wait_for_selector(IDLE)
    page.locator(".st-key-play").get_by_role("button").click()
    page.wait_for_function(
        """() => (window.__bench.titles.at(-1) || [0, ''])[1].match(/^epoch [1-9]/) !== null"""
    )
    time.sleep(warmup)

    server_before = cpu_seconds(server_processes(server))
    browser_before = cpu_seconds(chromium_processes())
    machine_before = machine_busy_seconds()
    t_start = time.time() * 1000
    time.sleep(seconds)
    t_end = time.time() * 1000
    machine_after = machine_busy_seconds()
    browser_after = cpu_seconds(chromium_processes())
    server_after = cpu_seconds(server_processes(server))
    window = (t_end - t_start) / 1000
    app_rate = metric_value(page, "Epochs / s")

    # Pause, then see how long the picture kept changing after the click.
    page.locator(".st-key-pause").get_by_role("button").click()
    settled = True
    try:
        page.locator(".st-key-play").get_by_role("button").wait_for(timeout=PAUSE_TIMEOUT_MS)
        page.wait_for_selector(IDLE, timeout=PAUSE_TIMEOUT_MS)
    except PlaywrightTimeout:
        settled = False
    time.sleep(1.5)
    probe = page.evaluate("() => window.__bench")
    page.close()

    titles = [(t, read_epoch(text)) for t, text in probe["titles"]]
    titles = [(t, e) for t, e in titles if e is not None]
    before = [e for t, e in titles if t <= t_start]
    inside = [(t, e) for t, e in titles if t_start < t <= t_end]
    if not before or not inside:
        raise SystemExit(f"no painted updates in the window for {query or 'default'}: {titles[-5:]}")
    epoch_start, epoch_end = before[-1], inside[-1][1]
    epochs = epoch_end - epoch_start
    painted = len(inside)
    ticks = sum(1 for t in probe["sent"] if t_start < t <= t_end)
    server_cpu = cpu_delta(server_before, server_after)
    browser_cpu = cpu_delta(browser_before, browser_after)
    machine_cpu = machine_after - machine_before
    received = sum(size for t, size in probe["received"] if t_start < t <= t_end)
    t_pause = probe["pauses"][0] if probe["pauses"] else t_end
    after_pause = [t for t, _ in titles if t > t_pause]
    train_ms_per_tick = 1000 * epochs * seconds_per_epoch(query) / ticks if ticks else None
    return {
        "mode": mode,
        "query": query,
        "window_s": round(window, 3),
        "warmup_s": warmup,
        "painted_updates": painted,
        "painted_per_s": painted / window,
        "epoch_start": epoch_start,
        "epoch_end": epoch_end,
        "epochs_per_s": epochs / window,
        "app_epochs_per_s_metric": app_rate,
        "ticks": ticks,
        "ticks_per_s": ticks / window,
        "server_cpu_s": server_cpu,
        "server_cores": server_cpu / window,
        "server_cpu_ms_per_tick": 1000 * server_cpu / ticks if ticks else None,
        "train_ms_per_tick_est": train_ms_per_tick,
        "browser_cpu_s": browser_cpu,
        "browser_cores": browser_cpu / window,
        "machine_busy_cores": machine_cpu / window,
        "other_cores": (machine_cpu - server_cpu - browser_cpu) / window,
        "ws_kib_per_s": received / 1024 / window,
        "ws_kib_per_tick": received / 1024 / ticks if ticks else None,
        "chart_nodes_created": sum(1 for t in probe["nodes"] if t_start < t <= t_end),
        "pause_settled": settled,
        "pause_lag_s": (max(after_pause) - t_pause) / 1000 if after_pause else 0.0,
        "painted_titles": [[round(t - t_start), e] for t, e in titles],
    }


def seconds_per_epoch(query, epochs=200):
    """This configuration's training cost per epoch, measured here with the app's own Experiment
    (the server's share of a tick that is training, not drawing)."""
    from playground.core.config import from_query
    from playground.core.experiment import Experiment

    config, _ = from_query(dict(urllib.parse.parse_qsl(query)))
    exp = Experiment(config)
    exp.train(5)  # warm-up
    start = time.perf_counter()
    trained = exp.train(epochs)
    return (time.perf_counter() - start) / max(trained, 1)


def measure_mode(browser, mode, queries, args):
    """Every query against one server started for ``mode`` (a fresh browser context per query)."""
    runs = []
    with tempfile.NamedTemporaryFile() as log:  # the server's output, shown if it fails to start
        server, url = start_app(log, env=MODES[mode])
        try:
            for query in queries:
                context = browser.new_context(viewport=VIEWPORT)
                context.set_default_timeout(TIMEOUT_MS)
                context.add_init_script(PROBE_JS)
                try:
                    print(f"measuring {mode} {query or 'default'} ...", file=sys.stderr, flush=True)
                    runs.append(measure(context, url, query, args.seconds, args.warmup, server, mode))
                finally:
                    context.close()
        finally:
            stop_app(server)
    return runs


# --- report -------------------------------------------------------------------------------------
COLUMNS = [
    ("charts", lambda r: "live component" if r["mode"] == "live" else "st.plotly_chart"),
    ("config", lambda r: LABELS.get(r["query"], f"`?{r['query']}`")),
    ("painted fps", lambda r: f"{r['painted_per_s']:.1f}"),
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


def machine_info(browser_version):
    import playwright
    import plotly
    import psutil
    import streamlit

    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
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
        "- painted fps: changes of the boundary chart's title ('epoch N', one per frame) painted per "
        "second, read on every animation frame; epochs/s from the painted titles.",
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
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        payload = {"machine": info, "args": vars(args), "runs": runs}
        (RESULTS_DIR / "browser.json").write_text(json.dumps(payload, indent=2) + "\n")
        (RESULTS_DIR / "browser.md").write_text("\n".join(report) + "\n")
        print(f"\nsaved {RESULTS_DIR / 'browser.json'} and {RESULTS_DIR / 'browser.md'}", file=sys.stderr)


if __name__ == "__main__":
    main()
