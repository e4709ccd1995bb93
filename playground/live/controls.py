"""The sidebar controls: one widget per ``Config`` field, keyed ``cfg_<field>``.

Widgets read their initial values from ``st.session_state`` (seeded once from the URL), and
``sidebar_config`` returns the ``Config`` they describe. Ranges and choices come from
``config.FIELDS``, so a widget accepts exactly what a URL may hold.
"""

import contextlib
import dataclasses
import functools
from types import MappingProxyType

import numpy as np
import streamlit as st

from nn_core import formula
from playground.core import catalog, session
from playground.core.classroom import Classroom, unavailable
from playground.core.config import (
    DATA_FIELDS,
    DEFAULT_HEAD,
    DRAWN,
    FIELDS,
    FORMULA,
    HEADS,
    MAX_HIDDEN_LAYERS,
    MULTICLASS_DATASETS,
    OWN_DATA,
    TRAINING_FIELDS,
    UPLOAD,
    Config,
    normalize,
    usual_stop_target,
)
from playground.core.schedule_stop import PLATEAU_MIN_DELTA, TARGET_RULES
from playground.live import edits, own_features

HELP = MappingProxyType(
    {
        "dataset": "The points to classify (or, for regression, the surface to fit).",
        "n_classes": "Spiral arms / blob clusters. More than 2 classes needs a multi-class output.",
        "formula": "Class 1 where f(x1, x2) > 0, class 0 elsewhere, on points spread over [-5, 5]². Write "
        "it with x1, x2, numbers, + - * / ** (or ^), brackets, pi, e and "
        + ", ".join(f"{name}()" for name in formula.FUNCTIONS)
        + ". Noise flips labels where f is near 0.",
        "noise": "How much the classes overlap: 0 is clean, 0.5 is hard (on a curve dataset: labels "
        "flipped near the curve).",
        "train_percent": "Share of the points used for training; the rest is test data.",
        "data_seed": "Same seed, same points. 'New data' draws another seed.",
        "features": "What the network sees. x1·x2 alone solves XOR; x1² and x2² solve circles. None is fine "
        "when features of your own (below) are its inputs.",
        "activation": "Non-linearity of every hidden layer (changing it sets every layer's, below).",
        "layer_activations": "This layer's non-linearity; the network view's layer titles choose it too "
        "(click one, or focus it and press Enter, for a menu of the functions).",
        "head": "Output activation and the loss it is trained with.",
        "init": "How the starting weights are drawn. 'zeros' shows why symmetry must be broken.",
        "init_seed": "Same seed, same starting weights: Reset comes back to them.",
        "bias_init": "How the starting biases are set. With every bias 0 each first-layer hinge passes "
        "through the origin; 'uniform' (scikit-learn's) spreads them, and helps ReLU on the spiral "
        "(benchmarks/results/bias_init.md). Drawn after the weights: the weights stay the same.",
        "hidden": f"Neurons in this layer, {FIELDS['hidden'].low} to {FIELDS['hidden'].high}.",
        "optimizer": "How gradients turn into weight updates. Changing it keeps the network.",
        "learning_rate": "Step size. Too large and the loss explodes; changing it keeps the network.",
        "batch_size": "Points per update step; 0 uses all training points at once.",
        "reg_rate": "Strength of the L1/L2 weight penalty.",
        "dropout": "Share of hidden units switched off at random in each training step.",
        "schedule": "How the learning rate changes from epoch to epoch, starting from 'Learning rate'. "
        "Changing it keeps the network; the schedule runs on the network's epoch count.",
        "schedule_period": "Epochs per step (step decay), per ×factor (exponential), per cosine cycle, "
        "or per half of a triangle (cyclic).",
        "schedule_multiplier": "Cosine only: each cycle lasts this many times as long as the one before "
        "(1: every cycle lasts the period).",
        "schedule_factor": "How low the rate goes, as a fraction of the learning rate: ×factor per "
        "period (step, exponential), the bottom of a cosine or of a triangle.",
        "stop_rule": "Stop training by itself after the first epoch that meets the rule; the status line "
        "says which. Changing the rule or a training setting goes on from there.",
        "stop_target": "The loss to get below, or the accuracy to reach (a fraction: 0.95 = 95%).",
        "stop_patience": "Stop when the test loss (the training loss if there is no test data) has not "
        f"improved by more than {PLATEAU_MIN_DELTA:g} for this many epochs.",
        "max_epochs": "Stop after this many epochs (a progress bar shows how far); 0 runs until Pause.",
        "speed": "Epochs per tick, about 5 ticks a second: 1 = one epoch at a time (slow motion), "
        "2 = TensorFlow Playground's pace (~50 epochs/s), 3 = ~750 epochs/s, 5 = as fast as the server "
        "allows (a tick trains at most 0.12 s).",
    }
)


