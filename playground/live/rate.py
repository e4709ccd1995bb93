"""The epochs-per-second figure: epochs over elapsed time during the last few seconds of training.

Epochs over elapsed time, not an average of per-tick rates: ticks come unevenly, and the mean of
K / dt would overstate the rate. The marks start again at every Play or Pause.
"""

import time

import streamlit as st

from playground.core import session

WINDOW = 3.0  # seconds of marks behind the figure
clock = time.perf_counter  # the rate's clock (tests replace it)


def mark(epoch):
    """Remember (time, epoch) after a tick; marks older than WINDOW, or from before the last Play or
    Pause, are dropped."""
    ss = st.session_state
    now, run = clock(), session.run_number()
    kept = ss.get("pg_marks", (None, []))
    marks = [m for m in kept[1] if now - m[0] <= WINDOW] if kept[0] == run else []
    ss.pg_marks = (run, marks + [(now, epoch)])


def epochs_per_second():
    """Epochs trained per wall-clock second over the last WINDOW seconds (0 when paused)."""
    run, marks = st.session_state.get("pg_marks", (None, []))
    if not session.is_running() or run != session.run_number() or len(marks) < 2:
        return 0.0
    (t0, e0), (t1, e1) = marks[0], marks[-1]
    return (e1 - e0) / (t1 - t0) if t1 > t0 else 0.0
