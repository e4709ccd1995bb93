"""Where challenges and their entries live: a real database through SQLAlchemy Core.

SQLite in a file by default (nothing to install: ``streamlit run app.py`` just works), or any
SQLAlchemy URL (PostgreSQL for several replicas or a board that must outlive the server), as
``playground.challenge.connection`` sets it up. Every write is one transaction; the schema is created
on first use and versioned (``schema_version``); an entry is unique per (challenge, run, nickname),
so concurrent submissions of the same run land once and different ones all land. Nicknames are
stored as plain text (the pages show them as text). No Streamlit here: tests pass their own engine.

Tables::

    schema_version (version)
    challenges (id, teacher_hash, spec, created_at, ends_at, closed_at)
    entries (id, challenge_id, nickname, link, score, metrics, thumbnail, session, created_at)
"""

import csv
import hashlib
import hmac
import io
import json
import secrets
import time
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError

SCHEMA_VERSION = 1
MAX_ENTRIES = 500  # per challenge
MAX_NICKNAME = 24  # characters
MAX_LINK = 4000  # characters: a run's link (its config and epochs)
MAX_THUMBNAIL = 64 * 1024  # bytes
RATE_PER_SESSION, RATE_WINDOW = 5, 60.0  # at most 5 entries a minute from one browser session
REPLAYS_PER_MINUTE = 60  # replays a challenge may ask for in a minute (each is seconds of one core)
PURGE_AFTER = 7 * 24 * 3600  # seconds after a challenge closes or ends, it and its entries are deleted
RETRIES = 8  # a write that meets a locked SQLite file tries again (another writer is finishing)


class Tables(NamedTuple):
    """The schema: made by ``tables()`` for each ``Store`` (SQLAlchemy's table objects can change, so
    none lives at module level, shared by every session)."""

    meta: sa.MetaData
    version: sa.Table
    challenges: sa.Table
    entries: sa.Table
    replays: sa.Table


