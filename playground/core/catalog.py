"""The app catalog: one record per registry name, with everything the app shows or writes for it.

nn_core's registries (``ACTIVATIONS``, ``OUTPUTS``, ``LOSSES``, ``OPTIMIZERS``, ``INITIALIZERS``,
``BIAS_INITIALIZERS``, ``DATASETS``, ``FEATURES``) say what a name computes; this catalog says how the
app presents it: the display label, the formulas the backprop stepper shows, the code of the
standalone script, the TensorFlow Playground setting that means the same (or ``NO_EQUIVALENT``). Pages
and features read these records and keep no table of their own keyed by these names.

Adding a name to an nn_core registry means adding its record here (``catalog_maths.py`` holds the
records with formulas and code); ``tests/test_recipes.py`` fails until every key has a complete record.
``CONTRIBUTING.md`` lists the other steps. The record types are in ``catalog_records.py``.

``label(kind, name)`` is the one table of display names: a registry name never reaches the user raw
(selectboxes' ``format_func``, pills, notices, tables all call it).
"""

import math
from types import MappingProxyType

from nn_core.features import FEATURE_LABELS
from playground.core.catalog_maths import ACTIVATIONS, LOSSES, OPTIMIZERS
from playground.core.catalog_records import (
    NO_EQUIVALENT,
    TF_ALWAYS,
    Activation,
    BiasInitializer,
    Dataset,
    Feature,
    Initializer,
    Loss,
    Optimizer,
    Output,
    table,
)
from playground.core.config import DRAWN, FORMULA, HEADS, REGULARIZATIONS, UPLOAD, UPLOAD_TASKS

__all__ = (
    "ACTIVATIONS",
    "BIAS_INITIALIZERS",
    "DATASETS",
    "FEATURES",
    "INITIALIZERS",
    "LOSSES",
    "NO_EQUIVALENT",
    "OPTIMIZERS",
    "OUTPUTS",
    "TF_ALWAYS",
    "Activation",
    "BiasInitializer",
    "LABELS",
    "label",
    "Dataset",
    "Feature",
    "Initializer",
    "Loss",
    "Optimizer",
    "Output",
)

# The output layer's function in TF Playground: tanh for classification, linear for regression
# (playground.ts). The formulas and code of each are its ``ACTIVATIONS`` record.
OUTPUTS = table(
    Output("sigmoid", NO_EQUIVALENT),
    Output("softmax", NO_EQUIVALENT),
    Output("tanh", "problem=classification"),
    Output("linear", "problem=regression"),
)

INITIALIZERS = table(
    Initializer("zeros", "zeros", "initZero=true"),
    Initializer("small", "small (0.01 randn)", NO_EQUIVALENT),
    Initializer("normal", "normal (randn)", NO_EQUIVALENT),
    Initializer("uniform", "uniform (TF Playground)", "initZero=false"),
    Initializer("xavier", "Xavier (Glorot)", NO_EQUIVALENT),
    Initializer("he", "He", NO_EQUIVALENT),
)

# Bias inits (nn_core.BIAS_INITIALIZERS); "auto", the weight init's own biases, is the app's and has
# its label in LABELS below.
BIAS_INITIALIZERS = table(
    BiasInitializer("zeros", "zeros", "initZero=true"),
    BiasInitializer("constant", "0.1 (TF Playground)", "initZero=false"),
    BiasInitializer("uniform", "uniform ±√(6/(in+out)) (scikit-learn)", NO_EQUIVALENT),
    BiasInitializer("normal", "normal, std 0.1", NO_EQUIVALENT),
)
AUTO_BIAS_LABEL = "as the weight init (0; 0.1 with uniform)"

# TF's noise t (its slider / 100) -> ours in [0, 1], matched on the spread each generator gives; the
# scales (1.5, 2.0, 0.7 + 2.6 noise, ...) are those of nn_core/datasets.py's generators.
_R3 = math.sqrt(3)  # U(-a, a) has std a / sqrt(3)
DATASETS = table(
    Dataset(
        "xor",
        "XOR (quadrants)",
        "dataset=xor",
        lambda t: 5 * t / _R3 / 2.0,
        "TF flips labels near the axes (each taken at the point moved by U(±5t) per axis, "
        "t = noise/100); here the points move, Gaussian std 2 × noise. Same spread (5t/√3)",
    ),
    Dataset(
        "circles",
        "Circles",
        "dataset=circle",
        lambda t: 5 * t / _R3 / 1.5,
        "TF flips labels near the edge (each taken at the point moved by U(±5t) per axis, "
        "t = noise/100); here the points move, Gaussian std 1.5 × noise. Same spread (5t/√3)",
    ),
    Dataset("moons", "Moons", NO_EQUIVALENT, None, ""),
    Dataset(
        "gaussian",
        "Two Gaussians",
        "dataset=gauss",
        lambda t: (math.sqrt(0.5 + 7 * t) - 0.7) / 2.6,
        "TF's cluster variance grows from 0.5 to 4 as noise goes 0 to 50; here the std "
        "is 0.7 + 2.6 × noise. Same std",
    ),
    Dataset(
        "spiral",
        "Spiral (2-5 arms)",
        "dataset=spiral",
        lambda t: t / _R3,
        "TF jitters the points by U(±t) per axis (t = noise/100); here Gaussian, std = noise. Same std",
    ),
    Dataset("blobs", "Blobs (2-5 clusters)", NO_EQUIVALENT, None, ""),
    Dataset("above_sine", "Above a sine wave", NO_EQUIVALENT, None, ""),
    Dataset("above_cubic", "Above a cubic", NO_EQUIVALENT, None, ""),
    Dataset("above_abs", "Above |x| - 2", NO_EQUIVALENT, None, ""),
    Dataset("star", "Inside a star", NO_EQUIVALENT, None, ""),
    Dataset("xor_table", "XOR truth table (4 points, the tutorial)", NO_EQUIVALENT, None, ""),
    Dataset(
        "plane",
        "Regression: plane",
        "regDataset=reg-plane",
        lambda t: math.sqrt(6) * t / 3,
        "TF takes the target at the point moved by U(±6t) (t = noise/100: target std 0.49t "
        "on a ±1.2 range); here Gaussian noise of std noise/2 on a ±1 range. Same noise for the range",
    ),
    Dataset(
        "multi_gaussian",
        "Regression: multi-Gaussian",
        "regDataset=reg-gauss",
        lambda t: 2 * _R3 * t,
        "TF takes the target at the point moved by U(±6t) (t = noise/100); here "
        "Gaussian noise of std noise/2 on the target. Same change along a bump's slope (0.5 per unit)",
    ),
)

