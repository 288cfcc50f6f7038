"""Answer units: the sentences and clauses an answer can be made of.

Built once per knowledge version (see ``units_for``) from ``knowledge/`` alone:
every policy entry (split into sentences, per language), every clause of every
standard item of the 2026 standards and the 单项标准 (with its notes and our
guidance as context), and every bilingual text of the diagnosis criteria and the
repair rules. Each unit keeps what its citation needs (the entry it belongs to,
or document / article / dates) and its facets: level (advanced / certified /
both), enterprise type (production / non_production), business type, law
version (282 / 251) and the item it belongs to.

Ranking (``UnitIndex.rank``) is a weighted term overlap: each query token
(jieba words, lower-cased English words with plurals folded, and the terms a
synonym group in ``knowledge/synonyms.yaml`` adds) scores its inverse document
frequency when the unit's own text contains it, and half of that when only its
context (item label, dimension, guidance, the entry's questions) does. It is an
inverted-index sum, cheap enough for every message. No Rasa import.
"""

from __future__ import annotations

import itertools
import math
import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from core.db import PROJECT_ROOT
from core.knowledge.context import levels_in
from core.knowledge.search import Knowledge, tokenize
from core.text import articles_in, document_of_source, documents_in

KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"
SYNONYMS_FILE = KNOWLEDGE_DIR / "synonyms.yaml"

CONTEXT_WEIGHT = 0.5
SCORE_DIGITS = 9  # ranking scores are compared to this many decimals
QUERY_STOPWORDS = set(
    "才 做 用 从 来 去 到 说 讲 看 上 下 里 中 得 该 应该 应当 必须 需 算 算不算 怎么样 会 不会 能不能 要不要 有没有 "
    "还 还能 还用 一般 具体 哪些 哪个 哪 多 少 吧 吗 呢 啊 要求 规定 情况 问题 时候 硬性 硬性规定 明确规定 有规定 "
    "from must need needs do does did we our us still should have has get any their them they its it's "
    "pls please tell know want would could will shall much many what which how why who whom when where "
    "than then also just only so if as at by be been was were not no yes ok vs versus similar "
    "几号 几年 几项 几条 几次 几个 几天 几月 多久 多长 多长时间 哪年 哪天 哪一天 什么时候 何时 一共 总共 "
    "大概 大约 左右 差不多 around approximately roughly approx 举例 例子 举个 一笔 会受 早就 后来 已经 这时 这时候 但 但是 "
    "主要 mainly primarily look looks looking 对了 换个 另外 顺便 请问 想问 问问 问一下 满足 符合 符合要求 方法 之前 之后 自己 another thing question btw by way anyway expect kind sort too one ones either yet supposed into onto upon up am me my mine your yours there here these those such some made make makes being because set sets itself themselves ourselves yourself yourselves whatever basically like cite cites cited".split()
)
SINGLE_CHAR_TERMS = set("罚税")
_EN_WORD = re.compile(r"[a-z][a-z0-9\-]*")
_SENTENCE_ZH = re.compile(r"(?<=[。；！？!?;])|\n+|(?=[①②③④⑤⑥⑦⑧⑨⑩])")
_SENTENCE_EN = re.compile(
    r"(?<!\bNo\.)(?<!\bArt\.)(?<!\bart\.)(?<!\be\.g\.)(?<!\bi\.e\.)(?<=[.;!?])\s+(?=[A-Z(“\"'①②③④⑤⑥⑦⑧⑨⑩]|\d{1,2}\.\s)|\n+|\s+(?=[①②③④⑤⑥⑦⑧⑨⑩])"
)
# A sentence that only says where to confirm (the reply adds one caveat line of its own).
CAVEAT_SENTENCE = re.compile(
    r"^(?:请以官方(?:文本|原文)为准|可拨打12360|以上内容尚未与官方原文核实|(?i:please rely on the official|please check the official|confirm with 12360))"
)
_BARE_MARKER = re.compile(r"\d{1,2}[.、．]")
SKIP_KEYS = {
    "article",
    "question",
    "label",
    "short",
    "unit",
    "type",
    "note",
    "name",
    "grounds_article",
    "consequence",
}  # (a fact's short name is no answer; a ground's name is said with its period; a criterion's
# consequence, "此情形属于失信企业认定情形", "该项不达标……", points at the criterion it follows)
# What our check guidance is about: how customs checks an item on site ("how will the customs
# officers check our seal management during the on-site audit?" holds these words, not the item's).
GUIDANCE_ABOUT = (
    "海关现场核查 现场检查 核查 检查 customs officer officers on-site onsite site check checks verify inspect audit"
)
# What an item of each standard is about beyond its label: the level it is for
# (not the standard's whole name: "海关……标准" would make every item match "海关").
STANDARD_ABOUT = {
    "advanced": "高级认证企业 advanced certified enterprise",
    "certified": "认证企业 certified enterprise",
    "individual": "高级认证企业 单项标准 advanced business-type",
}
LEVEL_OF_STANDARD = {"advanced": "advanced", "certified": "certified", "individual": "advanced"}


