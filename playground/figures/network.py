"""TensorFlow Playground's network view: unit thumbnails, weight links, bias squares, hover.

``network_figure`` checks its arrays and puts the figure together: the units (a thumbnail of what each
computes, hover with its range, the input and output labels) are drawn here; the weights and biases
in ``network_params``; positions come from ``network_geometry``.
"""

import numpy as np
import plotly.graph_objects as go

from playground.figures.colors import _abs_max, _finite, _map_rgb
from playground.figures.network_geometry import THUMB_MAX_PX, Geometry, hover_markers, unit_names
from playground.figures.network_params import (
    bias_centers,
    bias_shapes,
    bias_trace,
    link_hover_trace,
    link_shapes,
    link_styles,
    link_width_buckets,
    links_of,
)
from playground.figures.png import png_data_url

# link_styles and link_width_buckets: the view's own names for its link styling (the live frames use them)
__all__ = ("network_figure", "link_styles", "link_width_buckets", "MAX_HOVER_LINKS", "THUMB_MAX_PX")

MAX_HOVER_LINKS = 2000  # above this the per-link hover markers would dominate the payload
MAX_LONG_TITLES = 4  # hidden layers whose column titles are spelled out ("hidden 1")
# The hover tip of a hidden layer's title in the live view, shown there only while a click on it
# may choose (static/live/layer_menu.js: not when a teacher hides or locks the activation).
LAYER_TIP = "click: choose this layer's activation"


def network_figure(
    *,
    layer_sizes,
    weights,
    biases,
    feature_names,
    neuron_maps,
    output_names=None,
    centers=None,
    height=None,
    width=None,
    activations=(),
):
    """TensorFlow Playground's network view: every unit as a thumbnail of what it computes, every
    weight as a link (colour = sign, width ~ |w|), every bias as a small square.

    Links are ``layout.shapes`` (one SVG path per sign x width bucket, <= 10 in all), thumbnails are
    ``layout.images`` (one PNG per unit); hover comes from invisible markers (``fig.data``).

    layer_sizes [n_0, ..., n_L]; weights[i] (n_i, n_{i+1}); biases[i] (n_{i+1},);
    neuron_maps[l] (n_l, r, r): unit outputs over the plane on an r x r grid, row 0 = lowest x2;
    feature_names: n_0 names of the input units; output_names: optional n_L names of the outputs.
    centers: optional per-layer value drawn as the neutral colour (0.5 for sigmoid/softmax units,
    whose outputs lie in [0, 1]); 0 by default. Hover always shows the raw values. height, width:
    the pixels to draw for (default: a height from the widest layer, columns at a nominal spacing).
    activations: optional names of the hidden layers' activations, shown under their column titles
    (just text: this figure cannot change them).
    """
    sizes = [int(n) for n in layer_sizes]
    weights = [_finite(w) for w in weights]
    biases = [_finite(b) for b in biases]
    _check_network(sizes, weights, biases, feature_names, neuron_maps, output_names)
    geo = Geometry(sizes, height, feature_names, output_names, width=width)
    names = unit_names(sizes, feature_names, output_names)
    maps = [_finite(m) for m in neuron_maps]

    links = links_of(sizes, weights, geo)
    traces = [link_hover_trace(links, names)] if len(links["w"]) <= MAX_HOVER_LINKS else []
    bias_x, bias_y = bias_centers(biases, geo)
    half = (geo.bias_px / 2 / geo.col_px, geo.bias_px / 2 / geo.px_per_y)
    traces += [bias_trace(biases, names, bias_x, bias_y, geo), _unit_hover_trace(maps, biases, names, geo)]
    traces += _label_traces(feature_names, output_names, geo)
    fig = go.Figure(traces)
    density = max(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    centers = [0.0] * len(sizes) if centers is None else [float(c) for c in centers]
    thumbnails = _thumbnails([m - c for m, c in zip(maps, centers)], geo)
    shapes = link_shapes(links, density) + bias_shapes(biases, bias_x, bias_y, half)
    # meta: what a live view needs to redraw biases and write hover text (ignored by plotly.js)
    meta = dict(names=names, bias_x=bias_x.tolist(), bias_y=bias_y.tolist(), bias_half=list(half))
    _network_layout(fig, geo, images=thumbnails, shapes=shapes, meta=meta, activations=activations)
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
    return hover_markers(
        np.concatenate(xs), np.concatenate(ys), text, name="units", size=geo.thumb_px, symbol="square"
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


def _network_layout(fig, geo, *, images, shapes, meta, activations=(), clickable=False):
    n = len(geo.sizes)
    # Beyond four hidden layers "hidden 1" is wider than a column at the chart's usual width: "h1".
    pattern = "h{}" if n - 2 > MAX_LONG_TITLES else "hidden {}"
    titles = ["input"] + [pattern.format(i) for i in range(1, n - 1)] + ["output"]
    annotations = [
        dict(text=t, x=i, y=1, xref="x", yref="paper", yanchor="bottom", showarrow=False, font=dict(size=12))
        for i, t in enumerate(titles)
    ]
    size = 9 if n - 2 > MAX_LONG_TITLES else 11  # "leaky ReLU" beside "softplus" in narrow columns
    for i, name in enumerate(activations, start=1):  # under "hidden i": its activation
        text = f"{titles[i]}<br>{name}"
        annotations[i] |= dict(text=text, font=dict(size=size), name=f"activation {i - 1}")
        if clickable:  # the live view: a click target, with LAYER_TIP added while it may choose
            annotations[i] |= dict(captureevents=True)
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


def network_scaffold(
    *, layer_sizes, feature_names, output_names=None, height=None, width=None, activations=()
):
    """The network view without its values, for a view that draws them itself (the live charts): the
    geometry, labels and ``layout.meta`` of ``network_figure``, its hover markers without text
    (``hoverinfo="none"``), one empty ``layout.images`` slot per unit (in unit order) and the two bias
    shapes as templates (empty paths); no link shapes.

    layer_sizes, feature_names, output_names, height: as for ``network_figure``. ``width``: the
    pixels the view expects to have (the columns spread over it; the view may scale the whole).
    ``activations``: as for ``network_figure``, but click targets: the live view sends a click on
    one to the server (and shows ``LAYER_TIP`` over them while choosing is allowed).
    """
    sizes = [int(n) for n in layer_sizes]
    geo = Geometry(sizes, height, feature_names, output_names, width=width)
    names = unit_names(sizes, feature_names, output_names)
    biases = [np.zeros(n) for n in sizes[1:]]
    bias_x, bias_y = bias_centers(biases, geo)
    half = (geo.bias_px / 2 / geo.col_px, geo.bias_px / 2 / geo.px_per_y)
    clear = "rgba(0, 0, 0, 0)"
    traces = []
    if sum(a * b for a, b in zip(sizes[:-1], sizes[1:])) <= MAX_HOVER_LINKS:
        links = links_of(sizes, [np.zeros((a, b)) for a, b in zip(sizes[:-1], sizes[1:])], geo)
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
    shapes = bias_shapes([no_bias], no_bias, no_bias, half)  # both with an empty path "M0,0"
    meta = dict(names=names, bias_x=bias_x.tolist(), bias_y=bias_y.tolist(), bias_half=list(half))
    _network_layout(fig, geo, images=slots, shapes=shapes, meta=meta, activations=activations, clickable=True)
    return fig


def _silent_markers(name, x, y, marker):
    """Invisible markers the live view writes its own hover text for."""
    return go.Scatter(x=x, y=y, mode="markers", marker=marker, hoverinfo="none", name=name, showlegend=False)
