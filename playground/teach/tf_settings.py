"""TensorFlow Playground's settings as its URL hash holds them, and what each becomes here.

TF's defaults and keys are from its ``src/state.ts``. Its names for datasets, activations, inputs and
initial weights are not listed here: each is the ``tf`` field of that name's record in
``playground.core.catalog`` (``"dataset=circle"`` on ``circles``), read into the maps below. What this
module adds is TF's own side (defaults, hidable controls) and why a translation is not exact.
"""

from types import MappingProxyType

from playground.core import catalog

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


def by_tf_value(records, key):
    """TF's value of ``key`` -> our name, for the catalog records whose ``tf`` is ``key=value``."""
    pairs = (record.tf.partition("=") + (name,) for name, record in records.items())
    return MappingProxyType({value: name for tf_key, _, value, name in pairs if tf_key == key})


def by_tf_key(records):
    """TF's boolean key -> our name, for the records whose ``tf`` is ``key=true`` (the inputs)."""
    return MappingProxyType(
        {
            record.tf.removesuffix("=true"): name
            for name, record in records.items()
            if record.tf.endswith("=true")
        }
    )


def always(records):
    """The one name of ``records`` that TF uses with no setting to choose it (``TF_ALWAYS``)."""
    (name,) = [name for name, record in records.items() if record.tf == catalog.TF_ALWAYS]
    return name


CLASSIFICATION = by_tf_value(catalog.DATASETS, "dataset")
REGRESSION = by_tf_value(catalog.DATASETS, "regDataset")
ACTIVATIONS = by_tf_value(catalog.ACTIVATIONS, "activation")
INITS = by_tf_value(catalog.INITIALIZERS, "initZero")  # "true" -> zeros, "false" -> TF's uniform
BIAS_INITS = by_tf_value(catalog.BIAS_INITIALIZERS, "initZero")  # "true" -> zeros, "false" -> 0.1
OUTPUTS = by_tf_value(catalog.OUTPUTS, "problem")  # TF's output for each problem
FEATURES = by_tf_key(catalog.FEATURES)
# TF's two inputs with no button (a link turns them on) -> typed feature formulas (Config.feature_formulas)
FORMULAS = MappingProxyType({"cosX": "cos(x1)", "cosY": "cos(x2)"})
LOSS, OPTIMIZER = always(catalog.LOSSES), always(catalog.OPTIMIZERS)
SAMPLES = MappingProxyType({"classification": 500, "regression": 1200})  # fixed in TF (playground.ts)
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
# Why a setting is only near; a dataset's noise says it on its catalog record (``tf_noise_why``).
WHY = MappingProxyType(
    {
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
        "cos": "TF has no button for its cos inputs; here they are features of your own (a typed formula)",
        "no input": "TF would train on no input at all; using x1, x2",
        "hideText": "TF hides its header and article; this page has none",
        "tutorial": "TF would load a tutorial page (none is published); write a task in the link builder",
    }
)
