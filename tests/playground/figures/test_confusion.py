"""The confusion matrix heatmap: rows the true class (class 0 on top), columns the predicted one, the
counts as the cells' values and text; class names from an uploaded file when there is one per class."""

import numpy as np
import pytest

from playground.figures.colors import BLUE
from playground.figures.confusion import class_labels, confusion_colorscale, confusion_figure


def test_confusion_figure_holds_the_counts_rows_true_columns_predicted():
    C = [[5, 1, 0], [2, 7, 1], [0, 0, 9]]
    fig = confusion_figure(C)
    (trace,) = fig.data
    assert trace.type == "heatmap" and np.array(trace.z).tolist() == C
    assert list(trace.x) == list(trace.y) == ["0", "1", "2"]
    assert trace.zmin == 0 and trace.zmax == 9 and trace.texttemplate == "%{z}"
    assert fig.layout.yaxis.autorange == "reversed"  # row 0, class 0, at the top
    assert fig.layout.xaxis.title.text == "predicted" and fig.layout.yaxis.title.text == "true"


def test_confusion_figure_names_the_classes_and_survives_an_empty_matrix():
    fig = confusion_figure(np.zeros((2, 2), dtype=int), class_names=("cat", "dog"), title="test set")
    assert list(fig.data[0].x) == ["cat", "dog"] and fig.data[0].zmax == 1  # (a colour range, not 0..0)
    assert fig.layout.title.text == "test set"
    assert class_labels(3, ("only", "two")) == ["0", "1", "2"]  # names that do not fit are not used


@pytest.mark.parametrize("bad", [[1, 2], [[1, 2, 3], [4, 5, 6]], np.zeros((0, 0))])
def test_confusion_figure_refuses_a_non_square_matrix(bad):
    with pytest.raises(ValueError, match="confusion must be a"):
        confusion_figure(bad)


def test_class_names_show_as_typed_and_stay_distinct():
    """A file's class names may hold Plotly's HTML tags (a link): escaped. Names cut to the same
    text would merge two categories: the classes are then numbered."""
    assert class_labels(2, ("<a href='x'>a</a>", "b & c")) == ["&lt;a href='x'&gt;a&lt;/a&gt;", "b &amp; c"]
    assert class_labels(2, ("x" * 50 + "1", "x" * 50 + "2")) == ["0", "1"]


def lightness(hex_color):
    """0 (black) to 1 (white): the luma of a "#rrggbb" colour."""
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return (0.299 * r + 0.587 * g + 0.114 * b) / 255


def test_the_heatmap_starts_from_the_page_not_from_white_on_a_dark_theme():
    """A white 0 glares on a dark page: there the empty cells are dark grey, the largest count the
    playground's blue in both themes; on a light theme 0 stays white."""
    light = confusion_figure([[3, 0], [1, 4]]).data[0].colorscale
    dark = confusion_figure([[3, 0], [1, 4]], dark=True).data[0].colorscale
    assert lightness(light[0][1]) == 1.0 and lightness(dark[0][1]) < 0.2
    assert light[-1][1] == dark[-1][1] == BLUE
    assert confusion_colorscale(dark=True) == tuple(tuple(step) for step in dark)
