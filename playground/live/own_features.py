"""The sidebar's "Your own features" box: input features typed as formulas of x1 and x2
(``Config.feature_formulas``, read by ``nn_core.expand_features``), added and removed one at a time.

Session keys (the controls' ``cfg_``): ``cfg_feature_formulas`` holds the formulas in use (a tuple,
seeded from the link like every control), ``cfg_ff_text`` the box being typed in, and the buttons
``cfg_ff_add`` and ``cfg_ff_remove_<i>``. A formula joins the list only when it parses, so a mistake
never reaches the network: the box says what is wrong and where (a caret under it), and the last good
set stays in use.
"""

import numpy as np
import streamlit as st

from nn_core import formula
from nn_core.features import FORMULA_BOUND
from playground.core.config import FIELDS, MAX_FEATURE_FORMULAS

HELP = (
    "A feature of your own: a formula of x1 and x2 the network gets as one more input, e.g. x1*x2, "
    "cos(x1), abs(x1) - x2^2, tanh(3*x1). Write it with numbers, + - * / ** (or ^), brackets, pi, e and "
    + ", ".join(f"{name}()" for name in formula.FUNCTIONS)
    + ". Where it is not a number (1/x1 at x1 = 0) the input is 0; it is clipped to ±1e6."
)


def box(room):
    """Draw the folded box (unless the classroom settings ``room`` hide it)."""
    if not room.shows("feature_formulas"):
        return
    formulas, locked = _formulas(), room.locks("feature_formulas")
    with st.expander(FIELDS["feature_formulas"].label):  # a fixed title: a new one would fold it again
        for i, text in enumerate(formulas):
            left, right = st.columns([5, 1], vertical_alignment="center")
            left.code(text, language=None)
            for note in holes(text):
                left.caption(note)
            right.button(
                "✕", key=f"cfg_ff_remove_{i}", on_click=_remove, args=(i,), disabled=locked, help="Remove it"
            )
        full = len(formulas) >= MAX_FEATURE_FORMULAS
        st.text_input(
            "Add a feature f(x1, x2)",
            key="cfg_ff_text",
            max_chars=formula.MAX_LENGTH,
            placeholder=f"at most {MAX_FEATURE_FORMULAS}" if full else "e.g. x1^2 + x2^2",
            help=HELP,
            disabled=locked or full,
        )
        text = _typed()
        error = mistake(text) if text else None
        if error is not None:
            show_mistake(error)
        elif text in formulas:
            st.caption(f"{text} is an input already.")
        st.button(
            "Add feature",
            key="cfg_ff_add",
            on_click=_add,
            disabled=locked or full or not text or error is not None or text in formulas,
        )


def show_mistake(error):
    """What is wrong (``error``: a ``FormulaError``), and the formula with a caret under it (``st.code``:
    shown as typed, never as Markdown), as under the dataset's formula box."""
    st.error(f"{error.message[0].upper()}{error.message[1:]}.".replace("`", "'"), icon=":material/error:")
    st.code(error.pointer(), language=None)


def mistake(text):
    """The ``FormulaError`` of ``text``, or None if it parses."""
    try:
        formula.parse(text)
    except formula.FormulaError as error:
        return error
    return None


def holes(text):
    """What the network gets instead of formula ``text``'s values somewhere on the plane [-5, 5]²
    (a 41 x 41 grid, 0 included): notes to show under it, none when every value is a number within
    the bound."""
    axis = np.linspace(-5, 5, 41)
    parsed = formula.parse(text)
    values = parsed(np.column_stack([np.repeat(axis, len(axis)), np.tile(axis, len(axis))]))
    notes = ["Not a number at some points (a division by 0, a log or a square root of a negative "
             "number): there the input is 0."] if parsed.nonfinite else []  # fmt: skip
    if np.abs(values).max() > FORMULA_BOUND:
        notes.append(f"Beyond ±{FORMULA_BOUND:,.0f} at some points: clipped to it.")
    return notes


def _formulas():
    return tuple(st.session_state["cfg_feature_formulas"])


def _typed():
    """The box's text on one line: its runs of white space (a pasted line break too) one space each
    (white space never changes what a formula means, nor where a mistake is, but for its width)."""
    text = st.session_state.get("cfg_ff_text") or ""
    return " ".join(text.split()) if mistake(text) is None else text.strip()


def _add():
    """The Add button: the typed formula joins the inputs (checked again: the button may be stale)."""
    text, formulas = _typed(), _formulas()
    if text and mistake(text) is None and text not in formulas and len(formulas) < MAX_FEATURE_FORMULAS:
        st.session_state["cfg_feature_formulas"] = (*formulas, text)
        st.session_state["cfg_ff_text"] = ""


def _remove(i):
    formulas = _formulas()
    st.session_state["cfg_feature_formulas"] = formulas[:i] + formulas[i + 1 :]
