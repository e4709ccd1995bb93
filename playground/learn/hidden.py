"""The "hidden space" view (ConvNetJS's "transformed space"): the data, and a grid of lines across
the plane, as one layer of the network sees them.

Layer ``l`` (1 = first hidden layer, ..., ``n_layers`` = output) maps each point of the plane,
through ``expand_features`` and the layers before it, to its activations ``A_l (k,)``. Two of the
``k`` units, or the layer's first two principal components (``nn_core.projection``, fitted on the
training points), give 2-D coordinates: straight grid lines come out bent, folded or squashed, and
the classes move apart until the last hidden layer lets the output unit separate them with a line.

No Streamlit here. ``hidden_view`` returns a ``HiddenView`` of arrays; ``figure`` draws it;
``train_tick`` is one tick of the page's "Keep training" fragment.
"""

from types import MappingProxyType
from typing import NamedTuple

import numpy as np

from nn_core.features import expand_features
from nn_core.projection import pca_2d, project
from playground.figures.hidden import hidden_space_figure

N_LINES = 11  # horizontal and as many vertical grid lines across the domain
POINTS_PER_LINE = 60  # enough for a tanh layer's bends to look smooth
VIEWS = MappingProxyType({"neurons": "Two neurons", "pca": "PCA of the whole layer"})
TICK_SECONDS = 0.3  # "Keep training" period: each tick is a server round trip and a new chart
EPOCHS_PER_TICK = 10  # ~30 epochs a second: slow enough to watch the space move
TICK_TRAIN_BUDGET = 0.1  # seconds of training per tick at most: a big network trains fewer epochs


class HiddenView(NamedTuple):
    """What one picture shows; coordinates are (x, y) in the view's space.

    train (n_train, 2), y_train (n_train,); test (n_test, 2), y_test (n_test,), or both None when the
    test points are not shown; origin_train / origin_test: the same points' (x1, x2) in the plane.
    lines (2 * N_LINES, POINTS_PER_LINE, 2): the grid lines, horizontal ones (x2 fixed) first.
    x_name, y_name: short axis names for hover ("h2.3", "PC1"); x_label, y_label: axis titles.
    problem: None, or why there is nothing to draw (activations that are not finite numbers): a page
    shows this message instead of the picture.
    """

    train: np.ndarray
    y_train: np.ndarray
    test: np.ndarray | None
    y_test: np.ndarray | None
    origin_train: np.ndarray
    origin_test: np.ndarray | None
    lines: np.ndarray
    x_name: str
    y_name: str
    x_label: str
    y_label: str
    problem: str | None = None


# --- layers and units ---------------------------------------------------------------------------
def layer_choices(exp):
    """The layers a page can show: 1 (first hidden layer) ... n_layers (the output layer)."""
    return list(range(1, exp.model.n_layers + 1))


def default_layer(exp):
    """The last hidden layer (the one that must make the classes linearly separable), or the output
    layer of a network without hidden layers."""
    return max(1, exp.model.n_layers - 1)


def n_units(exp, layer):
    """Number of units of ``layer`` (1-based, as in ``layer_choices``)."""
    return exp.model.layer_sizes[_check_layer(exp, layer)]


def layer_label(exp, layer):
    """``"Hidden layer 2 (4 neurons)"`` or ``"Output layer (1 neuron)"``."""
    k = n_units(exp, layer)
    name = "Output layer" if layer == exp.model.n_layers else f"Hidden layer {layer}"
    return f"{name} ({k} neuron{'s' if k != 1 else ''})"


def unit_name(exp, layer, unit):
    """A unit's name as the Playground's network view writes it: ``"h2.3"`` (layer 2, unit 3 counted
    from 1), ``"output"`` or ``"output 2"``. ``unit`` counts from 0."""
    k = n_units(exp, layer)
    if layer < exp.model.n_layers:
        return f"h{layer}.{unit + 1}"
    return "output" if k == 1 else f"output {unit + 1}"


def default_units(k):
    """The units a layer of ``k`` units shows first: (0, 1), or (0, 0) for a one-unit layer."""
    return 0, min(1, k - 1)


