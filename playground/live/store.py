"""The session's experiment, moved to the config the controls produced, and the buttons that act on
it (Play, Pause, Step, Reset). Keys: the experiment and the last change (the line under the buttons)
are ``core.session``'s; the run's film is kept here (``pg_film``)."""

import streamlit as st

from playground.core import session
from playground.core.config import DRAWN, UPLOAD
from playground.core.experiment import Experiment
from playground.live import rate
from playground.live.film import Film


def experiment(config):
    """This session's experiment, moved to ``config``. Returns (experiment, Change or None)."""
    upload = {UPLOAD: session.upload(), DRAWN: session.drawn()}.get(config.dataset)
    exp = session.experiment()
    if exp is None:
        exp = Experiment(config, upload)
        session.keep_experiment(exp)
        session.set_running(False)
        return exp, None
    with session.guard():
        change = exp.update(config, upload)
    if change:
        session.set_last_change(change.message)
        if change.rebuilt:  # a new network waits for Play, as in TensorFlow Playground
            session.set_running(False)
    return exp, change


def set_running(value):
    """Button callback (Play, Pause); takes the new value as an argument."""
    session.set_running(value)


def step():
    """Button callback: pause and train exactly one epoch."""
    with session.guard():
        session.set_running(False)
        exp = session.experiment()
        exp.train(1)
    rate.mark(exp.epoch)


def reset():
    """Button callback: pause and rebuild the network from its init seed (epoch 0)."""
    with session.guard():
        session.set_running(False)
        session.experiment().reset()
    session.set_last_change("Reset: back to epoch 0 with the same initial weights.")


def last_change():
    return session.last_change()


def film(exp):
    """This session's film of ``exp``'s network (``film.Film``): a new, empty one for a new network
    (new data, another architecture, Reset)."""
    key = f"{exp.nonce}.{exp.builds}"
    kept = st.session_state.get("pg_film")
    if kept is None or kept.key != key:
        kept = st.session_state.pg_film = Film(key)
    return kept
