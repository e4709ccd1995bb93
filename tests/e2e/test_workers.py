"""Training runs in the server's worker processes, and a session that leaves frees them within seconds.

A server of its own (the shared one's workers are busy with other tests): two tabs train, the
workers (children of the server process) do the training, then both tabs close and the workers go
idle at once: they keep nothing of a session between ticks, so nothing is left to free or to run.
"""

import time

import psutil
import pytest

from tests.e2e.harness import start_app, stop_app
from tests.e2e.test_playground import button, open_app, wait_for

pytestmark = pytest.mark.browser
SMALL = "?points=400&hidden=8,8"


def worker_cpu(server):
    """CPU seconds used so far by the server's child processes (the workers and their forkserver)."""
    total = 0.0
    for child in server.children(recursive=True):
        try:
            times = child.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def test_tabs_train_in_the_workers_and_free_them_when_closed(browser, tmp_path):
    with open(tmp_path / "streamlit.log", "wb") as log:
        proc, url = start_app(log)
        try:
            server = psutil.Process(proc.pid)
            contexts = [browser.new_context() for _ in range(2)]
            pages = [c.new_page() for c in contexts]
            for page in pages:
                open_app(page, url + SMALL)
                button(page, "play").click()
            for page in pages:
                wait_for(page, "s.running && s.epoch >= 300", "training")
            assert len(server.children(recursive=True)) >= 2  # the workers (and their forkserver)
            before = worker_cpu(server)
            time.sleep(2)
            assert worker_cpu(server) - before > 0.2, "the workers do not train"
            # Both tabs close: within seconds, no more ticks reach the workers.
            for context in contexts:
                context.close()
            deadline, quiet = time.monotonic() + 15, False
            while time.monotonic() < deadline and not quiet:
                start = worker_cpu(server)
                time.sleep(1.0)
                quiet = worker_cpu(server) - start < 0.05
            assert quiet, "the workers kept working for closed tabs"
        finally:
            stop_app(proc)