# --- geometry ------------------------------------------------------------------------------------
def grid_lines(domain, *, n_lines=N_LINES, n_points=POINTS_PER_LINE):
    """Straight lines across the square ``domain = (low, high)``: (2 * n_lines, n_points, 2) points,
    first the horizontal lines (x2 fixed, bottom to top), then the vertical ones (x1 fixed)."""
    low, high = domain
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ValueError(f"domain must be finite (low, high) with low < high; got {domain!r}")
    if n_lines < 2 or n_points < 2:
        raise ValueError(f"n_lines and n_points must be >= 2; got {n_lines} and {n_points}")
    along = np.linspace(low, high, n_points)
    across = np.linspace(low, high, n_lines)
    fixed, moving = np.meshgrid(across, along, indexing="ij")  # both (n_lines, n_points)
    horizontal = np.stack([moving, fixed], axis=2)
    vertical = np.stack([fixed, moving], axis=2)
    return np.concatenate([horizontal, vertical])


def layer_outputs(exp, X, layer):
    """Activations of ``layer`` for plane points ``X (n, 2)``: (n, n_units) float64. May hold
    NaN/inf when the network's weights are not finite or a unit overflows; callers check."""
    _check_layer(exp, layer)
    with np.errstate(all="ignore"):  # overflow is reported by the caller, not as a warning
        inputs = expand_features(X, exp.config.input_features)
        return exp.model.layer_activations(inputs)[layer].astype(np.float64)


# --- the views -------------------------------------------------------------------------------------
def input_view(exp, *, show_test=False):
    """The reference picture: the points and the straight grid in the input plane (x1, x2)."""
    X_train, X_test, y_train, y_test = exp.points
    test, y_test = (X_test, y_test) if show_test else (None, None)
    return HiddenView(
        X_train, y_train, test, y_test, X_train, test, grid_lines(exp.domain), "x1", "x2", "x1", "x2"
    )


def hidden_view(exp, *, layer, units="pca", show_test=False):
    """The points and the grid lines in the space of ``layer``.

    ``units``: ``"pca"`` (the layer's first two principal components, fitted on the training
    points) or a pair ``(i, j)`` of unit indices (from 0) for the x and y axes; a one-unit layer
    shows its unit on x and 0 on y. Returns a ``HiddenView``.
    """
    k = n_units(exp, layer)
    pair = _check_units(units, k)
    X_train, X_test, y_train, y_test = exp.points
    test, y_test = (X_test, y_test) if show_test else (None, None)
    lines = grid_lines(exp.domain)
    parts = [X_train] + ([test] if show_test else []) + [lines.reshape(-1, 2)]
    # One forward pass for the points and the grid together.
    A = layer_outputs(exp, np.concatenate(parts), layer)
    if not np.all(np.isfinite(A)):
        return _nothing(_not_finite_message(exp, layer))
    if pair is None:
        coords, names, labels = _pca_coords(A, len(X_train))
    else:
        coords, names, labels = _unit_coords(exp, layer, A, pair)
    n_train, n_test = len(X_train), len(test) if show_test else 0
    return HiddenView(
        train=coords[:n_train],
        y_train=y_train,
        test=coords[n_train : n_train + n_test] if show_test else None,
        y_test=y_test,
        origin_train=X_train,
        origin_test=test,
        lines=coords[n_train + n_test :].reshape(lines.shape),
        x_name=names[0],
        y_name=names[1],
        x_label=labels[0],
        y_label=labels[1],
    )


def _pca_coords(A, n_train):
    """Rows of ``A`` on the principal axes of its first ``n_train`` rows (the training points)."""
    _, components, explained, mean = pca_2d(A[:n_train])
    names = ("PC1", "PC2")
    labels = tuple(f"{name} ({share:.0%} of the variance)" for name, share in zip(names, explained))
    return project(A, mean, components), names, labels


