"""The "Activations and gradients" page's logic: the curves it plots, its controls' defaults, the deep
runs it trains (one per activation x initialization, ``nn_core.diagnostics``) and the table of their
numbers. The page (``pages/activations.py``) draws the widgets, the figures and the prose.

Session keys (prefix ``act_``): one per control (``act_<setting>``, seeded here) and ``act_results``,
the last training: its settings, its (activation, init) pairs and their traces. Results are shown only
while the controls still hold those settings.
"""

from types import MappingProxyType

import numpy as np
import pandas as pd
import streamlit as st

from nn_core import diagnostics, make_dataset

DATASETS = ("circles", "moons", "xor", "gaussian", "spiral")
N_SAMPLES, NOISE, SEED = 200, 0.1, 0  # the data and the initial weights of every run
MAX_EPOCHS, MAX_EACH = 500, 3  # at most 3 activations x 3 inits = 9 runs
DEFAULTS = MappingProxyType(
    dict(
        curves=("sigmoid", "tanh", "relu", "leaky_relu"),
        dataset="circles", depth=6, width=8, activations=("sigmoid", "tanh", "relu"),
        inits=("xavier", "normal"), epochs=200, learning_rate=0.1,
    )
)  # fmt: skip
SETTINGS = ("dataset", "depth", "width", "activations", "inits", "epochs", "learning_rate")
CURVE_RANGE, CURVE_POINTS = 6.0, 601  # the curves are drawn over z in [-6, 6]
RATIO = "Far below 1: vanishing; far above 1: exploding. None: the output layer gets no gradient at all."


def seed_controls():
    """Give every control its value (Streamlit forgets them while another page is shown): the last
    run's settings, so that coming back shows that run and its results stay current, else the defaults.
    Returns the last results (dict) or None."""
    ss = st.session_state
    last = ss.get("act_results")
    for name, value in {**DEFAULTS, **(last["settings"] if last else {})}.items():
        ss.setdefault(f"act_{name}", list(value) if isinstance(value, tuple) else value)
    return last


def curves(names):
    """{name: (z, g(z), g'(z))} for the activations ``names``, over ``CURVE_POINTS`` points of z."""
    z = np.linspace(-CURVE_RANGE, CURVE_RANGE, CURVE_POINTS)
    return {name: (z, *diagnostics.activation_curve(name, z)) for name in names}


def settings():
    """The deep runs' settings as the controls hold them: {setting: value}, lists as tuples."""
    ss = st.session_state
    values = {name: ss[f"act_{name}"] for name in SETTINGS}
    return values | {"activations": tuple(values["activations"]), "inits": tuple(values["inits"])}


def pairs(chosen):
    """The runs' (activation, init) pairs for the settings ``chosen``: every activation with every init."""
    return [(a, i) for a in chosen["activations"] for i in chosen["inits"]]


def train(chosen, progress=None):
    """Train one deep network per pair on the settings' dataset and keep them in ``act_results``.
    progress: None or ``progress(fraction)``. Returns the results: {"settings", "pairs", "traces"}."""
    X, y = make_dataset(chosen["dataset"], n_samples=N_SAMPLES, noise=NOISE, rng=SEED)
    epochs, runs = chosen["epochs"], pairs(chosen)
    traces = diagnostics.compare_runs(
        X, y, runs, depth=chosen["depth"], width=chosen["width"], learning_rate=chosen["learning_rate"],
        n_epochs=epochs, every=max(1, epochs // 100), rng=SEED, progress=progress,
    )  # fmt: skip
    st.session_state.act_results = results = {"settings": chosen, "pairs": runs, "traces": traces}
    return results


def runs(results):
    """One dict per run, for the figures: ``title`` ("relu + he") and the trace's fields."""
    return [dict(title=f"{a} + {i}", **vars(t)) for (a, i), t in zip(results["pairs"], results["traces"])]


def table_columns():
    """The summary table's columns: {field: Streamlit column config}, in the order shown."""
    number = st.column_config.NumberColumn
    return {
        "first_layer_start": number("layer-1 |dW|, start", format="%.2e"),
        "ratio_start": number("layer 1 / output |dW|, start", format="%.2e", help=RATIO),
        "ratio_end": number("layer 1 / output |dW|, end", format="%.2e", help=RATIO),
        "dead": st.column_config.TextColumn(
            "dead units", help="No gradient for any point (ReLU: z <= 0 on all)"
        ),
        "saturation_end": number("saturated share", format="percent"),
        "final_loss": number("final loss", format="%.4f"),
        "diverged_epoch": number("diverged at epoch"),
    }


def summary_table(results, columns):
    """The runs' numbers at their start and end (``diagnostics.summary``): a DataFrame with a ``run``
    column, then ``columns``; dead units read "dead / units"."""
    rows = [{"run": r["title"], **diagnostics.summary(t)} for r, t in zip(runs(results), results["traces"])]
    table = pd.DataFrame(rows).assign(dead=lambda d: d.dead_end.astype(str) + " / " + d.units.astype(str))
    return table[["run", *columns]]