def key(name):
    return session.control_key(name)


def seed_widgets(config):
    """Put ``config`` into the widgets' session keys, for keys not set yet (the first run)."""
    for field in dataclasses.fields(config):
        value = getattr(config, field.name)
        st.session_state.setdefault(key(field.name), list(value) if field.name == "features" else value)
    st.session_state.setdefault(key("n_hidden"), len(config.hidden))
    for i, units in enumerate(config.hidden):
        st.session_state.setdefault(key(f"hidden_{i}"), units)
    for i, name in enumerate(config.hidden_activations):
        st.session_state.setdefault(key(f"act_{i}"), name)


def set_widget(name, value):
    """Change a control from a callback (e.g. the 'New data' button)."""
    st.session_state[key(name)] = value


def _range(name):
    return FIELDS[name].low, FIELDS[name].high


# Every control takes the classroom settings ``room``: a hidden control is not drawn (its value
# stays the one seeded from the link), a locked one is drawn disabled.
def _select(room, name, options, format_func=None, on_change=None):
    """A selectbox over registry names, each shown by its display name (``catalog.label``)."""
    format_func = format_func or functools.partial(catalog.label, name)
    if room.shows(name):
        st.selectbox(
            FIELDS[name].label,
            options,
            key=key(name),
            format_func=format_func,
            help=HELP.get(name),
            disabled=room.locks(name),
            on_change=on_change,
        )


def _slider(room, name, step, *, disabled=False):
    if room.shows(name):
        low, high = _range(name)
        disabled = disabled or room.locks(name)
        st.slider(
            FIELDS[name].label, low, high, step=step, key=key(name), help=HELP.get(name), disabled=disabled
        )


def _number(room, name, step, *, disabled=False, **options):
    """A number box (``options``: more ``st.number_input`` arguments, e.g. its ``format``)."""
    if room.shows(name):
        low, high = _range(name)
        st.number_input(
            FIELDS[name].label,
            low,
            high,
            step=step,
            key=key(name),
            help=HELP[name],
            disabled=disabled or room.locks(name),
            **options,
        )


def _ladder(room, name, *, disabled=False):
    """A select-slider over the field's fixed values (learning rate, regularization rate, speed)."""
    if room.shows(name):
        st.select_slider(
            FIELDS[name].label,
            FIELDS[name].choices,
            key=key(name),
            help=HELP[name],
            disabled=disabled or room.locks(name),
        )


def _data_controls(room):
    upload, drawn = session.upload(), session.drawn()
    choices = [
        d for d in FIELDS["dataset"].choices
        if (d != UPLOAD or upload is not None) and (d != DRAWN or drawn is not None)
    ]  # fmt: skip
    notices = []
    if st.session_state[key("dataset")] not in choices:  # an upload link opened in another session
        st.session_state[key("dataset")] = Config().dataset
        notices.append(
            "This link uses data uploaded in another session (uploads are never shared): using Circles."
        )

    def label(d):
        return f"Your data: {upload.name}" if d == UPLOAD and upload else catalog.label("dataset", d)

    _select(room, "dataset", choices, label)
    dataset = st.session_state[key("dataset")]
    edits.panel(room)
    if dataset == FORMULA and room.shows("formula"):
        st.text_input(
            FIELDS["formula"].label,
            key=key("formula"),
            max_chars=formula.MAX_LENGTH,
            help=HELP["formula"],
            disabled=room.locks("formula"),
        )
        _formula_mistake(st.session_state[key("formula")])
    # An uploaded file brings its own points, classes and noise: those sliders do not apply.
    _slider(room, "n_classes", 1, disabled=dataset not in MULTICLASS_DATASETS)
    _slider(room, "n_samples", 10, disabled=dataset in OWN_DATA)
    _slider(room, "noise", 0.05, disabled=dataset in OWN_DATA)
    _slider(room, "train_percent", 10)
    if room.shows("data_seed"):
        seed_col, button_col = st.columns([3, 2], vertical_alignment="bottom")
        with seed_col:
            _number(room, "data_seed", 1)
        new_seed = (st.session_state[key("data_seed")] + 1) % (int(_range("data_seed")[1]) + 1)
        button_col.button(
            "New data",
            on_click=set_widget,
            args=("data_seed", new_seed),
            key="new_data",
            disabled=room.locks("data_seed"),
        )
    if room.shows("features"):
        st.pills(
            FIELDS["features"].label,
            FIELDS["features"].choices,
            selection_mode="multi",
            key=key("features"),
            format_func=functools.partial(catalog.label, "features"),
            help=HELP["features"],
            disabled=room.locks("features"),
        )
    own_features.box(room)
    return notices


