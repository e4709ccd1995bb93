"""Plotly figure builders for the playground page: decision boundary, loss curves, network, weights.

Every builder takes NumPy arrays and plain Python values and returns a ``go.Figure``; nothing here
imports Streamlit, pandas or nn_core, so the figures can be built and tested without a running app.

Colours follow TensorFlow Playground: orange ``#f59322`` is -1 / class 0, light grey ``#e8eaeb`` is 0
(undecided), blue ``#0877bd`` is +1 / class 1. The same diverging scale shades the boundary, the neuron
thumbnails, the links of the network and the weight matrices, so one legend explains them all.

Speed and payload (the page redraws several times a second): heatmaps get float32 arrays (plotly
serialises them as base64 typed arrays), ``template="none"`` leaves the ~7 KiB default template out
of every update, and the network view draws its thousands of links as at most ten path shapes.
"""

import base64
import struct
import zlib

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

ORANGE = "#f59322"  # -1, class 0
LIGHT = "#e8eaeb"  # 0, undecided
BLUE = "#0877bd"  # +1, class 1
DIVERGING = ((0.0, ORANGE), (0.5, LIGHT), (1.0, BLUE))

# Classes 0 and 1 keep TF Playground's orange and blue so a binary and a 2-class softmax model look
# alike; the rest are chosen to stay apart from those two and from each other (and from grey).
CLASS_COLORS = ("#f59322", "#0877bd", "#2ca02c", "#9467bd", "#d62728", "#17becf", "#8c564b", "#e377c2")

HEAT_OPACITY = 0.8  # TF Playground draws the boundary at alpha 160/255: the data points stand out on it
POINT_SIZE = 7
MAX_LOSS_POINTS = 2000
MAX_HOVER_LINKS = 2000  # above this the per-link hover markers would dominate the payload
THUMB_MAX_PX = 48
_TASKS = ("binary", "multiclass", "regression")


# --- small helpers ------------------------------------------------------------------------------
def _hex_rgb(color):
    """``"#rrggbb"`` -> (r, g, b) ints."""
    return tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))


def _rgba(color, alpha):
    r, g, b = _hex_rgb(color)
    return f"rgba({r}, {g}, {b}, {alpha:.2f})"


def _rgb(color):
    return "rgb({}, {}, {})".format(*_hex_rgb(color))


def _mix(color, other, t):
    """``color`` moved a fraction ``t`` of the way toward ``other``, as ``"rgb(r, g, b)"``."""
    a, b = np.array(_hex_rgb(color), float), np.array(_hex_rgb(other), float)
    r, g, bl = np.rint(a + t * (b - a)).astype(int)
    return f"rgb({r}, {g}, {bl})"


def _diverging_lut(n=65):
    """(n, 3) uint8: orange -> light grey -> blue, the thumbnails' palette (index 0 = -1, n-1 = +1)."""
    t = np.linspace(-1.0, 1.0, n)[:, None]
    orange, light, blue = (np.array(_hex_rgb(c), float) for c in (ORANGE, LIGHT, BLUE))
    rgb = np.where(t < 0, light + (-t) * (orange - light), light + t * (blue - light))
    lut = np.rint(rgb).astype(np.uint8)
    lut.setflags(write=False)  # a module constant: nobody may change it
    return lut


_LUT = _diverging_lut()


def _finite(a, *, dtype=np.float64):
    """``a`` as a float array with NaN -> 0 and +-inf -> +-(largest finite |value|, or 1).

    Charts must never receive NaN/inf: plotly.js silently drops them or breaks the colour range.
    """
    a = np.asarray(a, dtype=np.float64)
    ok = np.isfinite(a)
    if not ok.all():
        big = float(np.abs(a[ok]).max()) if ok.any() else 1.0
        a = np.nan_to_num(a, nan=0.0, posinf=big, neginf=-big)
    if dtype == np.float32:
        a = np.clip(a, -3e38, 3e38)  # float32 overflows to inf above ~3.4e38
    return a.astype(dtype, copy=False)


def _abs_max(*arrays):
    """Largest |value| over the arrays, 1.0 if they are empty or all zero (a colour range needs > 0)."""
    m = max((float(np.abs(a).max()) for a in arrays if np.size(a)), default=0.0)
    return m if m > 0 else 1.0


# --- PNG encoding (for the network thumbnails; no PIL dependency) -------------------------------
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _png_chunk(tag, data):
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))


