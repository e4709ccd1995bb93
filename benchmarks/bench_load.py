"""Classroom load: many Playground sessions training at once on one Streamlit server.

A hosted Streamlit app serves every student from one process (Community Cloud: at most 2 cores and
0.7-2.7 GB for everyone). This script starts the app, opens N sessions that all press Play on
different configurations, and measures what each session receives and what the server spends.

Run from the repository root::

    python benchmarks/bench_load.py                         # 30 sessions, 60 s window (~2 min)
    python benchmarks/bench_load.py --sessions 1 10 30      # one server per count, one row each
    python benchmarks/bench_load.py --extra "" --extra speed=2      # each count as is and at speed 2
    python benchmarks/bench_load.py --server-env STREAMLIT_RUNNER_POST_SCRIPT_GC=false   # a what-if
    python benchmarks/bench_load.py --no-save               # print only, keep the saved results
    python benchmarks/bench_load.py --url http://school-server:8080 --sessions 30 --no-save
                                      # an already-running deployment (e.g. deploy/local.py or compose)

Before each run it waits (``--quiet-wait``) for the machine to be quiet; "other cores" in the report
is what the rest of the machine used during the window (the server and the clients share it).

Method
------
- Server: ``tests/e2e/harness.py`` starts ``python -m streamlit run app.py`` on a free port of
  127.0.0.1 (a fresh server per session count) and stops it by its PID.
- Clients: no browser. Each session is a Python client (asyncio, the ``websockets`` package) speaking
  Streamlit's own protocol on ``ws://127.0.0.1:<port>/_stcore/stream`` (subprotocol ``streamlit``, no
  compression, as the frontend of Streamlit 1.67 does). It does what the frontend does:
  ``BackMsg.rerun_script`` (a ``ClientState``: query string, page script hash from ``new_session``,
  the browser context with the page URL) to load the page; the Play button (widget id ``...-play``
  from the delta tree) is pressed by a full rerun carrying ``trigger_value = true``; when a running
  payload arrives the client asks for the next tick as ``live_view.js`` does (``pace``: the
  component's ``setTriggerValue("tick", seq)``, a fragment rerun carrying the component's trigger
  widget, no sooner than the payload's ``tick_ms`` after the previous request, again after a
  silence of 4x the usual round trip, at least 5 s); when a payload brings the charts' spec it
  acknowledges it (the component's ``setStateValue("ack", rev)``: a fragment rerun with the
  component's ``json_value``, which also counts as the tick request), after which the server sends
  frames and new loss points only. (A fragment with ``run_every``, as the fallback charts use, is
  ticked like the frontend's ``setInterval`` on ``ForwardMsg.auto_rerun``.) The client sends no
  other widget values (the server keeps them; a browser would resend ~25 unchanged values per tick).
- Each session has its own configuration: the dataset rotates over circles, xor, moons, gaussian,
  spiral, blobs, plane and multi_gaussian, and ``points`` is 200, 210, 220, ... (distinct per
  session); the rest is the default (2 hidden layers of 4, batch 10, speed 3). ``--extra`` adds query
  parameters to every session.
- Phases: the server starts (RSS idle); session 1 connects alone (cold start: the app's imports) and
  paints (RSS with one session); the other N-1 connect at once (time to first paint = websocket
  connect -> first live-chart payload); when all have painted (RSS with N sessions), all press Play;
  after ``--warmup`` seconds the ``--seconds`` window is measured; halfway through it one more session
  opens the page (the late joiner: its time to first paint while the class trains); then every client
  closes.
- Delivered updates: live-chart payloads (the ``bidi_component`` element keyed ``live``) received
  while running, one per server tick; frames: the snapshots inside them (the browser plays them back
  between ticks). Runs cut: fragment runs whose ``script_finished`` arrives as
  ``FINISHED_EARLY_FOR_RERUN``: Streamlit clears a fragment's unsent deltas from the session's queue
  when the next run of that fragment starts, so a tick whose payload was not yet flushed is lost.
  Errors: ``exception`` elements, compile errors, unexpected websocket closes, sessions that do not
  paint or start within 60 s or go 10 s without a payload while running, and tracebacks in the server
  log.
- Cross-talk: every payload must carry its session's ``stream`` id (unique per session) with a
  growing ``seq`` and growing epochs, frames of the expected size for the session's network, and a
  spec whose task, classes and training points (the x coordinates, sorted) equal those the app builds
  in-process for the session's configuration; the URL the server writes must be the session's.
- CPU and memory: psutil on the server process: user+system CPU seconds per wall second over the
  window (total, per session, per run, per delivered update; and the share of the main thread, which
  runs the event loop and websockets), RSS at each phase. "of which training": epochs trained in the
  window x each configuration's cost per epoch, and frames x the cost of one snapshot, both measured
  alone in-process before the server starts (under contention both cost more, so "rest" is an upper
  bound); the rest is the fragment run's own cost (Streamlit's run and its post-run ``gc.collect``,
  the page's metrics, payload serialisation, the websocket). The client's own CPU is reported too.

With ``--url`` the clients drive an already-running deployment (one server or replicas behind a
balancer; ``http://`` or ``https://``) and no server is started. Only the client side is measured:
without the server's PID there is no server CPU, memory or log, and those columns say "–" (null in
the JSON); the report says so, and counts the sessions per replica from the ``X-Upstream`` header
of each websocket's handshake (deploy/nginx.conf adds it). Every session count reuses the same
deployment, so a later count may meet what an earlier one left behind.

Writes ``benchmarks/results/load.json`` (every run: per-session numbers, a per-second CPU/RSS series)
and ``benchmarks/results/load.md`` (the printed report) unless ``--no-save``; with ``--url``,
``load-url.json`` and ``load-url.md``.

This file: the command line, one run per session count (start the server or use ``--url``, drive the
sessions through the phases, save). The rest: ``load_plan`` (the sessions and what each must receive),
``load_client`` (a session speaking Streamlit's protocol) and ``load_pacing`` (when it asks for a run),
``load_probe`` (psutil readings of the server and the machine), ``load_summary`` (the figures of a run)
and ``load_report`` (the printed and saved report). Shared helpers: ``common``.
"""

