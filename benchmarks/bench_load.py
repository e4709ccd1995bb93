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
"""

import argparse
import asyncio
import base64
import collections
import contextlib
import itertools
import json
import math
import os
import platform
import statistics
import sys
import tempfile
import time
import urllib.parse
import zlib
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))  # run as a script from anywhere: the shared harness lives in tests/

from tests.e2e.harness import healthy, start_app, stop_app  # noqa: E402

RESULTS_DIR = REPO_ROOT / "benchmarks" / "results"
DATASETS = ("circles", "xor", "moons", "gaussian", "spiral", "blobs", "plane", "multi_gaussian")
FIRST_POINTS, POINTS_STEP = 200, 10  # session i asks for 200 + 10 i points
LIVE_KEY, PLAY_KEY = "live", "play"
PAINT_TIMEOUT = 60.0  # seconds from connect to the first live-chart payload
PLAY_TIMEOUT = 60.0  # seconds from Play to the first payload that trained
WATCHDOG, WATCHDOG_MIN = 4, 5.0  # live_view.js: ask again after max(5 s, 4 x the round trip)
STALL_SECONDS = 10.0  # a running session without a payload for this long is a timeout
LATE_EXTRA_SECONDS = 30.0  # how long after the window a late joiner may still take to paint
SAMPLE_SECONDS = 1.0  # CPU / RSS sampling period
TARGET_UPDATES_PER_S = 2.0  # every session at least this many delivered updates a second (up to 30)
TARGET_UPDATES_PER_S_CROWD = 1.0  # ... and beyond 30 sessions (issue 13: 100 sessions)
TARGET_FRAMES_PER_S = 15.0  # the median session sees at least this many boundary frames a second
TARGET_EPOCHS_PER_S = 100.0  # ... and trains at least this many epochs a second
TARGET_MB_PER_SESSION = 10.0  # server memory per extra session
TIMEZONE, LOCALE = "UTC", "en-US"
# ForwardMsg.ScriptFinishedStatus. A run whose deltas were still queued (unsent) when the next run of the
# same fragment started loses them, and its script_finished is rewritten to FINISHED_EARLY_FOR_RERUN.
FINISHED_WITH_COMPILE_ERROR, FINISHED_EARLY_FOR_RERUN, FINISHED_FRAGMENT_RUN = 1, 2, 3
QUIET_CORES = 0.3  # before a run, wait (up to --quiet-wait s) until the machine is this quiet


# --- sessions and what each must receive -----------------------------------------------------------
def session_plan(n, extra):
    """The N sessions' configurations: [{index, dataset, points, query, config}]."""
    from playground.core.config import from_query, to_query

    plan = []
    for i in range(n):
        params = {"data": DATASETS[i % len(DATASETS)], "points": str(FIRST_POINTS + POINTS_STEP * i)}
        params |= dict(urllib.parse.parse_qsl(extra))
        config, _ = from_query(params)  # fixes the output head for multi-class and regression data
        query = urllib.parse.urlencode(to_query(config), safe=",")
        plan.append({"index": i, "dataset": config.dataset, "points": config.n_samples})
        plan[-1] |= {"query": query, "config": config}
    return plan


def expectations(config):
    """What a session on ``config`` must receive, and what its work costs here (in-process)."""
    from playground.core.experiment import Experiment
    from playground.live import frames

    exp = Experiment(config)
    one = frames.snapshot(exp)
    expected = {
        "task": config.task,
        "classes": config.classes,
        "train_x": np.sort(np.asarray(exp.points[0][:, 0], dtype=np.float64)),
        "u8_per_frame": len(one.u8),
        "f32_per_frame": len(one.f32),
    }
    exp.train(5)  # warm-up, then time epochs and snapshots as a tick would
    start = time.perf_counter()
    epochs = 0
    while time.perf_counter() - start < 0.1:
        epochs += exp.train(10)
    expected["train_s_per_epoch"] = (time.perf_counter() - start) / max(epochs, 1)
    start = time.perf_counter()
    for _ in range(5):
        frames.snapshot(exp)
    expected["snapshot_s"] = (time.perf_counter() - start) / 5
    return expected


def typed_array(value):
    """A plotly JSON array (a list, or plotly >= 6's base64 typed array) as a float64 numpy array."""
    if isinstance(value, dict) and "bdata" in value:
        raw = base64.b64decode(value["bdata"])
        return np.frombuffer(raw, dtype=np.dtype(value["dtype"])).astype(np.float64)
    return np.asarray(value, dtype=np.float64)


