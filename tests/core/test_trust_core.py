"""Server-side identity (core/enterprise): bindings, key checks with counted
failures, simultaneous first claims, key redaction, one-time hand-off tokens."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from core.db import create_schema, get_engine
from core.enterprise import access, binding, credit_code, handoff, throttle


@pytest.fixture
def engine(tmp_path):
    return create_schema(get_engine(f"sqlite:///{tmp_path / 'trust.db'}"))


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def test_binding_expires_when_idle_and_ends_on_request_or_reissue(engine, monkeypatch):
    code = credit_code.generate(seed=11)
    access.issue_key(code, "甲", engine=engine)
    assert binding.bound_code("chat-1", engine=engine) is None
    assert binding.bind("chat-1", code, "socketio", engine=engine)
    assert binding.bound_code("chat-1", engine=engine) == code
    # idle longer than BINDING_IDLE_SECONDS: gone (and stays gone)
    monkeypatch.setenv("BINDING_IDLE_SECONDS", "60")
    assert binding.bound_code("chat-1", engine=engine, now=now() + dt.timedelta(seconds=61)) is None
    assert binding.bound_code("chat-1", engine=engine) is None
    # use keeps it alive
    binding.bind("chat-1", code, engine=engine)
    later = now() + dt.timedelta(seconds=50)
    assert binding.bound_code("chat-1", engine=engine, now=later) == code
    assert binding.bound_code("chat-1", engine=engine, now=later + dt.timedelta(seconds=50)) == code
    # "新对话" / kiosk reset
    assert binding.unbind("chat-1", engine=engine) and binding.bound_code("chat-1", engine=engine) is None
    # a re-issued key voids bindings made under the old one
    binding.bind("chat-2", code, engine=engine)
    access.issue_key(code, engine=engine, replace=True, by="officer", contact="x")
    assert binding.bound_code("chat-2", engine=engine) is None
    assert not binding.bind("chat-3", credit_code.generate(seed=12), engine=engine)  # unknown enterprise


def test_one_key_per_message_and_counted_failures(engine):
    code = credit_code.generate(seed=21)
    key = access.issue_key(code, "乙", engine=engine)
    assert access.check(code, f"{key} WRNG-KEY2", "s", engine=engine).reason == "several"
    assert access.check(code, "no key here", "s", engine=engine).reason == "none"
    assert access.check(code, key.lower().replace("-", " "), "s", engine=engine).ok
    for _ in range(3):
        assert access.check(code, "WRNG-KEY2", "guesser", engine=engine).reason == "wrong"
    fourth = access.check(code, "WRNG-KEY3", "guesser", engine=engine)
    assert fourth.reason == "wrong" and fourth.wait_seconds == throttle.KEY_PER_SENDER.base_seconds
    blocked = access.check(code, key, "guesser", engine=engine)  # even the right key must wait
    assert not blocked.ok and blocked.reason == "wait" and blocked.wait_seconds > 0
    # other conversations are not blocked by this one, until the enterprise's own budget is spent
    assert access.check(code, key, "owner", engine=engine).ok
    for i in range(throttle.KEY_PER_ENTERPRISE.free):
        access.check(code, f"WRNG-KE{i + 2}Y", f"bot-{i}", engine=engine)
    assert access.check(code, key, "owner", engine=engine).reason == "wait"


def test_delay_doubles_and_is_forgotten(engine):
    p = throttle.Policy(free=1, base_seconds=10, cap_seconds=35, forget_after=100)
    t0 = now()
    delays = [throttle.record_failure("x", p, engine=engine, now=t0 + dt.timedelta(seconds=i)) for i in range(5)]
    assert delays == [0, 10, 20, 35, 35]
    assert throttle.wait_seconds("x", engine=engine, now=t0 + dt.timedelta(seconds=4)) == 35
    assert throttle.record_failure("x", p, engine=engine, now=t0 + dt.timedelta(seconds=500)) == 0


def test_simultaneous_first_claims_give_one_key(engine):
    code = credit_code.generate(seed=31)
    got, errors = [], []

    def claim(i):
        try:
            got.append(access.issue_key(code, f"claimant {i}", engine=engine))
        except Exception as exc:  # a lost race may fail loudly, never succeed twice
            errors.append(exc)

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    keys = [k for k in got if k]
    assert len(keys) == 1
    assert access.check(code, keys[0], "winner", engine=engine).ok
    status = access.key_status(code, engine=engine)
    assert status["issued_by"] == "self" and status["confirmed"] is False and status["version"] == 1


def test_keys_are_redacted_but_codes_and_words_are_not():
    key = "K7QM-3XPA"
    code = credit_code.generate(seed=41)
    text = f"代码{code}，访问码 {key}，也写作 k7qm3xpa 或 K7QM 3XPA；standard 2026 第18项"
    red = access.redact_keys(text)
    assert "K7QM" not in red.upper() and "3XPA" not in red.upper()
    assert code in red and "standard" in red and "第18项" in red


def test_handoff_token_works_once_and_expires(engine):
    t = handoff.create("wabc_" + "1" * 32, engine=engine)
    assert handoff.redeem(t, engine=engine) == "wabc_" + "1" * 32
    assert handoff.redeem(t, engine=engine) is None
    t2 = handoff.create("wdef_" + "2" * 32, engine=engine)
    late = now() + dt.timedelta(seconds=handoff.HANDOFF_SECONDS + 1)
    assert handoff.redeem(t2, engine=engine, now=late) is None
    assert handoff.redeem("x" * 30, engine=engine) is None
