"""The specs of the live charts: what the browser draws once per view (a new network, new data or
another view setting), before the frames (``playground.live.frames``) start to move it.

Each spec is built from the experiment's arrays with the figure modules' builders and colours, so every
colour and label is decided in Python, and carries what the browser needs to paint and read the frames'
bytes (the look-up tables, sizes, scales, and the byte format itself, ``frames.format_json()``).
"""

import json

import numpy as np
import plotly.graph_objects as go

from playground.core import catalog
from playground.core.config import FIELDS
from playground.figures import HEAT_OPACITY, weights_figure
from playground.figures.boundary import boundary_scaffold, regression_colorbar
from playground.figures.colors import CLASS_COLORS, DIVERGING, LIGHT, _hex_rgb
from playground.figures.confusion import class_labels, confusion_colorscale, confusion_figure
from playground.figures.curves import empty_hint, loss_layout, loss_series
from playground.figures.network import LAYER_TIP, link_styles, network_scaffold
from playground.live.frames import CLASS_CODES, LINK_BUCKETS, MAP_LUT, _b64, _density, format_json

NETWORK_PX = (660, 600)  # (width, height) the network view is drawn for


def _json(fig):
    """A figure as plain JSON data (numpy arrays become plotly.js's base64 typed arrays): the
    component's ``data`` must hold no numpy objects."""
    return json.loads(fig.to_json())


def boundary_spec(exp, *, show_test, discretize):
    """The boundary chart: the points and axes (no heatmap: the browser paints the frames' grid on a
    canvas under them), and what it needs to paint and read the grid bytes."""
    c = exp.config
    X_train, X_test, y_train, y_test = exp.points
    fig, _ = boundary_scaffold(
        xs=exp.grid_axis,
        ys=exp.grid_axis,
        task=c.task,
        X_train=X_train,
        y_train=y_train,
        X_test=X_test,
        y_test=y_test,
        show_test=show_test,
        n_classes=c.classes,
        class_names=exp.class_names(),
        title="",  # the frames write "epoch N": a cached spec must not claim an old epoch
    )
    figure = _json(fig)
    color_scale = 1.0
    if c.task == "regression":
        # Colours span the targets' range (fixed, so the colour bar stays true); a transparent 2-cell
        # heatmap keeps the colour bar.
        targets = np.concatenate([y_train, y_test]).astype(np.float64)
        color_scale = float(np.abs(np.nan_to_num(targets)).max(initial=0.0)) or 1.0  # (none: cleared)
        figure["data"].insert(0, _colorbar_trace(color_scale))
    lo, hi = exp.domain
    # No title: the browser writes "epoch N" over the chart in HTML (a Plotly title redraw per frame
    # would cost more than the picture). The legend sits in the top margin, clear of the y ticks.
    figure["layout"]["margin"] = dict(l=50, r=100 if c.task == "regression" else 20, t=34, b=45)
    figure["layout"]["legend"] |= dict(x=1.0, xanchor="right", y=1.0, yanchor="bottom")
    return {
        "figure": figure,
        "lut": _b64(boundary_lut(c.task, c.classes, discretize).tobytes()),
        "task": c.task,
        "classes": c.classes,
        "class_names": list(exp.class_names()),  # the hover readout's words for class k ([]: "class k")
        "grid": len(exp.grid_axis),
        "domain": [lo, hi],
        "opacity": HEAT_OPACITY,  # the picture over the plot's background, as the Plotly heatmap has it
        "color_scale": color_scale,
    }


def _colorbar_trace(m):
    """An invisible 2-cell heatmap on [-m, m] that draws the regression colour bar."""
    return {
        "type": "heatmap",
        "z": [[-m, m]],
        "zmin": -m,
        "zmax": m,
        "zmid": 0.0,
        "colorscale": [list(stop) for stop in DIVERGING],
        "colorbar": regression_colorbar(),
        "opacity": 0,
        "hoverinfo": "skip",
        "name": "colour scale",
    }


