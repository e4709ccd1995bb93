"""One tick of training, as a worker process runs it (or, where none can start, the session's thread).

A pure function of its job, so the two places give the same result bit for bit: train ``n_epochs``
in ``n_frames`` near-equal chunks, snapshot the model (``frames.snapshot``) after each chunk (a large
network's snapshots are light, the boundary only, but the last: ``frames.light_frames``), and pack
the snapshots for the browser (``frames.pack_frames``: zlib, base64). The full snapshots also go to
the run's film (``film.reel``: compressed here too).
The job and its result cross the process boundary by ``pickle``: the job carries a travelling copy
of the experiment (``Experiment.travelling_copy``: no history, no upload; a few KB), the result the
trained copy and its frames. No Streamlit here: worker processes never import it.
"""

import os
import threading
import time
from dataclasses import dataclass

from playground.core.experiment import Experiment
from playground.live import film, frames

WATCH_SECONDS = 0.5  # how often a worker checks that the server is still there


@dataclass(frozen=True)
class Job:
    """What one tick asks for. ``n_frames`` 0: train only (the fallback charts draw the model)."""

    experiment: Experiment
    n_epochs: int
    n_frames: int


@dataclass(frozen=True)
class Result:
    """What one tick did: the trained experiment copy, its frames packed for the browser
    (``frames.pack_frames``: compressed here, off the server's interpreter lock; None without
    snapshots), and what they cost (CPU seconds of the process that ran it)."""

    experiment: Experiment
    packed: dict | None
    trained: int  # epochs trained (fewer than asked at the epoch budget or on divergence)
    cpu: float  # the whole job
    snapshot_cpu: float  # per snapshot (0 without snapshots)
    reels: tuple = ()  # the full snapshots, for the run's film (``film.Reel``)


def run(job):
    """Train and snapshot ``job.experiment`` in place; return a ``Result``."""
    exp, start = job.experiment, time.thread_time()
    taken: list[frames.Frame] = []
    reels: list[film.Reel] = []  # the full snapshots, and the film's own in a run's first epochs
    trained, snapshot_cpu = 0, 0.0
    parts = chunks(job.n_epochs, max(1, job.n_frames))
    light = frames.light_frames(exp.model.layer_sizes)
    for i, chunk in enumerate(parts):
        done = _train(exp, chunk, reels if job.n_frames and not light else None)
        trained += done
        if job.n_frames and (done or (taken and not taken[-1].full)):
            # A large network's frames are light but the last (or the one where training stopped).
            full = not light or i == len(parts) - 1 or not done or exp.finished or exp.diverged
            before = time.thread_time()
            taken.append(frames.snapshot(exp, full=full))
            snapshot_cpu += time.thread_time() - before
            if full:
                reels.append(film.reel(taken[-1]))
        if not done:
            break
    per_snapshot = snapshot_cpu / len(taken) if taken else 0.0
    packed = frames.pack_frames(taken) if taken else None
    return Result(exp, packed, trained, time.thread_time() - start, per_snapshot, tuple(reels))


def _train(exp, n_epochs, reels):
    """Train ``n_epochs`` of ``exp``; the epochs before the chunk's last that fall in a run's first
    ``film.DENSE_EPOCHS`` one at a time, each snapshot kept for the film only (in ``reels``; None: no
    film here). The boundary changes most in those first epochs, and the ticks' own frames are a few
    epochs apart. Returns the epochs trained."""
    done = 0
    while reels is not None and done < n_epochs - 1 and exp.epoch < film.DENSE_EPOCHS:
        if not exp.train(1):
            return done
        done += 1
        reels.append(film.reel(frames.snapshot(exp)))
    return done + exp.train(n_epochs - done)


def chunks(n, k):
    """``n`` split into ``k`` near-equal positive parts, larger ones first: 10, 4 -> 3, 3, 2, 2."""
    k = max(1, min(k, n))
    return [n // k + (i < n % k) for i in range(k)]


def ping():
    """A job that does nothing: a new worker answers it once its imports are done."""
    return True


def watch_server(pid):
    """A worker's initializer: exit when the server process ``pid`` is gone. A server killed outright
    (SIGKILL, an out-of-memory kill) cannot shut its pool down, and a worker blocked on a pipe nobody
    reads any more would otherwise live on, holding its memory."""
    threading.Thread(target=_exit_after, args=(pid,), name="watch-server", daemon=True).start()


def _exit_after(pid):
    while True:
        time.sleep(WATCH_SECONDS)
        try:
            os.kill(pid, 0)  # signal 0: only asks whether the process exists
        except ProcessLookupError:
            os._exit(0)
        except PermissionError:
            pass  # it exists (another user's process would have this PID only after it died)
