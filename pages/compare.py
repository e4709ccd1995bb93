"""Compare runs: two to four variations of one network trained side by side on the same data and seeds."""

import pandas as pd
import streamlit as st

from playground.compare import report, training, widgets
from playground.compare import runs as compare
from playground.core import session
from playground.core.navigation import use_app_navigation
from playground.figures import compare as figures

use_app_navigation()

ss = st.session_state
playground = session.experiment()
base = compare.base_config(playground.config if playground else None)
upload = playground.upload if playground else None  # the user's own data, when the base uses it
widgets.seed_widgets(ss, base)

st.title("Compare runs")
st.markdown(
    "Train two to four variations of one network side by side and see where they part: an optimizer "
    "against another, tanh against ReLU, MSE against cross-entropy, L1 against L2, several learning "
    "rates. Each run is the base with the settings in its column; pick a preset or set them by hand."
)
where = "your Playground settings" if playground else "the defaults (open the Playground to use yours)"
st.caption(f"Base: {where}. {compare.describe_data(base, upload)}")

available = compare.available_presets(base.task)
for column, (name, label) in zip(st.columns(len(compare.PRESETS)), compare.PRESETS.items()):
    column.button(
        label, key=f"cmp_preset_{name}", on_click=widgets.apply_preset, args=(ss, base, name),
        disabled=name not in available, width="stretch",
    )  # fmt: skip
runs_col, epochs_col = st.columns(2)
runs_col.radio("Runs", range(compare.MIN_RUNS, compare.MAX_RUNS + 1), horizontal=True, key="cmp_n_runs")
n_epochs = epochs_col.number_input(
    f"Epochs per run (1 to {training.MAX_EPOCHS:,})", 1, training.MAX_EPOCHS, step=50, key="cmp_epochs"
)
# One row per setting, one column per run: a run's settings read down, a setting across the runs.
widths = [1.2] + [2] * ss.cmp_n_runs
for i, column in enumerate(st.columns(widths)[1:]):
    column.markdown(f":{figures.RUN_MARKS[i]}[**Run {compare.RUN_NAMES[i]}**]")
for field in compare.RUN_FIELDS:
    label, *columns = st.columns(widths, vertical_alignment="center")
    label.markdown(compare.LABELS[field])
    for i, column in enumerate(columns):
        column.selectbox(
            compare.LABELS[field], compare.choices(field, base), key=widgets.widget_key(i, field),
            format_func=lambda value, field=field: compare.format_value(field, value, base.task),
            label_visibility="collapsed",
        )  # fmt: skip

st.caption("BCE: binary cross-entropy. CE: cross-entropy. MSE: mean squared error.")

runs, notes = compare.build_runs(base, widgets.read_overrides(ss, base))
for note in notes:
    st.info(note, icon=":material/info:")
st.caption(
    f"Training stops after {training.TIME_BUDGET:g} s whatever the settings (the server is shared): "
    "the table's epochs column says how far each run got."
)
if st.button("Train", type="primary", key="cmp_train"):
    bar = st.progress(0.0, text="Training...")
    ss.cmp_results = training.train_runs(
        runs, n_epochs, upload=upload, progress=lambda f, text: bar.progress(f, text=text)
    )
    bar.empty()

results = ss.get("cmp_results")
if results is None:
    st.info("Press Train to train the runs.")
elif results.key != training.settings_key(runs, n_epochs, upload):
    st.warning("The settings changed since the last training: press Train to see results for these settings.")
else:
    for note in report.divergence_notes(results):
        st.warning(note, icon=":material/warning:")
    for note in report.stop_notes(results):
        st.info(note, icon=":material/flag:")
    curves = [run._asdict() for run in results.runs]
    classification = results.task != "regression"
    loss_col, accuracy_col = st.columns(2) if classification else (st.container(), None)
    loss_col.plotly_chart(figures.compare_loss_figure(curves), key="cmp_loss_chart")
    if classification:
        accuracy_col.plotly_chart(figures.compare_accuracy_figure(curves), key="cmp_accuracy_chart")
    X_train, _, y_train, _ = results.points
    for i, (column, run) in enumerate(zip(st.columns(len(results.runs)), results.runs)):
        figure = figures.run_boundary_figure(
            i, xs=results.grid_axis, values=run.boundary, task=results.task, X_train=X_train,
            y_train=y_train, n_classes=results.n_classes, title=report.boundary_title(run, results.task),
        )  # fmt: skip
        column.plotly_chart(figure, key=f"cmp_boundary_{i}")
    table = pd.DataFrame(report.table_rows(results))
    st.dataframe(table, column_config=report.table_columns(), hide_index=True, key="cmp_table")
    st.caption("Losses and accuracies are the last finite epoch's; test points are never trained on.")
