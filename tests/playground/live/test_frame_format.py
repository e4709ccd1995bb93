"""The frame format: one written table, ``static/frame_format.json``, that ``frames.py`` builds frames
by and the browser decodes them by (``static/live/decode.js``, from ``spec["format"]``).

The decoder here is driven by the table alone (the order, shapes and encodings of its sections, its
constants): nothing of ``frames.py`` but the frames it packs. A snapshot must decode to the model:
the boundary probabilities to within 1/255, the maps, the params exactly, the scores.
"""

import base64
import dataclasses
import json
import math
import zlib
from pathlib import Path

import numpy as np
import pytest

from playground.core.config import Config
from playground.core.experiment import Experiment
from playground.figures import link_width_buckets
from playground.live import frames, specs

FORMAT = json.loads((Path(__file__).resolve().parents[3] / "static" / "frame_format.json").read_text())
SMALL = Config(n_samples=60, hidden=(3,), batch_size=0)
SPIRAL = dataclasses.replace(SMALL, dataset="spiral", n_classes=3, head="softmax_ce", hidden=(6,))
PLANE = dataclasses.replace(SMALL, dataset="plane", head="linear_mse")


def dims_of(exp):
    """The table's dims for this experiment, from the model and the experiment's grids."""
    sizes = exp.model.layer_sizes
    weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    biases = sum(sizes[1:])
    return dict(grid=len(exp.grid_axis), map_grid=len(exp.neuron_axis), units=sum(sizes), weights=weights,
                biases=biases, params=weights + biases, layers=len(sizes))  # fmt: skip


def split(values, kind, dims, full=True):
    """One frame's values of one kind ("u8" or "f32") cut into the table's sections, in its order (a
    light frame: the table's light sections only). Returns (sections, values used)."""
    out, start = {}, 0
    for section in FORMAT[kind]:
        if not full and section["name"] not in FORMAT["light"]["sections"]:
            continue
        shape = [dims[d] for d in section["shape"]]
        out[section["name"]] = values[start : start + math.prod(shape)].reshape(shape)
        start += math.prod(shape)
    return out, start


def decode(packed, exp):
    """[per frame: {"epoch", "scores": {name: value}, "full", section name: array}] by the table. A
    light frame has the light sections only."""
    u8 = np.frombuffer(zlib.decompress(base64.b64decode(packed["u8"])), np.uint8)
    f32 = np.frombuffer(base64.b64decode(packed["f32"]), "<f4")
    dims = dims_of(exp)
    out, at = [], {"u8": 0, "f32": 0}
    for i, epoch in enumerate(packed["epochs"]):
        full = packed.get("full", [True] * len(packed["epochs"]))[i]
        frame = {"epoch": epoch, "full": full}
        frame["scores"] = dict(zip(FORMAT["scores"], packed["scores"][i], strict=True))
        for kind, values in (("u8", u8), ("f32", f32)):
            sections, used = split(values[at[kind] :], kind, dims, full)
            frame |= sections
            at[kind] += used
        out.append(frame)
    assert at == {"u8": u8.size, "f32": f32.size}, f"the frames hold {at}, the payload {u8.size}, {f32.size}"
    return out


def grid_values(frame, task, k=2):
    """The boundary grid decoded by the task's encoding, row 0 = lowest x2 (as the model's arrays).
    Binary: P(class 1); multiclass: (class, its probability); regression: the prediction."""
    name = FORMAT["grid_encoding"][task]
    enc, rows = FORMAT["encodings"][name], frame["grid"][::-1].astype(np.float64)
    if name == "probability":
        return rows / enc["top"]
    if name == "class_confidence":
        levels = enc["codes"] // k
        cls, rest = np.divmod(rows, levels)
        return cls, 1 / k + rest / (levels - 1) * (1 - 1 / k)
    return signed(rows, frame["grid_scale"], enc)


def signed(byte, scale, enc=FORMAT["encodings"]["signed"]):
    return (byte / enc["half"] - 1) * scale


def snapshot_of(config, epochs=20):
    exp = Experiment(config)
    exp.train(epochs)
    return exp, decode(frames.pack_frames([frames.snapshot(exp)]), exp)[0]


def test_a_binary_snapshot_decodes_by_the_table_to_the_model():
    exp, frame = snapshot_of(SMALL)
    assert frame["epoch"] == exp.epoch == 20
    np.testing.assert_allclose(grid_values(frame, "binary"), exp.boundary_values(), atol=1 / 255)
    np.testing.assert_array_equal(frame["params"], exp.model.params.astype(np.float32))  # exactly
    assert frame["grid_scale"] == 1.0
    assert frame["scores"] == pytest.approx({k: exp.metrics()[k] for k in FORMAT["scores"]}, abs=1e-7)


