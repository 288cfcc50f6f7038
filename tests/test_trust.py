"""Trust boundaries (issue 12), each finding performed as an attack against the
real assistant (action server, Rasa with the trained model, gateway) and shown
refused. Findings 6-8 that need no model are in tests/gateway/test_assessment_api.py
(reports, bodies, item numbers), tests/channels/test_wechat_mp.py (replay),
tests/gateway/test_officer.py (lock-out) and tests/test_runtime.py (command line)."""

from __future__ import annotations

import asyncio
import json
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest
from sqlalchemy import create_engine, text

from core.assessment import store
from core.cultivation import store as cs
from core.db import get_engine, session_scope
from core.enterprise import access, binding, credit_code
from core.enterprise.models import Enterprise
from tests.conftest import reply_text

pytestmark = pytest.mark.assistant


def new_sender() -> str:
    return f"tr-{uuid.uuid4().hex[:10]}"


def post(url: str, body: dict, headers: dict | None = None) -> tuple[int, dict | list]:
    req = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, json.loads(resp.read().decode() or "null")
    except urllib.error.HTTPError as exc:
        return exc.code, {}


def start_quick(a, sender: str, code: str) -> tuple[str, str]:
    """An assessment of a fresh enterprise: returns the first question and the key."""
    a.say("开始自我评估", sender)
    a.say("认证企业", sender)
    a.say("信任测试有限公司", sender)
    out = reply_text(a.say(code, sender))
    keys = re.findall(r"[A-Z2-9]{4}-[A-Z2-9]{4}", out)
    a.say("非生产型", sender)
    return reply_text(a.say("快速自查", sender)), (keys[0] if keys else "")


def forged_call(action: str, sender: str, text: str, slots: dict, intent: str = "inform", form: bool = False) -> dict:
    """What an attacker on the network sends the action server: a made-up
    tracker whose slots name someone else's enterprise."""
    events: list = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": text, "parse_data": {"intent": {"name": intent, "confidence": 0.99}}},
    ]
    if form:
        events.append({"event": "slot", "name": "assessment_input", "value": text})
    return {
        "next_action": action,
        "sender_id": sender,
        "version": "3.6.21",
        "domain": {"forms": {"assessment_form": {"required_slots": ["assessment_input"]}}, "slots": {}},
        "tracker": {
            "sender_id": sender,
            "slots": {"language": "zh", "requested_slot": "assessment_input" if form else None, **slots},
            "latest_message": {
                "text": text,
                "intent": {"name": intent, "confidence": 0.99},
                "intent_ranking": [{"name": intent, "confidence": 0.99}],
                "entities": [],
            },
            "events": events,
            "paused": False,
            "followup_action": None,
            "active_loop": {"name": "assessment_form"} if form else {},
            "latest_action_name": "action_listen",
        },
    }


def _victim(a, seed: int) -> dict:
    """An enterprise with an assessment in progress (two items answered)."""
    code, sender = credit_code.generate(seed=seed), new_sender()
    out, key = start_quick(a, sender, code)
    assert key and "第" in out
    a.say("达标", sender)
    a.say("达标", sender)
    engine = get_engine(a.db_url)
    found = next(h for h in store.history(code, engine=engine) if h["status"] == "in_progress")
    return {"code": code, "sender": sender, "key": key, "assessment_id": found["id"], "engine": engine}


def _answers(v: dict) -> dict:
    return store.get_answers(v["code"], v["assessment_id"], engine=v["engine"])


def _other_addresses() -> list[str]:
    out = set()
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            out.add(info[4][0])
    except OSError:
        pass
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing interface
            out.add(s.getsockname()[0])
        except OSError:
            pass
    return [ip for ip in out if not ip.startswith("127.")]


# ------------------------------------------------------------------ finding 1