# The labels are nn_core's FEATURE_LABELS for now (experiment.py reads them there too): one home.
FEATURES = table(
    Feature("x1", FEATURE_LABELS["x1"], "X[:, 0]", "x=true"),
    Feature("x2", FEATURE_LABELS["x2"], "X[:, 1]", "y=true"),
    Feature("x1_sq", FEATURE_LABELS["x1_sq"], "X[:, 0] ** 2", "xSquared=true"),
    Feature("x2_sq", FEATURE_LABELS["x2_sq"], "X[:, 1] ** 2", "ySquared=true"),
    Feature("x1_x2", FEATURE_LABELS["x1_x2"], "X[:, 0] * X[:, 1]", "xTimesY=true"),
    Feature("sin_x1", FEATURE_LABELS["sin_x1"], "np.sin(X[:, 0])", "sinX=true"),
    Feature("sin_x2", FEATURE_LABELS["sin_x2"], "np.sin(X[:, 1])", "sinY=true"),
)


# Every name the user may see, by kind: the Config field that holds it ("dataset", "features",
# "activation", "head", "init", "bias_init", "optimizer", "regularization", "upload_task", "schedule",
# "stop_rule"), or "output" / "loss" for a head's parts. The nn_core names' labels are on their records
# above; the rest are the app's.
LABELS = MappingProxyType(
    {
        "dataset": MappingProxyType(
            {name: r.label for name, r in DATASETS.items()}
            | {FORMULA: "Your formula (class 1 where f > 0)"}
            | {DRAWN: "Drawn by hand"}
            | {UPLOAD: "Your data (upload a CSV on the Your data page)"}
        ),
        "features": MappingProxyType({name: r.label for name, r in FEATURES.items()}),
        "activation": MappingProxyType({name: r.label for name, r in ACTIVATIONS.items()}),
        "layer_activations": MappingProxyType({name: r.label for name, r in ACTIVATIONS.items()}),
        "output": MappingProxyType({name: ACTIVATIONS[name].label for name in OUTPUTS}),
        "loss": MappingProxyType({name: r.label for name, r in LOSSES.items()}),
        "head": MappingProxyType({name: head.label for name, head in HEADS.items()}),
        "init": MappingProxyType({name: r.label for name, r in INITIALIZERS.items()}),
        "bias_init": MappingProxyType(
            {"auto": AUTO_BIAS_LABEL} | {name: r.label for name, r in BIAS_INITIALIZERS.items()}
        ),
        "optimizer": MappingProxyType({name: r.label for name, r in OPTIMIZERS.items()}),
        "regularization": MappingProxyType(dict(zip(REGULARIZATIONS, ("none", "L1", "L2"), strict=True))),
        "schedule": MappingProxyType(
            {
                "constant": "constant",
                "step": "step decay (× factor every period)",
                "exponential": "exponential decay (× factor per period, smoothly)",
                "cosine": "cosine, restarting every period",
                "triangular": "cyclic triangle (up and down, a period each way)",
            }
        ),
        "stop_rule": MappingProxyType(
            {
                "none": "never (until paused or the epochs run out)",
                "test_loss_below": "test loss is below the target",
                "train_loss_below": "training loss is below the target",
                "test_accuracy_reached": "test accuracy reaches the target",
                "train_accuracy_reached": "training accuracy reaches the target",
                "plateau": "the loss stops improving (patience)",
            }
        ),
        "upload_task": MappingProxyType(
            dict(
                zip(
                    UPLOAD_TASKS,
                    ("binary classification", "multi-class classification", "regression"),
                    strict=True,
                )
            )
        ),
    }
)


def label(kind, name):
    """What the user reads for ``name`` of ``kind`` (a key of ``LABELS``): ``label("features",
    "x2_sq")`` is "x2²". Raises KeyError for a name without one, so a missing label fails loudly
    (``tests/playground/core/test_labels.py`` checks every name has one)."""
    return LABELS[kind][name]


def short_label(kind, name):
    """``label`` without its parenthesis, for a narrow place such as a column title: "GELU" for
    "GELU (tanh approx.)"."""
    return label(kind, name).split(" (")[0]


def labels(kind, names):
    """The labels of ``names`` joined with commas, e.g. "x1, x2²"."""
    return ", ".join(label(kind, name) for name in names)


def feature_label(name, limit=14):
    """What an input unit is called: a fixed feature's label ("x1²"), or a typed feature formula as
    typed, cut to ``limit`` characters ("…" last) so a long one leaves the network view room."""
    if name in LABELS["features"]:
        return label("features", name)
    return name if len(name) <= limit else name[: limit - 1] + "…"
