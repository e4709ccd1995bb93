"""The load benchmark's readings of the server and the machine (psutil).

- ``Probe``: the Streamlit server's CPU seconds (its own, its main thread's, its worker processes'), its
  threads and memory (RSS, plus the workers' unique memory), this client process's CPU seconds and the
  whole machine's busy time; one reading at each phase of a run and one a second (``sample``). Without
  a PID (``--url``) the server's readings are NaN.
- ``wait_for_quiet``: before a run, wait for the machine (shared with other jobs) to be quiet.
"""

import asyncio
import contextlib
import math
import sys
import time

from common import machine_busy_seconds

SAMPLE_SECONDS = 1.0  # CPU / RSS sampling period
QUIET_CORES = 0.3  # before a run, wait (up to --quiet-wait s) until the machine is this quiet


class Probe:
    """psutil readings of the server (and of this client process and the machine). ``pid`` None (a
    deployment given by ``--url``): the server's readings are NaN, reported as not measured."""

    def __init__(self, pid):
        import psutil

        self.server = psutil.Process(pid) if pid is not None else None
        self.me = psutil.Process()
        self.series = []

    def read(self):
        if self.server is None:
            me = self.me.cpu_times()
            names = ("server_cpu", "workers_cpu", "main_thread_cpu", "threads", "rss_mb", "workers_mb")
            unknown = dict.fromkeys(names, math.nan)
            return {
                "t": time.monotonic(),
                **unknown,
                "client_cpu": me.user + me.system,
                "machine_busy": machine_busy_seconds(),
            }
        cpu = self.server.cpu_times()
        main = next((t for t in self.server.threads() if t.id == self.server.pid), None)
        me = self.me.cpu_times()
        workers_cpu, workers_mb = self.workers()
        return {
            "t": time.monotonic(),
            "server_cpu": cpu.user + cpu.system + workers_cpu,
            "workers_cpu": workers_cpu,
            "main_thread_cpu": (main.user_time + main.system_time) if main else 0.0,
            "threads": self.server.num_threads(),
            "rss_mb": self.server.memory_info().rss / 2**20 + workers_mb,
            "workers_mb": workers_mb,
            "client_cpu": me.user + me.system,
            "machine_busy": machine_busy_seconds(),
        }

    def workers(self):
        """CPU seconds and unique memory (MB) of the server's child processes: the training workers
        (and their forkserver). Unique memory (USS): the pages they share with the forkserver are
        counted once."""
        import psutil

        cpu = mb = 0.0
        for child in self.server.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                times = child.cpu_times()
                cpu += times.user + times.system
                mb += child.memory_full_info().uss / 2**20
        return cpu, mb

    async def sample(self):
        while True:
            self.series.append(self.read())
            await asyncio.sleep(SAMPLE_SECONDS)


def wait_for_quiet(limit):
    """Wait up to ``limit`` seconds for the machine to be quiet (other jobs share it). Returns the cores
    busy in the last 3 s."""
    deadline = time.monotonic() + limit
    while True:
        before = machine_busy_seconds()
        time.sleep(3.0)
        cores = (machine_busy_seconds() - before) / 3.0
        if cores < QUIET_CORES or time.monotonic() > deadline:
            return cores
        print(
            f"  machine busy ({cores:.2f} cores): waiting for it to calm down ...",
            file=sys.stderr,
            flush=True,
        )
