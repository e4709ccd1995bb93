"""Import a TensorFlow Playground link: its URL-hash state -> the nearest Config and Classroom here.

TensorFlow Playground keeps its whole state in the URL hash
(``#activation=tanh&batchSize=10&dataset=circle&...&learningRate_hide=true``). ``from_hash`` reads that
text, or the whole URL, the way TF Playground's ``State.deserializeState`` does: the last value of a key
wins, a blank value means TF's default, a boolean is true unless it is ``false``, and a key the link
leaves out takes TF's default (not ours: a hash without ``networkShape`` means TF's 4-2 network).
Each TF setting then becomes its nearest setting here, with a ``Note`` saying how, or why it has no
equivalent. The values go through ``config.from_query`` like any link's. Never raises. No Streamlit.
"""

import hashlib
import math
import urllib.parse
from types import MappingProxyType
from typing import NamedTuple

from playground.core import config as cfg
from playground.core.classroom import LABELS, Classroom

SAME, NEAREST, NONE, IGNORED = "same", "nearest", "no equivalent", "ignored"

# TF Playground's defaults (src/state.ts); its ``seed`` and ``tutorial`` have none.
_BOOLS = ("showTestData", "discretize", "xTimesY", "xSquared", "ySquared", "cosX", "sinX", "cosY", "sinY")
TF_DEFAULTS = MappingProxyType(
    {"activation": "tanh", "regularization": "none", "batchSize": "10", "dataset": "circle"}
    | {"regDataset": "reg-plane", "learningRate": "0.03", "regularizationRate": "0", "noise": "0"}
    | {"networkShape": "4,2", "percTrainData": "50", "x": "true", "y": "true"}
    | dict.fromkeys(_BOOLS + ("collectStats", "initZero", "hideText"), "false")
    | {"problem": "classification"}
)
TF_KEYS = (*TF_DEFAULTS, "seed", "tutorial")
CLASSIFICATION = MappingProxyType(
    {"circle": "circles", "xor": "xor", "gauss": "gaussian", "spiral": "spiral"}
)
REGRESSION = MappingProxyType({"reg-plane": "plane", "reg-gauss": "multi_gaussian"})
SAMPLES = MappingProxyType({"classification": 500, "regression": 1200})  # fixed in TF (playground.ts)
FEATURES = MappingProxyType(
    {"x": "x1", "y": "x2", "xSquared": "x1_sq", "ySquared": "x2_sq", "xTimesY": "x1_x2"}
    | {"sinX": "sin_x1", "sinY": "sin_x2"}
)
# TF's hidable controls (HIDABLE_CONTROLS in playground.ts) -> our control names (classroom.CONTROLS).
HIDES = MappingProxyType(
    {"showTestData": "show_test", "discretize": "discretize", "learningRate": "learning_rate"}
    | {"playButton": "play", "stepButton": "step", "resetButton": "reset", "activation": "activation"}
    | {"regularization": "regularization", "regularizationRate": "reg_rate", "dataset": "dataset"}
    | {
        "percTrainData": "train_percent",
        "noise": "noise",
        "batchSize": "batch_size",
        "numHiddenLayers": "hidden",
    }
)
NOISE_STEP = 0.05  # the Noise slider's step: an imported value lands where the slider can show it
MAX_UNKNOWN_NOTES = 20  # a hostile paste with thousands of keys still gives a readable report
_R3 = math.sqrt(3)  # U(-a, a) has std a / sqrt(3)
# Our dataset -> TF noise t (= noise / 100, as TF's generators get it) -> our noise in [0, 1], matched
# on the spread each generator gives (ours: nn_core/datasets.py); WHY["noise:<dataset>"] says how.
NOISE = MappingProxyType(
    {
        "circles": lambda t: 5 * t / _R3 / 1.5,
        "xor": lambda t: 5 * t / _R3 / 2.0,
        "gaussian": lambda t: (math.sqrt(0.5 + 7 * t) - 0.7) / 2.6,
        "spiral": lambda t: t / _R3,
        "plane": lambda t: math.sqrt(6) * t / 3,
        "multi_gaussian": lambda t: 2 * _R3 * t,
    }
)
WHY = MappingProxyType(
    {
        "noise:circles": "TF flips labels near the edge (each taken at the point moved by U(±5t) per axis, "
        "t = noise/100); here the points move, Gaussian std 1.5 × noise. Same spread (5t/√3)",
        "noise:xor": "TF flips labels near the axes (each taken at the point moved by U(±5t) per axis, "
        "t = noise/100); here the points move, Gaussian std 2 × noise. Same spread (5t/√3)",
        "noise:gaussian": "TF's cluster variance grows from 0.5 to 4 as noise goes 0 to 50; here the std "
        "is 0.7 + 2.6 × noise. Same std",
        "noise:spiral": "TF jitters the points by U(±t) per axis (t = noise/100); here Gaussian, "
        "std = noise. Same std",
        "noise:plane": "TF takes the target at the point moved by U(±6t) (t = noise/100: target std 0.49t "
        "on a ±1.2 range); here Gaussian noise of std noise/2 on a ±1 range. Same noise for the range",
        "noise:multi_gaussian": "TF takes the target at the point moved by U(±6t) (t = noise/100); here "
        "Gaussian noise of std noise/2 on the target. Same change along a bump's slope (0.5 per unit)",
        "head": "TF trains a tanh output (regression: linear) on ½(o−t)², targets ±1; here the loss is the "
        "mean of (o−t)², so its numbers read twice TF's",
        "seed": "TF's seeds are text: this one is hashed (SHA-256, mod 1,000,000), always to the same "
        "number; it sets the init seed too, as TF's seed draws the first weights. Not TF's very points",
        "no seed": "TF draws a random seed each time it opens",
        "init": "W ~ U(−0.5, 0.5), biases 0.1, as TF; Reset returns to these weights (TF draws new ones)",
        "learningRate": "our MSE has no ½: the same rate steps twice as far as in TF; a rung lower is closer",
        "batchSize": "TF goes through the points in one fixed order, leftovers carried into the next epoch; "
        "here each epoch is shuffled and may end with a smaller batch",
        "l1": "TF sets a weight that crosses 0 to 0 for good (a dead link); here L1 only pushes toward 0",
        "loop": "TF trains with plain SGD, one epoch per animation frame; speed 2 is that pace",
        "feature hidden": "TF removes that input; here the input features are one control: hide or lock "
        "it in the link builder",
        "problem hidden": "no problem-type control here: the dataset list holds both kinds; hide the "
        "dataset to keep students on one",
        "cos": "no cos features here (TF has no button for them either); left out",
        "hideText": "TF hides its header and article; this page has none",
        "tutorial": "TF would load a tutorial page (none is published); write a task in the link builder",
    }
)


