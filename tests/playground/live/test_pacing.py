"""A tick's size: a fair share of the workers over the time between ticks, epochs stretched with
that time, frames enough for ~30 a second. Plain arithmetic on ``Pacing``, no Streamlit run."""

import pytest

from playground.live import pacing
from playground.live.pacing import TICK_SECONDS, Pacing


def test_alone_a_tick_gets_the_whole_budget_and_the_speed_settings_epochs():
    pace = Pacing()
    assert pace.budget(cores=2, active=1) == pytest.approx(pacing.TICK_BUDGET)
    # 0.1 ms an epoch, 1 ms a snapshot: speed 150 epochs, 6 frames (30 a second at 5 ticks a second)
    pace.snapshot_cpu = 0.001
    assert pace.plan(per_epoch=1e-4, speed_epochs=150, cores=2, active=1) == (150, 6)


def test_the_first_tick_trains_one_epoch_to_time_it():
    assert Pacing().plan(per_epoch=0.0, speed_epochs=2000, cores=2, active=1) == (1, 1)
    assert Pacing().plan(per_epoch=0.0, speed_epochs=2000, cores=2, active=1, snapshots=False) == (1, 0)


def test_a_busy_server_asks_for_fewer_fuller_ticks():
    assert pacing.tick_seconds(1) == TICK_SECONDS
    assert pacing.tick_seconds(10) == pytest.approx(10 * pacing.RUN_SECONDS)
    assert pacing.tick_seconds(30) == pytest.approx(0.9)
    assert pacing.tick_seconds(1000) == pacing.LONGEST_TICK  # at least one update a second


def test_thirty_sessions_share_the_workers_fairly():
    """30 sessions on 2 workers, 0.9 s between ticks: each may spend 0.8 * 2 * 0.9 / 30 = 48 ms a
    tick; with 0.4 ms epochs and 0.8 ms snapshots that is 24 frames (19 ms, within the 40 % frame
    share) and 72 epochs, fewer than the 675 the speed setting asks for over 0.9 s."""
    pace = Pacing(interval=0.9, snapshot_cpu=0.0008)
    assert pace.budget(cores=2, active=30) == pytest.approx(0.048)
    n_epochs, n_frames = pace.plan(per_epoch=0.0004, speed_epochs=150, cores=2, active=30)
    assert n_frames == 24
    assert n_epochs == int((0.048 - 24 * 0.0008) / 0.0004)


def test_slow_snapshots_take_at_most_their_share_and_never_more_frames_than_epochs():
    pace = Pacing(snapshot_cpu=0.02)  # 20 ms a snapshot: a big network
    n_epochs, n_frames = pace.plan(per_epoch=0.01, speed_epochs=150, cores=2, active=1)
    assert n_frames == 2  # 40 % of 140 ms buys 2
    assert n_epochs == int((0.14 - 2 * 0.02) / 0.01)
    assert pace.plan(per_epoch=1.0, speed_epochs=150, cores=2, active=1)[1] == 1  # 1 epoch, 1 frame


def test_the_budget_has_a_floor_however_busy():
    assert Pacing().budget(cores=1, active=10_000) == pacing.BUDGET_FLOOR


def test_the_interval_is_a_running_average_of_the_gaps_between_tick_starts():
    pace = Pacing()
    pace.started(10.0, run=1)
    assert pace.interval == TICK_SECONDS  # the first tick of a Play says nothing
    pace.started(11.0, run=1)
    assert pace.interval == pytest.approx(0.7 * TICK_SECONDS + 0.3 * 1.0)
    pace.started(100.0, run=1)  # a long gap counts as at most 3 s
    assert pace.interval == pytest.approx(0.7 * (0.7 * TICK_SECONDS + 0.3) + 0.3 * 3.0)
    pace.started(200.0, run=2)  # a new Play: the pause between is no gap
    assert pace.interval == pytest.approx(0.7 * (0.7 * TICK_SECONDS + 0.3) + 0.3 * 3.0)


def test_snapshot_cost_is_a_running_average_that_ignores_ticks_without_snapshots():
    pace = Pacing()
    pace.measured(0.002)
    assert pace.snapshot_cpu == 0.002
    pace.measured(0.0)
    assert pace.snapshot_cpu == 0.002
    pace.measured(0.001)
    assert pace.snapshot_cpu == pytest.approx(0.7 * 0.002 + 0.3 * 0.001)