def test_unit_maps_decode_around_their_layers_centre():
    exp, frame = snapshot_of(SMALL)
    sizes, R = exp.model.layer_sizes, len(exp.neuron_axis)
    maps = frame["maps"].reshape(sum(sizes), R, R)
    first = 0
    for layer, (m, centre) in enumerate(zip(exp.neuron_maps(), exp.neuron_centers())):
        scale = frame["map_scales"][layer]
        assert scale == pytest.approx(np.abs(m - centre).max(), rel=1e-6)
        decoded = centre + signed(maps[first : first + sizes[layer], ::-1].astype(np.float64), scale)
        np.testing.assert_allclose(decoded, m, atol=scale / FORMAT["encodings"]["signed"]["half"])
        first += sizes[layer]


def test_link_codes_hold_each_weights_width_bucket_and_sign():
    exp, frame = snapshot_of(SMALL)
    w = exp.model.params[: exp.model.n_weights]
    sizes = exp.model.layer_sizes
    density = max(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    bucket, _ = link_width_buckets(w, FORMAT["encodings"]["link"]["buckets"], density=density)
    np.testing.assert_array_equal(frame["links"] >> 1, bucket)
    np.testing.assert_array_equal(frame["links"] & 1, w < 0)


def test_a_multiclass_snapshot_decodes_to_the_class_and_its_probability():
    exp, frame = snapshot_of(SPIRAL)
    probs = exp.boundary_values()
    k = probs.shape[-1]
    cls, p = grid_values(frame, "multiclass", k)
    sure = np.sort(probs, axis=-1)[..., -1] - np.sort(probs, axis=-1)[..., -2] > 1e-6  # no tie
    np.testing.assert_array_equal(cls[sure], probs.argmax(axis=-1)[sure])
    levels = FORMAT["encodings"]["class_confidence"]["codes"] // k
    np.testing.assert_allclose(p, probs.max(axis=-1), atol=0.5 / (levels - 1) * (1 - 1 / k) + 1e-9)


def test_a_regression_snapshot_decodes_to_the_predictions():
    exp, frame = snapshot_of(PLANE)
    v = exp.boundary_values()
    assert frame["grid_scale"] == pytest.approx(np.abs(v).max(), rel=1e-6)
    half = FORMAT["encodings"]["signed"]["half"]
    np.testing.assert_allclose(grid_values(frame, "regression"), v, atol=frame["grid_scale"] / half)
    assert frame["scores"]["train_accuracy"] is None  # no accuracy: a gap, not a number


def test_each_frame_of_a_payload_decodes_to_its_own_epoch():
    exp, taken, params = Experiment(SMALL), [], []
    for _ in range(3):
        exp.train(4)
        taken.append(frames.snapshot(exp))
        params.append(exp.model.params.astype(np.float32))
    decoded = decode(frames.pack_frames(taken), exp)
    assert [f["epoch"] for f in decoded] == [4, 8, 12]
    for frame, expected in zip(decoded, params):
        np.testing.assert_array_equal(frame["params"], expected)


def test_the_table_is_complete_and_travels_in_the_spec():
    dims = set(FORMAT["dims"])
    for kind in ("u8", "f32"):
        names = [s["name"] for s in FORMAT[kind]]
        assert len(set(names)) == len(names) and all(set(s["shape"]) <= dims for s in FORMAT[kind])
    assert set(FORMAT["grid_encoding"]) == {"binary", "multiclass", "regression"}
    assert set(FORMAT["grid_encoding"].values()) | {"signed", "link"} <= set(FORMAT["encodings"])
    assert frames.SCORES == tuple(FORMAT["scores"])
    exp = Experiment(SMALL)
    assert specs.spec(exp, show_test=False, discretize=False, rev="r")["format"] == FORMAT
    assert frames.format_json() == FORMAT and json.loads(json.dumps(frames.format_json())) == FORMAT
    assert frames.frame_dims(exp.model.layer_sizes, len(exp.grid_axis), len(exp.neuron_axis)) == dims_of(exp)


def test_a_section_of_the_wrong_size_is_refused():
    """frames.py checks every section against the table before it packs a frame."""
    exp = Experiment(SMALL)
    dims = dims_of(exp)
    parts = {s["name"]: np.zeros(math.prod(dims[d] for d in s["shape"])) for s in FORMAT["f32"]}
    assert len(frames._join("f32", parts, dims, "<f4")) == 4 * sum(v.size for v in parts.values())
    parts["params"] = np.zeros(dims["params"] - 1)
    with pytest.raises(ValueError, match="f32.params must hold"):
        frames._join("f32", parts, dims, "<f4")
