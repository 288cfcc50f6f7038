"""Plans, progress, consent and the access rule behind them (no Rasa)."""

from __future__ import annotations

import pytest

from core.assessment import store as assessment_store
from core.cultivation import flow as cf
from core.db import create_schema, get_engine
from core.enterprise import access as enterprise_access
from core.enterprise import credit_code


@pytest.fixture(autouse=True)
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    create_schema(get_engine(url))


def completed_assessment(code: str) -> dict:
    st = assessment_store.start_or_resume(code, "甲公司", "certified", mode="quick")
    for n in assessment_store.scope_items("certified", "quick"):
        verdict = "不达标" if n == 11 else ("基本达标" if n == 1 else "达标")
        assessment_store.record_answer(code, st["id"], n, verdict)
    return assessment_store.complete(code, st["id"])


def test_plan_progress_and_done():
    code = credit_code.generate(seed=21)
    assert "还没有已完成" in cf.create_plan(code, "zh").text
    result = completed_assessment(code)
    assert result["gaps"]
    text = cf.create_plan(code, "zh").text
    assert "培育计划" in text and "第11项" in text
    number = result["gaps"][0]["item"]
    done = cf.update_task(code, f"第{number}项已完成", "zh").text
    assert f"已标记第{number}项" in done and "已完成1项" in done
    assert "没有第99项" in cf.update_task(code, "第99项完成", "zh").text


def test_overdue_tasks_are_shown(monkeypatch):
    import datetime as dt

    code = credit_code.generate(seed=22)
    completed_assessment(code)
    cf.create_plan(code, "en", today=dt.date(2026, 1, 1))
    text = cf.show_progress(code, "en", today=dt.date(2026, 6, 1)).text
    assert "overdue" in text and "0 open" in text


def test_authorise_needs_key_for_another_enterprise():
    a, b = credit_code.generate(seed=31), credit_code.generate(seed=32)
    key_a = enterprise_access.issue_key(a, "A")
    enterprise_access.issue_key(b, "B")
    # bound to B, asking with A's code only: refused
    assert cf.authorise(f"看看{a}的进度", bound_code=b).code is None
    wrong = cf.authorise(f"{a} WR2N-GKEY", bound_code=b, sender="s-31")
    assert wrong.code is None and wrong.refusal.reason == "wrong"
    # with A's key: allowed, and the conversation is to be bound
    ok = cf.authorise(f"{a} {key_a}", bound_code=b, sender="s-31")
    assert ok.code == a and ok.granted
    # no code in the message: the bound enterprise, nothing new granted
    assert cf.authorise("我的培育进度", bound_code=b) == cf.Authorisation(b)


def test_consent_and_level():
    code = credit_code.generate(seed=41)
    enterprise_access.issue_key(code, "甲")
    assert "已记录您的同意" in cf.share_consent(code, "zh").text
    assert "已撤回" in cf.share_consent(code, "zh", grant=False).text
    assert "credit.customs.gov.cn" in cf.my_level(code, "zh").text
    assert cf.find_code("代码 " + code) == code and cf.find_code("no code here") is None


def test_due_date_change_and_reopen_from_the_sentence():
    import datetime as dt

    code = credit_code.generate(seed=23)
    result = completed_assessment(code)
    today = dt.date(2026, 12, 1)
    cf.create_plan(code, "zh", today=today)
    number = result["gaps"][0]["item"]
    text = cf.update_task(code, f"第{number}项延期到2027-03-31", "zh", today=today).text
    assert f"已将第{number}项的期限改为2027-03-31" in text and "截止2027-03-31" in text
    text = cf.update_task(code, f"item {number} postpone to 2027年4月30日", "en", today=today).text
    assert f"Item {number} is now due 2027-04-30" in text and "due 2027-04-30" in text
    # The date's digits are not taken for the item number; bad and past dates are refused plainly.
    assert "不存在" in cf.update_task(code, f"第{number}项延期到2027-02-30", "zh", today=today).text
    assert "已经过去" in cf.update_task(code, f"第{number}项延期到2026-01-01", "zh", today=today).text
    assert "没有第99项" in cf.update_task(code, "第99项延期到2027-03-31", "zh", today=today).text
    assert "已完成1项" in cf.update_task(code, f"第{number}项已完成", "zh", today=today).text
    text = cf.update_task(code, f"第{number}项还没完成，重新打开", "zh", today=today).text
    assert f"已将第{number}项改回进行中" in text and "已完成0项" in text


def test_plan_tasks_have_english_titles_from_the_standard():
    from core.cultivation import store as cs

    code = credit_code.generate(seed=23)
    completed_assessment(code)
    cf.create_plan(code, "en")
    titles = {t["item_ref"]: t["title"] for t in cs.get_plan(code)["tasks"]}
    assert titles["certified:11"] == {
        "zh": "整改：财务状况-审计报告",
        "en": "Remediate certified:11: Financial status – audit report",
    }
