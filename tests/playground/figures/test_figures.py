"""Specs of the figure builders: what each chart contains, not how it looks (no pixels compared)."""

import base64
import json
import math
import re
import struct
import zlib

import numpy as np
import pytest

from playground import figures as F

# --- helpers ------------------------------------------------------------------------------------


def _walk_numbers(obj, path="fig"):
    """Yield (path, value) for every float / numeric array in a ``to_plotly_json()`` tree."""
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind in "fc":
            yield path, obj
        elif obj.dtype == object:
            yield from _walk_numbers(obj.tolist(), path)
    elif isinstance(obj, dict):
        for key, value in obj.items():
            yield from _walk_numbers(value, f"{path}.{key}")
    elif isinstance(obj, (list, tuple)):
        for i, value in enumerate(obj):
            yield from _walk_numbers(value, f"{path}[{i}]")
    elif isinstance(obj, float):
        yield path, np.asarray(obj)


def assert_all_finite(fig):
    """No NaN/inf anywhere: neither in the JSON text nor inside the base64 typed arrays."""
    json.loads(fig.to_json(), parse_constant=lambda c: pytest.fail(f"{c} in the figure JSON"))
    bad = [path for path, a in _walk_numbers(fig.to_plotly_json()) if not np.isfinite(a).all()]
    assert not bad, f"non-finite values at {bad}"


def traces_named(fig, pattern):
    return [t for t in fig.data if t.name is not None and re.fullmatch(pattern, t.name)]