def _hidden_controls(room, last_good):
    """The layer count and one size box per layer; returns (sizes, notices). Two boxes a row, each just
    over the 7.5rem below which Streamlit drops a box's - / + steppers (with the sidebar's padding
    in ``panels.PAGE_CSS``). The boxes take any whole number (a
    bounded box would only flag an out-of-range entry with an icon, and keep it from the server): a
    size out of range is named in a notice with the allowed range, and that layer keeps its size in
    ``last_good`` (the network before the edit); nothing else changes."""
    n_hidden = st.session_state[key("n_hidden")]
    if room.shows("hidden"):
        locked = room.locks("hidden")
        st.slider("Hidden layers", 0, MAX_HIDDEN_LAYERS, key=key("n_hidden"), disabled=locked)
        n_hidden = st.session_state[key("n_hidden")]
        columns = st.columns(2, gap="xxsmall")  # each box > 7.5rem wide: Streamlit shows its - / +
        for i in range(n_hidden):
            st.session_state.setdefault(key(f"hidden_{i}"), 4)
            columns[i % 2].number_input(
                f"Layer {i + 1}", step=1, key=key(f"hidden_{i}"), disabled=locked, help=HELP["hidden"]
            )
    low, high = _range("hidden")
    sizes, notices = [], []
    for i in range(n_hidden):
        units = st.session_state[key(f"hidden_{i}")]
        if units is not None and low <= units <= high:
            sizes.append(int(units))
            continue
        kept = last_good.hidden[i] if i < len(last_good.hidden) else 4
        entered = "an empty box" if units is None else f"{units} neurons"
        notices.append(
            f"Layer {i + 1}: {entered} is out of range (a layer has {low} to {high} neurons): keeping {kept}."
        )
        sizes.append(kept)
    return tuple(sizes), notices


def _network_controls(room, task, last_good):
    """Draw the network controls; return (hidden layer sizes, notices)."""
    hidden, notices = _hidden_controls(room, last_good)
    every_layer = functools.partial(_every_layer_alike, room)
    _select(room, "activation", FIELDS["activation"].choices, on_change=every_layer)
    _layer_activation_controls(room, len(hidden))
    heads = [h for h in HEADS if task in HEADS[h].tasks]
    if st.session_state[key("head")] not in heads:  # the dataset changed the kind of problem
        old, new = HEADS[st.session_state[key("head")]].label, HEADS[DEFAULT_HEAD[task]].label
        notices.append(f"{old} does not fit a {task} problem: output and loss switched to {new}.")
        st.session_state[key("head")] = DEFAULT_HEAD[task]
    _select(room, "head", heads)
    with _folded(room, ("init", "bias_init", "init_seed"), "More: weight and bias init, seed"):
        _select(room, "init", FIELDS["init"].choices)
        _select(room, "bias_init", FIELDS["bias_init"].choices)
        _number(room, "init_seed", 1)
    return hidden, notices


def _layers_fixed(room):
    """Whether the classroom settings ``room`` keep the per-layer activations as the link has them:
    hidden or locked, themselves or with the one activation (``classroom.TAKES_ALONG``)."""
    return "layer_activations" in unavailable(room.hidden | room.locked)


def _every_layer_alike(room):
    """The one activation changed: every layer takes it (the per-layer selects follow), unless the
    classroom settings ``room`` fix the per-layer activations: those stay the link's."""
    if _layers_fixed(room):
        return
    everyone = st.session_state[key("activation")]
    for i in range(MAX_HIDDEN_LAYERS):
        st.session_state[key(f"act_{i}")] = everyone