def encode_png(rgb):
    """PNG bytes (8-bit truecolour) of an image ``rgb (height, width, 3)`` uint8; row 0 is the top.

    Filter type 0 ("none") on every row and zlib level 6. (A palette PNG was tried: for the smooth
    maps of a network its 65-colour PLTE chunk made it ~15 % larger, not smaller.)
    """
    rgb = np.ascontiguousarray(rgb, dtype=np.uint8)
    if rgb.ndim != 3 or rgb.shape[2] != 3 or 0 in rgb.shape:
        raise ValueError(f"rgb must have shape (height, width, 3) with height, width >= 1; got {rgb.shape}")
    h, w, _ = rgb.shape
    raw = np.zeros((h, 1 + 3 * w), np.uint8)  # a leading 0 byte per row: filter "none"
    raw[:, 1:] = rgb.reshape(h, 3 * w)
    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)  # 8 bits, colour type 2 = RGB
    chunks = [(b"IHDR", header), (b"IDAT", zlib.compress(raw.tobytes(), 6)), (b"IEND", b"")]
    return _PNG_SIGNATURE + b"".join(_png_chunk(tag, data) for tag, data in chunks)


def png_data_url(rgb):
    """``"data:image/png;base64,..."`` of ``rgb (height, width, 3)`` uint8, for ``layout.images``."""
    return "data:image/png;base64," + base64.b64encode(encode_png(rgb)).decode("ascii")


def _map_rgb(values, m):
    """(..., 3) uint8 colours of ``values`` on the symmetric range [-m, m] (65 shades: compresses well)."""
    t = np.clip(values / m, -1.0, 1.0)
    return _LUT[np.rint((t + 1.0) * (0.5 * (len(_LUT) - 1))).astype(np.intp)]


# --- 1. decision boundary -----------------------------------------------------------------------
def boundary_figure(
    *,
    xs,
    ys,
    values,
    task,
    X_train,
    y_train,
    X_test=None,
    y_test=None,
    show_test=False,
    discretize=False,
    n_classes=2,
    title="",
    height=460,
):
    """The model's output over the plane as a heatmap, with the data points on top.

    xs (nx,), ys (ny,): grid coordinates (x1 horizontal, x2 vertical).
    values: binary (ny, nx) P(class 1); multiclass (ny, nx, k) class probabilities; regression (ny, nx)
    predictions. X_train (n, 2), y_train (n,) int labels or float targets; X_test/y_test likewise,
    drawn only when ``show_test``. ``discretize`` shows the decision only (argmax / sign), not confidence.
    """
    if task not in _TASKS:
        raise ValueError(f"task must be one of {list(_TASKS)}; got {task!r}")
    xs, ys = _finite(xs).ravel(), _finite(ys).ravel()
    train = _clean_points(X_train, y_train)
    test = _clean_points(X_test, y_test) if show_test else None
    if task == "regression":
        heat, scale = _regression_heatmap(xs, ys, values, discretize, train, test)
        points = _regression_points(train, test, scale)
    else:
        if task == "binary":
            heat = _binary_heatmap(xs, ys, values, discretize)
            k = 2
        else:
            heat = _multiclass_heatmap(xs, ys, values, discretize)
            k = np.shape(values)[-1]
        points = _class_points(train, test, max(k, int(n_classes), _max_label(train, test) + 1))
    fig = go.Figure([heat, *points])
    _boundary_layout(fig, xs, ys, title, height)
    return fig


def _clean_points(X, y):
    """(X (n, 2), y (n,)) as float arrays without the rows holding NaN/inf, or empty ones for None."""
    if X is None or y is None:
        return np.zeros((0, 2)), np.zeros(0)
    X = np.asarray(X, dtype=np.float64).reshape(-1, 2)
    y = np.asarray(y, dtype=np.float64).ravel()
    keep = np.isfinite(X).all(axis=1) & np.isfinite(y)
    return X[keep], y[keep]


def _max_label(*point_sets):
    """The largest class label among the points (0 without points): every label gets a legend entry."""
    return int(max((np.rint(y).max() for _, y in filter(None, point_sets) if y.size), default=0))


def _grid_hover(value_line):
    return "x1 = %{x:.2f}<br>x2 = %{y:.2f}<br>" + value_line + "<extra></extra>"


def _binary_heatmap(xs, ys, values, discretize):
    """values (ny, nx) = P(class 1); shade by confidence, or only the side of 0.5 when discretizing."""
    p = np.clip(_finite(values, dtype=np.float32), 0.0, 1.0).reshape(len(ys), len(xs))
    common = dict(x=xs, y=ys, zmin=0.0, zmax=1.0, colorscale=DIVERGING, showscale=False)
    common |= dict(opacity=HEAT_OPACITY, name="P(class 1)")
    if discretize:
        # z holds only 0/1 (full colour); the probability stays available to the hover label.
        z = (p > 0.5).astype(np.float32)
        hover = _grid_hover("P(class 1) = %{customdata:.2f}")
        return go.Heatmap(z=z, customdata=p, hovertemplate=hover, **common)
    return go.Heatmap(z=p, hovertemplate=_grid_hover("P(class 1) = %{z:.2f}"), **common)


