"""One measured run of the live Playground in headless Chromium, and every run of one chart mode.

``measure_mode`` starts a server for a chart mode (``MODES``) and measures each URL query against it
in a fresh browser context that carries the probe (``browser_probe.js``); ``measure`` is one run: Play,
warm up, a window of measurement, Pause, and the numbers of the window (see ``bench_browser.py``).
"""

import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from common import cpu_delta, cpu_seconds, machine_busy_seconds
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.harness import VIEWPORT, start_app, stop_app

TIMEOUT_MS = 60_000
PAUSE_TIMEOUT_MS = 20_000
MODES = {"live": {}, "plotly": {"NN_PLAYGROUND_LIVE": "0"}}  # the component, and the fallback
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
PROBE_JS = (Path(__file__).parent / "browser_probe.js").read_text()


# --- processes ----------------------------------------------------------------------------------
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
    painted = sum(1 for t in probe["pictures"] if t_start < t <= t_end)  # changes of the pixels
    ticks = sum(1 for t in probe["sent"] if t_start < t <= t_end)
    server_cpu = cpu_delta(server_before, server_after)
    browser_cpu = cpu_delta(browser_before, browser_after)
    machine_cpu = machine_after - machine_before
    received = sum(size for t, size in probe["received"] if t_start < t <= t_end)
    t_pause = probe["pauses"][0] if probe["pauses"] else t_end
    after_pause = [t for t in probe["pictures"] if t > t_pause]
    train_ms_per_tick = 1000 * epochs * seconds_per_epoch(query) / ticks if ticks else None
    return {
        "mode": mode,
        "query": query,
        "window_s": round(window, 3),
        "warmup_s": warmup,
        "painted_updates": painted,
        "painted_per_s": painted / window,
        "epoch_labels_per_s": len(inside) / window,
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


def measure_mode(browser, mode, queries, args, root=None, version="now"):
    """Every query against one server started for ``mode`` (a fresh browser context per query), from
    the checkout ``root`` (default: this one), its runs labelled ``version``."""
    runs = []
    with tempfile.NamedTemporaryFile() as log:  # the server's output, shown if it fails to start
        server, url = start_app(log, env=MODES[mode], root=root)
        try:
            for query in queries:
                context = browser.new_context(viewport=VIEWPORT)
                context.set_default_timeout(TIMEOUT_MS)
                context.add_init_script(PROBE_JS)
                try:
                    print(f"measuring {version} {mode} {query or 'default'} ...", file=sys.stderr, flush=True)
                    run = measure(context, url, query, args.seconds, args.warmup, server, mode)
                    runs.append(run | {"version": version})
                finally:
                    context.close()
        finally:
            stop_app(server)
    return runs
