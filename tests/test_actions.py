"""Custom actions with rasa-sdk trackers against a real (SQLite) database."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import policy
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
    messages, _ = await run(policy.ActionHandoff(), t)
    assert "12360" in messages[0]["text"] and "摘要" in messages[0]["text"]
