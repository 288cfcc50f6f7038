"""Custom actions with rasa-sdk trackers against a real (SQLite) database."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import customs, policy
from core.db import get_engine
from core.knowledge import search as kb_module
from core.knowledge.loader import load_knowledge

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module", autouse=True)
def knowledge_db(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('kb') / 'kb.db'}"
    load_knowledge(engine=get_engine(url))
    old = kb_module._default_cache
    kb_module._default_cache = kb_module.KnowledgeCache(get_engine(url))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DATABASE_URL", url)  # the answer log and cases go to the same test database
        yield url
    kb_module._default_cache = old


def tracker(text: str, intent: str, entities=None, slots=None, ranking=None) -> Tracker:
    data = json.loads((DATA / "tracker_policy_question.json").read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    data["latest_message"].update(
        {
            "text": text,
            "intent": {"name": intent, "confidence": 0.9},
            "intent_ranking": ranking or [{"name": intent, "confidence": 0.9}],
            "entities": entities or [],
        }
    )
    data["events"][-1]["text"] = text
    data["slots"].update(slots or {})
    return Tracker.from_dict(data)


async def run(action, t: Tracker):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, t, {})
    return dispatcher.messages, events


async def test_policy_answer_has_citation_and_language():
    messages, events = await run(
        policy.ActionAnswerPolicy(), tracker("现在海关企业信用分几个等级？", "ask_credit_levels")
    )
    text = messages[0]["text"]
    assert "来源：" in text and "282" in text
    assert SlotSet("language", "zh") in events


async def test_english_question_gets_english_answer():
    messages, events = await run(
        policy.ActionAnswerPolicy(), tracker("how many credit levels are there now", "ask_credit_levels")
    )
    assert "Source: " in messages[0]["text"]
    assert SlotSet("language", "en") in events


async def test_old_rule_question_gets_superseded_entry_with_caveat():
    messages, _ = await run(
        policy.ActionAnswerPolicy(), tracker("原来251号令规定什么情况算失信企业", "ask_dishonest_criteria")
    )
    text = messages[0]["text"]
    assert "251" in text and "已废止" in text


async def test_item_by_number_from_entity_and_text():
    t = tracker("高认标准第18项是什么", "ask_standard_item", entities=[{"entity": "item_number", "value": "第18项"}])
    messages, _ = await run(policy.ActionStandardItem(), t)
    text = messages[0]["text"]
    assert "第18项" in text and "标准原文" in text and "来源：" in text
    messages, _ = await run(
        policy.ActionStandardItem(), tracker("item 999 of the advanced standard", "ask_standard_item")
    )
    assert "no item 999" in messages[0]["text"].lower()


async def test_mra_partner_yes_no_and_member_state():
    messages, _ = await run(
        policy.ActionMraPartner(),
        tracker("和新加坡有互认吗", "ask_mra_partner", [{"entity": "economy", "value": "新加坡"}]),
    )
    assert messages[0]["text"].startswith("是的")
    assert "AEOCN + 企业在海关的10位注册编码" in messages[0]["text"] and "digit" not in messages[0]["text"]
    messages, _ = await run(
        policy.ActionMraPartner(),
        tracker("is Germany an AEO partner", "ask_mra_partner", [{"entity": "economy", "value": "德国"}]),
    )
    assert "Yes" in messages[0]["text"] and "European Union" in messages[0]["text"]
    messages, _ = await run(
        policy.ActionMraPartner(),
        tracker("跟美国有AEO互认吗", "ask_mra_partner", [{"entity": "economy", "value": "美国"}]),
    )
    assert "没有" in messages[0]["text"] or "不能确认" in messages[0]["text"]


@pytest.mark.parametrize(
    "name, lang, expected, absent",
    [
        ("布隆迪", "zh", ["是的", "签署于2024-05-09", "尚未见到实施公告"], ["起实施"]),
        ("冰岛", "zh", ["是的", "签署于2024-05-09"], ["可能已"]),
        ("乌干达", "zh", ["签署于2021-05-25", "2023-06-01起实施", "公告2023年第45号", "高级认证企业"], []),
        ("Uruguay", "en", ["Yes", "signed 2019-04", "in effect since 2022-01-26", "2022年第6号"], ["may have"]),
        ("哥斯达黎加", "zh", ["是的", "2023-07-01起实施", "单一来源"], []),
        ("蒙古", "zh", ["是的", "2025-06-01起实施"], ["2026-06-01"]),
    ],
)
async def test_mra_partner_dates_and_level_recognised(name, lang, expected, absent):
    text = f"{name}是AEO互认伙伴吗" if lang == "zh" else f"is {name} an AEO partner"
    messages, _ = await run(
        policy.ActionMraPartner(), tracker(text, "ask_mra_partner", [{"entity": "economy", "value": name}])
    )
    reply = messages[0]["text"]
    for part in expected:
        assert part in reply, (part, reply)
    for part in absent:
        assert part not in reply, (part, reply)
    # Every partner answer says what is known about the new 认证企业 level abroad, and that
    # signed is not the same as implemented.
    assert ("认证企业" in reply and "无法确认" in reply) or (
        "Certified Enterprise" in reply and "cannot be confirmed" in reply
    )
    assert "52" in reply


@pytest.mark.parametrize("intent", ["ask_my_level", "ask_credit_query", "nlu_fallback"])
async def test_lookup_with_an_invalid_code_says_why(intent):
    from actions import cultivation as cultivation_actions

    text = "帮我查一下统一社会信用代码91350100M000100Y44的信用等级"
    action = (
        cultivation_actions.ActionMyLevel()
        if intent == "ask_my_level"
        else (policy.ActionAnswerPolicy() if intent == "ask_credit_query" else policy.ActionFallbackSearch())
    )
    messages, _ = await run(action, tracker(text, intent))
    reply = messages[0]["text"]
    assert "校验位不正确" in reply and "最后一位应为3" in reply, reply


async def test_fallback_detail_question_is_searched_not_guessed():
    ranking = [{"name": "ask_credit_levels", "confidence": 0.3}, {"name": "ask_credit_repair", "confidence": 0.2}]
    messages, _ = await run(
        policy.ActionFallbackSearch(), tracker("xyzzy 完全无关 qwerty", "nlu_fallback", ranking=ranking)
    )
    msg = messages[0]
    assert msg.get("buttons") or "答不上来" in msg["text"]


@pytest.mark.parametrize("text", ["", "😀😀😀", "<script>alert(1)</script>", "'; DROP TABLE kb_entry;--", "a" * 20000])
async def test_bad_input_gets_a_polite_reply(text):
    for action in (policy.ActionFallbackSearch(), policy.ActionSmalltalk()):
        messages, _ = await run(action, tracker(text, "out_of_scope"))
        assert messages and messages[0]["text"]
        assert "Traceback" not in messages[0]["text"]


async def test_handoff_gives_routes_and_summary():
    t = tracker("转人工", "human_handoff")
    messages, _ = await run(customs.ActionHandoff(), t)
    assert "12360" in messages[0]["text"] and "摘要" in messages[0]["text"]


def test_one_sender_sends_text_buttons_then_links():
    from actions.common import send
    from core.replies import Reply, link

    dispatcher = CollectingDispatcher()
    send(
        dispatcher,
        Reply("完成", [{"title": "生成培育计划", "payload": "/create_plan"}], links=[link("http://g/r.pdf", "PDF")]),
    )
    send(dispatcher, None)
    assert [m.get("text") for m in dispatcher.messages] == ["完成", None]
    assert dispatcher.messages[0]["buttons"] == [{"title": "生成培育计划", "payload": "/create_plan"}]
    # Wrapped in "data": Rasa 3.6's socket.io channel cannot emit a bare dict.
    assert dispatcher.messages[1]["custom"] == {"data": {"type": "link", "url": "http://g/r.pdf", "title": "PDF"}}


async def test_diagnosis_form_keeps_typed_state_between_actions():
    from actions import cultivation
    from core.diagnosis.flow import DiagnosisState
    from core.replies import load_state

    messages, events = await run(cultivation.ActionAskDiagnosisInput(), tracker("诊断一下信用风险", "diagnose_credit"))
    assert "一句话" in messages[0]["text"] and messages[0]["buttons"]
    slot = next(e["value"] for e in events if e.get("name") == "diagnosis_state")
    result = await cultivation.ValidateDiagnosisForm().validate_diagnosis_input(
        "去年罚了4次，共12万",
        CollectingDispatcher(),
        tracker("去年罚了4次，共12万", "inform", slots={"diagnosis_state": slot}),
        {},
    )
    state = load_state(result["diagnosis_state"], DiagnosisState)
    assert state.facts["penalties_count_last_year"] == 4 and state.pending is not None
    assert result["diagnosis_input"] is None
    messages, events = await run(
        cultivation.ActionAskDiagnosisInput(), tracker("去年罚了4次，共12万", "inform", slots=result)
    )
    assert messages[0]["text"] == state.pending.text
    slot = next(e["value"] for e in events if e.get("name") == "diagnosis_state")
    assert load_state(slot, DiagnosisState).pending is None
    # "That's all": the verdict is kept for the after-action, which keeps only the facts.
    result = await cultivation.ValidateDiagnosisForm().validate_diagnosis_input(
        "就这些", CollectingDispatcher(), tracker("就这些", "inform", slots={"diagnosis_state": slot}), {}
    )
    assert result["diagnosis_input"] == cultivation.END
    messages, events = await run(cultivation.ActionDiagnosisAfter(), tracker("就这些", "inform", slots=result))
    assert "逐条依据" in messages[0]["text"]
    kept = load_state(next(e["value"] for e in events if e.get("name") == "diagnosis_state"), DiagnosisState)
    assert kept.done and kept.facts["penalties_count_last_year"] == 4 and kept.pending is None


async def test_a_rule_question_with_no_figures_leaves_the_diagnosis_form_at_once():
    """ "去年帮我们报关的一家报关行后来被认定成失信企业了，会不会拖累我们申请？" (read as a diagnosis
    request) states no figure the form reads: it is answered from the clause on entrusting a dishonest
    broker and the form is left, not opened with "过去1年内，企业被海关行政处罚了几次？"."""
    from actions import cultivation

    first = "去年帮我们报关的一家报关行后来被认定成失信企业了，会不会拖累我们申请？"
    messages, events = await run(cultivation.ActionAskDiagnosisInput(), tracker(first, "diagnose_credit"))
    text = "".join(m.get("text") or "" for m in messages)
    assert "委托" in text and "报关企业" in text and "来源" in text, messages
    assert "处罚了几次" not in text
    assert any(e.get("event") == "active_loop" and e.get("name") is None for e in events)
    assert any(e.get("name") == policy.CONTEXT_SLOT and e.get("value") for e in events)
    # a request for the diagnosis itself still opens the form
    messages, _ = await run(cultivation.ActionAskDiagnosisInput(), tracker("能帮我们看看信用风险吗", "diagnose_credit"))
    assert "一句话" in messages[0]["text"], messages


async def test_setup_questions_are_left_for_a_top_level_request_and_it_is_answered(tmp_path, monkeypatch):
    """“你好” during the setup questions: the form ends and the greeting is answered at once (by
    action_assessment_after, not a FollowupAction the rules could not continue)."""
    from actions import assessment as aa
    from core.db import create_schema
    from core.replies import dump_state

    url = f"sqlite:///{tmp_path / 'a.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    create_schema(get_engine(url))
    validate = aa.ValidateAssessmentForm()
    t = tracker("你好", "greet", slots={"assessment_state": dump_state({"phase": "standard", "lang": "zh"})})
    out = await validate.validate_assessment_input("你好", CollectingDispatcher(), t, {})
    assert out["assessment_input"] == aa.END
    after = tracker("你好", "greet", slots={"assessment_state": out["assessment_state"]})
    messages, events = await run(aa.ActionAssessmentAfter(), after)
    assert messages and "您好" in messages[0]["text"]
    # an answer to the setup question is no top-level request, whatever the model guessed
    t = tracker("认证企业", "greet", slots={"assessment_state": dump_state({"phase": "standard", "lang": "zh"})})
    out = await validate.validate_assessment_input("认证企业", CollectingDispatcher(), t, {})
    assert out["assessment_input"] is None and '"phase": "name"' in out["assessment_state"]


async def test_an_action_that_fails_answers_politely_through_the_sender(monkeypatch):
    def broken(*_a, **_k):
        raise RuntimeError("database down")

    monkeypatch.setattr(policy.answers, "answer_partner", broken)
    messages, events = await run(policy.ActionMraPartner(), tracker("日本是互认国家吗", "ask_mra_partner"))
    assert events == [] and len(messages) == 1
    assert "系统暂时出了点问题" in messages[0]["text"] and "12360" in messages[0]["text"]


def _with_history(t: Tracker, *turns: tuple) -> Tracker:
    data = t.current_state()
    events = [{"event": "user" if who == "user" else "bot", "text": text} for who, text in turns]
    data["events"] = events + data["events"]
    return Tracker.from_dict(data)


async def test_answer_is_logged_and_rated_only_by_its_conversation():
    from core.feedback import store as fb

    t = tracker("现在海关企业信用分几个等级？", "ask_credit_levels")
    messages, _ = await run(policy.ActionAnswerPolicy(), t)
    prompt = messages[-1]["custom"]["data"]
    assert prompt["type"] == "feedback" and [b["title"] for b in prompt["buttons"]] == ["有帮助", "没帮助"]
    answer_id = prompt["answer_id"]
    logged = fb.get_answer(answer_id, "fixture-user")
    assert (
        logged["question"] == "现在海关企业信用分几个等级？" and logged["entry_ids"] and logged["outcome"] == "answer"
    )
    assert logged["enterprise_code"] is None  # not bound: no enterprise data
    # 没帮助 from the button: the reasons and 请人工解答 are offered
    down = [{"entity": "answer_id", "value": answer_id}, {"entity": "rating", "value": "down"}]
    messages, _ = await run(customs.ActionFeedback(), tracker("/feedback", "feedback", entities=down))
    titles = [b["title"] for b in messages[0]["buttons"]]
    assert titles == ["答非所问", "信息过时", "看不懂", "其他", "请人工解答"]
    reason = [{"entity": "answer_id", "value": answer_id}, {"entity": "reason", "value": "outdated"}]
    messages, _ = await run(customs.ActionFeedback(), tracker("/feedback", "feedback", entities=reason))
    assert "已记录" in messages[0]["text"]
    assert fb.get_answer(answer_id, "fixture-user")["reason"] == "outdated"
    # another conversation replaying the payload records nothing
    other = tracker(
        "/feedback",
        "feedback",
        entities=[{"entity": "answer_id", "value": answer_id}, {"entity": "rating", "value": "up"}],
    )
    other.sender_id = "someone-else"
    messages, _ = await run(customs.ActionFeedback(), other)
    assert "没有记录" in messages[0]["text"]
    assert fb.get_answer(answer_id, "fixture-user")["rating"] == "down"


async def test_handoff_opens_a_case_with_the_question_and_turns():
    from core.cases import store as cases

    t = _with_history(
        tracker("转人工", "human_handoff"),
        ("user", "货物被海关查验后多久能放行"),
        ("bot", "抱歉，这超出了我的服务范围"),
    )
    t.latest_message["metadata"] = {"channel": "web"}
    messages, _ = await run(customs.ActionHandoff(), t)
    text = messages[0]["text"]
    number = messages[1]["custom"]["data"]["number"]
    assert number in text and "案件编号" in text and "/case/" in text and "北京时间" in text
    case = next(c for c in cases.list_cases("open") if c["number"] == number)
    assert case["question"] == "货物被海关查验后多久能放行" and case["channel"] == "web"
    assert [x["text"] for x in case["transcript"]][:2] == ["货物被海关查验后多久能放行", "抱歉，这超出了我的服务范围"]
    assert case["enterprise_code"] is None


async def test_a_forged_enterprise_slot_puts_no_enterprise_into_a_case():
    """The case names an enterprise only when the server bound this conversation to it and it
    consented; an `enterprise_code` slot naming a consenting enterprise is not believed."""
    from core.cases import store as cases
    from core.cultivation import store as cultivation
    from core.enterprise import binding, credit_code
    from core.enterprise.access import issue_key

    code = credit_code.generate(seed=4242)
    issue_key(code, "甲公司（测试）")
    cultivation.grant_consent(code, via="test")
    forged = _with_history(
        tracker("转人工", "human_handoff", slots={"enterprise_code": code, "enterprise_name": "甲公司（测试）"}),
        ("user", "我们的评估结果能给海关看吗"),
    )
    forged.sender_id = "attacker-sender"
    messages, _ = await run(customs.ActionHandoff(), forged)
    number = messages[1]["custom"]["data"]["number"]
    case = next(c for c in cases.list_cases("open") if c["number"] == number)
    assert case["enterprise_code"] is None
    # the same request from a conversation the server bound to the enterprise names it
    binding.bind("owner-sender", code, "rest")
    owner = _with_history(tracker("转人工", "human_handoff"), ("user", "我们的评估结果能给海关看吗"))
    owner.sender_id = "owner-sender"
    messages, _ = await run(customs.ActionHandoff(), owner)
    number = messages[1]["custom"]["data"]["number"]
    case = next(c for c in cases.list_cases("open") if c["number"] == number)
    assert case["enterprise_code"] == code


async def test_a_typed_show_entry_line_is_answered_in_the_conversation():
    # "那以前是怎么规定的" reads like the "see the former rule" button, but it is typed and names
    # no entry: the conversation says what it asks about, not the out-of-scope reply.
    from core.knowledge.context import Context

    ctx = Context(
        q="what gets a company classed as dishonest under Decree 282?", kind="topic", topic="dishonest_criteria"
    )
    t = tracker("那以前是怎么规定的", "show_entry", slots={policy.CONTEXT_SLOT: ctx.dump()})
    messages, _ = await run(policy.ActionShowEntry(), t)
    text = messages[0]["text"]
    assert "251" in text and "来源" in text, text
    # The button itself still shows its entry.
    button = tracker(
        '/show_entry{"entry_id": "decree251.basics"}',
        "show_entry",
        entities=[{"entity": "entry_id", "value": "decree251.basics"}],
    )
    messages, _ = await run(policy.ActionShowEntry(), button)
    assert "251" in messages[0]["text"]


async def test_typed_item_guidance_without_a_number_is_for_the_item_in_the_conversation():
    from core.knowledge.context import Context

    ctx = Context(q="认证企业标准第20项是什么", kind="item", item=20, standard="certified")
    t = tracker("这一项怎么改进", "item_guidance", slots={policy.CONTEXT_SLOT: ctx.dump()})
    messages, _ = await run(policy.ActionItemGuidance(), t)
    text = messages[0]["text"]
    assert "20" in text and "款项缴纳" in text, text


async def test_typed_item_guidance_with_no_item_known_is_asked_of_the_conversation():
    """ "需要准备哪些材料" read (unsure) as an item's guidance, after questions on how to start
    certification: no item is named or in the conversation, so the topic's materials answer."""
    from core.knowledge.context import Context

    ctx = Context(
        q="我们公司想从零开始准备AEO，第一步应该干嘛？",
        kind="topic",
        entry="cert.procedure_282",
        topic="certification_procedure",
    )
    ranking = [
        {"name": "item_guidance", "confidence": 0.53},
        {"name": "ask_certification_application", "confidence": 0.2},
    ]
    t = tracker("需要准备哪些材料", "item_guidance", slots={policy.CONTEXT_SLOT: ctx.dump()}, ranking=ranking)
    messages, _ = await run(policy.ActionItemGuidance(), t)
    text = messages[0]["text"]
    assert "审计报告" in text and "哪一项" not in text, text
    # with no conversation, it still asks which item
    messages, _ = await run(policy.ActionItemGuidance(), tracker("怎么改进", "item_guidance"))
    assert "审计报告" not in messages[0]["text"]