import argparse
import asyncio
import contextlib
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
# the sibling modules (also when imported as benchmarks.bench_load, as tests/deploy does) and the
# repository root (the shared harness lives in tests/), whichever the folder it is run from
sys.path[:0] = [str(BENCHMARKS), str(BENCHMARKS.parent)]

from common import RESULTS_DIR, now, save_results  # noqa: E402
from load_client import LATE_EXTRA_SECONDS, PAINT_TIMEOUT, PLAY_TIMEOUT, Session  # noqa: E402
from load_plan import FIRST_POINTS, POINTS_STEP, expectations, session_plan  # noqa: E402
from load_probe import Probe, wait_for_quiet  # noqa: E402
from load_report import report  # noqa: E402
from load_summary import finish  # noqa: E402

from tests.e2e.harness import healthy, start_app, stop_app  # noqa: E402


async def wait_all(sessions, event_name, timeout, what):
    async def one(s):
        try:
            await asyncio.wait_for(getattr(s, event_name).wait(), timeout)
        except TimeoutError:
            s.error("timeout", f"no {what} within {timeout:.0f} s")

    await asyncio.gather(*(one(s) for s in sessions))


async def drive(base_url, plans, expected, probe, args):
    """The phases of one run; the last plan is the late joiner. Returns (sessions, late joiner, phase
    readings)."""
    phases = {"idle": probe.read()}
    sampler = asyncio.get_running_loop().create_task(probe.sample())
    sessions = [Session(p, e, base_url) for p, e in zip(plans, expected)]
    late, connecting = sessions.pop(), []  # one more student opens the page while the class trains
    try:
        first, rest = sessions[0], sessions[1:]
        await first.connect()
        await wait_all([first], "painted", PAINT_TIMEOUT, "first paint")
        await asyncio.sleep(1.0)  # let the ack's rerun finish
        phases["one_session"] = probe.read()
        for i, s in enumerate(rest):
            if args.ramp and i:
                await asyncio.sleep(args.ramp / max(len(rest) - 1, 1))
            connecting.append(asyncio.get_running_loop().create_task(s.connect()))
        await wait_all(rest, "painted", PAINT_TIMEOUT, "first paint")
        await asyncio.sleep(1.0)
        phases["all_connected"] = probe.read()
        playing = [s for s in sessions if s.painted.is_set()]
        await asyncio.gather(*(s.press_play() for s in playing))
        await wait_all(playing, "training", PLAY_TIMEOUT, "training payload after Play")
        await asyncio.sleep(args.warmup)
        phases["window_start"] = probe.read()
        await asyncio.sleep(args.seconds / 2)
        await late.connect()
        await asyncio.sleep(args.seconds / 2)
        phases["window_end"] = probe.read()
        with contextlib.suppress(TimeoutError):  # (not an error: reported as its own figure)
            await asyncio.wait_for(late.painted.wait(), LATE_EXTRA_SECONDS)
    finally:
        await asyncio.gather(*connecting, return_exceptions=True)
        await asyncio.gather(*(s.close() for s in [*sessions, late]))
        await asyncio.sleep(2.0)
        phases["closed"] = probe.read()
        sampler.cancel()
    return sessions, late, phases


