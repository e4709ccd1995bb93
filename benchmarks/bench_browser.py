"""Live-training speed of the Playground as a user sees it: headless Chromium, a real Streamlit server.

Run from the repository root::

    python benchmarks/bench_browser.py                  # default config, then ?speed=5; ~1 min
    python benchmarks/bench_browser.py --seconds 20     # a longer steady-state window
    python benchmarks/bench_browser.py --query ""       # only the default configuration
    python benchmarks/bench_browser.py --no-save        # print only

Method
------
- Server and browser: started by ``tests/e2e/harness.py``, as in the e2e tests: ``python -m streamlit run
  app.py`` on a free port of 127.0.0.1, stopped by its PID.
- Browser: the system Chromium (``shutil.which("chromium")`` or ``CHROMIUM_PATH``) through Playwright's
  sync API, viewport 1400x1700. An init script (before any page script) runs a ``requestAnimationFrame``
  probe: on every frame it reads the title of the boundary chart (``.st-key-boundary .gtitle``, skipping
  containers marked ``data-stale="true"``) and logs ``(Date.now(), text)`` when the text changes; it also
  counts new ``.js-plotly-plot`` nodes (Streamlit remounts a Plotly chart on each update) and wraps
  ``WebSocket`` to log the size of every received message.
- Per configuration: open the page, press Play, wait for the first painted epoch, let it run ``--warmup``
  seconds, then measure a window of ``--seconds``. Then press Pause and record how long the browser
  kept painting queued updates after the click (the pause lag).
- Painted updates/s: title changes painted inside the window / window. Epochs/s: (epoch painted at the
  end - epoch painted at the start) / window, epochs from the title text "epoch N".
- Ticks: each fragment tick trains K epochs, so the epoch steps between painted titles are multiples
  of K; K is estimated as the smallest step seen (the speed setting gives 1/3/10/30/100, lowered by the
  app's time cap per tick when training is slow). Ticks in the window = epochs / K, an estimate; painted
  updates are a lower bound.
- CPU: psutil user+system time over the window of the server process (and children), and of all
  Chromium processes started by Playwright (the sum). "cores" = CPU seconds / window seconds. The
  whole machine's busy cores come from ``psutil.cpu_times()``; "other" = machine - server - browser,
  i.e. this script, the Playwright driver and anything else running. On a shared machine a large
  "other" means the numbers are depressed by contention.

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
from datetime import UTC, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))  # run as a script from anywhere: the shared harness lives in tests/

from tests.e2e.harness import CHROMIUM_ARGS, VIEWPORT, chromium_path, start_app, stop_app  # noqa: E402

RESULTS_DIR = REPO_ROOT / "benchmarks" / "results"
TIMEOUT_MS = 60_000
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'

PROBE_JS = """(() => {
  const titles = [], messages = [];
  let last = null, lastNode = null, nodes = [];
  window.__bench = { titles, messages, nodes };
  const frame = () => {
    let title = null, node = null;
    for (const box of document.querySelectorAll('.st-key-boundary')) {
      if (box.getAttribute('data-stale') === 'true') continue;
      const plot = box.querySelector('.js-plotly-plot');
      const t = plot && plot.querySelector('.gtitle');
      if (t) { title = t.textContent; node = plot; }
    }
    const now = Date.now();
    if (node && node !== lastNode) { nodes.push(now); lastNode = node; }
    if (title !== null && title !== last) { titles.push([now, title]); last = title; }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        const d = e.data;
        messages.push([Date.now(), d.byteLength ?? d.size ?? d.length ?? 0]);
      });
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


def measure(context, url, query, seconds, warmup, server):
    page = context.new_page()
    page.goto(f"{url}/?{query}" if query else url)
    page.wait_for_selector('.st-key-boundary[data-stale="false"] .gtitle')
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

    # Pause, then let the browser paint what it had queued.
    t_pause = time.time() * 1000
    page.locator(".st-key-pause").get_by_role("button").click()
    page.locator(".st-key-play").get_by_role("button").wait_for()
    page.wait_for_selector(IDLE)
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
    epochs_in_window = [before[-1]] + [e for _, e in inside]
    steps = [b - a for a, b in zip(epochs_in_window, epochs_in_window[1:]) if b > a]
    k = min(steps) if steps else None
    epochs = epoch_end - epoch_start
    ticks = epochs / k if k else None
    painted = len(inside)
    server_cpu = cpu_delta(server_before, server_after)
    browser_cpu = cpu_delta(browser_before, browser_after)
    machine_cpu = machine_after - machine_before
    received = sum(size for t, size in probe["messages"] if t_start < t <= t_end)
    remounts = sum(1 for t in probe["nodes"] if t_start < t <= t_end)
    after_pause = [t for t, _ in titles if t > t_pause]
    return {
        "query": query,
        "window_s": round(window, 3),
        "warmup_s": warmup,
        "painted_updates": painted,
        "painted_per_s": painted / window,
        "epoch_start": epoch_start,
        "epoch_end": epoch_end,
        "epochs_per_s": epochs / window,
        "app_epochs_per_s_metric": app_rate,
        "epochs_per_tick_est": k,
        "ticks_est": ticks,
        "ticks_per_s_est": ticks / window if ticks else None,
        "painted_share_of_ticks": painted / ticks if ticks else None,
        "server_cpu_s": server_cpu,
        "server_cores": server_cpu / window,
        "server_cpu_ms_per_painted_update": 1000 * server_cpu / painted,
        "server_cpu_ms_per_tick_est": 1000 * server_cpu / ticks if ticks else None,
        "browser_cpu_s": browser_cpu,
        "browser_cores": browser_cpu / window,
        "machine_busy_cores": machine_cpu / window,
        "other_cores": (machine_cpu - server_cpu - browser_cpu) / window,
        "ws_kib_per_s": received / 1024 / window,
        "ws_kib_per_painted_update": received / 1024 / painted,
        "chart_nodes_created": remounts,
        "pause_lag_s": (max(after_pause) - t_pause) / 1000 if after_pause else 0.0,
        "painted_titles": [[round(t - t_start), e] for t, e in titles],
    }


# --- report -------------------------------------------------------------------------------------
COLUMNS = [
    ("config", lambda r: f"`?{r['query']}`" if r["query"] else "default (speed 3)"),
    ("painted upd/s", lambda r: f"{r['painted_per_s']:.2f}"),
    ("epochs/s", lambda r: f"{r['epochs_per_s']:.0f}"),
    ("app's Epochs/s", lambda r: r["app_epochs_per_s_metric"] or "–"),
    ("K est.", lambda r: _fmt(r["epochs_per_tick_est"], "{}")),
    ("ticks/s est.", lambda r: _fmt(r["ticks_per_s_est"], "{:.2f}")),
    ("server cores", lambda r: f"{r['server_cores']:.2f}"),
    ("server ms / painted upd", lambda r: f"{r['server_cpu_ms_per_painted_update']:.0f}"),
    ("server ms / tick est.", lambda r: _fmt(r["server_cpu_ms_per_tick_est"], "{:.0f}")),
    ("browser cores", lambda r: f"{r['browser_cores']:.2f}"),
    ("other cores", lambda r: f"{r['other_cores']:.2f}"),
    ("KiB/s recv", lambda r: f"{r['ws_kib_per_s']:.0f}"),
    ("chart remounts", lambda r: f"{r['chart_nodes_created']}/{r['painted_updates']}"),
    ("pause lag s", lambda r: f"{r['pause_lag_s']:.1f}"),
]


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
        help='URL query of a run, repeatable (default: "" and "speed=5"); "" = default configuration',
    )
    parser.add_argument("--no-save", action="store_true", help="print only; keep the saved results")
    args = parser.parse_args(argv)
    queries = args.query if args.query is not None else ["", "speed=5"]

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
    with tempfile.NamedTemporaryFile() as log:  # the server's output, shown if it fails to start
        server, url = start_app(log)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=executable, args=list(CHROMIUM_ARGS))
                try:
                    info = machine_info(browser.version)
                    info["load_average_before"] = [round(x, 2) for x in load_before]
                    for query in queries:
                        context = browser.new_context(viewport=VIEWPORT)
                        context.set_default_timeout(TIMEOUT_MS)
                        context.add_init_script(PROBE_JS)
                        try:
                            print(f"measuring {query or 'default'} ...", file=sys.stderr, flush=True)
                            runs.append(measure(context, url, query, args.seconds, args.warmup, server))
                        finally:
                            context.close()
                finally:
                    browser.close()
        finally:
            stop_app(server)

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
        "- painted upd/s: boundary-chart titles painted per second (rAF probe); epochs/s from the "
        "painted 'epoch N' titles; app's Epochs/s: the page's own metric at the end of the window.",
        "- K est.: smallest epoch step between painted titles (epochs per tick); ticks/s and ms/tick "
        "derive from it. Server/browser cores: psutil CPU seconds / window (browser = all Chromium "
        "processes). other cores: the rest of the machine (this script, the Playwright driver, other jobs).",
        "- chart remounts: new Plotly DOM nodes / painted updates in the window. Pause lag: last "
        "update painted after the Pause click.",
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