def test_action_server_is_closed_and_believes_no_forged_tracker(running_assistant):
    """Finding 1: the action server is reachable only on loopback, refuses a call
    without the secret (401), and with the secret a forged tracker naming another
    enterprise reads nothing and writes nothing."""
    a = running_assistant
    v = _victim(a, seed=1201)
    port = a.settings.action_port
    url = f"http://127.0.0.1:{port}/webhook"
    for ip in _other_addresses():
        with socket.socket() as s:
            s.settimeout(1)
            assert s.connect_ex((ip, port)) != 0, f"action server reachable on {ip}"

    attacker = new_sender()
    consent = forged_call("action_share_consent", attacker, "同意共享给海关", {"enterprise_code": v["code"]})
    assert post(url, consent)[0] == 401
    assert post(url, consent, {"Authorization": "Bearer not-the-secret-0123456789"})[0] == 401
    req = urllib.request.Request(f"http://127.0.0.1:{port}/actions")
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=10)
    assert err.value.code == 401

    # With the secret (as Rasa itself would call): still nothing for the forged slots.
    auth = {"Authorization": f"Bearer {a.action_secret}"}
    state = {
        "phase": "items",
        "code": v["code"],
        "bound_code": v["code"],
        "standard": "certified",
        "mode": "quick",
        "assessment_id": v["assessment_id"],
        "name": "x",
    }
    slots = {"enterprise_code": v["code"], "assessment_state": json.dumps(state)}
    replies = []
    for body in (
        forged_call("validate_assessment_form", attacker, "基本达标", slots, form=True),
        forged_call("action_ask_assessment_input", attacker, "继续上次的评估", slots, intent="resume_assessment"),
        forged_call("action_share_consent", attacker, "同意共享给海关", slots, intent="share_consent"),
        forged_call("action_show_progress", attacker, "我的培育进度", slots, intent="show_progress"),
    ):
        status, out = post(url, body, auth)
        assert status == 200, out
        replies.append(json.dumps(out, ensure_ascii=False))
    joined = "\n".join(replies)
    assert "已恢复" not in joined and "已记录" not in joined and not re.search(r"已答\d", joined)
    assert "访问码" in joined  # the progress request is asked for the code and key instead
    assert len(_answers(v)) == 2  # nothing recorded in the victim's assessment
    assert not cs.has_consent(v["code"], engine=v["engine"])
    with session_scope(v["engine"]) as s:
        assert s.get(Enterprise, v["code"]).last_sender == v["sender"]  # reminders still go to the victim
    assert binding.bound_code(attacker, engine=v["engine"]) is None


# ------------------------------------------------------------------ finding 2


def test_a_second_socket_cannot_join_a_victims_session(running_assistant):
    """Finding 2: session ids are issued and signed by the server. A socket that
    asks for the victim's session id (unsigned, or altered) gets a new session of
    its own and none of the victim's replies; the REST channel refuses an
    unsigned sender id."""
    import socketio

    a = running_assistant

    async def scenario():
        got: dict = {"victim": [], "attacker": []}
        victim, attacker = socketio.AsyncClient(), socketio.AsyncClient()
        confirmed: dict = {}

        def handlers(name, client):
            @client.on("session_confirm")
            async def on_confirm(data):
                confirmed.setdefault(name, []).append(data)

            @client.on("bot_uttered")
            async def on_bot(data):
                got[name].append(data.get("text") or "")

        handlers("victim", victim)
        handlers("attacker", attacker)

        async def wait(cond, timeout=60.0):
            end = time.monotonic() + timeout
            while not cond() and time.monotonic() < end:
                await asyncio.sleep(0.1)

        await victim.connect(a.rasa_url, socketio_path="/socket.io", transports=["websocket"])
        await victim.emit("session_request", {"session_id": None})
        await wait(lambda: confirmed.get("victim"))
        token = confirmed["victim"][0]
        victim_id = token.rsplit("_", 1)[0]
        await victim.emit("user_uttered", {"message": "你好", "session_id": token, "customData": {}})
        await wait(lambda: got["victim"])
        assert got["victim"], "the victim's own session works"

        await attacker.connect(a.rasa_url, socketio_path="/socket.io", transports=["websocket"])
        tampered = token[:-1] + ("a" if token[-1] != "a" else "b")
        for chosen in (victim_id, tampered, "my-own-choice"):
            await attacker.emit("session_request", {"session_id": chosen})
        await wait(lambda: len(confirmed.get("attacker", [])) >= 3)
        assert all(t != token and t.rsplit("_", 1)[0] != victim_id for t in confirmed["attacker"])
        # messages naming the victim's session from a socket that did not join it are ignored
        await attacker.emit("user_uttered", {"message": "我的培育进度", "session_id": token, "customData": {}})
        before = len(got["victim"])
        await victim.emit("user_uttered", {"message": "海关企业信用分几个等级", "session_id": token, "customData": {}})
        await wait(lambda: len(got["victim"]) > before)
        await asyncio.sleep(2)
        assert len(got["victim"]) > before and got["attacker"] == []
        # "新对话" (the widget's reset) ends the conversation's enterprise binding on the server
        engine = get_engine(a.db_url)
        code = credit_code.generate(seed=1202)
        access.issue_key(code, "会话测试", engine=engine)
        assert binding.bind(victim_id, code, engine=engine)
        await attacker.emit("session_end", {"session_id": victim_id})  # unsigned: ignored
        await asyncio.sleep(1)
        assert binding.bound_code(victim_id, engine=engine) == code
        await victim.emit("session_end", {"session_id": token})
        await wait(lambda: binding.bound_code(victim_id, engine=engine, touch=False) is None, timeout=10)
        assert binding.bound_code(victim_id, engine=engine) is None
        await victim.disconnect()
        await attacker.disconnect()

    asyncio.run(scenario())
    status, _ = post(f"{a.rasa_url}/webhooks/rest/webhook", {"sender": "any-victim-id", "message": "你好"})
    assert status == 401