class Note(NamedTuple):
    """One line of the import report: what a TF Playground setting became here."""

    tf: str  # the TF setting as read, e.g. "dataset=circle"; a fact TF fixes is in brackets
    here: str  # what it became here, e.g. "Dataset: circles"; "" when nothing
    how: str  # SAME, NEAREST, NONE or IGNORED
    why: str = ""  # what differs, in a sentence

    def __str__(self):
        here = f" -> {self.here}" if self.here else ""
        return f"{self.tf}{here} ({self.how}){': ' + self.why if self.why else ''}"


class _Import:
    """One import in progress: the hash's values, the query being built, the hidden controls, notes."""

    def __init__(self, values):
        self.values = values  # TF key -> text as in the hash (the last one wins)
        self.query, self.hidden, self.notes = {}, set(), []
        self.fallbacks = {}  # TF key -> (how, why) for a value replaced before mapping; told in its note

    def get(self, key):
        """The key's value as TF reads it: blank or missing means TF's default."""
        return self.values.get(key, "").strip() or TF_DEFAULTS.get(key, "")

    def shown(self, key):
        text = self.values.get(key, "")
        if not text.strip() and not (key == "networkShape" and key in self.values):
            if key in TF_DEFAULTS:
                return f"{key}={TF_DEFAULTS[key]} (TF default)"
            shown = f"{key} (not in the link)"  # a hostile key without a value is cut too
        else:
            shown = f"{key}={text}"
        return shown if len(shown) <= 60 else shown[:60] + "…"  # a hostile paste stays one short line

    def set(self, name, value):
        """Set Config field ``name``; returns what the report shows, e.g. "Dataset: circles"."""
        self.query[cfg.FIELDS[name].key] = _format(value)
        if isinstance(value, bool):
            return f"{cfg.FIELDS[name].label}: {'on' if value else 'off'}"
        shown = (
            cfg.HEADS[value].label if name == "head" else ", ".join(value) if name == "features" else value
        )
        return f"{cfg.FIELDS[name].label}: {_format(shown)}"

    def note(self, key, here, how, why=""):
        if key in self.fallbacks:  # the value was replaced: say so first
            how, first = self.fallbacks.pop(key)
            why = f"{first}; {why}" if why else first
        self.notes.append(
            Note(key if key.startswith("(") and key not in self.values else self.shown(key), here, how, why)
        )

    def fall_back(self, key, why, how=IGNORED):
        """Use TF's default for ``key``; returns it. The key's note will say ``why``."""
        self.fallbacks[key] = (how, why)
        return TF_DEFAULTS[key]


