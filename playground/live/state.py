"""Per-user state in ``st.session_state`` (keys prefixed ``pg_``), and the live-training loop.

A Streamlit server is shared by every user, so nothing per-user lives at module level: the
experiment, the running flag and the tick timing are session keys. While running, the page's
fragment calls ``tick`` once per server round trip: the live charts ask for each tick when the
previous one has arrived, at most every ``TICK_SECONDS`` (``playground/live.py``); the fallback
charts tick on Streamlit's timer. Each tick trains K epochs, K set by the speed control and capped
by a CPU budget; with the live charts it also takes up to ``FRAMES_PER_TICK`` snapshots along the
way, which the browser plays back evenly until the next tick: the picture moves several times per
round trip.

Budgets are CPU time of the session's own thread, shared out by load: on a busy server (one
interpreter lock for every session) a tick's wall time grows with the other sessions' work, and
``load()`` (wall over CPU time of the last ticks) scales the budgets down, to a floor. Every
session then still gets its round trips, each with a little training, instead of a few long ticks.
"""

import dataclasses
import gc
import time
import urllib.parse

import streamlit as st

from playground.core import classroom, session
from playground.core.config import FIELDS, SPEEDS, UPLOAD, Config, from_query, to_query
from playground.core.experiment import Experiment
from playground.live import frames

TICK_SECONDS = 0.2  # shortest time between ticks: each tick is a server round trip (~5 a second)
TICK_TRAIN_BUDGET = 0.12  # CPU seconds of training per tick at most, whatever the speed
TICK_TRAIN_FLOOR = 0.004  # ... and at least, however busy the server (see ``load``)
FRAMES_PER_TICK = 6  # snapshots per tick for the live charts: ~5 ticks x 6 frames = 30 frames a second
FRAME_BUDGET = 0.02  # CPU seconds of snapshots per tick at most: a big network gets fewer frames
FRAME_FLOOR = 0.004  # ... and at least, however busy the server
RATE_WINDOW = 3.0  # seconds of history behind the epochs-per-second figure
clock = time.perf_counter  # the rate's clock (tests replace it)


@st.cache_resource
def freeze_gc():
    """Once per server process: move import-time objects out of the garbage collector's view.
    Streamlit runs gc.collect() after every run and fragment tick; with plotly and pandas
    imported that costs ~65 ms per tick, and ~0 ms after the freeze (measured on Streamlit 1.67)."""
    gc.collect()
    gc.freeze()
    return True


def url_config():
    """The config in the page URL, read once per session, and its classroom settings (kept in
    ``pg_classroom``). Returns (config, notices)."""
    ss = st.session_state
    if "pg_url_config" not in ss:
        params = st.query_params.to_dict()
        config, notices = from_query(params, other_keys=classroom.QUERY_KEYS)
        ss.pg_classroom, more = classroom.from_query(params)
        ss.pg_url_config = (config, notices + more)
    return ss.pg_url_config


def current_classroom():
    """This session's classroom settings (hidden and locked controls, task, goal, lesson)."""
    return st.session_state.get("pg_classroom", classroom.Classroom())


def leave_classroom():
    """Button callback: show every control again, drop the task and the goal."""
    st.session_state.pg_classroom = classroom.Classroom()


def open_in_playground(config, room=None):
    """Give the Playground ``config`` (and the classroom settings ``room``) as if its link had just
    been opened: a new network, paused. Then go to the Playground page. For buttons on other pages
    ("open this in the Playground", "start this lesson")."""
    ss = st.session_state
    ss.pg_url_config = (config, [])
    ss.pg_classroom = room or classroom.Classroom()
    ss.pop("pg_goal_memory", None)
    for name in [name for name in ss if str(name).startswith("cfg_")]:
        del ss[name]  # the controls are seeded again from ``config``
    ss.pop("pg_experiment", None)
    ss.pg_running = False
    st.switch_page("pages/playground.py")


def write_url(config):
    """Keep the URL equal to the config (and the classroom settings), so the address bar is always
    a shareable link."""
    query = to_query(config) | classroom.to_query(current_classroom())
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)


def share_link(config):
    """The full link to this configuration (the page's address with the config's parameters)."""
    parts = urllib.parse.urlsplit(st.context.url or "")
    query = to_query(config) | classroom.to_query(current_classroom())
    page = parts._replace(path=parts.path or "/", query=urllib.parse.urlencode(query, safe=","), fragment="")
    return urllib.parse.urlunsplit(page)


def uploaded_data():
    """The data this session uploaded (``playground.files.upload.UploadedData``), or None."""
    return st.session_state.get("pg_upload")


def with_upload(config):
    """``config`` fitted to this session's upload: the upload's kind of problem and classes; or,
    without an upload (a link from another session: uploads are never shared), the default
    dataset. Returns (config, notices)."""
    if config.dataset != UPLOAD:
        return config, []
    upload = uploaded_data()
    if upload is None:
        note = "This link uses data uploaded in another session (uploads are never shared): using Circles."
        return dataclasses.replace(config, dataset=Config().dataset), [note]
    n_classes = min(max(upload.n_classes, 2), FIELDS["n_classes"].high)
    return dataclasses.replace(config, upload_task=upload.task, n_classes=n_classes), []


