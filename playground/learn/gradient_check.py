"""The Gradient check page's logic: its controls, the check on the session's network, and what a result
shows. The page (``pages/gradient_check.py``) draws the widgets and the prose.

Session keys (prefix ``gc_``): the controls ``gc_samples``, ``gc_eps``, ``gc_bug`` (widgets, seeded
here), and ``gc_last``, the last check: the network and controls it ran with, and its result. A result
is shown only while both still hold.
"""

from types import MappingProxyType

import streamlit as st

from nn_core import gradcheck
from playground.core.config import HEADS
from playground.figures.gradcheck import gradcheck_figure, gradients_figure

EPSILONS = (1e-3, 1e-4, 1e-5, 1e-6, 1e-7)
DEFAULT_SAMPLES = 20
DEFAULTS = MappingProxyType({"gc_eps": 1e-5, "gc_bug": "none"})
# "none" rather than None in the menu: None is a selectbox's "no choice".
BUG_CHOICES = ("none", *gradcheck.BUGS)


def training_points(exp):
    """(X_train, y_train): the training points as the network sees them (features expanded)."""
    return exp.inputs[0], exp.points[2]


def sample_cap(exp):
    """The most training samples a check of ``exp``'s network may use (``gradcheck.sample_cap``)."""
    return min(len(exp.inputs[0]), gradcheck.sample_cap(exp.model.params.size))


def seed_controls(cap):
    """Give the controls their values: Streamlit drops a widget's value while another page is shown.
    From the last check if there was one, else the defaults; the sample count stays within ``cap``."""
    ss = st.session_state
    seeds = {"gc_samples": min(DEFAULT_SAMPLES, cap), **DEFAULTS, **ss.get("gc_last", {}).get("controls", {})}
    for key, value in seeds.items():
        ss.setdefault(key, value)
    ss.gc_samples = min(ss.gc_samples, cap)


def bug_label(bug):
    """A menu entry: "none: the real backprop", or the bug's id and what it breaks."""
    return "none: the real backprop" if bug == "none" else f"{bug}: {gradcheck.BUGS[bug].label}"


def chosen_bug():
    """The bug picked in the menu (a ``gradcheck.BUGS`` key), or None for the real backprop."""
    bug = st.session_state.gc_bug
    return None if bug == "none" else bug


def bug_description():
    """What the picked bug breaks, in words; None for the real backprop."""
    bug = chosen_bug()
    return gradcheck.BUGS[bug].description if bug else None


def controls():
    """The controls' values: {key: value}."""
    ss = st.session_state
    return {"gc_samples": ss.gc_samples, "gc_eps": ss.gc_eps, "gc_bug": ss.gc_bug}


def network_key(exp):
    """What a result depends on besides the controls: the network, its training so far, and its loss."""
    c = exp.config
    return (exp.nonce, exp.builds, exp.epoch, HEADS[c.head].loss, c.l1, c.l2)


def run_check(exp, progress=None):
    """Check ``exp``'s gradients with the controls' settings, keep the result in ``gc_last`` and return
    it (``gradcheck.GradientCheck``). Raises ValueError for a diverged network (NaN weights).
    progress: called as ``progress(done, total)`` with the parameters nudged so far."""
    c, n = exp.config, st.session_state.gc_samples
    X_train, y_train = training_points(exp)
    settings = dict(loss=HEADS[c.head].loss, l1=c.l1, l2=c.l2, eps=st.session_state.gc_eps, bug=chosen_bug())
    result = gradcheck.gradient_check(exp.model, X_train[:n], y_train[:n], **settings, progress=progress)
    st.session_state.gc_last = {"network": network_key(exp), "controls": controls(), "result": result}
    return result


def current_result(exp):
    """(result, stale): the last check's result while it belongs to this network and these controls,
    else None; ``stale`` is True when the network changed since the last check."""
    last, network = st.session_state.get("gc_last"), network_key(exp)
    if last is None or last["network"] != network or last["controls"] != controls():
        return None, last is not None and last["network"] != network
    return last["result"], False


def bug_blocks(result):
    """The blocks whose backprop gradient the bug changed, as text ("none, for this network" if none)."""
    return ", ".join(b.name for b in result.blocks if b.changed_by_bug) or "none, for this network"


def result_figures(result):
    """(errors, gradients): every block's relative error against the bands, and numerical against
    backprop gradients, kinks marked."""
    names, blocks = [b.name for b in result.blocks], result.blocks
    thresholds = (gradcheck.GOOD_BELOW, gradcheck.WRONG_ABOVE)
    errors = [b.relative_error for b in blocks]
    errors_figure = gradcheck_figure(names, errors, thresholds=thresholds, overall=result.relative_error)
    scatter = gradients_figure(
        names,
        [b.numerical for b in blocks],
        [b.backprop for b in blocks],
        kinked=[b.kinked for b in blocks],
    )
    return errors_figure, scatter
