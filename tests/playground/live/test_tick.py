"""A tick in a worker process: the same training, bit for bit, as in the session's own thread; a
small job; a pool that survives a killed worker; nothing of a session left behind in the workers."""

import os
import pickle
import signal

import numpy as np
import pytest

from playground.core.config import Config
from playground.core.experiment import Experiment
from playground.live import training, workers

CONFIGS = [
    Config(n_samples=80, hidden=(5, 3), batch_size=10),  # SGD, minibatches
    Config(dataset="spiral", n_classes=3, head="softmax_ce", optimizer="adam", hidden=(8,), dropout=0.2),
    Config(dataset="plane", head="linear_mse", optimizer="rmsprop", regularization="l2", reg_rate=0.01),
]


@pytest.fixture(scope="module")
def pool():
    """Two real worker processes, as a 2-core server starts them."""
    made = workers.Workers(2)
    assert made.available, made.reason
    yield made
    made.shutdown()


def trained_here(config, ticks):
    """The reference: the experiment trained in this thread, directly."""
    exp = Experiment(config)
    for n_epochs, _ in ticks:
        exp.train(n_epochs)
    return exp


def trained_through(pool, config, ticks):
    exp, taken = Experiment(config), []
    for n_epochs, n_frames in ticks:
        result = pool.run(training.Job(exp.travelling_copy(), n_epochs, n_frames), session="test")
        exp.take_training_from(result.experiment)
        taken.append(result)
    return exp, taken


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: f"{c.dataset}-{c.optimizer}")
def test_a_worker_trains_bit_for_bit_as_this_thread_does(pool, config):
    ticks = [(1, 1), (7, 3), (25, 6), (4, 0)]
    here = trained_here(config, ticks)
    there, results = trained_through(pool, config, ticks)
    assert there.epoch == here.epoch == 37
    assert np.array_equal(there.model.params, here.model.params)
    assert there.trainer.history == here.trainer.history
    # and it goes on identically: optimizer moments and the shuffling rng travelled too
    here.train(5)
    there.train(5)
    assert np.array_equal(there.model.params, here.model.params)
    assert [r.packed["epochs"] if r.packed else [] for r in results] == [
        [1],
        [4, 6, 8],
        [13, 17, 21, 25, 29, 33],
        [],
    ]


def test_frames_from_a_worker_equal_frames_taken_here(pool):
    from playground.live import frames

    config = CONFIGS[0]
    exp, (result,) = trained_through(pool, config, [(12, 3)])
    reference = Experiment(config)
    expected = []
    for chunk in (4, 4, 4):
        reference.train(chunk)
        expected.append(frames.snapshot(reference))
    assert result.packed == frames.pack_frames(expected)  # the same bytes, packed the same way


def test_the_travelling_copy_is_small_and_leaves_the_history_at_home():
    exp = Experiment(Config())
    exp.train(300)
    twin = exp.travelling_copy()
    assert twin.trainer.history == [] and len(exp.trainer.history) == 300
    size = len(pickle.dumps(training.Job(twin, 150, 6)))
    assert size < 30_000, size  # data ~12 KB, network + optimizer + rng ~2 KB; no buffers, no history


def test_a_worker_killed_mid_class_costs_one_tick_in_this_thread(monkeypatch):
    cleared = []
    monkeypatch.setattr(workers.pool, "clear", lambda: cleared.append(True))
    own = workers.Workers(1)
    try:
        for pid in list(own._executor._processes):
            os.kill(pid, signal.SIGKILL)
        config = CONFIGS[0]
        exp = Experiment(config)
        result = own.run(training.Job(exp.travelling_copy(), 5, 1), session="test")
        assert result.trained == 5 and "failed" in own.reason and cleared == [True]
        exp.take_training_from(result.experiment)
        assert np.array_equal(exp.model.params, trained_here(config, [(5, 1)]).model.params)
    finally:
        own.shutdown()


def test_without_workers_ticks_train_here_and_say_why():
    none = workers.Workers(0)
    assert not none.available and "NN_PLAYGROUND_WORKERS=0" in none.reason
    assert none.cores() == 1  # one interpreter lock for every session
    result = none.run(training.Job(Experiment(CONFIGS[0]).travelling_copy(), 3, 1), session="a")
    assert result.trained == 3


def test_worker_count_follows_the_environment(monkeypatch):
    monkeypatch.setenv("NN_PLAYGROUND_WORKERS", "3")
    assert workers.worker_count() == 3
    monkeypatch.setenv("NN_PLAYGROUND_WORKERS", "lots")
    assert workers.worker_count() == 0  # a typo switches them off rather than guessing
    monkeypatch.delenv("NN_PLAYGROUND_WORKERS")
    assert workers.worker_count() == workers.usable_cores() <= len(os.sched_getaffinity(0))