GUIDANCE_POSITION = 1000  # after every clause of its item
PARTIAL = "_partly"  # counterpart map key: the (item, other item) pairs that match only in part


@dataclass
class Unit:
    id: str
    kind: str  # policy | item | item_note | guidance | repair | criteria
    lang: str  # the language of ``text``
    text: str
    entry_id: str | None = None  # the knowledge entry that cites it
    topic: str | None = None
    standard: str | None = None
    item_number: int | None = None
    label: str = ""
    level: str = "both"  # advanced | certified | both
    enterprise_type: str | None = None  # production | non_production | None (both)
    business_type: str | None = None
    law: str = "282"  # 282 | 251
    verified: bool = True
    superseded: bool = False
    draft: bool = False  # from a consultation draft (never in force): neither the old rule nor the new
    citation: dict = field(default_factory=dict)  # for units without an entry: {zh, en}
    about: str = ""  # what the unit is about beyond its label (an item's standard)
    position: int = 0  # order inside its entry
    opens_line: bool = False  # begins a line of its entry's text (a new paragraph in a reply)
    opens_list: int = 0  # the numbered lines it introduces ("……各有6项附加标准：" then "1. …", "2. …")
    additional: bool = False  # an additional (bonus) item of a standard
    documents: frozenset = frozenset()  # the document it is from ("decree:251"), see core.text.documents_in
    mentions: frozenset = frozenset()  # the documents its entry names
    articles: frozenset = frozenset()  # the article numbers its text names ("第五条" → 5)
    tokens: set = field(default_factory=set)
    context_tokens: set = field(default_factory=set)


def split_sentences(text: str, lang: str) -> list[str]:
    """Sentences and clauses (the ①②③ of a standard item are clauses of their own)."""
    parts = (_SENTENCE_ZH if lang == "zh" else _SENTENCE_EN).split(text or "")
    out: list[str] = []
    marker = ""  # a list number cut off its item ("1." before "Decree 282 creates …")
    for p in parts:
        p = (p or "").strip()
        if not p:
            continue
        if _BARE_MARKER.fullmatch(p):
            marker += p + " "
            continue
        p, marker = marker + p, ""
        if out and len(p) < (6 if lang == "zh" else 15):
            out[-1] += p if lang == "zh" else " " + p
        else:
            out.append(p)
    if marker and out:
        out[-1] += " " + marker.strip()
    return out


# ---------------------------------------------------------------- tokens


def _fold(word: str) -> str:
    if len(word) > 6 and word.endswith("ing") and word[-4] not in "aeiou":
        # "repairing" ~ "repair", "tracking" ~ "track" (not "during", "thing")
        stem = word[:-3]
        return stem[:-1] if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "lsz" else stem
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and re.search(r"(?:x|ss)es$", word):
        return word[:-2]  # "taxes" ~ "tax", "boxes" ~ "box", "businesses" ~ "business"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def unit_tokens(text: str) -> set[str]:
    toks = set()
    for t in tokenize(text):
        toks.add(_fold(t) if _EN_WORD.fullmatch(t) else t)
    return toks


UNKNOWN_WEIGHT = 3.0
# Weight of a question word by its word class (jieba.posseg): subjects (nouns,
# numbers, English words) count fully, verbs less, function words little.
CLASS_WEIGHT = {
    "v": 0.6,
    "vd": 0.6,
    "a": 0.6,
    "ad": 0.6,
    "d": 0.3,
    "p": 0.3,
    "r": 0.3,
    "c": 0.3,
    "u": 0.3,
    "q": 0.5,
    "t": 0.5,
}
WEAK_EN = set(
    "already allowed allow required require requirement requirements needed still per apply applies applied get got make "
    "use used want say says said mean means give take count counts happen happens actually really exactly specific "
    "specifically list explain exist exists possible able whether ever company companies firm firms".split()
)


_CN_COUNT = re.compile(
    r"(?<![第一二两三四五六七八九十百千])[一二两三四五六七八九十百千]+(?=年|个月|次|项|日|天|票|万|分(?!之)|人|类|条|级|个)"
)


def digits_for_counts(text: str) -> str:
    """三年 → 3年, 两次 → 2次: the standard texts write counts in digits."""
    from core.text import cn_to_number

    def sub(m: re.Match) -> str:
        n = cn_to_number(m.group(0))
        return str(n) if n is not None else m.group(0)

    return _CN_COUNT.sub(sub, text or "")


def word_classes(text: str) -> dict[str, float]:
    """Token → weight factor from its word class."""
    import jieba.posseg as pseg

    from core.knowledge.search import _ensure_jieba

    _ensure_jieba()
    out: dict[str, float] = {}
    for w in pseg.lcut((text or "").lower()):
        word = w.word.strip()
        if not word:
            continue
        if w.flag == "eng":
            f = 0.4 if _fold(word) in WEAK_EN or word in WEAK_EN else 1.0
            out[_fold(word)] = f
            continue
        f = CLASS_WEIGHT.get(w.flag, CLASS_WEIGHT.get(w.flag[:1], 1.0))
        out[word] = f
        for t in unit_tokens(word):
            out.setdefault(t, f)
    return out


