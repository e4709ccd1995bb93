"""Gradient-check figures: the relative error per parameter block on a log axis, over bands that say
good / look closer / wrong, and numerical against backprop gradients, one point per parameter.

Thresholds come from the caller (``nn_core.gradcheck.GOOD_BELOW`` and ``WRONG_ABOVE``: 1e-7, 1e-4).
Why those, for float64 with eps = 1e-5: truncation (~eps**2) and rounding (~1e-16 / eps) errors are
both ~1e-10, so correct code scores 1e-11..1e-9, a hundred times below 1e-7; a wrong formula is off
by about the gradient's own size, 1e-2..1. Between them, look closer: eps = 1e-3, a loss near its
minimum, or a ReLU / leaky-ReLU kink (a nudge switching a unit gives ~1e-6 on a large block)
legitimately land there.
"""

import math
from types import MappingProxyType

import numpy as np
import plotly.graph_objects as go

from playground.figures.colors import CLASS_COLORS, _finite, _rgba

FLOOR_EXPONENT, TOP_EXPONENT = -16, 1  # the axis: 1e-16 (an exact match) .. 10 (room for labels)
BAND_COLORS = MappingProxyType({"good": "#2ca02c", "look closer": "#e0a500", "wrong": "#d62728"})
NO_VALUE = "#999999"
MAX_POINTS = 3000  # the scatter keeps at most this many parameters (a big net has ~30k)


def gradcheck_figure(names, errors, *, thresholds, overall=None, labels=None, height=320):
    """Relative error per block as bars on a log axis, over the three bands.

    Parameters
    ----------
    names : block names, e.g. ["W1", "b1", "W2", "b2"]; errors : their relative errors (NaN = none).
    thresholds : (good_below, wrong_above), e.g. (1e-7, 1e-4).
    overall : the overall relative error, drawn as a dashed line (None or NaN: no line).
    labels : each bar's value as printed under its name, below the axis (default: the error as
        2.1e-10, "0", or "n/a" for NaN). Below the plot, never over the bars: the overall line runs
        across the plot at about the largest bar's height, and went through a label printed on top.

    Exact zeros sit on the floor (1e-16); NaN/inf never reach plotly.
    """
    errors = np.asarray(errors, dtype=np.float64).reshape(-1)
    if len(names) != errors.size or (labels is not None and len(labels) != errors.size):
        raise ValueError(
            f"names, errors and labels must have one entry per block; got {len(names)}, {errors.size}"
        )
    good, wrong = _check_thresholds(thresholds)
    missing = ~np.isfinite(errors)
    floor = 10.0**FLOOR_EXPONENT
    shown = np.clip(_finite(np.where(missing, floor, errors)), floor, 1.0)
    colors = [NO_VALUE if m else _band_color(e, good, wrong) for e, m in zip(shown, missing)]
    texts = list(labels) if labels is not None else [format_error(e) for e in errors]
    bar = go.Bar(
        x=list(names),
        y=shown,
        marker=dict(color=colors),
        customdata=texts,
        hovertemplate="%{x}: relative error %{customdata}<extra></extra>",
        showlegend=False,
    )
    shapes, title = _bands(good, wrong), "relative error per block"
    if overall is not None and math.isfinite(overall):
        y = _paper(max(overall, floor))
        shapes.append(dict(type="line", xref="paper", yref="paper", x0=0, x1=1, y0=y, y1=y, line=_dash()))
        title = f"relative error per block; overall {format_error(overall)} (dashed)"
    layout = _error_layout(height, shapes, _band_labels(good, wrong), title)
    layout["xaxis"] |= dict(tickvals=list(names), ticktext=[f"{n}<br>{t}" for n, t in zip(names, texts)])
    return go.Figure(data=[bar], layout=layout)