def test_a_container_quota_limits_the_workers(tmp_path):
    cpu_max = tmp_path / "cpu.max"
    cpu_max.write_text("max 100000\n")  # no quota: every CPU it may run on
    assert workers.usable_cores(cpu_max) == len(os.sched_getaffinity(0))
    cpu_max.write_text("50000 100000\n")  # half a core: one worker
    assert workers.usable_cores(cpu_max) == 1
    assert workers.usable_cores(tmp_path / "missing") == len(os.sched_getaffinity(0))


def test_a_session_that_stops_ticking_is_forgotten_within_seconds(monkeypatch):
    """Workers keep nothing of a session between jobs; the count of sessions training (which sizes
    everyone's share) forgets one that paused, closed its tab or reloaded, after ACTIVE_WINDOW."""
    clock = iter([0.0, 0.5, 1.0, 1.0, 5.0])
    monkeypatch.setattr(workers.time, "monotonic", lambda: next(clock))
    none = workers.Workers(0)
    job = training.Job(Experiment(CONFIGS[0]).travelling_copy(), 1, 0)
    none.run(job, session="a")  # t = 0
    none.run(job, session="b")  # t = 0.5
    assert none.active() == 2  # t = 1
    none.run(job, session="b")  # t = 1: b goes on, a left
    assert none.active() == 1  # t = 5: a is forgotten; b ticked 4 s ago: forgotten too -> at least 1
    assert none._seen == {}


SERVER_SCRIPT = """
import sys, time
sys.path.insert(0, {root!r})
from playground.live import workers
if __name__ == "__main__":
    pool = workers.Workers(2)
    assert pool.available, pool.reason
    print(" ".join(str(pid) for pid in pool._executor._processes), flush=True)
    time.sleep(600)
"""


def test_workers_exit_when_the_server_is_killed_outright(tmp_path):
    """A server killed with SIGKILL cannot shut its pool down: the workers notice and exit."""
    import subprocess
    import sys
    import time
    from pathlib import Path

    script = tmp_path / "server.py"
    script.write_text(SERVER_SCRIPT.format(root=str(Path(__file__).resolve().parents[3])))
    server = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        pids = [int(p) for p in server.stdout.readline().split()]
        assert len(pids) >= 1
        assert all(_alive(pid) for pid in pids)
    finally:
        server.kill()
        server.wait()
        server.stdout.close()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in pids), "workers outlived the server"


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as f:  # a zombie has exited: only its exit status is left
        return f.read().split(")")[-1].split()[0] != "Z"


@pytest.fixture
def bare_session():
    """``st.session_state`` outside a Streamlit run: a plain per-process store, cleared around a test."""
    import streamlit as st

    st.session_state.clear()
    yield st.session_state
    st.session_state.clear()


@pytest.mark.parametrize("meanwhile", ["pause", "step", "learning rate", "reset"])
def test_a_tick_that_returns_after_a_click_is_dropped(bare_session, monkeypatch, meanwhile):
    """A click starts a new run at once (fastReruns) while this tick's worker may still train: the
    click wins, and the worker's epochs never reach the session (the paused picture stays true)."""
    import dataclasses

    from playground.core import session
    from playground.live import store, tick

    config = CONFIGS[0]
    exp, _ = store.experiment(config)
    session.set_running(True)
    exp.train(3)  # timed: the tick trains the speed setting's epochs
    clicks = {
        "pause": lambda: store.set_running(False),
        "step": store.step,
        "learning rate": lambda: store.experiment(dataclasses.replace(config, learning_rate=0.1)),
        "reset": store.reset,
    }

    class SlowPool(workers.Workers):
        def run(self, job, session):
            result = super().run(job, session)  # trains a copy, as a worker process does
            clicks[meanwhile]()  # the click lands while the worker trains
            return result

    monkeypatch.setattr(workers, "pool", lambda: SlowPool(0))
    before = exp.model.params.copy(), exp.epoch
    stopped, taken = tick.tick(exp, snapshots=True)
    assert (stopped, taken) == (False, None)
    expected_epoch = {"pause": 3, "step": 4, "learning rate": 3, "reset": 0}[meanwhile]
    assert exp.epoch == expected_epoch
    if meanwhile in ("pause", "learning rate"):
        assert np.array_equal(exp.model.params, before[0])
    if meanwhile == "learning rate":
        assert exp.trainer.learning_rate == 0.1  # the new setting is not undone by the old copy


def test_a_tick_nothing_interrupted_is_kept(bare_session, monkeypatch):
    from playground.core import session
    from playground.live import store, tick

    exp, _ = store.experiment(CONFIGS[0])
    session.set_running(True)
    exp.train(3)
    monkeypatch.setattr(workers, "pool", lambda: workers.Workers(0))
    stopped, taken = tick.tick(exp, snapshots=True)
    assert not stopped and exp.epoch > 3 and taken["epochs"][-1] == exp.epoch