def from_hash(text):
    """The nearest setup here to a TensorFlow Playground link.

    Parameters
    ----------
    text : the whole URL (``https://playground.tensorflow.org/#activation=tanh&...``), its hash, or its
        bare ``key=value&...`` part. Anything else is read as well as it can be.

    Returns
    -------
    (config, classroom, notes) : a valid ``Config``; a ``Classroom`` whose ``hidden`` holds the controls
    the link's ``<control>_hide=true`` flags hide; a list of ``Note``, one or more per TF setting.
    """
    imp = _Import(read_hash(text))
    steps = (_hides, _data, _noise, _train_percent, _seed, _features, _network, _activation, _init)
    for step in steps + (_learning_rate, _batch_size, _regularization, _view, _fixed, _page_flags, _unknown):
        step(imp)
    config, notices = cfg.from_query(imp.query)
    imp.notes += [Note("(link check)", "", IGNORED, notice) for notice in notices]
    return config, Classroom(hidden=frozenset(imp.hidden)), imp.notes


def read_hash(text):
    """``{key: value}`` from a TF Playground URL or hash, percent-decoded; the last value of a key wins."""
    text = "".join(str(text or "").split())  # a link wrapped over lines by a mail client
    text = text.split("#", 1)[1] if "#" in text else text.split("?", 1)[1] if "?" in text else text
    if "=" not in text:  # a bare address: TF opens with its defaults
        return {}
    values = {}
    for part in text.split("&"):
        key, _, value = part.partition("=")
        if key:
            values[urllib.parse.unquote(key)] = urllib.parse.unquote(value)
    return values


def _hides(imp):
    """``<control>_hide`` flags: TF hides a control only for the exact value "true"."""
    for key in [k for k in imp.values if k.endswith("_hide")]:
        control, hide = key.removesuffix("_hide"), imp.values[key] == "true"
        if control in HIDES:
            if hide:
                imp.hidden.add(HIDES[control])
            imp.note(key, f"{LABELS[HIDES[control]]}: {'hidden' if hide else 'shown'}", SAME)
        elif control in FEATURES or control in ("cosX", "cosY"):
            imp.note(key, "", NONE if hide else SAME, WHY["feature hidden"] if hide else "")
        elif control == "problem":
            imp.note(key, "", NONE if hide else SAME, WHY["problem hidden"] if hide else "")
        else:
            imp.note(key, "", IGNORED, "not a control TF Playground can hide")


def _data(imp):
    """problem, dataset / regDataset -> dataset (and 2 spiral arms), the output and loss, the points."""
    problem = _named(imp, "problem", SAMPLES, "a TF problem type")
    regression = problem == "regression"
    names, key, other = (
        (REGRESSION, "regDataset", "dataset") if regression else (CLASSIFICATION, "dataset", "regDataset")
    )
    tf_name = imp.get(key)
    if tf_name not in names:
        in_code = tf_name in ("reg-maximum", "reg-argmax")  # in TF's code, not in its menu
        why = "in TF's code but not its menu" if in_code else "not a TF dataset"
        tf_name = imp.fall_back(key, f"{why}: TF's default, {TF_DEFAULTS[key]}", NONE if in_code else IGNORED)
    here = imp.set("dataset", names[tf_name])
    if tf_name == "spiral":
        here += ", " + imp.set("n_classes", 2)
    imp.note(key, here, SAME, "two arms, as TF's" if tf_name == "spiral" else "")
    if other in imp.values:
        imp.note(
            other,
            "(not used)",
            SAME,
            f"TF too uses it only for {'classification' if regression else 'regression'}",
        )
    imp.note("problem", imp.set("head", "linear_mse" if regression else "tanh_mse"), SAME, WHY["head"])
    imp.note(f"({SAMPLES[problem]} points, fixed in TF)", imp.set("n_samples", SAMPLES[problem]), SAME)


