"""Databases for the challenge store's tests: a SQLite file, and a throwaway PostgreSQL cluster run as
a plain process on 127.0.0.1 (``initdb`` + ``pg_ctl``, stopped by the fixture). Where PostgreSQL is
not installed the PostgreSQL cases are skipped with the reason, except in CI (``CI`` set), where
that fails: CI installs Debian's ``postgresql`` package (``.ci/run``)."""

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from playground.challenge.store import engine_for


def postgres_bin(name):
    """A PostgreSQL program: on PATH, or in Debian's /usr/lib/postgresql/<version>/bin."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_url():
    initdb, pg_ctl = postgres_bin("initdb"), postgres_bin("pg_ctl")
    if not (initdb and pg_ctl):
        if os.environ.get("CI"):
            pytest.fail("CI must test the store on PostgreSQL, but initdb/pg_ctl are not installed")
        pytest.skip("PostgreSQL is not installed here (initdb, pg_ctl): the SQLite cases ran")
    # Outside pytest's own temporary folder, which only root may enter: PostgreSQL refuses to run as
    # root, so as root the cluster runs as "nobody".
    folder = Path(tempfile.mkdtemp(prefix="nn-playground-pg-"))
    data, port = folder / "data", _free_port()
    as_root = os.geteuid() == 0
    run_as = ["runuser", "-u", "nobody", "--"] if as_root else []
    if as_root:
        shutil.chown(folder, "nobody")
    subprocess.run([*run_as, initdb, "-D", str(data), "-U", "postgres", "-A", "trust", "--no-sync"],
                   check=True, capture_output=True)  # fmt: skip
    log = folder / "log"
    options = f"-h 127.0.0.1 -p {port} -k {folder} -F"
    subprocess.run([*run_as, pg_ctl, "-D", str(data), "-l", str(log), "-o", options, "-w", "start"],
                   check=True, capture_output=True)  # fmt: skip
    try:
        url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        probe = engine_for(url)
        try:
            with probe.connect():
                pass  # pg_ctl -w waited for the server: it answers
        finally:
            probe.dispose()
        yield url
    finally:
        subprocess.run([*run_as, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    """A fresh, empty database of each kind."""
    if request.param == "sqlite":
        made = engine_for(f"sqlite:///{tmp_path / 'challenges.db'}")
        yield made
        made.dispose()
        return
    url = request.getfixturevalue("postgres_url")
    admin = engine_for(url)
    name = f"t{os.getpid()}_{time.monotonic_ns()}"
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.exec_driver_sql(f"CREATE DATABASE {name}")
    made = engine_for(url.rsplit("/", 1)[0] + "/" + name)
    yield made
    made.dispose()
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.exec_driver_sql(f"DROP DATABASE {name}")
    admin.dispose()