def tables():
    meta = sa.MetaData()
    version = sa.Table("schema_version", meta, sa.Column("version", sa.Integer, nullable=False))
    challenges = sa.Table(
        "challenges",
        meta,
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("teacher_hash", sa.String(64), nullable=False),
        sa.Column("spec", sa.Text, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("ends_at", sa.Float, nullable=False),
        sa.Column("closed_at", sa.Float),
    )
    entries = sa.Table(
        "entries",
        meta,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("challenge_id", sa.String(64), sa.ForeignKey("challenges.id"), nullable=False),
        sa.Column("nickname", sa.String(MAX_NICKNAME * 4), nullable=False),
        sa.Column("link", sa.Text, nullable=False),
        sa.Column("link_hash", sa.String(64), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("metrics", sa.Text, nullable=False),
        sa.Column("thumbnail", sa.LargeBinary, nullable=False),
        sa.Column("session", sa.String(64), nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        # The same run under the same nickname is one entry, even when sent twice at once.
        sa.UniqueConstraint("challenge_id", "link_hash", "nickname", name="one_entry_per_run"),
    )
    # Every replay asked for, so a challenge's replay CPU is bounded however many students submit.
    replays = sa.Table(
        "replays",
        meta,
        sa.Column("challenge_id", sa.String(64), nullable=False, index=True),
        sa.Column("created_at", sa.Float, nullable=False),
    )
    return Tables(meta, version, challenges, entries, replays)


class StoreError(ValueError):
    """What cannot be stored, in plain words for the user."""


@dataclass(frozen=True)
class ChallengeRow:
    id: str
    spec: dict
    created_at: float
    ends_at: float
    closed_at: float | None

    def open_at(self, now):
        return self.closed_at is None and now < self.ends_at


@dataclass(frozen=True)
class EntryRow:
    id: int
    challenge_id: str
    nickname: str
    link: str
    score: float
    metrics: dict
    thumbnail: bytes
    created_at: float


SQLITE_WAIT = 10.0  # seconds a SQLite writer waits for another to finish (pysqlite's ``timeout``)
WRITE = "challenge_write"  # execution option of a write transaction (SQLite: BEGIN IMMEDIATE)
SCHEMA_LOCK = 1_852_139_118  # any constant: PostgreSQL's advisory lock while one server makes the tables


def engine_for(url):
    """A SQLAlchemy engine for ``url`` (tests; the app gets its engine from ``st.connection``)."""
    connect_args = {"timeout": SQLITE_WAIT} if url.startswith("sqlite") else {}
    return prepare(sa.create_engine(url, pool_pre_ping=True, connect_args=connect_args))


# --- SQLite: one writer at a time, decided at BEGIN ----------------------------------------------------
# Each write checks a limit (a count) and then inserts. sqlite3's own transactions begin lazily, at the
# first INSERT, so two writers could both count below the limit and both insert. We emit BEGIN
# ourselves (SQLAlchemy's recipe for SQLite transactions): BEGIN IMMEDIATE for a write takes the write
# lock before the count; a second writer waits (busy timeout) and counts after the first commits.
def _sqlite_connect(dbapi_connection, _record):
    """A new SQLite connection: we emit BEGIN (``_sqlite_begin``); wait for the lock; log ahead."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {int(SQLITE_WAIT * 1000)}")
    cursor.execute("PRAGMA journal_mode=WAL")  # stays on in the file: readers never block the writer
    cursor.close()


def _sqlite_begin(connection):
    immediate = connection.get_execution_options().get(WRITE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def prepare(engine):
    """``engine`` with the SQLite settings above installed once (other databases: unchanged). The pool
    is emptied when they are installed: they act on new connections only."""
    if engine.dialect.name == "sqlite" and not sa.event.contains(engine, "connect", _sqlite_connect):
        sa.event.listen(engine, "connect", _sqlite_connect)
        sa.event.listen(engine, "begin", _sqlite_begin)
        engine.dispose()
    return engine


def _digest(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def clean_nickname(text):
    """The nickname as stored: trimmed, one space between words, 1..MAX_NICKNAME printable characters.
    Raises StoreError."""
    name = " ".join(str(text).split())
    if not name:
        raise StoreError("Type a nickname.")
    if len(name) > MAX_NICKNAME:
        raise StoreError(f"A nickname has at most {MAX_NICKNAME} characters.")
    if any(unicodedata.category(ch)[0] == "C" for ch in name):
        raise StoreError("A nickname cannot hold control characters.")
    return name


class Store:
    """The challenges and entries in the database behind ``engine``."""

    def __init__(self, engine, *, clock=time.time):
        self.engine, self.clock, self.t = prepare(engine), clock, tables()
        self._ensure_schema()

    # --- schema -------------------------------------------------------------------------------
    def _schema_version(self):
        """The database's schema version, or None before the tables are made (a read: no lock)."""
        with self.engine.connect() as c:
            if not sa.inspect(c).has_table(self.t.version.name):
                return None
            return max(c.execute(sa.select(self.t.version.c.version)).scalars().all(), default=None)

    def _ensure_schema(self):
        """Create the tables once and check the version; a newer database than this code is refused.
        Several servers may start at once on a fresh database: one transaction creates everything
        while the others wait (PostgreSQL: an advisory lock; SQLite: BEGIN IMMEDIATE), and they then
        find it all there."""

        if self._schema_version() == SCHEMA_VERSION:
            return  # the usual case, on every page run: nothing to write, no lock taken

        def work(c):
            if c.dialect.name == "postgresql":
                c.execute(sa.select(sa.func.pg_advisory_xact_lock(SCHEMA_LOCK)))  # until commit
            self.t.meta.create_all(c, checkfirst=True)
            self._set_version(c)

        self._write(work)

    def _set_version(self, c):
        found = c.execute(sa.select(self.t.version.c.version)).scalars().all()
        if not found:
            c.execute(self.t.version.insert().values(version=SCHEMA_VERSION))
        elif max(found) > SCHEMA_VERSION:
            raise StoreError(
                f"The challenge database has schema version {max(found)}; this app knows {SCHEMA_VERSION}."
            )

    def _write(self, work):
        """Run ``work(connection)`` in one transaction; retry while SQLite reports the file locked."""
        for attempt in range(RETRIES):
            try:
                with self.engine.connect() as c:
                    c.execution_options(**{WRITE: True})
                    with c.begin():
                        return work(c)
            except OperationalError as error:
                if "locked" not in str(error).lower() or attempt == RETRIES - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
        return None

    # --- challenges ---------------------------------------------------------------------------
    def create_challenge(self, spec, *, ends_at):
        """Store a challenge (``spec``: JSON data). Returns (challenge id, teacher token); the token is
        kept only as a hash."""
        challenge_id, token = secrets.token_urlsafe(12), secrets.token_urlsafe(18)
        row = dict(
            id=challenge_id, teacher_hash=_digest(token), spec=json.dumps(spec), created_at=self.clock(),
            ends_at=float(ends_at), closed_at=None,
        )  # fmt: skip
        self._write(lambda c: c.execute(self.t.challenges.insert().values(**row)))
        return challenge_id, token

    def challenge(self, challenge_id):
        with self.engine.connect() as c:
            ch = self.t.challenges
            row = c.execute(sa.select(ch).where(ch.c.id == str(challenge_id))).first()
        if row is None:
            return None
        return ChallengeRow(row.id, json.loads(row.spec), row.created_at, row.ends_at, row.closed_at)

    def is_teacher(self, challenge_id, token):
        with self.engine.connect() as c:
            stored = c.execute(
                sa.select(self.t.challenges.c.teacher_hash).where(self.t.challenges.c.id == str(challenge_id))
            ).scalar()
        return stored is not None and hmac.compare_digest(stored, _digest(str(token)))

    def close(self, challenge_id, token):
        if not self.is_teacher(challenge_id, token):
            return False
        ch = self.t.challenges
        update = ch.update().where(ch.c.id == challenge_id, ch.c.closed_at.is_(None))
        self._write(lambda c: c.execute(update.values(closed_at=self.clock())))
        return True

    def allow_replay(self, challenge_id):
        """Count one replay for the challenge; StoreError if it asked for REPLAYS_PER_MINUTE already in
        the last minute (a flood of submissions waits instead of taking the server's cores)."""
        now, r = self.clock(), self.t.replays

        def work(c):
            self._lock(c, challenge_id)
            mine = (r.c.challenge_id == challenge_id) & (r.c.created_at > now - 60)
            recent = sa.select(sa.func.count()).where(mine)
            if c.execute(recent).scalar() >= REPLAYS_PER_MINUTE:
                raise StoreError("The board is checking many runs right now: submit again in a minute.")
            c.execute(r.delete().where(r.c.created_at < now - 3600))  # the count needs the last minute only
            c.execute(r.insert().values(challenge_id=challenge_id, created_at=now))

        self._write(work)

    # --- entries ------------------------------------------------------------------------------
    def add_entry(self, challenge_id, *, nickname, link, score, metrics, thumbnail, session):
        """Record a verified entry; the same run under the same nickname again returns the first one.
        Raises StoreError (closed, full, too fast, a bad nickname)."""
        name = clean_nickname(nickname)
        if len(link) > MAX_LINK or len(thumbnail) > MAX_THUMBNAIL:
            raise StoreError("This entry is too large to store.")
        now = self.clock()
        row = dict(
            challenge_id=challenge_id, nickname=name, link=link, link_hash=_digest(link),
            score=float(score), metrics=json.dumps(metrics), thumbnail=bytes(thumbnail),
            session=str(session)[:64], created_at=now,
        )  # fmt: skip
        try:
            self._write(lambda c: self._insert(c, row, now))
        except IntegrityError:
            pass  # the same run and nickname, submitted twice at once: the first one stays
        return self._find(challenge_id, row["link_hash"], name)

    def _lock(self, c, challenge_id):
        """The challenge's row, locked until the transaction ends (PostgreSQL's ``FOR UPDATE``; SQLite
        holds its write lock already): requests about one challenge count and insert one at a time, so
        a limit counted here holds however many arrive at once. None if there is no such challenge."""
        ch = self.t.challenges
        return c.execute(sa.select(ch).where(ch.c.id == challenge_id).with_for_update()).first()

    def _insert(self, c, row, now):
        challenge = self._lock(c, row["challenge_id"])
        if self._find(row["challenge_id"], row["link_hash"], row["nickname"], c) is not None:
            return  # already on the board
        if challenge is None:
            raise StoreError("This challenge does not exist any more.")
        if challenge.closed_at is not None or now >= challenge.ends_at:
            raise StoreError("This challenge is closed.")
        in_challenge = self.t.entries.c.challenge_id == row["challenge_id"]
        count = c.execute(sa.select(sa.func.count()).where(in_challenge)).scalar()
        if count >= MAX_ENTRIES:
            raise StoreError(f"This challenge is full ({MAX_ENTRIES} entries).")
        recent = c.execute(
            sa.select(sa.func.count()).where(
                self.t.entries.c.session == row["session"], self.t.entries.c.created_at > now - RATE_WINDOW
            )
        ).scalar()
        if recent >= RATE_PER_SESSION:
            raise StoreError(f"At most {RATE_PER_SESSION} entries a minute: wait a little.")
        c.execute(self.t.entries.insert().values(**row))

    def _find(self, challenge_id, link_hash, nickname, connection=None):
        e = self.t.entries.c
        query = sa.select(self.t.entries).where(
            e.challenge_id == challenge_id, e.link_hash == link_hash, e.nickname == nickname
        )
        if connection is not None:
            row = connection.execute(query).first()
        else:
            with self.engine.connect() as c:
                row = c.execute(query).first()
        return _entry(row) if row is not None else None

    def entries(self, challenge_id, *, lower_is_better):
        """The challenge's entries, best first (ties: the earlier first)."""
        score = self.t.entries.c.score.asc() if lower_is_better else self.t.entries.c.score.desc()
        query = (
            sa.select(self.t.entries)
            .where(self.t.entries.c.challenge_id == str(challenge_id))
            .order_by(score, self.t.entries.c.created_at.asc(), self.t.entries.c.id.asc())
        )
        with self.engine.connect() as c:
            return [_entry(row) for row in c.execute(query)]

    def remove_entry(self, challenge_id, token, entry_id):
        if not self.is_teacher(challenge_id, token):
            return False
        e = self.t.entries
        delete = e.delete().where(e.c.challenge_id == challenge_id, e.c.id == int(entry_id))
        self._write(lambda c: c.execute(delete))
        return True

    def entries_csv(self, challenge_id, token, *, lower_is_better):
        """The ranked entries as CSV text (the teacher's export); "" without the teacher's token."""
        if not self.is_teacher(challenge_id, token):
            return ""
        out = io.StringIO()
        rows = self.entries(challenge_id, lower_is_better=lower_is_better)
        keys = sorted({k for r in rows for k in r.metrics})
        writer = csv.writer(out)
        writer.writerow(["rank", "nickname", "score", *keys, "created_utc", "link"])
        for rank, r in enumerate(rows, start=1):
            created = datetime.fromtimestamp(r.created_at, UTC).isoformat(timespec="seconds")
            numbers = [r.metrics.get(k) for k in keys]
            writer.writerow([rank, _csv_text(r.nickname), r.score, *numbers, created, r.link])
        return out.getvalue()

    def purge(self):
        """Delete the challenges closed or ended more than PURGE_AFTER ago, and their entries. Returns
        the number of entries deleted."""
        cutoff = self.clock() - PURGE_AFTER
        old = sa.select(self.t.challenges.c.id).where(
            sa.or_(self.t.challenges.c.closed_at < cutoff, self.t.challenges.c.ends_at < cutoff)
        )

        def work(c):
            ids = c.execute(old).scalars().all()
            if not ids:
                return 0
            e = self.t.entries
            deleted = c.execute(e.delete().where(e.c.challenge_id.in_(ids))).rowcount
            c.execute(self.t.challenges.delete().where(self.t.challenges.c.id.in_(ids)))
            return deleted

        return self._write(work)


def _entry(row):
    return EntryRow(
        row.id, row.challenge_id, row.nickname, row.link, row.score, json.loads(row.metrics),
        bytes(row.thumbnail), row.created_at,
    )  # fmt: skip


def _csv_text(text):
    """A cell a spreadsheet shows as text, never runs as a formula (a nickname like "=HYPERLINK(...)")."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
