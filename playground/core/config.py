"""The playground's whole state as one frozen dataclass, and its round trip through the page URL.

``Config`` is the source of truth: the controls produce one, the experiment is built from one, and
``to_query`` / ``from_query`` turn it into URL parameters and back, so a copied link opens the same
data and the same initial network. Every field has a ``Field`` spec (URL key, allowed values) that the
controls reuse, so a widget, its URL parameter and its validation can never disagree.
"""

import dataclasses
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, NamedTuple

from nn_core import ACTIVATIONS, DATASETS, INITIALIZERS, OPTIMIZERS, SCHEDULES
from nn_core.features import FEATURES
from nn_core.formula import FormulaError
from nn_core.formula import parse as parse_formula
from nn_core.initializers import BIAS_CHOICES
from playground.core.schedule_stop import TARGET_RULES

# TensorFlow Playground's ladders (index.html), as the page's select sliders offer them: its
# learning rates plus 0.2: the first tutorial's step (0.1 on half the summed squared
# error) is 0.2 on nn_core's mean squared error, so its network opens here with its own step.
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.2, 0.3, 1.0, 3.0, 10.0)
REG_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REGULARIZATIONS = ("none", "l1", "l2")
# speed setting -> epochs per tick (before the time cap); at ~5 ticks a second: 5, 50, 750, 2,500
# and 10,000 epochs a second. 2 is TensorFlow Playground's pace (one epoch per frame at 60 frames/s).
SPEEDS = MappingProxyType({1: 1, 2: 10, 3: 150, 4: 500, 5: 2000})
MAX_HIDDEN_LAYERS, MAX_NEURONS = 8, 64
# A schedule's low point as a fraction of the learning rate (nn_core.schedules): every one is valid for
# every schedule. Stop rules: when training stops by itself (playground.core.schedule_stop).
SCHEDULE_FACTORS = (0.01, 0.03, 0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99)
# A stop rule's usual target, by the kind of number it watches: a loss to get below, an accuracy to
# reach. The sidebar sets it when a rule is picked; a link with a rule and no stoptarget gets it (the
# default 0.05 is a loss: an accuracy rule would stop at once).
STOP_TARGETS = MappingProxyType({"loss": 0.05, "accuracy": 0.95})
STOP_RULES = (
    "none", "test_loss_below", "train_loss_below", "test_accuracy_reached", "train_accuracy_reached",
    "plateau",
)  # fmt: skip
# The datasets whose number of classes is a setting: nn_core's DatasetSpec.classes allows more than 2.
MULTICLASS_DATASETS = tuple(
    name
    for name, spec in DATASETS.items()
    if spec.task == "classification" and (spec.classes[1] is None or spec.classes[1] > 2)
)
# A CSV the user uploaded (playground.upload): its points live in that user's session only, so a link
# says "upload" and the kind of problem, never the data.
MAX_NOTICES = 10  # notices about one link, at most (then a count)
UPLOAD = "upload"
UPLOAD_TASKS = ("binary", "multiclass", "regression")
# The user's own boundary: class 1 where a typed formula of x1 and x2 is > 0 (nn_core.formula_dataset).
FORMULA = "formula"
DEFAULT_FORMULA = "x2 - 2.5*sin(x1)"
# Points drawn by hand on the boundary chart (playground.core.drawn): they live in the session, and
# travel in a link of their own (pts=) when there are few; ``upload_task`` says their kind of problem.
DRAWN = "drawn"
OWN_DATA = (UPLOAD, DRAWN)  # datasets whose points are the user's, not a generator's
# Input features typed as formulas of x1 and x2 (nn_core.features), besides the fixed ones: at most
# this many, joined in a link by ";", which the formula grammar does not use (it separates arguments
# with ",").
MAX_FEATURE_FORMULAS = 4
FORMULA_SEPARATOR = ";"


class Head(NamedTuple):
    """An output activation and the loss that goes with it."""

    output: str
    loss: str
    label: str
    tasks: tuple
    short: str  # for a narrow column (Compare's selects)


