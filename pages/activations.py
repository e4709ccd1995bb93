"""Activations and gradients: each activation and its slope; vanishing and exploding gradients, dead
and saturated units in a deep network, compared across activations and initializations. The runs, the
controls' defaults and the table live in ``playground.learn.activations``."""

import streamlit as st

from nn_core import ACTIVATIONS, INITIALIZERS, diagnostics
from playground.core.catalog import label
from playground.core.config import LEARNING_RATES
from playground.core.navigation import use_app_navigation
from playground.figures import activations as figures
from playground.learn import activations as deep

use_app_navigation()

last = deep.seed_controls()

st.title("Activations and gradients")
st.header("Each activation and its slope")
shown = st.multiselect(
    "Activations to show", list(ACTIVATIONS), format_func=lambda a: label("activation", a), key="act_curves"
)
flat = dict(max_slopes=diagnostics.MAX_SLOPE, threshold=diagnostics.SATURATION_SLOPE)
st.plotly_chart(
    figures.activation_curves_figure(
        deep.curves(shown), titles={a: label("activation", a) for a in shown}, **flat
    ),
    key="act_curves_chart",
)
st.markdown(
    "Backpropagation multiplies the gradient by the slope g'(z) at every layer. Where the curve is flat "
    "(shaded: slope under 2 % of its steepest) almost nothing passes. Sigmoid's slope is at most 0.25, "
    "so every sigmoid layer shrinks the gradient at least fourfold; ReLU passes it whole where z > 0, "
    "and nothing at all where z <= 0.\n\n"
    "Beyond TF Playground's four: ELU and softplus are smooth ReLUs (their left tail still flattens); "
    "swish (z·sigmoid(z)) and GELU (drawn here, and computed, with its tanh approximation) dip a little "
    "below 0 and overshoot slope 1; sine's slope cos z swings between -1 and 1, flat only at its "
    "crests, so a sine unit never saturates for good. On the Playground each hidden layer may have "
    "its own (click a layer's title in the network view)."
)

st.header("A deep network: where does the gradient go?")
left, mid, right = st.columns(3)
left.selectbox("Dataset", deep.DATASETS, format_func=lambda d: label("dataset", d), key="act_dataset")
left.slider("Hidden layers", 1, 10, key="act_depth")
left.slider("Units per hidden layer", 2, 32, key="act_width")
mid.multiselect(
    "Activations", list(ACTIVATIONS), max_selections=deep.MAX_EACH, key="act_activations",
    format_func=lambda a: label("activation", a),
)  # fmt: skip
mid.multiselect(
    "Initializations", list(INITIALIZERS), max_selections=deep.MAX_EACH, key="act_inits",
    format_func=lambda i: label("init", i),
)  # fmt: skip
right.slider("Epochs", 10, deep.MAX_EPOCHS, step=10, key="act_epochs")
right.select_slider("Learning rate", LEARNING_RATES[2:-1], key="act_learning_rate")
settings = deep.settings()
n_runs = len(deep.pairs(settings))
st.caption(
    f"One run per activation x initialization ({n_runs} now; at most {deep.MAX_EACH} of each, so 9 runs). "
    f"{deep.N_SAMPLES} points (noise {deep.NOISE}), sigmoid output, cross-entropy, full-batch SGD; every "
    f"run starts from seed {deep.SEED}. Gradients are measured on all the points, about 100 times per run."
)
if st.button("Run", type="primary", disabled=not n_runs, key="act_run"):
    bar = st.progress(0.0, text="Training...")
    last = deep.train(settings, progress=lambda f: bar.progress(f, text="Training..."))
    bar.empty()

if last is None:
    st.info("Press Run to train the networks.")
elif last["settings"] != settings:
    st.warning("The settings changed since the last run: press Run to see results for these settings.")
else:
    runs = deep.runs(last)
    st.subheader("Gradient norm of each layer during training")
    st.caption("Log scale, one colour per layer; a layer with no gradient at all sits on the bottom edge.")
    st.plotly_chart(
        figures.gradient_norms_figure(runs, n_cols=len(last["settings"]["inits"])), key="act_norms_chart"
    )
    st.plotly_chart(figures.gradient_profile_figure(runs), key="act_profile_chart")
    columns = deep.table_columns()
    st.dataframe(deep.summary_table(last, columns), column_config=columns, hide_index=True, key="act_table")
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
