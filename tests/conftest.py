"""Shared fixtures.

``running_assistant`` starts the real assistant (action server, Rasa server
with the trained model, web gateway) once per test session on test ports, with
its own SQLite databases, and stops it at the end. Tests that need it are
slow (the Rasa server needs about 80 s to load its model) and marked
``assistant``.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import tempfile
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    """The real knowledge, loaded into a fresh database (one per test module)."""
    from core.db import get_engine
    from core.knowledge.loader import load_knowledge
    from core.knowledge.search import KnowledgeCache

    engine = get_engine(f"sqlite:///{tmp_path_factory.mktemp('kb') / 'kb.db'}")
    load_knowledge(engine=engine)
    return KnowledgeCache(engine).get()


def _free_port() -> int:
    from tests.ports import free_port

    return free_port()


class Assistant:
    def __init__(self, supervisor, settings, db_url: str):
        self.supervisor = supervisor
        self.settings = settings
        self.db_url = db_url
        self.rasa_url = f"http://127.0.0.1:{settings.rasa_port}"
        self.gateway_url = f"http://127.0.0.1:{settings.gateway_port}"
        self.token = settings.rasa_token
        self.session_secret = settings.session_secret.encode()
        self.action_secret = settings.action_secret

    def signed(self, sender: str) -> str:
        """The session token the server would issue for ``sender`` (the REST
        channel accepts only signed senders: bot/channels/signed.py)."""
        from bot.channels import session_token

        return session_token.sign(sender, self.session_secret)

    def say(self, text: str, sender: str | None = None, metadata: dict | None = None, timeout: float = 60) -> list:
        """POST one message to the REST channel as ``sender`` (signed); returns the bot messages."""
        body = {"sender": self.signed(sender or f"test-{uuid.uuid4().hex[:10]}"), "message": text}
        if metadata:
            body["metadata"] = metadata
        req = urllib.request.Request(
            f"{self.rasa_url}/webhooks/rest/webhook",
            data=json.dumps(body).encode("utf-8"),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return json.loads(resp.read().decode("utf-8"))

    def parse(self, text: str) -> dict:
        req = urllib.request.Request(
            f"{self.rasa_url}/model/parse?token={self.token}",
            data=json.dumps({"text": text}).encode("utf-8"),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=60) as resp:
            return json.loads(resp.read().decode("utf-8"))

    def restart(self, names=("rasa",)) -> None:
        """Stop and start some of the processes (same ports, same databases)."""
        self.supervisor.restart(list(names))

    def stop(self, names) -> None:
        self.supervisor.stop(list(names))

    def start(self, names) -> None:
        self.supervisor.start(only=list(names))
        self.supervisor.wait_ready(timeout=400, only=list(names))


@pytest.fixture(scope="session")
def postgres_server():
    """A private PostgreSQL server (Debian's package) for the session, or None
    when PostgreSQL is not installed (then the suite runs on SQLite and says so).
    CI installs PostgreSQL, so there the whole suite runs on it."""
    from bot.services import PostgresServer, ServiceError, pg_bin

    try:
        pg_bin("initdb")
    except ServiceError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run on PostgreSQL: {exc}")
        print(f"\nPostgreSQL not installed: running on SQLite ({exc})", file=sys.stderr)
        yield None
        return
    tmp = Path(tempfile.mkdtemp(prefix="cca-pg-"))
    if os.geteuid() == 0:
        os.chmod(tmp, 0o755)
    server = PostgresServer(tmp / "data", port=_free_port()).start(databases=("cca_test", "cca_test_tracker"))
    try:
        yield server
    finally:
        server.stop(mode="immediate")


@pytest.fixture(scope="session")
def running_assistant(postgres_server):
    from bot.launcher import Settings, Supervisor
    from core.db import get_engine
    from core.knowledge.loader import load_knowledge

    models = sorted((ROOT / "models").glob("cca-*.tar.gz"))
    if not models:
        pytest.fail("no trained model in models/: run `make train` (make test does it)")
    tmp = Path(tempfile.mkdtemp(prefix="cca-test-"))
    if postgres_server is not None:
        db_url, tracker_url = postgres_server.url("cca_test"), postgres_server.url("cca_test_tracker")
    else:
        db_url, tracker_url = f"sqlite:///{tmp / 'assistant.db'}", f"sqlite:///{tmp / 'tracker.db'}"
    load_knowledge(engine=get_engine(db_url))
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": db_url,
            "TRACKER_DB_URL": tracker_url,
            "RASA_PORT": str(_free_port()),
            "ACTION_PORT": str(_free_port()),
            "GATEWAY_PORT": str(_free_port()),
            "LOG_DIR": str(ROOT / "test-artifacts" / "logs"),
            "MODEL_PATH": str(models[-1]),
            "GATEWAY_TEST_PAGES": "1",
            "OFFICER_TOKEN": env.get("OFFICER_TOKEN") or "test-officer-token",
            "SESSION_SECRET": secrets.token_hex(32),
            "ACTION_SECRET": secrets.token_hex(32),
            "EDITOR_TOKEN": env.get("EDITOR_TOKEN") or "test-editor-token",
        }
    )
    settings = Settings.from_env(env)
    sup = Supervisor(settings)
    sup.start()
    try:
        sup.wait_ready(timeout=420, progress=lambda m: print(m, file=sys.stderr, flush=True))
        yield Assistant(sup, settings, db_url)
    finally:
        sup.stop()


def reply_text(messages: list) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def reply_buttons(messages: list) -> list:
    out = []
    for m in messages:
        out.extend(m.get("buttons") or [])
    return out
