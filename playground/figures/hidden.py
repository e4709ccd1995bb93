"""The hidden-space picture: a grid of lines and the data points, in the input plane or as a layer
of the network maps them (see ``playground/hidden.py``)."""

import numpy as np
import plotly.graph_objects as go

from playground.figures.boundary import POINT_SIZE
from playground.figures.colors import CLASS_COLORS, DIVERGING, _abs_max

GRID_COLOR = "rgba(110, 110, 110, 0.45)"
MAX_ASPECT_RATIO = 4.0  # equal axis scales unless one axis spans this many times the other
_TASKS = ("binary", "multiclass", "regression")


def hidden_space_figure(
    *,
    lines,
    train,
    y_train,
    test=None,
    y_test=None,
    origin_train=None,
    origin_test=None,
    task="binary",
    n_classes=2,
    x_name="x",
    y_name="y",
    x_label="",
    y_label="",
    title="",
    height=460,
):
    """Grid lines (thin grey) and data points (coloured by class, or by target for regression).

    lines (n_lines, n_points, 2): each line's points in order; train (n, 2) with y_train (n,) int
    labels or float targets; test (m, 2) and y_test (m,), drawn when given (black outline).
    origin_train (n, 2) / origin_test (m, 2): the points' (x1, x2), shown on hover if given.
    x_name, y_name: short names for hover; x_label, y_label: axis titles. NaN/inf never reach the
    figure: such points are dropped and such line points become gaps.
    """
    if task not in _TASKS:
        raise ValueError(f"task must be one of {list(_TASKS)}; got {task!r}")
    sets = [("", "white", train, y_train, origin_train)]
    if test is not None and y_test is not None:
        sets.append((" (test)", "black", test, y_test, origin_test))
    sets = [(suffix, outline, *_clean(P, y, origin)) for suffix, outline, P, y, origin in sets]
    hover = _hover_template(x_name, y_name, with_origin=origin_train is not None)
    if task == "regression":
        points = _regression_points(sets, hover)
    else:
        k = max(int(n_classes), 1 + int(max((y.max() for *_, y, _ in sets if y.size), default=0)))
        points = _class_points(sets, k, hover)
    fig = go.Figure([_lines_trace(lines), *points])
    _layout(fig, lines, sets, x_label, y_label, title, height)
    return fig


def _clean(P, y, origin):
    """(P (n, 2), y (n,), origin (n, 2)) as float arrays without rows holding NaN/inf."""
    P = np.asarray(P, dtype=np.float64).reshape(-1, 2)
    y = np.asarray(y, dtype=np.float64).ravel()
    origin = P if origin is None else np.asarray(origin, dtype=np.float64).reshape(-1, 2)
    keep = np.isfinite(P).all(axis=1) & np.isfinite(y) & np.isfinite(origin).all(axis=1)
    return P[keep], y[keep], origin[keep]


def _lines_trace(lines):
    """Every grid line in one trace, ``None`` between lines (one trace draws far faster than 22).
    A non-finite point becomes a gap too."""
    lines = np.asarray(lines, dtype=np.float64).reshape(len(lines), -1, 2) if np.size(lines) else None
    xs, ys = [], []
    for line in [] if lines is None else lines:
        ok = np.isfinite(line).all(axis=1)
        xs += [float(v) if good else None for v, good in zip(line[:, 0], ok)] + [None]
        ys += [float(v) if good else None for v, good in zip(line[:, 1], ok)] + [None]
    return go.Scatter(
        x=xs,
        y=ys,
        mode="lines",
        line=dict(color=GRID_COLOR, width=1),
        hoverinfo="skip",
        name="grid lines",
        connectgaps=False,
    )


def _hover_template(x_name, y_name, *, with_origin):
    text = f"{x_name} = %{{x:.3f}}<br>{y_name} = %{{y:.3f}}"
    if with_origin:
        text += "<br>from (x1, x2) = (%{customdata[0]:.2f}, %{customdata[1]:.2f})"
    return text


def _marker(color, outline):
    return dict(
        size=POINT_SIZE, color=color, line=dict(color=outline, width=1 if outline == "white" else 1.5)
    )


def _class_points(sets, k, hover):
    """One Scatter per class and point set: "class c" (white outline), "class c (test)" (black)."""
    traces = []
    for suffix, outline, P, y, origin in sets:
        labels = np.rint(y).astype(int)
        for c in range(k):
            pick = labels == c
            name = f"class {c}{suffix}"
            traces.append(
                go.Scatter(
                    x=P[pick, 0],
                    y=P[pick, 1],
                    customdata=origin[pick],
                    mode="markers",
                    name=name,
                    marker=_marker(CLASS_COLORS[c % len(CLASS_COLORS)], outline),
                    hovertemplate=f"{name}<br>{hover}<extra></extra>",
                )
            )
    return traces


def _regression_points(sets, hover):
    """Points coloured by their target on a symmetric diverging scale around 0, with a colour bar."""
    m = _abs_max(*(y for *_, y, _ in sets))
    traces = []
    for i, (suffix, outline, P, y, origin) in enumerate(sets):
        marker = _marker(y, outline) | dict(colorscale=DIVERGING, cmin=-m, cmax=m, showscale=i == 0)
        if i == 0:
            marker["colorbar"] = dict(title=dict(text="y"), thickness=12, len=0.8)
        name = "train" if not suffix else "test"
        traces.append(
            go.Scatter(
                x=P[:, 0],
                y=P[:, 1],
                customdata=origin,
                mode="markers",
                name=name,
                marker=marker,
                hovertemplate=f"{name}<br>{hover}<br>y = %{{marker.color:.3f}}<extra></extra>",
            )
        )
    return traces


def _spans(lines, sets):
    """The (x, y) extents of everything drawn, finite values only."""
    XY = np.concatenate([np.asarray(lines, dtype=np.float64).reshape(-1, 2)] + [P for _, _, P, _, _ in sets])
    XY = XY[np.isfinite(XY).all(axis=1)]
    return np.ptp(XY, axis=0) if len(XY) else np.zeros(2)


def _layout(fig, lines, sets, x_label, y_label, title, height):
    x_span, y_span = _spans(lines, sets)
    # Equal scales keep a circle a circle; when one axis is nearly flat (or a single unit's layer
    # has no y axis at all) they would squash the picture into a line, so each axis scales freely.
    equal = min(x_span, y_span) > 0 and max(x_span, y_span) <= MAX_ASPECT_RATIO * min(x_span, y_span)
    yaxis = dict(title=dict(text=y_label), zeroline=False, showgrid=False, constrain="domain")
    if equal:
        yaxis |= dict(scaleanchor="x", scaleratio=1)
    fig.update_layout(
        template="none",
        height=height,
        uirevision=f"{x_label}|{y_label}",  # keep the zoom while training, not across views
        title=dict(text=title, x=0.01, xanchor="left", y=0.98, yanchor="top"),
        margin=dict(l=55, r=20, t=70, b=50),
        legend=dict(orientation="h", x=0.0, xanchor="left", y=1.01, yanchor="bottom"),
        xaxis=dict(title=dict(text=x_label), zeroline=False, showgrid=False, constrain="domain"),
        yaxis=yaxis,
    )
