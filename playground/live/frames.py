"""What the live charts receive: a one-off spec per view, then small frames while training.

The live view (``playground/live.py`` + ``static/live_view.js``) draws each chart once from a
*spec* built by the ordinary figure builders (so every colour and label is decided in Python), and
then only changes what moves: the decision-boundary picture, the neuron pictures, the link widths,
the weights and the new loss points. A tick of training carries several *frames* (snapshots taken
every few epochs), which the browser plays back evenly until the next tick arrives.

No Streamlit here: everything is a pure function of the experiment, so tests can decode what the
browser would draw.

Frame encoding (one frame = the model after ``epoch`` epochs):

- ``u8`` bytes, in this order: the boundary grid (G*G bytes, top image row first), every unit's map
  (R*R bytes each, layer by layer, top row first), then one code per weight (``2 * bucket + (w < 0)``,
  the link's width bucket and sign). The bytes of all the frames of a payload are concatenated and
  zlib-compressed together: smooth maps shrink several-fold.
- ``f32`` numbers: the flat ``params`` (weights first, then biases), then one scale per layer for the
  unit maps, then the boundary's scale (regression: the largest |prediction|; else 1).
- ``scores``: the numbers above the charts at that epoch (``SCORES``: losses and accuracies, None
  where there is none), so the counters on screen always belong to the picture on screen.

Grid bytes: binary ``round(255 p)``; multi-class ``class * L + round((L - 1) * confidence)`` with
``L = 256 // k`` levels per class; regression ``round(127.5 (v / scale + 1))``. Map bytes:
``round(127.5 ((a - centre) / scale + 1))``. ``lut`` (256 RGB colours) turns a byte into a colour.
"""

import base64
import bisect
import json
import zlib
from typing import NamedTuple

import numpy as np

from playground.core.history import downsample_stride
from playground.figures import (
    HEAT_OPACITY,
    boundary_figure,
    link_width_buckets,
    loss_figure,
    network_figure,
    weights_figure,
)
from playground.figures.colors import CLASS_COLORS, LIGHT, _diverging_lut, _hex_rgb
from playground.figures.curves import LOSS_SERIES
from playground.figures.network import link_styles

MAP_LUT = _diverging_lut(256)  # byte -> RGB for unit maps and binary/regression boundaries


SCORES = ("train_loss", "val_loss", "train_accuracy", "val_accuracy")  # a frame's numbers, in order


class Frame(NamedTuple):
    """One snapshot of the model: the epoch, its bytes and floats (see the module docstring) and
    its scores (``SCORES``, JSON-ready)."""

    epoch: int
    u8: bytes
    f32: bytes
    scores: tuple = ()


# --- encoding the pictures --------------------------------------------------------------------
def encode_grid(values, task):
    """The boundary as bytes, top image row first. Returns (uint8 (G, G), scale).

    values: binary (G, G) P(class 1); multiclass (G, G, k) probabilities; regression (G, G) values,
    row 0 = lowest x2 (as ``Experiment.boundary_values`` returns them).
    """
    v = np.nan_to_num(np.asarray(values, dtype=np.float64), nan=0.0, posinf=1e300, neginf=-1e300)
    scale = 1.0
    if task == "binary":
        b = np.rint(np.clip(v, 0.0, 1.0) * 255)
    elif task == "multiclass":
        k = v.shape[-1]
        levels = 256 // k
        cls = v.argmax(axis=-1)
        conf = np.clip((v.max(axis=-1) - 1 / k) / (1 - 1 / k), 0.0, 1.0)
        b = cls * levels + np.rint(conf * (levels - 1))
    elif task == "regression":
        scale = float(np.abs(v).max()) or 1.0
        b = np.rint((np.clip(v / scale, -1.0, 1.0) + 1.0) * 127.5)
    else:
        raise ValueError(f"task must be binary, multiclass or regression; got {task!r}")
    return b[::-1].astype(np.uint8), min(scale, 3e38)


