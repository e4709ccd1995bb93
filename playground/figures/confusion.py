"""The confusion matrix as a heatmap: rows the true class, columns the predicted one, each cell its
count; the diagonal holds the hits. Shaded from white (0) to the playground's blue (the largest count
of the matrix), so a good classifier is a dark diagonal."""

import numpy as np
import plotly.graph_objects as go

from playground.figures.boundary import plotly_text
from playground.figures.colors import BLUE

CONFUSION_COLORSCALE = ((0.0, "#ffffff"), (1.0, BLUE))  # white (0) to blue (the largest count)
CONFUSION_COLORSCALE_DARK = ((0.0, "#262730"), (1.0, BLUE))  # a dark theme: its panels' grey to blue


def confusion_colorscale(*, dark=False):
    """The heatmap's colours: from the page's side (white, or a dark theme's grey) to blue."""
    return CONFUSION_COLORSCALE_DARK if dark else CONFUSION_COLORSCALE


def class_labels(n_classes, class_names=()):
    """What the axes call each class: ``class_names`` (an uploaded file's: escaped, so Plotly shows
    them as typed, and cut to ``NAME_LIMIT``) if there is one per class and they stay distinct (each is
    a category of the axes), else "0", "1", ..."""
    labels = [plotly_text(name) for name in class_names]
    if len(labels) == n_classes and len(set(labels)) == n_classes:
        return labels
    return [str(c) for c in range(n_classes)]


def confusion_layout(labels, *, title="", height=260):
    """The heatmap's layout (a dict): class 0 at the top left, square cells, the title above."""
    return dict(
        template="none",
        height=height,
        title=dict(text=title, x=0.5, font=dict(size=12)),
        margin=dict(l=60, r=10, t=30, b=50),
        xaxis=dict(title=dict(text="predicted"), type="category", categoryarray=labels, side="bottom"),
        yaxis=dict(title=dict(text="true"), type="category", categoryarray=labels, autorange="reversed",
                   scaleanchor="x"),
    )  # fmt: skip


def confusion_trace(confusion, labels, *, dark=False):
    """The heatmap trace of a (k, k) count matrix, each cell labelled with its count (Plotly picks
    each label's colour against its cell's); ``dark``: for a dark theme."""
    z = np.asarray(confusion, dtype=np.int64)
    return go.Heatmap(
        z=z.tolist(),
        x=labels,
        y=labels,
        zmin=0,
        zmax=max(int(z.max(initial=0)), 1),
        colorscale=confusion_colorscale(dark=dark),
        showscale=False,
        texttemplate="%{z}",
        hovertemplate="true %{y}, predicted %{x}: %{z}<extra></extra>",
        xgap=1,
        ygap=1,
    )


def confusion_figure(confusion, *, class_names=(), title="confusion matrix", height=260, dark=False):
    """The confusion matrix ``confusion`` (k, k) (rows true, columns predicted) as a heatmap, in the
    colours of a dark theme if ``dark``."""
    z = np.asarray(confusion)
    if z.ndim != 2 or z.shape[0] != z.shape[1] or z.shape[0] < 1:
        raise ValueError(f"confusion must be a (k, k) matrix; got shape {z.shape}")
    labels = class_labels(z.shape[0], class_names)
    trace = confusion_trace(z, labels, dark=dark)
    return go.Figure(trace, layout=confusion_layout(labels, title=title, height=height))
