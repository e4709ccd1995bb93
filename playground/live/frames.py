"""What the live charts receive: a one-off spec per view, then small frames while training.

The live view (``playground/live/component.py`` + ``static/live_view.js``) draws each chart once
from a *spec* (the fixed parts of each chart, built here from the experiment's arrays with the figure
modules' builders and colours, so every colour and label is decided in Python), and then only changes
what moves: the decision-boundary picture, the neuron pictures, the link widths, the weights and the
new loss points. A tick of training carries several *frames* (snapshots taken every few epochs), which
the browser plays back evenly until the next tick arrives.

No Streamlit here: everything is a pure function of the experiment (``snapshot`` may run in a worker
process), so tests can decode what the browser would draw.

A frame's bytes follow one written spec, ``static/frame_format.json`` (``FORMAT``): the order and
size of the ``u8`` sections (the boundary grid, the unit maps, the link codes) and of the ``f32``
sections (the params, the maps' scales, the boundary's scale), and the encodings with their constants.
This module builds and checks frames by it; the browser receives it in the spec (``spec["format"]``)
and decodes by it; the tests decode by it independently. ``scores`` are the numbers above the charts
at that epoch (``SCORES``), so the counters on screen always belong to the picture on screen.
"""

import base64
import bisect
import json
import math
import zlib
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

import numpy as np

from playground.core.history import downsample_stride
from playground.core.scores import shown_metrics
from playground.figures import link_width_buckets
from playground.figures.colors import _diverging_lut
from playground.figures.curves import loss_series

FORMAT_PATH = Path(__file__).resolve().parents[2] / "static" / "frame_format.json"
_FORMAT_TEXT = FORMAT_PATH.read_text(encoding="utf-8")


def _frozen(value):
    """JSON data made read-only (shared by every session): dicts as mapping proxies, lists as tuples."""
    if isinstance(value, dict):
        return MappingProxyType({key: _frozen(v) for key, v in value.items()})
    return tuple(map(_frozen, value)) if isinstance(value, list) else value


FORMAT = _frozen(json.loads(_FORMAT_TEXT))  # the table, read-only; ``format_json()`` for a payload
PROBABILITY_TOP = FORMAT["encodings"]["probability"]["top"]  # binary grid byte = round(top * p)
CLASS_CODES = FORMAT["encodings"]["class_confidence"]["codes"]  # multiclass: codes // k levels per class
HALF = FORMAT["encodings"]["signed"]["half"]  # signed byte = round(half * (x / scale + 1))
LINK_BUCKETS = FORMAT["encodings"]["link"]["buckets"]

MAP_LUT = _diverging_lut(256)  # byte -> RGB for unit maps and binary/regression boundaries
SCORES = tuple(FORMAT["scores"])  # a frame's numbers, in order
LIGHT_SECTIONS = frozenset(FORMAT["light"]["sections"])  # what a light frame holds (the boundary)
LIGHT_FRAME_UNITS = 48  # networks with more units send light frames between full ones (``light_frames``)


class Frame(NamedTuple):
    """One snapshot of the model: the epoch, its bytes and floats (laid out as ``FORMAT`` says) and
    its scores (``SCORES``, JSON-ready)."""

    epoch: int
    u8: bytes
    f32: bytes
    scores: tuple = ()
    full: bool = True  # False: a light frame, the boundary only (``FORMAT["light"]``)
    metrics: dict | None = None  # the metrics beside the loss (``FORMAT["packing"]["metrics"]``)


# --- the format ---------------------------------------------------------------------------------
def format_json():
    """The table as plain JSON data (a fresh copy), as the browser receives it in the spec."""
    return json.loads(_FORMAT_TEXT)


def frame_dims(layer_sizes, grid, map_grid):
    """The dims ``FORMAT``'s section shapes are written in, for this network and these grids."""
    sizes = [int(n) for n in layer_sizes]
    weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    biases = sum(sizes[1:])
    return dict(grid=grid, map_grid=map_grid, units=sum(sizes), weights=weights, biases=biases,
                params=weights + biases, layers=len(sizes))  # fmt: skip


def section_sizes(kind, dims, full=True):
    """[(name, number of values)] of ``FORMAT[kind]`` (kind "u8" or "f32"), in frame order; of a
    light frame's sections only if not ``full``."""
    sections = [s for s in FORMAT[kind] if full or s["name"] in LIGHT_SECTIONS]
    return [(s["name"], math.prod(dims[d] for d in s["shape"])) for s in sections]


def _join(kind, parts, dims, dtype, full=True):
    """The sections ``parts`` (name -> array) as one frame's bytes, in ``FORMAT`` order, each checked
    for its size (a light frame: its sections only)."""
    out = []
    for name, size in section_sizes(kind, dims, full):
        a = np.asarray(parts[name], dtype=dtype).ravel()
        if a.size != size:
            raise ValueError(f"frame section {kind}.{name} must hold {size} values; got {a.size}")
        out.append(a.tobytes())
    return b"".join(out)


