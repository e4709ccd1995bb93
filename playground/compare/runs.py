"""Compare runs: two to four configurations trained side by side on the same data and seeds.

A comparison is a *base* ``Config`` (the Playground's, or the defaults) and, per run, the settings in
which that run differs from it: ``overrides``, a dict {field: value} over ``RUN_FIELDS``. The data,
the input features and the seeds are never overridden, so every run sees the same points, shuffles
them in the same order and, when its architecture and init agree with another run's, starts from the
same weights: a difference between the curves is the settings' doing.

This module owns the runs' settings: what a run may change, their checks, the presets, and the words
for them. The rest of the feature: ``widgets`` (the page's widget state), ``training`` (the runs
trained round-robin, their ``Results``), ``report`` (what the results show). Nothing here imports
Streamlit. Order: the run settings and their checks, presets, what every run shares.
"""

import dataclasses
from types import MappingProxyType
from typing import NamedTuple

from playground.core import catalog
from playground.core.config import (
    FIELDS,
    HEADS,
    MAX_HIDDEN_LAYERS,
    REGULARIZATIONS,
    UPLOAD,
    Config,
    normalize,
)

MIN_RUNS, MAX_RUNS = 2, 4
RUN_NAMES = ("A", "B", "C", "D")
# What a run may change, in the order its column shows them. Everything else is the base's.
RUN_FIELDS = (
    "optimizer", "learning_rate", "activation", "head", "regularization", "reg_rate",
    "init", "bias_init", "hidden", "batch_size", "dropout", "schedule",
)  # fmt: skip
LABELS = MappingProxyType({name: FIELDS[name].label for name in RUN_FIELDS} | {"batch_size": "Batch size"})
# Numeric fields have a range, not a list: a short ladder to pick from (the base's value is added).
LADDERS = MappingProxyType(
    {
        "hidden": ((), (4,), (8,), (4, 4), (8, 8), (16, 16), (32, 32), (8, 8, 8), (64, 64)),
        "batch_size": (0, 1, 10, 32, 64, 256),
        "dropout": (0.0, 0.1, 0.2, 0.3, 0.5),
    }
)


class Run(NamedTuple):
    """One run: its name ("A" to "D"), its full config, and what differs from the base, as text."""

    name: str
    config: Config
    differs: str


# --- run settings ---------------------------------------------------------------------------------
def base_config(config=None):
    """The base of a comparison: ``config`` (the Playground's) or the defaults, without what does not
    change training (the view settings, the speed) and without an epoch budget (the page sets one)."""
    default = Config()
    config = config or default
    view = dict(max_epochs=0, speed=default.speed, show_test=False, discretize=False)
    return normalize(dataclasses.replace(config, **view))[0]