async def test_a_fact_stated_in_a_conversation_is_not_a_request_for_the_own_level():
    """The model reads "我们公司就3个报关员" as ask_my_level; after a question on the customs-affairs
    assessment it is answered in the conversation, not with "send me your credit code". A real
    request for the level still gets the code prompt."""
    from actions import cultivation
    from core.knowledge.context import Context

    ctx = Context(q="关务水平评估是怎么要求的", kind="topic", entry="addl.items_2026", topic="additional_standards")
    t = tracker("我们公司就3个报关员", "ask_my_level", slots={policy.CONTEXT_SLOT: ctx.dump()})
    messages, events = await run(cultivation.ActionMyLevel(), t)
    text = messages[0]["text"]
    assert "不足5人" in text and "统一社会信用代码" not in text, text
    asked = tracker("我们公司的信用等级是什么", "ask_my_level", slots={policy.CONTEXT_SLOT: ctx.dump()})
    messages, _ = await run(cultivation.ActionMyLevel(), asked)
    assert "统一社会信用代码" in messages[0]["text"], messages[0]["text"]


async def test_a_question_asked_mid_diagnosis_ends_the_form_and_is_answered():
    """ "我们有笔税款拖了两个月还没交 会不会被认定失信啊" starts the diagnosis form; the next line,
    "以前251号令欠税多久算失信", is a question, not an answer to "处罚了几次": the form ends (its
    facts kept), the question is answered in the conversation and the context slot is set.
    "那认证企业呢" mid-form is a question too: asked of the certified level, with the figures the
    form started from (it used to get "这个我没能理解，先跳过。" and the same form question again)."""
    from actions import cultivation
    from core.diagnosis.flow import DiagnosisState
    from core.replies import load_state

    first = "我们有笔税款拖了两个月还没交 会不会被认定失信啊"
    messages, events = await run(cultivation.ActionAskDiagnosisInput(), tracker(first, "diagnose_credit"))
    slot = next(e["value"] for e in events if e.get("name") == "diagnosis_state")
    line = "以前251号令欠税多久算失信"
    dispatcher = CollectingDispatcher()
    result = await cultivation.ValidateDiagnosisForm().validate_diagnosis_input(
        line, dispatcher, tracker(line, "ask_dishonest_criteria", slots={"diagnosis_state": slot}), {}
    )
    assert result["diagnosis_input"] == cultivation.END
    assert "3个月" in dispatcher.messages[0]["text"] and "来源" in dispatcher.messages[0]["text"], dispatcher.messages
    assert result[policy.CONTEXT_SLOT] and load_state(result["diagnosis_state"], DiagnosisState).done
    messages, _ = await run(cultivation.ActionDiagnosisAfter(), tracker(line, "inform", slots=result))
    assert messages == [], "nothing more after the answer"
    first = "上个月罚了8万，高级认证有影响吗"
    messages, events = await run(cultivation.ActionAskDiagnosisInput(), tracker(first, "diagnose_credit"))
    slot = next(e["value"] for e in events if e.get("name") == "diagnosis_state")
    dispatcher = CollectingDispatcher()
    ellipsis = await cultivation.ValidateDiagnosisForm().validate_diagnosis_input(
        "那认证企业呢",
        dispatcher,
        tracker("那认证企业呢", "follow_up", slots={"diagnosis_state": slot}),
        {},
    )
    assert ellipsis["diagnosis_input"] == cultivation.END
    said = dispatcher.messages[0]["text"]
    assert "认证企业标准》第(17)项" in said and "8万元 ≤ 30万元" in said and "没能理解" not in said, said


