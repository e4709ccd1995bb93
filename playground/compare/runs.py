"""Compare runs: two to four configurations trained side by side on the same data and seeds.

A comparison is a *base* ``Config`` (the Playground's, or the defaults) and, per run, the settings in
which that run differs from it: ``overrides``, a dict {field: value} over ``RUN_FIELDS``. The data,
the input features and the seeds are never overridden, so every run sees the same points, shuffles
them in the same order and, when its architecture and init agree with another run's, starts from the
same weights: a difference between the curves is the settings' doing.

``train_runs`` trains the runs round-robin, a chunk of epochs each in turn, so one progress bar moves
for all of them together; training in chunks gives bit for bit the numbers of one long call.

The page's widgets are read and written through a plain mapping (``st.session_state`` on the page, a
dict in the tests), under keys prefixed ``cmp_``; nothing here imports Streamlit. Order: the run
settings and their checks, presets, the widgets' state, training, what the results show.
"""

import dataclasses
import math
import time
from types import MappingProxyType
from typing import NamedTuple

import numpy as np

from playground.core.config import (
    FIELDS,
    HEADS,
    MAX_HIDDEN_LAYERS,
    REGULARIZATIONS,
    UPLOAD,
    Config,
    normalize,
)
from playground.core.experiment import Experiment

