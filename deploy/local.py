"""N replicas of the playground behind one nginx, on one machine, without Docker.

    python deploy/local.py start --replicas 4 --port 8080      # N = half the machine's cores by default
    python deploy/local.py status
    python deploy/local.py stop

``start`` runs N ``python -m streamlit run app.py`` processes on 127.0.0.1 (ports 8601, 8602, ...;
only nginx can reach them) and one nginx listening on ``--host:--port`` (default 0.0.0.0:8080), with
sticky sessions and websocket proxying from ``deploy/nginx.conf``, the template compose uses too.
Everything it writes is in the run directory (default ``/tmp/nn-playground-<user>``): the rendered
nginx configuration, nginx's pid file, temporary directories and logs, each replica's log, and
``pids.json``; nginx runs with ``-p <run dir>`` and needs no root. ``start`` returns once every
replica and the balancer answer ``/_stcore/health``; the processes keep running. ``stop`` stops them
by the PIDs in ``pids.json`` (SIGTERM, then SIGKILL after 10 s).

All replicas get the same ``server.cookieSecret`` (random per ``start``), so a browser whose replica
died can still upload files on the one it moves to.
"""

import argparse
import getpass
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from deploy.balancer import nginx_binary, nginx_command, write_config

REPO_ROOT = Path(__file__).resolve().parents[1]
FIRST_REPLICA_PORT = 8601
START_SECONDS = 90  # replicas start at once and import numpy, plotly and Streamlit: slow on 2 cores
STOP_SECONDS = 10


@dataclass(frozen=True)
class Deployment:
    """What ``start`` ran: the balancer's URL and PID, and each replica's (PID, port). ``processes``
    keeps the Popen objects referenced while they run (``stop`` reaps them by PID)."""

    url: str
    nginx_pid: int
    replicas: tuple[tuple[int, int], ...]
    run_dir: Path
    processes: tuple = field(default=(), repr=False, compare=False)

    def stop(self):
        return stop(self.run_dir, self.processes)


def default_replicas():
    """One replica per two cores: each trains in worker processes on its share of the cores, and its
    Streamlit process needs a core of its own under load."""
    return max(1, (os.cpu_count() or 1) // 2)


def default_run_dir():
    return Path("/tmp") / f"nn-playground-{getpass.getuser()}"


def healthy(url):
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read() == b"ok"
    except OSError:
        return False


def replica_command(port):
    return [
        sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless=true",
        "--server.address=127.0.0.1", f"--server.port={port}", "--browser.gatherUsageStats=false",
        "--server.fileWatcherType=none",
    ]  # fmt: skip


def spawn(command, log_path, env=None):
    """A process in its own session (a Ctrl-C in this terminal does not reach it), output to a log."""
    with open(log_path, "ab") as log:
        return subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
            start_new_session=True,
        )