def encode_maps(neuron_maps, centers):
    """Every unit's map as bytes on its layer's symmetric range around ``centers[l]``.
    Returns (uint8 (units, R, R) top row first, scales (layers,))."""
    parts, scales = [], []
    for m, c in zip(neuron_maps, centers):
        x = np.nan_to_num(np.asarray(m, dtype=np.float64) - c, nan=0.0, posinf=1e300, neginf=-1e300)
        scale = float(np.abs(x).max()) or 1.0
        parts.append(np.rint((np.clip(x / scale, -1.0, 1.0) + 1.0) * 127.5)[:, ::-1, :])
        scales.append(min(scale, 3e38))
    return np.concatenate(parts).astype(np.uint8), np.array(scales)


def link_codes(model):
    """One byte per weight, in ``params`` order: ``2 * width bucket + (w < 0)``."""
    w = np.nan_to_num(model.params[: model.n_weights].astype(np.float64))
    bucket, _ = link_width_buckets(w, density=_density(model.layer_sizes))
    return (2 * bucket + (w < 0)).astype(np.uint8)


def _density(sizes):
    return max(a * b for a, b in zip(sizes[:-1], sizes[1:]))


def snapshot(exp):
    """The model as it is now, as a ``Frame``."""
    grid, grid_scale = encode_grid(exp.boundary_values(), exp.config.task)
    maps, map_scales = encode_maps(exp.neuron_maps(), exp.neuron_centers())
    u8 = grid.tobytes() + maps.tobytes() + link_codes(exp.model).tobytes()
    params = np.clip(np.nan_to_num(exp.model.params.astype(np.float64)), -3e38, 3e38)
    f32 = np.concatenate([params, map_scales, [grid_scale]]).astype("<f4")
    metrics = exp.metrics()
    return Frame(exp.epoch, u8, f32.tobytes(), tuple(_finite_or_none(metrics.get(k)) for k in SCORES))


def pack_frames(frames):
    """Frames -> the JSON-ready dict the browser decodes: epochs, zlib+base64 bytes, base64 floats."""
    return {
        "epochs": [f.epoch for f in frames],
        "u8": _b64(zlib.compress(b"".join(f.u8 for f in frames), 1)),
        "f32": _b64(b"".join(f.f32 for f in frames)),
        "scores": [list(f.scores) for f in frames],
    }


def _json(fig):
    """A figure as plain JSON data (numpy arrays become plotly.js's base64 typed arrays): the
    component's ``data`` must hold no numpy objects."""
    return json.loads(fig.to_json())


def _b64(data):
    return base64.b64encode(data).decode("ascii")


# --- the loss points ---------------------------------------------------------------------------
def loss_points(history, task, *, after=None):
    """The loss chart's points: every ``stride``-th epoch (stride doubles as the run grows, so the
    chart never holds more than ~1000 points) plus the newest epoch.

    after=None: the whole (thinned) history, ``full`` True. after=e: only epochs > e (the browser
    has the rest), ``from`` = e so the browser can tell whether it missed a payload.
    """
    last = history[-1]["epoch"] if history else 0
    stride = downsample_stride(last)
    start = 0 if after is None else after
    first = bisect.bisect_right(history, start, key=lambda r: r["epoch"])  # epochs only increase
    records = [r for r in history[first:] if r["epoch"] % stride == 0 or r["epoch"] == last]
    keys = _loss_keys(task)
    return {
        "full": after is None,
        "from": start,
        "stride": stride,
        "epochs": [r["epoch"] for r in records],
        **{key: [_finite_or_none(r[key]) for r in records] for key in keys},
    }


def _loss_keys(task):
    """The history keys the loss chart shows: losses, and accuracies unless it is regression."""
    return [key for key, *_, secondary in LOSS_SERIES if task != "regression" or not secondary]


def _finite_or_none(value):
    """A JSON number, or None (a gap in the line) for missing or non-finite values."""
    return None if value is None or not np.isfinite(value) else round(float(value), 7)


