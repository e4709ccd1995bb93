"""The "Your data" figure: an uploaded dataset's scaled points on the Playground's plane.

``data_figure(data)`` takes what ``playground.files.upload.prepare`` returns (any object with ``X (n, 2)``,
``y (n,)``, ``task``, ``class_names``, ``columns`` and ``rows (n,)``) and returns a ``go.Figure``. A file's
text (column and class names) is shown as typed: never read as HTML or as a hover template.
"""

import plotly.graph_objects as go

from playground.figures.boundary import POINT_SIZE
from playground.figures.boundary import plotly_text as _plotly_text
from playground.figures.colors import CLASS_COLORS, DIVERGING


def data_figure(data, *, height=460):
    """The scaled points on the Playground's plane: one trace per class, named after it, or the points
    coloured by their target for regression. Hovering a point shows its row in the file."""
    hover = "row %{customdata}<br>x1 = %{x:.3f}<br>x2 = %{y:.3f}"
    if data.task == "regression":
        colors = {"color": data.y, "colorscale": DIVERGING, "cmin": -1, "cmax": 1}
        colors["colorbar"] = {"title": {"text": "target"}, "thickness": 12}
        traces = [_points(data, slice(None), "target", colors, hover + "<br>target = %{marker.color:.3f}")]
    else:
        traces = [
            _points(data, data.y == k, name, {"color": CLASS_COLORS[k % len(CLASS_COLORS)]}, hover)
            for k, name in enumerate(data.class_names)
        ]
    x1, x2, _ = (_plotly_text(name) for name in data.columns)
    axis = {"range": [-6, 6], "zeroline": False}
    fig = go.Figure(traces)
    fig.update_layout(
        template="none",
        height=height,
        margin={"l": 55, "r": 20, "t": 40, "b": 50},
        legend={"orientation": "h", "x": 0.0, "y": 1.01, "yanchor": "bottom"},
        xaxis=axis | {"title": {"text": f"x1 (scaled {x1})"}},
        yaxis=axis | {"title": {"text": f"x2 (scaled {x2})"}, "scaleanchor": "x"},
    )
    return fig


def _points(data, pick, name, marker, hover):
    # The name goes in the legend and the hover's side box, never into the template: a file's text
    # must not be read as %{...} template syntax.
    X = data.X[pick]
    return go.Scatter(
        x=X[:, 0],
        y=X[:, 1],
        customdata=data.rows[pick],
        mode="markers",
        name=_plotly_text(name),
        marker={"size": POINT_SIZE, "line": {"color": "white", "width": 1}} | marker,
        hovertemplate=hover,
    )