def class_colorscale(k):
    """Colorscale for z = class + confidence on [0, k]: each class's band fades from tint to full colour.

    For class c a stop at c/k (near-white tint of its colour) and one just below (c+1)/k (full colour),
    so one heatmap shows both the argmax class (the band) and how sure the model is (the shade).
    """
    scale = []
    for c in range(k):
        color = CLASS_COLORS[c % len(CLASS_COLORS)]
        scale.append([c / k, _mix(color, LIGHT, 0.85)])
        scale.append([(c + 1 - 1e-3) / k, _rgb(color)])
    scale.append([1.0, scale[-1][1]])  # a colorscale must end at exactly 1
    return scale


def _multiclass_heatmap(xs, ys, values, discretize):
    """values (ny, nx, k) probabilities -> z (ny, nx) = argmax + confidence in [0, 1), one colorscale."""
    probs = np.clip(_finite(values), 0.0, 1.0).reshape(len(ys), len(xs), -1)
    k = probs.shape[2]
    cls = probs.argmax(axis=2)
    p_max = probs.max(axis=2)
    # 1/k (a uniform guess) -> 0 = tint, 1 -> full colour; the 0.999 keeps z inside its class band.
    conf = np.ones_like(p_max) if discretize else np.clip((p_max - 1 / k) / (1 - 1 / k), 0.0, 1.0)
    z = (cls + 0.999 * conf).astype(np.float32)
    customdata = np.stack([cls, p_max], axis=2).astype(np.float32)
    return go.Heatmap(
        x=xs,
        y=ys,
        z=z,
        zmin=0.0,
        zmax=float(k),
        colorscale=class_colorscale(k),
        showscale=False,
        opacity=HEAT_OPACITY,
        customdata=customdata,
        hovertemplate=_grid_hover("class %{customdata[0]:.0f}, P = %{customdata[1]:.2f}"),
        name="predicted class",
    )


def _regression_heatmap(xs, ys, values, discretize, train, test):
    """values (ny, nx) predictions on a symmetric range shared with the targets' colours (zmid 0)."""
    v = _finite(values, dtype=np.float32).reshape(len(ys), len(xs))
    targets = [pts[1] for pts in (train, test) if pts is not None]
    m = _abs_max(v, *targets)
    # Discretized: the sign at full strength, on the same [-m, m] scale so the colorbar stays valid.
    z = (np.sign(v) * m).astype(np.float32) if discretize else v
    heat = go.Heatmap(
        x=xs,
        y=ys,
        z=z,
        zmin=-m,
        zmax=m,
        zmid=0.0,
        colorscale=DIVERGING,
        colorbar=dict(title=dict(text="ŷ"), thickness=12, len=0.8),
        opacity=HEAT_OPACITY,
        customdata=v,
        hovertemplate=_grid_hover("ŷ = %{customdata:.3f}"),
        name="prediction",
    )
    return heat, m


def _marker(color, outline):
    return dict(
        size=POINT_SIZE, color=color, line=dict(color=outline, width=1 if outline == "white" else 1.5)
    )


def _class_points(train, test, k):
    """One Scatter per class ("class c"), white outline; test points "class c (test)", black outline."""
    traces = []
    sets = [(train, "", "white")] + ([(test, " (test)", "black")] if test is not None else [])
    for (X, y), suffix, outline in sets:
        labels = np.rint(y).astype(int)
        for c in range(k):
            pts = X[labels == c]
            name = f"class {c}{suffix}"
            traces.append(
                go.Scatter(
                    x=pts[:, 0],
                    y=pts[:, 1],
                    mode="markers",
                    name=name,
                    legendgroup=name,
                    marker=_marker(CLASS_COLORS[c % len(CLASS_COLORS)], outline),
                    hovertemplate=f"{name}<br>x1 = %{{x:.2f}}<br>x2 = %{{y:.2f}}<extra></extra>",
                )
            )
    return traces