# --- one session: a client speaking Streamlit's websocket protocol --------------------------------
class Session:
    """One student's page: loads the Playground, presses Play, ticks its fragment like the frontend,
    records every live-chart payload and checks it belongs to this session."""

    def __init__(self, plan, expected, base_url):
        self.plan, self.expected = plan, expected
        self.url = "ws" + base_url.removeprefix("http") + "/_stcore/stream"  # http -> ws, https -> wss
        self.page_url = f"{base_url}/?{plan['query']}"
        self.query_string = plan["query"]
        self.page_script_hash = ""
        self.ws = None
        self.reader = None
        self.timers = {}  # fragment id -> (interval, task)
        self.live_id = self.live_fragment = self.play_id = None
        self.ack = None  # the spec revision acknowledged (the component's state)
        self.stream, self.seq, self.last_epoch = None, 0, -1
        self.payloads = []  # (t, seq, running, epochs of its frames, bytes)
        self.finished = []  # (t, ScriptFinishedStatus) of every run the client hears about
        self.errors, self.crosstalk, self.notes = [], [], []
        self.painted, self.training = asyncio.Event(), asyncio.Event()
        self.t_connect = self.t_painted = self.t_play = self.t_training = None
        self.auto_reruns_sent = self.bytes_received = self.tick_requests = 0
        self.tick_task = self.watchdog_task = None  # the pending tick request and its watchdog
        self.asked = self.asked_at = 0.0  # when the pending / the last tick was asked for
        self.round_trip = 0.2  # seconds from asking for a tick to its payload (running average)
        self.closing = False
        self.upstream = None  # the replica behind a balancer (its X-Upstream header), if it says
        self.tasks = set()  # fire-and-forget sends (kept referenced until done)

    # sending ------------------------------------------------------------------------------------
    async def rerun(self, *, fragment_id="", trigger_id=None, auto=False, tick=None):
        """A ``BackMsg.rerun_script`` as the frontend sends it. ``tick``: the live component's
        ``setTriggerValue("tick", seq)`` (its trigger-aggregator widget, as the frontend sends it)."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.runtime.state.session_state import STREAMLIT_INTERNAL_KEY_PREFIX

        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query_string
        state.page_script_hash = self.page_script_hash
        state.fragment_id = fragment_id
        state.is_auto_rerun = auto
        state.context_info.url = self.page_url
        state.context_info.timezone = TIMEZONE
        state.context_info.locale = LOCALE
        if self.ack is not None and self.live_id:
            widget = state.widget_states.widgets.add()
            widget.id = self.live_id
            widget.json_value = json.dumps({"ack": self.ack})
        if trigger_id:
            widget = state.widget_states.widgets.add()
            widget.id = trigger_id
            widget.trigger_value = True
        if tick is not None and self.live_id:
            widget = state.widget_states.widgets.add()
            widget.id = f"{STREAMLIT_INTERNAL_KEY_PREFIX}_{self.live_id}__events"
            widget.json_trigger_value = json.dumps([{"event": "tick", "value": tick}])
        try:
            await self.ws.send(msg.SerializeToString())
        except Exception as error:  # noqa: BLE001 - any send failure is a disconnect
            if not self.closing:
                self.error("disconnect", f"send failed: {error!r}")

    async def tick_every(self, fragment_id, interval):
        """The frontend's ``setInterval``: a fragment rerun every ``interval`` seconds."""
        loop = asyncio.get_running_loop()
        due = loop.time()
        while True:
            due = max(due + interval, loop.time())
            await asyncio.sleep(due - loop.time())
            self.auto_reruns_sent += 1
            await self.rerun(fragment_id=fragment_id, auto=True)

    def pace(self, data, now, rerunning):
        """live_view.js's ``pace``: ask for the next tick once a running payload has arrived, no
        sooner than ``tick_ms`` after the previous request; ask again after a silence of
        WATCHDOG x the usual round trip. ``rerunning``: this payload's ack already reran."""
        for task in (self.tick_task, self.watchdog_task):
            if task:
                task.cancel()
        self.tick_task = self.watchdog_task = None
        if self.asked:
            self.round_trip = 0.7 * self.round_trip + 0.3 * (now - self.asked)
        self.asked = 0.0
        if not data.get("running") or not data.get("tick_ms") or not self.live_fragment:
            return
        seq, loop = data["seq"], asyncio.get_running_loop()

        async def ask(delay, send):
            await asyncio.sleep(delay)
            self.asked = self.asked_at = time.monotonic()
            if send:
                self.tick_requests += 1
                await self.rerun(fragment_id=self.live_fragment, tick=seq)
            self.watchdog_task = loop.create_task(ask(max(WATCHDOG_MIN, WATCHDOG * self.round_trip), True))

        if rerunning:
            self.asked = self.asked_at = now
            self.watchdog_task = loop.create_task(ask(max(WATCHDOG_MIN, WATCHDOG * self.round_trip), True))
        else:
            self.tick_task = loop.create_task(
                ask(max(0.0, self.asked_at + data["tick_ms"] / 1000 - now), True)
            )

    def set_timer(self, fragment_id, interval):
        current = self.timers.get(fragment_id)
        if current and current[0] == interval:
            return
        self.cancel_timers([fragment_id])
        self.timers[fragment_id] = (interval, asyncio.create_task(self.tick_every(fragment_id, interval)))

    def cancel_timers(self, fragment_ids=None):
        for fid in list(self.timers if fragment_ids is None else fragment_ids):
            entry = self.timers.pop(fid, None)
            if entry:
                entry[1].cancel()

    # connecting ---------------------------------------------------------------------------------
    async def connect(self):
        from websockets.asyncio.client import connect

        self.t_connect = time.monotonic()
        try:
            self.ws = await connect(
                self.url,
                subprotocols=["streamlit"],
                compression=None,
                max_size=None,
                ping_interval=None,
                open_timeout=PAINT_TIMEOUT,
            )
        except Exception as error:  # noqa: BLE001
            self.error("disconnect", f"connect failed: {error!r}")
            return
        self.upstream = self.ws.response.headers.get("X-Upstream")
        self.reader = asyncio.create_task(self.read())
        await self.rerun()

    async def press_play(self):
        if not self.play_id:
            self.error("timeout", "no Play button on the page")
            return
        self.t_play = time.monotonic()
        await self.rerun(trigger_id=self.play_id)

    async def close(self):
        self.closing = True
        self.cancel_timers()
        for task in (self.tick_task, self.watchdog_task):
            if task:
                task.cancel()
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), 5)
        if self.reader is not None:
            self.reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.reader

    # receiving ----------------------------------------------------------------------------------
    async def read(self):
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        try:
            async for data in self.ws:
                self.bytes_received += len(data)
                self.handle(ForwardMsg.FromString(data), len(data))
        except Exception as error:  # noqa: BLE001
            if not self.closing:
                self.error("disconnect", repr(error))
            return
        if not self.closing:
            self.error("disconnect", f"closed by the server ({self.ws.close_code})")

    def handle(self, msg, size):
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.page_script_hash = msg.new_session.page_script_hash
            if not msg.metadata.run.fragment_ids:  # a full run: the frontend drops its timers
                self.cancel_timers()
        elif kind == "auto_rerun":
            self.set_timer(msg.auto_rerun.fragment_id, msg.auto_rerun.interval)
        elif kind == "stop_auto_rerun":
            self.cancel_timers(list(msg.stop_auto_rerun.fragment_ids))
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
            if _params(self.query_string) != _params(self.plan["query"]):
                self.cross(f"the server wrote another URL: {self.query_string}")
        elif kind == "session_event" and msg.session_event.HasField("script_compilation_exception"):
            self.error("exception", "script compilation exception")
        elif kind == "script_finished":
            self.finished.append((time.monotonic(), msg.script_finished))
            if msg.script_finished == FINISHED_WITH_COMPILE_ERROR:
                self.error("exception", "script finished with a compile error")
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            self.element(msg.delta, size)

    def element(self, delta, size):
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            self.error("exception", f"{element.exception.type}: {element.exception.message[:200]}")
        elif kind == "alert" and element.alert.format == 1:  # st.error: shown, but not an exception
            self.notes.append(element.alert.body[:200])
        elif kind == "button" and element.button.id.endswith(f"-{PLAY_KEY}"):
            self.play_id = element.button.id
        elif kind == "bidi_component" and element.bidi_component.id.endswith(f"-{LIVE_KEY}"):
            self.live_id, self.live_fragment = element.bidi_component.id, delta.fragment_id
            component = element.bidi_component
            self.payload(json.loads(component.json or component.mixed.json), size)

    def payload(self, data, size):
        now = time.monotonic()
        if self.stream is None:
            self.stream = data.get("stream")
        elif data.get("stream") != self.stream:
            self.cross(f"payload of another stream {data.get('stream')} (mine {self.stream})")
            return
        seq = data.get("seq", 0)
        if seq <= self.seq:
            self.cross(f"seq went back: {seq} after {self.seq}")
            return
        self.seq = seq
        acked = False
        if "spec" in data:
            self.check_spec(data["spec"])
            if data["spec"].get("rev") != self.ack:  # live_view.js: setStateValue("ack", rev)
                self.ack = data["spec"].get("rev")
                if self.live_fragment:
                    acked = True
                    task = asyncio.get_running_loop().create_task(self.rerun(fragment_id=self.live_fragment))
                    self.tasks.add(task)
                    task.add_done_callback(self.tasks.discard)
        if not self.closing:
            self.pace(data, now, acked)
        epochs = self.check_frames(data.get("frames") or {})
        running = bool(data.get("running"))
        self.payloads.append((now, seq, running, epochs, size))
        if not self.painted.is_set():
            self.t_painted = now
            self.painted.set()
        if running and self.t_play is not None and epochs and epochs[-1] > 0 and not self.training.is_set():
            self.t_training = now
            self.training.set()
        if not running and self.training.is_set() and not self.closing:
            self.notes.append(f"training stopped at epoch {epochs[-1] if epochs else '?'}")

    def check_spec(self, spec):
        e = self.expected
        boundary = spec.get("boundary", {})
        if boundary.get("task") != e["task"] or boundary.get("classes") != e["classes"]:
            self.cross(f"spec for {boundary.get('task')}/{boundary.get('classes')}, asked {e['task']}")
            return
        traces = boundary.get("figure", {}).get("data", [])
        xs = [typed_array(t["x"]) for t in traces if t.get("type") == "scatter" and "x" in t]
        x = np.sort(np.concatenate(xs)) if xs else np.zeros(0)
        if len(x) != len(e["train_x"]) or not np.allclose(x, e["train_x"]):
            self.cross(f"spec with {len(x)} training points, expected {len(e['train_x'])} of this dataset")

    def check_frames(self, packed):
        epochs = packed.get("epochs") or []
        if not epochs:
            return epochs
        if epochs[0] < self.last_epoch or epochs != sorted(epochs):
            self.cross(f"epochs went back: {epochs} after {self.last_epoch}")
        self.last_epoch = epochs[-1]
        n = len(epochs)
        u8 = len(zlib.decompress(base64.b64decode(packed["u8"])))
        f32 = len(base64.b64decode(packed["f32"]))
        if u8 != n * self.expected["u8_per_frame"] or f32 != n * self.expected["f32_per_frame"]:
            self.cross(f"frames of another network: {u8} / {f32} bytes for {n} frames")
        return epochs

    def error(self, kind, detail):
        self.errors.append({"t": round(time.monotonic(), 3), "kind": kind, "detail": detail})

    def cross(self, detail):
        self.crosstalk.append(detail)

    # the numbers --------------------------------------------------------------------------------
    def summary(self, t0, t1):
        window = t1 - t0
        inside = [p for p in self.payloads if t0 < p[0] <= t1 and p[2]]
        before = [p for p in self.payloads if p[0] <= t0 and p[3]]
        epoch0 = before[-1][3][-1] if before else 0
        epoch1 = max((p[3][-1] for p in inside if p[3]), default=epoch0)
        times = [t0] + [p[0] for p in inside] + [t1]
        max_gap = max(b - a for a, b in zip(times, times[1:]))
        ends = [status for t, status in self.finished if t0 < t <= t1]
        if self.training.is_set() and max_gap > STALL_SECONDS:
            self.error("timeout", f"{max_gap:.1f} s without a payload while running")
        return {
            "index": self.plan["index"],
            "dataset": self.plan["dataset"],
            "points": self.plan["points"],
            "query": self.plan["query"],
            "first_paint_s": _round(self.t_painted - self.t_connect if self.t_painted else None),
            "play_to_training_s": _round(self.t_training - self.t_play if self.t_training else None),
            "updates": len(inside),
            "updates_per_s": len(inside) / window,
            "frames_per_s": sum(len(p[3]) for p in inside) / window,
            "epochs_per_s": (epoch1 - epoch0) / window,
            "epochs_per_update": (epoch1 - epoch0) / len(inside) if inside else 0.0,
            "frames": sum(len(p[3]) for p in inside),
            "epochs": epoch1 - epoch0,
            "max_gap_s": round(max_gap, 3),
            "kib_per_s": sum(p[4] for p in inside) / 1024 / window,
            "auto_reruns_sent": self.auto_reruns_sent,
            "tick_requests": self.tick_requests,
            "fragment_runs_delivered": ends.count(FINISHED_FRAGMENT_RUN),
            "runs_cut": ends.count(FINISHED_EARLY_FOR_RERUN),
            "errors": self.errors,
            "crosstalk": self.crosstalk[:10],
            "crosstalk_count": len(self.crosstalk),
            "notes": self.notes[:5],
            "stream": self.stream,
            "upstream": self.upstream,
            "train_ms_per_epoch_alone": 1000 * self.expected["train_s_per_epoch"],
            "snapshot_ms_alone": 1000 * self.expected["snapshot_s"],
        }


