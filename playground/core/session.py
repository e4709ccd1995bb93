"""The session-state keys that more than one feature reads, and the only code that reads them raw.

A Streamlit server is shared by every user, so per-user objects live in ``st.session_state``; the
keys below (prefix ``pg_``) belong to the Playground's experiment but are read by other pages too
(Learn pages start from the Playground's network, Your data sets the upload, the export panel
pauses training). Each feature keeps its own keys in its own module.
"""

import streamlit as st

def is_running():
    """True while the Playground trains (Play pressed, not yet paused or finished)."""
    return st.session_state.get("pg_running", False)


def set_running(value):
    """Start or stop training. A button callback: it takes the new value as an argument (a toggle
    that flips a flag could run twice while a fragment ticks)."""
    st.session_state.pg_running = bool(value)
    st.session_state.pg_run_number = run_number() + 1  # rate meters start again


def run_number():
    """Which Play/Pause this is: changes whenever ``set_running`` is called."""
    return st.session_state.get("pg_run_number", 0)
