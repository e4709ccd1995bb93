"""Under the charts: the metrics beside the loss as a table. For classification, precision, recall and
F1 of every class (of the test set, or the training set when every point trains), with the confusion
matrix drawn here too when the live charts cannot run; for regression, RMSE, MAE and R²."""

import streamlit as st

from playground.core.scores import class_rows, shown_metrics
from playground.figures.confusion import confusion_figure

LABEL = "Precision, recall and F1 per class"
REGRESSION_LABEL = "RMSE, MAE and R²"
HELP = (
    "Precision: of the points predicted as this class, the share that is. Recall: of the points of "
    "this class, the share found. F1: their harmonic mean, 2PR / (P + R). A 0 / 0 counts as 0."
)


def show(exp, *, live_ok=True):
    """The table in an expander (``live_ok`` False: with the confusion matrix's heatmap above it)."""
    shown = shown_metrics(exp)
    if shown is None:
        return
    if exp.config.task == "regression":
        with st.expander(REGRESSION_LABEL, icon=":material/table:"):
            st.dataframe(regression_rows(shown), hide_index=True)
        return
    with st.expander(LABEL, icon=":material/table:"):
        which = "test" if shown["set"] == "test" else "training"
        st.caption(f"The {which} set at epoch {shown['epoch']}. {HELP}")
        if not live_ok:
            dark = st.context.theme.type == "dark"  # (None before the browser has said)
            fig = confusion_figure(shown["confusion"], class_names=exp.class_names(), dark=dark)
            st.plotly_chart(fig, key="pg_confusion", config={"displaylogo": False})
        st.dataframe(
            class_rows(shown["confusion"], exp.class_names()),
            hide_index=True,
            column_config={
                name: st.column_config.NumberColumn(format="%.3f") for name in ("precision", "recall", "F1")
            },
        )


def regression_rows(shown):
    """One row per metric: its training and test values (None: no test set)."""
    names = (("rmse", "RMSE"), ("mae", "MAE"), ("r2", "R²"))
    return [
        {"metric": label, "train": shown[f"train_{key}"], "test": shown[f"val_{key}"]} for key, label in names
    ]