def _params(query):
    return dict(urllib.parse.parse_qsl(query))


def _round(value, digits=3):
    return None if value is None else round(value, digits)


# --- the server process --------------------------------------------------------------------------
class Probe:
    """psutil readings of the server (and of this client process and the machine). ``pid`` None (a
    deployment given by ``--url``): the server's readings are NaN, reported as not measured."""

    def __init__(self, pid):
        import psutil

        self.server = psutil.Process(pid) if pid is not None else None
        self.me = psutil.Process()
        self.series = []

    def read(self):
        if self.server is None:
            me = self.me.cpu_times()
            names = ("server_cpu", "workers_cpu", "main_thread_cpu", "threads", "rss_mb", "workers_mb")
            unknown = dict.fromkeys(names, math.nan)
            return {
                "t": time.monotonic(),
                **unknown,
                "client_cpu": me.user + me.system,
                "machine_busy": machine_busy_seconds(),
            }
        cpu = self.server.cpu_times()
        main = next((t for t in self.server.threads() if t.id == self.server.pid), None)
        me = self.me.cpu_times()
        workers_cpu, workers_mb = self.workers()
        return {
            "t": time.monotonic(),
            "server_cpu": cpu.user + cpu.system + workers_cpu,
            "workers_cpu": workers_cpu,
            "main_thread_cpu": (main.user_time + main.system_time) if main else 0.0,
            "threads": self.server.num_threads(),
            "rss_mb": self.server.memory_info().rss / 2**20 + workers_mb,
            "workers_mb": workers_mb,
            "client_cpu": me.user + me.system,
            "machine_busy": machine_busy_seconds(),
        }

    def workers(self):
        """CPU seconds and unique memory (MB) of the server's child processes: the training workers
        (and their forkserver). Unique memory (USS): the pages they share with the forkserver are
        counted once."""
        import psutil

        cpu = mb = 0.0
        for child in self.server.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                times = child.cpu_times()
                cpu += times.user + times.system
                mb += child.memory_full_info().uss / 2**20
        return cpu, mb

    async def sample(self):
        while True:
            self.series.append(self.read())
            await asyncio.sleep(SAMPLE_SECONDS)


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