HEADS = MappingProxyType(
    {
        "sigmoid_bce": Head("sigmoid", "bce", "sigmoid + binary cross-entropy", ("binary",), "sigmoid + BCE"),
        "softmax_ce": Head(
            "softmax", "cross_entropy", "softmax + cross-entropy", ("binary", "multiclass"), "softmax + CE"
        ),
        "tanh_mse": Head(
            "tanh", "mse", "tanh + MSE (TF Playground)", ("binary", "multiclass", "regression"), "tanh + MSE"
        ),
        "sigmoid_mse": Head(
            "sigmoid", "mse", "sigmoid + MSE (the tutorial)", ("binary", "multiclass"), "sigmoid + MSE"
        ),
        "linear_mse": Head("linear", "mse", "linear + MSE", ("regression",), "linear + MSE"),
    }
)
DEFAULT_HEAD = MappingProxyType(
    {"binary": "sigmoid_bce", "multiclass": "softmax_ce", "regression": "linear_mse"}
)


@dataclass(frozen=True)
class Config:
    # data
    dataset: str = "circles"
    n_classes: int = 3  # spiral and blobs only; the others have 2 classes or are regression
    n_samples: int = 300
    noise: float = 0.1
    train_percent: int = 50
    data_seed: int = 1
    upload_task: str = "binary"  # datasets "upload" and "drawn": the kind of problem their points hold
    formula: str = DEFAULT_FORMULA  # dataset "formula" only: class 1 where f(x1, x2) > 0
    features: tuple = ("x1", "x2")  # may be () when feature_formulas are the inputs (link: features=none)
    feature_formulas: tuple = ()  # the user's own input features, formulas of x1 and x2, after ``features``
    # network
    hidden: tuple = (4, 4)
    activation: str = "tanh"
    head: str = "sigmoid_bce"
    init: str = "xavier"
    init_seed: int = 1
    bias_init: str = "auto"  # "auto": the weight init's own biases (0; 0.1 for TF's uniform)
    # one activation per hidden layer, layer 1 first; () = every layer uses ``activation``
    layer_activations: tuple = ()
    # training
    optimizer: str = "sgd"
    learning_rate: float = 0.03
    batch_size: int = 10  # 0 = full batch
    regularization: str = "none"
    reg_rate: float = 0.0
    dropout: float = 0.0
    max_epochs: int = 0  # 0 = until paused
    speed: int = 3
    # the learning rate per epoch (nn_core.SCHEDULES), from ``learning_rate``; changing it keeps the network
    schedule: str = "constant"
    schedule_period: int = 100  # epochs: a step, a cosine cycle, a triangle's half-cycle
    schedule_factor: float = 0.1  # the rate's low point, times the learning rate
    schedule_multiplier: int = 1  # cosine: each cycle this many times longer than the one before
    # stop by itself: a loss below / an accuracy reaching stop_target, or no better loss for a while
    stop_rule: str = "none"
    stop_target: float = 0.05  # a loss, or an accuracy as a fraction
    stop_patience: int = 100  # epochs without a better loss, for "plateau"
    # view
    show_test: bool = False
    discretize: bool = False

    @property
    def task(self):
        """ "binary", "multiclass" or "regression"."""
        if self.dataset in OWN_DATA:
            return self.upload_task
        if self.dataset == FORMULA:
            return "binary"
        if DATASETS[self.dataset].task == "regression":
            return "regression"
        multi = self.dataset in MULTICLASS_DATASETS and self.n_classes > 2
        return "multiclass" if multi else "binary"

    @property
    def classes(self):
        """Number of classes the dataset is generated with (1 for regression)."""
        if self.task == "regression":
            return 1
        if self.dataset in OWN_DATA:
            return self.n_classes if self.task == "multiclass" else 2
        return self.n_classes if self.dataset in MULTICLASS_DATASETS else 2

    @property
    def n_outputs(self):
        head = HEADS[self.head]
        if self.task == "multiclass" or head.output == "softmax":
            return self.classes
        return 1

    @property
    def input_features(self):
        """What the network's inputs are, in order: the checked features, then the typed formulas
        (``nn_core.expand_features`` takes both)."""
        return self.features + self.feature_formulas

    @property
    def hidden_activations(self):
        """One activation name per hidden layer: ``layer_activations`` padded with ``activation`` when
        there are more hidden layers than names, cut when fewer (so adding a layer gives it
        ``activation`` and removing one keeps the others')."""
        n = len(self.hidden)
        return tuple(self.layer_activations[:n]) + (self.activation,) * (n - len(self.layer_activations))

    @property
    def layer_sizes(self):
        return [len(self.input_features), *self.hidden, self.n_outputs]

    @property
    def l1(self):
        return self.reg_rate if self.regularization == "l1" else 0.0

    @property
    def l2(self):
        return self.reg_rate if self.regularization == "l2" else 0.0


