"""Answer-level question sets (format: tests/answer_dev/FORMAT.md) and the one
scoring rule shared by ``scripts/answer_eval.py`` and ``tests/test_answers.py``.

A reply is judged by what it says: every expected fact must appear in it
(NFKC, lower-cased, whitespace removed, substring) and no ``not_expect``
string may. A reply that does not contain the facts is *wrong* when it is a
confident answer (it carries a citation line), *offered* when it offers
buttons instead, else *redirected*.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import yaml

CITATION = re.compile(r"(来源：|Source: )")
VERDICTS = ("correct", "wrong", "offered", "redirected")


def norm(text: str) -> str:
    """NFKC, lower case, no whitespace, and no thousands separators ("1/1,000" is "1/1000")."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    # "5. 1年内" must not read as "5.1年"; "Art. 5" is "art.5"
    text = re.sub(r"(?<=\d)\s+(?=\d)|(?<=\d\.)\s+(?=\d)", "|", text)
    flat = re.sub(r"\s+", "", text)
    return re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", flat)


def _occurs(fact: str, reply: str) -> bool:
    """``fact`` in ``reply``, a number not as part of a longer one ("5%" is not in "15%" or
    "0.5%", "1/1000" is not in "1/10000")."""
    if not fact:
        return False
    for m in re.finditer(re.escape(fact), reply):
        before, after = reply[: m.start()], reply[m.end() :]
        if (
            fact[0].isdigit()
            and before[-1:]
            and (before[-1].isdigit() or (before[-2:-1].isdigit() and before[-1] == "."))
        ):
            continue
        if fact[-1].isdigit() and after[:1] and (after[0].isdigit() or re.match(r"\.\d", after)):
            continue
        return True
    return False


def has_fact(reply: str, fact) -> bool:
    alternatives = fact if isinstance(fact, list) else [fact]
    r = norm(reply)
    return any(_occurs(norm(str(a)), r) for a in alternatives)


def judge(case: dict, reply: str, buttons: list) -> str:
    """'correct' | 'wrong' | 'offered' | 'redirected' for one reply."""
    cited = bool(CITATION.search(reply or ""))
    if case.get("kind") in ("offtopic", "clarify"):
        return "redirected" if not cited else "wrong"
    ok = all(has_fact(reply, f) for f in case.get("expect") or []) and not any(
        has_fact(reply, s) for s in case.get("not_expect") or []
    )
    if ok:
        return "correct"
    if cited:
        return "wrong"
    return "offered" if buttons else "redirected"


def load(path: Path) -> dict:
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {"questions": doc.get("questions") or [], "conversations": doc.get("conversations") or []}


def summarise(results: list) -> dict:
    """results: [{"lang", "verdict", "cited", "kind"}] -> shares per language and overall."""
    out: dict = {}
    for lang in ("all", "zh", "en"):
        rs = [r for r in results if lang == "all" or r["lang"] == lang]
        if not rs:
            continue
        answerable = [r for r in rs if r.get("kind") not in ("offtopic", "clarify")]
        off = [r for r in rs if r.get("kind") in ("offtopic", "clarify")]
        n = max(len(answerable), 1)
        out[lang] = {
            "questions": len(answerable),
            "correct": round(sum(r["verdict"] == "correct" for r in answerable) / n, 3),
            "cited": round(sum(r["verdict"] == "correct" and r["cited"] for r in answerable) / n, 3),
            "wrong": round(sum(r["verdict"] == "wrong" for r in answerable) / n, 3),
            "offered": round(sum(r["verdict"] == "offered" for r in answerable) / n, 3),
            "redirected": round(sum(r["verdict"] == "redirected" for r in answerable) / n, 3),
            "offtopic_redirected": f"{sum(r['verdict'] == 'redirected' for r in off)}/{len(off)}",
        }
    return out


def quotes_topic(kb, topic: str, lang: str, reply: str) -> bool:
    """Does the reply answer from the asked topic: quote one of its entries'
    sentences, or a clause of a standard item filed under it
    (knowledge/topics.yaml ``standard_dimensions``)? The intent-level judge of
    tests/test_conversations.py and scripts/answer_eval.py."""
    from core.knowledge.units import split_sentences, units_for

    for entry in kb.entries_for_topic(topic):
        if any(len(x) >= 12 and x in reply for x in split_sentences(entry.answer[lang], lang)):
            return True
    return any(
        u.kind == "item" and u.topic == topic and len(u.text) >= 12 and u.text in reply for u in units_for(kb).units
    )
