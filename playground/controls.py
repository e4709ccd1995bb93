"""The sidebar controls: one widget per ``Config`` field, keyed ``cfg_<field>``.

Widgets read their initial values from ``st.session_state`` (seeded once from the URL), and
``sidebar_config`` returns the ``Config`` they describe. Ranges and choices come from
``config.FIELDS``, so a widget accepts exactly what a URL may hold.
"""

import dataclasses

import streamlit as st

from nn_core.features import FEATURE_LABELS
from playground.config import (
    DEFAULT_HEAD,
    FIELDS,
    HEADS,
    MAX_HIDDEN_LAYERS,
    MULTICLASS_DATASETS,
    Config,
    normalize,
)

DATASET_LABELS = {
    "circles": "Circles",
    "xor": "XOR (quadrants)",
    "gaussian": "Two Gaussians",
    "spiral": "Spiral (2-5 arms)",
    "moons": "Moons",
    "blobs": "Blobs (2-5 clusters)",
    "xor_table": "XOR truth table (4 points, the tutorial)",
    "plane": "Regression: plane",
    "multi_gaussian": "Regression: multi-Gaussian",
}
REG_LABELS = {"none": "None", "l1": "L1", "l2": "L2"}
HELP = {
    "dataset": "The points to classify (or, for regression, the surface to fit).",
    "n_classes": "Spiral arms / blob clusters. More than 2 classes needs a multi-class output.",
    "noise": "How much the classes overlap: 0 is clean, 0.5 is hard.",
    "train_percent": "Share of the points used for training; the rest is test data.",
    "data_seed": "Same seed, same points. 'New data' draws another seed.",
    "features": "What the network sees. x1·x2 alone solves XOR; x1² and x2² solve circles.",
    "activation": "Non-linearity of every hidden layer.",
    "head": "Output activation and the loss it is trained with.",
    "init": "How the starting weights are drawn. 'zeros' shows why symmetry must be broken.",
    "init_seed": "Same seed, same starting weights: Reset comes back to them.",
    "optimizer": "How gradients turn into weight updates. Changing it keeps the network.",
    "learning_rate": "Step size. Too large and the loss explodes; changing it keeps the network.",
    "batch_size": "Points per update step; 0 uses all training points at once.",
    "reg_rate": "Strength of the L1/L2 weight penalty.",
    "dropout": "Share of hidden units switched off at random in each training step.",
    "max_epochs": "Stop after this many epochs (a progress bar shows how far); 0 runs until Pause.",
    "speed": "Epochs per tick, about 5 ticks a second: 1 = one epoch at a time (slow motion), "
    "2 = TensorFlow Playground's pace (~50 epochs/s), 3 = ~750 epochs/s, 5 = as fast as the server "
    "allows (a tick trains at most 0.12 s).",
}


def key(name):
    return f"cfg_{name}"


def seed_widgets(config):
    """Put ``config`` into the widgets' session keys, for keys not set yet (the first run)."""
    for field in dataclasses.fields(config):
        value = getattr(config, field.name)
        st.session_state.setdefault(key(field.name), list(value) if field.name == "features" else value)
    st.session_state.setdefault(key("n_hidden"), len(config.hidden))
    for i, units in enumerate(config.hidden):
        st.session_state.setdefault(key(f"hidden_{i}"), units)


def set_widget(name, value):
    """Change a control from a callback (e.g. the 'New data' button)."""
    st.session_state[key(name)] = value


def _range(name):
    return FIELDS[name].low, FIELDS[name].high


def _select(name, options, format_func=str):
    st.selectbox(FIELDS[name].label, options, key=key(name), format_func=format_func, help=HELP.get(name))


def _slider(name, step, **kwargs):
    low, high = _range(name)
    st.slider(FIELDS[name].label, low, high, step=step, key=key(name), help=HELP.get(name), **kwargs)


