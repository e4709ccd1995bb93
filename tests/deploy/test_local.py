"""deploy/local.py without servers: the template's rendering, and ``stop`` signalling only the
processes it started (a PID in pids.json that now belongs to another program is left alone)."""

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from deploy import balancer, local


def test_render_site_fills_in_every_placeholder_and_only_those():
    text = balancer.render_site("127.0.0.1:9", ["127.0.0.1:1", "127.0.0.1:2"], "/x/access.log")
    assert "listen 127.0.0.1:9;" in text
    assert "server 127.0.0.1:1; server 127.0.0.1:2;" in text
    assert "access_log /x/access.log nnpg;" in text
    assert "${" not in text and "$http_upgrade" in text and "$request_id" in text  # nginx's own stay


def started(*args):
    """A stand-in process, returned once it runs its own command line (under load, a new child may
    still show its parent's for a moment, and would not look like ours)."""
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", *args])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if b"time.sleep(60)" in Path(f"/proc/{proc.pid}/cmdline").read_bytes():
            return proc
        time.sleep(0.01)
    raise AssertionError("the stand-in process did not start")


def test_stop_signals_its_own_processes_and_leaves_a_reused_pid_alone(tmp_path):
    # A stand-in replica: a process whose command line says streamlit (it is ours), and a process
    # that is not (its PID in pids.json as if the replica had died and the PID been reused).
    ours = started("streamlit")
    other = started()
    try:
        record = {"replicas": [{"pid": ours.pid, "port": 1}, {"pid": other.pid, "port": 2}], "nginx": None}
        local.write_pids(tmp_path, record)
        assert local.stop(tmp_path, [ours, other]) == [ours.pid]
        assert ours.poll() is not None and other.poll() is None
        assert not (tmp_path / "pids.json").exists()
    finally:
        for proc in (ours, other):
            proc.kill()
            proc.wait()


def test_start_refuses_while_a_deployment_runs(tmp_path):
    ours = started("streamlit")
    try:
        local.write_pids(tmp_path, {"replicas": [{"pid": ours.pid, "port": 1}], "nginx": None})
        with pytest.raises(RuntimeError, match="already running"):
            local.start(tmp_path, replicas=1, port=1)
    finally:
        ours.kill()
        ours.wait()


def test_start_refuses_a_port_in_use(tmp_path):
    """Whatever listens there would answer the health checks in place of a replica."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        with pytest.raises(RuntimeError, match=rf"\[{port}\] already in use"):
            local.start(tmp_path, port=0, host="127.0.0.1", ports=[port])
    assert not (tmp_path / "pids.json").exists()  # nothing was started