# ------------------------------------------------------------------ finding 3


def test_many_keys_in_one_message_are_not_checked_and_do_not_stall_others(running_assistant):
    """Finding 3: a message with 100 candidate keys (the right one at position
    80) is not authorised; 400-key messages do not delay another user's answer;
    wrong guesses are counted per enterprise and per conversation in the database."""
    a = running_assistant
    v = _victim(a, seed=1203)
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

    def fake_key(i: int) -> str:
        k = "".join(alphabet[(i * 7 + j * 13) % len(alphabet)] for j in range(7)) + "7"
        return f"{k[:4]}-{k[4:]}"

    keys = [fake_key(i) for i in range(100)]
    keys[79] = v["key"]
    attacker = new_sender()
    out = reply_text(a.say(f"{v['code']} {' '.join(keys)} 我的培育进度", attacker))
    assert "只能输入一个访问码" in out and "已完成" not in out
    assert binding.bound_code(attacker, engine=v["engine"]) is None

    # Latency of an ordinary question, alone and during a flood of 400-key messages.
    def timed(sender: str) -> float:
        t0 = time.monotonic()
        assert "来源" in reply_text(a.say("海关企业信用现在分几个等级？", sender))
        return time.monotonic() - t0

    alone = sorted(timed(new_sender()) for _ in range(3))[1]
    flood = f"{v['code']} " + " ".join(fake_key(i) for i in range(400)) + " 我的培育进度"

    async def during() -> float:
        loop = asyncio.get_running_loop()
        attackers = [loop.run_in_executor(None, a.say, flood, new_sender()) for _ in range(6)]
        await asyncio.sleep(0.3)
        t = await loop.run_in_executor(None, timed, new_sender())
        await asyncio.gather(*attackers)
        return t

    busy = asyncio.run(during())
    assert busy < alone + 3.0, f"answer took {busy:.1f} s during the flood, {alone:.1f} s alone"

    # One key per message, failures counted in the database: the fourth wrong
    # guess from one conversation has to wait, even with the right key after it.
    guesser = new_sender()
    for i in range(3):
        out = reply_text(a.say(f"{v['code']} {fake_key(500 + i)} 我的培育进度", guesser))
        assert "访问码不正确" in out or "不正确" in out
    out = reply_text(a.say(f"{v['code']} {fake_key(503)} 我的培育进度", guesser))
    out = reply_text(a.say(f"{v['code']} {v['key']} 我的培育进度", guesser))
    assert "过多" in out and binding.bound_code(guesser, engine=v["engine"]) is None


# ------------------------------------------------------------------ finding 4


