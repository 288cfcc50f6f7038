"""Model selection for the intent classifier, in seconds and without Rasa
(`make nlu-dev`).

Trains bot/nlu/text_model.py on data/nlu exactly as the Rasa component does
(jieba with dict/, whitespace tokens dropped) and measures it on the
development set tests/nlu_dev/dev_questions.yml, which was written apart from
both the training data and the held-out test paraphrases. The decision after
the classifier is the assistant's own: the FallbackClassifier thresholds from
config.yml, then core.knowledge.answers.search_or_suggest for unsure messages.

Use this to compare model or data changes; the held-out paraphrases
(tests/conversations/policy_paraphrases.yml, run against the real server by
`make test`) are the final measure only and are not read here. Every file in
tests/nlu_dev/ is a development set (dev_questions_hard.yml: indirect and
unusual wording); a third set is made from their Chinese questions with two
homophone typos each.

    python scripts/nlu_dev_eval.py                 # the configured model
    python scripts/nlu_dev_eval.py --set C=10      # a variant
    python scripts/nlu_dev_eval.py --errors        # list the dev cases it gets wrong
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.nlu import text_model, training_data  # noqa: E402
from core.text import question_span  # noqa: E402

DEV_DIR = ROOT / "tests" / "nlu_dev"
DEV = DEV_DIR / "dev_questions.yml"
SPECIAL = {"ask_mra_partner", "ask_standard_item", "ask_my_level"}


def pipeline_settings() -> tuple[dict, float, float]:
    cfg = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    clf, threshold, ambiguity = {}, 0.3, 0.1
    for comp in cfg["pipeline"]:
        if comp["name"].endswith("TfidfLogRegClassifier"):
            clf = {k: v for k, v in comp.items() if k != "name"}
        if comp["name"] == "FallbackClassifier":
            threshold, ambiguity = comp.get("threshold", 0.3), comp.get("ambiguity_threshold", 0.1)
    return clf, threshold, ambiguity


@functools.lru_cache(maxsize=1)
def training_set() -> tuple[list, list, list]:
    """(examples, their tokens, their intents), read and tokenized once per run."""
    data = training_data.examples()
    return data, [tokens(t) for t, _ in data], [i for _, i in data]


_jieba = None


def tokens(text: str) -> list[str]:
    """As bot.nlu.tokenizer.CleanJiebaTokenizer: jieba.tokenize with the user dictionary, within
    what is asked (core.text.question_span)."""
    global _jieba
    if _jieba is None:
        import jieba

        jieba.setLogLevel(60)
        for f in sorted((ROOT / "dict").glob("*")):
            jieba.load_userdict(str(f))
        _jieba = jieba
    start, end = question_span(text)
    return text_model.normalise([t[0] for t in _jieba.tokenize(text) if start <= t[1] < end])


def decide(model, kb, text: str, lang: str, threshold: float, ambiguity: float) -> tuple[str, object]:
    """What the assistant does with the message: ('intent', name) or ('reply', Reply)."""
    from core.knowledge import answers

    probs = model.predict_proba([tokens(text)])[0]
    order = probs.argsort()[::-1]
    ranking = [(str(model.classes_[i]), float(probs[i])) for i in order[:10]]
    top, conf = ranking[0]
    unsure = conf < threshold or (len(ranking) > 1 and conf - ranking[1][1] < ambiguity)
    if unsure or (top.startswith("ask_") and top not in SPECIAL):
        ranked = [(n[4:], c) for n, c in ranking if n.startswith("ask_") and n not in SPECIAL]
        if not unsure:
            reply = answers.answer_topic(kb, top[4:], text, lang)
            if reply is not None:
                return "reply", reply
        return "reply", answers.search_or_suggest(kb, text, lang, ranked)
    return "intent", top


_models: dict = {}


def homophone_typos(cases: list, seed: int = 11, per_question: int = 2) -> list:
    """The Chinese policy questions of ``cases`` with ``per_question`` characters
    each replaced by another character of the same toneless pinyin, as a
    pinyin input method mistypes (企业 -> 企页, 跟 -> 根). Replacements are drawn
    from the characters of the training data; deterministic for a seed."""
    import random

    from pypinyin import lazy_pinyin

    chars = Counter(ch for t, _ in training_set()[0] for ch in t if "\u4e00" <= ch <= "\u9fff")
    by_sound: dict = {}
    for ch, _ in chars.most_common():
        by_sound.setdefault(lazy_pinyin(ch)[0], []).append(ch)
    rng = random.Random(seed)
    out = []
    for c in cases:
        if c.get("lang") != "zh" or "topic" not in c:
            continue
        text = c["text"]
        spots = [
            i
            for i, ch in enumerate(text)
            if "\u4e00" <= ch <= "\u9fff" and len(by_sound.get(lazy_pinyin(ch)[0], ())) > 1
        ]
        for i in rng.sample(spots, min(per_question, len(spots))):
            others = [a for a in by_sound[lazy_pinyin(text[i])[0]] if a != text[i]][:10]
            text = text[:i] + rng.choice(others) + text[i + 1 :]
        out.append({**c, "text": text})
    return out


def dev_sets() -> list[tuple[str, list]]:
    """(name, cases) of every development set, and the homophone-typo variant
    of all their Chinese questions."""
    sets = [(f.name, yaml.safe_load(f.read_text(encoding="utf-8"))["cases"]) for f in sorted(DEV_DIR.glob("*.yml"))]
    return [
        *sets,
        ("homophone typos (Chinese dev questions, 2 per question)", homophone_typos([c for _, cs in sets for c in cs])),
    ]


def evaluate(
    overrides: dict | None = None, kb=None, cv: int = 0, dev: Path = DEV, cases: list | None = None, name: str = ""
) -> tuple[dict, list]:
    """Train on data/nlu, run one development set (a file, or ``cases``); returns (figures, errors)."""
    if kb is None:
        from core.knowledge.search import knowledge

        kb = knowledge()
    clf_cfg, threshold, ambiguity = pipeline_settings()
    overrides = dict(overrides or {})
    threshold = float(overrides.pop("threshold", threshold))
    ambiguity = float(overrides.pop("ambiguity_threshold", ambiguity))
    clf_cfg.update(overrides)
    data, X, y = training_set()
    key = json.dumps(clf_cfg, sort_keys=True)
    if key not in _models:
        t0 = time.perf_counter()
        _models[key] = (text_model.for_prediction(text_model.build(clf_cfg).fit(X, y)), time.perf_counter() - t0)
    model, fit_s = _models[key]
    entry_topic = {e.id: e.topic for e in kb.entries.values()}
    if cases is None:
        cases = yaml.safe_load(dev.read_text(encoding="utf-8"))["cases"]
        name = dev.name
    outcome: Counter = Counter()
    by_lang: dict = {}
    errors = []
    for c in cases:
        kind, what = decide(model, kb, c["text"], c.get("lang", "zh"), threshold, ambiguity)
        if c.get("expect") == "out_of_scope":
            ok = (kind == "intent" and what in ("out_of_scope", "chitchat", "bot_challenge")) or (
                kind == "reply" and what.kind == "not_found"
            )
            res = "oos_ok" if ok else "oos_answered"
        elif kind == "reply" and what.kind == "suggestions":
            res = "offered"
        elif kind == "reply" and what.entry_ids and entry_topic.get(what.entry_ids[0]) == c["topic"]:
            res = "answered"
        else:
            res = "wrong"
        outcome[res] += 1
        by_lang.setdefault(c.get("lang", "zh"), Counter())[res] += 1
        if res not in ("answered", "oos_ok"):
            got = what if kind == "intent" else (what.kind, [entry_topic.get(i) for i in what.entry_ids])
            errors.append((res, c.get("topic") or "out_of_scope", c["text"], got))
    n_topic = sum(outcome[k] for k in ("answered", "offered", "wrong"))
    n_oos = outcome["oos_ok"] + outcome["oos_answered"]
    summary = {
        "dev_set": name,
        "settings": {**clf_cfg, "threshold": threshold, "ambiguity_threshold": ambiguity},
        "training_examples": len(data),
        "fit_seconds": round(fit_s, 1),
        "topic_cases": n_topic,
        "answered": round(outcome["answered"] / max(n_topic, 1), 3),
        "offered": round(outcome["offered"] / max(n_topic, 1), 3),
        "wrong": round(outcome["wrong"] / max(n_topic, 1), 3),
        "out_of_scope_cases": n_oos,
        "out_of_scope_redirected": round(outcome["oos_ok"] / n_oos, 3) if n_oos else None,
        "answered_by_language": {
            lang: round(c["answered"] / max(c["answered"] + c["offered"] + c["wrong"], 1), 3)
            for lang, c in by_lang.items()
        },
    }
    if cv:
        from sklearn.model_selection import cross_val_score

        summary["cv_intent_accuracy"] = round(
            float(cross_val_score(text_model.build(clf_cfg), X, y, cv=cv, n_jobs=2).mean()), 3
        )
    return summary, errors


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--set",
        action="append",
        default=[],
        help="override a classifier or fallback setting, e.g. C=10, threshold=0.25",
    )
    ap.add_argument("--errors", action="store_true", help="print the cases answered wrongly or not answered")
    ap.add_argument("--json", help="write the figures to this file")
    ap.add_argument(
        "--cv", type=int, default=0, help="also report K-fold cross-validated intent accuracy on the training data"
    )
    args = ap.parse_args()
    overrides = {}
    for s in args.set:
        k, _, v = s.partition("=")
        overrides[k] = yaml.safe_load(v)
    results = []
    for i, (name, cases) in enumerate(dev_sets()):
        summary, errors = evaluate(overrides, cv=args.cv if i == 0 else 0, cases=cases, name=name)
        if args.errors:
            for e in sorted(errors, key=str):
                print(name.split(" ")[0], *e, sep="\t")
        results.append(summary)
    print(json.dumps(results, ensure_ascii=False, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