def format_value(field, value, task=None):
    """A run setting as the user reads it: ``(4, 4)`` -> "4, 4", batch size 0 -> "full batch". Given the
    ``task``, an output/loss pair that does not fit it says so (picked anyway, it becomes the task's
    default head, with a note)."""
    if field == "head":  # short: four runs' columns are narrow (BCE: binary cross-entropy)
        fits = task is None or task in HEADS[value].tasks
        return HEADS[value].short + ("" if fits else f" (not for {task})")
    if field == "hidden":
        return ", ".join(map(str, value)) if value else "none (linear)"
    if field == "batch_size":
        return "full batch" if value == 0 else str(value)
    if field == "bias_init":  # "as the weight init", without its parenthesis: a narrow column
        return catalog.short_label(field, value)
    if field in catalog.LABELS:  # a registry name: its display name
        return catalog.label(field, value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def settings(config):
    """{label: text} of a config's run settings, regularization and its rate as one entry ("L2 0.01",
    or "none" when the penalty is 0): two configs with equal settings train identically."""
    texts = {LABELS[f]: format_value(f, getattr(config, f)) for f in RUN_FIELDS if f != "reg_rate"}
    rate = config.l1 or config.l2
    penalty = catalog.label("regularization", config.regularization)
    texts[LABELS["regularization"]] = f"{penalty} {rate:g}" if rate else "none"
    return texts


def differences(base, config):
    """What ``config`` changes from ``base``, e.g. "Optimizer: adam; Learning rate: 0.1"."""
    ours, theirs = settings(config), settings(base)
    changed = [f"{label}: {text}" for label, text in ours.items() if text != theirs[label]]
    return "; ".join(changed) or "same as base"


def choices(field, base):
    """The values a run may pick for ``field``: its allowed values (``FIELDS``), or for a numeric field
    a short ladder; the base's own value is always among them. Returns a tuple."""
    listed = FIELDS[field].choices or LADDERS[field]
    value = getattr(base, field)
    if value in listed:
        return tuple(listed)
    order = (lambda h: (len(h), h)) if field == "hidden" else None
    return tuple(sorted((*listed, value), key=order))


def check_override(field, value):
    """Raise ValueError unless a run may set ``field`` to ``value`` (the ranges of ``FIELDS``)."""
    if field not in RUN_FIELDS:
        raise ValueError(f"a run may change only {list(RUN_FIELDS)}; got {field!r}")
    spec = FIELDS[field]
    if field == "hidden":
        ok = isinstance(value, tuple) and len(value) <= MAX_HIDDEN_LAYERS
        ok = ok and all(type(n) is int and spec.low <= n <= spec.high for n in value)
    elif spec.choices:
        ok = value in spec.choices
    else:
        kinds = (int,) if field == "batch_size" else (int, float)
        ok = isinstance(value, kinds) and not isinstance(value, bool) and spec.low <= value <= spec.high
    if not ok:
        allowed = f"one of {list(spec.choices)}" if spec.choices else f"from {spec.low:g} to {spec.high:g}"
        raise ValueError(f"{spec.label} must be {allowed}; got {value!r}")


def build_runs(base, overrides):
    """The runs of a comparison: the base with each run's overrides, checked and made to fit.

    base: Config; overrides: 2 to 4 dicts {field: value} (fields from ``RUN_FIELDS``).
    Returns (runs: list of Run, notes: list of str). A head that does not fit the task becomes the
    task's default head (``config.normalize``) with a note; runs with the same settings get a note.
    """
    if not MIN_RUNS <= len(overrides) <= MAX_RUNS:
        raise ValueError(f"a comparison has {MIN_RUNS} to {MAX_RUNS} runs; got {len(overrides)}")
    base = base_config(base)
    runs, notes = [], []
    for name, changes in zip(RUN_NAMES, overrides):
        for field, value in changes.items():
            check_override(field, value)
        # A run's own activation (set by it or its preset) is every hidden layer's: it replaces a
        # base with one activation per layer.
        every_layer = {"layer_activations": ()} if "activation" in changes else {}
        config, fixes = normalize(dataclasses.replace(base, **changes, **every_layer))
        notes += [f"Run {name}: {fix}" for fix in fixes]
        if config.regularization != "none" and config.reg_rate == 0:
            penalty = catalog.label("regularization", config.regularization)
            notes.append(f"Run {name}: {penalty} at rate 0 has no effect.")
        runs.append(Run(name, config, differences(base, config)))
    return runs, notes + identical_notes(runs)


def identical_notes(runs):
    """One note per group of runs whose settings are equal (they would draw the same curves)."""
    groups = {}
    for run in runs:
        groups.setdefault(tuple(settings(run.config).items()), []).append(run.name)
    return [
        f"Runs {', '.join(names)} have the same settings: they train identically and their curves coincide."
        for names in groups.values()
        if len(names) > 1
    ]


# --- presets ----------------------------------------------------------------------------------------
PRESETS = MappingProxyType(
    {
        "optimizers": "Optimizers",  # SGD vs momentum vs Adam: too long for a fifth of the page
        "activations": "tanh vs ReLU",
        "losses": "MSE vs cross-entropy",
        "regularization": "L1 vs L2",
        "learning_rates": "Learning rates",
    }
)
# Cross-entropy vs MSE on the same output where the task allows it (binary: both sigmoid).
FIRST_PRESET = "optimizers"
_LOSS_HEADS = MappingProxyType(
    {"binary": ("sigmoid_mse", "sigmoid_bce"), "multiclass": ("sigmoid_mse", "softmax_ce")}
)


def preset_overrides(name, task):
    """The runs of a preset, as overrides: a list of dicts. Raises ValueError if the preset does not
    apply to the task (cross-entropy needs classes)."""
    if name not in available_presets(task):
        raise ValueError(f"preset must be one of {available_presets(task)} for a {task} task; got {name!r}")
    if name == "optimizers":
        return [{"optimizer": o} for o in ("sgd", "momentum", "adam")]
    if name == "activations":
        return [{"activation": a} for a in ("tanh", "relu")]
    if name == "losses":
        return [{"head": h} for h in _LOSS_HEADS[task]]
    if name == "regularization":
        return [{"regularization": r, "reg_rate": 0.0 if r == "none" else 0.01} for r in REGULARIZATIONS]
    return [{"learning_rate": rate} for rate in (0.003, 0.03, 0.3, 3.0)]


def available_presets(task):
    """The preset ids that apply to ``task`` ("binary", "multiclass" or "regression")."""
    return [name for name in PRESETS if not (name == "losses" and task == "regression")]


def describe_data(base, upload=None):
    """What every run shares, in one sentence (``upload``: the user's data, for the dataset "upload")."""
    data = f"{base.dataset}, {base.n_samples} points, noise {base.noise:g}"
    if base.dataset == UPLOAD and upload is not None:
        data = f"your file {upload.name}, {len(upload.X)} points"
    return (
        f"Every run trains on the same data: {data}, "
        f"{base.train_percent}% for training, data seed {base.data_seed}, features "
        f"{', '.join(base.input_features)}; and with the same init seed {base.init_seed}: the same batch "
        "order and, where the layers and init agree, the same starting weights."
    )
