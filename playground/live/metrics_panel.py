"""Under the charts: the metrics beside the loss as a table. For classification, precision, recall and
F1 of every class (of the test set, or the training set when every point trains), with the confusion
matrix drawn here too when the live charts cannot run; for regression, RMSE, MAE and R²."""

import streamlit as st

from playground.core.scores import class_rows, shown_metrics
from playground.figures.confusion import confusion_figure

LABEL = "Precision, recall and F1 per class"
PAUSED_ONLY = "Shown when training is paused; the heatmap beside the loss is live."
REGRESSION_LABEL = "RMSE, MAE and R²"
HELP = (
    "Precision: of the points predicted as this class, the share that is. Recall: of the points of "
    "this class, the share found. F1: their harmonic mean, 2PR / (P + R). A 0 / 0 counts as 0."
)


def show(exp, *, live_ok=True, running=False):
    """The table in an expander, and the confusion matrix's heatmap under it when the live charts
    cannot run (``live_ok`` False).

    While training runs (``running``) the table waits for a pause, and the page calls this outside
    its live fragment: a dataframe serialized and sent on every tick made a class of 30 too slow for
    its ticks (the load benchmark saw 1,561 of 3,855 ticks' charts dropped, against 31 without it).
    The live heatmap beside the loss shows the matrix meanwhile."""
    shown = shown_metrics(exp)
    if shown is None:
        return
    regression = exp.config.task == "regression"
    with st.expander(REGRESSION_LABEL if regression else LABEL, icon=":material/table:"):
        if running:
            st.caption(PAUSED_ONLY)
        elif regression:
            st.dataframe(regression_rows(shown), hide_index=True)
        else:
            _class_table(exp, shown)
    if not live_ok and not regression:  # no live heatmap: the page draws the matrix
        dark = st.context.theme.type == "dark"  # (None before the browser has said)
        fig = confusion_figure(shown["confusion"], class_names=exp.class_names(), dark=dark)
        st.plotly_chart(fig, key="pg_confusion", config={"displaylogo": False})


def _class_table(exp, shown):
    """The set, the epoch and what the columns mean, then one row per class."""
    which = "test" if shown["set"] == "test" else "training"
    st.caption(f"The {which} set at epoch {shown['epoch']}. {HELP}")
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
