"""Conversations with the trained model through the REST channel.

The cases in tests/conversations/policy_paraphrases.yml are worded by someone
other than the training data's author and never appear in data/nlu (checked
below). Standard-item, MRA-partner and off-topic cases must each be right. The
policy questions are judged together: answered directly and correctly (with a
citation), the right topic offered as a button, or wrong; the shares go to
test-artifacts/conversation_results.json and must stay above the floor.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from bot.nlu import training_data
from tests.answer_sets import quotes_topic
from tests.conftest import reply_buttons, reply_text

ROOT = Path(__file__).resolve().parents[1]
CASES = yaml.safe_load((ROOT / "tests/conversations/policy_paraphrases.yml").read_text(encoding="utf-8"))["cases"]
CITATION = re.compile(r"(来源：|Source: )")

pytestmark = pytest.mark.assistant


def test_cases_are_held_out():
    training = training_data.texts()
    leaked = [c["text"] for c in CASES if c["text"].strip().lower() in training]
    assert not leaked, f"test paraphrases also in the training data: {leaked}"
    assert len(CASES) >= 60


def _judge(assistant, case: dict, messages: list) -> str:
    """'answered' | 'offered' (right topic as a button) | 'wrong'."""
    text = reply_text(messages)
    buttons = [b.get("payload", "") for b in reply_buttons(messages)]
    if "topic" in case:
        # Answered from the topic when the reply quotes one of its sentences or
        # a clause of one of its standard items (a detail answer leads with the
        # clause that answers, not the head).
        if quotes_topic(_kb(assistant), case["topic"], case["lang"], text):
            return "answered"
        if f"/ask_{case['topic']}" in buttons:
            return "offered"
        return "wrong"
    intent = case.get("intent")
    if intent == "ask_standard_item":
        num = case["item"]
        ok = (f"第{num}项" in text or f"Item {num} " in text or f"item ({num})" in text) and CITATION.search(text)
        return "answered" if ok else "wrong"
    if intent == "ask_mra_partner":
        names = {case["economy"]}
        economy = _kb(assistant).find_economy(case["economy"])
        if economy:
            names.add(economy["en"])
        return "answered" if any(n in text for n in names) and "AEO" in text else "wrong"
    if intent == "out_of_scope":
        polite = any(
            p in text
            for p in ("超出了我的服务范围", "outside what I can help", "没有收到文字内容", "didn't receive any words")
        )
        return "answered" if polite and not CITATION.search(text) else "wrong"
    raise AssertionError(f"unknown case kind: {case}")


def _kb(assistant):
    from core.db import get_engine
    from core.knowledge.search import KnowledgeCache

    return KnowledgeCache(get_engine(assistant.db_url)).get()


TOPIC_CASES = [c for c in CASES if "topic" in c]
OTHER_CASES = [c for c in CASES if "topic" not in c]

# The product target (issue 2): at least 90% of held-out policy questions
# answered directly and correctly. The measured figure is in the README.
# 94.3% before the answer-unit change; 89.8% on 2026-11-30 with the 8 new topics; 88.3% later
# that day, when clause-level answers replaced more topic summaries (the judge counts a clause of
# the topic's standard items too; README "Accuracy"); 90.5% in the third session (more training
# examples in lay and English wording, MRA and reader fixes); 91.2% (8.0% wrong) in the fourth
# to eighth; 89.8% (10.2% wrong) in the ninth, when clauses from outside a topic that hold most of
# a question began to answer before the topic's summary (README "Accuracy": the 90% target is not
# met by this set then); 90.5% (9.5% wrong) in the twelfth, and the floor is the product target
# again. The floor stays at or just under the measured figure.
ANSWERED_FLOOR = 0.90
WRONG_CEILING = 0.10


@pytest.mark.parametrize("case", OTHER_CASES, ids=[c["text"][:30] for c in OTHER_CASES])
def test_item_partner_and_off_topic_cases(running_assistant, case):
    """Standard items, MRA partners and off-topic/hostile lines: every one right."""
    messages = running_assistant.say(case["text"])
    assert messages, f"no reply to {case['text']!r}"
    verdict = _judge(running_assistant, case, messages)
    assert verdict == "answered", f"{case} got: {reply_text(messages)[:300]}"


def test_policy_paraphrases(running_assistant):
    """All held-out policy questions: answered correctly (with citation), or the
    right topic offered as a button, or wrong. Results go to test-artifacts."""
    results = []
    for case in TOPIC_CASES:
        messages = running_assistant.say(case["text"])
        assert messages, f"no reply to {case['text']!r}"
        text = reply_text(messages)
        verdict = _judge(running_assistant, case, messages)
        results.append({"verdict": verdict, "cited": bool(CITATION.search(text)), "reply": text[:160], **case})
    answered = [r for r in results if r["verdict"] == "answered"]
    wrong = [r for r in results if r["verdict"] == "wrong"]
    share = len(answered) / len(results)
    cited = sum(1 for r in answered if r["cited"]) / max(1, len(answered))
    out = ROOT / "test-artifacts" / "conversation_results.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "cases": len(results),
                "answered_share": share,
                "offered_share": sum(1 for r in results if r["verdict"] == "offered") / len(results),
                "wrong_share": len(wrong) / len(results),
                "cited_share": cited,
                "results": results,
            },
            ensure_ascii=False,
            indent=1,
        )
    )
    print(
        f"\nheld-out policy questions: {share:.1%} answered correctly, {len(wrong) / len(results):.1%} wrong, {cited:.1%} of answers cited"
    )
    assert cited >= 0.95, "every policy answer must carry its citation line"
    assert share >= ANSWERED_FLOOR, f"answered correctly {share:.0%} (< floor {ANSWERED_FLOOR:.0%}); see {out}"
    assert len(wrong) / len(results) <= WRONG_CEILING, f"{len(wrong)} wrong answers; see {out}"