def measure(n, extra, args):
    """One server, N sessions. Returns the run's record."""
    plans = session_plan(n + 1, extra)  # the last one joins late
    background = wait_for_quiet(args.quiet_wait)
    print(
        f"measuring {n} sessions {extra}: in-process costs of each configuration ...",
        file=sys.stderr,
        flush=True,
    )
    expected = [expectations(p["config"]) for p in plans]
    if args.url:
        return finish(n, extra, args, background, *drive_url(args.url.rstrip("/"), plans, expected, args))
    with tempfile.NamedTemporaryFile(suffix=".log") as log:
        server, url = start_app(log, env=dict(item.split("=", 1) for item in args.server_env or []))
        try:
            time.sleep(1.0)
            probe = Probe(server.pid)
            print(f"  server {url} (pid {server.pid}); driving {n} sessions ...", file=sys.stderr, flush=True)
            sessions, late, phases = asyncio.run(drive(url, plans, expected, probe, args))
            healthy_after = server.poll() is None
        finally:
            stop_app(server)
        log.flush()
        log_text = Path(log.name).read_bytes().decode(errors="replace")
    return finish(n, extra, args, background, sessions, late, phases, probe, log_text, healthy_after)


def drive_url(url, plans, expected, args):
    """The sessions against an already-running deployment: no server to start, measure or stop."""
    if not healthy(url):
        raise SystemExit(f"{url}/_stcore/health does not answer ok: is the deployment running?")
    probe = Probe(None)
    print(f"  deployment {url} (not started here); driving {len(plans) - 1} sessions ...", file=sys.stderr)
    sessions, late, phases = asyncio.run(drive(url, plans, expected, probe, args))
    return sessions, late, phases, probe, "", healthy(url)


def machine_info():
    import psutil
    import streamlit
    import websockets

    return {
        "date": now(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
        "streamlit": streamlit.__version__,
        "websockets": websockets.__version__,
        "psutil": psutil.__version__,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sessions", type=int, nargs="+", default=[30], help="concurrent sessions; several: one run each"
    )
    parser.add_argument("--seconds", type=float, default=60.0, help="measured window (default 60)")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of Play before the window")
    parser.add_argument("--ramp", type=float, default=0.0, help="spread the N-1 connects over this many s")
    parser.add_argument(
        "--extra",
        action="append",
        help='query parameters for every session, e.g. "speed=2"; repeatable: each session count runs once '
        'per value ("" = none; default: none)',
    )
    parser.add_argument(
        "--server-env",
        action="append",
        metavar="NAME=VALUE",
        help="environment variable for the server, repeatable (what-if runs, e.g. "
        "STREAMLIT_RUNNER_POST_SCRIPT_GC=false); the app itself is never changed",
    )
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=300.0,
        help="wait up to this many s for a quiet machine before a run",
    )
    parser.add_argument("--no-save", action="store_true", help="print only; keep the saved results")
    parser.add_argument(
        "--url",
        help="drive this already-running deployment (e.g. http://127.0.0.1:8080) instead of starting a "
        "server; server CPU, memory and log are then not measured",
    )
    args = parser.parse_args(argv)
    if args.url and args.server_env:
        parser.error("--server-env needs a server started here: not with --url")
    if args.url and not args.url.startswith(("http://", "https://")):
        parser.error("--url must start with http:// or https://")
    if max(args.sessions) > (2000 - FIRST_POINTS) // POINTS_STEP or min(args.sessions) < 1:
        parser.error("--sessions must be between 1 and 180 (one distinct number of points each)")
    try:
        import psutil  # noqa: F401
        import websockets  # noqa: F401
    except ImportError as error:
        raise SystemExit(f"{error}: pip install -r requirements-bench.txt") from error

    info = machine_info()
    runs = [measure(n, extra, args) for extra in args.extra or [""] for n in args.sessions]
    lines = report(runs, info, args)
    print("\n".join(lines))
    if not args.no_save:
        payload = {"machine": info, "args": vars(args), "runs": runs}
        stem = "load-url" if args.url else "load"  # a deployment's figures never replace one server's
        save_results(stem, payload, lines, indent=1)
        print(f"\nsaved {RESULTS_DIR / stem}.json and .md", file=sys.stderr)


if __name__ == "__main__":
    main()
