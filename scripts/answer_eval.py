"""Answer-level evaluation in about a minute, without servers (`make answer-dev`).

Runs the assistant's real answering code (``core.knowledge.respond.respond``, the
function the Rasa actions call, with the same context resolver) on the
development sets in tests/answer_dev/: the intent comes from the same model
the Rasa component trains (bot/nlu/text_model.py on data/nlu, the fallback
thresholds from config.yml); messages whose intent goes to another action
(assessment, cultivation) count as not answered here; a diagnosis question
gets the diagnosis flow's reply, as in the assistant. Prints, per set
and language: reply contains the expected facts; cited; wrong (a confident
answer without the fact); offered as buttons; redirected. Scoring rule:
tests/answer_sets.py (shared with tests/test_answers.py).

    python scripts/answer_eval.py              # figures
    python scripts/answer_eval.py --errors     # and every miss with its reply
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.knowledge.context import Context  # noqa: E402
from core.knowledge.respond import NLU, OFFTOPIC_INTENTS, SMALLTALK_INTENTS, respond  # noqa: E402
from core.text import detect_language, parse_item_number  # noqa: E402
from tests import answer_sets  # noqa: E402

DEV_DIR = ROOT / "tests" / "answer_dev"


class IntentModel:
    """The intent classifier and fallback decision, as the Rasa pipeline runs them."""

    def __init__(self):
        sys.path.insert(0, str(ROOT / "scripts"))
        import nlu_dev_eval as dev  # the same training-set reader and tokens

        from bot.nlu import text_model

        cfg, self.threshold, self.ambiguity = dev.pipeline_settings()
        self.tokens = dev.tokens
        _, X, y = dev.training_set()
        self.model = text_model.build(cfg).fit(X, y)

    def parse(self, text: str) -> NLU:
        probs = self.model.predict_proba([self.tokens(text)])[0]
        order = probs.argsort()[::-1]
        ranking = [(str(self.model.classes_[i]), float(probs[i])) for i in order[:10]]
        top, conf = ranking[0]
        unsure = conf < self.threshold or (len(ranking) > 1 and conf - ranking[1][1] < self.ambiguity)
        return NLU(intent="nlu_fallback" if unsure else top, confidence=conf, ranking=ranking)


class Conversation:
    """What the channel keeps between turns: the answer context slot and, while
    the diagnosis form is open, its state (the form takes the next message)."""

    def __init__(self):
        self.ctx = Context()
        self.diagnosis = None
        self.diagnosed = None  # the finished diagnosis a later "what if" is answered against (its slot)


def answer(kb, model: IntentModel, text: str, conv: Conversation) -> tuple[str, list]:
    """One user message as the Rasa rules route it: a diagnosis question to the
    diagnosis flow (core.diagnosis.flow, as actions/cultivation.py runs it), a
    policy question or follow-up to ``respond``; other actions are not measured."""
    from core.cultivation import flow as cultivation_flow
    from core.diagnosis import flow as diagnosis_flow

    lang = detect_language(text, default="zh")
    if conv.diagnosis is not None:
        question = conv.diagnosis.question
        conv.diagnosis, reply = diagnosis_flow.step(conv.diagnosis, text, lang)
        if reply.done:
            conv.diagnosed, conv.diagnosis = diagnosis_flow.finished(conv.diagnosis), None
        if reply.kind != diagnosis_flow.LEAVE_FOR_QUESTION:
            return reply.text, reply.buttons
        # a question asked mid-form: answered in the conversation (actions/cultivation.py)
        if conv.ctx.empty and question:
            conv.ctx = Context.of_question(question)
    nlu = model.parse(text)
    if nlu.intent == "diagnose_credit":
        state, reply = diagnosis_flow.start(lang, text, previous=conv.diagnosed)
        conv.diagnosis = None if reply.done else state
        if reply.done:
            conv.diagnosed = diagnosis_flow.finished(state)
        if reply.kind != diagnosis_flow.LEAVE_FOR_QUESTION:
            return reply.text, reply.buttons
        # a question on one rule, stating no figure: answered in the conversation (actions/cultivation.py)
        reply, conv.ctx = respond(kb, text, lang, nlu, conv.ctx)
        return reply.text, reply.buttons
    if nlu.intent == "ask_my_level" and cultivation_flow.asks_own_level(text):
        reply = cultivation_flow.level_reply(text, None, lang)  # as actions/cultivation.py replies
        return reply.text, reply.buttons
    mine = nlu.intent.startswith("ask_") or nlu.intent in SMALLTALK_INTENTS | OFFTOPIC_INTENTS | {
        "nlu_fallback",
        "follow_up",
        "show_entry",  # typed, not a button: actions/policy.py answers it in the conversation
    }
    if (
        nlu.intent == "item_guidance"
        and not text.startswith("/")
        and parse_item_number(text) is None
        and not conv.ctx.item
        and not conv.ctx.empty
    ):
        mine = True  # actions/policy.py ActionItemGuidance: no item known, asked in the conversation
    if not mine:
        return f"({nlu.intent})", []
    # a "what if" after a diagnosis: answered against its facts (actions/policy.py)
    what_if = diagnosis_flow.what_if_after(conv.diagnosed, text, lang)
    if what_if is not None:
        conv.diagnosed = diagnosis_flow.finished(what_if[0])
        return what_if[1].text, what_if[1].buttons
    ctx = conv.ctx
    if nlu.intent == "nlu_fallback":
        nlu.intent = ""
    reply, conv.ctx = respond(kb, text, lang, nlu, ctx)
    return reply.text, reply.buttons


def run_set(kb, model, path: Path, errors: bool) -> dict:
    data = answer_sets.load(path)
    q_results, f_results = [], []
    for case in data["questions"]:
        text, buttons = answer(kb, model, case["q"], Conversation())
        verdict = answer_sets.judge(case, text, buttons)
        q_results.append(
            {
                "id": case["id"],
                "lang": case.get("lang", "zh"),
                "kind": case.get("kind"),
                "verdict": verdict,
                "cited": bool(answer_sets.CITATION.search(text)),
            }
        )
        if errors and verdict not in ("correct",) and not (case.get("kind") == "offtopic" and verdict == "redirected"):
            print(f"--- {case['id']} [{verdict}] {case['q']}  expect={case.get('expect')}\n{text[:300]}\n")
    for conv in data["conversations"]:
        state = Conversation()
        for i, turn in enumerate(conv["turns"]):
            text, buttons = answer(kb, model, turn["q"], state)
            case = {**turn, "kind": turn.get("kind", "detail")}
            verdict = answer_sets.judge(case, text, buttons)
            if i > 0 or case["kind"] == "clarify":
                f_results.append(
                    {
                        "id": f"{conv['id']}.{i}",
                        "lang": conv.get("lang", "zh"),
                        "kind": case["kind"],
                        "verdict": verdict,
                        "cited": bool(answer_sets.CITATION.search(text)),
                    }
                )
            if errors and verdict != "correct" and not (case["kind"] == "clarify" and verdict == "redirected"):
                print(f"--- {conv['id']}.{i} [{verdict}] {turn['q']}  expect={turn.get('expect')}\n{text[:300]}\n")
    out = {"set": path.name}
    if q_results:
        out["questions"] = answer_sets.summarise(q_results)
    if f_results:
        out["follow_up_turns"] = answer_sets.summarise(f_results)
    return out


def run_topics(kb, model, path: Path, errors: bool) -> dict:
    """The intent-level development questions (tests/nlu_dev/): does the reply
    quote the asked topic's answer (one of its sentences, or a clause of a
    standard item filed under the topic), as tests/test_conversations.py judges
    the held-out paraphrases?"""
    import yaml

    cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
    counts: dict = {}
    for c in cases:
        if "topic" not in c or not kb.entries_for_topic(c["topic"]):
            continue  # off-topic lines are in the answer sets; topics still without entries are skipped
        lang = c.get("lang", "zh")
        text, buttons = answer(kb, model, c["text"], Conversation())
        if answer_sets.quotes_topic(kb, c["topic"], lang, text):
            verdict = "answered"
        elif any(b.get("payload") == f"/ask_{c['topic']}" for b in buttons):
            verdict = "offered"
        else:
            verdict = "wrong"
            if errors:
                print(f"--- topic {c['topic']} [{verdict}] {c['text']}\n{text[:200]}\n")
        counts.setdefault(lang, {}).setdefault(verdict, 0)
        counts[lang][verdict] += 1
    return {"set": path.name, "topic_questions": counts}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--errors", action="store_true", help="print every miss with the reply")
    ap.add_argument("--json", help="write the figures to this file")
    ap.add_argument("files", nargs="*", help="question sets (default: tests/answer_dev/*.yml)")
    args = ap.parse_args()
    from core.knowledge.search import knowledge
    from core.knowledge.units import units_for

    t0 = time.perf_counter()
    kb = knowledge()
    units_for(kb)
    model = IntentModel()
    print(f"(model and units ready in {time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    files = [Path(f) for f in args.files] or sorted(DEV_DIR.glob("*.yml"))
    results = [run_set(kb, model, f, args.errors) for f in files]
    if not args.files:
        results += [run_topics(kb, model, f, args.errors) for f in sorted((ROOT / "tests" / "nlu_dev").glob("*.yml"))]
    print(json.dumps(results, ensure_ascii=False, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
