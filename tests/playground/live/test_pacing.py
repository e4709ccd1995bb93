"""A tick's size: a fair share of the workers over the planned time between ticks, epochs stretched
with that time, frames enough for the display's 60 a second. Plain arithmetic on ``Pacing``, no
Streamlit run."""

import pytest

from playground.live import pacing
from playground.live.pacing import TICK_SECONDS, Pacing


def test_alone_a_tick_gets_the_whole_budget_and_the_speed_settings_epochs():
    assert pacing.budget(TICK_SECONDS, cores=2, active=1) == pytest.approx(pacing.TICK_BUDGET)
    # 0.1 ms an epoch, 1 ms a snapshot: speed 150 epochs, 12 frames (60 a second at 5 ticks a second)
    pace = Pacing(snapshot_cpu=0.001)
    assert pace.plan(per_epoch=1e-4, speed_epochs=150, cores=2, active=1) == (150, 12)


def test_the_first_tick_trains_one_epoch_to_time_it():
    assert Pacing().plan(per_epoch=0.0, speed_epochs=2000, cores=2, active=1) == (1, 1)
    assert Pacing().plan(per_epoch=0.0, speed_epochs=2000, cores=2, active=1, snapshots=False) == (1, 0)


def test_a_busy_server_asks_for_fewer_fuller_ticks():
    assert pacing.tick_seconds(1) == TICK_SECONDS
    assert pacing.tick_seconds(20) == pytest.approx(20 * pacing.RUN_SECONDS)
    assert pacing.tick_seconds(1000) == pacing.LONGEST_TICK  # at least one update a second


def test_thirty_sessions_share_the_workers_fairly():
    """30 sessions on 2 workers: ticks every tick_seconds(30) = T; each may spend SHARE * 2 * T / 30,
    less the server's own work per tick.
    With 0.4 ms epochs and 0.8 ms snapshots, the frames take at most FRAME_SHARE of it, the epochs
    the rest (fewer than the speed setting asks for over T)."""
    T = pacing.tick_seconds(30)
    spend = pacing.SHARE * 2 * T / 30 - pacing.SERVER_CPU_PER_TICK
    assert pacing.budget(T, cores=2, active=30) == pytest.approx(spend)
    n_epochs, n_frames = Pacing(snapshot_cpu=0.0008).plan(
        per_epoch=0.0004, speed_epochs=150, cores=2, active=30
    )
    assert n_frames == min(round(60 * T), int(pacing.FRAME_SHARE * spend / 0.0008))
    assert n_epochs == int((spend - n_frames * 0.0008) / 0.0004) < 150 * T / TICK_SECONDS
    # what the workers are asked for in all: the share, whatever the number of sessions
    assert (
        30 * (n_epochs * 0.0004 + n_frames * 0.0008 + pacing.SERVER_CPU_PER_TICK)
        <= pacing.SHARE * 2 * T + 1e-9
    )


def test_slow_snapshots_take_at_most_their_share_and_never_more_frames_than_epochs():
    pace = Pacing(snapshot_cpu=0.02)  # 20 ms a snapshot: a big network, alone (the larger share)
    n_epochs, n_frames = pace.plan(per_epoch=0.01, speed_epochs=150, cores=2, active=1)
    assert n_frames == int(pacing.FRAME_SHARE_ALONE * pacing.TICK_BUDGET / 0.02)
    assert n_epochs == int((pacing.TICK_BUDGET - n_frames * 0.02) / 0.01)
    assert pace.plan(per_epoch=1.0, speed_epochs=150, cores=2, active=1)[1] == 1  # 1 epoch, 1 frame


def test_the_budget_has_a_floor_however_busy():
    assert pacing.budget(pacing.LONGEST_TICK, cores=1, active=10_000) == pacing.BUDGET_FLOOR


def test_snapshot_cost_is_a_running_average_that_ignores_ticks_without_snapshots():
    pace = Pacing()
    pace.measured(0.002)
    assert pace.snapshot_cpu == 0.002
    pace.measured(0.0)
    assert pace.snapshot_cpu == 0.002
    pace.measured(0.001)
    assert pace.snapshot_cpu == pytest.approx(0.7 * 0.002 + 0.3 * 0.001)