def _regression_points(train, test, m):
    """Points coloured by their target on the heatmap's [-m, m] diverging scale."""
    traces = []
    sets = [(train, "train", "white")] + ([(test, "test", "black")] if test is not None else [])
    for (X, y), name, outline in sets:
        marker = _marker(y, outline) | dict(colorscale=DIVERGING, cmin=-m, cmax=m, showscale=False)
        traces.append(
            go.Scatter(
                x=X[:, 0],
                y=X[:, 1],
                mode="markers",
                name=name,
                marker=marker,
                hovertemplate=f"{name}<br>x1 = %{{x:.2f}}<br>x2 = %{{y:.2f}}"
                "<br>y = %{marker.color:.3f}<extra></extra>",
            )
        )
    return traces


def _boundary_layout(fig, xs, ys, title, height):
    x_range = [float(xs.min()), float(xs.max())] if xs.size else [-1.0, 1.0]
    y_range = [float(ys.min()), float(ys.max())] if ys.size else [-1.0, 1.0]
    fig.update_layout(
        template="none",
        height=height,
        uirevision="boundary",  # keeps zoom/legend clicks across updates once Streamlit stops remounting
        title=dict(text=title, x=0.01, xanchor="left", y=0.98, yanchor="top"),
        margin=dict(l=50, r=20, t=70, b=45),
        legend=dict(orientation="h", x=0.0, xanchor="left", y=1.01, yanchor="bottom"),
        xaxis=dict(title=dict(text="x1"), range=x_range, constrain="domain", zeroline=False, showgrid=False),
        yaxis=dict(
            title=dict(text="x2"),
            range=y_range,
            scaleanchor="x",  # equal aspect: a circle in the data looks like a circle
            scaleratio=1,
            constrain="domain",
            zeroline=False,
            showgrid=False,
        ),
    )


# --- 2. loss curves -----------------------------------------------------------------------------
_LOSS_SERIES = (
    ("train_loss", "train loss", "#777777", "solid", False),
    ("val_loss", "test loss", "#111111", "solid", False),
    ("train_accuracy", "train accuracy", "#777777", "dash", True),
    ("val_accuracy", "test accuracy", "#111111", "dash", True),
)


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


def loss_figure(history, *, task, height=300):
    """Train/test loss per epoch; train/test accuracy on a secondary axis for classification.

    history: list of dicts with keys epoch, train_loss, val_loss, train_accuracy, val_accuracy (the
    values but epoch may be None). Longer than 2000 records -> evenly downsampled, the last epoch kept.
    """
    classification = task != "regression"
    fig = make_subplots(specs=[[{"secondary_y": True}]]) if classification else go.Figure()
    records = downsample(list(history or []))
    for key, name, color, dash, secondary in _LOSS_SERIES:
        if secondary and not classification:
            continue
        epochs, values = _series(records, key)
        if not epochs.size:
            continue
        fmt = "%{y:.2%}" if secondary else "%{y:.4g}"
        trace = go.Scatter(
            x=epochs,
            y=values,
            mode="lines",
            name=name,
            line=dict(color=color, dash=dash, width=2 if not secondary else 1.5),
            hovertemplate=fmt,
        )
        if classification:
            fig.add_trace(trace, secondary_y=secondary)
        else:
            fig.add_trace(trace)
    _loss_layout(fig, classification, height, empty=not records)
    return fig


