"""How much one tick does: epochs and frames sized to the time between ticks and to a fair share of
the workers.

While training, the browser asks for the next tick once a payload has arrived, no sooner than
``tick_seconds`` after the last request (``playground.live.component``). Alone, that is every
``TICK_SECONDS`` and a tick trains the speed setting's epochs and takes up to ``MAX_FRAMES`` snapshots,
which the browser plays back evenly until the next payload: ~30 frames a second.

Many sessions at once: every server run costs Streamlit's own work (~5 ms of the server process),
so a busy server asks for fewer, fuller round trips (``tick_seconds`` grows with the sessions
training), and each tick carries as many epochs and frames as that longer interval deserves. What it
may spend is a fair share of the cores (``budget``): SHARE x cores x interval / sessions training, less
the server's own work per tick, never more than a session alone would use (``TICK_BUDGET`` per
``TICK_SECONDS``).

Per-session numbers live in a ``Pacing`` in ``st.session_state`` (key ``pg_pacing``); the
arithmetic is plain methods, tested without Streamlit.
"""

from dataclasses import dataclass

import streamlit as st

TICK_SECONDS = 0.2  # shortest time between ticks (a session alone): 5 round trips a second
LONGEST_TICK = 0.9  # ... and longest, on a busy server: more than one update a second
RUN_SECONDS = 0.014  # time between ticks per session training: 30 sessions -> 0.42 s (2 a second)
TICK_BUDGET = 0.14  # CPU seconds per TICK_SECONDS a session alone may spend (training + snapshots)
BUDGET_FLOOR = 0.004  # ... and at least, however busy: some training on every tick
SHARE = 0.9  # of the cores handed out to ticks (the rest: the system, the balancer, the browser's I/O)
SERVER_CPU_PER_TICK = 0.005  # the server process's own CPU per tick (measured: ~5 ms at 30-100 sessions)
FRAME_SHARE = 0.25  # at most this part of a tick's budget goes to snapshots on a shared server ...
FRAME_SHARE_ALONE = 0.5  # ... and with the whole budget of a session alone: the pictures are the point
FRAMES_PER_SECOND = 60  # what the snapshots aim for: the display's rate (the browser plays them evenly)
MAX_FRAMES = 60  # snapshots per tick at most
SMOOTHING = 0.3  # weight of the newest measurement in every running average here


@dataclass
class Pacing:
    """One session's tick sizing. ``snapshot_cpu``: CPU seconds one snapshot costs (a running average
    over the ticks that took snapshots; 0 before the first)."""

    snapshot_cpu: float = 0.0

    def plan(self, *, per_epoch, speed_epochs, cores, active, snapshots=True):
        """(epochs, frames) for the next tick. ``per_epoch``: CPU seconds an epoch costs (0 before one
        was timed: one epoch then, so a big network's first tick cannot freeze the page);
        ``speed_epochs``: epochs per TICK_SECONDS the speed setting asks for, stretched to the time
        between ticks that ``active`` sessions training get (``tick_seconds``)."""
        if per_epoch <= 0:
            return 1, 1 if snapshots else 0
        seconds = tick_seconds(active)
        spend = budget(seconds, cores=cores, active=active)
        share = FRAME_SHARE_ALONE if spend >= _alone(seconds) else FRAME_SHARE
        n_frames = self._frames(seconds, share * spend) if snapshots else 0
        wanted = round(speed_epochs * seconds / TICK_SECONDS)
        n_epochs = max(1, min(wanted, int((spend - n_frames * self.snapshot_cpu) / per_epoch)))
        return n_epochs, min(n_frames, n_epochs)

    def _frames(self, seconds, spend):
        """Snapshots enough for FRAMES_PER_SECOND over ``seconds``, as many as ``spend`` CPU seconds
        pay for."""
        wanted = min(MAX_FRAMES, max(1, round(FRAMES_PER_SECOND * seconds)))
        if self.snapshot_cpu <= 0:
            return wanted
        return max(1, min(wanted, int(spend / self.snapshot_cpu)))

    def measured(self, snapshot_cpu):
        """A tick's snapshots cost ``snapshot_cpu`` CPU seconds each (0: it took none)."""
        if snapshot_cpu > 0:
            self.snapshot_cpu = _mix(self.snapshot_cpu or snapshot_cpu, snapshot_cpu)


def budget(seconds, *, cores, active):
    """CPU seconds a tick may spend when ticks come every ``seconds``: a fair share of the workers
    (SHARE of ``cores`` split over the ``active`` sessions training), never more than a session alone
    (TICK_BUDGET per TICK_SECONDS), never less than the floor. Sized by the planned time between
    ticks, not the measured one: a tick that took longer must not make the next one longer still."""
    alone = _alone(seconds)
    # The server's own work for each tick (its Streamlit run, the payload) runs on the same cores.
    fair = SHARE * cores * seconds / active - SERVER_CPU_PER_TICK
    return max(BUDGET_FLOOR, min(alone, fair))


def _alone(seconds):
    """What a session alone may spend on a tick when ticks come every ``seconds``."""
    return TICK_BUDGET * seconds / TICK_SECONDS


def tick_seconds(active):
    """The shortest time between two ticks of one session when ``active`` sessions train."""
    return min(LONGEST_TICK, max(TICK_SECONDS, RUN_SECONDS * active))


def current():
    """This session's ``Pacing`` (made on first use)."""
    return st.session_state.setdefault("pg_pacing", Pacing())


def _mix(old, new):
    return (1 - SMOOTHING) * old + SMOOTHING * new
