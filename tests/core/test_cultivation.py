"""Cultivation plans, tasks, consent, reminders — and isolation between enterprises."""

from __future__ import annotations

import datetime as dt

import pytest

from core.cultivation import store as cs
from core.db import Base, get_engine, session_scope
from core.enterprise import credit_code
from core.enterprise.models import Enterprise

A = credit_code.generate(seed=1)
B = credit_code.generate(seed=2)
TODAY = dt.date(2026, 11, 26)

GAPS = [
    {
        "item": "(18)",
        "label": "遵守法律法规-单次处罚",
        "verdict": "不达标",
        "dimension": "守法规范",
        "standard": "advanced",
    },
    {"item": 5, "label": "内部审计", "verdict": "基本达标", "dimension": "内部控制", "standard": "advanced"},
    {"item": 44, "label": "场所安全-设施管控", "verdict": "未评估", "dimension": "贸易安全", "standard": "advanced"},
    {"item": 12, "label": "会计信息", "verdict": "达标", "dimension": "财务状况", "standard": "advanced"},
    {"item": 70, "label": "绿色工厂", "verdict": "不适用", "dimension": "附加标准", "standard": "advanced"},
]


@pytest.fixture
def engine(tmp_path):
    import core.models  # noqa: F401  (all tables)

    eng = get_engine(f"sqlite:///{tmp_path / 'cult.db'}")
    Base.metadata.create_all(eng)
    with session_scope(eng) as s:
        s.add(Enterprise(code=A, name="A 示例（演示数据）", last_channel="wechat", last_sender="openid-a"))
        s.add(Enterprise(code=B, name="B 示例（演示数据）", last_channel="web", last_sender="web-b"))
    return eng


def test_plan_from_gaps_due_dates_and_skips(engine):
    out = cs.plan_from_gaps(A, GAPS, TODAY, source_assessment_id=7, engine=engine)
    tasks = {t["item_ref"]: t for t in out["tasks"]}
    assert set(tasks) == {"advanced:18", "advanced:5", "advanced:44"}  # 达标 / 不适用 are not gaps
    assert tasks["advanced:18"]["due_date"] == "2026-12-26"  # 不达标: 30 days
    assert tasks["advanced:5"]["due_date"] == "2027-01-25"  # 基本达标: 60 days
    assert tasks["advanced:44"]["due_date"] == "2027-02-24"  # others: 90 days
    assert tasks["advanced:18"]["owner_department"] == "关务部/法务"
    assert tasks["advanced:18"]["title"]["zh"].startswith("整改")
    assert tasks["advanced:18"]["evidence"]
    assert tasks["advanced:18"]["history"][0]["event"] == "created"
    assert out["plan"]["source_assessment_id"] == "7" and out["plan"]["status"] == "active"


def test_due_days_table():
    assert cs.due_days_for("不达标") == 30 and cs.due_days_for("fail") == 30
    assert cs.due_days_for("基本达标") == 60 and cs.due_days_for("partial") == 60
    assert cs.due_days_for("anything else") == 90


def test_progress_overdue_mark_done_and_edit_due(engine):
    cs.plan_from_gaps(A, GAPS, TODAY, engine=engine)
    p = cs.progress(A, TODAY, engine=engine)
    assert p["counts"] == {"done": 0, "open": 3, "overdue": 0, "total": 3}
    # the day after the 30-day due date the 不达标 task is overdue; on the due date it is not
    assert cs.progress(A, TODAY + dt.timedelta(days=30), engine=engine)["counts"]["overdue"] == 0
    later = cs.progress(A, TODAY + dt.timedelta(days=31), engine=engine)
    assert [t["item_ref"] for t in later["overdue"]] == ["advanced:18"]
    assert later["counts"]["open"] == 2
    # mark done by item ref
    done = cs.mark_done(A, "advanced:18", TODAY, note="制度已发布", engine=engine)
    assert done["status"] == "done" and done["done_at"] and done["history"][-1]["event"] == "done"
    after = cs.progress(A, TODAY + dt.timedelta(days=31), engine=engine)
    assert after["counts"]["overdue"] == 0 and after["counts"]["done"] == 1
    # mark done by id; edit due date
    tid = after["open"][0]["id"]
    moved = cs.edit_due(A, tid, "2027-06-30", note="需要更多时间", engine=engine)
    assert moved["due_date"] == "2027-06-30" and moved["history"][-1]["event"] == "due_changed"
    assert cs.mark_done(A, str(tid), TODAY, engine=engine)["status"] == "done"
    assert cs.reopen(A, tid, TODAY, engine=engine)["status"] == "open"
    assert cs.edit_task(A, tid, owner_department="财务部", engine=engine)["owner_department"] == "财务部"
    assert cs.mark_done(A, "advanced:999", engine=engine) is None


def test_new_plan_supersedes_old(engine):
    first = cs.plan_from_gaps(A, GAPS[:1], TODAY, engine=engine)
    second = cs.plan_from_gaps(A, GAPS[1:2], TODAY, engine=engine)
    plan = cs.get_plan(A, TODAY, engine=engine)
    assert plan["plan"]["id"] == second["plan"]["id"] != first["plan"]["id"]
    assert [t["item_ref"] for t in plan["tasks"]] == ["advanced:5"]


