"""A small pool of worker processes that trains every session's ticks off the server's interpreter lock.

Streamlit runs every session in a thread of one process, so training in those threads shares one
interpreter lock: a class of 30 on a 2-core server got ~1 core between them. Here each tick's
``training.Job`` goes to a process pool (one worker per core, started lazily, shared by every
session) and the session's thread waits for the result without holding the lock. The workers keep
nothing between jobs: a session's whole state travels with its job and comes back with the result,
so a session that leaves holds nothing in the workers, and any worker can take any tick.

Where worker processes cannot start (a host that forbids them, or ``NN_PLAYGROUND_WORKERS=0``),
ticks run in the session's own thread, as before, and ``Workers.reason`` says why (the page shows it).

The pool also counts the sessions that trained lately (``active``): each tick's budget is a fair
share of the workers' time (``pacing``).
"""

import concurrent.futures
import copy
import math
import multiprocessing
import os
import threading
import time
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import streamlit as st

from playground.live import training

START_TIMEOUT = 60.0  # seconds a new worker may take to import numpy, plotly and the engine
JOB_TIMEOUT = 30.0  # a tick's budget is well under a second; past this, train here instead
ACTIVE_WINDOW = 3.0  # a session that ticked within this many seconds counts as training


def worker_count():
    """Workers to start: ``NN_PLAYGROUND_WORKERS`` if set, else one per core this process may use."""
    setting = os.environ.get("NN_PLAYGROUND_WORKERS", "").strip()
    if setting:
        try:
            return max(0, int(setting))
        except ValueError:
            return 0
    return usable_cores()


def usable_cores(cpu_max=Path("/sys/fs/cgroup/cpu.max")):
    """Cores this process may use: the CPUs it may run on, and fewer if its container has a CPU quota
    (a container sees the host's CPUs but may be allowed only 2 of them: Streamlit Community Cloud)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    try:
        quota, period = cpu_max.read_text().split()[:2]  # "200000 100000", or "max 100000"
        if quota != "max":
            cores = min(cores, max(1, math.ceil(int(quota) / int(period))))
    except (OSError, ValueError):
        pass  # no cgroup v2 quota to read: the CPUs it may run on
    return cores


class Workers:
    """The server's pool (one per process, see ``pool()``), or its absence and the reason."""

    def __init__(self, n):
        self.size, self.reason, self._executor = n, "", None
        self._lock = threading.Lock()
        self._seen = {}  # session token -> when it last handed in a job (for ``active``)
        if n == 0:
            self.reason = "worker processes switched off (NN_PLAYGROUND_WORKERS=0)"
            return
        try:
            self._executor = _start(n)
        except (OSError, RuntimeError, NotImplementedError, BrokenProcessPool, TimeoutError) as error:
            self.reason = f"worker processes could not start here ({type(error).__name__}: {error})"

    @property
    def available(self):
        return self._executor is not None

    def cores(self):
        """Cores the ticks share: the workers, or one interpreter lock without them."""
        return self.size if self.available else 1

    def run(self, job, session):
        """Run ``job`` (a ``training.Job``) in a worker and wait for its ``training.Result``; in this
        thread if there are no workers or the pool broke (a worker killed: the next pool starts anew).
        ``session``: the session's token, counted in ``active``."""
        self._note(session)
        executor = self._executor
        if executor is None:
            return _here(job)
        try:
            return executor.submit(training.run, job).result(timeout=JOB_TIMEOUT)
        except (BrokenProcessPool, concurrent.futures.TimeoutError, OSError, RuntimeError) as error:
            self._broken(error)
            return _here(job)

    def active(self):
        """How many sessions handed in a job within the last ACTIVE_WINDOW seconds (at least 1)."""
        now = time.monotonic()
        with self._lock:
            for token in [t for t, seen in self._seen.items() if now - seen > ACTIVE_WINDOW]:
                del self._seen[token]  # sessions that paused or left are forgotten here
            return max(1, len(self._seen))

    def shutdown(self):
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)

    def _note(self, session):
        with self._lock:
            self._seen[session] = time.monotonic()

    def _broken(self, error):
        """A worker died (killed, out of memory) or hung: this pool is done. Ticks already holding it
        train in their own thread; the next tick's ``pool()`` builds a new one."""
        self.reason = f"a worker process failed ({type(error).__name__}); starting new ones"
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)
        pool.clear()


def _here(job):
    """Run ``job`` in this thread on a copy, as a worker would: the session's own experiment changes
    only when the tick adopts the result (a click meanwhile may drop it)."""
    return training.run(copy.deepcopy(job))


BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def _start(n):
    """A process pool of ``n`` workers that answered a first job. On Linux the workers fork from a
    forkserver that has already imported the engine, so they start fast and share its pages."""
    # One BLAS thread per worker: there is one worker per core already, and a BLAS pool of its own in
    # each (OpenBLAS starts one thread per core, which spin while they wait) made every epoch of a
    # large network three times slower (41 ms instead of 13 ms for 8 x 64 on 2,000 points). The
    # workers' interpreter (the forkserver, or each spawned worker) reads these when it starts.
    for name in BLAS_THREADS:
        os.environ.setdefault(name, "1")
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(["playground.live.training"])
    executor = concurrent.futures.ProcessPoolExecutor(
        max_workers=n, mp_context=context, initializer=training.watch_server, initargs=(os.getpid(),)
    )
    try:
        executor.submit(training.ping).result(timeout=START_TIMEOUT)
    except BaseException:
        executor.shutdown(wait=False, cancel_futures=True)
        raise
    return executor


@st.cache_resource(show_spinner=False, on_release=lambda workers: workers.shutdown())
def pool():
    """Once per server process: the workers every session shares."""
    return Workers(worker_count())