def png_chunks(png):
    """[(tag, data)] of a PNG, checking the signature and every CRC."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, pos = [], 8
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        tag, data = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", png[pos + 8 + length : pos + 12 + length])
        assert crc == zlib.crc32(tag + data), f"bad CRC in {tag}"
        chunks.append((tag, data))
        pos += 12 + length
    return chunks


def decode_png(png):
    """(height, width, 3) uint8 of an 8-bit truecolour PNG written with filter 0 (as encode_png does)."""
    chunks = png_chunks(png)
    assert chunks[0][0] == b"IHDR" and chunks[-1][0] == b"IEND"
    width, height, depth, color_type, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert (depth, color_type, interlace) == (8, 2, 0)
    raw = zlib.decompress(b"".join(d for t, d in chunks if t == b"IDAT"))
    rows = np.frombuffer(raw, np.uint8).reshape(height, 1 + 3 * width)
    assert (rows[:, 0] == 0).all()  # filter type 0 on every row
    return rows[:, 1:].reshape(height, width, 3)


def data_url_bytes(url):
    prefix = "data:image/png;base64,"
    assert url.startswith(prefix)
    return base64.b64decode(url[len(prefix) :])


def rgb_of(hex_color):
    return tuple(int(hex_color[i : i + 2], 16) for i in (1, 3, 5))


# --- 1. boundary --------------------------------------------------------------------------------
NX, NY = 30, 20  # different sizes so a transposed z would be caught


@pytest.fixture
def grid():
    xs, ys = np.linspace(-6, 6, NX), np.linspace(-6, 6, NY)
    gx, gy = np.meshgrid(xs, ys)  # (NY, NX), row = x2
    return xs, ys, gx, gy


@pytest.fixture
def points():
    rng = np.random.default_rng(0)
    X = rng.uniform(-5, 5, (40, 2))
    y = (X[:, 0] > 0).astype(int)
    return X, y


def binary_fig(grid, points, **kw):
    xs, ys, gx, _ = grid
    X, y = points
    p = 1 / (1 + np.exp(-gx))
    args = dict(xs=xs, ys=ys, values=p, task="binary", X_train=X, y_train=y) | kw
    return F.boundary_figure(**args)


def test_binary_heatmap_is_the_probability_on_the_grid(grid, points):
    fig = binary_fig(grid, points, title="epoch 12")
    heat = fig.data[0]
    assert heat.type == "heatmap"
    assert heat.z.shape == (NY, NX) and heat.z.dtype == np.float32
    np.testing.assert_allclose(heat.z, 1 / (1 + np.exp(-grid[2])), rtol=1e-6)
    assert (heat.zmin, heat.zmax) == (0, 1)
    assert heat.colorscale[0][1] == F.ORANGE and heat.colorscale[-1][1] == F.BLUE
    assert "P(class 1) = " in heat.hovertemplate
    assert fig.layout.title.text == "epoch 12"


def test_boundary_layout(grid, points):
    fig = binary_fig(grid, points, height=333)
    layout = fig.layout
    assert layout.xaxis.title.text == "x1" and layout.yaxis.title.text == "x2"
    assert tuple(layout.xaxis.range) == (-6, 6) and tuple(layout.yaxis.range) == (-6, 6)
    assert layout.yaxis.scaleanchor == "x" and layout.yaxis.scaleratio == 1
    assert layout.height == 333 and layout.uirevision == "boundary"
    assert "layout" not in json.loads(fig.to_json())["layout"]["template"]  # template="none"


def test_binary_discretize_has_two_levels(grid, points):
    fig = binary_fig(grid, points, discretize=True)
    heat = fig.data[0]
    assert set(np.unique(heat.z).tolist()) == {0.0, 1.0}
    np.testing.assert_array_equal(heat.z, (1 / (1 + np.exp(-grid[2])) > 0.5).astype(np.float32))
    assert "customdata" in heat.hovertemplate  # the probability is still shown on hover
    assert heat.customdata.shape == (NY, NX)


def test_class_points_are_one_trace_per_class_with_white_outline(grid, points):
    fig = binary_fig(grid, points)
    scatters = [t for t in fig.data if t.type == "scatter"]
    assert [t.name for t in scatters] == ["class 0", "class 1"]
    X, y = points
    for c, trace in enumerate(scatters):
        np.testing.assert_array_equal(trace.x, X[y == c, 0])
        np.testing.assert_array_equal(trace.y, X[y == c, 1])
        assert trace.marker.line.color == "white"
        assert trace.marker.color == F.CLASS_COLORS[c]
    assert F.CLASS_COLORS[:2] == (F.ORANGE, F.BLUE)


def test_test_points_only_when_show_test_with_black_outline(grid, points):
    X, y = points
    hidden = binary_fig(grid, points, X_test=X[:5], y_test=y[:5])
    assert not traces_named(hidden, r".*\(test\)")
    shown = binary_fig(grid, points, X_test=X[:5], y_test=y[:5], show_test=True)
    test_traces = traces_named(shown, r"class \d \(test\)")
    assert [t.name for t in test_traces] == ["class 0 (test)", "class 1 (test)"]
    assert all(t.marker.line.color == "black" for t in test_traces)
    assert sum(len(t.x) for t in test_traces) == 5


def test_multiclass_z_encodes_argmax_and_confidence(grid, points):
    xs, ys, gx, gy = grid
    rng = np.random.default_rng(1)
    logits = rng.normal(size=(NY, NX, 3)) * 3
    probs = np.exp(logits) / np.exp(logits).sum(axis=2, keepdims=True)
    probs[0, 0] = 1 / 3  # a uniform guess -> the tint (confidence 0)
    probs[0, 1] = [0, 0, 1]  # certain -> full colour
    X, _ = points
    y = np.arange(len(X)) % 3
    fig = F.boundary_figure(xs=xs, ys=ys, values=probs, task="multiclass", X_train=X, y_train=y, n_classes=3)
    heat = fig.data[0]
    assert heat.z.shape == (NY, NX)
    np.testing.assert_array_equal(np.floor(heat.z).astype(int), probs.argmax(axis=2))
    frac = heat.z - np.floor(heat.z)
    assert frac[0, 0] == pytest.approx(0, abs=1e-6) and frac[0, 1] == pytest.approx(0.999, abs=1e-6)
    assert (heat.zmin, heat.zmax) == (0, 3)
    np.testing.assert_array_equal(heat.customdata[..., 0], probs.argmax(axis=2))
    np.testing.assert_allclose(heat.customdata[..., 1], probs.max(axis=2), rtol=1e-6)
    assert "class %{customdata[0]" in heat.hovertemplate
    assert [t.name for t in fig.data[1:]] == ["class 0", "class 1", "class 2"]

    discrete = F.boundary_figure(
        xs=xs, ys=ys, values=probs, task="multiclass", X_train=X, y_train=y, discretize=True
    )
    dz = discrete.data[0].z
    np.testing.assert_array_equal(np.floor(dz).astype(int), probs.argmax(axis=2))
    np.testing.assert_allclose(dz - np.floor(dz), 0.999, atol=1e-5)  # all at full colour


def test_class_colorscale_bands_fade_from_tint_to_class_colour():
    scale = F.class_colorscale(5)
    positions = [p for p, _ in scale]
    assert positions == sorted(positions) and positions[0] == 0 and positions[-1] == 1
    for c in range(5):
        tint = dict(scale)[c / 5]
        full = next(col for p, col in scale if c / 5 < p < (c + 1) / 5)
        assert full == "rgb({}, {}, {})".format(*rgb_of(F.CLASS_COLORS[c]))
        assert sum(map(int, re.findall(r"\d+", tint))) > sum(rgb_of(F.CLASS_COLORS[c]))  # lighter
    assert len(set(F.CLASS_COLORS)) >= 5


def test_regression_heatmap_is_centred_on_zero(grid, points):
    xs, ys, gx, gy = grid
    X, _ = points
    targets = X[:, 0] * 0.5
    fig = F.boundary_figure(xs=xs, ys=ys, values=gx / 2, task="regression", X_train=X, y_train=targets)
    heat = fig.data[0]
    assert heat.zmid == 0 and heat.zmin == -heat.zmax and heat.zmax >= 3
    assert heat.showscale is not False and heat.colorbar is not None
    (train,) = fig.data[1:]
    assert train.name == "train" and train.marker.line.color == "white"
    np.testing.assert_allclose(train.marker.color, targets)
    assert (train.marker.cmin, train.marker.cmax) == (heat.zmin, heat.zmax)  # same colours as the map

    discrete = F.boundary_figure(
        xs=xs, ys=ys, values=gx + 0.1, task="regression", X_train=X, y_train=targets, discretize=True
    )
    assert len(np.unique(discrete.data[0].z)) == 2  # the sign only


def test_regression_test_points(grid, points):
    xs, ys, gx, _ = grid
    X, _ = points
    fig = F.boundary_figure(
        xs=xs, ys=ys, values=gx, task="regression", X_train=X, y_train=X[:, 0], X_test=X[:3],
        y_test=X[:3, 1], show_test=True,
    )  # fmt: skip
    assert [t.name for t in fig.data[1:]] == ["train", "test"]
    assert fig.data[2].marker.line.color == "black"


@pytest.mark.parametrize("task", ["binary", "multiclass", "regression"])
def test_non_finite_values_never_reach_the_figure(grid, points, task):
    xs, ys, gx, _ = grid
    X, y = points
    values = np.full((NY, NX, 3), 1 / 3) if task == "multiclass" else 1 / (1 + np.exp(-gx))
    values[0, 0], values[1, 1], values[2, 2] = np.nan, np.inf, -np.inf
    X = X.copy()
    X[0, 0] = np.nan
    targets = X[:, 1].copy() if task == "regression" else y
    fig = F.boundary_figure(
        xs=xs, ys=ys, values=values, task=task, X_train=X, y_train=targets, X_test=X, y_test=targets,
        show_test=True, discretize=task == "binary",
    )  # fmt: skip
    assert_all_finite(fig)
    assert sum(len(t.x) for t in fig.data[1:]) == 2 * (len(X) - 1)  # the NaN row is dropped


def test_boundary_without_points_and_bad_task(grid):
    xs, ys, gx, _ = grid
    fig = F.boundary_figure(xs=xs, ys=ys, values=gx * 0, task="binary", X_train=np.zeros((0, 2)), y_train=[])
    assert [t.name for t in fig.data[1:]] == ["class 0", "class 1"]
    with pytest.raises(ValueError, match="task"):
        F.boundary_figure(xs=xs, ys=ys, values=gx, task="ranking", X_train=None, y_train=None)


# --- 2. loss ------------------------------------------------------------------------------------
def history(n, *, classification=True, val=True):
    return [
        {
            "epoch": e,
            "train_loss": 1 / e,
            "val_loss": 1.2 / e if val else None,
            "train_accuracy": 1 - 0.5 / e if classification else None,
            "val_accuracy": (1 - 0.6 / e if val else None) if classification else None,
        }
        for e in range(1, n + 1)
    ]


def test_loss_figure_classification():
    fig = F.loss_figure(history(5), task="binary")
    by_name = {t.name: t for t in fig.data}
    assert set(by_name) == {"train loss", "test loss", "train accuracy", "test accuracy"}
    np.testing.assert_array_equal(by_name["train loss"].x, [1, 2, 3, 4, 5])
    np.testing.assert_allclose(by_name["train loss"].y, [1 / e for e in range(1, 6)])
    np.testing.assert_allclose(by_name["test loss"].y, [1.2 / e for e in range(1, 6)])
    np.testing.assert_allclose(by_name["test accuracy"].y, [1 - 0.6 / e for e in range(1, 6)])
    for name in ("train accuracy", "test accuracy"):
        assert by_name[name].yaxis == "y2" and by_name[name].line.dash == "dash"
    assert by_name["train loss"].yaxis in (None, "y")
    assert tuple(fig.layout.yaxis2.range) == (0, 1)
    assert fig.layout.hovermode == "x unified"
    assert fig.layout.xaxis.title.text == "epoch" and fig.layout.yaxis.title.text == "loss"


def test_loss_figure_regression_has_no_accuracy_and_skips_none():
    records = history(6, classification=False)
    records[2]["val_loss"] = None
    records[3]["val_loss"] = float("nan")
    fig = F.loss_figure(records, task="regression")
    by_name = {t.name: t for t in fig.data}
    assert set(by_name) == {"train loss", "test loss"}
    np.testing.assert_array_equal(by_name["test loss"].x, [1, 2, 5, 6])
    assert_all_finite(fig)


def test_loss_figure_without_validation_data():
    fig = F.loss_figure(history(4, val=False), task="multiclass")
    assert {t.name for t in fig.data} == {"train loss", "train accuracy"}


@pytest.mark.parametrize("task", ["binary", "regression"])
def test_empty_history_gives_axes_and_a_hint(task):
    fig = F.loss_figure([], task=task)
    assert len(fig.data) == 0
    assert any("press Play or Step to train" in a.text for a in fig.layout.annotations)
    assert fig.layout.xaxis.title.text == "epoch" and fig.layout.yaxis.title.text == "loss"


def test_long_history_is_downsampled_keeping_the_last_epoch():
    fig = F.loss_figure(history(5001), task="binary")
    for trace in fig.data:
        assert len(trace.x) <= F.MAX_LOSS_POINTS
        assert trace.x[0] == 1 and trace.x[-1] == 5001
        assert np.all(np.diff(trace.x) > 0)
    assert len(F.downsample(list(range(10)), 3)) == 3 and F.downsample(list(range(10)), 3)[-1] == 9


# --- 3. network ---------------------------------------------------------------------------------
R = 8
W_SMALL = [np.array([[0.5, -1.5, 0.02], [2.0, -0.3, 4.0]]), np.array([[1.0], [-2.5], [0.25]])]
B_SMALL = [np.array([0.1, -0.2, 0.0]), np.array([-0.7])]


def maps_for(sizes, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.uniform(-1, 1, (n, R, R)) for n in sizes]


@pytest.fixture
def small_net():
    sizes = [2, 3, 1]
    return F.network_figure(
        layer_sizes=sizes,
        weights=W_SMALL,
        biases=B_SMALL,
        feature_names=["x1", "x2"],
        neuron_maps=maps_for(sizes),
    )


def unit_positions(fig):
    """{unit name: (x, y)} from the invisible hover squares over the thumbnails."""
    (units,) = traces_named(fig, "units")
    names = [re.match(r"<b>(.*?)</b>", t).group(1) for t in units.hovertext]
    return {n: (int(x), int(y)) for n, x, y in zip(names, units.x, units.y)}


def link_shapes(fig):
    return [s for s in fig.layout.shapes if s.name.startswith("links")]


def bias_shapes(fig):
    return {s.name: s for s in fig.layout.shapes if s.name.startswith("biases")}


def link_shape(fig, src, dst):
    """The link shape whose path holds the segment src -> dst."""
    pos = unit_positions(fig)
    (x0, y0), (x1, y1) = pos[src], pos[dst]
    segment = f"M{x0},{y0}L{x1},{y1}"
    found = [s for s in link_shapes(fig) if re.search(re.escape(segment) + r"(?![\d.])", s.path)]
    assert len(found) == 1, f"{segment} in {len(found)} shapes"
    return found[0]


def test_network_has_one_thumbnail_per_unit(small_net):
    images = small_net.layout.images
    assert len(images) == 2 + 3 + 1
    for image in images:
        pixels = decode_png(data_url_bytes(image.source))
        assert pixels.shape == (R, R, 3)
        assert image.xref == "x" and image.yref == "y"
    # each thumbnail is centred on its unit
    centres = [(im.x + im.sizex / 2, im.y - im.sizey / 2) for im in images]
    np.testing.assert_allclose(centres, list(unit_positions(small_net).values()), atol=1e-3)


def test_network_link_hover_texts_hold_every_weight(small_net):
    (hover,) = traces_named(small_net, "link hover")
    expected = {
        f"w = {W_SMALL[0][j, k]:.3g} ({src} → h1.{k + 1})"
        for j, src in enumerate(["x1", "x2"])
        for k in range(3)
    } | {f"w = {W_SMALL[1][j, 0]:.3g} (h1.{j + 1} → output)" for j in range(3)}
    assert set(hover.hovertext) == expected
    assert "w = 4 (x2 → h1.3)" in hover.hovertext


def test_network_links_width_by_magnitude_colour_by_sign(small_net):
    shapes = link_shapes(small_net)
    assert 1 <= len(shapes) <= 10
    assert sum(s.path.count("M") for s in shapes) == 2 * 3 + 3 * 1  # every weight drawn once
    widths = [s.line.width for s in shapes]
    assert widths == sorted(widths)  # thick links drawn last, on top, whatever their sign
    strong, medium, weak = (
        link_shape(small_net, *ends) for ends in [("x2", "h1.3"), ("x2", "h1.1"), ("x1", "h1.3")]
    )
    assert strong.line.width == 8 and weak.line.width == 1
    assert weak.line.width < medium.line.width < strong.line.width
    blue, orange = ", ".join(map(str, rgb_of(F.BLUE))), ", ".join(map(str, rgb_of(F.ORANGE)))
    assert blue in strong.line.color
    assert orange in link_shape(small_net, "x1", "h1.2").line.color  # w = -1.5
    assert orange in link_shape(small_net, "h1.2", "output").line.color  # w = -2.5


def test_link_width_buckets_clip_outliers():
    w = np.r_[np.linspace(-1, 1, 199), 1000.0]
    bucket, widths = F.link_width_buckets(w)
    assert widths[0] == 1 and widths[-1] == 8 and np.all(np.diff(widths) > 0)
    assert bucket[-1] == 4 and bucket[0] == 4  # |w| = 1 is already near the clip, not a hairline
    assert bucket[99] == 0
    _, dense = F.link_width_buckets(w, density=64 * 64)  # 64 x 64 links: thinner, or a solid band
    assert dense[0] < 1 and dense[-1] <= 2 and np.all(np.diff(dense) > 0)


def test_network_bias_markers_for_every_non_input_unit(small_net):
    (biases,) = traces_named(small_net, "biases")
    assert len(biases.x) == 3 + 1
    assert biases.hovertext[-1] == "output<br>bias = -0.7"  # the output bias is shown too
    assert biases.hovertext[0] == "h1.1<br>bias = 0.1"
    assert biases.marker.symbol == "square" and biases.marker.color == "rgba(0, 0, 0, 0)"  # hover only
    # Drawn as two filled shapes by sign (B_SMALL's biases: 0.1, -0.2, 0.3 | -0.7): squares at the
    # hover markers' centres.
    shapes = bias_shapes(small_net)
    assert shapes["biases b >= 0"].fillcolor == F.BLUE and shapes["biases b < 0"].fillcolor == F.ORANGE
    assert shapes["biases b >= 0"].path.count("M") == 2 and shapes["biases b < 0"].path.count("M") == 2
    meta = small_net.layout.meta
    np.testing.assert_allclose(meta["bias_x"], biases.x)
    np.testing.assert_allclose(meta["bias_y"], biases.y)
    hx, hy = meta["bias_half"]
    first = f"M{biases.x[0] - hx:.4g},{biases.y[0] - hy:.4g}H{biases.x[0] + hx:.4g}"
    assert shapes["biases b >= 0"].path.startswith(first)  # h1.1 (b = 0.1) is the first positive one


def test_network_unit_hover_and_labels(small_net):
    (units,) = traces_named(small_net, "units")
    assert list(unit_positions(small_net)) == ["x1", "x2", "h1.1", "h1.2", "h1.3", "output"]
    assert "bias" not in units.hovertext[0] and "bias = -0.2" in units.hovertext[3]
    assert "output" in units.hovertext[-1] and "bias = -0.7" in units.hovertext[-1]
    assert [a.text for a in small_net.layout.annotations] == ["input", "hidden 1", "output"]
    assert any(t.mode == "text" and list(t.text) == ["x1", "x2"] for t in small_net.data)
    layout = small_net.layout
    assert layout.showlegend is False and layout.uirevision == "network"
    assert layout.xaxis.visible is False and layout.yaxis.visible is False


def test_eight_hidden_layers_get_column_titles_that_fit_their_columns():
    """Issue 14: "hidden 1hidden 2..." ran together over 8 hidden layers."""
    sizes = [2] + [3] * 8 + [1]
    fig = F.network_figure(
        layer_sizes=sizes,
        weights=[np.zeros((a, b)) for a, b in zip(sizes, sizes[1:], strict=False)],
        biases=[np.zeros(b) for b in sizes[1:]],
        feature_names=["x1", "x2"],
        neuron_maps=maps_for(sizes),
    )
    titles = [a.text for a in fig.layout.annotations]
    assert titles == ["input"] + [f"h{i}" for i in range(1, 9)] + ["output"]


def test_network_thumbnails_share_a_per_layer_scale_and_put_high_x2_on_top():
    sizes = [2, 3, 1]
    maps = maps_for(sizes)
    maps[1] = np.stack([np.full((R, R), 2.0), np.full((R, R), -1.0), np.zeros((R, R))])
    maps[0][1] = np.linspace(-1, 1, R)[:, None] * np.ones((1, R))  # x2 grows with the row index
    fig = F.network_figure(
        layer_sizes=sizes, weights=W_SMALL, biases=B_SMALL, feature_names=["x1", "x2"], neuron_maps=maps
    )
    pixels = [decode_png(data_url_bytes(im.source)) for im in fig.layout.images]
    hidden = [p[0, 0].astype(int) for p in pixels[2:5]]
    light, orange = np.array(rgb_of(F.LIGHT)), np.array(rgb_of(F.ORANGE))
    np.testing.assert_array_equal(hidden[0], rgb_of(F.BLUE))  # 2 = the layer's max |value|
    np.testing.assert_allclose(hidden[1], (light + orange) / 2, atol=3)  # -1 = half way to orange
    np.testing.assert_array_equal(hidden[2], rgb_of(F.LIGHT))  # 0
    x2 = pixels[1]
    np.testing.assert_array_equal(x2[0, 0], rgb_of(F.BLUE))  # top row = highest x2
    np.testing.assert_array_equal(x2[-1, 0], rgb_of(F.ORANGE))


def test_wide_network_stays_small_and_fits():
    sizes = [2, 64, 64, 64, 1]
    rng = np.random.default_rng(0)
    weights = [rng.normal(size=(a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
    biases = [rng.normal(size=n) for n in sizes[1:]]
    fig = F.network_figure(
        layer_sizes=sizes,
        weights=weights,
        biases=biases,
        feature_names=["x1", "x2"],
        neuron_maps=maps_for(sizes),
    )
    assert len(fig.layout.images) == sum(sizes)
    assert len(link_shapes(fig)) <= 10 and len(fig.data) <= 5  # links: shapes; no per-link hover
    assert not traces_named(fig, "link hover")
    assert sum(s.path.count("M") for s in link_shapes(fig)) == sum(
        a * b for a, b in zip(sizes[:-1], sizes[1:])
    )
    assert fig.layout.height == 26 * 64
    spacing = 2  # between neighbouring units, in y units
    assert all(im.sizey < spacing for im in fig.layout.images)  # thumbnails do not overlap
    assert len(traces_named(fig, "biases")[0].x) == 64 * 3 + 1
    ys = [y for _, y in unit_positions(fig).values()]
    assert min(ys) > fig.layout.yaxis.range[0] and max(ys) < fig.layout.yaxis.range[1]


def test_network_height_can_be_given_and_output_names_label_the_outputs():
    sizes = [3, 2, 3]
    rng = np.random.default_rng(2)
    fig = F.network_figure(
        layer_sizes=sizes,
        weights=[rng.normal(size=(3, 2)), rng.normal(size=(2, 3))],
        biases=[np.zeros(2), np.zeros(3)],
        feature_names=["x1", "x2", "sin(x1)"],
        neuron_maps=maps_for(sizes),
        output_names=["class 0", "class 1", "class 2"],
        height=500,
    )
    assert fig.layout.height == 500
    assert list(unit_positions(fig))[-3:] == ["class 0", "class 1", "class 2"]
    assert any(t.mode == "text" and list(t.text) == ["class 0", "class 1", "class 2"] for t in fig.data)


def test_network_sanitises_non_finite_values():
    sizes = [2, 3, 1]
    weights = [W_SMALL[0].copy(), W_SMALL[1].copy()]
    weights[0][0, 0], weights[1][1, 0] = np.nan, np.inf
    maps = maps_for(sizes)
    maps[1][0, 0, 0], maps[2][0] = np.nan, 0.0  # an all-zero layer: max |value| = 0
    fig = F.network_figure(
        layer_sizes=sizes, weights=weights, biases=[np.array([np.nan, 0, 1]), np.array([-np.inf])],
        feature_names=["x1", "x2"], neuron_maps=maps,
    )  # fmt: skip
    assert_all_finite(fig)
    texts = [t for trace in fig.data if trace.hovertext is not None for t in trace.hovertext]
    assert not [t for t in texts if re.search(r"nan|inf", t)]
    assert not [s.path for s in fig.layout.shapes if re.search(r"nan|inf", s.path)]  # links and biases


def test_network_rejects_inconsistent_shapes():
    sizes = [2, 3, 1]
    kw = dict(layer_sizes=sizes, weights=W_SMALL, biases=B_SMALL, feature_names=["x1", "x2"])
    with pytest.raises(ValueError, match="neuron_maps"):
        F.network_figure(**kw, neuron_maps=maps_for(sizes)[:2])
    with pytest.raises(ValueError, match=r"weights\[1\]"):
        F.network_figure(**kw | dict(weights=[W_SMALL[0], W_SMALL[1].T]), neuron_maps=maps_for(sizes))
    with pytest.raises(ValueError, match="feature_names"):
        F.network_figure(**kw | dict(feature_names=["x1"]), neuron_maps=maps_for(sizes))


# --- PNG encoder --------------------------------------------------------------------------------
def test_encode_png_is_a_valid_png():
    rgb = np.random.default_rng(0).integers(0, 256, (3, 5, 3), dtype=np.uint8)
    png = F.encode_png(rgb)
    chunks = png_chunks(png)
    assert [t for t, _ in chunks] == [b"IHDR", b"IDAT", b"IEND"]
    width, height, depth, color_type = struct.unpack(">IIBB", chunks[0][1][:10])
    assert (width, height, depth, color_type) == (5, 3, 8, 2)
    np.testing.assert_array_equal(decode_png(png), rgb)
    assert data_url_bytes(F.png_data_url(rgb)) == png
    with pytest.raises(ValueError, match="rgb"):
        F.encode_png(np.zeros((4, 4)))


def test_encode_png_decodes_with_pillow():
    Image = pytest.importorskip("PIL.Image")
    import io

    rgb = np.random.default_rng(1).integers(0, 256, (7, 4, 3), dtype=np.uint8)
    with Image.open(io.BytesIO(F.encode_png(rgb))) as image:
        assert image.size == (4, 7) and image.mode == "RGB"
        np.testing.assert_array_equal(np.asarray(image), rgb)


# --- 4. weights ---------------------------------------------------------------------------------
def test_weights_figure_one_w_and_one_b_heatmap_per_layer():
    rng = np.random.default_rng(0)
    sizes = [2, 4, 3, 1]
    weights = [rng.normal(size=(a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
    biases = [rng.normal(size=n) for n in sizes[1:]]
    biases[1][0] = 7.5  # the largest |value| overall: sets the shared range
    fig = F.weights_figure(weights, biases)
    w_maps, b_maps = traces_named(fig, r"W\d"), traces_named(fig, r"b\d")
    assert [t.name for t in w_maps] == ["W1", "W2", "W3"] and [t.name for t in b_maps] == ["b1", "b2", "b3"]
    for W, b, wt, bt in zip(weights, biases, w_maps, b_maps):
        assert wt.z.shape == W.shape and bt.z.shape == (1, len(b))
        np.testing.assert_allclose(wt.z, W, rtol=1e-6)
    for trace in fig.data:
        assert trace.zmid == 0 and (trace.zmin, trace.zmax) == pytest.approx((-7.5, 7.5))
    assert sum(bool(t.showscale) for t in fig.data) == 1
    titles = [a.text for a in fig.layout.annotations]
    assert titles[:3] == ["W1 (2×4)", "W2 (4×3)", "W3 (3×1)"] and "b1" in titles
    assert w_maps[0].hovertemplate.startswith("W1[%{y}, %{x}] = ")
    assert b_maps[0].hovertemplate.startswith("b1[%{x}] = ")
    assert fig.layout.height == 260


def test_weights_figure_sanitises_and_handles_no_layers():
    fig = F.weights_figure([np.array([[np.nan, 1.0]])], [np.array([np.inf, 0.0])])
    assert_all_finite(fig)
    empty = F.weights_figure([], [])
    assert len(empty.data) == 0 and math.isclose(empty.layout.height, 260)


def test_network_figure_centers_shift_the_neutral_colour_only():
    """A sigmoid unit at 0.5 everywhere with centre 0.5 is drawn like a unit at 0 with centre 0,
    while its hover still reports the raw 0.5."""
    common = dict(layer_sizes=[1, 1], weights=[np.ones((1, 1))], biases=[np.zeros(1)], feature_names=["x1"])
    maps = [np.zeros((1, 4, 4)), np.full((1, 4, 4), 0.5)]
    half = F.network_figure(neuron_maps=maps, centers=[0, 0.5], **common)
    zero = F.network_figure(neuron_maps=[np.zeros((1, 4, 4))] * 2, **common)
    assert half.layout.images[1].source == zero.layout.images[1].source
    hover = " ".join(" ".join(t.hovertext) for t in half.data if t.hovertext is not None)
    assert "output: 0.5 … 0.5" in hover
