"""Teacher links: a Playground link that opens with chosen controls hidden or locked, a task and a goal;
and a TensorFlow Playground link opened as the nearest setup here (``playground.teach.tfplayground``)."""

import dataclasses
import urllib.parse

import pandas as pd
import streamlit as st

from playground.challenge import panels as challenge_panels
from playground.core import classroom, drawn, session
from playground.core.config import DRAWN, UPLOAD, Config, to_query
from playground.core.goals import parse_goal
from playground.core.navigation import use_app_navigation
from playground.teach.tfplayground import from_hash

use_app_navigation()


def playground_link(config, room):
    """The Playground's address with ``config`` and ``room`` in its query. The Playground is the app's
    default page, at the root: this page's address without its own name."""
    parts = urllib.parse.urlsplit(st.context.url or "")
    points = drawn.to_link(session.drawn()) if config.dataset == DRAWN and session.drawn() else None
    extra = {"pts": points} if points else {}  # points drawn by hand, when few enough for a link
    query = urllib.parse.urlencode(to_query(config) | classroom.to_query(room) | extra, safe=",")
    return urllib.parse.urlunsplit(parts._replace(path=parts.path.rsplit("/", 1)[0] + "/", query=query))


st.title("Teacher links")
st.header("Build a link for your class")
exp = session.experiment()
config = exp.config if exp else Config()
st.caption(
    "The link opens the Playground's current setup (data, network, training, seeds), paused at epoch 0."
    if exp
    else "Nothing is set up in the Playground yet, so the link opens the default setup: set it up first."
)
if config.dataset == UPLOAD:
    st.warning("The setup uses data uploaded in this session: a link cannot carry it, only its kind.")
if config.dataset == DRAWN:
    st.warning(
        f"The setup uses points drawn by hand: the link carries them if there are at most "
        f"{drawn.LINK_POINTS}; otherwise the students get Circles."
    )
with st.expander("The setup in the link"):
    st.json(dataclasses.asdict(config), expanded=True)
hide_column, lock_column = st.columns(2)
hidden = hide_column.multiselect(
    "Hide these controls", classroom.CONTROLS, format_func=classroom.LABELS.get, key="tch_hide",
    help="Not drawn at all: students keep the link's value.", persist_state="session",
)  # fmt: skip
locked = lock_column.multiselect(
    "Lock these controls", classroom.CONTROLS, format_func=classroom.LABELS.get, key="tch_lock",
    help="Drawn, but disabled: students see the value and cannot change it.", persist_state="session",
)  # fmt: skip
if set(hidden) & set(locked):
    st.caption("A control both hidden and locked is hidden.")
task = st.text_area(
    "Task for the students", key="tch_task", max_chars=classroom.MAX_TASK_CHARS, persist_state="session",
    placeholder="Make the test loss fall below 0.1 with as few neurons as you can.",
)  # fmt: skip
goal = st.text_input(
    "Goal (optional, checked live)", key="tch_goal", max_chars=classroom.MAX_GOAL_CHARS,
    placeholder="test_accuracy>=0.95;neurons<=6", persist_state="session",
    help="Conditions separated by ';': train_loss, test_loss, train_accuracy, test_accuracy, train_f1, "
    "test_f1 (macro F1), neurons, layers or epoch with <, <=, >, >= and a number; or 'diverged'.",
).strip()  # fmt: skip
if goal:
    try:
        parse_goal(goal)
    except ValueError as error:
        st.error(f"The link leaves this goal out: {error}")
        goal = ""
room = classroom.Classroom(
    hidden=frozenset(hidden), locked=frozenset(locked) - frozenset(hidden), task=task.strip(), goal=goal
)
st.code(playground_link(config, room), language=None, wrap_lines=True)
if st.button("Open it here", type="primary", key="tch_open", help="See the Playground as the link opens it."):
    session.open_in_playground(config, room)

st.header("Run a race: a class challenge with a live board")
st.caption(
    "The setup above, its locked controls and its goal become a race: students train, and Submit to "
    "the board when their run meets the goal. The server replays every run from its link before it "
    "counts, so the numbers on the board are true. No personal data: a nickname only."
)
if not goal:
    st.info("A race needs a goal: write one above (e.g. test_accuracy>=0.9).")
else:
    challenge_panels.create_form(config, room)

st.header("Import a TensorFlow Playground link")
text = st.text_input(
    "A link copied from playground.tensorflow.org (or its #... part)", key="tch_tf", persist_state="session",
    placeholder="https://playground.tensorflow.org/#activation=tanh&batchSize=10&dataset=circle&...",
)  # fmt: skip
if text.strip():
    tf_config, tf_room, notes = from_hash(text)
    counts = {how: sum(note.how == how for note in notes) for how in ("nearest", "no equivalent", "ignored")}
    st.markdown(
        "The nearest setup here, setting by setting: "
        + ", ".join(f"**{n}** {how}" for how, n in counts.items())
        + ". Every other setting maps as it is."
    )
    table = pd.DataFrame(notes, columns=["TensorFlow Playground", "Here", "How", "What differs"])
    st.table(table, hide_index=True, border="horizontal")  # a table wraps the long explanations
    st.code(playground_link(tf_config, tf_room), language=None, wrap_lines=True)
    if st.button("Open it here", key="tch_tf_open", help="Open this setup in the Playground."):
        session.open_in_playground(tf_config, tf_room)
