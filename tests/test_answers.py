"""Answer-level measure on the held-out sets, through the REST channel against
the trained model: does the reply contain what was asked?

tests/conversations/detail_questions.yml and followups.yml were written by an
author who read neither the development sets (tests/answer_dev/) nor the
training data; nothing in the assistant is chosen by looking at them. Each
detail question and each conversation gets a fresh sender; the results go to
test-artifacts/answer_results.json. Scoring rule: tests/answer_sets.py (the same
as `make answer-dev`). The gates are the product targets of issue 11; the
measured figures are in the README.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from tests import answer_sets
from tests.conftest import reply_buttons, reply_text

ROOT = Path(__file__).resolve().parents[1]
HELD_OUT = ROOT / "tests" / "conversations"
# Issue 11's target is >= 90% of replies containing the expected facts and <= 3% confident wrong
# answers. The 90% is met by both sets, the 3% by neither (README "Accuracy"; 72.9% of held-out
# detail questions and 54.2% of follow-up turns at the start, 2026-11-30). These gates are
# regression floors at or just under the measured figures, so that a change that makes answers
# worse fails `make test`; raise them as the figures rise, and the test prints the target beside
# every figure.
TARGET_CORRECT, TARGET_WRONG = 0.90, 0.03
FLOORS = {  # set name: (correct at least, confident wrong at most)
    "held-out detail questions": (
        0.94,
        0.06,
    ),  # measured 95.0% / 5.0% in the sixteenth to nineteenth sessions (92.9% / 6.4% in the eleventh):
    # losing two questions of 140 fails
    # measured 93.8% / 6.2% in the nineteenth session (91.7% / 8.3% from the eighth to the eighteenth):
    # losing one turn of 48 fails
    "held-out follow-up turns": (0.92, 0.08),
}

pytestmark = pytest.mark.assistant


def _record(case: dict, lang: str, messages: list, ident: str) -> dict:
    text = reply_text(messages)
    verdict = answer_sets.judge(case, text, reply_buttons(messages))
    return {
        "id": ident,
        "lang": lang,
        "kind": case.get("kind", "detail"),
        "verdict": verdict,
        "cited": bool(answer_sets.CITATION.search(text)),
        "q": case.get("q"),
        "expect": case.get("expect"),
        "reply": text[:300],
    }


def _write(name: str, payload: dict) -> Path:
    out = ROOT / "test-artifacts" / "answer_results.json"
    out.parent.mkdir(exist_ok=True)
    data = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    data[name] = payload
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return out


def _gate(results: list, what: str, out: Path) -> None:
    summary = answer_sets.summarise(results)["all"]
    floor, ceiling = FLOORS[what]
    met = summary["correct"] >= TARGET_CORRECT and summary["wrong"] <= TARGET_WRONG
    print(
        f"\n{what}: {summary}; target {TARGET_CORRECT:.0%} correct / {TARGET_WRONG:.0%} wrong "
        f"{'met' if met else 'NOT met'}"
    )
    assert (
        summary["correct"] >= floor
    ), f"{what}: {summary['correct']:.1%} contain the expected facts (< floor {floor:.0%}); see {out}"
    assert (
        summary["wrong"] <= ceiling
    ), f"{what}: {summary['wrong']:.1%} confident answers without the fact (> ceiling {ceiling:.0%}); see {out}"


def test_held_out_detail_questions(running_assistant):
    data = answer_sets.load(HELD_OUT / "detail_questions.yml")
    assert len(data["questions"]) >= 80
    results = []
    for case in data["questions"]:
        messages = running_assistant.say(case["q"], sender=f"detail-{uuid.uuid4().hex[:10]}")
        results.append(_record(case, case.get("lang", "zh"), messages, case["id"]))
    out = _write("detail_questions", {"summary": answer_sets.summarise(results), "results": results})
    _gate(results, "held-out detail questions", out)


def test_held_out_follow_ups(running_assistant):
    data = answer_sets.load(HELD_OUT / "followups.yml")
    assert len(data["conversations"]) >= 30
    results = []
    for conv in data["conversations"]:
        sender = f"conv-{uuid.uuid4().hex[:10]}"  # one conversation, one sender
        for i, turn in enumerate(conv["turns"]):
            messages = running_assistant.say(turn["q"], sender=sender)
            case = {**turn, "kind": turn.get("kind", "detail")}
            if i > 0 or case["kind"] == "clarify":
                results.append(_record(case, conv.get("lang", "zh"), messages, f"{conv['id']}.{i}"))
    out = _write("followups", {"summary": answer_sets.summarise(results), "results": results})
    _gate(results, "held-out follow-up turns", out)