# --- the specs: drawn once, then updated by frames -------------------------------------------
def boundary_spec(exp, *, show_test, discretize):
    """The boundary chart without its heatmap: points, axes, title, and an image slot the frames fill."""
    c = exp.config
    X_train, X_test, y_train, y_test = exp.points
    targets = np.concatenate([y_train, y_test]).astype(np.float64) if c.task == "regression" else None
    fig = boundary_figure(
        xs=exp.grid_axis,
        ys=exp.grid_axis,
        values=np.zeros((len(exp.grid_axis),) * 2 + ((c.classes,) if c.task == "multiclass" else ())),
        task=c.task,
        X_train=X_train,
        y_train=y_train,
        X_test=X_test,
        y_test=y_test,
        show_test=show_test,
        discretize=discretize,
        n_classes=c.classes,
        title="",  # the frames write "epoch N": a cached spec must not claim an old epoch
    )
    spec = _json(fig)
    heat = spec["data"].pop(0)  # the frames draw the boundary as a picture instead
    color_scale = 1.0
    if c.task == "regression":
        # Colours span the targets' range (fixed, so the colour bar stays true); a transparent 2-cell
        # heatmap keeps the colour bar.
        color_scale = float(np.abs(np.nan_to_num(targets)).max()) or 1.0
        spec["data"].insert(0, _colorbar_trace(heat, color_scale))
    lo, hi = exp.domain
    step = (hi - lo) / (len(exp.grid_axis) - 1)
    spec["layout"]["images"] = [
        dict(
            source="",
            xref="x",
            yref="y",
            x=lo - step / 2,
            y=hi + step / 2,
            sizex=hi - lo + step,
            sizey=hi - lo + step,
            sizing="stretch",
            layer="below",
            opacity=HEAT_OPACITY,
        )
    ]
    return {
        "figure": spec,
        "lut": _b64(_boundary_lut(c.task, c.classes, discretize).tobytes()),
        "task": c.task,
        "classes": c.classes,
        "grid": len(exp.grid_axis),
        "domain": [lo, hi],
        "color_scale": color_scale,
    }


def _colorbar_trace(heat, m):
    return {
        "type": "heatmap",
        "z": [[-m, m]],
        "zmin": -m,
        "zmax": m,
        "zmid": 0.0,
        "colorscale": heat["colorscale"],
        "colorbar": heat["colorbar"],
        "opacity": 0,
        "hoverinfo": "skip",
        "name": "colour scale",
    }


def _boundary_lut(task, k, discretize):
    """(256, 3) uint8: grid byte -> colour, matching the Plotly heatmaps of ``boundary_figure``."""
    if task == "multiclass":
        levels = 256 // k
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
    """The network view as drawn now, plus what the browser needs to redraw it from frames."""
    m = exp.model
    fig = network_figure(
        layer_sizes=m.layer_sizes,
        weights=m.weights,
        biases=m.biases,
        feature_names=exp.feature_names(),
        neuron_maps=exp.neuron_maps(),
        centers=exp.neuron_centers(),
    )
    spec = _json(fig)
    for trace in spec["data"]:  # values change every frame: the browser writes the hover text
        if trace.get("name") in ("link hover", "biases", "units"):
            trace["hoverinfo"] = "none"
            trace.pop("hovertext", None)
    widths, colors = link_styles(_density(m.layer_sizes))
    return {
        "figure": spec,
        "sizes": m.layer_sizes,
        "map_grid": len(exp.neuron_axis),
        "lut": _b64(MAP_LUT.tobytes()),
        "link_widths": widths,
        "link_colors": colors,
        "centers": exp.neuron_centers(),
    }


def loss_spec(exp):
    """The loss chart: one template trace per series (the browser fills in x and y, in ``keys``
    order), the layout, and the layout shown while there is no point yet."""
    task = exp.config.task
    keys = _loss_keys(task)
    template = loss_figure([{"epoch": 0, **dict.fromkeys(keys, 0.0)}], task=task)
    figure = _json(template)
    for trace in figure["data"]:
        trace.pop("x", None)
        trace.pop("y", None)
    return {"figure": figure, "keys": keys, "empty_layout": _json(loss_figure([], task=task))["layout"]}


def weights_spec(exp):
    return {"figure": _json(weights_figure(exp.model.weights, exp.model.biases))}


def spec(exp, *, show_test, discretize, rev):
    """Every view's spec, tagged with its revision ``rev``."""
    return {
        "rev": rev,
        "boundary": boundary_spec(exp, show_test=show_test, discretize=discretize),
        "loss": loss_spec(exp),
        "network": network_spec(exp),
        "weights": weights_spec(exp),
    }
