"""Schema changes go through Alembic: the migrations must match the models."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from core.db import PROJECT_ROOT, create_schema, get_engine


def test_migrations_build_the_models_schema(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    engine = create_schema(get_engine(url))
    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        # Raises if the models have changes no migration covers.
        command.check(cfg)


def test_upgrade_is_idempotent(tmp_path):
    url = f"sqlite:///{tmp_path / 'm2.db'}"
    from core import db

    create_schema(get_engine(url))
    db._migrated.clear()
    create_schema(get_engine(url))
    with get_engine(url).connect() as conn:
        assert conn.exec_driver_sql("select version_num from alembic_version").scalar() == _head()


def _head() -> str:
    from alembic.script import ScriptDirectory

    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    return ScriptDirectory.from_config(cfg).get_current_head()


def test_two_threads_migrating_at_once_do_not_collide(tmp_path):
    """The action server's warm-up thread and a first request may both bring the
    schema up at start: Alembic's module-level context must not be entered twice."""
    import threading

    from core import db

    errors = []
    engines = [db.get_engine(f"sqlite:///{tmp_path / f'race{i}.db'}") for i in range(2)]

    def migrate(engine):
        try:
            db.create_schema(engine)
        except Exception as e:
            errors.append(repr(e))

    threads = [threading.Thread(target=migrate, args=(e,)) for e in engines * 2]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