def machine_busy_seconds():
    import psutil

    t = psutil.cpu_times()
    return sum(t) - t.idle - getattr(t, "iowait", 0.0)


def wait_for_quiet(limit):
    """Wait up to ``limit`` seconds for the machine to be quiet (other jobs share it). Returns the cores
    busy in the last 3 s."""
    deadline = time.monotonic() + limit
    while True:
        before = machine_busy_seconds()
        time.sleep(3.0)
        cores = (machine_busy_seconds() - before) / 3.0
        if cores < QUIET_CORES or time.monotonic() > deadline:
            return cores
        print(
            f"  machine busy ({cores:.2f} cores): waiting for it to calm down ...",
            file=sys.stderr,
            flush=True,
        )


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


def _no_nan(record):
    return {k: None if isinstance(v, float) and math.isnan(v) else v for k, v in record.items()}


def drive_url(url, plans, expected, args):
    """The sessions against an already-running deployment: no server to start, measure or stop."""
    if not healthy(url):
        raise SystemExit(f"{url}/_stcore/health does not answer ok: is the deployment running?")
    probe = Probe(None)
    print(f"  deployment {url} (not started here); driving {len(plans) - 1} sessions ...", file=sys.stderr)
    sessions, late, phases = asyncio.run(drive(url, plans, expected, probe, args))
    return sessions, late, phases, probe, "", healthy(url)