def phrase_token(member: str) -> str:
    return "§" + member.lower()


class _Alts(set):
    """A concept's tokens; ``wide`` are those of the class its words belong to (partial matches)."""

    wide: frozenset = frozenset()


# An open list of examples in brackets ("不给出具体数字门槛（如失信认定标准、修复期限、复核周期等）",
# "(dishonesty thresholds, repair periods, review cycles and so on)") names what a clause is not
# about: a word found only there holds this much of a match.
ASIDE_RE = re.compile(
    r"[（(](?:如|例如|比如|诸如)[^（）()]*、[^（）()]*等[）)]"
    r"|(?i:\((?:(?:e\.g\.,?|such as|for example)\s)?[^()]*,[^()]*\sand so on\))"
)
ASIDE_SHARE = 0.3
WIDER_SHARE = 0.85  # a clause naming only the class ("企业相关人员") holds this much of "法人"


# A quotation mark around a word (not the apostrophe inside one: "what's")
# A numbered line of a list ("1. ", "（2）", "③")
LIST_MARK = re.compile(r"^\s*(?:\d+[.、．)]|[（(]\d+[)）]|[①②③④⑤⑥⑦⑧⑨⑩])")
_QUOTE_MARK = re.compile(r"(?<!\w)['‘’\"“”]|['‘’\"“”](?!\w)")


class Synonyms:
    """Groups of words that mean the same here (lay word → domain term, English →
    Chinese). A group member found in a question adds the tokens of the whole
    group. Everything per member is computed once, at load."""

    def __init__(self, groups: list[list[str]], broader: list[dict] | None = None):
        self.groups = groups
        self._tokens = {w: unit_tokens(w) for g in groups for w in g}
        self._group_tokens: list[set[str]] = []
        for g in groups:
            toks: set[str] = set()
            for w in g:
                t = self._tokens[w]
                toks |= t if len(t) == 1 else {phrase_token(w)}
            self._group_tokens.append(toks - QUERY_STOPWORDS)
        # One way: a question naming the legal representative also matches a clause on "企业相关人员"
        # (the class the standard names him in), not the other way round.
        self._wider: dict[int, set[str]] = {}
        group_of = {w: gi for gi, g in enumerate(groups) for w in g}
        for rule in broader or []:
            wide = group_of.get(str(rule.get("broader", "")).lower())
            for n in rule.get("narrower") or []:
                narrow = group_of.get(str(n).lower())
                if wide is not None and narrow is not None and narrow != wide:
                    self._wider.setdefault(narrow, set()).update(self._group_tokens[wide])
        # (a member is looked for as the question is read: "self-report" as "self report")
        self._latin = [
            (gi, w, spaced, re.compile(rf"(?<![a-z]){re.escape(spaced)}(?![a-z])"))
            for gi, g in enumerate(groups)
            for w in g
            if re.fullmatch(r"[a-z0-9 \-/.]+", w)
            for spaced in [w.replace("-", " ")]
        ]
        # One character (条, 项) is part of too many words to mean anything alone.
        self._cjk = [
            (gi, w) for gi, g in enumerate(groups) for w in g if not re.fullmatch(r"[a-z0-9 \-/.]+", w) and len(w) >= 2
        ]

    @classmethod
    def load(cls, path: Path = SYNONYMS_FILE) -> Synonyms:
        if not path.exists():
            return cls([])
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return cls(
            [[str(w).lower() for w in g] for g in doc.get("groups") or [] if isinstance(g, list)],
            [r for r in doc.get("broader") or [] if isinstance(r, dict)],
        )

    def phrases(self) -> list[str]:
        """Members of more than one word: a unit containing one gets its phrase token."""
        return sorted({w for w, t in self._tokens.items() if len(t) > 1})

    def hits(self, text: str) -> list[tuple[set[str], set[str], set[str]]]:
        """(the group's members as tokens, the tokens of the member found, the tokens of the
        class the group belongs to, ``broader`` in synonyms.yaml) for every group the text names. Longer mentions win: "高级认证企业" is the
        advanced group only, not also "认证企业". A multi-word member ("debt
        ratio") matches units through its phrase token, not word by word."""
        low = (text or "").lower().replace("-", " ")  # "back-tax" is "back tax" (same length: spans stay)
        low = _QUOTE_MARK.sub("", low)  # "rated only 'basic'" is "rated only basic" (not "what's")
        found = []
        for gi, w, spaced, rx in self._latin:
            if spaced in low:
                found += [(b - a, a, b, gi, w) for a, b in (m.span() for m in rx.finditer(low))]
        for gi, w in self._cjk:
            i = low.find(w)
            while i >= 0:
                found.append((len(w), i, i + len(w), gi, w))
                i = low.find(w, i + 1)
        taken: list[tuple[int, int]] = []
        out, seen = [], set()
        for _, a, b, gi, w in sorted(found, key=lambda x: (-x[0], x[1])):
            if any(a < e and s0 < b for s0, e in taken):
                continue
            taken.append((a, b))
            if gi not in seen:
                seen.add(gi)
                out.append((self._group_tokens[gi], self._tokens[w], self._wider.get(gi, set())))
        return out


