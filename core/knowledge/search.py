"""Knowledge queries for every channel: topic answers, standard items, MRA
partners and full-text search (BM25 over jieba tokens). No Rasa import.

The knowledge is read from the database into memory once and re-read when its
content digest changes (checked at most every ``refresh_seconds``), so a
``make knowledge`` reaches running servers without a restart.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import threading
import time
from dataclasses import dataclass, field

import jieba
from rank_bm25 import BM25Okapi
from sqlalchemy import select
from sqlalchemy.engine import Engine

from core.db import PROJECT_ROOT, create_schema, get_engine, session_scope
from core.knowledge.models import Entry, KnowledgeMeta, MraPartner, Source, Topic

USERDICT = PROJECT_ROOT / "dict" / "userdict.txt"
_jieba_lock = threading.Lock()
_jieba_ready = False

STOPWORDS = set(
    "的 了 吗 呢 吧 啊 呀 么 嘛 是 在 有 和 与 及 或 我 我们 你 你们 他 她 它 这 那 哪 什么 怎么 怎样 如何 多少 几 "
    "一下 请问 请 想 要 能 会 可以 吧 就 都 也 还 把 被 对 给 个 一个 些 还是 需要 这个 那个 现在 公司 企业 海关 "
    "？ ? ， , 。 . ！ ! 、 ： : ； ; （ ） ( ) “ ” \" ' - — ~ the a an of to in on for and or is are be do does "
    "what how which who when where can i we you my our your it this that with about me please there "
    # how a which-article question is put ("写在哪一条"), not what it is about
    "哪一条 一条 写 写的 里头".split()
)
# Terms too common in this domain to discriminate between entries.
WEAK_TERMS = {"企业", "海关", "信用", "认证", "customs", "enterprise", "credit", "certification", "company"}


def _ensure_jieba() -> None:
    global _jieba_ready
    if _jieba_ready:
        return
    with _jieba_lock:
        if not _jieba_ready:
            jieba.setLogLevel(60)
            if USERDICT.exists():
                jieba.load_userdict(str(USERDICT))
            _jieba_ready = True


_CONTRACTION = re.compile(r"(?<=[a-z])[’'](s|re|ve|ll|d|m)\b")
_CONTRACTED = {"re": " are", "ve": " have", "ll": " will", "d": " would", "m": " am", "s": ""}
_NOT = {"can": "can not", "won": "will not"}


def _unfold_contractions(text: str) -> str:
    """ "doesn't" → "does not", "we're" → "we are", "company's" → "company": no stray "doesn" or "t"
    (an unknown word counts against every unit)."""
    text = re.sub(r"\b(can|won)[’']t\b", lambda m: _NOT[m.group(1)], text)
    text = re.sub(r"n[’']t\b", " not", text)
    return _CONTRACTION.sub(lambda m: _CONTRACTED[m.group(1)], text)


def tokenize(text: str) -> list[str]:
    """Search tokens: jieba words (search mode), lower-cased Latin words, numbers."""
    _ensure_jieba()
    text = _unfold_contractions((text or "").lower())
    tokens = []
    for tok in jieba.lcut_for_search(text):
        tok = tok.strip()
        if not tok or tok in STOPWORDS:
            continue
        if re.fullmatch(r"[\W_]+", tok):
            continue
        tokens.append(tok)
    return tokens


@dataclass
class KEntry:
    id: str
    kind: str
    topic: str | None
    source_id: str
    answer: dict
    article: dict
    effective_from: dt.date | None
    effective_to: dt.date | None
    verified: bool
    last_reviewed: dt.date | None
    standard: str | None = None
    item_number: int | None = None
    search_text: str = ""
    questions: str = ""  # the questions the entry was written for (zh and en), one per line
    replaced_by: str | None = None  # a source id: replaced on a date not recorded

    def superseded(self, today: dt.date | None = None) -> bool:
        if self.replaced_by:
            return True
        today = today or dt.date.today()
        return self.effective_to is not None and self.effective_to < today


@dataclass
class Hit:
    entry: KEntry
    score: float
    coverage: float  # share of the query's discriminating tokens found in the entry


def _name_pattern(name: str, latin: str) -> re.Pattern:
    """The pattern for one name; a Latin name (``latin``) as a whole word ("chile", not inside "chilean")."""
    return re.compile(rf"(?<![a-z]){re.escape(name)}(?![a-z])" if re.fullmatch(latin, name) else re.escape(name))


def name_spans(record: dict, text: str) -> list[tuple[int, int]]:
    """Where ``text`` names an economy's record by any of its aliases of two or more characters (Latin
    ones as whole words), as (start, end) spans of the lower-cased text."""
    low = (text or "").lower()
    return [
        m.span()
        for a in record.get("aliases") or []
        if len(a) >= 2
        for m in _name_pattern(a, r"[a-z .]+").finditer(low)
    ]


def _name_patterns(pairs: list[tuple[str, dict]], latin: str) -> list[tuple[re.Pattern, dict]]:
    """(pattern, record) for each (name, record), longest name first (see ``_name_pattern``)."""
    return [(_name_pattern(a, latin), rec) for a, rec in sorted(pairs, key=lambda x: -len(x[0]))]


def _named(patterns: list[tuple[re.Pattern, dict]], text: str) -> list[dict]:
    """The records named in ``text``, each once; a longer name's span is not read again as a shorter one."""
    low = (text or "").lower()
    found: list[dict] = []
    spans: list[tuple[int, int]] = []
    for rx, rec in patterns:
        m = rx.search(low)
        if m and not any(s <= m.start() < e for s, e in spans) and rec not in found:
            found.append(rec)
            spans.append((m.start(), m.end()))
    return found