def _noise(imp):
    value = _numeric(imp, "noise", lambda v: v >= 0, "a noise level")
    if value > 80:  # TF's own check: a link may push the 0..50 slider to 80, no further
        imp.fallbacks["noise"] = (NEAREST, "TF resets a noise above 80 to 50")
        value = 50.0
    dataset = imp.query[cfg.FIELDS["dataset"].key]
    ours = min(1.0, _round(max(0.0, NOISE[dataset](value / 100)) / NOISE_STEP) * NOISE_STEP)
    how = SAME if value == 0 else NEAREST
    imp.note("noise", imp.set("noise", round(ours, 2)), how, WHY[f"noise:{dataset}"])


def _train_percent(imp):
    value = _numeric(imp, "percTrainData", math.isfinite, "a number")
    ours = min(90, max(10, 10 * _round(value / 10)))  # our slider's range and step, as TF's
    imp.note("percTrainData", imp.set("train_percent", ours), SAME if ours == value else NEAREST)


def _seed(imp):
    seed = imp.values.get("seed", "").strip()
    if not seed:
        default = cfg.Config()
        imp.note(
            "seed", f"Data seed: {default.data_seed}, Init seed: {default.init_seed}", NEAREST, WHY["no seed"]
        )
        return
    digest = hashlib.sha256(seed.encode("utf-8", "surrogatepass")).digest()
    number = int.from_bytes(digest[:8], "big") % (int(cfg.FIELDS["data_seed"].high) + 1)
    imp.note("seed", imp.set("data_seed", number) + ", " + imp.set("init_seed", number), NEAREST, WHY["seed"])


def _features(imp):
    """The seven TF inputs -> ours; an input hidden by ``<feature>_hide=true`` is removed, as TF does."""
    hidden = [key for key in FEATURES if imp.values.get(key + "_hide") == "true"]
    on = [key for key in FEATURES if _bool(imp, key) and key not in hidden]
    off = [
        key
        for key in (*FEATURES, "cosX", "cosY")
        if key not in on and key not in hidden and not _cos(imp, key)
    ]
    for key in ("cosX", "cosY"):
        if _cos(imp, key):
            imp.note(key, "", NONE, WHY["cos"])
    chosen = tuple(FEATURES[key] for key in on)
    if not chosen:
        imp.note("(no input feature)", "", NEAREST, "TF would train on no input at all; using x1, x2")
        chosen = ("x1", "x2")
    parts = [f"{', '.join(keys)} {state}" for keys, state in ((on, "on"), (off, "off"), (hidden, "hidden"))]
    imp.note(f"({'; '.join(p for p in parts if not p.startswith(' '))})", imp.set("features", chosen), SAME)


def _network(imp):
    text = imp.values.get("networkShape", TF_DEFAULTS["networkShape"])  # present but empty: no hidden layer
    sizes = [_number(part) for part in text.split(",")] if text.strip() else []
    if any(size is None for size in sizes):
        sizes = [4, 2]
        imp.fall_back("networkShape", "not a list of layer sizes: TF's default, 4,2")
    ours = tuple(min(cfg.MAX_NEURONS, max(1, _round(size))) for size in sizes[: cfg.MAX_HIDDEN_LAYERS])
    exact = list(ours) == sizes
    why = "" if exact else f"up to {cfg.MAX_HIDDEN_LAYERS} layers of 1 to {cfg.MAX_NEURONS} neurons here"
    imp.note("networkShape", imp.set("hidden", ours), SAME if exact else NEAREST, why)


def _activation(imp):
    name = _named(imp, "activation", ("relu", "tanh", "sigmoid", "linear"), "a TF activation")
    imp.note("activation", imp.set("activation", name), SAME)


def _init(imp):
    zero = _bool(imp, "initZero")
    imp.note("initZero", imp.set("init", "zeros" if zero else "uniform"), SAME, "" if zero else WHY["init"])


