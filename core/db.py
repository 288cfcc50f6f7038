"""Database wiring shared by every part of the assistant (no Rasa import).

One URL decides the database: ``DATABASE_URL`` (PostgreSQL in deployments),
otherwise an SQLite file ``var/assistant.db`` under the project root.
Models of every concern (knowledge, assessments, enterprises) share ``Base``
so one ``create_all`` builds the schema.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, declarative_base, sessionmaker

from core.files import PROJECT_ROOT, VAR_DIR

DEFAULT_SQLITE_PATH = VAR_DIR / "assistant.db"

Base = declarative_base()

_engines: dict[str, Engine] = {}


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return url
    DEFAULT_SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def get_engine(url: str | None = None) -> Engine:
    """Return a cached engine for ``url`` (default: :func:`database_url`)."""
    url = url or database_url()
    engine = _engines.get(url)
    if engine is None:
        kwargs: dict = {"future": True, "pool_pre_ping": True}
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 10}
        engine = create_engine(url, **kwargs)
        if url.startswith("sqlite"):
            event.listen(engine, "connect", _sqlite_pragmas)
        _engines[url] = engine
    return engine


_migrated: set = set()
# Alembic keeps its migration context in module globals: two threads of one process
# (the action server's warm-up and a first request) must not migrate at the same time.
_migrate_lock = threading.Lock()


def create_schema(engine: Engine | None = None) -> Engine:
    """Bring the database schema up to date with the Alembic migrations in
    ``migrations/`` (idempotent; checked once per database per process)."""
    engine = engine or get_engine()
    key = str(engine.url)
    if key in _migrated:
        return engine
    from alembic import command
    from alembic.config import Config

    with _migrate_lock:
        if key in _migrated:
            return engine
        cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
        cfg.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
        with engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")
        _migrated.add(key)
    return engine


def ready_engine(engine: Engine | None = None) -> Engine:
    """``engine`` as given, or the shared database migrated to the latest schema."""
    return engine if engine is not None else create_schema()


def main(argv: list | None = None) -> int:
    """``python -m core.db upgrade``: migrate DATABASE_URL to the latest schema."""
    import sys

    args = argv if argv is not None else sys.argv[1:]
    if args[:1] != ["upgrade"]:
        print("usage: python -m core.db upgrade", file=sys.stderr)
        return 2
    create_schema()
    print(f"Database schema is up to date ({get_engine().url.render_as_string(hide_password=True)}).")
    return 0


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A transaction: committed on success, rolled back on any error."""
    factory = sessionmaker(bind=engine or get_engine(), future=True, expire_on_commit=False)
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


if __name__ == "__main__":
    raise SystemExit(main())