# ---------------------------------------------------------------- facets


def enterprise_type_of(text: str) -> str | None:
    """The one enterprise type a sentence is about; none when it gives both ("≤85%（生产型），
    ≤75%（非生产型）"), as it answers either."""
    low = text.lower()
    non = "非生产型" in text or "non-production" in low or "non-manufactur" in low
    rest = re.sub(r"非生产型|non-production|non-manufactur", "", low)
    production = "生产型" in rest or "production enterprise" in rest or "manufactur" in rest
    if non and not production:
        return "non_production"
    if production and not non:
        return "production"
    return None


def _bilingual_leaves(node: Any, path: str = ""):
    """Every {zh, en} pair under ``node`` with the path that leads to it."""
    if isinstance(node, dict):
        if isinstance(node.get("zh"), str) and isinstance(node.get("en"), str):
            yield path, node
            return
        for k, v in node.items():
            yield from _bilingual_leaves(v, f"{path}.{k}" if path else str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _bilingual_leaves(v, f"{path}[{i}]")


# ---------------------------------------------------------------- building


def level_of_entry(entry_id: str) -> str:
    """A policy entry about one level only (fin.advanced_2026, comp.certified_2026)."""
    parts = set(re.split(r"[._]", entry_id))
    if "advanced" in parts and "certified" not in parts:
        return "advanced"
    if "certified" in parts and "advanced" not in parts:
        return "certified"
    return "both"


def _level_of_sentence(text: str, entry_level: str) -> str:
    """A sentence about one level only ("认证企业标准第（62）项相同，但……") in an
    entry about both."""
    if entry_level != "both":
        return entry_level
    named = levels_in(text)
    return named.pop() if len(named) == 1 else "both"


def _policy_units(kb: Knowledge) -> list[Unit]:
    out = []
    for e in kb.entries.values():
        if e.kind != "policy":
            continue
        context = unit_tokens(e.search_text)  # shared by the entry's sentences
        for lang in ("zh", "en"):
            whole = e.answer.get(lang) or ""
            at = 0
            for pos, sent in enumerate(split_sentences(whole, lang)):
                found = whole.find(sent, at)
                opens_line = found > 0 and whole[:found].rstrip(" ").endswith("\n")
                at = found + len(sent) if found >= 0 else at
                if CAVEAT_SENTENCE.search(sent):
                    continue  # "请以官方文本为准，可拨打12360……": the reply's own caveat line says it once
                out.append(
                    Unit(
                        id=f"{e.id}#{lang}{pos}",
                        kind="policy",
                        level=_level_of_sentence(sent, level_of_entry(e.id)),
                        lang=lang,
                        text=sent,
                        entry_id=e.id,
                        topic=e.topic,
                        law="251" if e.source_id == "decree_251" or e.superseded() else "282",
                        verified=e.verified,
                        superseded=e.superseded(),
                        draft=kb.is_draft(e.source_id),
                        position=pos,
                        opens_line=opens_line,
                        context_tokens=context,
                    )
                )
    return out


def _item_units(kb: Knowledge, root: Path) -> tuple[list[Unit], dict]:
    """Clauses of every standard item, and the counterpart map between the
    advanced and the certified standard (from the guidance records)."""
    from core.standards.guidance import all_guidance

    path = root / "standards" / "standard_2026.yaml"
    if not path.exists():
        return [], {PARTIAL: set()}
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    btypes = {b["id"]: b.get("name", {}) for b in doc.get("business_types") or []}
    dimension_topic = _topics_doc(root).get("standard_dimensions") or {}
    guidance = all_guidance(root / "standards" / "guidance.yaml")
    counterpart: dict = {}
    partial: set = set()
    for key, rec in guidance.items():
        if key.startswith("_"):
            continue
        counterpart.setdefault(key, [])  # a record that names no other standard: known to have no counterpart
        for other in rec.get("applies_to") or []:
            if other != key:
                counterpart[key].append(other)
        # the other standard's item that covers part of this one (certified 46, visitors, of advanced
        # 51), declared on one side: the relation holds both ways
        for other in rec.get("partly_matches") or []:
            counterpart[key].append(other)
            counterpart.setdefault(other, []).append(key)
            partial |= {(key, other), (other, key)}
    out = []
    for std in doc.get("standards") or []:
        sid = std["id"]
        for raw in std.get("items") or []:
            num = raw["number"]
            entry = kb.standard_item(sid, num)
            if entry is None:
                continue
            label = raw.get("label") or ""
            g = guidance.get(f"{sid}:{num}") or {}
            bt = raw.get("business_type")
            bt_names = btypes.get(bt, {}) if bt else {}
            ctx_parts = [
                label,
                raw.get("dimension") or "",
                (raw.get("subcategory") or {}).get("name", "") if isinstance(raw.get("subcategory"), dict) else "",
                bt_names.get("zh", ""),
                bt_names.get("en", ""),
                std["name"]["zh"],
                std["name"]["en"],
            ]
            for f in ("why", "customs_checks", "steps", "evidence"):
                for lang in ("zh", "en"):
                    v = (g.get(f) or {}).get(lang)
                    ctx_parts.append(" ".join(v) if isinstance(v, list) else (v or ""))
            for ind in (raw.get("rule_params") or {}).get("indicators") or []:
                ctx_parts.append((ind.get("name") or {}).get("en", ""))
                ctx_parts.append((ind.get("formula") or {}).get("en", ""))
            context = unit_tokens("\n".join(ctx_parts))
            # The Chinese clauses, our English translation's clauses, then the notes.
            clause_sources = [("requirement", "zh", t) for t in split_sentences(raw.get("requirement") or "", "zh")]
            # The item's 达标/基本达标 sentence when the requirement text does not hold it (item 14's
            # "2项及以上符合要求的，为达标" is written apart from its five indicators).
            rule_text = (raw.get("scoring_rule_text") or "").strip()
            if rule_text and rule_text not in (raw.get("requirement") or ""):
                clause_sources += [("requirement", "zh", t) for t in split_sentences(rule_text, "zh")]
            clause_sources += [("requirement", "en", t) for t in split_sentences(raw.get("requirement_en") or "", "en")]
            for note in raw.get("notes") or []:
                if isinstance(note, str):
                    clause_sources.append(("note", "en", note))
            # What every unit of this item shares.
            shared = {
                "entry_id": entry.id,
                "topic": dimension_topic.get(raw.get("dimension") or ""),
                "standard": sid,
                "item_number": num,
                "about": STANDARD_ABOUT.get(sid, ""),
                "level": LEVEL_OF_STANDARD.get(sid, "both"),
                "business_type": bt,
                "context_tokens": context,
                "additional": bool(raw.get("additional")),
            }
            labels = {"zh": label, "en": raw.get("label_en") or label}
            for pos, (_kind, lang, sent) in enumerate(clause_sources):
                kind = "item" if _kind == "requirement" else "item_note"
                out.append(
                    Unit(
                        id=f"{entry.id}#{pos}",
                        kind=kind,
                        lang=lang,
                        text=sent,
                        label=labels[lang],
                        enterprise_type=enterprise_type_of(sent),
                        verified=entry.verified,
                        position=pos,
                        **shared,
                    )
                )
            # How customs checks the item on site: the project's own guidance (knowledge/standards/
            # guidance.yaml), an answer unit of its own kind, never stated as official text.
            for lang in ("zh", "en"):
                checks = ((g.get("customs_checks") or {}).get(lang) or "").strip()
                if checks:
                    out.append(
                        Unit(
                            id=f"{entry.id}#checks-{lang}",
                            kind="guidance",
                            lang=lang,
                            text=checks,
                            label=labels[lang],
                            verified=False,
                            position=GUIDANCE_POSITION,
                            **{**shared, "about": f"{shared['about']} {GUIDANCE_ABOUT}"},
                        )
                    )
    counterpart[PARTIAL] = partial
    return out, counterpart


# Words of a business type's name that do not name it ("进出口……业务", "import/export of").
_BUSINESS_GENERIC = set(
    "进出口 进出境 出入境 进出 出境 入境 出口 进口 业务 品检 import export entry exit and of".split()
)


def _business_words(root: Path) -> dict[str, frozenset]:
    """Business type → the words of its name (standard_2026.yaml ``business_types``): a question
    holding none of them is not about that business type's individual standard."""
    path = root / "standards" / "standard_2026.yaml"
    doc = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.exists() else {}
    out = {}
    for b in doc.get("business_types") or []:
        name = b.get("name") or {}
        out[b["id"]] = frozenset(unit_tokens(f"{name.get('zh', '')} {name.get('en', '')}") - _BUSINESS_GENERIC)
    return out


def _topics_doc(root: Path) -> dict:
    path = root / "topics.yaml"
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.exists() else {}


def _yaml_units(root: Path, rel: str, kind: str, sources: dict) -> list[Unit]:
    """Every bilingual text of a rule file (diagnosis criteria, repair rules),
    cited by the nearest enclosing ``source`` / ``article`` / ``effective_*``; a criterion
    of one standard's item gets that level."""
    path = root / rel
    if not path.exists():
        return []
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out: list[Unit] = []

    def walk(node: Any, path_s: str, inherited: dict) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("zh"), str) and isinstance(node.get("en"), str):
                add(path_s, node, inherited)
                return
            here = dict(inherited)
            for k in ("source", "article", "effective_from", "effective_to", "verified"):
                v = node.get(k)
                if v is not None and (not isinstance(v, dict | list) or k == "article"):
                    here[k] = v
            if node.get("standard") in ("advanced", "certified"):
                here["level"] = node["standard"]  # a criterion of one standard's item
            for k, v in node.items():
                if k in SKIP_KEYS:
                    continue
                walk(v, f"{path_s}.{k}" if path_s else str(k), here)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{path_s}[{i}]", inherited)

    def add(path_s: str, pair: dict, inherited: dict) -> None:
        src = sources.get(str(inherited.get("source") or ""), {})
        superseded = bool(inherited.get("effective_to")) or src.get("status") == "repealed"
        verified = bool(pair.get("verified", inherited.get("verified", True)))
        for lang in ("zh", "en"):
            text = pair[lang].strip()
            if len(text) < 4:
                continue
            out.append(
                Unit(
                    id=f"{kind}:{path_s}#{lang}",
                    kind=kind,
                    lang=lang,
                    text=text,
                    level=str(inherited.get("level") or "both"),
                    law="251" if "251" in path_s or superseded else "282",
                    verified=verified,
                    superseded=superseded,
                    citation={
                        "source": inherited.get("source"),
                        "article": inherited.get("article") or {},
                        "effective_from": inherited.get("effective_from"),
                        "effective_to": inherited.get("effective_to"),
                    },
                    context_tokens=unit_tokens(path_s.replace("_", " ")),
                )
            )

    walk(doc, "", {})
    return out