def boundary_lut(task, k, discretize):
    """(256, 3) uint8: grid byte -> colour, matching the Plotly heatmaps of ``boundary_figure``."""
    if task == "multiclass":
        levels = CLASS_CODES // k
        lut = np.tile(np.array(_hex_rgb(LIGHT), np.uint8), (256, 1))
        light = np.array(_hex_rgb(LIGHT), float)
        for c in range(k):
            full = np.array(_hex_rgb(CLASS_COLORS[c % len(CLASS_COLORS)]), float)
            tint = full + 0.85 * (light - full)  # class_colorscale's faint end
            t = np.ones(levels) if discretize else np.arange(levels) / (levels - 1)
            lut[c * levels : (c + 1) * levels] = np.rint(tint + t[:, None] * (full - tint))
        return lut
    if discretize:  # the side of the boundary only: full orange or full blue
        return np.where(np.arange(256)[:, None] < 128, MAP_LUT[0], MAP_LUT[-1]).astype(np.uint8)
    return MAP_LUT


def network_spec(exp):
    """The network view's fixed parts (places, names, hover markers whose text the browser writes),
    plus what the browser needs to draw the thumbnails, links and biases from frames."""
    m = exp.model
    # Drawn for the size the one-screen layout gives it on a laptop (static/live/style.js fitSizes);
    # the browser scales it to the real size, keeping its proportions.
    fig = network_scaffold(
        layer_sizes=m.layer_sizes,
        feature_names=exp.feature_names(),
        height=NETWORK_PX[1],
        width=NETWORK_PX[0],
        activations=[catalog.short_label("activation", a) for a in m.hidden_activations],
    )
    widths, colors = link_styles(_density(m.layer_sizes), LINK_BUCKETS)
    return {
        "figure": _json(fig),
        "sizes": m.layer_sizes,
        "map_grid": len(exp.neuron_axis),
        "lut": _b64(MAP_LUT.tobytes()),
        "link_widths": widths,
        "link_colors": colors,
        "centers": exp.neuron_centers(),
        # The menu a hidden layer's title opens: every hidden activation, labelled as in the sidebar,
        # and each layer's own (its name; the menu marks it); the titles' hover tip, shown only while
        # the payload's "layers" says choosing is allowed (a teacher's lock may change that alone).
        "activations": {
            "choices": [[n, catalog.label("activation", n)] for n in FIELDS["layer_activations"].choices],
            "layers": list(m.hidden_activations),
            "tip": LAYER_TIP,
        },
    }


def loss_spec(exp):
    """The loss chart: one template trace per series (the browser fills in x and y, in ``keys``
    order), the layout, and the layout shown while there is no point yet."""
    task, rate = exp.config.task, exp.config.schedule != "constant"  # a schedule: its rate too
    series = loss_series(task, rate=rate)
    traces = [go.Scatter(**style) for _, style in series]
    figure = _json(go.Figure(traces, layout=loss_layout(task, rate=rate)))
    hint = empty_hint(epoch=exp.epoch, diverged=exp.diverged, finished=exp.finished)
    empty = _json(go.Figure(layout=loss_layout(task, empty=True, empty_hint=hint, rate=rate)))["layout"]
    return {"figure": figure, "keys": [key for key, _ in series], "empty_layout": empty}


def metrics_spec(exp):
    """Beside the loss: the confusion matrix's heatmap (its template, light; each frame brings the
    counts, ``scores.shown_metrics``; its colours for a dark theme beside it) or, for regression, a
    table of RMSE, MAE and R²."""
    if exp.config.task == "regression":
        return {"kind": "regression"}
    k = max(exp.model.layer_sizes[-1], 2)
    fig = confusion_figure(np.zeros((k, k), dtype=np.int64), class_names=exp.class_names())
    return {
        "kind": "confusion",
        "figure": _json(fig),
        "labels": class_labels(k, exp.class_names()),
        "colorscale_dark": [list(step) for step in confusion_colorscale(dark=True)],  # (confusion.js)
    }


def weights_spec(exp):
    """The weight heatmaps as they are now (each frame restyles their values and range)."""
    return {"figure": _json(weights_figure(exp.model.weights, exp.model.biases))}


def spec(exp, *, show_test, discretize, rev):
    """Every view's spec and the frame format, tagged with its revision ``rev``."""
    return {
        "rev": rev,
        "format": format_json(),
        "boundary": boundary_spec(exp, show_test=show_test, discretize=discretize),
        "loss": loss_spec(exp),
        "network": network_spec(exp),
        "weights": weights_spec(exp),
        "metrics": metrics_spec(exp),
    }
