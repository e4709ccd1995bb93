"""Edit data: click the boundary chart to add a point, shift-click to remove the points near the
cursor, Undo, Clear. The network keeps its weights and trains on the new points from the next tick.

The browser sends each click as the live component's ``edit`` trigger ({op, x, y, n}: the data
coordinates under the cursor, read from Plotly's axes); ``take_edit`` applies it before the script
runs. The points are a ``core.drawn.Drawn`` value in the session (``core.session.drawn``); the first
edit turns the dataset on screen into a drawn copy of it. Session keys: ``pg_drawn`` (core.session),
``pg_edit_on``, ``pg_edit_label`` (or ``pg_edit_target``), ``pg_edit_undo``, ``pg_edit_seq``,
``pg_edit_message``.
"""

import dataclasses
import math

import streamlit as st

from playground.core import catalog, drawn, session
from playground.core.config import DRAWN, normalize

UNDO_DEPTH = 50  # edits that Undo can take back


def panel(room):
    """The sidebar's edit controls (under the dataset): the mode, the class (or target) to add,
    Undo and Clear. Not shown when the link hides or locks the dataset."""
    if not room.shows("dataset") or room.locks("dataset"):
        return
    exp = session.experiment()
    st.toggle("Edit data: click the plane", key="pg_edit_on", help=HELP)
    if not st.session_state.get("pg_edit_on") or exp is None:
        return
    task, k = exp.config.task, exp.config.classes
    if task == "regression":
        st.session_state.setdefault("pg_edit_target", 0.5)
        st.number_input("Target of a new point", -1.0, 1.0, step=0.1, key="pg_edit_target")
    else:
        names = exp.class_names()
        options = list(range(k))
        st.session_state.setdefault("pg_edit_label", 1 if k > 1 else 0)
        if st.session_state.pg_edit_label not in options:
            st.session_state.pg_edit_label = 0
        st.segmented_control(
            "Class of a new point", options, key="pg_edit_label", required=True,
            format_func=lambda c: names[c] if c < len(names) else f"class {c}",
        )  # fmt: skip
    undo, clear = st.columns(2)
    undo.button("Undo", key="pg_edit_undo_button", on_click=take_undo, disabled=not _undo_stack(),
                icon=":material/undo:", width="stretch")  # fmt: skip
    clear.button("Clear", key="pg_edit_clear", on_click=take_clear, icon=":material/delete:", width="stretch")
    current = session.drawn() if exp.config.dataset == DRAWN else None
    count = f"{len(current)} points; " if current is not None else ""
    st.caption(
        f"click: add a point · shift-click: remove the points near the cursor · {count}every "
        f"{drawn.TEST_EVERY}th point you add is a test point"
    )
    message = st.session_state.pop("pg_edit_message", "")
    if message:
        st.warning(message, icon=":material/edit_off:")


HELP = (
    "Click on the boundary chart to add a point of the chosen class; shift-click removes the points "
    "near the cursor. The network keeps training on the new points. A link holds up to "
    f"{drawn.LINK_POINTS} drawn points; the data export always has them all."
)


def enabled():
    return bool(st.session_state.get("pg_edit_on"))


# --- the edits (component callbacks and buttons: they run before the script) ----------------------
def take_edit(event):
    """Apply one click from the browser: ``event`` {op: "add"|"remove", x, y, n}. Anything else (a
    hostile or stale message) is ignored."""
    if not isinstance(event, dict) or event.get("op") not in ("add", "remove") or not enabled():
        return
    seq = _finite(event.get("n"))
    if seq is None or seq == st.session_state.get("pg_edit_seq"):
        return  # the same click again (a repeated payload)
    st.session_state.pg_edit_seq = seq
    exp = session.experiment()
    x, y = _finite(event.get("x")), _finite(event.get("y"))
    if exp is None or x is None or y is None:
        return
    with session.guard():
        current = _current(exp)
        try:
            if event["op"] == "add":
                new = drawn.add(current, x, y, _label(exp))
            else:
                new, removed = drawn.remove_near(current, x, y)
                if not removed:
                    return
        except drawn.DrawError as error:
            st.session_state.pg_edit_message = str(error)
            return
        _push_undo(current)
        _use(exp, new)


def _finite(value):
    """``value`` as a finite float, or None: a hostile message may send a string, NaN, true, or an
    integer too large for a float (JSON allows 400 digits; ``float`` would raise OverflowError)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def take_undo():
    stack = _undo_stack()
    exp = session.experiment()
    if stack and exp is not None:
        with session.guard():
            _use(exp, stack.pop())


def take_clear():
    exp = session.experiment()
    if exp is None:
        return
    with session.guard():
        current = _current(exp)
        _push_undo(current)
        _use(exp, drawn.clear(current))


def _current(exp):
    """The drawn set on screen, or a drawn copy of the dataset on screen (the first edit)."""
    if exp.config.dataset == DRAWN and session.drawn() is not None:
        return session.drawn()
    c = exp.config
    return drawn.from_points(exp.points, c.task, c.classes, exp.domain)


def _label(exp):
    """The class (or, for regression, the target) of a point added now."""
    if exp.config.task == "regression":
        return float(st.session_state.get("pg_edit_target", 0.5))
    return int(st.session_state.get("pg_edit_label", 1))


def _undo_stack():
    return st.session_state.setdefault("pg_edit_undo", [])


def _push_undo(value):
    stack = _undo_stack()
    stack.append(value)
    del stack[:-UNDO_DEPTH]  # bounded: the oldest edits are forgotten


def _use(exp, new):
    """Make ``new`` the data: the experiment trains on it from now on (same network), the controls
    say "Drawn by hand", the link carries the points if they are few."""
    config, _ = normalize(
        dataclasses.replace(
            exp.config,
            dataset=DRAWN,
            upload_task=new.task,
            n_classes=new.n_classes if new.task == "multiclass" else exp.config.n_classes,
        )
    )
    session.keep_drawn(new)
    for name in ("dataset", "upload_task", "n_classes", "head"):
        st.session_state[session.control_key(name)] = getattr(config, name)
    if (config.task, config.n_outputs) != (exp.config.task, exp.config.n_outputs):
        # An Undo back past a change of dataset (3 classes, now 2): the network's outputs no longer
        # fit the points, so a new network, as choosing that dataset would build.
        session.set_last_change(exp.update(config, new).message)
        session.set_running(False)
        return
    exp.edit_points(config, new)
    label = catalog.label("dataset", DRAWN)
    session.set_last_change(f"{label}: {len(new)} points; the same network trains on them.")
