"""Launcher configuration, the action proxy, and the launcher's Ctrl-C."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
import yaml
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot import action_proxy
from bot.launcher import Settings, endpoints_yaml


def test_ports_from_env_and_bad_port_message():
    s = Settings.from_env({"RASA_PORT": "6005", "ACTION_PORT": "6055", "GATEWAY_PORT": "9090"})
    assert (s.rasa_port, s.action_port, s.gateway_port) == (6005, 6055, 9090)
    assert s.rasa_token  # never an open API
    with pytest.raises(SystemExit, match="RASA_PORT"):
        Settings.from_env({"RASA_PORT": "abc"})


def test_endpoints_for_postgres_and_redis():
    s = Settings.from_env(
        {
            "TRACKER_DB_URL": "postgresql://u:p%40ss@db.example:5544/tracker",
            "REDIS_URL": "redis://:secret@127.0.0.1:6390/2",
        }
    )
    doc = yaml.safe_load(endpoints_yaml(s))
    assert doc["tracker_store"] == {
        "type": "bot.tracker_store.BoundedSQLTrackerStore",
        "max_session_events": 60,
        "dialect": "postgresql",
        "url": "db.example",
        "port": 5544,
        "db": "tracker",
        "username": "u",
        "password": "p@ss",
    }
    assert doc["lock_store"]["type"] == "redis" and doc["lock_store"]["port"] == 6390 and doc["lock_store"]["db"] == 2
    assert doc["action_endpoint"]["url"].endswith(f":{s.action_port}/webhook")
    sqlite = yaml.safe_load(endpoints_yaml(Settings.from_env({})))
    assert sqlite["tracker_store"]["dialect"] == "sqlite" and "lock_store" not in sqlite
    # SQLAlchemy's forms: three slashes and a relative path, four and an absolute one.
    absolute = yaml.safe_load(endpoints_yaml(Settings.from_env({"TRACKER_DB_URL": "sqlite:////tmp/x/tracker.db"})))
    assert absolute["tracker_store"]["db"] == "/tmp/x/tracker.db"
    relative = yaml.safe_load(endpoints_yaml(Settings.from_env({"TRACKER_DB_URL": "sqlite:///var/tracker.db"})))
    assert relative["tracker_store"]["db"] == "var/tracker.db"


def test_unavailable_reply_keeps_forms_asking():
    body = {
        "next_action": "validate_assessment_form",
        "tracker": {"slots": {"language": "en", "requested_slot": "assessment_input"}},
    }
    out = action_proxy.unavailable_response(body)
    assert "temporarily unavailable" in out["responses"][0]["text"]
    assert out["events"] == [{"event": "slot", "name": "assessment_input", "value": None, "timestamp": None}]
    assert action_proxy.unavailable_response({"next_action": "action_answer_policy"})["events"] == []


def _dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SECRET = "proxy-test-secret-0123456789"
AUTH = {"Authorization": f"Bearer {SECRET}"}


async def test_proxy_fails_over_and_reports_unavailable():
    backend = web.Application()
    seen = []

    async def webhook(request):
        seen.append(request.headers.get("Authorization"))
        return web.json_response({"events": [], "responses": [{"text": "from backend"}]})

    backend.router.add_post("/webhook", webhook)
    async with TestServer(backend) as good:
        dead = f"http://127.0.0.1:{_dead_port()}"
        app = action_proxy.create_app([dead, str(good.make_url("")).rstrip("/")], SECRET)
        async with TestClient(TestServer(app)) as client:
            for _ in range(3):  # whichever backend comes first, the live one answers
                resp = await client.post(
                    "/webhook", json={"next_action": "action_answer_policy", "tracker": {}}, headers=AUTH
                )
                assert (await resp.json())["responses"][0]["text"] == "from backend"
            # the secret is passed on to the action servers
            assert seen and set(seen) == {f"Bearer {SECRET}"}
            # without the secret (or with a wrong one): 401, nothing forwarded
            seen.clear()
            for headers in ({}, {"Authorization": "Bearer wrong-secret-0123456789"}):
                resp = await client.post("/webhook", json={"next_action": "x", "tracker": {}}, headers=headers)
                assert resp.status == 401
                assert (await client.get("/actions", headers=headers)).status == 401
            assert seen == []
    app = action_proxy.create_app([f"http://127.0.0.1:{_dead_port()}"], SECRET)
    async with TestClient(TestServer(app)) as client:
        resp = await client.post(
            "/webhook",
            json={"next_action": "action_answer_policy", "tracker": {"slots": {"language": "zh"}}},
            headers=AUTH,
        )
        assert "暂时不可用" in (await resp.json())["responses"][0]["text"]
        assert (await client.get("/health")).status == 503


def test_no_secret_on_a_command_line(tmp_path):
    """Finding 8: the Rasa token (and the session and action secrets) reach the
    processes through their environment, not their argument lists."""
    from bot.launcher import Supervisor, commands

    s = Settings.from_env({"RASA_TOKEN": "-starts-with-dash", "SESSION_SECRET": "s" * 32, "ACTION_SECRET": "a" * 32})
    for cmd in commands(s, tmp_path / "endpoints.yml").values():
        joined = " ".join(cmd)
        assert "-starts-with-dash" not in joined and "s" * 32 not in joined and "a" * 32 not in joined
    env = Supervisor(s, specs={}).base_env()
    assert env["RASA_TOKEN"] == "-starts-with-dash" and env["ACTION_SECRET"] == "a" * 32
    assert "${ACTION_SECRET}" in endpoints_yaml(s) and "a" * 32 not in endpoints_yaml(s)
    assert all(c.isalnum() for c in Settings.from_env({}).rasa_token)


def _children(pid: int) -> set:
    """Every descendant pid of ``pid`` (from /proc)."""
    parents: dict = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        parents.setdefault(int(fields[1]), set()).add(int(stat.parent.name))
    out, todo = set(), [pid]
    while todo:
        for child in parents.get(todo.pop(), ()):
            if child not in out:
                out.add(child)
                todo.append(child)
    return out


@pytest.mark.assistant
def test_ctrl_c_stops_everything_the_launcher_started(tmp_path):
    """`make run` then Ctrl-C: the launcher stops the action server, Rasa and the
    gateway and leaves nothing behind, even when started with SIGINT ignored
    (what a shell does to a background job)."""
    import signal
    import subprocess
    import sys
    import time

    from tests.conftest import ROOT, _free_port

    models = sorted((ROOT / "models").glob("cca-*.tar.gz"))
    if not models:
        pytest.fail("no trained model in models/: run `make train` (make test does it)")
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{tmp_path / 'assistant.db'}",
        TRACKER_DB_URL=f"sqlite:///{tmp_path / 'tracker.db'}",
        RASA_PORT=str(_free_port()),
        ACTION_PORT=str(_free_port()),
        GATEWAY_PORT=str(_free_port()),
        LOG_DIR=str(tmp_path / "logs"),
        MODEL_PATH=str(models[-1]),
    )
    launcher = subprocess.Popen(
        [sys.executable, "-m", "bot.launcher"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    started: set = set()
    try:
        while "Press Ctrl-C" not in (line := launcher.stdout.readline()):
            assert line, "launcher ended before it was ready"
        started = _children(launcher.pid)
        assert len(started) >= 3, "action server, Rasa and gateway"
        launcher.send_signal(signal.SIGINT)
        assert launcher.wait(timeout=60) == 0
        time.sleep(1)
        alive = []
        for pid in started:
            try:
                if "zombie" not in Path(f"/proc/{pid}/status").read_text():
                    alive.append(pid)
            except OSError:
                pass
        assert not alive, f"left running after Ctrl-C: {alive}"
    finally:
        if launcher.poll() is None:
            started |= _children(launcher.pid)
            launcher.kill()
        for pid in started:  # whatever a failed run left behind
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def test_tracker_store_writes_no_key():
    """Finding 5 (unit): every string of an event is redacted before it is stored."""
    from rasa.shared.core.events import BotUttered, SlotSet, UserUttered

    from bot.tracker_store import _RedactedEvent

    events = [
        BotUttered("已为该企业生成访问码：K7QM-3XPA。请妥善保存"),
        UserUttered("k7qm3xpa", parse_data={"text": "k7qm3xpa", "intent": {"name": "inform"}}),
        SlotSet("assessment_state", '{"pending": {"text": "访问码 K7QM 3XPA"}}'),
    ]
    stored = [_RedactedEvent(e) for e in events]
    dumped = str([e.as_dict() for e in stored])
    assert "3XPA" not in dumped.upper() and "访问码已隐藏" in dumped
    assert [e.type_name for e in stored] == ["bot", "user", "slot"]


def test_session_tokens_are_signed_by_the_server():
    from bot.channels import session_token

    secret = b"s" * 32
    token = session_token.new_session(secret)
    sender = session_token.verify(token, secret)
    assert sender and sender.startswith("w") and token.startswith(sender + "_")
    assert session_token.verify(sender, secret) is None  # the id alone is not a session
    assert session_token.verify(token, b"t" * 32) is None  # another server's secret
    assert session_token.verify(token[:-1] + ("0" if token[-1] != "0" else "1"), secret) is None
    assert session_token.verify("wechat_mp:oX_" + "0" * 32, secret) is None
    assert session_token.verify(session_token.sign("wechat_mp:oX", secret), secret) == "wechat_mp:oX"
    with pytest.raises(session_token.SessionSecretMissing):
        session_token.secret_from_env({"SESSION_SECRET": "short"})