def start(run_dir=None, replicas=None, port=8080, host="0.0.0.0", first_port=FIRST_REPLICA_PORT, ports=None):
    """Start the replicas (on ``ports``, or ``first_port`` and up) and the balancer; return the
    Deployment once all answer (or stop what was started and raise RuntimeError with the logs' tails)."""
    run_dir = Path(run_dir or default_run_dir()).resolve()
    run_dir.mkdir(parents=True, exist_ok=True)
    if any(_alive(pid) and _ours(pid) for pid in _pids(read_pids(run_dir))):
        raise RuntimeError(f"already running (see {run_dir / 'pids.json'}): stop it first")
    nginx_binary()  # before starting anything: raises if there is none
    ports = list(ports or [first_port + i for i in range(replicas or default_replicas())])
    taken = [p for p in ports if not _port_free("127.0.0.1", p)] + ([] if _port_free(host, port) else [port])
    if taken:  # a health check would otherwise be answered by whatever listens there
        raise RuntimeError(f"port(s) {taken} already in use: choose --port / --first-port")
    env = {"STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32)}
    # Each replica trains in its own worker processes (playground/live/workers.py): share the cores
    # out, so that N replicas on N cores do not start N workers each.
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    env.setdefault(
        "NN_PLAYGROUND_WORKERS", os.environ.get("NN_PLAYGROUND_WORKERS", str(max(1, cores // len(ports))))
    )
    procs = [spawn(replica_command(p), run_dir / f"replica-{i + 1}.log", env) for i, p in enumerate(ports)]
    record = {"replicas": [{"pid": proc.pid, "port": p} for proc, p in zip(procs, ports)], "nginx": None}
    started = list(procs)
    write_pids(run_dir, record)
    try:
        deadline = time.monotonic() + START_SECONDS
        for i, (proc, p) in enumerate(zip(procs, ports)):
            while not healthy(f"http://127.0.0.1:{p}"):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"replica {i + 1} (port {p}) did not start:\n" + _tail(run_dir, i))
                time.sleep(0.2)
        listen = f"{host}:{port}"
        main = write_config(run_dir, listen, [f"127.0.0.1:{p}" for p in ports])
        nginx = spawn(nginx_command(main), run_dir / "nginx-error.log")
        started.append(nginx)
        record["nginx"] = nginx.pid
        write_pids(run_dir, record)
        url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{port}"
        deadline = time.monotonic() + 15
        while not healthy(url):
            if nginx.poll() is not None or time.monotonic() > deadline:
                log = (run_dir / "nginx-error.log").read_text(errors="replace")[-3000:]
                raise RuntimeError(f"nginx did not start on {listen}:\n{log}")
            time.sleep(0.1)
    except BaseException:
        stop(run_dir, started)
        raise
    replica_pairs = tuple((proc.pid, p) for proc, p in zip(procs, ports))
    return Deployment(url, nginx.pid, replica_pairs, run_dir, processes=(*procs, nginx))


def _port_free(host, port):
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as servers do: TIME_WAIT is free
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def _tail(run_dir, i):
    return (run_dir / f"replica-{i + 1}.log").read_bytes()[-3000:].decode(errors="replace")


def write_pids(run_dir, record):
    (Path(run_dir) / "pids.json").write_text(json.dumps(record, indent=1) + "\n")


def read_pids(run_dir):
    path = Path(run_dir) / "pids.json"
    return json.loads(path.read_text()) if path.exists() else {"replicas": [], "nginx": None}


def _pids(record):
    return ([record["nginx"]] if record.get("nginx") else []) + [r["pid"] for r in record["replicas"]]


def _alive(pid, processes=None):
    """Whether ``pid`` still runs (a zombie counts as gone; our own children are reaped here, through
    their Popen object in ``processes`` {pid: Popen} if we have it)."""
    if processes and pid in processes:
        return processes[pid].poll() is None
    try:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    except ChildProcessError:
        pass  # not our child
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _ours(pid):
    """Whether ``pid`` is still one of ours (a streamlit or nginx process), not a reused PID."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return b"streamlit" in cmdline or b"nginx" in cmdline


def stop(run_dir=None, processes=()):
    """Stop the balancer, then the replicas, by the PIDs in ``pids.json``. Returns the PIDs signalled.
    ``processes``: the Popen objects, when this process started them (they are reaped through them)."""
    run_dir = Path(run_dir or default_run_dir())
    procs = {proc.pid: proc for proc in processes}
    pids = [pid for pid in _pids(read_pids(run_dir)) if _alive(pid, procs) and _ours(pid)]
    for pid in pids:
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    while any(_alive(pid, procs) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    for pid in pids:
        if _alive(pid, procs):
            os.kill(pid, signal.SIGKILL)
    while any(_alive(pid, procs) for pid in pids):
        time.sleep(0.05)
    for proc in processes:  # the ones already gone before (a killed replica): reap them too
        proc.poll()
    (run_dir / "pids.json").unlink(missing_ok=True)
    return pids


def status(run_dir=None):
    record = read_pids(run_dir or default_run_dir())
    nginx = record["nginx"]
    lines = [f"nginx pid {nginx}: {'running' if nginx and _alive(nginx) else 'gone'}"]
    for r in record["replicas"]:
        up = healthy(f"http://127.0.0.1:{r['port']}")
        lines.append(f"replica pid {r['pid']} port {r['port']}: {'healthy' if up else 'not answering'}")
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["start", "stop", "status"])
    parser.add_argument("--run-dir", type=Path, default=default_run_dir(), help="default %(default)s")
    parser.add_argument(
        "--replicas", type=int, default=default_replicas(), help="default: cores / 2 (%(default)s)"
    )
    parser.add_argument("--port", type=int, default=8080, help="the balancer's port (default 8080)")
    parser.add_argument("--host", default="0.0.0.0", help="the balancer's address (default 0.0.0.0)")
    parser.add_argument("--first-port", type=int, default=FIRST_REPLICA_PORT, help="replica ports from here")
    args = parser.parse_args(argv)
    if args.command == "start":
        try:
            d = start(args.run_dir, args.replicas, args.port, args.host, args.first_port)
        except RuntimeError as error:
            raise SystemExit(str(error)) from None
        print(f"{len(d.replicas)} replicas behind nginx (pid {d.nginx_pid}): {d.url}")
        print(f"logs and pids.json in {d.run_dir}")
        print(f"stop: python deploy/local.py stop --run-dir {d.run_dir}")
    elif args.command == "stop":
        print(f"stopped {len(stop(args.run_dir))} processes")
    else:
        print("\n".join(status(args.run_dir)))


if __name__ == "__main__":
    main()
