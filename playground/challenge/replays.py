"""Where the board's replays run: one worker process per server, off the interpreter lock that every
session's page shares, with a time budget per replay (``verify.replay`` is the work).

A replay is a few seconds of training at most (``rules.MAX_REPLAY_EPOCHS``); one worker keeps a flood
of submissions from taking the server's cores from the students who are training: they wait in line.
Where no process can start, the replay runs in the session's own thread.
"""

import concurrent.futures
import multiprocessing
import os
from concurrent.futures.process import BrokenProcessPool

import streamlit as st

from playground.challenge import verify

REPLAY_SECONDS = 60.0  # a replay waiting and running longer than this is given up (the page says so)


class ReplayTimeout(RuntimeError):
    """The replay did not finish in time: the server is busy."""


@st.cache_resource(show_spinner=False, on_release=lambda executor: executor and executor.shutdown(wait=False))
def _pool():
    """Once per server process: one worker for replays (None where processes cannot start)."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one core for one worker (see live.workers)
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    try:
        context = multiprocessing.get_context(method)
        return concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=context)
    except (OSError, RuntimeError, NotImplementedError):
        return None


def replay(config, epochs, goal_text):
    """``verify.replay`` in the worker (or here); raises ``ReplayTimeout`` past REPLAY_SECONDS."""
    executor = _pool()
    if executor is None:
        return verify.replay(config, epochs, goal_text)
    try:
        return executor.submit(verify.replay, config, epochs, goal_text).result(timeout=REPLAY_SECONDS)
    except concurrent.futures.TimeoutError as error:
        message = f"The replay took more than {REPLAY_SECONDS:.0f} s: the server is busy. Try again."
        raise ReplayTimeout(message) from error
    except (BrokenProcessPool, OSError):
        _pool.clear()  # a worker died: the next replay starts a new one
        return verify.replay(config, epochs, goal_text)
