"""Self-assessment, diagnosis, plans and privacy through the REST channel
against the trained model and the real action server."""

from __future__ import annotations

import re
import uuid

import pytest

from core.enterprise import credit_code
from core.standards import catalogue as std_mod
from core.standards import scoring
from tests.conftest import reply_buttons, reply_text

pytestmark = pytest.mark.assistant


def new_sender() -> str:
    return f"t-{uuid.uuid4().hex[:10]}"


def start(assistant, sender: str, code: str, mode="完整评估", standard="高级认证企业") -> tuple[str, str]:
    out = reply_text(assistant.say("我想做AEO自评", sender))
    assert "74" in out and "62" in out
    assistant.say(standard, sender)
    assistant.say("示例贸易有限公司（测试）", sender)
    out = reply_text(assistant.say(code, sender))
    key = re.findall(r"[A-Z2-9]{4}-[A-Z2-9]{4}", out)
    assistant.say("生产型", sender)
    if standard == "高级认证企业":
        assistant.say("都不涉及", sender)
    out = reply_text(assistant.say(mode, sender))
    return out, (key[0] if key else "")


def tap(messages: list, title: str) -> str:
    """The payload of the answer button ``title`` (it carries its item and standard)."""
    for b in reply_buttons(messages):
        if b.get("title") == title and b.get("payload", "").startswith("/answer_item"):
            return b["payload"]
    raise AssertionError(f"no answer button {title!r}: {reply_buttons(messages)}")


def walk(a, sender: str, first: list, standard: str, not_applicable: dict, done=()) -> tuple[dict, list]:
    """Answer every item of ``standard`` (but ``done``) by its buttons: additional items and
    ``not_applicable`` ({item: reason}) 不适用, items 5 and 40 基本达标, the rest 达标."""
    answers, msgs = {}, first
    for it in std_mod.items(standard):
        if it.number in done:
            continue
        assert f"第{it.number}项：" in reply_text(msgs), (it.number, reply_text(msgs)[:300])
        if it.additional or it.number in not_applicable:
            msgs = a.say(tap(msgs, "不适用"), sender)
            if it.number in not_applicable:
                assert "说明原因" in reply_text(msgs)
                msgs = a.say(not_applicable[it.number], sender)
            answers[it.number] = "不适用"
        else:
            verdict = "基本达标" if it.number in (5, 40) else "达标"
            msgs = a.say(tap(msgs, verdict), sender)
            answers[it.number] = verdict
    return answers, msgs


def test_full_74_item_assessment_with_not_applicable_items_ends_in_the_right_score(running_assistant):
    a, sender = running_assistant, new_sender()
    code = credit_code.generate(seed=101)
    out, key = start(a, sender, code)
    assert "第1项" in out and "内部控制 0/11" in out and "要求：" in out
    first = a.say("详细", sender)  # the official text behind 详细, then the same item again
    assert "标准原文" in reply_text(first)
    answers, messages = walk(a, sender, first, "advanced", {62: "企业没有自有运输车辆", 59: "不涉及木质包装"})
    out = reply_text(messages)
    expected = scoring.score("advanced", answers)
    assert expected.passed and expected.total == 98
    assert f"总分：{expected.total}" in out and "结论：达到通过条件" in out
    assert "企业没有自有运输车辆" in out and "示例贸易有限公司" in out
    assert "评分规则" in out and ".pdf" in out
    links = [m["custom"]["data"] for m in messages if "custom" in m]
    assert links and links[0]["type"] == "link" and links[0]["url"].endswith(".pdf")
    links = [m["custom"]["data"] for m in messages if "custom" in m]
    assert links and links[0]["type"] == "link" and links[0]["url"].endswith(".pdf")


def test_62_item_assessment_through_rest(running_assistant):
    a, sender = running_assistant, new_sender()
    code = credit_code.generate(seed=104)
    out, _ = start(a, sender, code, standard="认证企业")
    first = a.say("达标", sender)  # item 1 typed, then the buttons
    answers, messages = walk(a, sender, first, "certified", {52: "没有自有运输工具"}, done={1})
    out = reply_text(messages)
    expected = scoring.score("certified", {**answers, 1: "达标"})
    assert f"总分：{expected.total}" in out and ("结论：达到通过条件" in out) == expected.passed
    assert expected.passed and "没有自有运输工具" in out


def test_stale_and_repeated_taps_and_pause_resume(running_assistant):
    a, sender = running_assistant, new_sender()
    code = credit_code.generate(seed=105)
    out, key = start(a, sender, code, standard="认证企业")
    q2 = a.say("达标", sender)  # item 1; item 2 now open
    a.say(tap(q2, "达标"), sender)  # item 2
    out = reply_text(a.say(tap(q2, "达标"), sender))  # double tap
    assert "重复的点击已忽略" in out
    out = reply_text(a.say(tap(q2, "不达标"), sender))  # a stale button of item 2
    assert "第2项已经回答过，现在是第3项；要修改请说“修改第2项”" in out
    out = reply_text(a.say("暂停", sender))
    assert "已暂停" in out and "2/62" in out
    out = reply_text(a.say("继续上次的评估", sender))
    assert "已恢复" in out and "第3项：" in out
    # leaving the setup questions for top-level requests, the kiosk buttons and 取消
    other = new_sender()
    reply_text(a.say("我想做AEO自评", other))
    out = reply_text(a.say("我的培育进度", other))
    assert "没听懂" not in out and "统一社会信用代码" in out
    reply_text(a.say("/start_assessment", other))
    out = reply_text(a.say("你好", other))
    assert "没听懂" not in out
    reply_text(a.say("/start_assessment", other))
    out = reply_text(a.say("取消", other))
    assert "已退出" in out
    # a new device opens the progress with "CODE KEY" in one message
    device = new_sender()
    out = reply_text(a.say(f"{code} {key}", device))
    assert "自我评估进行中：已答2/62项" in out, out
    out = reply_text(a.say("继续上次的评估", device))
    assert "已恢复" in out and "第3项：" in out


