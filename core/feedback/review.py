"""The editors' review of answers: questions that fell back, were redirected or
were rated 没帮助, grouped by similarity with the knowledge search's own
tokenizer (jieba with the domain dictionary) and its BM25 ranking; stale
knowledge entries; development-question export. No Rasa import."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from core.knowledge.search import WEAK_TERMS, Knowledge, tokenize

# Two questions join a group when their token sets overlap this much (weighted
# Jaccard), or half as much when the search ranks a common entry among their top three.
SIMILARITY = 0.5
SAME_ENTRY_SIMILARITY = 0.25
MAX_EXAMPLES = 5


def _weight(token: str) -> float:
    return 0.3 if token in WEAK_TERMS else 1.0


def similarity(a: set, b: set) -> float:
    """Weighted Jaccard overlap of two token sets (domain-common words count less)."""
    if not a or not b:
        return 0.0
    inter = sum(_weight(t) for t in a & b)
    union = sum(_weight(t) for t in a | b)
    return inter / union if union else 0.0


@dataclass
class Group:
    key: str  # public id of the group's first (oldest) member: stable while it stays in the window
    items: list = field(default_factory=list)  # newest first
    tokens: list = field(default_factory=list)  # token set per item
    top_entries: list = field(default_factory=list)  # per item: the search's top entry ids, best first

    @property
    def newest(self) -> str:
        return max(i["created_at"] for i in self.items)

    def suggested_entry(self) -> str | None:
        counts = Counter(tops[0] for tops in self.top_entries if tops)
        return counts.most_common(1)[0][0] if counts else None

    def to_dict(self, kb: Knowledge | None = None) -> dict[str, Any]:
        examples: list = []
        for i in self.items:
            if i["question"] not in examples:
                examples.append(i["question"])
        why = Counter(w for i in self.items for w in i.get("why", []))
        reasons = Counter(i["reason"] for i in self.items if i.get("reason"))
        shown = Counter(e for i in self.items for e in i.get("entry_ids", []))
        entry = self.suggested_entry()
        topic = kb.entries[entry].topic if kb is not None and entry in kb.entries else None
        return {
            "key": self.key,
            "count": len(self.items),
            "examples": examples[:MAX_EXAMPLES],
            "newest": self.newest,
            "why": dict(why),
            "reasons": dict(reasons),
            "entries_shown": [e for e, _ in shown.most_common(3)],
            "suggested_entry": entry,
            "suggested_topic": topic,
            "langs": sorted({i["lang"] for i in self.items}),
            "channels": sorted({i["channel"] for i in self.items if i["channel"]}),
            "answer_ids": [i["id"] for i in self.items],
        }


def _top_entries(kb: Knowledge | None, question: str, limit: int = 3) -> list:
    if kb is None:
        return []
    return [h.entry.id for h in kb.search(question, limit=limit)]


def _joins(toks_a: set, tops_a: list, toks_b: set, tops_b: list) -> bool:
    need = SAME_ENTRY_SIMILARITY if set(tops_a) & set(tops_b) else SIMILARITY
    return similarity(toks_a, toks_b) >= need


def group_questions(items: list, kb: Knowledge | None = None) -> list[Group]:
    """Group review items (dicts from feedback.store.review_items) by similarity:
    two questions belong together when they are similar enough (see SIMILARITY), and
    groups are the connected sets of such pairs, so the result does not depend on the
    order the questions came in. Groups come newest first; within a group items are
    newest first; a group's key is its oldest member's id."""
    ordered = sorted(items, key=lambda i: (i["created_at"], i["id"]))
    toks = [set(tokenize(i["question"])) for i in ordered]
    tops = [_top_entries(kb, i["question"]) if t else [] for i, t in zip(ordered, toks, strict=True)]
    parent = list(range(len(ordered)))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    index: dict = {}
    for i, t in enumerate(toks):
        candidates = {j for tok in t for j in index.get(tok, ())}
        if not t:  # no words at all: together with the same text only
            candidates = {j for j in range(i) if not toks[j] and ordered[j]["question"] == ordered[i]["question"]}
        for j in candidates:
            if root(i) != root(j) and (not t or _joins(t, tops[i], toks[j], tops[j])):
                parent[root(i)] = root(j)
        for tok in t:
            index.setdefault(tok, []).append(i)
    by_root: dict = {}
    for i, item in enumerate(ordered):
        g = by_root.setdefault(root(i), Group(key=item["id"]))
        g.items.insert(0, item)
        g.tokens.insert(0, toks[i])
        g.top_entries.insert(0, tops[i])
    groups = list(by_root.values())
    groups.sort(key=lambda g: g.newest, reverse=True)
    return groups


def find_group(groups: list[Group], key: str) -> Group | None:
    """The group with this key, or the one now holding that answer."""
    for g in groups:
        if g.key == key:
            return g
    for g in groups:
        if any(i["id"] == key for i in g.items):
            return g
    return None


def export_dev_questions(group: Group, kb: Knowledge | None = None, today: dt.date | None = None) -> str:
    """The group's distinct questions as development questions in the format of
    tests/nlu_dev/dev_questions.yml (``{text, topic, lang}``), for an editor to check
    and paste. The topic is the one the search ranks first; without one the
    question is written as expected out of scope, marked for checking."""
    info = group.to_dict(kb)
    topic = info["suggested_topic"]
    day = (today or dt.date.today()).isoformat()
    lines = [
        f"# Exported from the knowledge review page on {day}: group {group.key}, {info['count']} question(s).",
        "# Check each topic before adding these to tests/nlu_dev/ (they were questions the assistant did not answer well).",
        "cases:",
    ]
    seen = set()
    for item in reversed(group.items):
        text = " ".join(item["question"].split())
        if not text or text in seen:
            continue
        seen.add(text)
        q = json.dumps(text, ensure_ascii=False)
        if topic:
            lines.append(f"  - {{text: {q}, topic: {topic}, lang: {item['lang']}}}")
        else:
            lines.append(f"  - {{text: {q}, expect: out_of_scope, lang: {item['lang']}}}  # check: no entry matched")
    return "\n".join(lines) + "\n"


def stale_entries(kb: Knowledge, max_age_days: int, today: dt.date | None = None) -> list[dict]:
    """Entries last reviewed more than ``max_age_days`` ago (or never), or superseded
    (effective_to in the past), oldest review first."""
    day = today or dt.date.today()
    limit = day - dt.timedelta(days=max_age_days)
    out = []
    for e in kb.entries.values():
        why = []
        if e.last_reviewed is None:
            why.append("never_reviewed")
        elif e.last_reviewed < limit:
            why.append("review_due")
        if e.superseded(day):
            why.append("superseded")
        if why:
            out.append(
                {
                    "id": e.id,
                    "kind": e.kind,
                    "topic": e.topic,
                    "last_reviewed": e.last_reviewed.isoformat() if e.last_reviewed else None,
                    "effective_to": e.effective_to.isoformat() if e.effective_to else None,
                    "why": why,
                }
            )
    out.sort(key=lambda r: (r["last_reviewed"] or "", r["id"]))
    return out