def finish(n, extra, args, background, sessions, late, phases, probe, log_text, healthy_after):
    """The run's record from the sessions and the probe's readings."""
    t0, t1 = phases["window_start"]["t"], phases["window_end"]["t"]
    per_session = [s.summary(t0, t1) for s in sessions]
    run = summarize(n, per_session, phases, probe.series, log_text, healthy_after)
    if args.url:  # not measured: null in the JSON, "–" in the tables
        run = _no_nan(run) | {"series": [_no_nan(r) for r in run["series"]]}
    late_paint = late.t_painted - late.t_connect if late.t_painted else None
    run |= {
        "late_first_paint_s": _round(late_paint),
        "late_crosstalk": late.crosstalk,
        "late_errors": late.errors,
    }
    run["crosstalk_count"] += len(late.crosstalk)
    run |= {
        "extra_query": extra,
        "server_env": args.server_env or [],
        "background_cores_before": round(background, 2),
        "url": args.url,
        "upstreams": dict(collections.Counter(s["upstream"] or "?" for s in per_session)),
    }
    return run


def tracebacks(log_text):
    """Each traceback in the server's log as one line: its last frame and its exception."""
    found, lines = [], log_text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("Traceback"):
            block = list(itertools.takewhile(lambda x: x.startswith((" ", "Traceback")), lines[i:]))
            frame = next((x.strip() for x in reversed(block) if x.strip().startswith("File ")), "")
            end = lines[i + len(block)] if i + len(block) < len(lines) else ""
            found.append(f"{frame} -> {end.strip()}"[:300])
    return found


