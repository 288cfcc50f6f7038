"""The one reply contract (core/replies.py) and the flow state kept between turns."""

from __future__ import annotations

import json

import pytest

from core.assessment import flow as assessment_flow
from core.diagnosis import flow as df
from core.knowledge import answers
from core.replies import Reply, dump_state, link, load_state


def test_every_flow_uses_the_same_reply_type():
    assert answers.Reply is Reply and assessment_flow.Reply is Reply
    _, reply = df.start("zh", "")
    assert type(reply) is Reply


def test_reply_round_trips_through_a_slot_string():
    reply = Reply(
        "评估完成",
        [{"title": "生成培育计划", "payload": "/create_plan"}],
        links=[link("http://x/api/reports/a.pdf", "下载PDF评估报告")],
        entry_ids=["e1"],
        kind="flow",
        lang="zh",
        done=True,
    )
    raw = dump_state({"phase": "done", "pending": reply})
    back = load_state(raw)
    assert Reply.from_dict(back["pending"]) == reply
    # Empty fields stay out of the slot.
    assert json.loads(dump_state({"p": Reply("x")})) == {"p": {"text": "x"}}


@pytest.mark.parametrize("raw", [None, "", "not json", "[1, 2]", '"text"', "{"])
def test_damaged_state_means_a_fresh_start(raw):
    assert load_state(raw) == {}
    state = load_state(raw, df.DiagnosisState)
    assert state == df.DiagnosisState()


def test_unknown_keys_are_ignored():
    assert Reply.from_dict({"text": "a", "custom": {"url": "x"}, "bogus": 1}) == Reply("a")
    assert Reply.from_dict(None) is None and Reply.from_dict("text") is None  # type: ignore[arg-type]
    state = load_state('{"facts": {"penalties_count_last_year": 2}, "stale": true}', df.DiagnosisState)
    assert state.facts == {"penalties_count_last_year": 2}


def test_diagnosis_state_survives_the_slot_between_turns():
    state, reply = df.start("zh", "去年被罚4次")
    assert not reply.done and reply.buttons and state.facts["penalties_count_last_year"] == 4
    state.pending = reply
    again = load_state(dump_state(state), df.DiagnosisState)
    assert again == state and isinstance(again.pending, Reply)
    again, reply = df.step(again, "共12万", "zh")
    assert again.facts["penalties_total"] == 120000
    again, reply = df.step(again, "就这些", "zh")
    assert reply.done and again.done and "逐条依据" in reply.text
    # A "what if" afterwards is answered against the same facts.
    _, what_if = df.start("zh", "如果只罚2次呢", previous=again)
    assert what_if.done and "假设情况下的结论" in what_if.text


def test_stop_ends_the_diagnosis():
    state, _ = df.start("en", "")
    state, reply = df.step(state, "cancel", "en")
    assert reply.done and reply.text == "Diagnosis ended."


def test_prefixed_keeps_buttons():
    r = Reply("Q?", [{"title": "a", "payload": "a"}]).prefixed("Note", sep="\n")
    assert r.text == "Note\nQ?" and r.buttons == [{"title": "a", "payload": "a"}]
