"""The tutorial, reproduced: the classic XOR network from scratch, as published, in nn_core, and in the
Playground. The runs and the notes live in ``playground.learn.tutorial``; this page only shows them."""

import pandas as pd
import streamlit as st

from playground.core import session
from playground.core.navigation import use_app_navigation
from playground.figures.tutorial import tutorial_loss_figure
from playground.learn import tutorial

use_app_navigation()

st.title("The tutorial, reproduced")
st.markdown(
    "The classic *neural network from scratch in NumPy*: XOR with a 2-2-1 sigmoid network, mean squared "
    "error, learning rate 0.1, 10,000 epochs, `np.random.seed(42)`. Below: its code and exactly what it "
    "prints, then the same network in `nn_core` side by side, then in the Playground with one click."
)
with st.expander("The tutorial's code, Steps 1-9 verbatim (`tutorials/xor_tutorial.py`)"):
    st.code(tutorial.source(), line_numbers=True)

# The same output for everyone and never changing: computed once per server, shared by all sessions.
run_tutorial = st.cache_data(tutorial.run_tutorial, show_spinner=False)
run_nn_core = st.cache_data(tutorial.run_nn_core, show_spinner=False)
try:
    with st.spinner("Running the tutorial's script in its own Python process..."):
        theirs, ours = run_tutorial(), run_nn_core()
except tutorial.TutorialError as error:
    st.error(str(error))
    st.stop()

st.header("1. What the tutorial prints")
st.caption(
    "`python tutorials/xor_tutorial.py`, run in a separate process (the script seeds NumPy's global "
    "generator, which must not touch the server all users share), once, then cached."
)
st.code(theirs.stdout, language=None, height=300)

st.header("2. The same network in nn_core")
st.markdown(
    "`MLP([2, 2, 1], activation='sigmoid', output='sigmoid', dtype=np.float64)` with the tutorial's "
    "starting weights (`np.random.RandomState(42).randn`, W1 then W2, zero biases), trained by "
    "`Trainer(loss='mse', optimizer='sgd', learning_rate=0.2)` on the full batch. Why 0.2: see the "
    "notes below."
)
losses = pd.DataFrame(tutorial.loss_columns(theirs, ours))
st.plotly_chart(
    tutorial_loss_figure(losses["epoch"], losses["tutorial loss"], losses["nn_core loss"]), key="tut_loss"
)
st.dataframe(
    losses,
    hide_index=True,
    height=250,
    column_config={
        "tutorial loss": st.column_config.NumberColumn(format="%.12f"),
        "nn_core loss": st.column_config.NumberColumn(format="%.12f"),
        "difference": st.column_config.NumberColumn("difference (nn_core − tutorial)", format="%.1e"),
    },
    key="tut_losses",
)
st.dataframe(pd.DataFrame(tutorial.prediction_columns(theirs, ours)), hide_index=True, key="tut_predictions")
st.caption(
    "Predictions after 10,000 epochs. The tutorial's are read from its printout, so they carry the "
    "8 significant digits NumPy prints; nn_core's are full precision."
)
st.info(
    "From this start the network does **not** learn XOR: (0, 1) and (1, 1) both end near 0.5 and the "
    "loss levels off just above 0.125 (training ten times longer barely moves it). Two sigmoid units "
    "from an unlucky start get stuck like this; the Playground's start below does not."
)

st.header("Where the tutorial and nn_core differ, and why")
for text, formula in tutorial.NOTES:
    st.markdown(text)
    if formula:
        st.latex(formula)

st.header("3. The same network in the Playground")
config = tutorial.playground_config()
st.markdown(
    "The 4-point XOR table, one hidden layer of 2 sigmoid units, sigmoid + MSE, standard-normal "
    f"initial weights, full batch, learning rate {config.learning_rate:g}, {config.max_epochs:,} epochs, "
    "seeds 42. What differs:"
)
st.markdown("\n".join(f"- {note}" for note in tutorial.playground_differences(config)))
if st.button("Open this network in the Playground", type="primary", key="tut_open"):
    session.open_in_playground(config)