def test_customs_reissue_gives_the_enterprise_its_data_back(running_assistant):
    """Finding 4: a squatter who claimed a public code first loses it when an
    officer re-issues the key to the enterprise's verified contact; the real
    enterprise then resumes with the new key."""
    a = running_assistant
    code, squatter = credit_code.generate(seed=1204), new_sender()
    out, squat_key = start_quick(a, squatter, code)
    assert squat_key
    a.say("达标", squatter)
    officer = {"Authorization": "Bearer test-officer-token"}
    req = urllib.request.Request(f"{a.gateway_url}/officer/keys", headers=officer)
    with urllib.request.urlopen(req, timeout=30) as resp:
        page = resp.read().decode()
    row = page[page.index(code) :].split("</tr>")[0]
    assert "海关尚未确认" in row

    form = urllib.parse.urlencode({"contact": "王五 0571-8888888（营业执照已核验）"}).encode()
    req = urllib.request.Request(f"{a.gateway_url}/officer/enterprises/{code}/reissue", data=form, headers=officer)
    with urllib.request.urlopen(req, timeout=30) as resp:
        page = resp.read().decode()
    new_key = re.findall(r"[A-Z2-9]{4}-[A-Z2-9]{4}", page.split("new access key:")[1])[0]
    assert new_key != squat_key

    # The squatter's conversation has lost the enterprise.
    out = reply_text(a.say("达标", squatter))
    assert "已记录" not in out and "访问已结束" in out
    out = reply_text(a.say("我的培育进度", squatter))
    assert "访问码" in out and "已完成" not in out
    out = reply_text(a.say(f"{code} {squat_key} 我的培育进度", squatter))
    assert "不正确" in out

    # The enterprise, with the key from customs, gets its data back.
    real = new_sender()
    a.say("继续上次的评估", real)
    assert "访问码" in reply_text(a.say(code, real))
    out = reply_text(a.say(new_key, real))
    assert "已恢复" in out and "已答1/" in out


# ------------------------------------------------------------------ finding 5


def test_no_key_in_the_tracker_store(running_assistant):
    """Finding 5: after an assessment is started (key shown) and resumed elsewhere
    (key typed, with and without the dash), the tracker database holds no key."""
    a = running_assistant
    code, first = credit_code.generate(seed=1205), new_sender()
    _, key = start_quick(a, first, code)
    assert key
    second, third = new_sender(), new_sender()
    a.say("继续上次的评估", second)
    a.say(code, second)
    assert "已恢复" in reply_text(a.say(key, second))
    a.say(f"{code} {key.replace('-', '').lower()} 我的培育进度", third)
    url = a.settings.tracker_db_url
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = [
            r[0]
            for r in conn.execute(
                text("select data from events where sender_id in (:a, :b, :c)"), {"a": first, "b": second, "c": third}
            )
        ]
    engine.dispose()
    stored = "\n".join(json.dumps(json.loads(r), ensure_ascii=False) for r in rows)
    assert code in stored and "访问码" in stored  # the conversation is there ...
    for form in (key, key.replace("-", ""), key.replace("-", "").lower()):
        assert form not in stored  # ... without its key


# ------------------------------------------------------------------ finding 8 (live)


def test_no_secret_in_the_process_list_and_private_logs(running_assistant):
    """Finding 8: the Rasa token (and the session and action secrets) are not on
    any process's command line, yet Rasa's HTTP API still demands the token; the
    processes' logs are readable by their owner only."""
    import os
    from pathlib import Path

    a = running_assistant
    secrets_ = (a.token, a.settings.session_secret, a.action_secret)
    assert a.supervisor.procs, "the assistant's processes"
    for name, proc in a.supervisor.procs.items():
        cmdline = Path(f"/proc/{proc.pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        assert not any(s in cmdline for s in secrets_), f"a secret on the command line of {name}"
        assert os.stat(a.supervisor.log_path(name)).st_mode & 0o077 == 0, f"{name}'s log is readable by others"
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(f"{a.rasa_url}/conversations/x/tracker", timeout=10)
    assert err.value.code == 401
    with urllib.request.urlopen(f"{a.rasa_url}/status?token={a.token}", timeout=10) as resp:
        assert resp.status == 200
