"""A conversation of 300 turns through the REST channel against the trained
model: Rasa's tracker stays short (new sessions with the state carried,
bot/tracker_store.py), nothing the user sees changes, and the assessment
resumes at the right item after a restart of the Rasa server."""

from __future__ import annotations

import json
import urllib.request

import pytest

from core.enterprise import credit_code
from core.standards import catalogue, scoring
from tests.conftest import reply_text
from tests.test_assessment_conversation import new_sender, start

pytestmark = pytest.mark.assistant


def tracker_events(assistant, sender: str) -> tuple[int, int]:
    """(events in the current session, events stored) from Rasa's HTTP API."""
    url = f"{assistant.rasa_url}/conversations/{sender}/tracker?token={assistant.token}"
    with urllib.request.urlopen(url, timeout=60) as resp:
        events = json.loads(resp.read())["events"]
    starts = [i for i, e in enumerate(events) if e.get("event") == "session_started"]
    return len(events) - (starts[-1] if starts else 0), len(events)


def test_300_turn_assessment_keeps_the_tracker_short_and_resumes_after_restart(running_assistant):
    a, sender = running_assistant, new_sender()
    code = credit_code.generate(seed=1501)
    out, _ = start(a, sender, code)
    assert "第1项" in out
    items = catalogue.items("advanced")
    answers: dict = {}
    turns, sizes = 7, []
    restart_at = 60
    for it in items:
        verdict = ("符合" if it.number % 2 else "不符合") if it.additional else "达标"
        out = reply_text(a.say("详细", sender))
        assert f"（{it.number}）" in out or f"第{it.number}项" in out, (it.number, out[:200])
        if it.number < len(items):  # the last answer ends the assessment
            out = reply_text(a.say("基本达标" if not it.additional else verdict, sender))
            out = reply_text(a.say("返回上一题", sender))
            assert f"第{it.number}项" in out, (it.number, out[:200])
            turns += 2
        out = reply_text(a.say(verdict, sender))
        answers[it.number] = verdict
        turns += 2
        if it.number < len(items):
            assert f"第{it.number + 1}项" in out, (it.number, out[:200])
        if it.number % 10 == 0:
            sizes.append(tracker_events(a, sender))
        if it.number == restart_at:
            a.restart(["rasa"])
            # Same conversation after the restart: the next item is asked again.
            out = reply_text(a.say("继续", sender))
            turns += 1
            assert f"第{restart_at + 1}项" in out, out[:300]
    assert turns >= 300
    expected = scoring.score("advanced", answers)
    assert f"总分：{expected.total}" in out
    current, stored = tracker_events(a, sender)
    # Bounded: the current session never grows past the limit plus one turn
    # and the carried state, however long the conversation ...
    assert max(c for c, _ in sizes) <= 60 + 40, sizes
    assert current <= 60 + 40
    # ... while every event is still stored (all sessions).
    assert stored > 2000 and stored > 10 * current, (current, stored)
