"""Where the network view puts things: ``Geometry`` (columns, unit rows, thumbnail and bias sizes, in
data coordinates tied to pixels), the units' names, and the invisible markers that carry hover text
over what is drawn as shapes and images. Shared by ``playground.figures.network`` and
``playground.figures.network_params``.
"""

import numpy as np
import plotly.graph_objects as go

THUMB_MAX_PX = 48


class Geometry:
    """Where everything goes, in data coordinates that keep all link coordinates small integers.

    Column (layer) l sits at x = l. Unit j of an n-unit column sits at y = (n - 1) - 2j: one unit per
    2 y-units, centred on 0, so every y is an integer and the JSON of ~30k links stays compact. The x
    axis is tied to the y axis (``scaleanchor``) so both map to pixels at known ratios: thumbnails
    are square and the bias squares land exactly beside them, whatever width the page gives.
    """

    MARGIN_TOP, MARGIN_BOTTOM = 34, 6

    def __init__(self, sizes, height, feature_names, output_names, width=None):
        self.sizes = sizes
        self.n_max = max(sizes)
        self.height = int(height) if height else max(360, 26 * self.n_max)
        plot_px = max(self.height - self.MARGIN_TOP - self.MARGIN_BOTTOM, 50)
        self.px_per_y = plot_px / (2 * self.n_max)  # the y range is [-n_max, n_max]
        # Thumbnail: 75 % of the vertical spacing (2 y-units) so 64 units still fit, at most 48 px.
        self.thumb_px = min(0.75 * 2 * self.px_per_y, THUMB_MAX_PX)
        self.bias_px = max(4.0, 0.3 * self.thumb_px)
        self.left_label_px = 8 + 7 * max(len(str(n)) for n in feature_names)
        self.right_label_px = 8 + 7 * max(len(str(n)) for n in output_names) if output_names else 4
        self.col_px = self._column_px(width)
        self.ratio = self.col_px / self.px_per_y  # 1 x-unit = ratio y-units on screen
        self.thumb_y = self.thumb_px / self.px_per_y
        self.thumb_x = self.thumb_px / self.col_px

    def _column_px(self, width):
        """Pixels between two layers' columns: a nominal spacing, or (``width``: the pixels the view
        expects to have) what spreads the columns over that width, so the drawing fills its box."""
        if not width or len(self.sizes) < 2:
            return float(np.clip(720 / len(self.sizes), 70, 160))
        edges = self.thumb_px + self.left_label_px + self.bias_px + 4 + self.right_label_px
        return float(np.clip((width - edges) / (len(self.sizes) - 1), 70, 320))

    def unit_y(self, layer):
        """(n_layer,) int y of the units of ``layer``, top to bottom."""
        n = self.sizes[layer]
        return (n - 1) - 2 * np.arange(n)

    def x_range(self):
        left = -self.thumb_x / 2 - (self.left_label_px + self.bias_px + 4) / self.col_px
        right = len(self.sizes) - 1 + self.thumb_x / 2 + self.right_label_px / self.col_px
        return [left, right]


def unit_names(sizes, feature_names, output_names):
    """names[l][j]: "x1" (inputs), "h2.3" (hidden layer 2, unit 3), "output" / output_names (last)."""
    names = [[str(n) for n in feature_names]]
    names += [[f"h{lay}.{j + 1}" for j in range(n)] for lay, n in enumerate(sizes[1:-1], start=1)]
    if output_names is not None:
        names.append([str(n) for n in output_names])
    else:
        names.append(["output"] if sizes[-1] == 1 else [f"output {j + 1}" for j in range(sizes[-1])])
    return names


def hover_markers(x, y, text, *, name, size=8, symbol=None):
    """Invisible markers at (x, y) that show ``text`` on hover: links, biases and thumbnails are shapes
    and images, which plotly does not hover. ``symbol``: None for plotly's default (a circle)."""
    shape = {"symbol": symbol} if symbol else {}
    return go.Scatter(
        x=x,
        y=y,
        mode="markers",
        marker=shape | dict(size=size, color="rgba(0, 0, 0, 0)"),
        hovertext=text,
        hoverinfo="text",
        name=name,
        showlegend=False,
    )
