"""TensorFlow Playground's network view: unit thumbnails, weight links, bias squares, hover."""

import numpy as np
import plotly.graph_objects as go

from playground.figures.colors import BLUE, ORANGE, _abs_max, _finite, _map_rgb, _rgba
from playground.figures.png import png_data_url

MAX_HOVER_LINKS = 2000  # above this the per-link hover markers would dominate the payload
THUMB_MAX_PX = 48


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
    bias_x, bias_y = _bias_centers(biases, geo)
    half = (geo.bias_px / 2 / geo.col_px, geo.bias_px / 2 / geo.px_per_y)
    traces += [_bias_trace(biases, names, bias_x, bias_y, geo), _unit_hover_trace(maps, biases, names, geo)]
    traces += _label_traces(feature_names, output_names, geo)
    fig = go.Figure(traces)
    density = max(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    centers = [0.0] * len(sizes) if centers is None else [float(c) for c in centers]
    thumbnails = _thumbnails([m - c for m, c in zip(maps, centers)], geo)
    shapes = _link_shapes(links, density) + _bias_shapes(biases, bias_x, bias_y, half)
    # meta: what a live view needs to redraw biases and write hover text (ignored by plotly.js)
    meta = dict(names=names, bias_x=bias_x.tolist(), bias_y=bias_y.tolist(), bias_half=list(half))
    _network_layout(fig, geo, images=thumbnails, shapes=shapes, meta=meta)
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


def link_styles(density, n_buckets=5):
    """(widths, colours) of the link codes ``2 * bucket + (w < 0)``: code c is drawn ``widths[c // 2]``
    px wide in ``colours[c]``. Thin links are fainter (the strong ones must stand out among many),
    and links of dense layers fainter still."""
    _, widths = link_width_buckets(np.zeros(0), n_buckets, density=density)
    fade = float(np.clip(1.5 * _density_factor(density), 0.2, 1.0))
    colors = []
    for b in range(n_buckets):
        alpha = fade * (0.35 + 0.6 * b / (n_buckets - 1))
        colors += [_rgba(BLUE, alpha), _rgba(ORANGE, alpha)]
    return [round(float(w), 3) for w in widths], colors


def _link_shapes(links, density):
    """At most 5 (width) x 2 (sign) path shapes for all the links, whatever the network's size.

    Drawn thin to thick, the two signs interleaved, so strong links lie on top whatever their sign.
    """
    w = links["w"]
    bucket, _ = link_width_buckets(w, density=density)
    widths, colors = link_styles(density)
    code = 2 * bucket + (w < 0)
    shapes = []
    for c, color in enumerate(colors):
        idx = np.flatnonzero(code == c)
        if not idx.size:
            continue
        path = _link_path(links["layer"][idx], links["y0"][idx], links["y1"][idx])
        line = dict(color=color, width=widths[c // 2])
        name = f"links {'w < 0' if c % 2 else 'w > 0'}, width {widths[c // 2]:.3g}"
        shapes.append(dict(type="path", path=path, xref="x", yref="y", line=line, layer="below", name=name))
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


def _bias_centers(biases, geo):
    """(x, y) centres of the bias squares: left of each non-input unit's thumbnail, bottom-aligned
    (TF's spot). TF Playground hides the output unit's bias (users asked for it): here it is shown."""
    dx = geo.thumb_x / 2 + (geo.bias_px / 2 + 2) / geo.col_px
    dy = (geo.thumb_px - geo.bias_px) / 2 / geo.px_per_y
    xs = np.concatenate([np.full(len(b), lay + 1.0) for lay, b in enumerate(biases)]) - dx
    ys = np.concatenate([geo.unit_y(lay + 1) for lay in range(len(biases))]) - dy
    return xs, ys


def _bias_path(xs, ys, half):
    """One SVG path of squares centred at (xs, ys) with half-sizes ``half`` = (hx, hy) data units."""
    hx, hy = half
    return "".join(
        f"M{x - hx:.4g},{y - hy:.4g}H{x + hx:.4g}V{y + hy:.4g}H{x - hx:.4g}Z"
        for x, y in zip(np.asarray(xs).tolist(), np.asarray(ys).tolist())
    )


def _bias_shapes(biases, xs, ys, half):
    """The bias squares as two filled path shapes, blue for b >= 0 and orange for b < 0 (shapes, so a
    live view can recolour them without redrawing any trace)."""
    b_all = np.concatenate(biases)
    shapes = []
    for positive, color in ((True, BLUE), (False, ORANGE)):
        idx = np.flatnonzero(b_all >= 0 if positive else b_all < 0)
        shapes.append(
            dict(
                type="path",
                path=_bias_path(xs[idx], ys[idx], half) if idx.size else "M0,0",
                xref="x",
                yref="y",
                fillcolor=color,
                line=dict(width=0.5, color="#555555"),
                layer="above",
                name=f"biases {'b >= 0' if positive else 'b < 0'}",
            )
        )
    return shapes


def _bias_trace(biases, names, xs, ys, geo):
    """Invisible squares over the bias squares carrying "h1.2 / bias = 0.231" on hover."""
    b_all = np.concatenate(biases)
    text = [f"{n}<br>bias = {b:.3g}" for n, b in zip((n for ns in names[1:] for n in ns), b_all.tolist())]
    return go.Scatter(
        x=xs,
        y=ys,
        mode="markers",
        marker=dict(symbol="square", size=geo.bias_px, color="rgba(0, 0, 0, 0)"),
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


def _network_layout(fig, geo, *, images, shapes, meta):
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
        meta=meta,
    )


def network_scaffold(*, layer_sizes, feature_names, output_names=None, height=None):
    """The network view without its values, for a view that draws them itself (the live charts): the
    geometry, labels and ``layout.meta`` of ``network_figure``, its hover markers without text
    (``hoverinfo="none"``), one empty ``layout.images`` slot per unit (in unit order) and the two bias
    shapes as templates (empty paths); no link shapes.

    layer_sizes, feature_names, output_names, height: as for ``network_figure``.
    """
    sizes = [int(n) for n in layer_sizes]
    geo = _Geometry(sizes, height, feature_names, output_names)
    names = _unit_names(sizes, feature_names, output_names)
    biases = [np.zeros(n) for n in sizes[1:]]
    bias_x, bias_y = _bias_centers(biases, geo)
    half = (geo.bias_px / 2 / geo.col_px, geo.bias_px / 2 / geo.px_per_y)
    clear = "rgba(0, 0, 0, 0)"
    traces = []
    if sum(a * b for a, b in zip(sizes[:-1], sizes[1:])) <= MAX_HOVER_LINKS:
        links = _links(sizes, [np.zeros((a, b)) for a, b in zip(sizes[:-1], sizes[1:])], geo)
        midpoints = (links["layer"] + 0.5, (links["y0"] + links["y1"]) / 2)
        traces.append(_silent_markers("link hover", *midpoints, dict(size=8, color=clear)))
    traces.append(
        _silent_markers("biases", bias_x, bias_y, dict(symbol="square", size=geo.bias_px, color=clear))
    )
    unit_x = np.concatenate([np.full(n, lay) for lay, n in enumerate(sizes)])
    unit_y = np.concatenate([geo.unit_y(lay) for lay in range(len(sizes))])
    traces.append(
        _silent_markers("units", unit_x, unit_y, dict(symbol="square", size=geo.thumb_px, color=clear))
    )
    traces += _label_traces(feature_names, output_names, geo)
    fig = go.Figure(traces)
    slots = [  # placed as _thumbnails places the pictures
        dict(source="", x=round(lay - geo.thumb_x / 2, 4), y=round(y + geo.thumb_y / 2, 4))
        | dict(xref="x", yref="y", sizex=geo.thumb_x, sizey=geo.thumb_y)
        for lay in range(len(sizes))
        for y in geo.unit_y(lay).tolist()
    ]
    no_bias = np.zeros(0)
    shapes = _bias_shapes([no_bias], no_bias, no_bias, half)  # both with an empty path "M0,0"
    meta = dict(names=names, bias_x=bias_x.tolist(), bias_y=bias_y.tolist(), bias_half=list(half))
    _network_layout(fig, geo, images=slots, shapes=shapes, meta=meta)
    return fig


def _silent_markers(name, x, y, marker):
    """Invisible markers the live view writes its own hover text for."""
    return go.Scatter(x=x, y=y, mode="markers", marker=marker, hoverinfo="none", name=name, showlegend=False)