def _layer_activation_controls(room, n_hidden):
    """One activation select per hidden layer, folded under the hidden layers; a layer without a
    choice yet (just added) starts with the one activation."""
    everyone = st.session_state[key("activation")]
    for i in range(n_hidden):
        st.session_state.setdefault(key(f"act_{i}"), everyone)
    if not (room.shows("layer_activations") and room.shows("activation")) or not n_hidden:
        return  # a teacher who hides the activation hides it layer by layer too
    with st.expander(FIELDS["layer_activations"].label):
        for i in range(n_hidden):
            st.selectbox(
                f"Layer {i + 1}",
                FIELDS["layer_activations"].choices,
                key=key(f"act_{i}"),
                format_func=functools.partial(catalog.label, "activation"),
                help=HELP["layer_activations"],
                disabled=_layers_fixed(room),
            )


def layer_activations(n_hidden):
    """The per-layer choices in the session, one per hidden layer: () when all are the one activation."""
    everyone = st.session_state[key("activation")]
    acts = tuple(st.session_state.get(key(f"act_{i}"), everyone) for i in range(n_hidden))
    return () if set(acts) <= {everyone} else acts


def layer_choice_allowed():
    """Whether the network view's layer titles may choose activations: not when the classroom
    settings hide or lock the activation (the titles then open no menu)."""
    return not _layers_fixed(session.classroom(Classroom()))


def take_layer_click(event):
    """A choice in the menu a hidden layer's title opens in the network view (the live component's
    ``layer`` trigger, {layer, activation, n}): layer ``layer`` (0-based) takes ``activation``, a
    name of ``ACTIVATIONS``. Anything else (a hostile or repeated message, a layer that is not there,
    a name that is not a hidden activation, the one the layer has already, an activation the
    classroom settings hide or lock) is ignored. The page then runs again in full
    (``layer_clicked``), so the sidebar builds the network."""
    if not isinstance(event, dict):
        return
    layer, name, seq = event.get("layer"), event.get("activation"), event.get("n")
    if seq is None or seq == st.session_state.get("pg_layer_seq"):
        return
    st.session_state.pg_layer_seq = seq
    n_hidden = st.session_state.get(key("n_hidden"), 0)
    if isinstance(layer, bool) or not isinstance(layer, int) or not 0 <= layer < n_hidden:
        return
    if not isinstance(name, str) or name not in FIELDS["layer_activations"].choices:
        return
    current = st.session_state.get(key(f"act_{layer}"), st.session_state[key("activation")])
    if name == current or not layer_choice_allowed():
        return
    st.session_state[key(f"act_{layer}")] = name
    st.session_state.pg_layer_clicked = True


def layer_clicked():
    """True once after ``take_layer_click`` changed a layer: the caller reruns the whole page."""
    return st.session_state.pop("pg_layer_clicked", False)


def _folded(room, names, title):
    """An expander for rarely changed settings ``names`` (folded, so the sidebar's first screen is
    the data and the network, as in TF Playground); nothing when the classroom settings hide them all."""
    return st.expander(title) if any(room.shows(n) for n in names) else contextlib.nullcontext()


def _training_controls(room):
    _select(room, "optimizer", FIELDS["optimizer"].choices)
    _ladder(room, "learning_rate")
    _slider(room, "batch_size", 1)
    _select(room, "regularization", FIELDS["regularization"].choices)
    _ladder(room, "reg_rate", disabled=st.session_state[key("regularization")] == "none")
    _ladder(room, "speed")
    with _folded(room, ("dropout", "max_epochs"), "More: dropout, epochs to train"):
        _slider(room, "dropout", 0.05)
        _number(room, "max_epochs", 100)
    _schedule_and_stop_controls(room)


def _new_stop_rule():
    """On picking a stop rule: its kind's usual target (0.05 would stop an accuracy rule at once)."""
    rule = st.session_state[key("stop_rule")]
    if rule in TARGET_RULES:
        st.session_state[key("stop_target")] = usual_stop_target(rule)