_CN_NUMBER = "零一二三四五六七八九"


def _repair_period_units(root: Path) -> list[Unit]:
    """The waiting period of each dishonesty ground that allows a repair application, one sentence
    per ground ("第251号令第二十二条第（二）项（走私行为被海关行政处罚）：自认定之日起满1年可以书面申请
    信用修复……"), from the ground's name and months in repair.yaml."""
    repair = yaml.safe_load((root / "diagnosis/repair.yaml").read_text(encoding="utf-8")) or {}
    out: list[Unit] = []
    for regime, reg in (repair.get("regimes") or {}).items():
        law = "251" if "251" in regime else "282"
        article = reg.get("grounds_article") or {}
        for g in reg.get("grounds") or []:
            months, name = g.get("min_months"), g.get("name") or {}
            if g.get("application") != "allowed" or not months or not name or not article:
                continue
            n = str(g["ground"])
            years, rest = divmod(int(months), 12)
            period = {"zh": f"{years}年" if years and not rest else f"{months}个月"}
            period["en"] = f"{years} year{'s' if years > 1 else ''}" if years and not rest else f"{months} months"
            text = {
                "zh": f"{article['zh']}第（{_CN_NUMBER[int(n)] if n.isdigit() and int(n) < 10 else n}）项"
                f"（{name['zh']}）：自认定之日起满{period['zh']}可以书面申请信用修复（期限未核实）。",
                "en": f"{article['en']} ({n}) ({name['en']}): a written application for credit repair was possible "
                f"{period['en']} after the determination (period not verified).",
            }
            for lang in ("zh", "en"):
                out.append(
                    Unit(
                        id=f"repair:regimes.{regime}.grounds.{n}.period#{lang}",
                        kind="repair",
                        lang=lang,
                        text=text[lang],
                        topic=repair.get("topic"),
                        label=name[lang],  # the ground, said in the text too
                        law=law,
                        verified=bool(g.get("verified", False)),
                        superseded=bool(reg.get("effective_to")),
                        citation={
                            "source": reg.get("source"),
                            "article": reg.get("article") or {},
                            "effective_from": reg.get("effective_from"),
                            "effective_to": reg.get("effective_to"),
                        },
                        context_tokens=unit_tokens(f"{regime} grounds".replace("_", " ")),
                    )
                )
    return out