def summarize(n, per_session, phases, series, log_text, healthy_after):
    start, end = phases["window_start"], phases["window_end"]
    window = end["t"] - start["t"]
    server_cpu = end["server_cpu"] - start["server_cpu"]
    updates = sum(s["updates"] for s in per_session)
    runs = sum(s["fragment_runs_delivered"] + s["runs_cut"] for s in per_session)
    train_cpu = sum(s["epochs"] * s["train_ms_per_epoch_alone"] / 1000 for s in per_session)
    # frames per run as seen in the delivered runs, times every run (cut runs took snapshots too)
    snapshot_cpu = (
        sum(
            s["frames"]
            / max(s["updates"], 1)
            * (s["fragment_runs_delivered"] + s["runs_cut"])
            * s["snapshot_ms_alone"]
            for s in per_session
        )
        / 1000
    )
    errors = [dict(e, session=s["index"]) for s in per_session for e in s["errors"]]
    errors += [{"session": None, "kind": "server log", "detail": t} for t in tracebacks(log_text)]
    if not healthy_after:
        errors.append({"session": None, "kind": "server", "detail": "server exited during the run"})
    rates = [s["updates_per_s"] for s in per_session]
    paints = [s["first_paint_s"] for s in per_session[1:] if s["first_paint_s"] is not None]
    plays = [s["play_to_training_s"] for s in per_session if s["play_to_training_s"] is not None]
    rss_one, rss_connected, rss_end = (
        phases["one_session"]["rss_mb"],
        phases["all_connected"]["rss_mb"],
        end["rss_mb"],
    )
    extra = n - 1
    per_run = (lambda seconds: 1000 * seconds / runs) if runs else (lambda seconds: None)
    client_cpu = end["client_cpu"] - start["client_cpu"]
    machine_cpu = end["machine_busy"] - start["machine_busy"]
    return {
        "sessions": n,
        "window_s": round(window, 3),
        "errors": errors,
        "error_count": len(errors),
        "crosstalk_count": sum(s["crosstalk_count"] for s in per_session),
        "distinct_streams": len({s["stream"] for s in per_session if s["stream"]}),
        "updates_per_s_median": statistics.median(rates),
        "updates_per_s_worst": min(rates),
        "updates_per_s_best": max(rates),
        "frames_per_s_median": statistics.median(s["frames_per_s"] for s in per_session),
        "epochs_per_s_median": statistics.median(s["epochs_per_s"] for s in per_session),
        "epochs_per_update_median": statistics.median(s["epochs_per_update"] for s in per_session),
        "max_gap_s_worst": max(s["max_gap_s"] for s in per_session),
        "runs_delivered": sum(s["fragment_runs_delivered"] for s in per_session),
        "runs_cut": sum(s["runs_cut"] for s in per_session),
        "kib_per_s_total": sum(s["kib_per_s"] for s in per_session),
        "cold_first_paint_s": per_session[0]["first_paint_s"],
        "first_paint_s_median": statistics.median(paints) if paints else per_session[0]["first_paint_s"],
        "first_paint_s_worst": max(paints) if paints else per_session[0]["first_paint_s"],
        "play_to_training_s_median": statistics.median(plays) if plays else None,
        "play_to_training_s_worst": max(plays) if plays else None,
        "server_cores": server_cpu / window,
        "server_cores_per_session": server_cpu / window / n,
        "main_thread_cores": (end["main_thread_cpu"] - start["main_thread_cpu"]) / window,
        "workers_cores": (end["workers_cpu"] - start["workers_cpu"]) / window,
        "workers_mb_end": end["workers_mb"],
        "server_ms_per_update": 1000 * server_cpu / updates if updates else None,
        "server_ms_per_run": per_run(server_cpu),
        "train_ms_per_run_est": per_run(train_cpu),
        "snapshot_ms_per_run_est": per_run(snapshot_cpu),
        "rest_ms_per_run_est": per_run(server_cpu - train_cpu - snapshot_cpu),
        "runs_per_s_per_session": runs / window / n,
        "client_cores": client_cpu / window,
        "machine_busy_cores": machine_cpu / window,
        "other_cores": (machine_cpu - server_cpu - client_cpu) / window,
        "server_threads": end["threads"],
        "rss_idle_mb": phases["idle"]["rss_mb"],
        "rss_one_session_mb": rss_one,
        "rss_all_connected_mb": rss_connected,
        "rss_end_mb": rss_end,
        "rss_peak_mb": max(r["rss_mb"] for r in series) if series else rss_end,
        "rss_after_close_mb": phases["closed"]["rss_mb"],
        "mb_per_extra_session_connected": (rss_connected - rss_one) / extra if extra else None,
        # the server process only: the worker processes are a fixed cost (one per core), not per session
        "mb_per_extra_session": (
            (rss_end - end["workers_mb"] - (rss_one - phases["one_session"]["workers_mb"])) / extra
            if extra
            else None
        ),
        "per_session": per_session,
        "series": [
            {k: round(v - series[0]["t"] if k == "t" else v, 3) for k, v in r.items()} for r in series
        ],
    }


# --- report -------------------------------------------------------------------------------------
def _fmt(value, pattern="{:.1f}"):
    return "–" if value is None else pattern.format(value)


def label(run):
    """A run's name: its session count, and any extra query or server environment."""
    extras = [run["extra_query"], *run["server_env"]]
    return f"{run['sessions']}" + "".join(f" ({x})" for x in extras if x)