def _schedule_and_stop_controls(room):
    """Two folded sections: the learning-rate schedule, and the rule that stops training by itself."""
    names = ("schedule", "schedule_period", "schedule_factor", "schedule_multiplier")
    with _folded(room, names, "Learning-rate schedule"):
        _select(room, "schedule", FIELDS["schedule"].choices)
        schedule = st.session_state[key("schedule")]
        _number(room, "schedule_period", 10, disabled=schedule == "constant")
        _ladder(room, "schedule_factor", disabled=schedule == "constant")
        _number(room, "schedule_multiplier", 1, disabled=schedule != "cosine")
    with _folded(room, ("stop_rule", "stop_target", "stop_patience"), "Stop when"):
        _select(room, "stop_rule", FIELDS["stop_rule"].choices, on_change=_new_stop_rule)
        rule = st.session_state[key("stop_rule")]
        _number(room, "stop_target", 0.01, disabled=rule in ("none", "plateau"), format="%g")
        _number(room, "stop_patience", 10, disabled=rule != "plateau")


SECTIONS = MappingProxyType(
    {
        "Data": DATA_FIELDS + ("features", "feature_formulas"),
        "Network": ("hidden", "activation", "layer_activations", "head", "init", "init_seed", "bias_init"),
        "Training": TRAINING_FIELDS + ("max_epochs", "speed"),
    }
)


def _formula_mistake(text):
    """Under the formula box: what is wrong with ``text``, and the text with a caret under the
    mistake (``st.code``: shown as typed, never as Markdown)."""
    try:
        formula.parse(text)
    except formula.FormulaError as error:
        st.error(f"{error.message[0].upper()}{error.message[1:]}.".replace("`", "'"), icon=":material/error:")
        st.code(error.pointer(), language=None)


def checked_formula(text, last_good):
    """(the formula to use, notices): ``text`` if it parses, else ``last_good`` (the box says what is
    wrong); notices too when f is on one side of 0 all over the plane (one class) or not finite
    somewhere."""
    try:
        parsed = formula.parse(text)
    except formula.FormulaError:
        return last_good, ["The formula has a mistake (see under the box): keeping the last one that worked."]
    axis = np.linspace(-5, 5, 41)
    values = parsed(np.column_stack([np.repeat(axis, len(axis)), np.tile(axis, len(axis))]))
    notices = []
    if (values > 0).all() or (values <= 0).all():
        side = "above" if (values > 0).all() else "not above"
        notices.append(f"f is {side} 0 all over the plane: every point gets the same class.")
    if parsed.nonfinite:
        notices.append("f is not a finite number at some points (a log or a square root of a negative "
                       "number, a division by 0): there it counts as 0, class 0.")  # fmt: skip
    return text, notices


def sidebar_config(last_good, room=None):
    """Draw the sidebar, leaving out the controls the classroom settings ``room`` hide; return
    (Config, notices). Input that cannot be used (no features at all) keeps the value of
    ``last_good`` and says so."""
    room = room or Classroom()
    headers = {title: any(room.shows(n) for n in names) for title, names in SECTIONS.items()}
    with st.sidebar:
        if headers["Data"]:
            st.header("Data")
        notices = _data_controls(room)
        partial = Config(  # the kind of problem: an upload's or a drawn set's comes from upload_task
            dataset=st.session_state[key("dataset")],
            n_classes=st.session_state[key("n_classes")],
            upload_task=st.session_state[key("upload_task")],
        )
        if headers["Network"]:
            st.header("Network")
        hidden, more = _network_controls(room, partial.task, last_good)
        notices += more
        if headers["Training"]:
            st.header("Training")
        _training_controls(room)
    values = {f.name: st.session_state[key(f.name)] for f in dataclasses.fields(Config)}
    values["hidden"] = hidden
    values["feature_formulas"] = tuple(values["feature_formulas"])
    values["layer_activations"] = layer_activations(len(hidden))
    values["formula"], more = checked_formula(values["formula"], last_good.formula)
    notices += more if values["dataset"] == FORMULA else []
    values["features"] = tuple(n for n in FIELDS["features"].choices if n in (values["features"] or ()))
    if not values["features"] and not values["feature_formulas"]:  # typed features alone will do
        # (the last network's inputs may have been typed ones alone, now removed: then the default's)
        values["features"] = last_good.features or Config().features
        kept = catalog.labels("features", values["features"])
        notices.append(f"Pick at least one input feature: keeping {kept}.")
    config, more = normalize(Config(**values))
    return config, notices + more