@dataclass
class Knowledge:
    entries: dict[str, KEntry]
    sources: dict[str, dict]
    topics: list[dict]
    partners: list[dict]
    mra: dict
    digest: str
    _bm25: BM25Okapi | None = None
    _doc_ids: list[str] = field(default_factory=list)
    _doc_tokens: list[set] = field(default_factory=list)
    _alias_patterns: list[tuple[re.Pattern, dict]] | None = None
    _region_patterns: list[tuple[re.Pattern, dict]] | None = None

    # ---- lookups
    def is_draft(self, source_id: str) -> bool:
        """The source is a consultation draft (never in force: neither the old rule nor the new one)."""
        return (self.sources.get(source_id) or {}).get("status") == "draft"

    def topic_title(self, topic_id: str, lang: str) -> str:
        for t in self.topics:
            if t["id"] == topic_id:
                return t[lang]
        return topic_id

    def entries_for_topic(self, topic_id: str) -> list[KEntry]:
        return [e for e in self.entries.values() if e.topic == topic_id]

    def standard_item(self, standard: str, number: int) -> KEntry | None:
        return self.entries.get(f"standard.{standard}.{number}")

    def item_count(self, standard: str) -> int:
        return sum(1 for e in self.entries.values() if e.standard == standard)

    def find_economy(self, name: str) -> dict | None:
        key = (name or "").strip().lower()
        if not key:
            return None
        for p in self.partners:
            if key in p["aliases"]:
                return p
        return None

    def economies_in(self, text: str) -> list[dict]:
        """Economies named anywhere in ``text`` (longest alias first)."""
        if self._alias_patterns is None:  # (compiled once: this runs for every question)
            pairs = [(a, p) for p in self.partners for a in p["aliases"] if len(a) >= 2]
            self._alias_patterns = _name_patterns(pairs, r"[a-z .]+")
        return _named(self._alias_patterns, text)

    def mentions(self, economy: str, text: str) -> list[tuple[int, int]]:
        """Where ``text`` names ``economy`` (``name_spans``); none for an economy the knowledge does not list."""
        p = self.find_economy(economy)
        return name_spans(p, text) if p is not None else []

    def partner(self, pid: str) -> dict | None:
        return next((p for p in self.partners if p["id"] == pid), None)

    def regions_in(self, text: str) -> list[dict]:
        """Parts of the world named in ``text`` ("南美洲", "African"), longest name first, each once."""
        if self._region_patterns is None:  # (compiled once: this runs for many questions)
            pairs = [(a, r) for r in self.mra.get("regions") or [] for a in r["aliases"]]
            self._region_patterns = _name_patterns(pairs, r"[a-z .-]+")
        return _named(self._region_patterns, text)

    def partners_in(self, region: dict) -> list[dict]:
        """The partners (own records, not the EU's members) that lie in ``region`` or a region it covers."""
        placed = self.mra.get("partner_regions") or {}
        covers = set(region.get("covers") or [region["id"]])
        return [
            p
            for p in self.partners
            if p["status"] == "partner" and not p["member_of"] and placed.get(p["id"]) in covers
        ]

    # ---- search
    def _index(self) -> BM25Okapi:
        if self._bm25 is None:
            self._doc_ids = list(self.entries)
            docs = [tokenize(self.entries[i].search_text) for i in self._doc_ids]
            self._doc_tokens = [set(d) for d in docs]
            self._bm25 = BM25Okapi(docs)
        return self._bm25

    def search(self, query: str, limit: int = 5, kinds: set | None = None) -> list[Hit]:
        tokens = tokenize(query)
        if not tokens:
            return []
        bm25 = self._index()
        scores = bm25.get_scores(tokens)
        strong = [t for t in set(tokens) if t not in WEAK_TERMS] or list(set(tokens))
        order = sorted(range(len(scores)), key=lambda i: -scores[i])
        hits = []
        for i in order:
            if scores[i] <= 0:
                break
            entry = self.entries[self._doc_ids[i]]
            if kinds and entry.kind not in kinds:
                continue
            found = sum(1 for t in strong if t in self._doc_tokens[i])
            hits.append(Hit(entry=entry, score=float(scores[i]), coverage=found / len(strong)))
            if len(hits) >= limit:
                break
        return hits


