"""Loss curves: train/test loss per epoch, with accuracy on a secondary axis for classification and,
with ``rate=True`` (a learning-rate schedule), the rate each epoch used in a band under the curves."""

import numpy as np
import plotly.graph_objects as go

MAX_LOSS_POINTS = 2000
PLAY_HINT = "press Play or Step to train"

LOSS_SERIES = (
    ("train_loss", "train loss", "#777777", "solid", False),
    ("val_loss", "test loss", "#111111", "solid", False),
    ("train_accuracy", "train accuracy", "#777777", "dash", True),
    ("val_accuracy", "test accuracy", "#111111", "dash", True),
)
RATE_COLOR = "#0877bd"
RATE_BAND = 0.22  # the share of the chart's height the learning-rate band takes (``rate=True``)


def downsample(records, max_points=MAX_LOSS_POINTS):
    """At most ``max_points`` records picked evenly, always keeping the first and the last one."""
    n = len(records)
    if n <= max_points:
        return list(records)
    idx = np.unique(np.rint(np.linspace(0, n - 1, max_points)).astype(int))
    return [records[i] for i in idx]


def _series(records, key):
    """(epochs, values) of the records whose ``key`` is a finite number (None/NaN are skipped)."""
    pairs = [(r.get("epoch"), r.get(key)) for r in records]
    pairs = [(e, float(v)) for e, v in pairs if v is not None and e is not None and np.isfinite(v)]
    epochs = np.array([e for e, _ in pairs], dtype=np.int64)
    return epochs, np.array([v for _, v in pairs], dtype=np.float64)


def empty_hint(*, epoch, diverged, finished):
    """What the loss chart says while it has no point, true to why: a network that diverged before its
    first epoch, or that has no epoch left to train, cannot be trained by Play or Step (both are
    disabled); weights loaded at a later ``epoch`` come without the history that led there."""
    if diverged:
        return "the loss became infinite in the first epoch: lower the learning rate to train"
    if finished:
        return f"epoch {epoch}: no epoch left to train, raise 'Epochs to train' or Reset"
    if epoch:
        return f"no history before epoch {epoch} (loaded weights): press Play or Step to train on"
    return PLAY_HINT


def loss_figure(history, *, task, height=300, empty_hint=PLAY_HINT, rate=False):
    """Train/test loss per epoch; train/test accuracy on a secondary axis for classification.

    history: list of dicts with keys epoch, train_loss, val_loss, train_accuracy, val_accuracy (the
    values but epoch may be None). Longer than 2000 records -> evenly downsampled, the last epoch kept.
    ``empty_hint``: the chart's text while there is no record (``empty_hint(...)`` says which).
    ``rate``: the records' ``learning_rate`` too, in a band of its own under the curves (yaxis3).
    """
    traces = []  # accuracy goes on yaxis2, overlaid on the loss axis
    records = downsample(list(history or []))
    for key, style in loss_series(task, rate=rate):
        epochs, values = _series(records, key)
        if epochs.size:
            traces.append(go.Scatter(x=epochs, y=values, **style))
    # One constructor call: plotly's update_layout path costs ~10 ms more per redraw.
    layout = loss_layout(task, height=height, empty=not records, empty_hint=empty_hint, rate=rate)
    return go.Figure(data=traces, layout=layout)


def loss_series(task, *, rate=False):
    """The loss chart's series for ``task``, in drawing order: [(history key, the trace's style: every
    ``go.Scatter`` argument but x and y)]. Accuracies (on yaxis2) only for classification; the
    learning rate (on yaxis3, a step line: one rate per epoch) with ``rate``."""
    series = []
    for key, name, color, dash, secondary in LOSS_SERIES:
        if secondary and task == "regression":
            continue
        style = dict(
            mode="lines", name=name, line=dict(color=color, dash=dash, width=1.5 if secondary else 2)
        )
        style |= dict(hovertemplate="%{y:.2%}" if secondary else "%{y:.4g}", yaxis="y2" if secondary else "y")
        series.append((key, style))
    if rate:
        line = dict(color=RATE_COLOR, width=1.5, shape="hv")
        style = dict(mode="lines", name="learning rate", line=line, hovertemplate="%{y:.3g}", yaxis="y3")
        series.append(("learning_rate", style))
    return series


def loss_layout(task, *, height=300, empty=False, empty_hint=PLAY_HINT, rate=False):
    """The loss chart's layout (a dict); ``empty``: no point yet, the chart shows ``empty_hint``;
    ``rate``: a band for the learning rate under the curves."""
    layout = _loss_layout(task != "regression", height, empty=empty, empty_hint=empty_hint)
    if rate:
        layout["yaxis"]["domain"] = [RATE_BAND + 0.06, 1.0]
        layout["yaxis3"] = dict(
            domain=[0.0, RATE_BAND], rangemode="tozero", showgrid=False, nticks=3,
            title=dict(text="rate", font=dict(color=RATE_COLOR)), tickfont=dict(color=RATE_COLOR),
        )  # fmt: skip
        layout["xaxis"]["anchor"] = "y3"  # the epoch axis under the band
    return layout


def _loss_layout(classification, height, *, empty, empty_hint):
    layout = dict(
        template="none",
        height=height,
        uirevision="loss",
        hovermode="x unified",
        margin=dict(l=55, r=55 if classification else 20, t=30, b=40),
        legend=dict(orientation="h", x=0.0, y=1.02, yanchor="bottom"),
        xaxis=dict(title=dict(text="epoch"), rangemode="tozero" if empty else "normal"),
        yaxis=dict(title=dict(text="loss"), rangemode="tozero"),
    )
    if classification:
        # Fixed 25 % ticks: plotly would otherwise align them to the loss axis (0.247, 0.495, ...).
        layout["yaxis2"] = dict(
            title=dict(text="accuracy"),
            showgrid=False,
            overlaying="y",
            side="right",
            range=[0, 1],
            tickmode="linear",
            tick0=0,
            dtick=0.25,
            tickformat=".0%",
        )
    if empty:
        layout["annotations"] = [
            dict(text=empty_hint, xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False)
        ]
    return layout
