"""The challenge store on SQLite and on PostgreSQL: the schema made once and versioned, challenges and
the teacher's token, entries checked (closed, full, too fast, bad nicknames), 30 concurrent
submissions landing exactly once each, the ranking, the teacher's controls, the purge, the CSV."""

import csv
import io
import threading

import pytest
import sqlalchemy as sa

from playground.challenge import store as store_module
from playground.challenge.store import MAX_NICKNAME, PURGE_AFTER, RATE_PER_SESSION, Store, StoreError

SPEC = {"title": "Smallest network", "score": "neurons"}


class Clock:
    """A clock the test moves (the store reads the time through it)."""

    def __init__(self, now=1_000_000.0):
        self.now = now

    def __call__(self):
        return self.now


def add(store, challenge_id, n, *, session=None, nickname=None, score=None):
    return store.add_entry(
        challenge_id, nickname=nickname or f"student {n}", link=f"data=xor&hidden={n}&epochs=100",
        score=float(n if score is None else score), metrics={"epochs": 100.0}, thumbnail=b"png",
        session=session or f"session {n}",
    )  # fmt: skip


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def store(engine, clock):
    return Store(engine, clock=clock)


@pytest.fixture
def race(store, clock):
    return store.create_challenge(SPEC, ends_at=clock.now + 3600)


def test_the_schema_is_made_once_and_versioned(engine, clock):
    Store(engine, clock=clock)
    Store(engine, clock=clock)  # a second server starting: nothing breaks, nothing doubles
    with engine.connect() as c:
        assert c.execute(sa.text("SELECT version FROM schema_version")).scalars().all() == [1]
        c.execute(sa.text("UPDATE schema_version SET version = 99"))
        c.commit()
    with pytest.raises(StoreError, match="schema version 99"):
        Store(engine, clock=clock)


def test_a_challenge_is_kept_with_its_spec_and_only_its_teacher_token_works(store, race, clock):
    challenge_id, token = race
    row = store.challenge(challenge_id)
    assert row.spec == SPEC and row.open_at(clock.now) and not row.open_at(clock.now + 3600)
    assert store.is_teacher(challenge_id, token) and not store.is_teacher(challenge_id, token + "x")
    assert store.challenge("nope") is None and not store.is_teacher("nope", token)
    with store.engine.connect() as c:  # the token itself is not stored
        stored = c.execute(sa.text("SELECT teacher_hash FROM challenges")).scalar()
    assert token not in stored and len(stored) == 64
    assert len(challenge_id) >= 16 and len(token) >= 24  # unguessable


def test_entries_are_ranked_by_score_ties_by_time(store, race, clock):
    challenge_id, _ = race
    for n, score in [(1, 5), (2, 3), (3, 5), (4, 4)]:
        add(store, challenge_id, n, score=score)
        clock.now += 1
    lower = [e.nickname for e in store.entries(challenge_id, lower_is_better=True)]
    higher = [e.nickname for e in store.entries(challenge_id, lower_is_better=False)]
    assert lower == ["student 2", "student 4", "student 1", "student 3"]
    assert higher == ["student 1", "student 3", "student 4", "student 2"]


def test_a_closed_or_ended_challenge_takes_no_entry(store, race, clock):
    challenge_id, token = race
    assert not store.close(challenge_id, "not the token") and store.challenge(challenge_id).closed_at is None
    assert store.close(challenge_id, token)
    with pytest.raises(StoreError, match="closed"):
        add(store, challenge_id, 1)
    other, _ = store.create_challenge(SPEC, ends_at=clock.now + 10)
    clock.now += 11
    with pytest.raises(StoreError, match="closed"):
        add(store, other, 1)
    with pytest.raises(StoreError, match="does not exist"):
        add(store, "missing-challenge", 1)


@pytest.mark.parametrize(
    ("nickname", "words"),
    [("   ", "Type a nickname"), ("x" * (MAX_NICKNAME + 1), "at most"), ("bad\x00name", "control")],
)
def test_a_bad_nickname_is_refused(store, race, nickname, words):
    with pytest.raises(StoreError, match=words):
        add(store, race[0], 1, nickname=nickname)
    assert store.entries(race[0], lower_is_better=True) == []


