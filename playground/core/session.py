"""The session-state keys that more than one page reads, and the only code that reads them raw.

A Streamlit server is shared by every user, so per-user objects live in ``st.session_state``. The
keys here (prefix ``pg_``) belong to the Playground but other pages read them too: the Learn pages
start from the Playground's network, Your data sets the upload, the export panel pauses training,
the Lessons and Teacher pages open a setup in the Playground. Each feature keeps its other keys in
its own module.
"""

import threading

import streamlit as st

from playground.core.classroom import Classroom


def control_key(name):
    """The session key of the Playground's control for ``name`` (a ``Config`` field, or a helper
    such as ``n_hidden``): ``cfg_<name>``."""
    return f"cfg_{name}"


def guard():
    """This session's lock around changes to its experiment and running flag. A click makes
    Streamlit start a new run at once (``runner.fastReruns``) while the previous run may still wait
    for a worker's tick: the tick adopts its result, and the click's callback changes the state,
    one at a time."""
    return st.session_state.setdefault("pg_guard", threading.RLock())


def is_running():
    """True while the Playground trains (Play pressed, not yet paused or finished)."""
    return st.session_state.get("pg_running", False)


def set_running(value):
    """Start or stop training. A button callback: it takes the new value as an argument (a toggle
    that flips a flag could run twice while a fragment ticks)."""
    with guard():
        st.session_state.pg_running = bool(value)
        st.session_state.pg_run_number = run_number() + 1  # a tick in flight is dropped, rates restart


def run_number():
    """Which Play or Pause this is: changes whenever ``set_running`` is called."""
    return st.session_state.get("pg_run_number", 0)


def experiment():
    """The Playground's ``Experiment`` (data, network, trainer), or None before the page ran."""
    return st.session_state.get("pg_experiment")


def keep_experiment(exp):
    """Make ``exp`` the Playground's experiment."""
    st.session_state.pg_experiment = exp


def last_change():
    """The line under the Playground's buttons: what last changed the network (a new setting, Reset,
    weights loaded), or None. The Playground and the weights upload (``playground.files``) set it."""
    return st.session_state.get("pg_last_change")


def set_last_change(text):
    st.session_state.pg_last_change = text


def upload():
    """The data this session uploaded (``playground.files.upload.UploadedData``), or None."""
    return st.session_state.get("pg_upload")


def keep_upload(data):
    st.session_state.pg_upload = data


def drawn():
    """The points this session drew by hand (``playground.core.drawn.Drawn``), or None."""
    return st.session_state.get("pg_drawn")


def keep_drawn(data):
    st.session_state.pg_drawn = data


def classroom(default):
    """This session's classroom settings (hidden and locked controls, task, goal, lesson), or
    ``default`` when none were set."""
    return st.session_state.get("pg_classroom", default)


def keep_classroom(room):
    st.session_state.pg_classroom = room


def link_config():
    """(config, notices) the Playground starts from: its link's, or a setup another page opened;
    None until either happened."""
    return st.session_state.get("pg_url_config")


def keep_link_config(config, notices):
    st.session_state.pg_url_config = (config, notices)


def passed_lessons():
    """The ids of the lessons whose goal this session reached (a set, kept for the session)."""
    return st.session_state.setdefault("pg_passed_lessons", set())


def open_in_playground(config, room=None):
    """Give the Playground ``config`` and classroom settings ``room`` (None: every control shown) as
    if its link had just been opened (a new network, paused), then go to the Playground page. For
    buttons on other pages ("open this in the Playground", "start this lesson")."""
    ss = st.session_state
    keep_link_config(config, [])
    keep_classroom(room or Classroom())
    ss.pop("pg_goal_memory", None)
    for name in [name for name in ss if str(name).startswith(control_key(""))]:
        del ss[name]  # the controls are seeded again from ``config``
    ss.pop("pg_experiment", None)
    ss.pg_running = False
    st.switch_page("pages/playground.py")
