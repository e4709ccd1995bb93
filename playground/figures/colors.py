"""Palette and colour helpers shared by every figure: the diverging orange / grey / blue scale,
the class colours, and the sanitising helpers that keep NaN/inf out of the charts.
"""

import numpy as np

ORANGE = "#f59322"  # -1, class 0
LIGHT = "#e8eaeb"  # 0, undecided
BLUE = "#0877bd"  # +1, class 1
DIVERGING = ((0.0, ORANGE), (0.5, LIGHT), (1.0, BLUE))

# Classes 0 and 1 keep TF Playground's orange and blue so a binary and a 2-class softmax model look
# alike; the rest are chosen to stay apart from those two and from each other (and from grey).
CLASS_COLORS = ("#f59322", "#0877bd", "#2ca02c", "#9467bd", "#d62728", "#17becf", "#8c564b", "#e377c2")


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


def _map_rgb(values, m):
    """(..., 3) uint8 colours of ``values`` on the symmetric range [-m, m] (65 shades: compresses well)."""
    t = np.clip(values / m, -1.0, 1.0)
    return _LUT[np.rint((t + 1.0) * (0.5 * (len(_LUT) - 1))).astype(np.intp)]
