"""Gradient check: backprop's gradients against central differences, for every parameter."""

import pandas as pd
import streamlit as st

from nn_core import gradcheck
from playground.core.config import HEADS
from playground.core.navigation import use_app_navigation
from playground.figures.gradcheck import format_error, gradcheck_figure, gradients_figure
from playground.learn import common as learn

use_app_navigation()

EPSILONS = (1e-3, 1e-4, 1e-5, 1e-6, 1e-7)
ss = st.session_state

st.title("Gradient check")
exp, is_playground = learn.experiment()
learn.caption(exp, is_playground)
st.markdown(
    "Backpropagation gets the gradient of the loss from a few matrix products. Get one formula wrong "
    "and the network often still learns a little, which hides the bug. A gradient check tests it the "
    "slow, obvious way: nudge one parameter up by a tiny ε, then down by ε; the change of the loss "
    "divided by 2ε is the slope (a *central difference*). Done for every weight and bias:"
)
st.latex(
    r"\frac{\partial L}{\partial \theta_j} \approx "
    r"\frac{L(\theta + \varepsilon e_j) - L(\theta - \varepsilon e_j)}{2\varepsilon}"
)
st.markdown(
    "Each block (W1, b1, W2, ...) compares the two gradients with the **relative error**: 0 when they "
    "are equal, 1 when they point opposite ways (num: central differences, bp: backprop)."
)
st.latex(
    r"\text{relative error} = \frac{\lVert g_\text{num} - g_\text{bp} \rVert}"
    r"{\lVert g_\text{num} \rVert + \lVert g_\text{bp} \rVert}"
)
st.markdown(
    "The check runs on a float64 copy of the network, where correct code scores about 1e-10: "
    "**below 1e-7 is good**, **above 1e-4 a formula is wrong**. In between, look closer: ε = 1e-3 is "
    "coarse, and near a minimum (tiny gradients) rounding shows. ReLU units bend at 0: a parameter whose "
    "nudges switch a unit on or off gets the average of two slopes, so it is counted and left out."
)

model, head, c = exp.model, HEADS[exp.config.head], exp.config
X_train, y_train = exp.inputs[0], exp.points[2]
cap = min(len(X_train), gradcheck.sample_cap(model.params.size))
# Streamlit drops a widget's value while another page is shown: seed the controls again, from the
# last check if there was one, and keep the sample count within this network's cap.
defaults = {"gc_samples": min(20, cap), "gc_eps": 1e-5, "gc_bug": "none"}
seeds = {**defaults, **ss.get("gc_last", {}).get("controls", {})}
for key, value in seeds.items():
    ss.setdefault(key, value)
ss.gc_samples = min(ss.gc_samples, cap)

left, middle, right = st.columns(3)
left.slider("Samples used", 1, cap, key="gc_samples", help="The first N training samples.")
middle.select_slider("Epsilon (ε)", EPSILONS, format_func=lambda e: f"{e:.0e}", key="gc_eps")
bugs = {"none": "none: the real backprop", **{k: f"{k}: {b.label}" for k, b in gradcheck.BUGS.items()}}
right.selectbox("Break it", list(bugs), format_func=bugs.get, key="gc_bug")
bug = None if ss.gc_bug == "none" else ss.gc_bug  # not None in the menu: a selectbox's "no choice"
if bug:
    st.caption(f"Bug: {gradcheck.BUGS[bug].description}")
limit = f" (at most {cap:,} for a network this size)" if cap < len(X_train) else ""
st.caption(
    f"The check uses the first {ss.gc_samples} of the {len(X_train)} training samples{limit} and nudges "
    f"each of the network's {model.params.size:,} parameters twice. Dropout is off: it makes the loss random."
)

network = (exp.nonce, exp.builds, exp.epoch, head.loss, c.l1, c.l2)
controls = {"gc_samples": ss.gc_samples, "gc_eps": ss.gc_eps, "gc_bug": ss.gc_bug}
# A flag, not the button's return value: that True is lost if the run restarts (use_app_navigation).
st.button("Run the check", type="primary", key="gc_run", on_click=ss.update, kwargs={"gc_requested": True})
if ss.pop("gc_requested", False):
    bar = st.progress(0.0, text="Nudging the parameters...")
    n, settings = ss.gc_samples, dict(loss=head.loss, l1=c.l1, l2=c.l2, eps=ss.gc_eps, bug=bug)
    try:
        result = gradcheck.gradient_check(
            model,
            X_train[:n],
            y_train[:n],
            **settings,
            progress=lambda done, total: bar.progress(done / total, text=f"{done:,} of {total:,} parameters"),
        )
        ss.gc_last = {"network": network, "controls": controls, "result": result}
    except ValueError as error:  # a diverged network: NaN weights
        st.error(f"The check could not run: {error}")
    bar.empty()

last = ss.get("gc_last")
if last is None or last["network"] != network or last["controls"] != controls:
    stale = last is not None and last["network"] != network
    st.info(("The network changed since the last check. " if stale else "") + "Press **Run the check**.")
    st.stop()
result = last["result"]
overall, verdict, kinks = st.columns(3)
overall.metric("Overall relative error", format_error(result.relative_error), help="All parameters at once.")
verdict.metric("Verdict", result.verdict)
kinks.metric("Left out at kinks", f"{result.n_kinked} of {result.n_params:,}")
if result.bug:
    changed = ", ".join(b.name for b in result.blocks if b.changed_by_bug) or "none, for this network"
    st.markdown(f"Blocks whose backprop gradient the bug changed: **{changed}**.")
number = st.column_config.NumberColumn(format="%.1e")  # NaN (nothing to compare) shows empty
table = pd.DataFrame(result.rows())
formats = {"relative error": number, "max |difference|": number}
st.dataframe(table, hide_index=True, key="gc_table", column_config=formats)
names, thresholds = list(table["block"]), (gradcheck.GOOD_BELOW, gradcheck.WRONG_ABOVE)
errors = [b.relative_error for b in result.blocks]
errors_figure = gradcheck_figure(names, errors, thresholds=thresholds, overall=result.relative_error)
scatter = gradients_figure(
    names,
    [b.numerical for b in result.blocks],
    [b.backprop for b in result.blocks],
    kinked=[b.kinked for b in result.blocks],
)
errors_column, scatter_column = st.columns(2)
errors_column.plotly_chart(errors_figure, key="gc_errors")
scatter_column.plotly_chart(scatter, key="gc_scatter")
