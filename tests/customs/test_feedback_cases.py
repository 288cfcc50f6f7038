"""Answer log, feedback, review grouping, cases and office hours against a real (SQLite) database."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from core.cases import store as cases
from core.cases.hours import OfficeHours, reply_time_text
from core.db import create_schema, get_engine
from core.feedback import review
from core.feedback import store as fb
from core.knowledge import search as kb_module
from core.knowledge.loader import load_knowledge


@pytest.fixture
def engine(tmp_path):
    return create_schema(get_engine(f"sqlite:///{tmp_path / 'fb.db'}"))


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    eng = get_engine(f"sqlite:///{tmp_path_factory.mktemp('kb') / 'kb.db'}")
    load_knowledge(engine=eng)
    return kb_module.KnowledgeCache(eng).get()


def test_feedback_only_from_the_conversation_that_got_the_answer(engine):
    aid = fb.record_answer("alice", "失信企业怎么修复", "answer", entry_ids=["repair.x"], channel="web", engine=engine)
    # another conversation knowing the answer id cannot rate it or read it
    assert fb.record_feedback(aid, "mallory", rating="down", engine=engine) is None
    assert fb.get_answer(aid, "mallory", engine=engine) is None
    saved = fb.record_feedback(aid, "alice", rating="down", engine=engine)
    assert saved["rating"] == "down" and saved["entry_ids"] == ["repair.x"] and saved["channel"] == "web"
    saved = fb.record_feedback(aid, "alice", reason="outdated", engine=engine)
    assert saved["rating"] == "down" and saved["reason"] == "outdated"
    with pytest.raises(ValueError):
        fb.record_feedback(aid, "alice", rating="meh", engine=engine)
    with pytest.raises(ValueError):
        fb.record_feedback(aid, "alice", reason="<script>", engine=engine)
    # the log keeps a digest of the sender, never the sender itself
    from sqlalchemy import select

    from core.db import session_scope

    with session_scope(engine) as s:
        row = s.execute(select(fb.AnswerLog)).scalar_one()
        assert row.sender_digest != "alice" and "alice" not in row.sender_digest
        assert row.enterprise_code is None


def test_review_groups_similar_questions_newest_first(engine, kb):
    t0 = dt.datetime(2026, 11, 1, 9, 0)
    qs = [
        ("失信企业怎么修复信用", "not_found"),
        ("失信了怎样才能修复信用", "suggestions"),
        ("今天天气怎么样", "out_of_scope"),
        ("被列为失信企业后怎么修复", "answer"),  # rated down below
        ("海关高级认证的审计报告要谁出", "answer"),  # rated up: not reviewed
    ]
    ids = []
    for i, (q, outcome) in enumerate(qs):
        ids.append(fb.record_answer(f"s{i}", q, outcome, now=t0 + dt.timedelta(hours=i), engine=engine))
    fb.record_feedback(ids[3], "s3", rating="down", engine=engine)
    fb.record_feedback(ids[4], "s4", rating="up", engine=engine)
    items = fb.review_items(engine=engine)
    assert {i["question"] for i in items} == {q for q, _ in qs[:4]}
    groups = review.group_questions(items, kb)
    repair = next(g for g in groups if any("修复" in i["question"] for i in g.items))
    assert len(repair.items) == 3  # the three repair questions together
    weather = next(g for g in groups if g is not repair)
    assert [i["question"] for i in weather.items] == ["今天天气怎么样"]
    assert groups[0] is repair  # newest member first (the 没帮助 at t0+3h)
    info = repair.to_dict(kb)
    assert info["suggested_entry"] and kb.entries[info["suggested_entry"]].topic
    assert info["why"]["unhelpful"] == 1
    text = review.export_dev_questions(repair, kb)
    data = yaml.safe_load(text)
    assert len(data["cases"]) == 3 and all(c["topic"] == info["suggested_topic"] for c in data["cases"])
    assert review.find_group(groups, ids[1]) is repair


def test_stale_entries(kb):
    far = dt.date(2030, 1, 1)
    stale = review.stale_entries(kb, 365, today=far)
    assert stale and all(
        "review_due" in e["why"] or "never_reviewed" in e["why"] or "superseded" in e["why"] for e in stale
    )
    superseded = [e for e in review.stale_entries(kb, 100000, today=dt.date(2026, 11, 30)) if "superseded" in e["why"]]
    assert superseded  # Decree 251 entries ended on 2026-03-31


def test_case_lifecycle_and_isolation(engine):
    c, token = cases.open_case(
        "web-session-A",
        "进口货物被查验后多久放行？",
        transcript=[{"from": "user", "text": "你好"}, {"from": "bot", "text": "您好"}],
        channel="web",
        engine=engine,
    )
    assert c["number"].startswith("RG") and c["status"] == "open" and c["enterprise_code"] is None
    assert cases.answers_for_sender("web-session-A", engine=engine) == []
    with pytest.raises(cases.CaseError):
        cases.answer_case(c["id"], "   ", engine=engine)
    cases.answer_case(c["id"], "一般在查验结束后当日放行。", engine=engine)
    # another session, the case number, or a guessed token get nothing
    assert cases.answers_for_sender("web-session-B", engine=engine) == []
    assert cases.answers_for_sender(c["number"], engine=engine) == []
    assert cases.case_for_page("x" * 24, engine=engine) is None
    got = cases.answers_for_sender("web-session-A", engine=engine)
    assert [g["answer"] for g in got] == ["一般在查验结束后当日放行。"]
    assert cases.get_case(c["id"], engine=engine)["delivered_via"] == "session"
    assert cases.case_for_page(token, engine=engine)["answer"] == "一般在查验结束后当日放行。"
    draft = yaml.safe_load(cases.knowledge_draft(c["id"], engine=engine))
    entry = draft["entries"][0]
    assert entry["answer"]["zh"] == "一般在查验结束后当日放行。" and entry["verified"] is False
    assert entry["questions"]["zh"] == ["进口货物被查验后多久放行？"]
    cases.close_case(c["id"], engine=engine)
    with pytest.raises(cases.CaseError):
        cases.answer_case(c["id"], "again", engine=engine)


def test_office_hours_in_shanghai():
    h = OfficeHours.from_env({"CASE_OFFICE_HOURS": "09:00-17:00", "CASE_OFFICE_DAYS": "1-5", "CASE_REPLY_HOURS": "4"})
    utc = dt.timezone.utc
    # Monday 2026-11-30 10:00 Beijing = 02:00 UTC: open, reply by 14:00
    mon10 = dt.datetime(2026, 11, 30, 2, 0, tzinfo=utc)
    assert h.is_open(mon10)
    assert h.expected_reply(mon10).strftime("%Y-%m-%d %H:%M") == "2026-11-30 14:00"
    # Monday 16:00 Beijing: 1 h today, 3 h on Tuesday -> Tuesday 12:00
    mon16 = dt.datetime(2026, 11, 30, 8, 0, tzinfo=utc)
    assert h.expected_reply(mon16).strftime("%Y-%m-%d %H:%M") == "2026-12-01 12:00"
    # Friday 20:00 Beijing: closed; opens Monday 09:00, reply by Monday 13:00
    fri20 = dt.datetime(2026, 12, 4, 12, 0, tzinfo=utc)
    assert not h.is_open(fri20)
    assert h.next_open(fri20).strftime("%Y-%m-%d %H:%M") == "2026-12-07 09:00"
    text = reply_time_text(h, "zh", fri20)
    assert "非工作时间" in text and "12月7日（周一）09:00" in text and "13:00" in text
    assert "outside office hours" in reply_time_text(h, "en", fri20)
    for bad in ({"CASE_OFFICE_HOURS": "17:00-09:00"}, {"CASE_OFFICE_DAYS": "0-9"}, {"CASE_TIMEZONE": "Mars/Base"}):
        with pytest.raises(ValueError):
            OfficeHours.from_env(bad)
