"""Weight matrices: every layer's W and b as heatmaps on one shared diverging colour range."""

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

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
