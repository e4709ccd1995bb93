"""Gradient check: backprop's gradients against central differences, for every parameter.
The check, its controls and its figures live in ``playground.learn.gradient_check``."""

import pandas as pd
import streamlit as st

from playground.core.navigation import use_app_navigation
from playground.figures.gradcheck import format_error
from playground.learn import common as learn
from playground.learn import gradient_check as check

use_app_navigation()

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

n_train, n_params = len(check.training_points(exp)[0]), exp.model.params.size
cap = check.sample_cap(exp)
check.seed_controls(cap)
left, middle, right = st.columns(3)
left.slider("Samples used", 1, cap, key="gc_samples", help="The first N training samples.")
middle.select_slider("Epsilon (ε)", check.EPSILONS, format_func=lambda e: f"{e:.0e}", key="gc_eps")
right.selectbox("Break it", check.BUG_CHOICES, format_func=check.bug_label, key="gc_bug")
if check.chosen_bug():
    st.caption(f"Bug: {check.bug_description()}")
limit = f" (at most {cap:,} for a network this size)" if cap < n_train else ""
st.caption(
    f"The check uses the first {ss.gc_samples} of the {n_train} training samples{limit} and nudges "
    f"each of the network's {n_params:,} parameters twice. Dropout is off: it makes the loss random."
)

# A flag, not the button's return value: that True is lost if the run restarts (use_app_navigation).
st.button("Run the check", type="primary", key="gc_run", on_click=ss.update, kwargs={"gc_requested": True})
if ss.pop("gc_requested", False):
    bar = st.progress(0.0, text="Nudging the parameters...")
    try:
        check.run_check(
            exp, lambda done, total: bar.progress(done / total, text=f"{done:,} of {total:,} parameters")
        )
    except ValueError as error:  # a diverged network: NaN weights
        st.error(f"The check could not run: {error}")
    bar.empty()

result, stale = check.current_result(exp)
if result is None:
    st.info(("The network changed since the last check. " if stale else "") + "Press **Run the check**.")
    st.stop()
overall, verdict, kinks = st.columns(3)
overall.metric("Overall relative error", format_error(result.relative_error), help="All parameters at once.")
verdict.metric("Verdict", result.verdict)
kinks.metric("Left out at kinks", f"{result.n_kinked} of {result.n_params:,}")
if result.bug:
    st.markdown(f"Blocks whose backprop gradient the bug changed: **{check.bug_blocks(result)}**.")
number = st.column_config.NumberColumn(format="%.1e")  # NaN (nothing to compare) shows empty
formats = {"relative error": number, "max |difference|": number}
st.dataframe(pd.DataFrame(result.rows()), hide_index=True, key="gc_table", column_config=formats)
errors_figure, scatter = check.result_figures(result)
errors_column, scatter_column = st.columns(2)
errors_column.plotly_chart(errors_figure, key="gc_errors")
scatter_column.plotly_chart(scatter, key="gc_scatter")
