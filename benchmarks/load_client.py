"""The load benchmark's client: one student's page speaking Streamlit's websocket protocol.

``Session`` (used by benchmarks/bench_load.py) does what the browser's live view does, without a browser:
loads the Playground with its query string, presses Play, asks for the next tick as live_view.js does
(the clocks are load_pacing's ``Pacer``), acknowledges the charts' spec, and records every live-chart
payload (seq, frames, bytes), every run's end, errors, notes and the replica that answered. It checks
that each payload is its own (cross-talk): its stream id, a growing seq and epochs, frames and a spec of
its configuration (load_plan's ``spec_mismatch`` / ``frames_mismatch``), the URL the server writes.
"""

import asyncio
import contextlib
import json
import time
import urllib.parse

from load_pacing import Pacer
from load_plan import frames_mismatch, spec_mismatch

LIVE_KEY, PLAY_KEY = "live", "play"
PAINT_TIMEOUT = 60.0  # seconds from connect to the first live-chart payload
PLAY_TIMEOUT = 60.0  # seconds from Play to the first payload that trained
STALL_SECONDS = 10.0  # a running session without a payload for this long is a timeout
LATE_EXTRA_SECONDS = 30.0  # how long after the window a late joiner may still take to paint
TIMEZONE, LOCALE = "UTC", "en-US"
# ForwardMsg.ScriptFinishedStatus. A run whose deltas were still queued (unsent) when the next run of the
# same fragment started loses them, and its script_finished is rewritten to FINISHED_EARLY_FOR_RERUN.
FINISHED_WITH_COMPILE_ERROR, FINISHED_EARLY_FOR_RERUN, FINISHED_FRAGMENT_RUN = 1, 2, 3


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
        self.live_id = self.live_fragment = self.play_id = None
        self.ack = None  # the spec revision acknowledged (the component's state)
        self.stream, self.seq, self.last_epoch = None, 0, -1
        self.payloads = []  # (t, seq, running, epochs of its frames, bytes)
        self.finished = []  # (t, ScriptFinishedStatus) of every run the client hears about
        self.errors, self.crosstalk, self.notes = [], [], []
        self.painted, self.training = asyncio.Event(), asyncio.Event()
        self.t_connect = self.t_painted = self.t_play = self.t_training = None
        self.bytes_received = 0
        self.pacer = Pacer(self.rerun)  # when to ask for the next run
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
        self.pacer.stop()
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
                self.pacer.cancel_timers()
        elif kind == "auto_rerun":
            self.pacer.set_timer(msg.auto_rerun.fragment_id, msg.auto_rerun.interval)
        elif kind == "stop_auto_rerun":
            self.pacer.cancel_timers(list(msg.stop_auto_rerun.fragment_ids))
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
            self.pacer.pace(data, now, acked, self.live_fragment)
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
        problem = spec_mismatch(self.expected, spec)
        if problem:
            self.cross(problem)

    def check_frames(self, packed):
        epochs = packed.get("epochs") or []
        if not epochs:
            return epochs
        if epochs[0] < self.last_epoch or epochs != sorted(epochs):
            self.cross(f"epochs went back: {epochs} after {self.last_epoch}")
        self.last_epoch = epochs[-1]
        problem = frames_mismatch(self.expected, packed)
        if problem:
            self.cross(problem)
        return epochs

    def error(self, kind, detail):
        self.errors.append({"t": round(time.monotonic(), 3), "kind": kind, "detail": detail})

    def cross(self, detail):
        self.crosstalk.append(detail)


def _params(query):
    return dict(urllib.parse.parse_qsl(query))