DATA_FIELDS = (
    "dataset", "n_classes", "n_samples", "noise", "train_percent", "data_seed", "upload_task", "formula"
)  # fmt: skip
MODEL_FIELDS = (
    "features", "feature_formulas", "hidden", "activation", "head", "init", "init_seed", "bias_init",
    "layer_activations",
)  # fmt: skip
TRAINING_FIELDS = (
    "optimizer", "learning_rate", "batch_size", "regularization", "reg_rate", "dropout",
    "schedule", "schedule_period", "schedule_factor", "schedule_multiplier",
    "stop_rule", "stop_target", "stop_patience",
)  # fmt: skip


# --- field specs: URL key, parser, and the allowed values -----------------------------------
class Field(NamedTuple):
    key: str  # URL parameter
    label: str  # what the user reads
    choices: tuple = ()  # allowed values, if a fixed set
    low: float = 0  # numeric range otherwise
    high: float = 0


def _int(text):
    return int(text)


def _float(text):
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _bool(text):
    if text not in ("0", "1", "true", "false"):
        raise ValueError(text)
    return text in ("1", "true")


def _names(text):
    return tuple(part for part in text.split(",") if part)


def _sizes(text):
    return () if text in ("", "none") else tuple(int(part) for part in text.split(","))


FIELDS = MappingProxyType(
    {
        "dataset": Field("data", "Dataset", (*DATASETS, FORMULA, DRAWN, UPLOAD)),
        "n_classes": Field("classes", "Classes", low=2, high=5),
        "n_samples": Field("points", "Number of points", low=20, high=2000),
        "noise": Field("noise", "Noise", low=0.0, high=1.0),
        "train_percent": Field("train", "Training data (%)", low=10, high=90),
        "data_seed": Field("dseed", "Data seed", low=0, high=999_999),
        "upload_task": Field("utask", "Uploaded data's problem", UPLOAD_TASKS),
        "formula": Field("f", "Your formula f(x1, x2)"),
        "features": Field("features", "Input features", tuple(FEATURES)),
        "feature_formulas": Field("ff", "Your own features", high=MAX_FEATURE_FORMULAS),
        "hidden": Field("hidden", "Hidden layers", low=1, high=MAX_NEURONS),
        "activation": Field("act", "Hidden activation", tuple(ACTIVATIONS)),
        "head": Field("head", "Output and loss", tuple(HEADS)),
        "init": Field("init", "Weight init", tuple(INITIALIZERS)),
        "init_seed": Field("iseed", "Init seed", low=0, high=999_999),
        "bias_init": Field("binit", "Bias init", BIAS_CHOICES),
        "layer_activations": Field("acts", "Activation per layer", tuple(ACTIVATIONS)),
        "optimizer": Field("opt", "Optimizer", tuple(OPTIMIZERS)),
        "learning_rate": Field("lr", "Learning rate", LEARNING_RATES),
        "batch_size": Field("batch", "Batch size (0 = full batch)", low=0, high=256),
        "regularization": Field("reg", "Regularization", REGULARIZATIONS),
        "reg_rate": Field("regrate", "Regularization rate", REG_RATES),
        "dropout": Field("dropout", "Dropout", low=0.0, high=0.9),
        "max_epochs": Field("epochs", "Epochs to train (0 = until paused)", low=0, high=100_000),
        "speed": Field("speed", "Speed", tuple(SPEEDS)),
        "schedule": Field("sched", "Learning-rate schedule", tuple(SCHEDULES)),
        "schedule_period": Field("speriod", "Schedule period (epochs)", low=1, high=10_000),
        "schedule_factor": Field("sfactor", "Lowest rate (× learning rate)", SCHEDULE_FACTORS),
        "schedule_multiplier": Field("smult", "Cycle length multiplier (cosine)", low=1, high=10),
        "stop_rule": Field("stop", "Stop when", STOP_RULES),
        "stop_target": Field("stoptarget", "Stop target (a loss, or an accuracy 0-1)", low=0.0001, high=1.0),
        "stop_patience": Field("patience", "Patience (epochs without a better loss)", low=1, high=10_000),
        "show_test": Field("test", "Show test data"),
        "discretize": Field("discrete", "Discretize output"),
    }
)
# a field's default's type -> the parser of a URL value into that type
PARSERS: Mapping[type, Callable[[str], Any]] = MappingProxyType(
    {int: _int, float: _float, bool: _bool, str: str}
)