SESSION_COLUMNS = [
    ("sessions", label),
    ("errors", lambda r: f"{r['error_count']}"),
    ("cross-talk", lambda r: f"{r['crosstalk_count']}"),
    ("updates/s median", lambda r: f"{r['updates_per_s_median']:.2f}"),
    ("updates/s worst", lambda r: f"{r['updates_per_s_worst']:.2f}"),
    ("frames/s median", lambda r: f"{r['frames_per_s_median']:.1f}"),
    ("epochs/s median", lambda r: f"{r['epochs_per_s_median']:.0f}"),
    ("epochs / update", lambda r: f"{r['epochs_per_update_median']:.0f}"),
    ("longest gap s", lambda r: f"{r['max_gap_s_worst']:.2f}"),
    ("runs cut", lambda r: f"{r['runs_cut']} of {r['runs_cut'] + r['runs_delivered']}"),
    ("first paint s median", lambda r: _fmt(r["first_paint_s_median"], "{:.2f}")),
    ("first paint s worst", lambda r: _fmt(r["first_paint_s_worst"], "{:.2f}")),
    ("cold first paint s", lambda r: _fmt(r["cold_first_paint_s"], "{:.2f}")),
    ("late joiner first paint s", lambda r: _fmt(r["late_first_paint_s"], "{:.2f}")
     if r["late_first_paint_s"] is not None else f"> {r['window_s'] / 2 + LATE_EXTRA_SECONDS:.0f}"),
    ("Play → training s median / worst", lambda r: _fmt(r["play_to_training_s_median"], "{:.2f}") + " / "
     + _fmt(r["play_to_training_s_worst"], "{:.2f}")),
]  # fmt: skip
SERVER_COLUMNS = [
    ("sessions", label),
    ("server cores", lambda r: _fmt(r["server_cores"], "{:.2f}")),
    ("cores / session", lambda r: _fmt(r["server_cores_per_session"], "{:.3f}")),
    ("main thread cores", lambda r: _fmt(r["main_thread_cores"], "{:.2f}")),
    ("of which workers", lambda r: _fmt(r.get("workers_cores"), "{:.2f}")),
    ("runs/s per session", lambda r: f"{r['runs_per_s_per_session']:.2f}"),
    ("server ms / run", lambda r: _fmt(r["server_ms_per_run"])),
    ("of which training", lambda r: _fmt(r["train_ms_per_run_est"])),
    ("snapshots", lambda r: _fmt(r["snapshot_ms_per_run_est"])),
    ("rest", lambda r: _fmt(r["rest_ms_per_run_est"])),
    ("server ms / delivered update", lambda r: _fmt(r["server_ms_per_update"], "{:.0f}")),
    ("RSS idle MB", lambda r: _fmt(r["rss_idle_mb"], "{:.0f}")),
    ("RSS 1 session", lambda r: _fmt(r["rss_one_session_mb"], "{:.0f}")),
    ("RSS N connected", lambda r: _fmt(r["rss_all_connected_mb"], "{:.0f}")),
    ("RSS end", lambda r: _fmt(r["rss_end_mb"], "{:.0f}")),
    ("of which workers", lambda r: _fmt(r.get("workers_mb_end"), "{:.0f}")),
    ("MB / extra session", lambda r: _fmt(r["mb_per_extra_session"], "{:.2f}")),
    ("KiB/s sent", lambda r: f"{r['kib_per_s_total']:.0f}"),
    ("client cores", lambda r: f"{r['client_cores']:.2f}"),
    ("other cores", lambda r: _fmt(r["other_cores"], "{:.2f}")),
]


def table(columns, runs):
    lines = ["| " + " | ".join(name for name, _ in columns) + " |", "|" + "---|" * len(columns)]
    return lines + ["| " + " | ".join(cell(r) for _, cell in columns) + " |" for r in runs]


def verdicts(run):
    """(target, pass/miss, figure) for one run."""
    worst = run["updates_per_s_worst"]
    mb = run["mb_per_extra_session"]
    class_size = run["sessions"] <= 30  # beyond a class of 30 (issue 13's 100): updates, errors, memory
    least = TARGET_UPDATES_PER_S if class_size else TARGET_UPDATES_PER_S_CROWD
    fps, eps = run["frames_per_s_median"], run["epochs_per_s_median"]
    picture = [
        (f"median ≥ {TARGET_FRAMES_PER_S:g} frames/s", fps >= TARGET_FRAMES_PER_S, f"{fps:.1f}/s"),
        (f"median ≥ {TARGET_EPOCHS_PER_S:g} epochs/s", eps >= TARGET_EPOCHS_PER_S, f"{eps:.0f}/s"),
    ]
    return [
        (f"every session ≥ {least:g} updates/s", worst >= least, f"worst {worst:.2f}/s"),
        *(picture if class_size else []),
        (
            f"memory < {TARGET_MB_PER_SESSION:g} MB per extra session",
            None if mb is None else mb < TARGET_MB_PER_SESSION,
            _fmt(mb, "{:.2f} MB"),
        ),
        ("no error", run["error_count"] == 0, f"{run['error_count']} errors"),
        (
            "no cross-talk",
            run["crosstalk_count"] == 0 and run["distinct_streams"] == run["sessions"],
            f"{run['crosstalk_count']} foreign payloads, {run['distinct_streams']} distinct streams",
        ),
    ]


