"""Plotly figure builders for the playground page: decision boundary, loss curves, network, weights.

Every builder takes NumPy arrays and plain Python values and returns a ``go.Figure``; nothing here
imports Streamlit, pandas or nn_core, so the figures can be built and tested without a running app.

Colours follow TensorFlow Playground: orange ``#f59322`` is -1 / class 0, light grey ``#e8eaeb`` is 0
(undecided), blue ``#0877bd`` is +1 / class 1. The same diverging scale shades the boundary, the neuron
thumbnails, the links of the network and the weight matrices, so one legend explains them all.

Speed and payload (the page redraws several times a second): heatmaps get float32 arrays (plotly
serialises them as base64 typed arrays), ``template="none"`` leaves the ~7 KiB default template out
of every update, and the network view draws its thousands of links as at most ten path shapes.
"""

from playground.figures.boundary import HEAT_OPACITY, POINT_SIZE, boundary_figure, class_colorscale
from playground.figures.colors import BLUE, CLASS_COLORS, DIVERGING, LIGHT, ORANGE
from playground.figures.curves import MAX_LOSS_POINTS, downsample, loss_figure
from playground.figures.network import MAX_HOVER_LINKS, THUMB_MAX_PX, link_width_buckets, network_figure
from playground.figures.png import encode_png, png_data_url
from playground.figures.weights import weights_figure

__all__ = (
    "boundary_figure",
    "loss_figure",
    "network_figure",
    "weights_figure",
    "encode_png",
    "png_data_url",
    "class_colorscale",
    "link_width_buckets",
    "downsample",
    "ORANGE",
    "LIGHT",
    "BLUE",
    "DIVERGING",
    "CLASS_COLORS",
    "HEAT_OPACITY",
    "POINT_SIZE",
    "MAX_LOSS_POINTS",
    "MAX_HOVER_LINKS",
    "THUMB_MAX_PX",
)
