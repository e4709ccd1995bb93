"""Backprop, step by step: one training step of the network, one stage per button press."""

import streamlit as st

from playground.core.navigation import use_app_navigation
from playground.learn import common as learn
from playground.learn import stepper_panels

use_app_navigation()

exp, is_playground = learn.experiment()
st.title("Backprop, step by step")
learn.caption(exp, is_playground)
st.markdown(
    "One training step, cut into its stages: the **forward** pass layer by layer, the **loss**, "
    "the **backward** pass from the output layer back to the first, and the **update** of every "
    "weight. Each matrix is the one `nn_core` computed (hover a cell for its value), next to the "
    "equation and the lines of `nn_core` that computed it. The step is taken on a copy: your "
    "network does not change here, and its next step on the Playground takes exactly these numbers."
)
if exp.diverged:
    st.warning(
        "This network has diverged: its numbers are not finite. Lower the learning rate on the Playground."
    )
rows = stepper_panels.batch_controls(exp)
stages = stepper_panels.current_stages(exp, rows)
stage = stepper_panels.navigation(stages)
stepper_panels.show(stage)
