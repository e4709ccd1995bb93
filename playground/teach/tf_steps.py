"""One TensorFlow Playground setting at a time: each step reads its keys from the hash being imported
and sets the nearest Config field here, with a note (``playground.teach.tfplayground`` runs them).

A step gets the import in progress (``tfplayground._Import``): ``imp.get(key)`` is the key's value as
TF reads it, ``imp.set(field, value)`` sets a field and returns what the report shows, ``imp.note``
adds a line to the report, ``imp.fall_back`` takes TF's default for a value TF would not accept.
"""

import hashlib
import math

from playground.core import catalog
from playground.core import config as cfg
from playground.core.classroom import LABELS
from playground.teach.tf_settings import (
    ACTIVATIONS,
    BIAS_INITS,
    CLASSIFICATION,
    FEATURES,
    FORMULAS,
    HIDES,
    IGNORED,
    INITS,
    LOSS,
    MAX_UNKNOWN_NOTES,
    NEAREST,
    NOISE_STEP,
    NONE,
    OPTIMIZER,
    OUTPUTS,
    REGRESSION,
    SAME,
    SAMPLES,
    TF_DEFAULTS,
    TF_KEYS,
    WHY,
)


def _hides(imp):
    """``<control>_hide`` flags: TF hides a control only for the exact value "true"."""
    for key in [k for k in imp.values if k.endswith("_hide")]:
        control, hide = key.removesuffix("_hide"), imp.values[key] == "true"
        if control in HIDES:
            if hide:
                imp.hidden.add(HIDES[control])
            imp.note(key, f"{LABELS[HIDES[control]]}: {'hidden' if hide else 'shown'}", SAME)
        elif control in FEATURES or control in FORMULAS:
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
    imp.note("problem", imp.set("head", _tf_head(problem)), SAME, WHY["head"])
    imp.note(f"({SAMPLES[problem]} points, fixed in TF)", imp.set("n_samples", SAMPLES[problem]), SAME)


def _noise(imp):
    value = _numeric(imp, "noise", lambda v: v >= 0, "a noise level")
    if value > 80:  # TF's own check: a link may push the 0..50 slider to 80, no further
        imp.fallbacks["noise"] = (NEAREST, "TF resets a noise above 80 to 50")
        value = 50.0
    dataset = imp.query[cfg.FIELDS["dataset"].key]
    record = catalog.DATASETS[dataset]
    ours = min(1.0, _round(max(0.0, record.tf_noise(value / 100)) / NOISE_STEP) * NOISE_STEP)
    how = SAME if value == 0 else NEAREST
    imp.note("noise", imp.set("noise", round(ours, 2)), how, record.tf_noise_why)


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
    """The seven TF inputs with a button -> ours, its two cos inputs -> typed feature formulas; an input
    hidden by ``<feature>_hide=true`` is removed, as TF does."""
    hidden = [key for key in (*FEATURES, *FORMULAS) if imp.values.get(key + "_hide") == "true"]
    on = [key for key in FEATURES if _bool(imp, key) and key not in hidden]
    cos_on = [key for key in FORMULAS if _bool(imp, key) and key not in hidden]
    off = [key for key in (*FEATURES, *FORMULAS) if key not in on + cos_on + hidden]
    if cos_on:
        here = imp.set("feature_formulas", tuple(FORMULAS[key] for key in cos_on))
        for key in cos_on:
            imp.note(key, here, SAME, WHY["cos"])
    chosen = tuple(FEATURES[key] for key in on)
    if not chosen and not cos_on:  # (its cos inputs alone are the network's inputs here too)
        imp.note("(no input feature)", "", NEAREST, WHY["no input"])
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
    name = _named(imp, "activation", ACTIVATIONS, "a TF activation")
    imp.note("activation", imp.set("activation", ACTIVATIONS[name]), SAME)


def _init(imp):
    """initZero -> the weight init and the bias init: TF's biases start at 0.1, or at 0 with initZero."""
    zero = str(_bool(imp, "initZero")).lower()
    shown = imp.set("init", INITS[zero]) + ", " + imp.set("bias_init", BIAS_INITS[zero])
    imp.note("initZero", shown, SAME, "" if zero == "true" else WHY["init"])


def _learning_rate(imp):
    value = _numeric(imp, "learningRate", lambda v: v > 0, "a positive number")
    ours = _nearest(value, cfg.LEARNING_RATES)
    # Never "same": even the same number steps twice as far here (our MSE has no ½; WHY says so).
    imp.note("learningRate", imp.set("learning_rate", ours), NEAREST, WHY["learningRate"])


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
    imp.note(
        "(training loop)", imp.set("optimizer", OPTIMIZER) + ", " + imp.set("speed", 2), SAME, WHY["loop"]
    )


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


def _round(value):
    """Nearest integer, halves up (Python's round() sends 4.5 to 4 but 5.5 to 6)."""
    return math.floor(value + 0.5)


def _nearest(value, choices):
    """The choice nearest ``value`` on a log scale (rates are ratios); 0 only for 0."""
    positive = [c for c in choices if c > 0]
    return min(positive, key=lambda c: abs(math.log(c / value))) if value > 0 else min(choices)


def _tf_head(problem):
    """Our output-and-loss pair for TF's: the output TF uses for ``problem``, with TF's one loss."""
    (head,) = [h for h, pair in cfg.HEADS.items() if (pair.output, pair.loss) == (OUTPUTS[problem], LOSS)]
    return head


# In this order: the dataset before its noise, the features and network before the training settings.
STEPS = (
    *(_hides, _data, _noise, _train_percent, _seed, _features, _network, _activation, _init),
    *(_learning_rate, _batch_size, _regularization, _view, _fixed, _page_flags, _unknown),
)