async def test_the_kiosk_policy_button_asks_for_the_question():
    """The kiosk's "政策问答" button sends "/help": it had got the out-of-scope apology (the help
    text was empty and the action fell back to out_of_scope)."""
    messages, _ = await run(policy.ActionSmalltalk(), tracker("/help", "help"))
    text = "".join(m.get("text") or "" for m in messages)
    assert "政策问题" in text and "超出" not in text, messages
    assert any(b.get("payload") == "/ask_credit_levels" for m in messages for b in m.get("buttons") or [])


async def test_a_supposition_after_a_diagnosis_is_kept_for_the_next_one():
    """After a focused diagnosis, "如果今年再被罚一笔5万呢？" (a follow-up, answered by the policy action)
    is judged on the facts with the third fine added, and the slot keeps that supposition: "那换成申请
    认证企业呢？" judges it against the certified standard. A line that only says 如果 is a question."""
    from actions import cultivation
    from core.diagnosis.flow import DiagnosisState
    from core.replies import load_state

    first = "我们是一般贸易进出口企业，去年被海关罚了2次，一笔3万一笔4万，申请高级认证处罚这块有问题吗？"
    _, events = await run(cultivation.ActionAskDiagnosisInput(), tracker(first, "diagnose_credit"))
    slot = next(e["value"] for e in events if e.get("name") == "diagnosis_state")
    line = "如果今年再被罚一笔5万呢？"
    messages, events = await run(
        policy.ActionAnswerPolicy(), tracker(line, "follow_up", slots={"diagnosis_state": slot})
    )
    assert "罚款累计12万元 > 10万元" in messages[0]["text"], messages
    slot = next(e["value"] for e in events if e.get("name") == "diagnosis_state")
    assert load_state(slot, DiagnosisState).facts["penalties_count_last_year"] == 3
    line = "那换成申请认证企业呢？"
    messages, _ = await run(policy.ActionAnswerPolicy(), tracker(line, "follow_up", slots={"diagnosis_state": slot}))
    assert "罚款累计12万元 ≤ 30万元" in messages[0]["text"], messages
    line = "如果被认定为失信企业，多久能修复？"
    messages, _ = await run(
        policy.ActionAnswerPolicy(), tracker(line, "ask_credit_repair", slots={"diagnosis_state": slot})
    )
    assert "假设" not in messages[0]["text"] and "修复" in messages[0]["text"], messages
