"""The network view's parameters: every weight as a link (colour = sign, width ~ |w|) and every bias
as a small square, with their hover markers.

Links are ``layout.shapes``: one SVG path per sign x width bucket, at most 10 in all whatever the
network's size; biases are two filled path shapes (blue b >= 0, orange b < 0), so a live view can
restyle both without redrawing any trace (``link_styles`` gives it the buckets' widths and colours).
Positions come from ``network_geometry.Geometry``.
"""

import numpy as np

from playground.figures.colors import BLUE, ORANGE, _rgba
from playground.figures.network_geometry import hover_markers


def links_of(sizes, weights, geo):
    """Every weight as a link, flattened over the layers: dict of (n_links,) arrays."""
    parts: dict[str, list] = {key: [] for key in ("w", "layer", "j", "k", "y0", "y1")}
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


def link_shapes(links, density):
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


def link_hover_trace(links, names):
    """Invisible markers at the links' midpoints carrying "w = 0.231 (x1 → h1.3)"."""
    layer, j, k, w = links["layer"], links["j"], links["k"], links["w"]
    text = [
        f"w = {wv:.3g} ({names[lay][a]} → {names[lay + 1][b]})"
        for wv, lay, a, b in zip(w.tolist(), layer.tolist(), j.tolist(), k.tolist())
    ]
    return hover_markers(layer + 0.5, (links["y0"] + links["y1"]) / 2, text, name="link hover")


def bias_centers(biases, geo):
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


def bias_shapes(biases, xs, ys, half):
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


def bias_trace(biases, names, xs, ys, geo):
    """Invisible squares over the bias squares carrying "h1.2 / bias = 0.231" on hover."""
    b_all = np.concatenate(biases)
    text = [f"{n}<br>bias = {b:.3g}" for n, b in zip((n for ns in names[1:] for n in ns), b_all.tolist())]
    return hover_markers(xs, ys, text, name="biases", size=geo.bias_px, symbol="square")
