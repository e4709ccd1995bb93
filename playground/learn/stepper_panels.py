"""Streamlit rendering of the backprop stepper: the batch choice, the stage buttons, one stage.

Session keys (prefix ``bp_``): ``bp_batch`` and ``bp_sample`` (the controls), ``bp_stage`` (the
stage on screen), ``bp_trace`` and ``bp_key`` (the recorded step and what it was recorded for).
"""

import streamlit as st

from nn_core.trace import trace_step
from playground.figures.matrix import matrix_figure
from playground.learn import stepper

NEXT_BATCH, ONE_SAMPLE = "The Playground's next batch", "One training sample"


def batch_controls(exp):
    """The batch choice. Returns the rows to trace (None: the trainer's own next batch)."""
    n = len(exp.inputs[0])
    batch = exp.trainer.batch_size
    next_label = "the whole training set" if batch is None or batch >= n else f"{batch} shuffled samples"
    choice = st.radio(
        "Step on",
        [NEXT_BATCH, ONE_SAMPLE],
        key="bp_batch",
        horizontal=True,
        captions=[f"{next_label}: exactly what the Playground trains next", "see one row's numbers"],
    )
    if choice == NEXT_BATCH:
        return None
    st.session_state.bp_sample = min(st.session_state.get("bp_sample", 0), n - 1)
    sample = st.number_input(f"Sample (row of the training set, 0-{n - 1})", 0, n - 1, key="bp_sample")
    return [int(sample)]


def current_stages(exp, rows):
    """The stages of one step of ``exp``'s trainer on ``rows``, recorded again only when the network,
    its epoch, its settings or the batch changed (then the stepper starts over)."""
    ss = st.session_state
    key = (exp.nonce, exp.builds, exp.epoch, exp.config, None if rows is None else tuple(rows))
    if ss.get("bp_key") != key:
        (X_train, _), (_, _, y_train, _) = exp.inputs, exp.points
        ss.bp_trace = trace_step(exp.trainer, X_train, y_train, rows=rows)
        ss.bp_key, ss.bp_stage = key, 0
    return stepper.stages(
        ss.bp_trace,
        sizes=exp.model.layer_sizes,
        activation=exp.model.hidden_activations,  # each hidden layer its own
        output=exp.model.output,
        features=exp.feature_names(),
    )


def navigation(stages):
    """Back / Next / Start over, and where we are. Returns the stage to show."""
    ss = st.session_state
    last = len(stages) - 1
    ss.bp_stage = min(ss.get("bp_stage", 0), last)
    back, forward, again, where = st.columns([1, 1, 1, 3])
    back.button(
        "Back",
        key="bp_back",
        icon=":material/arrow_back:",
        on_click=_move,
        args=(-1, last),
        disabled=ss.bp_stage == 0,
        use_container_width=True,
    )
    forward.button(
        "Next stage",
        key="bp_next",
        icon=":material/arrow_forward:",
        type="primary",
        on_click=_move,
        args=(1, last),
        disabled=ss.bp_stage == last,
        use_container_width=True,
    )
    again.button(
        "Start over",
        key="bp_restart",
        icon=":material/restart_alt:",
        on_click=_move,
        args=(-last, last),
        use_container_width=True,
    )
    stage = stages[ss.bp_stage]
    where.progress(
        (ss.bp_stage + 1) / len(stages), text=f"Stage {ss.bp_stage + 1} of {len(stages)}: {stage.title}"
    )
    return stage


def _move(by, last):
    st.session_state.bp_stage = max(0, min(last, st.session_state.bp_stage + by))


def show(stage):
    """One stage: its explanation and equations, its matrices, and the nn_core lines behind them."""
    st.subheader(stage.title)
    words, maths = st.columns([3, 2])
    words.markdown(stage.text)
    for line in stage.latex:
        maths.latex(line)
    per_row = 3 if stage.kind == "update" else 2
    for start in range(0, len(stage.matrices), per_row):
        for column, m in zip(st.columns(per_row), stage.matrices[start : start + per_row]):
            column.plotly_chart(
                matrix_figure(m.name, m.array, m.row_labels, m.col_labels),
                key=f"bp_matrix_{m.name}",
                config={"displayModeBar": False},
            )
    st.markdown("**The nn_core code that computed this** (read from the source as it runs):")
    for src in stage.sources:
        st.caption(src.where)
        st.code(src.code, language="python")
        with st.expander(f"The whole function: {src.where.split(', ')[1]}"):
            st.code(src.whole, language="python", line_numbers=True)
