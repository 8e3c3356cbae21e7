"""Engine and session factory. SQLite by default, any SQLAlchemy URL (PostgreSQL) for scale."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker


class Base(DeclarativeBase):
    """Declarative base for every table of the app."""


class Database:
    """One engine per data dir; `session()` is a unit of work that commits or rolls back."""

    def __init__(self, url: str) -> None:
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        sqlite = url.startswith("sqlite")
        # A ping per checkout guards against a server that dropped the connection; a SQLite
        # file has no server, and the ping cost a round trip on every session of every ask.
        self.engine: Engine = create_engine(url, future=True, pool_pre_ping=not sqlite)
        if sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        from copilot.store.revision import at_head

        if at_head(self.engine):
            pass  # the common case, without importing Alembic (copilot.store.revision)
        elif url.startswith("sqlite:///"):
            # Two processes creating one SQLite file race on it (PostgreSQL takes an advisory
            # lock inside upgrade): the second waits for the first, then finds it done.
            from copilot.store.writer_lock import WriterLock

            path = Path(url.removeprefix("sqlite:///") + ".schema.lock")
            from copilot.store.schema import upgrade  # schema imports this module

            with WriterLock(path, timeout_s=300).hold():
                upgrade(self.engine)
        else:
            from copilot.store.schema import upgrade

            upgrade(self.engine)  # migrations: new tables, changed columns, on every backend
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets the API read while an ingest writes; busy_timeout avoids spurious "locked" errors.
    # synchronous=NORMAL: in WAL mode a commit is still atomic and the file never corrupts, but
    # it is not fsynced (the WAL is, at checkpoints); the default FULL fsynced every commit,
    # 2.3 ms on this disk, paid by every answer (its log row) and every ingest batch. What a
    # power cut may lose is the last commits, never consistency.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