def test_isolation_between_enterprises(engine):
    a = cs.plan_from_gaps(A, GAPS, TODAY, engine=engine)
    a_task_id = a["tasks"][0]["id"]
    # B has no plan and cannot see or touch A's tasks through any function
    assert cs.get_plan(B, TODAY, engine=engine) is None
    assert cs.progress(B, TODAY, engine=engine)["counts"]["total"] == 0
    assert cs.mark_done(B, a_task_id, engine=engine) is None
    assert cs.mark_done(B, "advanced:18", engine=engine) is None
    assert cs.edit_due(B, a_task_id, "2030-01-01", engine=engine) is None
    assert cs.edit_task(B, a_task_id, evidence="x", engine=engine) is None
    assert cs.reopen(B, a_task_id, engine=engine) is None
    assert cs.record_reminder(B, [a_task_id], TODAY, engine=engine) == 0
    assert cs.has_consent(B, engine=engine) is False
    cs.grant_consent(A, engine=engine)
    assert cs.has_consent(B, engine=engine) is False
    assert cs.consent_history(B, engine=engine) == []
    # A's task is untouched
    t = cs.get_plan(A, TODAY, engine=engine)["tasks"]
    assert all(x["status"] == "open" for x in t) and all(x["enterprise_code"] == A for x in t)
    # B's own plan does not disturb A's
    cs.plan_from_gaps(B, GAPS[:1], TODAY, engine=engine)
    assert len(cs.get_plan(A, TODAY, engine=engine)["tasks"]) == 3
    assert len(cs.get_plan(B, TODAY, engine=engine)["tasks"]) == 1


def test_consent_grant_revoke(engine):
    assert cs.has_consent(A, engine=engine) is False
    g1 = cs.grant_consent(A, via="wechat", engine=engine)
    g2 = cs.grant_consent(A, engine=engine)  # idempotent while active
    assert g1["granted_at"] == g2["granted_at"] and cs.has_consent(A, engine=engine)
    assert cs.consenting_enterprises(engine=engine) == [A]
    assert cs.revoke_consent(A, engine=engine) is True
    assert cs.has_consent(A, engine=engine) is False and cs.revoke_consent(A, engine=engine) is False
    assert cs.consenting_enterprises(engine=engine) == []
    cs.grant_consent(A, engine=engine)
    hist = cs.consent_history(A, engine=engine)
    assert len(hist) == 2 and hist[0]["revoked_at"] and hist[1]["revoked_at"] is None


def test_consent_for_unknown_enterprise_creates_profile(engine):
    c = credit_code.generate(seed=3)
    cs.grant_consent(c, engine=engine)
    assert cs.has_consent(c, engine=engine)


def test_due_reminders_use_last_channel_and_are_logged(engine):
    cs.plan_from_gaps(A, GAPS, TODAY, engine=engine)
    cs.plan_from_gaps(B, GAPS[:1], TODAY + dt.timedelta(days=10), engine=engine)
    assert cs.due_reminders(TODAY, engine=engine) == []
    day = TODAY + dt.timedelta(days=28)  # A's 30-day task due in 2 days; B's due in 12
    rem = cs.due_reminders(day, within_days=3, engine=engine)
    assert len(rem) == 1 and rem[0]["enterprise_code"] == A
    assert rem[0]["channel"] == "wechat" and rem[0]["sender"] == "openid-a"
    assert [t["item_ref"] for t in rem[0]["tasks"]] == ["advanced:18"]
    assert cs.record_reminder(A, [t["id"] for t in rem[0]["tasks"]], day, channel="wechat", engine=engine) == 1
    assert cs.due_reminders(day, engine=engine) == []  # not twice on the same day
    later = TODAY + dt.timedelta(days=45)  # A's task overdue (day 30); B's overdue (day 40)
    codes = {r["enterprise_code"]: r for r in cs.due_reminders(later, engine=engine)}
    assert set(codes) == {A, B}
    assert codes[A]["tasks"][0]["overdue"] is True
    cs.mark_done(A, "advanced:18", engine=engine)
    assert [r["enterprise_code"] for r in cs.due_reminders(later, engine=engine)] == [B]


def test_bad_code_is_refused(engine):
    with pytest.raises(ValueError):
        cs.progress("", engine=engine)
    with pytest.raises(ValueError):
        cs.plan_from_gaps("X" * 19, GAPS, engine=engine)


def test_codes_are_normalised_and_checked_like_everywhere_else(engine):
    from core.assessment import store as assessment_store

    wrong_check = A[:17] + next(c for c in credit_code.CHARSET if c != A[17])
    for bad in (wrong_check, A[:17], "", None):
        with pytest.raises(credit_code.InvalidCreditCode):
            cs.get_plan(bad, engine=engine)
        with pytest.raises(credit_code.InvalidCreditCode):
            cs.grant_consent(bad, engine=engine)
        with pytest.raises(credit_code.InvalidCreditCode):
            assessment_store.history(bad, engine=engine)
    # Written with spaces, dashes, full-width or lower-case characters: the same enterprise.
    cs.grant_consent(A, engine=engine)
    messy = " " + A[:6].lower() + "-" + A[6:].translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert cs.has_consent(messy, engine=engine)