# --- encoding the pictures --------------------------------------------------------------------
def encode_grid(values, task):
    """The boundary as bytes, top image row first (``FORMAT["grid_encoding"][task]``). Returns
    (uint8 (G, G), scale).

    values: binary (G, G) P(class 1); multiclass (G, G, k) probabilities; regression (G, G) values,
    row 0 = lowest x2 (as ``Experiment.boundary_values`` returns them).
    """
    v = np.nan_to_num(np.asarray(values, dtype=np.float64), nan=0.0, posinf=1e300, neginf=-1e300)
    scale, encoding = 1.0, FORMAT["grid_encoding"].get(task)
    if encoding == "probability":
        b = np.rint(np.clip(v, 0.0, 1.0) * PROBABILITY_TOP)
    elif encoding == "class_confidence":
        k = v.shape[-1]
        levels = CLASS_CODES // k
        cls = v.argmax(axis=-1)
        conf = np.clip((v.max(axis=-1) - 1 / k) / (1 - 1 / k), 0.0, 1.0)
        b = cls * levels + np.rint(conf * (levels - 1))
    elif encoding == "signed":
        scale = float(np.abs(v).max()) or 1.0
        b = _signed(v, scale)
    else:
        raise ValueError(f"task must be binary, multiclass or regression; got {task!r}")
    return b[::-1].astype(np.uint8), min(scale, 3e38)


def _signed(x, scale):
    """The "signed" encoding: x on [-scale, scale] -> [0, 2 * HALF]."""
    return np.rint((np.clip(x / scale, -1.0, 1.0) + 1.0) * HALF)


def encode_maps(neuron_maps, centers):
    """Every unit's map as bytes on its layer's symmetric range around ``centers[l]``.
    Returns (uint8 (units, R, R) top row first, scales (layers,))."""
    parts, scales = [], []
    for m, c in zip(neuron_maps, centers):
        x = np.nan_to_num(np.asarray(m, dtype=np.float64) - c, nan=0.0, posinf=1e300, neginf=-1e300)
        scale = float(np.abs(x).max()) or 1.0
        parts.append(_signed(x, scale)[:, ::-1, :])
        scales.append(min(scale, 3e38))
    return np.concatenate(parts).astype(np.uint8), np.array(scales)


def link_codes(model):
    """One byte per weight, in ``params`` order: ``2 * width bucket + (w < 0)``."""
    w = np.nan_to_num(model.params[: model.n_weights].astype(np.float64))
    bucket, _ = link_width_buckets(w, LINK_BUCKETS, density=_density(model.layer_sizes))
    return (2 * bucket + (w < 0)).astype(np.uint8)


def _density(sizes):
    return max(a * b for a, b in zip(sizes[:-1], sizes[1:]))


def light_frames(layer_sizes):
    """Whether a tick of this network sends light frames before its last, full one. A full frame of
    8 x 64 units is ~200 KB (every unit's map, every weight) and the browser redraws 500 pictures from
    it; its boundary is 3 KB. The boundary moves on every frame, the network once a tick."""
    return sum(layer_sizes) > LIGHT_FRAME_UNITS


def snapshot(exp, full=True):
    """The model as it is now, as a ``Frame`` laid out as ``FORMAT`` says (``full`` False: a light
    frame, the boundary and the scores only)."""
    grid, grid_scale = encode_grid(exp.boundary_values(), exp.config.task)
    dims = frame_dims(exp.model.layer_sizes, len(exp.grid_axis), len(exp.neuron_axis))
    u8_parts, f32_parts = dict(grid=grid), dict(grid_scale=grid_scale)
    if full:
        maps, map_scales = encode_maps(exp.neuron_maps(), exp.neuron_centers())
        params = np.clip(np.nan_to_num(exp.model.params.astype(np.float64)), -3e38, 3e38)
        u8_parts |= dict(maps=maps, links=link_codes(exp.model))
        f32_parts |= dict(params=params, map_scales=map_scales)
    u8 = _join("u8", u8_parts, dims, np.uint8, full)
    f32 = _join("f32", f32_parts, dims, "<f4", full)
    metrics = exp.metrics()
    scores = tuple(_finite_or_none(metrics.get(k)) for k in SCORES)
    return Frame(exp.epoch, u8, f32, scores, full, shown_metrics(exp))


def pack_frames(frames):
    """Frames -> the JSON-ready dict the browser decodes: epochs, zlib+base64 bytes, base64 floats."""
    return {
        "epochs": [f.epoch for f in frames],
        "u8": _b64(zlib.compress(b"".join(f.u8 for f in frames), 1)),
        "f32": _b64(b"".join(f.f32 for f in frames)),
        "scores": [list(f.scores) for f in frames],
        "full": [f.full for f in frames],
        "metrics": [f.metrics for f in frames],
    }


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
        **{key: [_finite_or_none(r.get(key)) for r in records] for key in keys},
    }


def _loss_keys(task):
    """The history keys the loss chart may show: losses, accuracies unless it is regression, and the
    learning rate (drawn when the spec says so: a schedule)."""
    return [key for key, _ in loss_series(task, rate=True)]  # the rate always: the spec may draw it


def _finite_or_none(value):
    """A JSON number, or None (a gap in the line) for missing or non-finite values."""
    return None if value is None or not np.isfinite(value) else round(float(value), 7)
