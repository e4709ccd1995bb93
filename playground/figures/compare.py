"""Figures of the "Compare runs" page: every run's loss and accuracy curves overlaid, and one small
decision boundary per run.

A run is a dict with ``name`` (str), ``history`` (the trainer's records: epoch, train_loss, val_loss,
train_accuracy, val_accuracy) and ``diverged_epoch`` (int or None); run i is drawn in
``CLASS_COLORS[i]``, test solid and train dotted. Losses span decades, so they go on a log axis; a
value that is not finite is left out and a loss of 0 sits on ``LOSS_FLOOR``, so no NaN, inf or
non-positive number reaches a chart. A diverged run's curves stop at its last finite epoch, marked x.
"""

import numpy as np
import plotly.graph_objects as go

from playground.figures.boundary import boundary_figure
from playground.figures.colors import CLASS_COLORS
from playground.figures.curves import _series, downsample

LOSS_FLOOR = 1e-12  # a log axis cannot show 0
SPLITS = (("val_loss", "test", "solid"), ("train_loss", "train", "dot"))
RUN_MARKS = ("orange", "blue", "green", "violet")  # run i's colour by its Markdown name (``:orange[A]``)


def run_color(i):
    """Colour of run ``i`` (0 = A), the same on every chart (and ``RUN_MARKS[i]`` in text)."""
    return CLASS_COLORS[i % len(CLASS_COLORS)]


def _run_traces(i, run, kind, floor=None):
    """The test and train curves of one run for ``kind`` "loss" or "accuracy" (go.Scatter list), and
    an x at the last finite point if it diverged."""
    records, color, traces, last = downsample(list(run["history"] or [])), run_color(i), [], None
    fmt = "%{y:.4g}" if kind == "loss" else "%{y:.1%}"
    for split, label, dash in SPLITS:
        epochs, values = _series(records, split.replace("loss", kind))
        values = np.maximum(values, floor) if floor else values
        last = last or (epochs[-1:], values[-1:])  # the test curve's end (SPLITS starts with test)
        name = f"{run['name']} {label}"
        traces.append(
            go.Scatter(
                x=epochs,
                y=values,
                mode="lines" if len(epochs) > 1 else "markers",
                name=name,
                legendgroup=run["name"],
                line=dict(color=color, dash=dash, width=2 if label == "test" else 1.5),
                marker=dict(color=color),
                hovertemplate=f"{name}: {fmt}<extra>epoch %{{x}}</extra>",
            )
        )
    if run.get("diverged_epoch") and len(last[0]):
        text = f"{run['name']} diverged at epoch {run['diverged_epoch']}"
        traces.append(
            go.Scatter(
                x=last[0],
                y=last[1],
                mode="markers",
                name=text,
                legendgroup=run["name"],
                marker=dict(color=color, symbol="x", size=12),
                hovertemplate=text + "<extra></extra>",
            )
        )
    return traces


def _layout(title, height, yaxis):
    return dict(
        template="none",
        height=height,
        title=dict(text=title, x=0.01, xanchor="left"),
        hovermode="closest",
        margin=dict(l=60, r=20, t=40, b=40),
        legend=dict(orientation="h", x=0.0, y=-0.25, yanchor="top"),
        xaxis=dict(title=dict(text="epoch"), rangemode="tozero"),
        yaxis=yaxis,
    )


def _with_note(fig, traces, text):
    """Say so on the chart when no run has a point to draw."""
    if not any(len(t.x) for t in traces):
        fig.add_annotation(text=text, xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False)
    return fig


def compare_loss_figure(runs, *, height=360):
    """Every run's train (dotted) and test (solid) loss per epoch on one log axis.

    runs: list of dicts with ``name``, ``history``, ``diverged_epoch`` (see the module docstring).
    """
    traces = [t for i, run in enumerate(runs) for t in _run_traces(i, run, "loss", LOSS_FLOOR)]
    yaxis = dict(title=dict(text="loss (log scale)"), type="log", exponentformat="power")
    losses = np.concatenate([np.asarray(t.y, dtype=float) for t in traces] + [np.zeros(0)])
    # Over a decade or more, label the decades only: plotly would label the 2s and 5s between as well.
    if losses.size and losses.max() >= 10 * losses.min():
        yaxis["dtick"] = 1
    fig = go.Figure(data=traces, layout=_layout("Loss", height, yaxis))
    return _with_note(fig, traces, "no finite loss to show")


def compare_accuracy_figure(runs, *, height=360):
    """Every run's train (dotted) and test (solid) accuracy per epoch, 0 to 100 %.

    runs: as for ``compare_loss_figure``; records without accuracy (regression) draw nothing.
    """
    traces = [t for i, run in enumerate(runs) for t in _run_traces(i, run, "accuracy")]
    yaxis = dict(title=dict(text="accuracy"), range=[0, 1.02], tickformat=".0%")
    fig = go.Figure(data=traces, layout=_layout("Accuracy", height, yaxis))
    return _with_note(fig, traces, "no accuracy to show (regression)")


def run_boundary_figure(i, *, xs, values, task, X_train, y_train, n_classes, title, height=300):
    """One run's decision boundary, small: ``boundary_figure`` without a legend, its title in the run's
    colour. xs (n,): the grid axis (the same for x1 and x2); values: as ``boundary_figure`` takes them
    (binary (n, n), multiclass (n, n, k), regression (n, n)); X_train (m, 2), y_train (m,)."""
    fig = boundary_figure(
        xs=xs, ys=xs, values=values, task=task, X_train=X_train, y_train=y_train,
        n_classes=n_classes, title=title, height=height,
    )  # fmt: skip
    fig.update_layout(
        showlegend=False,
        title=dict(font=dict(color=run_color(i), size=13)),
        margin=dict(l=40, r=10, t=35, b=35),
        uirevision=f"boundary-{i}",
    )
    return fig
