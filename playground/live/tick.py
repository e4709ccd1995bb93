"""One tick of the Playground while it trains: plan it, run it in a worker, take its result home.

The page's fragment calls ``tick`` once per server round trip. The tick's size comes from
``pacing`` (a fair share of the cores over the time between ticks), the work itself from
``training.run`` in a worker process (``workers``), and the trained network replaces the session's
own (``Experiment.take_training_from``). Training stops at the epoch budget or on divergence.
"""

import secrets

import streamlit as st

from playground.core import session
from playground.core.config import SPEEDS
from playground.live import pacing, rate, store, training, workers


def tick(exp, *, snapshots=False):
    """Train K epochs of ``exp`` (with ``snapshots``, in up to ``pacing.MAX_FRAMES`` chunks, each
    followed by a ``frames.snapshot``). Returns (stopped, packed): ``stopped`` is True when training
    stopped in this tick (the page then reruns to stop ticking); ``packed``, the frames as
    ``frames.pack_frames`` packs them for the browser, or None."""
    pool, pace = workers.pool(), pacing.current()
    n_epochs, n_frames = pace.plan(
        per_epoch=exp.cpu_seconds_per_epoch(),
        speed_epochs=SPEEDS[exp.config.speed],
        cores=pool.cores(),
        active=pool.active(),
        snapshots=snapshots,
    )
    before = _moment(exp)
    result = pool.run(training.Job(exp.travelling_copy(), n_epochs, n_frames), _token())
    with session.guard():
        if _moment(exp) != before or not session.is_running():
            return False, None  # paused, stepped, reset or changed while the worker trained: drop it
        exp.take_training_from(result.experiment)
        store.film(exp).add_all(result.reels)
        stopped = exp.finished or exp.diverged
        if stopped:
            session.set_running(False)
    st.session_state.pg_worker_notice = "" if pool.available else pool.reason
    pace.measured(result.snapshot_cpu)
    rate.mark(exp.epoch)
    return stopped, result.packed


def _moment(exp):
    """What must not change while a tick trains elsewhere: the Play it belongs to, the experiment and
    its network, its config (a training setting applied meanwhile would be lost), its epoch and its
    data (points drawn meanwhile: the next tick trains on them)."""
    return session.run_number(), id(session.experiment()), exp.builds, exp.config, exp.epoch, exp.data_version


def worker_notice():
    """Why this session's last tick trained in the server's own process ("" if a worker trained it)."""
    return st.session_state.get("pg_worker_notice", "")


def tick_seconds():
    """The shortest time between this session's ticks now (the browser waits at least this long)."""
    return pacing.tick_seconds(workers.pool().active())


def _token():
    """This session's name in the pool's count of sessions training."""
    return st.session_state.setdefault("pg_worker_token", secrets.token_hex(8))
