"""The self-assessment conversation logic (no Rasa), on a real SQLite database."""

from __future__ import annotations

import re

import pytest

from core.assessment import flow
from core.assessment import store as assessment_store
from core.db import create_schema, get_engine
from core.enterprise import credit_code
from core.standards import catalogue as std_mod
from core.standards import scoring


@pytest.fixture(autouse=True)
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'flow.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("REPORTS_DIR", str(tmp_path / "reports"))
    create_schema(get_engine(url))
    yield url


def setup_flow(lang="zh", standard="高级认证企业", mode="完整评估", code=None):
    code = code or credit_code.generate(seed=11)
    state, reply = flow.start(lang)
    assert "74" in reply.text
    state, reply = flow.step(state, standard, lang)
    state, reply = flow.step(state, "示例贸易有限公司", lang)
    state, reply = flow.step(state, code, lang)
    keys = re.findall(r"[A-Z2-9]{4}-[A-Z2-9]{4}", reply.text)
    state["_key"] = keys[0] if keys else None
    state, reply = flow.step(state, "生产型", lang)
    if state["phase"] == "business_types":
        state, reply = flow.step(state, "都不涉及", lang)
    state, reply = flow.step(state, mode, lang)
    assert state["phase"] == "items"
    return state, reply, code


def current(state):
    return assessment_store.current_item(state["code"], state["assessment_id"])


def test_wrong_code_is_refused_with_reason_and_asked_again():
    state, _ = flow.start("zh")
    state, _ = flow.step(state, "高级", "zh")
    state, _ = flow.step(state, "某公司", "zh")
    good = credit_code.generate(seed=3)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    state, reply = flow.step(state, bad, "zh")
    assert state["phase"] == "code" and "无效" in reply.text
    state, reply = flow.step(state, good, "zh")
    assert state["phase"] == "production"


def test_full_74_items_scores_like_the_engine():
    state, reply, code = setup_flow()
    assert "内部控制 0/11" in reply.text
    answers = {}
    items = [i.number for i in std_mod.items("advanced")]
    for n in items:
        assert current(state) == n
        it = std_mod.item("advanced", n)
        verdict = (
            "符合"
            if it.additional and n == 70
            else ("不符合" if it.additional else ("基本达标" if n in (3, 30) else "达标"))
        )
        answers[n] = verdict
        state, reply = flow.step(state, verdict, "zh")
    assert state["phase"] == flow.DONE
    expected = scoring.score("advanced", answers)
    assert f"总分：{expected.total}" in reply.text
    assert ("达到通过条件" in reply.text) == expected.passed
    assert reply.links and reply.links[0]["url"].endswith(".pdf")


def test_pause_and_resume_by_code_from_another_conversation():
    state, _, code = setup_flow()
    state, _ = flow.step(state, "达标", "zh")
    state, _ = flow.step(state, "基本达标", "zh")
    state, reply = flow.step(state, "暂停", "zh")
    assert state["phase"] == flow.PAUSED and "2/74" in reply.text
    key = state["_key"]
    assert key, "the first assessment issues an access key"
    # A new conversation (another channel) resumes with the code and the key.
    other, reply = flow.start("en", resume=True)
    other, reply = flow.step(other, code, "en")
    assert other["phase"] == "access_key" and "2/74" not in reply.text
    other, reply = flow.step(other, "WRNG-KEYS", "en")
    assert other["phase"] == "access_key" and "not correct" in reply.text
    other, reply = flow.step(other, key.lower().replace("-", ""), "en")
    assert other["phase"] == "items" and "2/74" in reply.text
    assert current(other) == 3


def test_code_alone_does_not_open_another_enterprises_data():
    state, _, code = setup_flow()
    state, _ = flow.step(state, "达标", "zh")
    intruder, _ = flow.start("zh", resume=True)
    for guess in ("AAAA-AAAA", "BBBB-BBBB", "CCCC-CCCC"):
        if intruder["phase"] == "code":
            intruder, reply = flow.step(intruder, code, "zh")
        intruder, reply = flow.step(intruder, guess, "zh")
    assert intruder["phase"] == flow.PAUSED and "assessment_id" not in intruder


def test_back_change_skip_explain_and_not_applicable():
    state, _, _ = setup_flow()
    state, _ = flow.step(state, "达标", "zh")  # item 1
    state, reply = flow.step(state, "返回上一题", "zh")
    assert current(state) == 1
    state, _ = flow.step(state, "不达标", "zh")  # changes item 1
    assert assessment_store.get_answers(state["code"], state["assessment_id"])[1] == "不达标"
    state, reply = flow.step(state, "详细", "zh")
    assert "标准原文" in reply.text
    state, reply = flow.step(state, "不适用", "zh")  # item 2 has no 不适用 clause
    assert "不能回答" in reply.text
    state, reply = flow.step(state, "跳过", "zh")
    assert current(state) == 3
    state, reply = flow.step(state, "修改第1项 达标", "zh")
    assert assessment_store.get_answers(state["code"], state["assessment_id"])[1] == "达标"


def test_audit_opinion_and_solvency_are_worked_out():
    state, _, _ = setup_flow()
    for _ in range(11):
        state, _ = flow.step(state, "达标", "zh")
    assert current(state) == 12
    state, reply = flow.step(state, "保留意见", "zh")
    assert "基本达标" in reply.text
    assert current(state) == 13
    state, reply = flow.step(state, "计算", "zh")
    # Production enterprise: debt ratio 60% (≤85% met), cash ratio 0.02 (not met),
    # current ratio 1.6 (met): 2 of 4 met → 达标 by the item's own rule.
    figures = {
        "total_liabilities": "600万",
        "total_assets": "1000万",
        "cash": "10万",
        "trading_financial_assets": "不知道",
        "current_liabilities": "500万",
        "current_assets": "800万",
        "operating_cash_flow": "不知道",
    }
    asked = []
    while state.get("fin_item") == 13:
        asked.append(state["fin_field"])
        state, reply = flow.step(state, figures[state["fin_field"]], "zh")
    assert "已记录第13项：达标" in reply.text, reply.text
    store_detail = assessment_store.get_answers(state["code"], state["assessment_id"])
    assert store_detail[13] == "达标"
    assert current(state) == 14


def test_quick_check_and_english():
    state, reply, _ = setup_flow(lang="en", standard="certified", mode="quick")
    assert "Item" in reply.text
    n = len(std_mod.quick_check_items("certified"))
    for _ in range(n):
        state, reply = flow.step(state, "yes", "en")
    assert state["phase"] == flow.DONE and "Total: 100" in reply.text


def test_business_types_add_their_single_standards_after_the_general_ones():
    state, _ = flow.start("zh")
    for text in ("高级认证企业", "单项测试公司", credit_code.generate(seed=55), "生产型", "1", "完整评估"):
        state, reply = flow.step(state, text, "zh")
    assert state["business_types"] == [next(iter(std_mod.business_types()))]
    for it in std_mod.items("advanced"):
        state, reply = flow.step(state, "不符合" if it.additional else "达标", "zh")
    assert state["standard"] == "individual" and state["phase"] == "items"
    assert "总分：100" in reply.text and "单项标准（5项）" in reply.text
    for _ in range(5):
        state, reply = flow.step(state, "达标", "zh")
    assert state["phase"] == flow.DONE
    assert "通用标准达到通过条件，单项标准达到" in reply.text
