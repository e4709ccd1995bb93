"""The tick's budgets: CPU time of the session's own thread, shared out by how busy the server is.

Outside a Streamlit run ``st.session_state`` is a plain per-process store; each test clears it.
"""

import pytest
import streamlit as st

from playground.core.config import Config
from playground.core.experiment import Experiment
from playground.live import state


@pytest.fixture(autouse=True)
def fresh_session():
    for key in list(st.session_state):
        del st.session_state[key]
    yield
    for key in list(st.session_state):
        del st.session_state[key]


def timed_experiment(cpu_per_epoch, wall_per_epoch, epochs=10):
    """An experiment that trained ``epochs`` epochs, with its timings set by hand."""
    exp = Experiment(Config(n_samples=60, hidden=(3,), batch_size=0, speed=3))  # speed 3: 150 epochs
    exp.train(epochs)
    exp.train_cpu_seconds, exp.train_seconds = cpu_per_epoch * epochs, wall_per_epoch * epochs
    return exp


def test_an_idle_server_gives_the_whole_budget():
    assert state.load() == 1.0
    assert state.budget(0.12, 0.004) == 0.12


def test_a_busy_server_shares_the_budget_out_down_to_the_floor():
    st.session_state.pg_load = 10.0
    assert state.budget(0.12, 0.004) == pytest.approx(0.012)
    st.session_state.pg_load = 100.0
    assert state.budget(0.12, 0.004) == 0.004


def test_epochs_per_tick_counts_cpu_time_not_the_wait_for_other_sessions():
    """1 ms of CPU per epoch: 0.12 s buys 120 epochs, whatever the wall clock says (here 50 ms an
    epoch, as when 30 sessions share one interpreter lock)."""
    exp = timed_experiment(cpu_per_epoch=0.001, wall_per_epoch=0.05)
    assert state.epochs_per_tick(exp) == 120
    st.session_state.pg_load = 60.0  # busy: the floor, 4 ms, buys 4 epochs
    assert state.epochs_per_tick(exp) == 4


def test_load_is_a_running_average_of_wall_over_cpu_time():
    state._measure_load(wall=0.3, cpu=0.01)  # waited 29 times as long as it worked
    assert state.load() == pytest.approx(0.7 * 1 + 0.3 * 30)
    state._measure_load(wall=0.0005, cpu=0.0001)  # too short to time: ignored
    assert state.load() == pytest.approx(9.7)
    for _ in range(40):
        state._measure_load(wall=0.01, cpu=0.01)  # alone again
    assert state.load() == pytest.approx(1.0, abs=1e-5)


def test_snapshots_per_tick_follow_the_shared_frame_budget():
    st.session_state.pg_snapshot_seconds = 0.002
    assert state.frames_per_tick(100) == state.FRAMES_PER_TICK  # 20 ms buys 10, capped at 6
    st.session_state.pg_load = 10.0  # 2 ms left: below the 4 ms floor, which buys 2
    assert state.frames_per_tick(100) == 2
    assert state.frames_per_tick(1) == 1  # never more frames than epochs