def test_a_nickname_is_kept_as_plain_text(store, race):
    entry = add(store, race[0], 1, nickname="  <b>Ada</b>   [me](x) ")
    assert entry.nickname == "<b>Ada</b> [me](x)"  # as typed (one space between words): shown as text


def test_one_session_is_rate_limited_and_a_challenge_is_capped(store, race, clock, monkeypatch):
    challenge_id, _ = race
    for n in range(RATE_PER_SESSION):
        add(store, challenge_id, n, session="one tab")
    with pytest.raises(StoreError, match="a minute"):
        add(store, challenge_id, 99, session="one tab")
    clock.now += 61
    add(store, challenge_id, 99, session="one tab")
    monkeypatch.setattr(store_module, "MAX_ENTRIES", RATE_PER_SESSION + 1)
    with pytest.raises(StoreError, match="full"):
        add(store, challenge_id, 100)


def test_thirty_concurrent_submissions_all_land_exactly_once(store, race):
    challenge_id, _ = race
    barrier, errors = threading.Barrier(30), []

    def submit(n):
        barrier.wait()
        try:
            add(store, challenge_id, n)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(repr(error))

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    entries = store.entries(challenge_id, lower_is_better=True)
    assert sorted(e.nickname for e in entries) == sorted(f"student {n}" for n in range(30))


def test_the_same_entry_thirty_times_at_once_lands_once(store, race):
    challenge_id, _ = race
    barrier, got = threading.Barrier(30), []

    def submit(k):
        barrier.wait()
        got.append(add(store, challenge_id, 7, session=f"tab {k}").id)

    threads = [threading.Thread(target=submit, args=(k,)) for k in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(store.entries(challenge_id, lower_is_better=True)) == 1 and len(set(got)) == 1


def test_the_teacher_clears_an_entry_and_exports_the_board(store, race, clock):
    challenge_id, token = race
    first = add(store, challenge_id, 1)
    add(store, challenge_id, 2, nickname="=HYPERLINK(1)")
    assert not store.remove_entry(challenge_id, "wrong", first.id)
    assert store.remove_entry(challenge_id, token, first.id)
    assert [e.nickname for e in store.entries(challenge_id, lower_is_better=True)] == ["=HYPERLINK(1)"]
    assert store.entries_csv(challenge_id, "wrong", lower_is_better=True) == ""
    rows = list(csv.reader(io.StringIO(store.entries_csv(challenge_id, token, lower_is_better=True))))
    assert rows[0] == ["rank", "nickname", "score", "epochs", "created_utc", "link"]
    assert rows[1][:4] == ["1", "'=HYPERLINK(1)", "2.0", "100.0"]  # never a formula in a spreadsheet


def test_old_closed_challenges_are_purged(store, race, clock):
    challenge_id, token = race
    add(store, challenge_id, 1)
    keep, _ = store.create_challenge(SPEC, ends_at=clock.now + 10 * PURGE_AFTER)
    add(store, keep, 2)
    store.close(challenge_id, token)
    assert store.purge() == 0  # closed just now: kept a week
    clock.now += PURGE_AFTER + 1
    assert store.purge() == 1
    assert store.challenge(challenge_id) is None and store.challenge(keep) is not None


def test_a_challenge_replays_at_most_its_budget_a_minute(store, race, clock, monkeypatch):
    challenge_id, _ = race
    monkeypatch.setattr(store_module, "REPLAYS_PER_MINUTE", 3)
    for _ in range(3):
        store.allow_replay(challenge_id)
    with pytest.raises(StoreError, match="submit again in a minute"):
        store.allow_replay(challenge_id)
    other, _ = store.create_challenge(SPEC, ends_at=clock.now + 60)
    store.allow_replay(other)  # another class's race is not held up
    clock.now += 61
    store.allow_replay(challenge_id)
