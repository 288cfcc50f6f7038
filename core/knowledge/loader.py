"""Read, validate and load ``knowledge/`` into the database (no Rasa import).

``read_knowledge`` validates every file before anything is written and raises
:class:`KnowledgeError` naming the file, the entry and the field at fault.
``load_knowledge`` writes the validated bundle in one transaction and records a
content hash, so loading the same knowledge twice writes nothing, and a bad file
leaves the database exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import yaml
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine

from core.db import create_schema, get_engine, session_scope
from core.files import KNOWLEDGE_DIR
from core.knowledge.models import Entry, KnowledgeMeta, MraPartner, Source, Topic
from core.standards import catalogue, guidance

ID_RE = re.compile(r"^[a-z0-9_.:-]+$")
SOURCE_STATUSES = {"in_force", "superseded", "draft", "reference"}
CONFIDENCES = ("high", "medium", "low")
SOURCE_TYPES = {"primary", "reprint", "secondary"}
COUNT_KINDS = {"signed", "implemented"}
RECOGNISES = {"advanced", "advanced_and_certified", "not_stated"}
MONTH_RE = re.compile(r"^\d{4}-\d{2}$")


class KnowledgeError(ValueError):
    """A knowledge file is invalid. ``str()`` names file, entry and field."""

    def __init__(self, file: str, entry: str, field_name: str, message: str):
        self.file, self.entry, self.field, self.message = file, entry, field_name, message
        super().__init__(f"{file}: entry '{entry}': field '{field_name}': {message}")


@dataclass
class Bundle:
    topics: list[dict] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)
    entries: list[dict] = field(default_factory=list)
    partners: list[dict] = field(default_factory=list)
    mra: dict = field(default_factory=dict)
    digest: str = ""


# --------------------------------------------------------------------------- helpers


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _read_yaml(path: Path, root: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "?"
        raise KnowledgeError(_rel(path, root), where, "(yaml)", f"not valid YAML: {exc}") from None
    except OSError as exc:
        raise KnowledgeError(_rel(path, root), "-", "(file)", f"cannot read: {exc}") from None


class _Checker:
    """Field checks for one entry; every failure names file, entry and field."""

    def __init__(self, file: str, entry_id: str, data: Any):
        self.file, self.entry_id = file, entry_id
        if not isinstance(data, dict):
            self.fail("(entry)", f"must be a mapping, got {type(data).__name__}")
        self.data = data

    def fail(self, name: str, message: str) -> NoReturn:
        raise KnowledgeError(self.file, self.entry_id, name, message)

    def required_text(self, name: str, value: Any = None, where: str = "") -> str:
        v = self.text(name, True, value, where)
        assert v is not None  # text() fails on a missing required text
        return v

    def required_date(self, name: str) -> dt.date:
        v = self.date(name, required=True)
        assert v is not None  # date() fails on a missing required date
        return v

    def text(self, name: str, required: bool = True, value: Any = None, where: str = "") -> str | None:
        label = where or name
        v = self.data.get(name) if value is None and not where else value
        if v is None or (isinstance(v, str) and not v.strip()):
            if required:
                self.fail(label, "is required and must be non-empty text")
            return None
        if isinstance(v, int | float) and not isinstance(v, bool):
            v = str(v)
        if not isinstance(v, str):
            self.fail(label, f"must be text, got {type(v).__name__}")
        return v.strip()

    def ident(self, name: str) -> str:
        v = self.required_text(name)
        if not ID_RE.match(v):
            self.fail(name, f"'{v}' must use only a-z, 0-9, '_', '.', ':' or '-'")
        return v

    def bilingual(self, name: str, required: bool = True) -> dict | None:
        v = self.data.get(name)
        if v is None:
            if required:
                self.fail(name, "is required: a mapping with 'zh' and 'en' texts")
            return None
        if isinstance(v, str):
            # A single text (e.g. an article number) serves both languages.
            return {"zh": v.strip(), "en": v.strip()}
        if not isinstance(v, dict):
            self.fail(name, "must be a mapping with 'zh' and 'en'")
        out = {}
        for lang in ("zh", "en"):
            out[lang] = self.text(lang, value=v.get(lang), where=f"{name}.{lang}")
        return out

    def text_list(self, name: str, value: Any, where: str) -> list[str]:
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.fail(where, "must be a list of texts")
        out = []
        for i, item in enumerate(value):
            out.append(self.required_text(name, value=item, where=f"{where}[{i}]"))
        return out

    def date(self, name: str, required: bool = False) -> dt.date | None:
        v = self.data.get(name)
        if v is None or v == "":
            if required:
                self.fail(name, "is required (YYYY-MM-DD)")
            return None
        if isinstance(v, dt.datetime):
            return v.date()
        if isinstance(v, dt.date):
            return v
        try:
            return dt.date.fromisoformat(str(v))
        except ValueError:
            self.fail(name, f"'{v}' is not a date (YYYY-MM-DD)")

    def choice(self, name: str, allowed, required: bool = True) -> str | None:
        v = self.text(name, required=required)
        if v is not None and v not in allowed:
            self.fail(name, f"'{v}' must be one of {sorted(allowed)}")
        return v

    def date_or_month(self, name: str) -> tuple[dt.date | None, str | None]:
        """A full date, or 'YYYY-MM' when only the month is known: (date or None, label)."""
        v = self.data.get(name)
        if isinstance(v, str) and MONTH_RE.match(v.strip()):
            return None, v.strip()
        d = self.date(name)
        return d, d.isoformat() if d else None

    def boolean(self, name: str) -> bool:
        v = self.data.get(name)
        if not isinstance(v, bool):
            self.fail(name, "is required: true or false")
        return v


def _entries_of(doc: Any, key: str, file: str) -> list:
    if not isinstance(doc, dict) or not isinstance(doc.get(key), list):
        raise KnowledgeError(file, "-", key, f"the file must hold a top-level list '{key}:'")
    return doc[key]


# --------------------------------------------------------------------------- readers


def _read_topics(root: Path) -> list[dict]:
    path = root / "topics.yaml"
    file = _rel(path, root)
    topics = []
    seen = set()
    for i, raw in enumerate(_entries_of(_read_yaml(path, root), "topics", file)):
        c = _Checker(file, str(raw.get("id", f"#{i + 1}")) if isinstance(raw, dict) else f"#{i + 1}", raw)
        tid = c.ident("id")
        if tid in seen:
            c.fail("id", "duplicate topic id")
        seen.add(tid)
        topics.append({"id": tid, "zh": c.text("zh"), "en": c.text("en"), "position": i})
    return topics


def _read_sources(root: Path) -> list[dict]:
    path = root / "sources.yaml"
    file = _rel(path, root)
    out, seen = [], set()
    for i, raw in enumerate(_entries_of(_read_yaml(path, root), "sources", file)):
        c = _Checker(file, str(raw.get("id", f"#{i + 1}")) if isinstance(raw, dict) else f"#{i + 1}", raw)
        sid = c.ident("id")
        if sid in seen:
            c.fail("id", "duplicate source id")
        seen.add(sid)
        status = c.text("status")
        if status not in SOURCE_STATUSES:
            c.fail("status", f"'{status}' must be one of {sorted(SOURCE_STATUSES)}")
        eff_from, eff_to = c.date("effective_from"), c.date("effective_to")
        if eff_from and eff_to and eff_to < eff_from:
            c.fail("effective_to", "is before effective_from")
        out.append(
            {
                "id": sid,
                "title_zh": c.text("title_zh"),
                "title_en": c.text("title_en"),
                "issued": c.date("issued"),
                "effective_from": eff_from,
                "effective_to": eff_to,
                "status": status,
                "url": c.text("url", required=False),
                "verified": c.boolean("verified"),
                "note": c.text("note", required=False),
                "confidence": c.choice("confidence", CONFIDENCES),
                "type": c.choice("type", SOURCE_TYPES),
                "seen_at": c.text_list("seen_at", raw.get("seen_at"), "seen_at"),
                "quote": c.text("quote", required=False),
                # A notice that implements a decree answers for that decree ("按251号令要什么材料").
                "implements": c.text("implements", required=False),
                # The document that replaced this one ("第251号令" → decree_282): said when a
                # user asks whether the old rule still applies.
                "superseded_by": c.text("superseded_by", required=False),
                # Who presented or said it (a briefing's speaker): named when asked "who said that?".
                "speaker_zh": c.text("speaker_zh", required=False),
                "speaker_en": c.text("speaker_en", required=False),
            }
        )
    ids = {s["id"] for s in out}
    for s in out:
        for key in ("implements", "superseded_by"):
            if s[key] and s[key] not in ids:
                raise KnowledgeError(file, str(s["id"]), key, f"'{s[key]}' is not a source in this file")
    return out


SOURCE_EXTRA_FIELDS = (
    "confidence",
    "type",
    "seen_at",
    "quote",
    "implements",
    "superseded_by",
    "speaker_zh",
    "speaker_en",
)


def _read_policy(root: Path, topic_ids: set, source_ids: set) -> list[dict]:
    out = []
    files = sorted((root / "policy").glob("*.yaml")) + sorted((root / "policy").glob("*.yml"))
    if not files:
        raise KnowledgeError(_rel(root / "policy", root), "-", "(files)", "no policy files found")
    for path in files:
        file = _rel(path, root)
        for i, raw in enumerate(_entries_of(_read_yaml(path, root), "entries", file)):
            eid = str(raw.get("id", f"#{i + 1}")) if isinstance(raw, dict) else f"#{i + 1}"
            c = _Checker(file, eid, raw)
            eid = c.ident("id")
            topic = c.ident("topic")
            if topic not in topic_ids:
                c.fail("topic", f"'{topic}' is not a topic in knowledge/topics.yaml")
            source = c.ident("source")
            if source not in source_ids:
                c.fail("source", f"'{source}' is not a source in knowledge/sources.yaml")
            questions = raw.get("questions") or {}
            if not isinstance(questions, dict):
                c.fail("questions", "must be a mapping with 'zh' and 'en' lists")
            q_zh = c.text_list("questions", questions.get("zh"), "questions.zh")
            q_en = c.text_list("questions", questions.get("en"), "questions.en")
            if not q_zh:
                c.fail("questions.zh", "needs at least one question form")
            eff_from, eff_to = c.date("effective_from"), c.date("effective_to")
            if eff_from and eff_to and eff_to < eff_from:
                c.fail("effective_to", "is before effective_from")
            replaced_by = c.text("replaced_by", required=False)
            if replaced_by is not None:
                if replaced_by not in source_ids:
                    c.fail("replaced_by", f"'{replaced_by}' is not a source in knowledge/sources.yaml")
                if eff_to is not None:
                    c.fail("replaced_by", "use either effective_to (date known) or replaced_by (date not recorded)")
            out.append(
                {
                    "id": eid,
                    "kind": "policy",
                    "replaced_by": replaced_by,
                    "topic": topic,
                    "source_id": source,
                    "file": file,
                    "questions_zh": q_zh,
                    "questions_en": q_en,
                    "answer": c.bilingual("answer"),
                    "article": c.bilingual("article", required=False),
                    "effective_from": eff_from,
                    "effective_to": eff_to,
                    "verified": c.boolean("verified"),
                    "last_reviewed": c.date("last_reviewed", required=True),
                    "keywords": c.text_list("keywords", raw.get("keywords"), "keywords"),
                }
            )
    return out


def _standard_entries(root: Path, source_ids: set) -> list[dict]:
    """One searchable entry per standard item (the requirement text is quoted).

    The standards file has one reader, the catalogue (core/standards/catalogue.py),
    which validates it; its errors are reported like every other knowledge error."""
    path = root / "standards" / "standard_2026.yaml"
    if not path.exists():
        return []
    file = _rel(path, root)
    try:
        catalog = catalogue.load_catalog(path)
    except catalogue.StandardsError as exc:
        raise KnowledgeError(file, str(exc.item or "(file)"), exc.field or "(file)", str(exc)) from None
    if catalog.source not in source_ids:
        raise KnowledgeError(file, "(file)", "source", f"'{catalog.source}' is not a source in knowledge/sources.yaml")
    if catalog.effective_from is None:
        raise KnowledgeError(file, "(file)", "effective_from", "required")
    out = []
    for sid, std in catalog.standards.items():
        names = std.name
        for it in std.items:
            num, label = it.number, it.label
            sub_name = it.subcategory.get("name") or ""
            btype_zh = catalog.business_types[it.business_type]["zh"] if it.business_type else ""
            # ("财务状况 · 财务状况": a subcategory named as its dimension is said once)
            where_zh = " · ".join(dict.fromkeys(x for x in (it.dimension, sub_name, btype_zh) if x))
            answer_zh = f"{names['zh']}第{num}项「{label}」（{where_zh}）。\n标准原文：{it.requirement}"
            answer_en = (
                f"Item {num} of the {names['en']}: {it.label_en or label}.\n"
                + (f"Requirement (our unofficial translation): {it.requirement_en}\n" if it.requirement_en else "")
                + f"Official requirement (Chinese original): {it.requirement}"
            )
            extra = [v for v in (it.deemed_non_compliant, it.not_applicable) if isinstance(v, str)]
            out.append(
                {
                    "id": f"standard.{sid}.{num}",
                    "kind": "standard_item",
                    "topic": None,
                    "source_id": catalog.source,
                    "file": file,
                    "questions_zh": [f"{names['zh']}第{num}项", label],
                    "questions_en": [f"item {num} of the {names['en']}"],
                    "answer": {"zh": answer_zh, "en": answer_en},
                    "article": {
                        "zh": f"{names['zh']}第（{num}）项",
                        "en": f"{names['en']}, item ({num})",
                    },
                    "effective_from": catalog.effective_from,
                    "effective_to": None,
                    "verified": catalog.verified,
                    "last_reviewed": catalog.last_reviewed,
                    "keywords": [label, it.dimension, sub_name, *extra],
                    "standard": sid,
                    "item_number": num,
                }
            )
    return out


def _check_guidance(root: Path) -> None:
    """The improvement guidance is not stored in the database, but a bad file is
    refused here, at load time, rather than when the first user needs it."""
    path = root / "standards" / "guidance.yaml"
    try:
        guidance.all_guidance(path)
    except guidance.GuidanceError as exc:
        raise KnowledgeError(_rel(path, root), "(file)", "guidance", str(exc)) from None


def _read_mra(root: Path, source_ids: set) -> tuple[dict, list[dict]]:
    path = root / "mra" / "partners.yaml"
    file = _rel(path, root)
    doc = _read_yaml(path, root)
    if not isinstance(doc, dict):
        raise KnowledgeError(file, "-", "(file)", "must be a mapping")
    top = _Checker(file, "(file)", doc)
    as_of = top.required_date("as_of")
    counts = []
    for i, row in enumerate(doc.get("counts") or []):
        c = _Checker(file, f"counts[{i}]", row)
        src = c.ident("source")
        if src not in source_ids:
            c.fail("source", f"'{src}' is not a source in knowledge/sources.yaml")
        for key in ("economies", "countries_regions"):
            if row.get(key) is not None and (not isinstance(row[key], int) or row[key] < 1):
                c.fail(key, "must be a positive whole number or null")
        kind = c.choice("kind", COUNT_KINDS)
        if kind == "signed" and row.get("economies") is None:
            c.fail("economies", "a count of signed arrangements needs the number of economies")
        if row.get("countries_regions") is None:
            c.fail("countries_regions", "is required")
        counts.append(
            {
                "date": c.required_date("date").isoformat(),
                "kind": kind,
                "economies": row.get("economies"),
                "countries_regions": row.get("countries_regions"),
                "source": src,
                "verified": c.boolean("verified"),
            }
        )
    regions = _read_regions(file, doc.get("regions") or [])
    placed: dict = {}  # economy id -> region id
    partners: list[dict] = []
    details: dict = {}
    explanations: dict = {}
    seen: set = set()

    def add(raw: Any, status: str, where: str, member_of: str | None = None, parent=None):
        c = _Checker(file, where, raw)
        name_zh, name_en = c.required_text("zh"), c.required_text("en")
        pid = raw.get("id") or (f"{member_of}.{name_en}" if member_of else name_en)
        pid = re.sub(r"[^a-z0-9_.]+", "_", str(pid).lower()).strip("_")
        if pid in seen:
            c.fail("id", f"duplicate economy '{pid}'")
        seen.add(pid)
        aliases_raw = raw.get("aliases") or []
        if isinstance(aliases_raw, dict):
            aliases_raw = list(aliases_raw.get("zh") or []) + list(aliases_raw.get("en") or [])
        aliases = c.text_list("aliases", aliases_raw, "aliases")
        src = raw.get("source") or (parent or {}).get("source")
        if src is not None and src not in source_ids:
            c.fail("source", f"'{src}' is not a source in knowledge/sources.yaml")
        verified = raw.get("verified", (parent or {}).get("verified", False))
        signed, signed_label = c.date_or_month("signed") if "signed" in raw else (None, None)
        implemented, _ = c.date_or_month("implemented") if "implemented" in raw else (None, None)
        if raw.get("implemented") is not None and implemented is None:
            c.fail("implemented", "must be a full date (YYYY-MM-DD) or null")
        signed_at = None
        if raw.get("signed_at") is not None:
            # Where the arrangement was signed ("at the 6th WCO Global AEO Conference in Shenzhen"):
            # shown in both languages, so both texts are required (one text does not serve both).
            if status != "partner" or member_of is not None:
                c.fail("signed_at", "is given only on a partner's own record (not a member or an unconfirmed name)")
            if not isinstance(raw["signed_at"], dict):
                c.fail("signed_at", "must be a mapping with 'zh' and 'en' texts")
            signed_at = c.bilingual("signed_at", required=False)
        undated = None
        if raw.get("undated") is not None:
            # What the sources say of a partner whose dates they do not give ("one of China's earliest
            # AEO partners"): said in its answer instead of the dates, in both languages.
            if status != "partner" or member_of is not None or raw.get("signed") or raw.get("implemented"):
                c.fail("undated", "is given only on a partner's own record without signing or implementation date")
            if not isinstance(raw["undated"], dict):
                c.fail("undated", "must be a mapping with 'zh' and 'en' texts")
            undated = c.bilingual("undated", required=False)
        region = raw.get("region") or (parent or {}).get("region")
        if region is not None and region not in regions:
            c.fail("region", f"'{region}' is not an id in `regions`")
        if region is None and status == "partner" and member_of is None:
            c.fail("region", "is required on a partner's own record (where it lies, an id in `regions`)")
        if status == "partner" and member_of is None:
            details[pid] = {
                "signed": signed_label,
                "signed_at": signed_at,
                "undated": undated,
                "implemented": implemented.isoformat() if implemented else None,
                "announcement": c.text("announcement", required=False),
                "recognises": c.choice("recognises", RECOGNISES),
                "confidence": c.choice("confidence", CONFIDENCES),
                "seen_at": c.text_list("seen_at", raw.get("seen_at"), "seen_at"),
                "quote": c.text("quote", required=False),
            }
        if status == "non_partner" and raw.get("explain") is not None:
            # What the sources say about an economy that is not a partner ("the UK left the EU in 2020").
            explain = raw.get("explain")
            if not isinstance(explain, dict) or not all(
                isinstance(explain.get(k), str) and explain[k].strip() for k in ("zh", "en")
            ):
                c.fail("explain", "needs zh and en texts")
            explanations[pid] = {"zh": explain["zh"].strip(), "en": explain["en"].strip()}
        partners.append(
            {
                "id": pid,
                "name_zh": name_zh,
                "name_en": name_en,
                "status": status,
                "member_of": member_of,
                "aliases": sorted({a.lower() for a in [*aliases, name_zh, name_en]}),
                "signed": signed,
                "implemented": implemented,
                "source_id": src,
                "verified": bool(verified),
                "note": c.text("note", required=False),
            }
        )
        if region is not None:
            placed[pid] = region
        return pid

    for i, raw in enumerate(doc.get("partners") or []):
        c = _Checker(file, f"partners[{i}]", raw)
        c.boolean("verified")
        pid = add(raw, "partner", f"partners[{i}]")
        for j, member in enumerate(raw.get("members") or []):
            add(member, "partner", f"partners[{i}].members[{j}]", member_of=pid, parent=raw)
    for i, raw in enumerate(doc.get("unconfirmed") or []):
        add(raw, "unconfirmed", f"unconfirmed[{i}]")
    for i, raw in enumerate(doc.get("non_partners") or []):
        add(raw, "non_partner", f"non_partners[{i}]")
    if not any(p["status"] == "partner" for p in partners):
        top.fail("partners", "lists no partner")
    aeo_code = {}
    if doc.get("aeo_code") is not None:
        c = _Checker(file, "aeo_code", doc["aeo_code"])
        aeo_code = {
            "format": c.bilingual("format"),
            "example": c.text("example"),
            "source": c.text("source", required=False),
        }
    certified_level = {}
    if doc.get("certified_level") is not None:
        c = _Checker(file, "certified_level", doc["certified_level"])
        src = c.ident("source")
        if src not in source_ids:
            c.fail("source", f"'{src}' is not a source in knowledge/sources.yaml")
        certified_level = {
            "recognised_abroad": c.choice("recognised_abroad", {"yes", "no", "unknown"}),
            "zh": c.text("zh"),
            "en": c.text("en"),
            "source": src,
            "verified": c.boolean("verified"),
        }
    mra = {
        "as_of": as_of.isoformat(),
        "counts": counts,
        "aeo_code": aeo_code,
        "certified_level": certified_level,
        "details": details,
        "explain": explanations,
        "regions": list(regions.values()),
        "partner_regions": placed,
    }
    return mra, partners


def _read_regions(file: str, rows: Any) -> dict:
    """The parts of the world a question may name, by id: names, aliases and the smaller regions
    each one covers (itself when it lists none)."""
    regions: dict = {}
    if not isinstance(rows, list):
        raise KnowledgeError(file, "regions", "(list)", "must be a list")
    for i, raw in enumerate(rows):
        c = _Checker(file, f"regions[{i}]", raw)
        rid = c.ident("id")
        if rid in regions:
            c.fail("id", f"duplicate region '{rid}'")
        aliases_raw = raw.get("aliases") or {}
        if isinstance(aliases_raw, dict):
            aliases_raw = list(aliases_raw.get("zh") or []) + list(aliases_raw.get("en") or [])
        name_zh, name_en = c.required_text("zh"), c.required_text("en")
        aliases = c.text_list("aliases", aliases_raw, "aliases")
        regions[rid] = {
            "id": rid,
            "zh": name_zh,
            "en": name_en,
            "aliases": sorted({a.lower() for a in [*aliases, name_zh, name_en]}),
            "covers": c.text_list("covers", raw.get("covers") or [rid], "covers"),
        }
    for rid, r in regions.items():
        for part in r["covers"]:
            if part not in regions:
                raise KnowledgeError(file, f"regions[{rid}]", "covers", f"'{part}' is not an id in `regions`")
    return regions


def read_knowledge(root: Path = KNOWLEDGE_DIR) -> Bundle:
    """Read and validate every knowledge file. Raises :class:`KnowledgeError`."""
    root = Path(root)
    topics = _read_topics(root)
    sources = _read_sources(root)
    topic_ids = {t["id"] for t in topics}
    source_ids = {s["id"] for s in sources}
    entries = _read_policy(root, topic_ids, source_ids)
    entries += _standard_entries(root, source_ids)
    _check_guidance(root)
    seen: dict[str, str] = {}
    for e in entries:
        if e["id"] in seen:
            raise KnowledgeError(e["file"], e["id"], "id", f"duplicate id (also in {seen[e['id']]})")
        seen[e["id"]] = e["file"]
    covered = {e["topic"] for e in entries if e["topic"]}
    missing = [t for t in topic_ids if t not in covered]
    if missing:
        raise KnowledgeError(
            "knowledge/topics.yaml", ",".join(sorted(missing)), "id", "topic has no entry in knowledge/policy"
        )
    mra, partners = _read_mra(root, source_ids)
    bundle = Bundle(topics=topics, sources=sources, entries=entries, partners=partners, mra=mra)
    bundle.digest = hashlib.sha256(
        json.dumps([topics, sources, entries, partners, mra], default=str, ensure_ascii=False, sort_keys=True).encode(
            "utf-8"
        )
    ).hexdigest()
    return bundle


# --------------------------------------------------------------------------- loading


@dataclass
class LoadReport:
    changed: bool
    digest: str
    counts: dict


def _lines(values: Iterable[str]) -> str:
    return "\n".join(v for v in values if v)


def load_knowledge(root: Path = KNOWLEDGE_DIR, engine: Engine | None = None) -> LoadReport:
    """Validate ``root`` and replace the database copy of the knowledge.

    Nothing is written when validation fails (the error propagates) or when the
    content is unchanged since the last load."""
    bundle = read_knowledge(root)
    engine = create_schema(engine or get_engine())
    counts = {
        "topics": len(bundle.topics),
        "sources": len(bundle.sources),
        "policy_entries": sum(1 for e in bundle.entries if e["kind"] == "policy"),
        "standard_items": sum(1 for e in bundle.entries if e["kind"] == "standard_item"),
        "mra_economies": len(bundle.partners),
    }
    with session_scope(engine) as s:
        current = s.get(KnowledgeMeta, "digest")
        if current is not None and current.value == bundle.digest:
            return LoadReport(changed=False, digest=bundle.digest, counts=counts)
        for model in (Entry, MraPartner, Topic, Source, KnowledgeMeta):
            s.execute(delete(model))
        s.flush()
        s.add_all(Source(**{k: v for k, v in src.items() if k not in SOURCE_EXTRA_FIELDS}) for src in bundle.sources)
        s.add_all(Topic(id=t["id"], title_zh=t["zh"], title_en=t["en"], position=t["position"]) for t in bundle.topics)
        s.flush()
        for e in bundle.entries:
            article = e.get("article") or {}
            s.add(
                Entry(
                    id=e["id"],
                    kind=e["kind"],
                    topic=e["topic"],
                    source_id=e["source_id"],
                    file=e["file"],
                    questions_zh=_lines(e["questions_zh"]),
                    questions_en=_lines(e["questions_en"]),
                    answer_zh=e["answer"]["zh"],
                    answer_en=e["answer"]["en"],
                    article_zh=article.get("zh"),
                    article_en=article.get("en"),
                    effective_from=e["effective_from"],
                    effective_to=e["effective_to"],
                    verified=e["verified"],
                    last_reviewed=e["last_reviewed"],
                    keywords=_lines(e["keywords"]),
                    standard=e.get("standard"),
                    item_number=e.get("item_number"),
                )
            )
        for p in bundle.partners:
            s.add(MraPartner(**{**p, "aliases": _lines(p["aliases"])}))
        s.add(KnowledgeMeta(key="digest", value=bundle.digest))
        s.add(KnowledgeMeta(key="mra", value=json.dumps(bundle.mra, ensure_ascii=False)))
        # Fields without a column (confidence, type, seen_at, quote), keyed by source id.
        extra = {src["id"]: {k: src[k] for k in SOURCE_EXTRA_FIELDS} for src in bundle.sources}
        s.add(KnowledgeMeta(key="source_extra", value=json.dumps(extra, ensure_ascii=False)))
        replaced = {e["id"]: {"replaced_by": e["replaced_by"]} for e in bundle.entries if e.get("replaced_by")}
        s.add(KnowledgeMeta(key="entry_extra", value=json.dumps(replaced, ensure_ascii=False)))
        s.add(KnowledgeMeta(key="loaded_at", value=dt.datetime.now(dt.timezone.utc).isoformat()))
    return LoadReport(changed=True, digest=bundle.digest, counts=counts)


def stored_digest(engine: Engine | None = None) -> str | None:
    engine = create_schema(engine or get_engine())
    with session_scope(engine) as s:
        row = s.execute(select(KnowledgeMeta).where(KnowledgeMeta.key == "digest")).scalar_one_or_none()
        return row.value if row else None


def main(argv: list[str] | None = None) -> int:
    """``python -m core.knowledge.loader [DIR]``: validate and load, print a summary."""
    import sys

    args = argv if argv is not None else sys.argv[1:]
    root = Path(args[0]) if args else KNOWLEDGE_DIR
    try:
        report = load_knowledge(root)
    except KnowledgeError as exc:
        print(f"Knowledge NOT loaded; the database keeps its previous content.\n  {exc}", file=sys.stderr)
        return 2
    state = "loaded" if report.changed else "unchanged, nothing written"
    summary = ", ".join(f"{k} {v}" for k, v in report.counts.items())
    print(f"Knowledge {state} ({summary}).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
