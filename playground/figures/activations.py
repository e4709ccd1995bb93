"""Figures of the "Activations and gradients" page: activation curves, gradient norms per layer over
training, the gradient profile across depth, and the dead / saturated units of each run.

Builders take arrays (from ``nn_core.diagnostics``) and return a ``go.Figure``; no Streamlit, no
nn_core. Gradient norms span many orders of magnitude, so they go on log axes; a norm of exactly 0
(no gradient at all) cannot sit on a log axis and is drawn at the bottom edge, its hover saying 0.
"""

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from playground.figures.colors import BLUE, CLASS_COLORS, LIGHT, ORANGE, _finite, _mix, _rgba

FLAT_COLOR = _rgba(ORANGE, 0.12)  # the saturated (flat) parts of an activation
HEALTH_SCALE = ((0.0, "#ffffff"), (1.0, ORANGE))  # 0 = healthy (white) -> 1 = all dead / saturated
SMALLEST_NORM = 1e-30  # the log axes never go lower


def _empty(text, height):
    fig = go.Figure(layout=dict(template="none", height=height))
    fig.add_annotation(text=text, xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False)
    return fig


def _spans(z, mask):
    """(start, end) z ranges of the runs of True in ``mask`` (both (n,)), ends included."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(np.int8), [0]])))
    return [(float(z[a]), float(z[b - 1])) for a, b in zip(edges[::2], edges[1::2])]


# --- section 1: the activations ---------------------------------------------------------------
def activation_curves_figure(curves, *, max_slopes, threshold, titles=None, height=300):
    """One small multiple per activation: g(z) (blue), g'(z) (orange, dashed), and the flat parts
    where ``|g'(z)| < threshold * max_slopes[name]`` shaded (a negative slope, as swish's, gelu's and
    sine's, passes gradient too).

    curves: {name: (z (n,), g (n,), g' (n,))}; max_slopes: {name: steepest slope of g}; titles:
    {name: what the user reads} (default: the names).
    """
    if not curves:
        return _empty("pick an activation to show", height)
    names = list(curves)
    shown = [(titles or {}).get(name, name) for name in names]
    fig = make_subplots(rows=1, cols=len(names), subplot_titles=shown, shared_yaxes=True)
    for col, name in enumerate(names, start=1):
        z, g, dg = (_finite(a) for a in curves[name])
        for y, label, color, dash in ((g, "g(z)", BLUE, "solid"), (dg, "g'(z)", ORANGE, "dash")):
            fig.add_trace(
                go.Scatter(
                    x=z,
                    y=y,
                    mode="lines",
                    name=label,
                    legendgroup=label,
                    showlegend=col == 1,
                    line=dict(color=color, dash=dash, width=2),
                    hovertemplate=f"{label} = %{{y:.4g}}",
                ),
                row=1,
                col=col,
            )
        for x0, x1 in _spans(z, np.abs(dg) < threshold * max_slopes[name]):
            fig.add_vrect(x0=x0, x1=x1, fillcolor=FLAT_COLOR, line_width=0, layer="below", row=1, col=col)
    fig.update_xaxes(title_text="z", zeroline=True)
    fig.update_yaxes(range=[-1.2, 2.2], zeroline=True)
    fig.update_layout(
        template="none",
        height=height,
        hovermode="x unified",
        margin=dict(l=40, r=10, t=40, b=40),
        legend=dict(orientation="h", x=0.0, y=-0.25),
    )
    return fig


# --- section 2: gradient norms ----------------------------------------------------------------
def layer_colors(n_layers):
    """Colour of each layer, orange (first, next to the inputs) to blue (the output layer)."""
    return [_mix(ORANGE, BLUE, i / max(n_layers - 1, 1)) for i in range(n_layers)]


def _log_floor(*arrays):
    """The bottom of a log axis: a decade below the smallest positive finite value (1e-30 at least)."""
    positive = [a[(a > 0) & np.isfinite(a)] for a in map(np.asarray, arrays)]
    low = min((float(p.min()) for p in positive if p.size), default=1.0)
    return max(10.0 ** (math.floor(math.log10(low)) - 1), SMALLEST_NORM)


def _log_range(floor, *arrays):
    top = max((float(np.max(_finite(a))) for a in arrays if np.size(a)), default=1.0)
    return [math.log10(floor), math.log10(max(top, floor * 10)) + 0.2]


def gradient_norms_figure(runs, *, n_cols, height_per_row=230):
    """Small multiples, one per run (row-major, ``n_cols`` per row): the gradient norm of every layer
    over training on one shared log y axis, one line per layer coloured first -> last.

    runs: list of dicts with ``title`` (str), ``epochs`` (n_records,), ``grad_norms``
    (n_records, n_layers) and optionally ``diverged_epoch`` (int or None).
    """
    if not runs:
        return _empty("no runs yet", height_per_row)
    n_rows = math.ceil(len(runs) / n_cols)
    titles = [
        r["title"] + (f" (diverged at {r['diverged_epoch']})" if r.get("diverged_epoch") else "")
        for r in runs
    ]
    fig = make_subplots(
        rows=n_rows,
        cols=n_cols,
        subplot_titles=titles,
        shared_yaxes="all",
        shared_xaxes="all",
        vertical_spacing=0.5 / n_rows / 2 + 0.04,
        horizontal_spacing=0.04,
    )
    norms = [_finite(r["grad_norms"]) for r in runs]
    floor = _log_floor(*norms)
    n_layers = max(n.shape[1] for n in norms)
    colors = layer_colors(n_layers)
    for k, (run, values) in enumerate(zip(runs, norms)):
        epochs = _finite(run["epochs"])
        for i in range(values.shape[1]):
            label = (
                "layer 1 (inputs)"
                if i == 0
                else ("output layer" if i == values.shape[1] - 1 else f"layer {i + 1}")
            )
            fig.add_trace(
                go.Scatter(
                    x=epochs,
                    y=np.maximum(values[:, i], floor),
                    customdata=values[:, i],
                    mode="lines" if len(epochs) > 1 else "markers",  # a run that diverged at once
                    name=label,
                    legendgroup=label,
                    showlegend=k == 0,
                    line=dict(color=colors[i], width=1.5),
                    hovertemplate=f"{label}: %{{customdata:.3g}}<extra>epoch %{{x}}</extra>",
                ),
                row=k // n_cols + 1,
                col=k % n_cols + 1,
            )
    fig.update_yaxes(type="log", range=_log_range(floor, *norms), exponentformat="power")
    fig.update_xaxes(title_text="epoch", row=n_rows)
    fig.update_yaxes(title_text="|dW|", col=1)
    fig.update_layout(
        template="none",
        height=height_per_row * n_rows + 60,
        margin=dict(l=60, r=10, t=40, b=40),
        legend=dict(title=dict(text="gradient of"), tracegroupgap=2),
        hovermode="closest",
    )
    return fig


def gradient_profile_figure(runs, *, height=320):
    """The gradient norm across depth (x = layer, 1 next to the inputs), before and after training,
    one line per run on shared log y axes: a falling line from right to left is a vanishing gradient.

    runs: list of dicts with ``title``, ``grad_norms`` (n_records, n_layers); the first and last rows
    are drawn.
    """
    if not runs:
        return _empty("no runs yet", height)
    norms = [_finite(r["grad_norms"]) for r in runs]
    floor = _log_floor(*norms)
    fig = make_subplots(
        rows=1, cols=2, subplot_titles=["before training", "after training"], shared_yaxes=True
    )
    for k, (run, values) in enumerate(zip(runs, norms)):
        layers = np.arange(1, values.shape[1] + 1)
        color = CLASS_COLORS[k % len(CLASS_COLORS)]
        dash = ("solid", "dash", "dot")[k // len(CLASS_COLORS) % 3]  # 9 runs > 8 colours
        for col, row in ((1, values[0]), (2, values[-1])):
            fig.add_trace(
                go.Scatter(
                    x=layers,
                    y=np.maximum(row, floor),
                    customdata=row,
                    mode="lines+markers",
                    name=run["title"],
                    legendgroup=run["title"],
                    showlegend=col == 1,
                    line=dict(color=color, dash=dash, width=2),
                    hovertemplate=f"{run['title']}<br>layer %{{x}}: %{{customdata:.3g}}<extra></extra>",
                ),
                row=1,
                col=col,
            )
    fig.update_xaxes(title_text="layer (1 = next to the inputs)", dtick=1)
    fig.update_yaxes(type="log", range=_log_range(floor, *norms), exponentformat="power")
    fig.update_yaxes(title_text="|dW|", col=1)
    fig.update_layout(template="none", height=height, margin=dict(l=60, r=10, t=40, b=50))
    return fig


# --- section 2: unit health -------------------------------------------------------------------
def unit_health_figure(runs, *, height_per_run=34):
    """Two heat tables, one row per run and one column per hidden layer, at the end of training:
    dead units (text ``k/n``, colour k/n) and saturated share (text and colour), white = healthy.

    runs: list of dicts with ``title``, ``dead`` (n_records, n_hidden) ints, ``units`` (n_hidden,)
    units per hidden layer and ``saturation`` (n_records, n_hidden) shares; the last records are drawn.
    """
    if not runs:
        return _empty("no runs yet", 200)
    titles = [r["title"] for r in runs]
    dead = np.array([np.asarray(r["dead"])[-1] for r in runs], dtype=np.int64)
    units = np.maximum(np.array([r["units"] for r in runs], dtype=np.int64), 1)
    saturation = np.array([np.asarray(r["saturation"], dtype=np.float64)[-1] for r in runs])
    share = np.clip(_finite(saturation), 0.0, 1.0)
    text_dead = [[f"{d}/{u}" for d, u in zip(drow, urow)] for drow, urow in zip(dead, units)]
    layers = [f"layer {i + 1}" for i in range(dead.shape[1])]
    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=["dead units", "saturated share"],
        shared_yaxes=True,
        horizontal_spacing=0.04,
    )
    common = dict(x=layers, y=list(titles), zmin=0.0, zmax=1.0, colorscale=HEALTH_SCALE, xgap=2, ygap=2)
    fig.add_trace(
        go.Heatmap(
            z=dead / units,
            text=text_dead,
            texttemplate="%{text}",
            showscale=False,
            hovertemplate="%{y}, %{x}: %{text} dead<extra></extra>",
            **common,
        ),
        row=1,
        col=1,
    )
    fig.add_trace(
        go.Heatmap(
            z=share,
            texttemplate="%{z:.0%}",
            colorbar=dict(title=dict(text="share"), tickformat=".0%"),
            hovertemplate="%{y}, %{x}: %{z:.1%} saturated<extra></extra>",
            **common,
        ),
        row=1,
        col=2,
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(
        template="none",
        height=height_per_run * len(titles) + 110,
        margin=dict(l=130, r=10, t=40, b=40),
        plot_bgcolor=LIGHT,
    )
    return fig
