"""The challenge store on Streamlit's own SQL connection (``st.connection("sql")``, SQLAlchemy).

By default a SQLite file, ``challenges.db`` in ``NN_PLAYGROUND_DATA`` (default ``~/.nn_playground``):
``streamlit run app.py`` needs nothing more. For several replicas, or a board that must outlive the
server, give a database in ``.streamlit/secrets.toml``::

    [connections.sql]
    url = "postgresql+psycopg://user:password@host:5432/playground"

(any SQLAlchemy URL; its driver must be installed: ``pip install "psycopg[binary]"`` for PostgreSQL).
Secrets win over the SQLite default. Streamlit keeps one connection per process (its own cache).
"""

import os
from pathlib import Path

import streamlit as st

from playground.challenge.store import SQLITE_WAIT, Store

DATA_DIR_ENV = "NN_PLAYGROUND_DATA"


def sqlite_url():
    """The default database: a SQLite file in the data folder (made if missing)."""
    folder = Path(os.environ.get(DATA_DIR_ENV) or Path.home() / ".nn_playground")
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'challenges.db'}"


def _configured():
    """Whether ``.streamlit/secrets.toml`` has a ``[connections.sql]`` section."""
    try:
        return "sql" in st.secrets.get("connections", {})
    except (FileNotFoundError, OSError, KeyError):
        return False


def store():
    """The app's challenge ``Store`` on Streamlit's SQL connection (its schema checked)."""
    if _configured():
        connection = st.connection("sql", type="sql")
    else:
        wait = {"timeout": SQLITE_WAIT}  # a writer waits for another instead of failing at once
        connection = st.connection("sql", type="sql", url=sqlite_url(), connect_args=wait)
    return Store(connection.engine)