def _unit_coords(exp, layer, A, pair):
    """Columns ``pair`` of ``A``; a one-unit layer gets a zero y axis."""
    if A.shape[1] == 1:
        name = unit_name(exp, layer, 0)
        coords = np.column_stack([A[:, 0], np.zeros(len(A))])
        return coords, (name, "0"), (f"{name} activation", "(one neuron: no second axis)")
    names = tuple(unit_name(exp, layer, i) for i in pair)
    return A[:, list(pair)], names, tuple(f"{name} activation" for name in names)


def _nothing(problem):
    """A view without points or lines that says why."""
    none = np.zeros((0, 2))
    return HiddenView(none, np.zeros(0), None, None, none, None, np.zeros((0, 2, 2)), "", "", "", "", problem)


def _not_finite_message(exp, layer):
    return (
        f"Some activations of {layer_label(exp, layer).lower()} are not finite numbers (the weights have "
        "grown too large), so there is no space to draw. Lower the learning rate or add regularization, "
        "then reset the network."
    )


def notice(exp):
    """None, or a warning to show with the picture: training diverged. The trainer then keeps the
    last finite weights, so the picture still shows a network: the one before the blow-up."""
    if not exp.diverged:
        return None
    return (
        f"Training diverged at epoch {exp.trainer.diverged_epoch} (the loss or a weight stopped being "
        f"finite). The picture shows the last finite weights, from epoch {exp.epoch}; a lower learning "
        "rate lets training go on."
    )


# --- drawing and training ---------------------------------------------------------------------------
def figure(exp, view, *, title=""):
    """``view`` as a Plotly figure, coloured by class (or by target for regression)."""
    return hidden_space_figure(
        lines=view.lines,
        train=view.train,
        y_train=view.y_train,
        test=view.test,
        y_test=view.y_test,
        origin_train=view.origin_train,
        origin_test=view.origin_test,
        task=exp.config.task,
        n_classes=exp.config.classes,
        x_name=view.x_name,
        y_name=view.y_name,
        x_label=view.x_label,
        y_label=view.y_label,
        title=title,
    )


def epochs_per_tick(exp):
    """EPOCHS_PER_TICK, fewer if that would take more than TICK_TRAIN_BUDGET seconds (one epoch
    before any has been timed: a big network must not freeze the first tick)."""
    per_epoch = exp.seconds_per_epoch()
    if per_epoch == 0:
        return 1
    return max(1, min(EPOCHS_PER_TICK, int(TICK_TRAIN_BUDGET / per_epoch)))


def train_tick(exp):
    """One "Keep training" tick: train a few epochs. Returns True when training cannot go on
    (diverged, or the experiment's epoch budget is reached)."""
    exp.train(epochs_per_tick(exp))
    return exp.diverged or exp.finished


def status(exp):
    """One line under the picture: the epoch and the latest accuracies (or losses for regression)."""
    record = exp.metrics()
    if exp.config.task == "regression":
        keys, fmt = ("train_loss", "val_loss"), "{:.4f}"
        names = ("train loss", "test loss")
    else:
        keys, fmt = ("train_accuracy", "val_accuracy"), "{:.0%}"
        names = ("train accuracy", "test accuracy")
    parts = [f"epoch {exp.epoch}"]
    parts += [f"{n} {fmt.format(record[k])}" for n, k in zip(names, keys) if record.get(k) is not None]
    return " · ".join(parts)


# --- checks -----------------------------------------------------------------------------------------
def _check_layer(exp, layer):
    n = exp.model.n_layers
    if isinstance(layer, bool) or not isinstance(layer, int | np.integer) or not 1 <= layer <= n:
        raise ValueError(f"layer must be an int in [1, {n}] (1 = first hidden layer); got {layer!r}")
    return int(layer)


def _check_units(units, k):
    """None for ``"pca"``, else the pair (i, j) checked against the layer's ``k`` units."""
    if isinstance(units, str) and units == "pca":
        return None
    ok = isinstance(units, tuple | list) and len(units) == 2
    ok = ok and all(isinstance(u, int | np.integer) and not isinstance(u, bool) for u in units)
    if not ok or not all(0 <= u < k for u in units):
        raise ValueError(f"units must be 'pca' or a pair of unit indices in [0, {k - 1}]; got {units!r}")
    return int(units[0]), int(units[1])
