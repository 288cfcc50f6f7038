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
    other, reply = flow.step(other, "WRNG-KEY5", "en")
    assert other["phase"] == "access_key" and "not correct" in reply.text
    other, reply = flow.step(other, key.lower().replace("-", ""), "en")
    assert other["phase"] == "items" and "2/74" in reply.text
    assert current(other) == 3


def test_code_alone_does_not_open_another_enterprises_data():
    state, _, code = setup_flow()
    state, _ = flow.step(state, "达标", "zh")
    intruder, _ = flow.start("zh", resume=True)
    for guess in ("AAAA-AAA2", "BBBB-BBB2", "CCCC-CCC2"):
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
    state, reply = flow.step(state, "不适用", "zh")  # any general item may not apply: the reason is asked
    assert "说明原因" in reply.text and current(state) == 2
    state, reply = flow.step(state, "集团统一管理 本企业不设高管", "zh")
    assert "已记录第2项：不适用" in reply.text and "第3项" in reply.text
    rows = assessment_store.answer_rows(state["code"], state["assessment_id"])
    assert rows[2] == {**rows[2], "verdict": "不适用", "reason": "集团统一管理 本企业不设高管"}
    state, reply = flow.step(state, "跳过", "zh")
    assert current(state) == 4
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


def answer_button(reply, title):
    """The payload of the answer button titled ``title`` (it carries the item it belongs to)."""
    for b in reply.buttons:
        if b["title"] == title and b.get("kind") == "answer":
            return b["payload"]
    raise AssertionError(f"no answer button {title!r} in {[b['title'] for b in reply.buttons]}")


def test_answer_buttons_carry_their_item_and_look_different_from_navigation():
    state, reply, _ = setup_flow()
    tap = flow.parse_bound(answer_button(reply, "达标"))
    assert tap == flow.BoundAnswer(item=1, standard="advanced", answer="达标")
    kinds = {b["title"]: b["kind"] for b in reply.buttons}
    assert kinds["不适用"] == "answer" and kinds["详细"] == kinds["暂停"] == "nav"
    # the requirement in plain words, the official text behind 详细
    assert "要求：指定海关业务联系人" in reply.text and len(reply.text.split("要求：")[1].split("\n")[0]) <= 80
    assert flow.parse_bound('/answer_item{"item": "x"}') is None and flow.parse_bound("达标") is None


def test_double_tap_and_stale_buttons_never_record_the_wrong_item():
    state, reply, code = setup_flow()
    for _ in range(10):
        state, reply = flow.step(state, "达标", "zh")
    q11 = reply
    assert "第11项" in q11.text
    met11 = answer_button(q11, "基本达标")
    state, reply = flow.step(state, met11, "zh")  # item 11 recorded, item 12 open
    state, reply = flow.step(state, met11, "zh")  # the same tap again
    assert "重复的点击已忽略" in reply.text
    answers = assessment_store.get_answers(code, state["assessment_id"])
    assert answers[11] == "基本达标" and 12 not in answers
    for _ in range(10):
        state, reply = flow.step(state, "达标", "zh")
    assert current(state) == 22
    state, reply = flow.step(state, answer_button(q11, "不达标"), "zh")  # a button under item 11
    assert "第11项已经回答过，现在是第22项；要修改请说“修改第11项”" in reply.text
    answers = assessment_store.get_answers(code, state["assessment_id"])
    assert answers[11] == "基本达标" and 22 not in answers
    # a second device answers item 22 first: this conversation's tap for 22 is refused, not shifted to 23
    q22 = reply
    assessment_store.record_answer(code, state["assessment_id"], 22, "不达标", expected_item=22)
    state, reply = flow.step(state, answer_button(q22, "达标"), "zh")
    answers = assessment_store.get_answers(code, state["assessment_id"])
    assert answers[22] == "不达标" and 23 not in answers and "现在是第23项" in reply.text