# ---------------------------------------------------------------- index


@dataclass
class Ranked:
    unit: Unit
    score: float
    coverage: float  # share of the query's weight found in the unit's own text
    evidence: float = 0.0  # that weight itself (how much of substance matched)


# a gloss in brackets after a term, in Latin letters: "(chayan lv)", "(gongbu)", "(back taxes)"
_GLOSS = re.compile(r"[(（]\s*([A-Za-z][A-Za-z' -]{0,40}?)\s*[)）]")


class UnitIndex:
    def __init__(self, units: list[Unit], counterpart: dict, synonyms: Synonyms):
        self.units = units
        self.counterpart = counterpart
        self.synonyms = synonyms
        self.by_entry: dict[str, list[Unit]] = defaultdict(list)
        self.level_topics: dict[str, dict[str, str]] = {}  # topic -> {level: the same topic for that level}
        self.aspect_topics: dict[str, dict[str, str]] = {}  # topic -> {aspect: the topic that answers it}
        self.business_words: dict[str, frozenset] = {}  # business type -> the words of its name
        # the standards' item names ("单证复核", "单证保管"): what "单证保管呢？" swaps in a follow-up
        self.item_labels = frozenset(
            tail
            for u in units
            if u.kind == "item" and u.lang == "zh" and u.label
            for tail in [u.label.split("-")[-1].strip()]
            if len(tail) >= 2 and re.fullmatch(r"[\u4e00-\u9fff]+", tail)
        )
        # the groups of a standard's items, by the name their labels open with ("商业伙伴安全-资质审核"):
        # (standard, lang) -> {name, lower-case: the first clause of each item}; "商业伙伴安全那块详细说说"
        self.item_groups: dict[tuple, dict[str, list]] = {}
        for u in units:
            if u.kind != "item" or not u.label or not u.standard:
                continue
            name = re.split(r"\s+[–-]\s+|-", u.label, maxsplit=1)[0].strip().lower()
            if name == u.label.strip().lower():
                continue  # an item without a group ("贸易安全培训")
            group = self.item_groups.setdefault((u.standard, u.lang), {}).setdefault(name, [])
            if all(x.item_number != u.item_number for x in group):
                group.append(u)
        self._containing: dict[str, tuple[int, ...]] = {}
        self._lower = [ASIDE_RE.sub(" ", u.text).lower() for u in units]
        self._own: dict[str, list[int]] = defaultdict(list)
        self._aside: dict[str, list[int]] = defaultdict(list)
        self._ctx: dict[str, list[int]] = defaultdict(list)
        df: dict[str, int] = defaultdict(int)
        phrases = [(p, p.replace("-", " ")) for p in synonyms.phrases()]

        def words(u: Unit, text: str) -> set[str]:
            # An item's label ("场所安全-门窗围墙") and its standard ("海关认证企业标准")
            # name what its clauses are about.
            about = f"{u.label} {u.about}"
            low = text.lower().replace("-", " ") + " " + about.lower()
            # Counts in words are read as digits, as the question's are ("分为A、B、C、D四级" ~ "4级").
            whole = f"{text} {about}"
            found = unit_tokens(whole) | unit_tokens(digits_for_counts(whole))
            return found | {phrase_token(p) for p, spaced in phrases if spaced in low}

        for i, u in enumerate(units):
            if not u.tokens:
                u.tokens = words(u, u.text)
            if u.entry_id:
                self.by_entry[u.entry_id].append(u)
            # (the words only its bracketed examples name)
            aside = u.tokens - words(u, ASIDE_RE.sub(" ", u.text)) if ASIDE_RE.search(u.text) else set()
            for t in u.tokens:
                (self._aside if t in aside else self._own)[t].append(i)
            if u.kind != "guidance":
                # our check guidance is found by its own words and its item's label, and does not
                # change how rare a word of the law is
                for t in u.context_tokens - u.tokens:
                    self._ctx[t].append(i)
                for t in u.tokens | u.context_tokens:
                    df[t] += 1
        # every word of an entry's sentences (a line that names only those asks about that entry)
        self.entry_tokens: dict[str, frozenset] = {
            e: frozenset().union(*(u.tokens for u in same)) for e, same in self.by_entry.items()
        }
        for same in self.by_entry.values():
            for u in same:
                if u.text.rstrip().endswith(("：", ":")):
                    after = sorted(
                        (v for v in same if v.lang == u.lang and v.position > u.position), key=lambda v: v.position
                    )
                    u.opens_list = len(list(itertools.takewhile(lambda v: LIST_MARK.match(v.text), after)))
        # Long sentences (a whole dimension's summary) match many questions by
        # sheer length: their own-text score is discounted, up to 30%.
        self._brevity = [1.0 - 0.1 * min(3.0, max(0.0, (len(u.tokens) - 25) / 25)) for u in units]
        n = max(sum(u.kind != "guidance" for u in units), 1)
        self.idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}

    def containing(self, token: str) -> tuple[int, ...]:
        """Units whose text contains a Chinese compound of 5 or more characters
        although jieba cut it differently there ("认证企业标准" inside
        "《海关认证企业标准》"). Cached per compound."""
        if len(token) < 5 or not re.fullmatch(r"[\u4e00-\u9fff]+", token):
            return ()
        found = self._containing.get(token)
        if found is None:
            found = tuple(i for i, low in enumerate(self._lower) if token in low)
            if len(self._containing) < 20_000:
                self._containing[token] = found
        return found

    def concepts(self, text: str) -> list[tuple[float, set[str]]]:
        """What the question asks about: (weight, tokens any of which match).
        A synonym group is one concept; a token is one concept of its own."""
        text = digits_for_counts(text)
        toks = unit_tokens(text) - QUERY_STOPWORDS
        pos = word_classes(text)

        def weight(t: str) -> float:
            w = self.idf.get(t, 0.0) * pos.get(t, 1.0)
            if len(t) == 1 and t not in SINGLE_CHAR_TERMS:
                w *= 0.3  # 才, 做, 走: function words more than subjects
            if any(t != o and t in o for o in toks):
                w *= 0.3  # 集装 / 装箱 inside 集装箱: counted once
            return w

        out: list[tuple[float, set[str]]] = []
        absorbed: set[str] = set()
        for group, member, wider in self.synonyms.hits(text):
            mine = toks & (group | member)
            w = max((weight(t) for t in mine), default=0.0)
            w = max(w, 0.6 * max((self.idf.get(t, 0.0) for t in group if len(t) > 1), default=0.0))
            absorbed |= mine
            # the class's words match too, as WIDER_SHARE of a match (without weighing more)
            wide = wider - group
            group = _Alts(group | (mine if len(member) == 1 else set()) | wide)
            group.wide = frozenset(wide)
            if w > 0:
                out.append((w, group))
        glosses = {w.lower() for g in _GLOSS.findall(text) for w in g.split()}
        for t in sorted(toks - absorbed):  # (a set's order varies from process to process)
            w = weight(t)
            if w > 0:
                out.append((w, {t}))
            elif (
                t not in self.idf
                and pos.get(t, 1.0) >= 1.0
                and len(t) >= 2
                and not re.search(r"\d", t)
                and t not in glosses  # "inspection rate (chayan lv)": a gloss, not a subject
            ):
                # A subject the knowledge never mentions (春天, bitcoin): it
                # counts against every unit, so an off-topic line stays unmatched.
                out.append((UNKNOWN_WEIGHT, set()))
        return out

    def rank(
        self,
        text: str,
        limit: int = 20,
        context_weight: float = CONTEXT_WEIGHT,
        boost: str = "",
        skip_kinds: frozenset = frozenset(),
    ) -> list[Ranked]:
        """Units by weighted overlap with ``text``; the words of ``boost`` (the
        new part of a follow-up) weigh double."""
        concepts = self.concepts(text)
        if boost:
            extra = unit_tokens(digits_for_counts(boost))
            concepts = [(w * 2 if alts & extra else w, alts) for w, alts in concepts]
        total = sum(w for w, _ in concepts)
        if not total:
            return []
        own: dict[int, float] = defaultdict(float)
        ctx: dict[int, float] = defaultdict(float)
        for w, alts in concepts:
            own_hit: set[int] = set()
            wide: frozenset = getattr(alts, "wide", frozenset())
            for t in alts - wide:
                own_hit.update(self._own.get(t, ()))
                own_hit.update(self.containing(t))
            class_hit: set[int] = set()
            for t in wide:
                class_hit.update(self._own.get(t, ()))
                class_hit.update(self.containing(t))
            for i in class_hit - own_hit:
                own[i] += w * WIDER_SHARE
            aside_hit: set[int] = set()
            for t in alts:
                aside_hit.update(self._aside.get(t, ()))
            for i in aside_hit - own_hit - class_hit:
                own[i] += w * ASIDE_SHARE
            ctx_hit: set[int] = set()
            for t in alts:
                ctx_hit.update(self._ctx.get(t, ()))
            for i in own_hit:
                own[i] += w
            for i in ctx_hit - own_hit - class_hit:
                ctx[i] += w
        scores = {i: own.get(i, 0.0) * self._brevity[i] + context_weight * ctx.get(i, 0.0) for i in set(own) | set(ctx)}
        if skip_kinds:
            scores = {i: v for i, v in scores.items() if self.units[i].kind not in skip_kinds}
        # (the sums above run in the order of sets of words, which varies from process to process, so equal
        # scores can differ in their last bits: rounded, and ties in the knowledge's order, every reply is
        # the same in every process)
        order = sorted(scores, key=lambda i: (-round(scores[i], SCORE_DIGITS), i))[:limit]
        return [Ranked(self.units[i], scores[i] / total, own.get(i, 0.0) / total, own.get(i, 0.0)) for i in order]


