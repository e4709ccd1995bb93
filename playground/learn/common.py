"""What the Learn pages share: the network they look inside, and how they say which one it is.

A Learn page works on the session's Playground experiment if there is one (the network the user is
training, at its current epoch), else on a small default experiment of its own, kept in
``st.session_state`` like every per-user object.
"""

import streamlit as st

from playground.core import catalog, session
from playground.core.config import Config
from playground.core.experiment import Experiment

# The small default: XOR with one hidden layer of 4 tanh units, full batch, so every step is the
# same kind of step the tutorials take.
DEFAULT_CONFIG = Config(dataset="xor", n_samples=100, hidden=(4,), batch_size=0, learning_rate=0.1)


def experiment():
    """(experiment, is_playground): the Playground's experiment, or this session's default one."""
    playground = session.experiment()
    if playground is not None:
        return playground, True
    if "learn_experiment" not in st.session_state:
        st.session_state.learn_experiment = Experiment(DEFAULT_CONFIG)
    return st.session_state.learn_experiment, False


def describe(exp):
    """One line naming the network and where it stands, e.g. ``2-4-4-1 tanh on circles, epoch 120``
    (a network with one activation per layer: ``2-4-4-1 ReLU / sine on circles, ...``)."""
    c = exp.config
    sizes = "-".join(str(n) for n in exp.model.layer_sizes)
    acts = dict.fromkeys(exp.model.hidden_activations) or [c.activation]
    names = exp.model.hidden_activations if len(acts) > 1 else acts  # each layer's, or the one
    activation = " / ".join(catalog.label("activation", a) for a in names)
    dataset = catalog.label("dataset", c.dataset)
    return f"{sizes} {activation} network on {dataset}, epoch {exp.epoch}"


def caption(exp, is_playground):
    """Say which network the page shows, and how to show another."""
    if is_playground:
        st.caption(f"Your Playground network: {describe(exp)}. Change it on the Playground page.")
    else:
        st.caption(
            f"A small default network: {describe(exp)}. Open the Playground first to look inside "
            "your own network instead."
        )
