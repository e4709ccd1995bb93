"""The store's limits hold when many requests arrive at once, on SQLite and on PostgreSQL.

Each check is a count (entries on a board, entries from one session, replays in a minute) followed by
an insert. Run side by side, two requests can both count below the limit and both insert, unless the
transaction first takes a lock that the other must wait for: the challenge's row (``FOR UPDATE`` on
PostgreSQL) or SQLite's write lock taken at ``BEGIN IMMEDIATE``. Likewise for several servers
creating the tables of a fresh database at the same moment. Without those locks these tests failed:
a cap of 3 let 11 (PostgreSQL) and 17 (SQLite) entries in, and 5 to 7 of 8 servers failed to start.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from playground.challenge import store as store_module
from playground.challenge.store import RATE_PER_SESSION, Store, StoreError, engine_for

THREADS = 30
SPEC = {"title": "Smallest network", "score": "neurons"}


def at_once(n, work):
    """``work(k)`` for k in range(n), in n threads released together; the results (or the
    StoreError's message, or the exception's class name) in order."""
    start = threading.Barrier(n)

    def one(k):
        start.wait()
        try:
            return work(k)
        except StoreError as error:
            return f"refused: {error}"
        except Exception as error:  # what must not happen: counted by the test, not raised in a thread
            return type(error).__name__

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(one, range(n)))


def submit(engine, challenge_id, k, session):
    """Entry ``k``, as one browser's page run sends it: a new Store on the shared engine."""
    return Store(engine).add_entry(
        challenge_id, nickname=f"student {k}", link=f"data=xor&hidden={k}&epochs=100", score=float(k),
        metrics={"epochs": 100.0}, thumbnail=b"png", session=session,
    )  # fmt: skip


def count_entries(engine, challenge_id):
    return len(Store(engine).entries(challenge_id, lower_is_better=True))


def test_the_cap_holds_under_thirty_concurrent_submissions(engine, monkeypatch):
    monkeypatch.setattr(store_module, "MAX_ENTRIES", 3)
    challenge_id, _ = Store(engine).create_challenge(SPEC, ends_at=4e9)
    results = at_once(THREADS, lambda k: submit(engine, challenge_id, k, f"session {k}"))
    assert count_entries(engine, challenge_id) == 3
    assert sum(isinstance(r, str) and r.startswith("refused: This challenge is full") for r in results) == 27


def test_the_rate_limit_holds_under_thirty_concurrent_submissions_of_one_session(engine):
    challenge_id, _ = Store(engine).create_challenge(SPEC, ends_at=4e9)
    results = at_once(THREADS, lambda k: submit(engine, challenge_id, k, "one browser"))
    assert count_entries(engine, challenge_id) == RATE_PER_SESSION
    refused = [r for r in results if isinstance(r, str) and r.startswith("refused: At most")]
    assert len(refused) == THREADS - RATE_PER_SESSION


def test_the_replay_budget_holds_under_thirty_concurrent_requests(engine, monkeypatch):
    monkeypatch.setattr(store_module, "REPLAYS_PER_MINUTE", 3)
    challenge_id, _ = Store(engine).create_challenge(SPEC, ends_at=4e9)
    results = at_once(THREADS, lambda k: Store(engine).allow_replay(challenge_id))
    assert results.count(None) == 3
    assert all(r is None or r.startswith("refused: The board is checking") for r in results)


def test_eight_servers_creating_the_schema_at_once_all_start(engine):
    """Eight engines on one fresh database, as eight server processes have; one version row."""
    url = engine.url.render_as_string(hide_password=False)
    engines = [engine_for(url) for _ in range(8)]
    try:
        results = at_once(8, lambda k: Store(engines[k]) and "started")
    finally:
        for made in engines:
            made.dispose()
    assert results == ["started"] * 8
    with engine.connect() as c:
        assert c.execute(sa.text("SELECT version FROM schema_version")).scalars().all() == [1]