def test_pause_then_resume_in_the_same_conversation_at_the_right_item():
    state, reply, code = setup_flow(standard="认证企业")
    for _ in range(4):
        state, reply = flow.step(state, "达标", "zh")
    state, reply = flow.step(state, "暂停", "zh")
    assert state["phase"] == flow.PAUSED
    kept = {k: state[k] for k in ("code", "name", "standard", "assessment_id", "phase", "bound_code")}
    state, reply = flow.step(kept, "继续上次的评估", "zh")
    assert state["phase"] == "items" and "已恢复" in reply.text and "第5项" in reply.text
    # setup questions are left for "继续上次的评估" too
    fresh, _ = flow.start("zh")
    fresh["bound_code"] = code
    fresh, reply = flow.step(fresh, "继续上次的评估", "zh")
    assert fresh["phase"] == "items" and "第5项" in reply.text and fresh["name"] == "示例贸易有限公司"
    for _ in range(58):
        fresh, reply = flow.step(fresh, "达标", "zh")
    assert fresh["phase"] == flow.DONE and "示例贸易有限公司" in reply.text


def test_setup_questions_can_be_left():
    state, _ = flow.start("zh")
    assert flow.can_leave(state, "我的培育进度") and flow.can_leave(state, "/show_progress")
    assert not flow.can_leave(state, "高级认证企业")
    state, _ = flow.step(state, "高级", "zh")
    assert not flow.can_leave(state, "上海宏达国际贸易有限公司") and not flow.can_leave(state, "Acme Trading Ltd")
    assert flow.can_leave(state, "你好")
    state, reply = flow.leave(state, "zh", quiet=True)
    assert state["phase"] == flow.PAUSED and reply.text == ""
    state, reply = flow.step({"phase": "mode", "standard": "advanced"}, "取消", "zh")
    assert state["phase"] == flow.PAUSED and "已退出" in reply.text


def test_62_items_with_additional_and_inapplicable_items_not_applicable_pass():
    state, reply, code = setup_flow(standard="认证企业", code=credit_code.generate(seed=77))
    answers = {}
    for it in std_mod.items("certified"):
        assert current(state) == it.number
        if it.additional or it.number in (45, 46):
            state, reply = flow.step(state, answer_button(reply, "不适用"), "zh")
            if not it.additional:
                state, reply = flow.step(state, "本企业没有自有运输工具", "zh")
            answers[it.number] = "不适用"
        else:
            state, reply = flow.step(state, answer_button(reply, "达标"), "zh")
            answers[it.number] = "达标"
    assert state["phase"] == flow.DONE
    expected = scoring.score("certified", answers)
    assert expected.passed and expected.total == 100
    assert "总分：100" in reply.text and "结论：达到通过条件" in reply.text
    assert "不适用项目（2项" in reply.text and "本企业没有自有运输工具" in reply.text


def test_quick_check_says_its_scope():
    state, reply, _ = setup_flow(standard="认证企业", mode="快速自查", code=credit_code.generate(seed=78))
    n = len(std_mod.quick_check_items("certified"))
    for _ in range(n):
        state, reply = flow.step(state, "达标", "zh")
    assert f"评估范围：快速自查 {n}/62项" in reply.text and "评了" in reply.text


def test_a_button_of_a_finished_assessment_records_nothing():
    state, reply, code = setup_flow(standard="认证企业", mode="快速自查", code=credit_code.generate(seed=79))
    first = answer_button(reply, "不达标")
    for _ in range(len(std_mod.quick_check_items("certified"))):
        state, reply = flow.step(state, "达标", "zh")
    assert state["phase"] == flow.DONE
    kept = {"phase": flow.DONE, "bound_code": code}
    state, reply = flow.step(kept, first, "zh")
    assert state["phase"] == flow.PAUSED and "没有记录" in reply.text
    done = assessment_store.history(code)[0]
    assert assessment_store.get_answers(code, done["id"])[flow.parse_bound(first).item] == "达标"