def test_language_does_not_switch_on_keys_or_english_names(running_assistant):
    a, sender = running_assistant, new_sender()
    reply_text(a.say("我想做AEO自评", sender))
    a.say("认证企业", sender)
    out = reply_text(a.say("Acme Trading Ltd", sender))
    assert "统一社会信用代码" in out
    out = reply_text(a.say("ok", sender))
    assert "代码无效" in out or "统一社会信用代码" in out


def test_pause_restart_rasa_and_resume_elsewhere(running_assistant):
    a, sender = running_assistant, new_sender()
    code = credit_code.generate(seed=102)
    out, key = start(a, sender, code, mode="快速自查", standard="认证企业")
    assert key
    first = re.search(r"第(\d+)项", out).group(1)
    out = reply_text(a.say("达标", sender))
    second = re.findall(r"第(\d+)项：", out)[-1]  # the question now asked
    out = reply_text(a.say("暂停", sender))
    assert "已暂停" in out and "1/" in out
    a.restart(["rasa"])
    # Another channel / device: needs the code and the access key.
    other = new_sender()
    reply_text(a.say("继续上次的评估", other))
    out = reply_text(a.say(code, other))
    assert "访问码" in out
    out = reply_text(a.say(key, other))
    assert "已恢复" in out and f"第{second}项" in out and first != second


def test_diagnosis_from_one_sentence_with_citation(running_assistant):
    a, sender = running_assistant, new_sender()
    out = reply_text(a.say("我们去年被海关罚了4次，一共罚了12万，会影响高级认证吗", sender))
    for _ in range(8):
        # The full verdict ("逐条依据"), or the clauses the question's facts touch, answered at once.
        if "逐条依据" in out or "直接对照相关条款" in out:
            break
        out = reply_text(a.say("就这些", sender))
    assert "第(19)项" in out and "不符合" in out and "阻止高级认证" in out
    out = reply_text(a.say("如果只罚了2次，一共3万呢", sender))
    assert "假设" in out and "→" in out


def test_plan_from_gaps_progress_and_isolation(running_assistant):
    a, sender = running_assistant, new_sender()
    code = credit_code.generate(seed=103)
    out, key = start(a, sender, code, mode="快速自查", standard="认证企业")
    n = len(std_mod.quick_check_items("certified"))
    for i in range(n):
        out = reply_text(a.say("不达标" if i == 0 else "达标", sender))
    assert "总分" in out
    out = reply_text(a.say("/create_plan", sender))
    assert "培育计划" in out
    item = re.search(r"第(\d+)项", out.split("任务：")[1]).group(1)
    out = reply_text(a.say(f"第{item}项已完成", sender))
    assert f"已标记第{item}项" in out
    out = reply_text(a.say("我的培育进度", sender))
    assert "已完成1项" in out
    # The due date the plan offers to change can be changed in the conversation.
    out = reply_text(a.say(f"第{item}项延期到2099-03-31", sender))
    assert f"已将第{item}项的期限改为2099-03-31" in out and "截止2099-03-31" in out
    # A second enterprise's conversation cannot read the first one's plan.
    intruder = new_sender()
    out = reply_text(a.say(f"我的培育进度 {code}", intruder))
    assert "已完成" not in out and "访问码" in out
    out = reply_text(a.say(f"我的培育进度 {code} ABCD-EFGH", intruder))
    assert "已完成" not in out
    # ... and the owner with the key, from another device, can.
    out = reply_text(a.say(f"我的培育进度 {code} {key}", new_sender()))
    assert "已完成1项" in out


def test_mra_partner_lookup(running_assistant):
    out = reply_text(running_assistant.say("出口到新加坡能享受AEO互认吗"))
    assert "新加坡" in out and "是的" in out and "AEOCN" in out
    out = reply_text(running_assistant.say("Is Japan an AEO mutual recognition partner?"))
    assert "Japan" in out and "Yes" in out


def test_unsure_question_offers_topics_as_buttons(running_assistant):
    out = running_assistant.say("认证")
    assert reply_buttons(out) or "来源" in reply_text(out)


def test_officer_sees_only_consenting_enterprise(running_assistant):
    import urllib.error
    import urllib.request

    a = running_assistant
    shared, private = new_sender(), new_sender()
    code_shared, code_private = credit_code.generate(seed=201), credit_code.generate(seed=202)
    n = len(std_mod.quick_check_items("certified"))
    for sender, code in ((shared, code_shared), (private, code_private)):
        start(a, sender, code, mode="快速自查", standard="认证企业")
        for i in range(n):
            a.say("不达标" if i == 0 else "达标", sender)
        assert "培育计划" in reply_text(a.say("/create_plan", sender))
    out = reply_text(a.say("同意把我们的评估结果共享给海关", shared))
    assert "已记录您的同意" in out

    def get(path: str, token: str | None):
        req = urllib.request.Request(a.gateway_url + path)
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, resp.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, ""

    status, _ = get("/officer", None)
    assert status == 401
    status, _ = get("/officer", "wrong-token")
    assert status == 401
    status, page = get("/officer", "test-officer-token")
    assert status == 200 and code_shared in page and code_private not in page
    status, csv_text = get("/officer/export.csv", "test-officer-token")
    assert status == 200 and code_shared in csv_text and code_private not in csv_text