def _parse(name, text):
    """Parse one URL value and check it against its field; raise ValueError if it does not fit."""
    field, default = FIELDS[name], getattr(Config(), name)
    if name == "formula":
        parse_formula(text)  # raises FormulaError (a ValueError) saying what is wrong and where
        return text
    if name == "features":  # "none": the typed feature formulas alone (``normalize`` checks there are some)
        if text == "none":
            return ()
        value = _names(text)
        if not value or len(set(value)) != len(value) or not set(value) <= set(field.choices):
            raise ValueError(text)
        return value
    if name == "layer_activations":  # "relu,tanh,sine": one name per hidden layer
        value = () if text in ("", "none") else tuple(text.split(","))
        if len(value) > MAX_HIDDEN_LAYERS or not set(value) <= set(field.choices):
            raise ValueError(text)
        return value
    if name == "hidden":
        value = _sizes(text)
        if len(value) > MAX_HIDDEN_LAYERS or any(not field.low <= v <= field.high for v in value):
            raise ValueError(text)
        return value
    value = PARSERS[type(default)](text)
    if field.choices and value not in field.choices:
        raise ValueError(text)
    if not field.choices and type(default) is not bool and not field.low <= value <= field.high:
        raise ValueError(text)
    return value


def format_value(value):
    """A field's value as the page URL spells it: booleans 1/0, tuples comma-separated ("none" when
    empty), floats in their shortest exact form. ``to_query`` and the TF Playground import use it."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, tuple):
        return ",".join(map(str, value)) if value else "none"
    if isinstance(value, float):
        return repr(value)  # the shortest text that reads back as the same float
    return str(value)


def field_text(name, value):
    """Field ``name``'s ``value`` as the URL spells it: ``format_value``'s, but feature formulas joined
    by ";" (a formula may hold a ",")."""
    if name == "feature_formulas" and value:
        return FORMULA_SEPARATOR.join(value)
    return format_value(value)


def to_query(config):
    """URL parameters for ``config``: only the fields that differ from the defaults, as strings (and
    the stop target whenever it is not its rule's usual one, which a link without it reads)."""
    default = Config()
    query = {
        FIELDS[f.name].key: field_text(f.name, getattr(config, f.name))
        for f in dataclasses.fields(config)
        if getattr(config, f.name) != getattr(default, f.name)
    }
    if config.stop_target != usual_stop_target(config.stop_rule):
        query[FIELDS["stop_target"].key] = field_text("stop_target", config.stop_target)
    return query


def usual_stop_target(rule):
    """The target a rule gets when none is given (a link) or when it is picked (the sidebar): its
    kind's (``STOP_TARGETS``), else the default."""
    return STOP_TARGETS[TARGET_RULES[rule][1]] if rule in TARGET_RULES else Config().stop_target


def from_query(params, *, other_keys=(), max_notices=MAX_NOTICES):
    """Read a Config from URL parameters. Never raises: a malformed or out-of-range value, or an
    unknown parameter, falls back to the default and adds a notice saying so. ``other_keys`` are
    parameters someone else reads (the classroom settings): they are not reported as unknown.
    Past ``max_notices`` notices (None: no limit), the rest are counted in one last notice.

    Returns (config, notices: list of str).
    """
    by_key = {field.key: name for name, field in FIELDS.items()}
    values, notices = {}, []
    for key, text in params.items():
        text = text[-1] if isinstance(text, list) else text
        if key in other_keys:
            continue
        if key not in by_key:
            notices.append(f"Ignored unknown link parameter {shorten(f'{key}={text!r}')}.")
            continue
        name = by_key[key]
        if name == "feature_formulas":  # each formula on its own: a bad one is dropped, the rest kept
            values[name], more = read_feature_formulas(text, param=key)
            notices += more
            continue
        try:
            values[name] = _parse(name, text)
        except (ValueError, TypeError) as error:
            default = format_value(getattr(Config(), name))
            why = error.message if isinstance(error, FormulaError) else "not an allowed value"
            notices.append(
                f"Ignored {key}={shorten(repr(text))} from the link ({FIELDS[name].label}): "
                f"{shorten(why)}, using {default}."
            )
    if max_notices is not None and len(notices) > max_notices:  # a thousand junk keys: one line, not 1,000
        notices = notices[:max_notices] + [f"... and {len(notices) - max_notices} more ignored link values."]
    if "stop_rule" in values and "stop_target" not in values:
        values["stop_target"] = usual_stop_target(values["stop_rule"])
    config, more = normalize(Config(**values))
    return config, notices + more


def read_feature_formulas(text, *, param="ff"):
    """The feature formulas of a link's ``text`` (joined by ";"): those that parse, in order, each
    once, at most MAX_FEATURE_FORMULAS; a notice for each one left out and why. Never raises.

    Returns (formulas: tuple of str, notices: list of str)."""
    if not isinstance(text, str):
        return (), [f"Ignored {param}= from the link ({FIELDS['feature_formulas'].label}): not text."]
    parts = [part.strip() for part in text.split(FORMULA_SEPARATOR)]
    parts = [part for part in parts if part and part != "none"]
    kept, notices = [], []
    for part in parts[: 2 * MAX_FEATURE_FORMULAS]:  # a hostile link's thousand parts: a few notices
        try:
            parse_formula(part)
        except FormulaError as error:
            notices.append(
                f"Ignored the feature formula {shorten(repr(part), 40)} from the link: at character "
                f"{error.position + 1}, {shorten(error.message, 100)}."
            )
            continue
        part = " ".join(part.split())  # one line: a line break typed in a link is one space
        if part not in kept:
            kept.append(part)
    if len(kept) > MAX_FEATURE_FORMULAS or len(parts) > 2 * MAX_FEATURE_FORMULAS:
        notices.append(
            f"The link has more feature formulas than the {MAX_FEATURE_FORMULAS} allowed: "
            f"using the first {min(len(kept), MAX_FEATURE_FORMULAS)} that work."
        )
    return tuple(kept[:MAX_FEATURE_FORMULAS]), notices


def shorten(text, limit=80):
    """``text`` cut to ``limit`` characters (the last one "…"): a hostile link's 10,000-character value
    still makes a one-line notice."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def normalize(config):
    """Fix combinations that do not fit together (an output/loss pair the task cannot use).

    Returns (config, notices)."""
    if not config.features and not config.feature_formulas:  # no input at all: the default's
        config, notices = normalize(dataclasses.replace(config, features=Config().features))
        note = f"No input feature and none of your own: using {', '.join(config.features)}."
        return config, [note, *notices]
    acts, n_hidden = config.layer_activations, len(config.hidden)
    if acts and len(acts) != n_hidden:  # a link's list for another number of layers: pad or cut it
        fixed = dataclasses.replace(config, layer_activations=config.hidden_activations)
        using = format_value(fixed.layer_activations)
        note = f"{len(acts)} activations for {n_hidden} hidden layers; using {using}."
        config, notices = normalize(fixed)
        return config, [note, *notices]
    if acts and set(acts) == {config.activation}:  # every layer the same: the plain setting says it
        return normalize(dataclasses.replace(config, layer_activations=()))
    if config.task not in HEADS[config.head].tasks:
        head = DEFAULT_HEAD[config.task]
        note = f"{HEADS[config.head].label} does not fit a {config.task} problem; using {HEADS[head].label}."
        return dataclasses.replace(config, head=head), [note]
    if config.task == "regression" and TARGET_RULES.get(config.stop_rule, ("", ""))[1] == "accuracy":
        note = "A regression problem has no accuracy to stop at: stop rule off."
        return dataclasses.replace(config, stop_rule="none"), [note]
    return config, []


def changed_fields(old, new, names):
    """The labels of the fields in ``names`` whose values differ between two configs."""
    return [FIELDS[n].label for n in names if getattr(old, n) != getattr(new, n)]
