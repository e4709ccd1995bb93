"""Weight matrices: every layer's W and b as heatmaps on one shared diverging colour range."""

import numpy as np
import plotly.graph_objects as go

from playground.figures.colors import DIVERGING, _abs_max, _finite


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
    common = dict(zmin=-m, zmax=m, zmid=0.0, colorscale=DIVERGING, xgap=0, ygap=0)
    colorbar = dict(thickness=10, len=0.9, title=dict(text="value"))
    # Axes placed by hand (make_subplots costs ~35 ms per call, and this redraws every tick):
    # layer i owns the horizontal slot i; W sits on the top 70 %, b under it on a shared x axis.
    gap = min(0.05, 0.5 / n)
    width = (1 - gap * (n - 1)) / n
    traces, axes, w_titles, b_titles = [], {}, [], []
    for i, (W, b) in enumerate(zip(Ws, bs)):
        x0 = i * (width + gap)
        xa, wa, ba = f"x{i + 1}", f"y{2 * i + 1}", f"y{2 * i + 2}"
        w_hover = f"W{i + 1}[%{{y}}, %{{x}}] = %{{z:.4g}}<extra></extra>"
        b_hover = f"b{i + 1}[%{{x}}] = %{{z:.4g}}<extra></extra>"
        traces.append(
            go.Heatmap(
                z=W,
                name=f"W{i + 1}",
                xaxis=xa,
                yaxis=wa,
                showscale=i == 0,
                colorbar=colorbar,
                hovertemplate=w_hover,
                **common,
            )
        )
        traces.append(
            go.Heatmap(
                z=b, name=f"b{i + 1}", xaxis=xa, yaxis=ba, showscale=False, hovertemplate=b_hover, **common
            )
        )
        # Row 0 on top, as a matrix is written; integer ticks only (plotly would label 0.5 steps).
        axes[_axis_name("xaxis", i)] = dict(domain=[x0, x0 + width], anchor=ba, **_index_ticks(W.shape[1]))
        axes[_axis_name("yaxis", 2 * i)] = dict(
            domain=[0.3, 0.92], anchor=xa, autorange="reversed", **_index_ticks(W.shape[0])
        )
        axes[_axis_name("yaxis", 2 * i + 1)] = dict(
            domain=[0.0, 0.16], anchor=xa, showticklabels=False, ticks=""
        )
        w_titles.append(_title(f"W{i + 1} ({W.shape[0]}×{W.shape[1]})", x0 + width / 2, 1.0))
        b_titles.append(_title(f"b{i + 1}", x0 + width / 2, 0.2))
    fig = go.Figure(traces)
    fig.update_layout(
        template="none",
        height=height,
        uirevision="weights",
        margin=dict(l=30, r=10, t=30, b=25),
        annotations=w_titles + b_titles,
        **axes,
    )
    return fig


def _axis_name(kind, i):
    """Plotly names axes xaxis, xaxis2, xaxis3, ... (0-based ``i``)."""
    return kind if i == 0 else f"{kind}{i + 1}"


def _title(text, x, y):
    return dict(
        text=text,
        x=x,
        y=y,
        xref="paper",
        yref="paper",
        xanchor="center",
        yanchor="bottom",
        showarrow=False,
        font=dict(size=11),
    )


def _index_ticks(n):
    """Axis ticks at matrix indices 0, d, 2d, ... with about 8 labels at most."""
    return dict(tickmode="linear", tick0=0, dtick=max(1, -(-n // 8)))