def report(runs, info, args):
    lines = [
        "# Load benchmark: concurrent Playground sessions on one Streamlit server",
        "",
        f"{info['date']} · {info['cpus']} CPUs shared by the server and the clients · load average before "
        f"{', '.join(map(str, info['load_average_before']))} · Python {info['python']} · streamlit "
        f"{info['streamlit']} · websockets {info['websockets']} · window {args.seconds:g} s after "
        f"{args.warmup:g} s of Play · clients: Streamlit's websocket protocol from Python (no browser)",
        "",
        *(
            [
                f"Server: {args.url}, an already-running deployment (--url). Its CPU, memory and log are not "
                "measured here (no PID): those columns say –. Sessions per replica (X-Upstream): "
                + "; ".join(f"{label(r)} sessions: {r['upstreams']}" for r in runs),
                "",
            ]
            if args.url
            else []
        ),
        "Per session (delivered updates = live-chart payloads while running, one per server tick; frames = "
        "the snapshots in them):",
        "",
        *table(SESSION_COLUMNS, runs),
        "",
        "Server (psutil, over the window):",
        "",
        *table(SERVER_COLUMNS, runs),
        "",
        "Targets:",
        "",
    ]
    for run in runs:
        for target, ok, figure in verdicts(run):
            verdict = "n/a" if ok is None else ("pass" if ok else "**miss**")
            lines.append(f"- {label(run)} sessions: {target}: {verdict} ({figure})")
    for run in runs:
        if run["errors"]:
            kinds = collections.Counter(e["kind"] for e in run["errors"])
            lines.append(
                f"- {label(run)} sessions, errors: " + ", ".join(f"{k} {v}" for k, v in kinds.items())
            )
        shown = [e for e in run["errors"] if e["session"] is None] + [
            e for e in run["errors"] if e["session"] is not None
        ][:3]
        for e in shown:
            where = f"session {e['session']}" if e["session"] is not None else "server"
            lines.append(f"  - {where}: {e['kind']}: {e['detail']}")
    lines += [
        "",
        "- sessions: dataset rotates over " + ", ".join(DATASETS) + f"; points {FIRST_POINTS}, "
        f"{FIRST_POINTS + POINTS_STEP}, ... (one per session); otherwise the default configuration.",
        "- runs cut: runs in the window whose script_finished arrived as FINISHED_EARLY_FOR_RERUN: their "
        "deltas (the payload) were still queued, unsent, when the next run of the fragment started, and "
        "Streamlit dropped them (forward_msg_queue.clear at a fragment run's start).",
        "- first paint: websocket connect -> first live-chart payload, for the N-1 sessions that connect "
        "at once after the first; cold: the first session alone on a fresh server (the app's imports); "
        "late joiner: one more session opening the page halfway through the window, while the others train "
        "(it does not press Play and is not counted elsewhere, except for cross-talk).",
        "- runs: the sessions' fragment runs (ticks) in the window, delivered or cut. server ms / run: "
        "server CPU in the window / runs. 'of which training': epochs trained in the window (from the "
        "payloads) x each configuration's in-process cost per epoch; 'snapshots': frames per run x runs x "
        "the cost of one snapshot (both measured alone, before the server starts); 'rest': everything else "
        "a fragment run costs (Streamlit's run, the page's status and metrics, the payload's JSON, the "
        "websocket). server ms / delivered update: server CPU / payloads that arrived.",
        "- main thread: the server's event loop (websockets, message queues); the scripts run in one thread "
        "per session, all under one GIL.",
        "- MB / extra session: (RSS at the end of the window - RSS with one session) / (N - 1), of the "
        "server process alone: the worker processes (one per core, 'of which workers') are a fixed cost.",
    ]
    return lines


def machine_info():
    import psutil
    import streamlit
    import websockets

    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
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
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        payload = {"machine": info, "args": vars(args), "runs": runs}
        stem = "load-url" if args.url else "load"  # a deployment's figures never replace one server's
        (RESULTS_DIR / f"{stem}.json").write_text(json.dumps(payload, indent=1) + "\n")
        (RESULTS_DIR / f"{stem}.md").write_text("\n".join(lines) + "\n")
        print(f"\nsaved {RESULTS_DIR / stem}.json and .md", file=sys.stderr)


if __name__ == "__main__":
    main()