def _loss_layout(fig, classification, height, *, empty):
    fig.update_layout(
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
        accuracy_axis = dict(range=[0, 1], tickmode="linear", tick0=0, dtick=0.25, tickformat=".0%")
        fig.update_layout(yaxis2=dict(title=dict(text="accuracy"), showgrid=False, **accuracy_axis))
    if empty:
        fig.add_annotation(
            text="press Play or Step to train", xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False
        )


# --- 3. network ---------------------------------------------------------------------------------
def network_figure(
    *, layer_sizes, weights, biases, feature_names, neuron_maps, output_names=None, centers=None, height=None
):
    """TensorFlow Playground's network view: every unit as a thumbnail of what it computes, every
    weight as a link (colour = sign, width ~ |w|), every bias as a small square.

    Links are ``layout.shapes`` (one SVG path per sign x width bucket, <= 10 in all), thumbnails are
    ``layout.images`` (one PNG per unit); hover comes from invisible markers (``fig.data``).

    layer_sizes [n_0, ..., n_L]; weights[i] (n_i, n_{i+1}); biases[i] (n_{i+1},);
    neuron_maps[l] (n_l, r, r): unit outputs over the plane on an r x r grid, row 0 = lowest x2;
    feature_names: n_0 names of the input units; output_names: optional n_L names of the outputs.
    centers: optional per-layer value drawn as the neutral colour (0.5 for sigmoid/softmax units,
    whose outputs lie in [0, 1]); 0 by default. Hover always shows the raw values.
    """
    sizes = [int(n) for n in layer_sizes]
    weights = [_finite(w) for w in weights]
    biases = [_finite(b) for b in biases]
    _check_network(sizes, weights, biases, feature_names, neuron_maps, output_names)
    geo = _Geometry(sizes, height, feature_names, output_names)
    names = _unit_names(sizes, feature_names, output_names)
    maps = [_finite(m) for m in neuron_maps]

    links = _links(sizes, weights, geo)
    traces = [_link_hover_trace(links, names)] if len(links["w"]) <= MAX_HOVER_LINKS else []
    traces += [_bias_trace(biases, names, geo), _unit_hover_trace(maps, biases, names, geo)]
    traces += _label_traces(feature_names, output_names, geo)
    fig = go.Figure(traces)
    density = max(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    centers = [0.0] * len(sizes) if centers is None else [float(c) for c in centers]
    thumbnails = _thumbnails([m - c for m, c in zip(maps, centers)], geo)
    _network_layout(fig, geo, images=thumbnails, shapes=_link_shapes(links, density))
    return fig


def _check_network(sizes, weights, biases, feature_names, neuron_maps, output_names):
    n_layers = len(sizes)
    if n_layers < 2 or min(sizes) < 1:
        raise ValueError(f"layer_sizes must list >= 2 positive sizes; got {sizes}")
    if len(weights) != n_layers - 1 or len(biases) != n_layers - 1:
        raise ValueError(
            f"need {n_layers - 1} weight matrices and bias vectors; got {len(weights)}, {len(biases)}"
        )
    for i, (w, b) in enumerate(zip(weights, biases)):
        if w.shape != (sizes[i], sizes[i + 1]):
            raise ValueError(f"weights[{i}] must have shape ({sizes[i]}, {sizes[i + 1]}); got {w.shape}")
        if b.shape != (sizes[i + 1],):
            raise ValueError(f"biases[{i}] must have shape ({sizes[i + 1]},); got {b.shape}")
    if len(neuron_maps) != n_layers:
        raise ValueError(f"neuron_maps needs one entry per layer ({n_layers}); got {len(neuron_maps)}")
    for lay, (m, n) in enumerate(zip(neuron_maps, sizes)):
        if np.ndim(m) != 3 or np.shape(m)[0] != n:
            raise ValueError(f"neuron_maps[{lay}] must have shape ({n}, r, r); got {np.shape(m)}")
    if len(feature_names) != sizes[0]:
        raise ValueError(f"feature_names must have {sizes[0]} names; got {list(feature_names)}")
    if output_names is not None and len(output_names) != sizes[-1]:
        raise ValueError(f"output_names must have {sizes[-1]} names; got {list(output_names)}")


class _Geometry:
    """Where everything goes, in data coordinates that keep all link coordinates small integers.

    Column (layer) l sits at x = l. Unit j of an n-unit column sits at y = (n - 1) - 2j: one unit per
    2 y-units, centred on 0, so every y is an integer and the JSON of ~30k links stays compact. The x
    axis is tied to the y axis (``scaleanchor``) so both map to pixels at known ratios: thumbnails
    are square and the bias squares land exactly beside them, whatever width the page gives.
    """

    MARGIN_TOP, MARGIN_BOTTOM = 34, 6

    def __init__(self, sizes, height, feature_names, output_names):
        self.sizes = sizes
        self.n_max = max(sizes)
        self.height = int(height) if height else max(360, 26 * self.n_max)
        plot_px = max(self.height - self.MARGIN_TOP - self.MARGIN_BOTTOM, 50)
        self.px_per_y = plot_px / (2 * self.n_max)  # the y range is [-n_max, n_max]
        # Thumbnail: 75 % of the vertical spacing (2 y-units) so 64 units still fit, at most 48 px.
        self.thumb_px = min(0.75 * 2 * self.px_per_y, THUMB_MAX_PX)
        self.col_px = float(np.clip(720 / len(sizes), 70, 160))  # nominal column spacing
        self.ratio = self.col_px / self.px_per_y  # 1 x-unit = ratio y-units on screen
        self.thumb_y = self.thumb_px / self.px_per_y
        self.thumb_x = self.thumb_px / self.col_px
        self.bias_px = max(4.0, 0.3 * self.thumb_px)
        self.left_label_px = 8 + 7 * max(len(str(n)) for n in feature_names)
        self.right_label_px = 8 + 7 * max(len(str(n)) for n in output_names) if output_names else 4

    def unit_y(self, layer):
        """(n_layer,) int y of the units of ``layer``, top to bottom."""
        n = self.sizes[layer]
        return (n - 1) - 2 * np.arange(n)

    def x_range(self):
        left = -self.thumb_x / 2 - (self.left_label_px + self.bias_px + 4) / self.col_px
        right = len(self.sizes) - 1 + self.thumb_x / 2 + self.right_label_px / self.col_px
        return [left, right]


def _unit_names(sizes, feature_names, output_names):
    """names[l][j]: "x1" (inputs), "h2.3" (hidden layer 2, unit 3), "output" / output_names (last)."""
    names = [[str(n) for n in feature_names]]
    names += [[f"h{lay}.{j + 1}" for j in range(n)] for lay, n in enumerate(sizes[1:-1], start=1)]
    if output_names is not None:
        names.append([str(n) for n in output_names])
    else:
        names.append(["output"] if sizes[-1] == 1 else [f"output {j + 1}" for j in range(sizes[-1])])
    return names


def _links(sizes, weights, geo):
    """Every weight as a link, flattened over the layers: dict of (n_links,) arrays."""
    parts = {key: [] for key in ("w", "layer", "j", "k", "y0", "y1")}
    for i, W in enumerate(weights):
        j, k = np.divmod(np.arange(W.size), W.shape[1])  # row-major, matching W.ravel()
        parts["w"].append(W.ravel())
        parts["layer"].append(np.full(W.size, i))
        parts["j"].append(j)
        parts["k"].append(k)
        parts["y0"].append(geo.unit_y(i)[j])
        parts["y1"].append(geo.unit_y(i + 1)[k])
    return {key: np.concatenate(v) for key, v in parts.items()}


def link_width_buckets(w, n_buckets=5, *, density=64):
    """(bucket (n,) int in [0, n_buckets), widths (n_buckets,) px increasing) for the weights ``w (n,)``.

    |w| is clipped at min(5, 99th percentile of |w|), like TF Playground's clip at 5 but so that one
    huge weight does not turn all the others into hairlines. ``density`` = the most links between two
    adjacent layers: up to TF Playground's 8 x 8 the widths run from 1 to 8 px as there; denser layers
    get thinner lines (64 x 64: 0.5 to 2 px), or their links merge into one solid band.
    """
    a = np.abs(w)
    cap = min(5.0, float(np.percentile(a, 99))) if a.size else 1.0
    cap = cap if cap > 0 else 1.0
    bucket = np.rint(np.minimum(a / cap, 1.0) * (n_buckets - 1)).astype(int)
    k = _density_factor(density)
    return bucket, np.linspace(float(np.clip(k, 0.5, 1.0)), float(np.clip(8 * k, 2.0, 8.0)), n_buckets)


def _density_factor(density):
    """1 for layers up to 8 x 8 links, falling as 1/sqrt(links) beyond (1/8 at 64 x 64)."""
    return float(np.clip(np.sqrt(64 / max(density, 1)), 0.125, 1.0))


def _link_path(layer, y0, y1):
    """One SVG path "M0,3L1,-5M0,3L1,-3..." drawing many separate segments (all coordinates are ints).

    A path shape needs no NaN/None gap markers (a None-separated Scatter would: plotly validates and
    deep-copies such lists element by element, ~0.3 s for 30k links) and its JSON is ~12 bytes a link.
    """
    return "".join(f"M{a},{b}L{a + 1},{c}" for a, b, c in zip(layer.tolist(), y0.tolist(), y1.tolist()))


def _link_shapes(links, density):
    """At most 5 (width) x 2 (sign) path shapes for all the links, whatever the network's size.

    Drawn thin to thick, the two signs interleaved, so strong links lie on top whatever their sign.
    """
    w = links["w"]
    bucket, widths = link_width_buckets(w, density=density)
    fade = float(np.clip(1.5 * _density_factor(density), 0.2, 1.0))  # dense layers: fainter links
    shapes = []
    for b, width in enumerate(widths):
        # Thin links are fainter too: the strong ones must stand out among many.
        alpha = fade * (0.35 + 0.6 * b / (len(widths) - 1))
        for positive, color, label in ((True, BLUE, "w > 0"), (False, ORANGE, "w < 0")):
            idx = np.flatnonzero((w >= 0 if positive else w < 0) & (bucket == b))
            if not idx.size:
                continue
            path = _link_path(links["layer"][idx], links["y0"][idx], links["y1"][idx])
            line = dict(color=_rgba(color, alpha), width=round(float(width), 3))
            name = f"links {label}, width {width:.3g}"
            shapes.append(
                dict(type="path", path=path, xref="x", yref="y", line=line, layer="below", name=name)
            )
    return shapes


def _link_hover_trace(links, names):
    """Invisible markers at the links' midpoints carrying "w = 0.231 (x1 → h1.3)"."""
    layer, j, k, w = links["layer"], links["j"], links["k"], links["w"]
    text = [
        f"w = {wv:.3g} ({names[lay][a]} → {names[lay + 1][b]})"
        for wv, lay, a, b in zip(w.tolist(), layer.tolist(), j.tolist(), k.tolist())
    ]
    return go.Scatter(
        x=layer + 0.5,
        y=(links["y0"] + links["y1"]) / 2,
        mode="markers",
        marker=dict(size=8, color="rgba(0, 0, 0, 0)"),
        hovertext=text,
        hoverinfo="text",
        name="link hover",
        showlegend=False,
    )


def _sign_marker(values, **marker):
    """Marker coloured blue/orange by the sign of ``values``: numbers on a 2-colour scale, which plotly
    validates far faster than a list of colour strings."""
    sign = np.where(np.asarray(values) >= 0, 1, -1).astype(np.int8)
    return dict(color=sign, cmin=-1, cmax=1, colorscale=[[0.0, ORANGE], [1.0, BLUE]], **marker)


def _bias_trace(biases, names, geo):
    """A small square left of each non-input unit's thumbnail, bottom-aligned (TF's spot), coloured
    by sign. TF Playground hides the output unit's bias (users asked for it): here it is shown."""
    dx = geo.thumb_x / 2 + (geo.bias_px / 2 + 2) / geo.col_px
    dy = (geo.thumb_px - geo.bias_px) / 2 / geo.px_per_y
    xs = np.concatenate([np.full(len(b), lay + 1.0) for lay, b in enumerate(biases)]) - dx
    ys = np.concatenate([geo.unit_y(lay + 1) for lay in range(len(biases))]) - dy
    b_all = np.concatenate(biases)
    text = [f"{n}<br>bias = {b:.3g}" for n, b in zip((n for ns in names[1:] for n in ns), b_all.tolist())]
    return go.Scatter(
        x=xs,
        y=ys,
        mode="markers",
        marker=_sign_marker(b_all, symbol="square", size=geo.bias_px, line=dict(width=0.5, color="#555")),
        hovertext=text,
        hoverinfo="text",
        name="biases",
        showlegend=False,
    )


def _unit_hover_trace(maps, biases, names, geo):
    """Invisible squares over the thumbnails: name, bias (non-input) and the map's range on hover."""
    xs, ys, text = [], [], []
    for lay, m in enumerate(maps):
        xs.append(np.full(len(m), lay))
        ys.append(geo.unit_y(lay))
        lo, hi = m.min(axis=(1, 2)).tolist(), m.max(axis=(1, 2)).tolist()
        bias = [""] * len(m) if lay == 0 else [f"<br>bias = {b:.3g}" for b in biases[lay - 1].tolist()]
        text += [
            f"<b>{n}</b>{bs}<br>output: {a:.3g} … {b:.3g}" for n, bs, a, b in zip(names[lay], bias, lo, hi)
        ]
    return go.Scatter(
        x=np.concatenate(xs),
        y=np.concatenate(ys),
        mode="markers",
        marker=dict(symbol="square", size=geo.thumb_px, color="rgba(0, 0, 0, 0)"),
        hovertext=text,
        hoverinfo="text",
        name="units",
        showlegend=False,
    )


def _label_traces(feature_names, output_names, geo):
    """Feature names left of the inputs; output names (if any) right of the outputs."""
    traces = [_text_trace(0 - geo.thumb_x / 2 - 6 / geo.col_px, geo.unit_y(0), feature_names, "middle left")]
    if output_names is not None:
        x = len(geo.sizes) - 1 + geo.thumb_x / 2 + 4 / geo.col_px
        traces.append(_text_trace(x, geo.unit_y(len(geo.sizes) - 1), output_names, "middle right"))
    return traces


def _text_trace(x, ys, labels, position):
    return go.Scatter(
        x=np.full(len(ys), x),
        y=ys,
        mode="text",
        text=[str(s) for s in labels],
        textposition=position,
        textfont=dict(size=11),
        hoverinfo="skip",
        name="labels",
        showlegend=False,
    )


def _thumbnails(maps, geo):
    """One ``layout.images`` entry per unit: its map as a PNG, on a symmetric per-layer colour range."""
    images = []
    for lay, m in enumerate(maps):
        scale = _abs_max(m)  # per layer: a layer's units are comparable with each other
        rgb = _map_rgb(m[:, ::-1, :], scale)  # row 0 is the lowest x2, but an image's top row
        # Anchored at the top-left corner and left at the default sizing ("contain", exact here since
        # the box is square on screen) and layer ("above"): plotly validates every key of ~600 images.
        left = round(lay - geo.thumb_x / 2, 4)
        for j, y in enumerate(geo.unit_y(lay).tolist()):
            images.append(
                dict(
                    source=png_data_url(rgb[j]),
                    x=left,
                    y=round(y + geo.thumb_y / 2, 4),
                    xref="x",
                    yref="y",
                    sizex=geo.thumb_x,
                    sizey=geo.thumb_y,
                )
            )
    return images


def _network_layout(fig, geo, *, images, shapes):
    n = len(geo.sizes)
    titles = ["input"] + [f"hidden {i}" for i in range(1, n - 1)] + ["output"]
    annotations = [
        dict(text=t, x=i, y=1, xref="x", yref="paper", yanchor="bottom", showarrow=False, font=dict(size=12))
        for i, t in enumerate(titles)
    ]
    hidden = dict(visible=False, showgrid=False, zeroline=False, fixedrange=True)
    fig.update_layout(
        template="none",
        height=geo.height,
        uirevision="network",
        showlegend=False,
        hovermode="closest",
        margin=dict(l=4, r=4, t=geo.MARGIN_TOP, b=geo.MARGIN_BOTTOM),
        xaxis=hidden | dict(range=geo.x_range(), scaleanchor="y", scaleratio=geo.ratio),
        yaxis=hidden | dict(range=[-geo.n_max, geo.n_max]),
        images=images,
        shapes=shapes,
        annotations=annotations,
    )


# --- 4. weight matrices -------------------------------------------------------------------------
def weights_figure(weights, biases, *, height=260):
    """Every layer's W (rows = inputs, columns = outputs) as a heatmap, its b as a 1-row heatmap below.

    weights[i] (n_i, n_{i+1}), biases[i] (n_{i+1},). One symmetric colour range over all layers
    (zmid 0) and one colorbar, so a colour means the same value in every matrix.
    """
    Ws = [np.atleast_2d(_finite(W, dtype=np.float32)) for W in weights]
    bs = [_finite(b, dtype=np.float32).reshape(1, -1) for b in biases]
    n = len(Ws)
    if n == 0:
        fig = go.Figure()
        fig.add_annotation(text="no weights", xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False)
        fig.update_layout(template="none", height=height)
        return fig
    m = _abs_max(*Ws, *bs)
    titles = [f"W{i + 1} ({W.shape[0]}×{W.shape[1]})" for i, W in enumerate(Ws)]
    titles += [f"b{i + 1}" for i in range(n)]
    fig = make_subplots(
        rows=2,
        cols=n,
        row_heights=[0.8, 0.2],
        shared_xaxes=True,  # b's columns line up under W's columns (both = the layer's outputs)
        vertical_spacing=0.12,
        horizontal_spacing=min(0.05, 0.5 / n),
        subplot_titles=titles,
    )
    common = dict(zmin=-m, zmax=m, zmid=0.0, colorscale=DIVERGING, xgap=0, ygap=0)
    colorbar = dict(thickness=10, len=0.9, title=dict(text="value"))
    for i, (W, b) in enumerate(zip(Ws, bs)):
        w_hover = f"W{i + 1}[%{{y}}, %{{x}}] = %{{z:.4g}}<extra></extra>"
        b_hover = f"b{i + 1}[%{{x}}] = %{{z:.4g}}<extra></extra>"
        w_trace = go.Heatmap(
            z=W, name=f"W{i + 1}", showscale=i == 0, colorbar=colorbar, hovertemplate=w_hover
        )
        fig.add_trace(w_trace.update(common), row=1, col=i + 1)
        b_trace = go.Heatmap(z=b, name=f"b{i + 1}", showscale=False, hovertemplate=b_hover)
        fig.add_trace(b_trace.update(common), row=2, col=i + 1)
        # Row 0 on top, as a matrix is written; integer ticks only (plotly would label 0.5 steps).
        fig.update_yaxes(autorange="reversed", **_index_ticks(W.shape[0]), row=1, col=i + 1)
        fig.update_xaxes(**_index_ticks(W.shape[1]), row=2, col=i + 1)
        fig.update_yaxes(showticklabels=False, ticks="", row=2, col=i + 1)
    fig.update_annotations(font_size=11)
    fig.update_layout(
        template="none", height=height, uirevision="weights", margin=dict(l=30, r=10, t=30, b=25)
    )
    return fig


def _index_ticks(n):
    """Axis ticks at matrix indices 0, d, 2d, ... with about 8 labels at most."""
    return dict(tickmode="linear", tick0=0, dtick=max(1, -(-n // 8)))