def experiment(config):
    """This session's experiment, moved to ``config``. Returns (experiment, Change or None)."""
    ss = st.session_state
    upload = uploaded_data() if config.dataset == UPLOAD else None
    if "pg_experiment" not in ss:
        ss.pg_experiment = Experiment(config, upload)
        ss.pg_running = False
        return ss.pg_experiment, None
    change = ss.pg_experiment.update(config, upload)
    if change:
        ss.pg_last_change = change.message
        if change.rebuilt:  # a new network waits for Play, as in TensorFlow Playground
            ss.pg_running = False
    return ss.pg_experiment, change


is_running = session.is_running


def set_running(value):
    """Button callback; takes the new value as an argument (a toggle could run twice mid-tick)."""
    session.set_running(value)
    st.session_state.pg_marks = []


def step():
    """Button callback: pause and train exactly one epoch."""
    set_running(False)
    st.session_state.pg_experiment.train(1)
    _mark(st.session_state.pg_experiment)


def reset():
    """Button callback: pause and rebuild the network from its init seed (epoch 0)."""
    set_running(False)
    st.session_state.pg_experiment.reset()
    st.session_state.pg_last_change = "Reset: back to epoch 0 with the same initial weights."


def load():
    """How busy the server is for this session: wall time over CPU time of its recent ticks
    (1: it ran alone; 10: it waited for others nine times as long as it worked)."""
    return st.session_state.get("pg_load", 1.0)


def budget(most, least):
    """A per-tick CPU budget: ``most`` alone, shared out by ``load()``, never below ``least``."""
    return max(least, most / load())


def epochs_per_tick(exp):
    """K for the next tick: the speed setting's epochs, capped by the training budget. Before
    any epoch has been timed, one epoch: a big network at top speed must not freeze the first tick."""
    per_epoch = exp.cpu_seconds_per_epoch()
    if per_epoch == 0:
        return 1
    affordable = int(budget(TICK_TRAIN_BUDGET, TICK_TRAIN_FLOOR) / per_epoch)
    return min(SPEEDS[exp.config.speed], max(1, affordable))


def tick(exp, *, snapshots=False):
    """One fragment tick while running: train K epochs; stop at the end or on divergence.
    With ``snapshots``, the K epochs are trained in up to FRAMES_PER_TICK equal chunks and the model
    is snapshotted (``frames.snapshot``) after each. Returns (stopped, frames); ``stopped`` is True
    when training stopped in this tick (the page then reruns to stop the timer)."""
    n_epochs = epochs_per_tick(exp)
    n_frames = frames_per_tick(n_epochs) if snapshots else 1
    taken = []
    start, cpu_start = time.perf_counter(), time.thread_time()
    for chunk in _chunks(n_epochs, n_frames):
        if not exp.train(chunk):
            break
        if snapshots:
            taken.append(_timed_snapshot(exp))
    _measure_load(time.perf_counter() - start, time.thread_time() - cpu_start)
    _mark(exp)
    if exp.finished or exp.diverged:
        st.session_state.pg_running = False
        return True, taken
    return False, taken


def frames_per_tick(n_epochs):
    """Snapshots this tick: FRAMES_PER_TICK, but no more than epochs, nor than the budget allows."""
    cost = st.session_state.get("pg_snapshot_seconds", 0.0)
    affordable = int(budget(FRAME_BUDGET, FRAME_FLOOR) / cost) if cost > 0 else FRAMES_PER_TICK
    return max(1, min(FRAMES_PER_TICK, n_epochs, affordable))


def _measure_load(wall, cpu):
    """Fold one tick's wall and CPU seconds into ``load()`` (a running average). Ticks too short
    to time say nothing."""
    if cpu < 1e-3:
        return
    ss = st.session_state
    ss.pg_load = 0.7 * load() + 0.3 * max(1.0, wall / cpu)


def _chunks(n, k):
    """``n`` split into ``k`` near-equal positive parts, larger ones first: 10, 4 -> 3, 3, 2, 2."""
    return [n // k + (i < n % k) for i in range(k)]


def _timed_snapshot(exp):
    """frames.snapshot(exp), keeping a running average of its CPU cost for frames_per_tick."""
    start = time.thread_time()
    frame = frames.snapshot(exp)
    seconds = time.thread_time() - start
    ss = st.session_state
    ss.pg_snapshot_seconds = 0.7 * ss.get("pg_snapshot_seconds", seconds) + 0.3 * seconds
    return frame


def _mark(exp):
    """Remember (time, epoch) marks of the last RATE_WINDOW seconds, for the epochs-per-second rate."""
    ss = st.session_state
    now = clock()
    marks = [m for m in ss.get("pg_marks", []) if now - m[0] <= RATE_WINDOW]
    ss.pg_marks = marks + [(now, exp.epoch)]


def epochs_per_second():
    """Epochs trained per wall-clock second over the last few seconds of training (0 when paused).
    Epochs over elapsed time, not an average of per-tick rates: ticks come unevenly, and the mean
    of K / dt would overstate the rate."""
    marks = st.session_state.get("pg_marks", [])
    if not is_running() or len(marks) < 2 or marks[-1][0] <= marks[0][0]:
        return 0.0
    (t0, e0), (t1, e1) = marks[0], marks[-1]
    return (e1 - e0) / (t1 - t0)


def last_change():
    return st.session_state.get("pg_last_change")