def gradients_figure(names, numerical, backprop, *, kinked=None, max_points=MAX_POINTS, height=360):
    """Backprop against numerical gradient, one marker per parameter, with the line y = x.

    Parameters
    ----------
    names : block names; numerical, backprop : one flat array per block, same sizes;
    kinked : optional bool arrays, entries left out of the check (drawn hollow);
    max_points : at most this many markers in all, picked evenly within each block.

    On the line, backprop agrees; a wrong sign mirrors a block to y = -x, a missing mean scales it.
    """
    kinked = kinked if kinked is not None else [np.zeros(np.size(n), bool) for n in numerical]
    if not len(names) == len(numerical) == len(backprop) == len(kinked):
        raise ValueError(
            f"names, numerical, backprop and kinked must have one entry per block; got {len(names)}"
        )
    total = sum(np.size(n) for n in numerical)
    keep = max(1, max_points) / max(total, 1)
    traces, extent = [], 0.0
    for i, (name, num, bp, bent) in enumerate(zip(names, numerical, backprop, kinked)):
        num, bp, bent = _finite(num).ravel(), _finite(bp).ravel(), np.asarray(bent, bool).ravel()
        if num.shape != bp.shape or bent.shape != num.shape:
            raise ValueError(f"block {name}: numerical, backprop and kinked sizes differ")
        idx = _evenly(num.size, keep)
        num, bp, bent = num[idx], bp[idx], bent[idx]
        extent = max(extent, float(np.abs(num).max(initial=0.0)), float(np.abs(bp).max(initial=0.0)))
        traces.append(_points(name, num, bp, bent, CLASS_COLORS[(i // 2) % len(CLASS_COLORS)]))
    extent = extent * 1.05 or 1.0
    diagonal = go.Scatter(
        x=[-extent, extent],
        y=[-extent, extent],
        mode="lines",
        name="y = x (agree)",
        line=dict(color="#444444", width=1, dash="dot"),
        hoverinfo="skip",
    )
    layout = dict(
        template="none",
        height=height,
        margin=dict(l=70, r=20, t=30, b=50),
        xaxis=dict(title=dict(text="numerical gradient"), range=[-extent, extent], zeroline=True),
        yaxis=dict(title=dict(text="backprop gradient"), range=[-extent, extent], zeroline=True),
        legend=dict(orientation="h", x=0.0, y=1.02, yanchor="bottom"),
    )
    return go.Figure(data=[diagonal, *traces], layout=layout)


def format_error(error):
    """A relative error as the page and the figure print it: ``2.1e-10``, ``0``, or ``n/a`` (NaN)."""
    if not math.isfinite(error):
        return "n/a"
    return "0" if error == 0 else f"{error:.1e}"


# --- helpers --------------------------------------------------------------------------------------
def _check_thresholds(thresholds):
    good, wrong = (float(t) for t in thresholds)
    if not (10.0**FLOOR_EXPONENT < good <= wrong < 1.0):
        raise ValueError(
            f"thresholds must be (good_below, wrong_above) with 1e-16 < good <= wrong < 1; got {thresholds}"
        )
    return good, wrong


def _band_color(error, good, wrong):
    return BAND_COLORS["good" if error < good else "wrong" if error > wrong else "look closer"]


def _paper(value):
    """Height of ``value`` as a fraction of the plot: the axis range is fixed, so bands can be
    placed in paper coordinates (no doubt about how a log axis reads a shape's y)."""
    return (math.log10(value) - FLOOR_EXPONENT) / (TOP_EXPONENT - FLOOR_EXPONENT)


def _bands(good, wrong):
    edges = [
        (0.0, _paper(good), "good"),
        (_paper(good), _paper(wrong), "look closer"),
        (_paper(wrong), 1.0, "wrong"),
    ]
    return [
        dict(
            type="rect",
            xref="paper",
            yref="paper",
            x0=0,
            x1=1,
            y0=y0,
            y1=y1,
            layer="below",
            fillcolor=_rgba(BAND_COLORS[name], 0.12),
            line=dict(width=0),
        )
        for y0, y1, name in edges
    ]


def _band_labels(good, wrong):
    """Each band's name in the right margin, level with the band's middle."""
    middle = [
        (_paper(10.0**FLOOR_EXPONENT) + _paper(good)) / 2,
        (_paper(good) + _paper(wrong)) / 2,
        (_paper(wrong) + 1) / 2,
    ]
    texts = [f"good<br>< {_power(good)}", "look<br>closer", f"wrong<br>> {_power(wrong)}"]
    return [
        dict(
            text=t,
            xref="paper",
            yref="paper",
            x=1.01,
            y=y,
            xanchor="left",
            yanchor="middle",
            align="left",
            showarrow=False,
            font=dict(size=11, color=BAND_COLORS[name]),
        )
        for t, y, name in zip(texts, middle, BAND_COLORS)
    ]


def _power(value):
    """1e-07 -> "1e-7"."""
    mantissa, exponent = f"{value:.0e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def _dash():
    return dict(color="#333333", width=1.5, dash="dash")


def _error_layout(height, shapes, annotations, title):
    ticks = list(range(FLOOR_EXPONENT, 1, 4))  # 1e-16, 1e-12, ..., 1
    return dict(
        template="none",
        height=height,
        title=dict(text=title, font=dict(size=13), x=0.0, xanchor="left"),
        margin=dict(l=60, r=70, t=40, b=60),  # two lines under each bar: its name and its value
        bargap=0.35,
        xaxis=dict(type="category", title=dict(text="parameter block"), automargin=True),
        yaxis=dict(
            type="log",
            range=[FLOOR_EXPONENT, TOP_EXPONENT],  # log10 units, as plotly wants for a log axis
            title=dict(text="relative error"),
            tickvals=[10.0**t for t in ticks],
            ticktext=[f"1e{t}" if t else "1" for t in ticks],
        ),
        shapes=shapes,
        annotations=annotations,
    )


def _evenly(n, fraction):
    """Indices of about ``fraction * n`` entries spread evenly over ``range(n)`` (all if it fits)."""
    k = min(n, max(1, math.ceil(n * fraction)))
    return np.unique(np.rint(np.linspace(0, n - 1, k)).astype(np.intp)) if n else np.zeros(0, np.intp)


def _points(name, num, bp, bent, color):
    """One block's markers: filled where checked, hollow where a kink left the entry out."""
    symbol = "circle" if name.startswith("W") else "diamond"
    return go.Scatter(
        x=num,
        y=bp,
        mode="markers",
        name=name,
        marker=dict(
            color=color, size=6, symbol=[symbol if not b else f"{symbol}-open" for b in bent], opacity=0.8
        ),
        hovertemplate=f"{name}<br>numerical %{{x:.4g}}<br>backprop %{{y:.4g}}<extra></extra>",
    )