def _learning_rate(imp):
    value = _numeric(imp, "learningRate", lambda v: v > 0, "a positive number")
    ours = _nearest(value, cfg.LEARNING_RATES)
    how = SAME if ours == value else NEAREST
    imp.note("learningRate", imp.set("learning_rate", ours), how, WHY["learningRate"])


def _batch_size(imp):
    value = _numeric(imp, "batchSize", lambda v: v >= 1, "a batch size")
    ours = min(int(cfg.FIELDS["batch_size"].high), _round(value))
    imp.note("batchSize", imp.set("batch_size", ours), SAME if ours == value else NEAREST, WHY["batchSize"])


def _regularization(imp):
    name = _named(imp, "regularization", cfg.REGULARIZATIONS, "a TF regularization")
    imp.note("regularization", imp.set("regularization", name), SAME, WHY["l1"] if name == "l1" else "")
    value = _numeric(imp, "regularizationRate", lambda v: v >= 0, "a rate")
    ours = _nearest(value, cfg.REG_RATES)
    imp.note("regularizationRate", imp.set("reg_rate", ours), SAME if ours == value else NEAREST)


def _view(imp):
    for key, name in (("showTestData", "show_test"), ("discretize", "discretize")):
        imp.note(key, imp.set(name, _bool(imp, key)), SAME)


def _fixed(imp):
    """What TF Playground does not let one choose: plain SGD at one epoch per frame, until paused."""
    imp.note("(training loop)", imp.set("optimizer", "sgd") + ", " + imp.set("speed", 2), SAME, WHY["loop"])


def _page_flags(imp):
    if "hideText" in imp.values:
        hide = _bool(imp, "hideText")
        imp.note("hideText", "", NONE if hide else SAME, WHY["hideText"] if hide else "")
    if imp.values.get("tutorial", "").strip():
        imp.note("tutorial", "", NONE, WHY["tutorial"])
    if "collectStats" in imp.values:
        imp.note("collectStats", "", IGNORED, "unused by TF Playground itself")


def _unknown(imp):
    unknown = [k for k in imp.values if k not in TF_KEYS and not k.endswith("_hide")]
    for key in unknown[:MAX_UNKNOWN_NOTES]:
        imp.note(key, "", IGNORED, "not a TF Playground setting")
    if len(unknown) > MAX_UNKNOWN_NOTES:
        imp.note(f"(and {len(unknown) - MAX_UNKNOWN_NOTES} more keys)", "", IGNORED, "not TF settings")


def _number(text):
    """A finite float from ``text`` (TF reads numbers with JavaScript's ``+text``), or None."""
    try:
        value = float(text)
    except (ValueError, OverflowError):
        return None
    return value if math.isfinite(value) else None


def _numeric(imp, key, valid, what):
    """The key's value as a number if ``valid(number)``; else TF's default, with a note."""
    value = _number(imp.get(key))
    if value is None or not valid(value):
        return float(imp.fall_back(key, f"not {what}: TF's default, {TF_DEFAULTS[key]}"))
    return value


def _named(imp, key, names, what):
    """The key's value, lower-cased, if one of ``names``; else TF's default, with a note."""
    name = imp.get(key).lower()
    if name not in names:
        return imp.fall_back(key, f"not {what}: TF's default, {TF_DEFAULTS[key]}")
    return name


def _bool(imp, key):
    """TF's reading of a boolean: anything but "false" is true (a blank value means TF's default)."""
    return imp.get(key) != "false"


def _cos(imp, key):
    """Whether the link turns on TF's cos input ``key`` (cosX, cosY), which has no equivalent here."""
    return key in ("cosX", "cosY") and _bool(imp, key)


def _round(value):
    """Nearest integer, halves up (Python's round() sends 4.5 to 4 but 5.5 to 6)."""
    return math.floor(value + 0.5)


def _nearest(value, choices):
    """The choice nearest ``value`` on a log scale (rates are ratios); 0 only for 0."""
    positive = [c for c in choices if c > 0]
    return min(positive, key=lambda c: abs(math.log(c / value))) if value > 0 else min(choices)


def _format(value):
    """A value as our URLs spell it (``config.to_query``'s format)."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, tuple):
        return ",".join(map(str, value)) if value else "none"
    return repr(value) if isinstance(value, float) else str(value)
