"""A labelled matrix as a heatmap: the backprop stepper's picture of Z, A, dW and the rest."""

import numpy as np
import plotly.graph_objects as go

from playground.figures.colors import DIVERGING, _abs_max, _finite

MAX_TEXT_CELLS = 120  # up to this many cells, every value is printed in its cell
ROW_PX, MIN_HEIGHT, MAX_HEIGHT = 22, 120, 420


def matrix_figure(name, array, row_labels, col_labels):
    """``array`` (rows, columns) as a heatmap titled with its name and shape, zero in light grey,
    positive blue, negative orange (one symmetric range). Hover gives the row, the column and the
    exact value; small matrices print their values in the cells.

    row_labels, col_labels : one label per row / column (e.g. ``"sample 7"``, ``"h1,2"``).
    """
    raw = np.atleast_2d(np.asarray(array, dtype=np.float64))
    if raw.shape != (len(row_labels), len(col_labels)):
        raise ValueError(f"labels {len(row_labels)}x{len(col_labels)} do not fit a {raw.shape} matrix")
    z = _finite(raw)
    m = _abs_max(z)
    shown = not np.isfinite(raw).all()
    rows, cols = raw.shape
    heatmap = go.Heatmap(
        z=z,
        x=[str(c) for c in col_labels],
        y=[str(r) for r in row_labels],
        customdata=np.vectorize(lambda v: f"{v:.6g}")(raw),  # the exact value, even NaN/inf
        hovertemplate="%{y}, %{x}: %{customdata}<extra>" + name + "</extra>",
        zmin=-m,
        zmax=m,
        zmid=0.0,
        colorscale=DIVERGING,
        showscale=False,
        xgap=1,
        ygap=1,
    )
    if raw.size <= MAX_TEXT_CELLS:
        heatmap.update(text=np.vectorize(lambda v: f"{v:.3g}")(raw), texttemplate="%{text}", textfont_size=11)
    title = f"{name}  ({rows}×{cols})" + ("  — not finite: diverged" if shown else "")
    fig = go.Figure(heatmap)
    fig.update_layout(
        template="none",
        title=dict(text=title, x=0, xanchor="left", font_size=14),
        height=int(np.clip(60 + ROW_PX * rows, MIN_HEIGHT, MAX_HEIGHT)),
        margin=dict(l=70, r=10, t=36, b=30),
        xaxis=dict(side="bottom", type="category", tickfont_size=10),
        yaxis=dict(autorange="reversed", type="category", tickfont_size=10, showticklabels=rows <= 40),
    )
    return fig