def _data_controls():
    _select("dataset", FIELDS["dataset"].choices, DATASET_LABELS.get)
    multi = st.session_state[key("dataset")] in MULTICLASS_DATASETS
    _slider("n_classes", 1, disabled=not multi)
    _slider("n_samples", 10)
    _slider("noise", 0.05)
    _slider("train_percent", 10)
    low, high = _range("data_seed")
    seed_col, button_col = st.columns([3, 2], vertical_alignment="bottom")
    seed_col.number_input(
        FIELDS["data_seed"].label, low, high, step=1, key=key("data_seed"), help=HELP["data_seed"]
    )
    new_seed = (st.session_state[key("data_seed")] + 1) % (high + 1)
    button_col.button("New data", on_click=set_widget, args=("data_seed", new_seed), key="new_data")
    st.pills(
        FIELDS["features"].label,
        FIELDS["features"].choices,
        selection_mode="multi",
        key=key("features"),
        format_func=FEATURE_LABELS.get,
        help=HELP["features"],
    )


def _hidden_controls():
    st.slider("Hidden layers", 0, MAX_HIDDEN_LAYERS, key=key("n_hidden"))
    n_hidden = st.session_state[key("n_hidden")]
    columns = st.columns(4)
    low, high = _range("hidden")
    for i in range(n_hidden):
        st.session_state.setdefault(key(f"hidden_{i}"), 4)
        columns[i % 4].number_input(f"Layer {i + 1}", low, high, step=1, key=key(f"hidden_{i}"))
    return tuple(int(st.session_state[key(f"hidden_{i}")]) for i in range(n_hidden))


def _network_controls(task):
    """Draw the network controls; return (hidden layer sizes, notices)."""
    notices = []
    hidden = _hidden_controls()
    _select("activation", FIELDS["activation"].choices)
    heads = [h for h in HEADS if task in HEADS[h].tasks]
    if st.session_state[key("head")] not in heads:  # the dataset changed the kind of problem
        old, new = HEADS[st.session_state[key("head")]].label, HEADS[DEFAULT_HEAD[task]].label
        notices.append(f"{old} does not fit a {task} problem: output and loss switched to {new}.")
        st.session_state[key("head")] = DEFAULT_HEAD[task]
    _select("head", heads, lambda h: HEADS[h].label)
    _select("init", FIELDS["init"].choices)
    low, high = _range("init_seed")
    st.number_input(
        FIELDS["init_seed"].label, low, high, step=1, key=key("init_seed"), help=HELP["init_seed"]
    )
    return hidden, notices


def _training_controls():
    _select("optimizer", FIELDS["optimizer"].choices)
    st.select_slider(
        FIELDS["learning_rate"].label,
        FIELDS["learning_rate"].choices,
        key=key("learning_rate"),
        help=HELP["learning_rate"],
    )
    _slider("batch_size", 1)
    _select("regularization", FIELDS["regularization"].choices, REG_LABELS.get)
    st.select_slider(
        FIELDS["reg_rate"].label,
        FIELDS["reg_rate"].choices,
        key=key("reg_rate"),
        help=HELP["reg_rate"],
        disabled=st.session_state[key("regularization")] == "none",
    )
    _slider("dropout", 0.05)
    low, high = _range("max_epochs")
    st.number_input(
        FIELDS["max_epochs"].label, low, high, step=100, key=key("max_epochs"), help=HELP["max_epochs"]
    )
    st.select_slider(FIELDS["speed"].label, FIELDS["speed"].choices, key=key("speed"), help=HELP["speed"])


def sidebar_config(last_good):
    """Draw the sidebar; return (Config, notices). Input that cannot be used (no features at all)
    keeps the value of ``last_good`` and says so."""
    with st.sidebar:
        st.header("Data")
        _data_controls()
        partial = Config(
            dataset=st.session_state[key("dataset")], n_classes=st.session_state[key("n_classes")]
        )
        st.header("Network")
        hidden, notices = _network_controls(partial.task)
        st.header("Training")
        _training_controls()
    values = {f.name: st.session_state[key(f.name)] for f in dataclasses.fields(Config)}
    values["hidden"] = hidden
    values["features"] = tuple(n for n in FIELDS["features"].choices if n in (values["features"] or ()))
    if not values["features"]:
        notices.append("Pick at least one input feature: keeping " + ", ".join(last_good.features) + ".")
        values["features"] = last_good.features
    config, more = normalize(Config(**values))
    return config, notices + more