def _read_from_db(engine: Engine) -> Knowledge:
    with session_scope(engine) as s:
        meta = {m.key: m.value for m in s.execute(select(KnowledgeMeta)).scalars()}
        if "digest" not in meta:
            raise RuntimeError(
                "the knowledge database is empty: run `make knowledge` (python -m core.knowledge.loader)"
            )
        sources = {
            src.id: {
                "id": src.id,
                "title_zh": src.title_zh,
                "title_en": src.title_en,
                "issued": src.issued,
                "effective_from": src.effective_from,
                "effective_to": src.effective_to,
                "status": src.status,
                "verified": src.verified,
                "url": src.url,
            }
            for src in s.execute(select(Source)).scalars()
        }
        for sid, extra in json.loads(meta.get("source_extra", "{}")).items():
            if sid in sources:
                sources[sid].update(extra)
        topics = [
            {"id": t.id, "zh": t.title_zh, "en": t.title_en}
            for t in s.execute(select(Topic).order_by(Topic.position)).scalars()
        ]
        entries = {}
        entry_extra = json.loads(meta.get("entry_extra", "{}"))
        for e in s.execute(select(Entry)).scalars():
            search_text = "\n".join(
                [e.questions_zh, e.questions_en, e.answer_zh, e.answer_en, e.keywords, e.article_zh or ""]
            )
            entries[e.id] = KEntry(
                id=e.id,
                kind=e.kind,
                topic=e.topic,
                source_id=e.source_id,
                answer={"zh": e.answer_zh, "en": e.answer_en},
                article={"zh": e.article_zh or "", "en": e.article_en or ""},
                effective_from=e.effective_from,
                effective_to=e.effective_to,
                verified=e.verified,
                last_reviewed=e.last_reviewed,
                standard=e.standard,
                item_number=e.item_number,
                search_text=search_text,
                questions="\n".join([e.questions_zh, e.questions_en]),
                replaced_by=entry_extra.get(e.id, {}).get("replaced_by"),
            )
        partners = [
            {
                "id": p.id,
                "zh": p.name_zh,
                "en": p.name_en,
                "status": p.status,
                "member_of": p.member_of,
                "aliases": [a for a in p.aliases.split("\n") if a],
                "signed": p.signed,
                "implemented": p.implemented,
                "source_id": p.source_id,
                "verified": p.verified,
                "note": p.note,
            }
            for p in s.execute(select(MraPartner)).scalars()
        ]
    return Knowledge(
        entries=entries,
        sources=sources,
        topics=topics,
        partners=partners,
        mra=json.loads(meta.get("mra", "{}")),
        digest=meta["digest"],
    )


class KnowledgeCache:
    """Process-wide knowledge, refreshed when the stored digest changes."""

    def __init__(self, engine: Engine | None = None, refresh_seconds: float = 30.0):
        self._engine = engine
        self._refresh = refresh_seconds
        self._kb: Knowledge | None = None
        self._checked = -math.inf
        self._lock = threading.Lock()

    def get(self) -> Knowledge:
        now = time.monotonic()
        if self._kb is not None and now - self._checked < self._refresh:
            return self._kb
        with self._lock:
            engine = create_schema(self._engine or get_engine())
            with session_scope(engine) as s:
                row = s.get(KnowledgeMeta, "digest")
                digest = row.value if row else None
            if self._kb is None or self._kb.digest != digest:
                self._kb = _read_from_db(engine)
            self._checked = now
            return self._kb


_default_cache: KnowledgeCache | None = None


def knowledge() -> Knowledge:
    global _default_cache
    if _default_cache is None:
        _default_cache = KnowledgeCache()
    return _default_cache.get()
