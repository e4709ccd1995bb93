"""Hidden space: the data and a grid of lines as one layer of the network sees them, while it trains."""

import streamlit as st

from playground.core.navigation import use_app_navigation
from playground.core.schedule_stop import reason_text
from playground.learn import common as learn
from playground.learn import hidden

use_app_navigation()

exp, is_playground = learn.experiment()
ss = st.session_state

st.title("Hidden space")
learn.caption(exp, is_playground)
st.markdown(
    "Each hidden layer maps every point of the plane to a new point: the activations of its neurons. "
    "Left, the data and a grid of straight lines in the input plane; right, the same points and lines "
    "as the chosen layer sees them. Training bends, folds and stretches that space. The output unit "
    "can only cut the last hidden layer's space with a straight line (a flat plane, with more neurons), "
    "so training must move the classes there until such a line separates them. A layer with more "
    "than two neurons is seen through two of them, or through its PCA: the flat view of the whole "
    "layer that keeps the most of its spread."
)

# The controls keep their values across a visit to another page (persist_state); a value that no
# longer fits the network (its architecture changed) goes back to the default before the widget is drawn.
layers = hidden.layer_choices(exp)
if ss.get("hs_layer") not in layers:
    ss.hs_layer = hidden.default_layer(exp)
k = hidden.n_units(exp, ss.hs_layer)
for key, default in zip(("hs_unit_x", "hs_unit_y"), hidden.default_units(k)):
    if ss.get(key) not in range(k):
        ss[key] = default
ss.setdefault("hs_view", "neurons")
ss.setdefault("hs_test", exp.config.show_test)

layer_col, view_col, x_col, y_col = st.columns([3, 3, 2, 2], vertical_alignment="bottom")
layer = layer_col.selectbox(
    "Layer", layers, format_func=lambda n: hidden.layer_label(exp, n), key="hs_layer", persist_state="session"
)
view = view_col.segmented_control(
    "View",
    list(hidden.VIEWS),
    format_func=hidden.VIEWS.get,
    required=True,
    key="hs_view",
    persist_state="session",
)
pick_units = dict(
    format_func=lambda i: hidden.unit_name(exp, layer, i),
    disabled=view == "pca" or k == 1,
    help="Only for the two-neurons view of a layer with at least two neurons.",
    persist_state="session",
)
unit_x = x_col.selectbox("x axis", range(k), key="hs_unit_x", **pick_units)
unit_y = y_col.selectbox("y axis", range(k), key="hs_unit_y", **pick_units)
show_test = st.toggle("Show test points", key="hs_test", persist_state="session")

if ss.pop("hs_stop", False):
    ss.hs_keep = False  # the fragment stopped training: switch the toggle off before it is drawn
stopped = exp.diverged or exp.finished
train_col, keep_col, note_col = st.columns([2, 2, 5], vertical_alignment="center")
train_col.button("Train 10 epochs", key="hs_train", on_click=exp.train, args=(10,), disabled=stopped)
keep = keep_col.toggle("Keep training", key="hs_keep", disabled=stopped) and not stopped
if is_playground:
    note_col.caption("Training here trains your Playground network itself, from its current epoch.")
else:
    note_col.caption("Training here trains this page's small default network.")
if exp.stopped:
    note_col.caption(f"The stop rule fired: {reason_text(exp.trainer.stopped_by)}.")
elif exp.finished:
    note_col.caption(f"The epoch budget ({exp.config.max_epochs}) is reached.")

input_col, hidden_col = st.columns(2)
input_view = hidden.input_view(exp, show_test=show_test)
input_col.plotly_chart(hidden.figure(exp, input_view, title="Input space"), key="hs_input_chart")


@st.fragment(run_every=hidden.TICK_SECONDS if keep else None)
def hidden_space():
    """Reruns alone every tick while "Keep training" is on: train a few epochs, redraw the layer."""
    if keep and not ss.get("hs_keep"):
        st.rerun()  # switched off, yet run on the old timer (a change can land in a fragment-only run)
    if keep and hidden.train_tick(exp):
        ss.hs_stop = True
        st.rerun()  # a full rerun switches the toggle off and drops this fragment's timer
    units = "pca" if view == "pca" else (unit_x, unit_y)
    shown = hidden.hidden_view(exp, layer=layer, units=units, show_test=show_test)
    if hidden.notice(exp):
        st.warning(hidden.notice(exp), icon=":material/warning:")
    if shown.problem:
        st.warning(shown.problem, icon=":material/warning:")
    else:
        title = f"{hidden.layer_label(exp, layer)}, epoch {exp.epoch}"
        st.plotly_chart(hidden.figure(exp, shown, title=title), key="hs_hidden_chart")
    st.caption(hidden.status(exp))


with hidden_col:
    hidden_space()