MIN_RUNS, MAX_RUNS = 2, 4
RUN_NAMES = ("A", "B", "C", "D")
MAX_EPOCHS, DEFAULT_EPOCHS = 2000, 300
CHUNKS = 20  # progress steps per run: each run trains n_epochs / CHUNKS epochs at a time
CHUNK_SECONDS = 0.5  # ... or fewer, so that the progress bar moves (and the budget is checked) often
TIME_BUDGET = 60.0  # seconds of training per press of Train, whatever the settings (a shared server)
# What a run may change, in the order its column shows them. Everything else is the base's.
RUN_FIELDS = (
    "optimizer", "learning_rate", "activation", "head", "regularization", "reg_rate",
    "init", "hidden", "batch_size", "dropout",
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
REG_NAMES = MappingProxyType({"none": "none", "l1": "L1", "l2": "L2"})


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
    if field == "head":
        fits = task is None or task in HEADS[value].tasks
        return HEADS[value].label + ("" if fits else f" (not for {task})")
    if field == "hidden":
        return ", ".join(map(str, value)) if value else "none (linear)"
    if field == "batch_size":
        return "full batch" if value == 0 else str(value)
    if field == "regularization":
        return REG_NAMES[value]
    return f"{value:g}" if isinstance(value, float) else str(value)


def settings(config):
    """{label: text} of a config's run settings, regularization and its rate as one entry ("L2 0.01",
    or "none" when the penalty is 0): two configs with equal settings train identically."""
    texts = {LABELS[f]: format_value(f, getattr(config, f)) for f in RUN_FIELDS if f != "reg_rate"}
    rate = config.l1 or config.l2
    texts[LABELS["regularization"]] = f"{REG_NAMES[config.regularization]} {rate:g}" if rate else "none"
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
        config, fixes = normalize(dataclasses.replace(base, **changes))
        notes += [f"Run {name}: {fix}" for fix in fixes]
        if config.regularization != "none" and config.reg_rate == 0:
            notes.append(f"Run {name}: {REG_NAMES[config.regularization]} at rate 0 has no effect.")
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
        "optimizers": "SGD vs momentum vs Adam",
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


# --- the widgets' state -----------------------------------------------------------------------------
def widget_key(i, field):
    """Session key of run ``i``'s widget for ``field``."""
    return f"cmp_run{i}_{field}"


def seed_widgets(state, base):
    """Give every run's widgets their value, the base's changed by that run's overrides: those with no
    value yet (Streamlit forgets a widget while another page shows), and all of them when the base
    changed. ``state``: the session state mapping; ``cmp_overrides`` holds MAX_RUNS dicts."""
    if "cmp_overrides" not in state:  # the first visit opens on a preset, not on identical runs
        _set_runs(state, base, FIRST_PRESET)
    state.setdefault("cmp_epochs", DEFAULT_EPOCHS)
    reseed = state.get("cmp_base") != base
    for i, changes in enumerate(state["cmp_overrides"]):
        for field in RUN_FIELDS:
            value = changes.get(field, getattr(base, field))
            if value not in choices(field, base):
                value = getattr(base, field)
            if reseed or widget_key(i, field) not in state:
                state[widget_key(i, field)] = value
    state["cmp_base"] = base


def read_overrides(state, base):
    """The shown runs' overrides, read from their widgets and kept in ``cmp_overrides`` for the next
    visit and for a change of base. Returns a list of ``cmp_n_runs`` dicts."""
    n_runs, overrides = state["cmp_n_runs"], list(state["cmp_overrides"])
    for i in range(n_runs):
        values = {field: state[widget_key(i, field)] for field in RUN_FIELDS}
        # A setting once changed (or set by a preset) stays the run's own, even if it equals today's
        # base: when the Playground's settings change, only the others follow them.
        overrides[i] = {f: v for f, v in values.items() if v != getattr(base, f) or f in overrides[i]}
    state["cmp_overrides"] = overrides
    return overrides[:n_runs]


def apply_preset(state, base, name):
    """Fill the runs with preset ``name`` (a button's callback: it runs before the widgets are drawn)."""
    _set_runs(state, base, name)
    state.pop("cmp_base", None)  # so that every widget takes its new value
    seed_widgets(state, base)


def _set_runs(state, base, name):
    runs = preset_overrides(name, base.task)
    state["cmp_overrides"] = runs + [{} for _ in range(MAX_RUNS - len(runs))]
    state["cmp_n_runs"] = len(runs)


# --- training ----------------------------------------------------------------------------------------
class RunResult(NamedTuple):
    """A trained run: ``history`` (list of the trainer's records, finite, up to divergence), the
    epochs trained, the seconds they took, ``diverged_epoch`` (None if it did not) and ``boundary``
    (the model on the grid, as ``Experiment.boundary_values`` gives it)."""

    name: str
    config: Config
    differs: str
    history: list
    epochs: int
    seconds: float
    diverged_epoch: int | None
    boundary: np.ndarray


class Results(NamedTuple):
    """A comparison's results: ``key`` (the settings they belong to, see ``settings_key``), the shared
    task, classes, points (X_train, X_test, y_train, y_test) and grid axis, and one RunResult per run."""

    key: tuple
    task: str
    n_classes: int
    points: tuple
    grid_axis: np.ndarray
    runs: tuple


def settings_key(runs, n_epochs, upload=None):
    """What results depend on: every run's config, the number of epochs and the uploaded file's digest."""
    return tuple(run.config for run in runs), int(n_epochs), getattr(upload, "digest", None)


def train_round_robin(experiments, n_epochs, *, names=None, chunks=CHUNKS, progress=None, budget=TIME_BUDGET):
    """Train every experiment ``n_epochs`` more epochs, a chunk of ceil(n_epochs / chunks) each in
    turn (fewer epochs when a chunk would take over CHUNK_SECONDS), so all of them advance together.
    A diverged experiment stops (and counts as done). Training stops for all when ``budget``
    seconds have passed: one comparison must not hold a shared server's core for minutes.

    progress: called after each chunk as ``progress(fraction, text)``; fraction rises to exactly 1.
    Returns the epochs each experiment trained (list of int).
    """
    chunk = math.ceil(n_epochs / chunks)
    names = names or [str(i + 1) for i in range(len(experiments))]
    trained, done = [0] * len(experiments), [0] * len(experiments)
    deadline = time.perf_counter() + budget
    while min(done) < n_epochs:
        if time.perf_counter() > deadline:
            if progress:
                progress(1.0, f"Stopped by the {budget:g} s time budget")
            break
        for i, exp in enumerate(experiments):
            if done[i] >= n_epochs:
                continue
            per_epoch = exp.seconds_per_epoch()
            affordable = max(1, int(CHUNK_SECONDS / per_epoch)) if per_epoch else 1
            epochs = exp.train(min(chunk, affordable, n_epochs - done[i]))
            trained[i] += epochs
            # Diverged (or, defensively, stuck): nothing more to train, so it counts as done.
            done[i] = n_epochs if exp.diverged or epochs == 0 else done[i] + epochs
            if progress:
                where = f"epoch {trained[i]} of {n_epochs}"
                where = f"diverged at epoch {exp.trainer.diverged_epoch}" if exp.diverged else where
                progress(sum(done) / (n_epochs * len(experiments)), f"Run {names[i]}: {where}")
    return trained


def train_runs(runs, n_epochs, *, upload=None, progress=None, chunks=CHUNKS):
    """Build an ``Experiment`` per run (same data and seeds; ``upload``: the user's data, for the
    dataset "upload"), train them round-robin, and collect their curves, timings and boundaries.
    Returns Results."""
    if isinstance(n_epochs, bool) or not isinstance(n_epochs, int) or not 1 <= n_epochs <= MAX_EPOCHS:
        raise ValueError(f"n_epochs must be an int from 1 to {MAX_EPOCHS}; got {n_epochs!r}")
    experiments = [Experiment(run.config, upload=upload) for run in runs]
    names = [run.name for run in runs]
    trained = train_round_robin(experiments, n_epochs, names=names, chunks=chunks, progress=progress)
    results = tuple(_result(run, exp, epochs) for run, exp, epochs in zip(runs, experiments, trained))
    first = experiments[0]
    return Results(
        settings_key(runs, n_epochs, upload), first.config.task, first.config.classes, first.points,
        first.grid_axis, results,
    )  # fmt: skip


def _result(run, exp, epochs):
    trainer = exp.trainer
    return RunResult(
        name=run.name, config=run.config, differs=run.differs, history=list(trainer.history),
        epochs=epochs, seconds=exp.train_seconds, diverged_epoch=trainer.diverged_epoch,
        boundary=exp.boundary_values(),
    )  # fmt: skip


# --- what the results show ----------------------------------------------------------------------------
def table_rows(results):
    """One dict per run for the table: run, differs, final train/test loss (and accuracy for
    classification), epochs, epochs per second, diverged at epoch (None if it did not)."""
    rows = []
    for run in results.runs:
        last = run.history[-1] if run.history else {}
        row = {"run": run.name, "differs": run.differs}
        row |= {"train_loss": last.get("train_loss"), "test_loss": last.get("val_loss")}
        if results.task != "regression":
            row |= {"train_accuracy": last.get("train_accuracy"), "test_accuracy": last.get("val_accuracy")}
        speed = run.epochs / run.seconds if run.seconds > 0 else None
        row |= {"epochs": run.epochs, "epochs_per_second": speed, "diverged_at": run.diverged_epoch}
        rows.append(row)
    return rows


def boundary_title(run, task):
    """E.g. "A: test loss 0.231, accuracy 91.3%" (", diverged at 12" when it did)."""
    text = f"{run.name}: no finite epoch"
    if run.history:
        last = run.history[-1]
        text = f"{run.name}: test loss {last['val_loss']:.4g}"
        text += "" if task == "regression" else f", accuracy {last['val_accuracy']:.1%}"
    return text + (f", diverged at {run.diverged_epoch}" if run.diverged_epoch else "")


def divergence_notes(results):
    """A sentence per diverged run: where, and what its charts show instead."""
    return [
        f"Run {run.name} diverged at epoch {run.diverged_epoch}: its loss stopped being finite. Its curves "
        "stop at the last finite epoch and its boundary shows those weights. Lower its learning rate."
        for run in results.runs
        if run.diverged_epoch
    ]


def describe_data(base, upload=None):
    """What every run shares, in one sentence (``upload``: the user's data, for the dataset "upload")."""
    data = f"{base.dataset}, {base.n_samples} points, noise {base.noise:g}"
    if base.dataset == UPLOAD and upload is not None:
        data = f"your file {upload.name}, {len(upload.X)} points"
    return (
        f"Every run trains on the same data: {data}, "
        f"{base.train_percent}% for training, data seed {base.data_seed}, features "
        f"{', '.join(base.features)}; and with the same init seed {base.init_seed}: the same batch order "
        "and, where the layers and init agree, the same starting weights."
    )
