"""Activations and gradients: each activation and its slope; vanishing and exploding gradients, dead
and saturated units in a deep network, compared across activations and initializations."""

import numpy as np
import pandas as pd
import streamlit as st

from nn_core import ACTIVATIONS, INITIALIZERS, diagnostics, make_dataset
from playground.core.config import LEARNING_RATES
from playground.core.navigation import use_app_navigation
from playground.figures import activations as figures

use_app_navigation()

DATASETS = ("circles", "moons", "xor", "gaussian", "spiral")
N_SAMPLES, NOISE, SEED = 200, 0.1, 0  # the data and the initial weights of every run
MAX_EPOCHS, MAX_EACH = 500, 3  # at most 3 activations x 3 inits = 9 runs
DEFAULTS = dict(
    curves=("sigmoid", "tanh", "relu", "leaky_relu"),
    dataset="circles", depth=6, width=8, activations=("sigmoid", "tanh", "relu"),
    inits=("xavier", "normal"), epochs=200, learning_rate=0.1,
)  # fmt: skip
RATIO = "Far below 1: vanishing; far above 1: exploding. None: the output layer gets no gradient at all."
TABLE = {
    "first_layer_start": st.column_config.NumberColumn("layer-1 |dW|, start", format="%.2e"),
    "ratio_start": st.column_config.NumberColumn("layer 1 / output |dW|, start", format="%.2e", help=RATIO),
    "ratio_end": st.column_config.NumberColumn("layer 1 / output |dW|, end", format="%.2e", help=RATIO),
    "dead": st.column_config.TextColumn("dead units", help="No gradient for any point (ReLU: z <= 0 on all)"),
    "saturation_end": st.column_config.NumberColumn("saturated share", format="percent"),
    "final_loss": st.column_config.NumberColumn("final loss", format="%.4f"),
    "diverged_epoch": st.column_config.NumberColumn("diverged at epoch"),
}

ss = st.session_state
last = ss.get("act_results")
# Seed the controls (Streamlit forgets them while another page is shown) from the last run, so
# coming back shows that run's settings and its results stay current.
for name, value in {**DEFAULTS, **(last["settings"] if last else {})}.items():
    ss.setdefault(f"act_{name}", list(value) if isinstance(value, tuple) else value)

st.title("Activations and gradients")
st.header("Each activation and its slope")
shown = st.multiselect("Activations to show", list(ACTIVATIONS), key="act_curves")
z = np.linspace(-6.0, 6.0, 601)
curves = {name: (z, *diagnostics.activation_curve(name, z)) for name in shown}
flat = dict(max_slopes=diagnostics.MAX_SLOPE, threshold=diagnostics.SATURATION_SLOPE)
st.plotly_chart(figures.activation_curves_figure(curves, **flat), key="act_curves_chart")
st.markdown(
    "Backpropagation multiplies the gradient by the slope g'(z) at every layer. Where the curve is flat "
    "(shaded: slope under 2 % of its steepest) almost nothing passes. Sigmoid's slope is at most 0.25, "
    "so every sigmoid layer shrinks the gradient at least fourfold; ReLU passes it whole where z > 0, "
    "and nothing at all where z <= 0."
)

st.header("A deep network: where does the gradient go?")
left, mid, right = st.columns(3)
dataset = left.selectbox("Dataset", DATASETS, key="act_dataset")
depth = left.slider("Hidden layers", 1, 10, key="act_depth")
width = left.slider("Units per hidden layer", 2, 32, key="act_width")
activations = mid.multiselect(
    "Activations", list(ACTIVATIONS), max_selections=MAX_EACH, key="act_activations"
)
inits = mid.multiselect("Initializations", list(INITIALIZERS), max_selections=MAX_EACH, key="act_inits")
epochs = right.slider("Epochs", 10, MAX_EPOCHS, step=10, key="act_epochs")
learning_rate = right.select_slider("Learning rate", LEARNING_RATES[2:-1], key="act_learning_rate")
settings = dict(
    dataset=dataset, depth=depth, width=width, activations=tuple(activations), inits=tuple(inits),
    epochs=epochs, learning_rate=learning_rate,
)  # fmt: skip
pairs = [(a, i) for a in activations for i in inits]
st.caption(
    f"One run per activation x initialization ({len(pairs)} now; at most {MAX_EACH} of each, so 9 runs). "
    f"{N_SAMPLES} points (noise {NOISE}), sigmoid output, cross-entropy, full-batch SGD; every run starts "
    f"from seed {SEED}. Gradients are measured on all the points, about 100 times per run."
)
if st.button("Run", type="primary", disabled=not pairs, key="act_run"):
    bar = st.progress(0.0, text="Training...")
    X, y = make_dataset(dataset, n_samples=N_SAMPLES, noise=NOISE, rng=SEED)
    traces = diagnostics.compare_runs(
        X, y, pairs, depth=depth, width=width, learning_rate=learning_rate, n_epochs=epochs,
        every=max(1, epochs // 100), rng=SEED, progress=lambda f: bar.progress(f, text="Training..."),
    )  # fmt: skip
    bar.empty()
    ss.act_results = last = {"settings": settings, "pairs": pairs, "traces": traces}

if last is None:
    st.info("Press Run to train the networks.")
elif last["settings"] != settings:
    st.warning("The settings changed since the last run: press Run to see results for these settings.")
else:
    runs = [dict(title=f"{a} + {i}", **vars(t)) for (a, i), t in zip(last["pairs"], last["traces"])]
    st.subheader("Gradient norm of each layer during training")
    st.caption("Log scale, one colour per layer; a layer with no gradient at all sits on the bottom edge.")
    st.plotly_chart(
        figures.gradient_norms_figure(runs, n_cols=len(last["settings"]["inits"])), key="act_norms_chart"
    )
    st.plotly_chart(figures.gradient_profile_figure(runs), key="act_profile_chart")
    rows = [{"run": r["title"], **diagnostics.summary(t)} for r, t in zip(runs, last["traces"])]
    table = pd.DataFrame(rows).assign(dead=lambda d: d.dead_end.astype(str) + " / " + d.units.astype(str))
    st.dataframe(table[["run", *TABLE]], column_config=TABLE, hide_index=True, key="act_table")
    st.plotly_chart(figures.unit_health_figure(runs), key="act_health_chart")
    st.markdown(
        "**Vanishing gradients.** Going back through a layer multiplies the gradient by that layer's "
        "weights and slopes. If those factors are below 1, the gradient shrinks layer after layer: the "
        "first layers get a gradient thousands of times smaller than the last (a ratio far below 1, "
        "orange lines far under the blue ones) and barely learn. Sigmoid does this with every init here.\n\n"
        "**Exploding gradients.** Factors above 1 (large weights, e.g. `normal`) grow it instead: big "
        "first-layer gradients, jumpy training, perhaps divergence.\n\n"
        "**Dead and saturated units.** A unit in a flat part passes no gradient: tanh and sigmoid with "
        "big weights saturate; a ReLU unit with z <= 0 for every point is dead for good. For ReLU, about "
        "half the (point, unit) pairs on the flat side is normal. Xavier (tanh) and He (ReLU) scale the "
        "initial weights so the factors stay near 1."
    )