_lock = threading.Lock()
_cache: dict[str, UnitIndex] = {}


def build_index(kb: Knowledge, root: Path = KNOWLEDGE_DIR) -> UnitIndex:
    items, counterpart = _item_units(kb, root)
    units = _policy_units(kb) + items
    units += _yaml_units(root, "diagnosis/repair.yaml", "repair", kb.sources)
    units += _yaml_units(root, "diagnosis/criteria.yaml", "criteria", kb.sources)
    units += _repair_period_units(root)
    # A unit is from its entry's source and mentions what any sentence of its entry names
    # (the notice on Decree 251 says "第251号令" once, in its opening line).
    named: dict[str, set[str]] = defaultdict(set)
    for u in units:
        named[u.entry_id or u.id] |= documents_in(u.text)
    for u in units:
        entry = kb.entries.get(u.entry_id or "")
        source = entry.source_id if entry is not None else str((u.citation or {}).get("source") or "")
        implements = str((kb.sources.get(source) or {}).get("implements") or "")
        u.documents = frozenset({document_of_source(source), document_of_source(implements)} - {""})
        u.mentions = frozenset(named[u.entry_id or u.id])
        u.articles = frozenset(articles_in(u.text))
    index = UnitIndex(units, counterpart, Synonyms.load(root / "synonyms.yaml"))
    doc = _topics_doc(root)
    index.level_topics = doc.get("level_topics") or {}
    index.aspect_topics = doc.get("aspect_topics") or {}
    index.business_words = _business_words(root)
    word_classes("预热")  # jieba's part-of-speech model loads once, here, not on a user's message
    return index


def units_for(kb: Knowledge) -> UnitIndex:
    """The unit index of this knowledge version (built once, at first use after a load)."""
    idx = _cache.get(kb.digest)
    if idx is None:
        with _lock:
            idx = _cache.get(kb.digest)
            if idx is None:
                idx = build_index(kb)
                _cache.clear()
                _cache[kb.digest] = idx
    return idx
