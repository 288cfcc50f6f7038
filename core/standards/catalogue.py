"""The 2026 certification standards as data (no Rasa import).

Loads ``knowledge/standards/standard_2026.yaml`` (and the quick-check list
``knowledge/scoring/quick_check.yaml``), validates them and answers look-ups.
A bad file raises :class:`StandardsError` naming file, item and field.
Loaded files are cached per path and reloaded when their mtime changes.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from core import files
from core.files import KNOWLEDGE_DIR

STANDARDS_PATH = KNOWLEDGE_DIR / "standards" / "standard_2026.yaml"
QUICK_CHECK_PATH = KNOWLEDGE_DIR / "scoring" / "quick_check.yaml"

RULES = {None, "audit_opinion", "solvency", "profitability", "dissolution"}
DEEMED_KINDS = {"erp", "infosec"}
COMPARISONS = {"<", "<=", ">", ">=", "==", "!="}
ADDITIONAL_DIMENSION = "附加标准"
# Sentence boundaries of an English requirement: after a full stop or a closing bracket, before
# what starts a sentence (a capital, a quote, a bracket, a circled number). "i.e. checking" is not one.
_EN_SENTENCE = re.compile(r"(?<=[.)\]])\s+(?=[A-Z\"(\[①-⑩])")
# The English words that mark each official clause's sentence in requirement_en.
EN_CLAUSE_MARKERS = {
    "not_applicable": "not applicable",
    "deemed_compliant": "deemed compliant",
    "deemed_non_compliant": "deemed non-compliant",
}


def english_sentences(text: str) -> list[str]:
    """The sentences of an English text (as written, stripped)."""
    return [p.strip() for p in _EN_SENTENCE.split(text or "") if p.strip()]


class StandardsError(ValueError):
    """A standards / quick-check file is invalid, or a look-up names an unknown thing."""

    def __init__(self, message: str, *, file: str = "", item: Any = None, field: str = ""):
        self.file = file
        self.item = item
        self.field = field
        where = ", ".join(
            p
            for p in (file and f"file {file}", (item is not None and f"item {item}") or "", field and f"field {field}")
            if p
        )
        super().__init__(f"{message} ({where})" if where else message)


@dataclass(frozen=True)
class Item:
    standard: str
    number: int
    dimension: str
    subcategory: dict
    label: str
    requirement: str
    label_en: str
    requirement_en: str
    additional: bool
    rule: str | None
    rule_params: dict | None
    scoring_rule_text: str | None
    deemed_compliant: dict | None
    deemed_non_compliant: str | None
    not_applicable: str | None
    exemptions_other: tuple = ()
    exceptions_in_text: tuple = ()
    notes: tuple = ()
    source_ref: str = ""
    business_type: str | None = None
    subject: str | None = None

    @property
    def allows_not_applicable(self) -> bool:
        """Only an item whose text has a 不适用 clause (or an individual-standard item, whose
        applicability depends on the business type / subject) may be answered 不适用."""
        return bool(self.not_applicable) or self.business_type is not None

    @property
    def key(self) -> str:
        return f"{self.standard}:{self.number}"

    def clause_en(self, clause: str) -> str | None:
        """The English sentence of an official clause ("not_applicable", "deemed_compliant",
        "deemed_non_compliant") in requirement_en; None when the item has no such clause."""
        if not (self.deemed_compliant if clause == "deemed_compliant" else getattr(self, clause)):
            return None
        marker = EN_CLAUSE_MARKERS[clause]
        parts = [p for s in english_sentences(self.requirement_en) for p in re.split(r"(?<=;)\s+", s)]
        found = next((p for p in parts if marker in p.lower()), None)
        if found is None:
            return None
        found = found[:-1] + "." if found.endswith(";") else found
        return found[0].upper() + found[1:]

    def to_dict(self) -> dict:
        return {
            "standard": self.standard,
            "number": self.number,
            "dimension": self.dimension,
            "subcategory": dict(self.subcategory),
            "label": self.label,
            "requirement": self.requirement,
            "label_en": self.label_en,
            "requirement_en": self.requirement_en,
            "additional": self.additional,
            "rule": self.rule,
            "scoring_rule_text": self.scoring_rule_text,
            "deemed_compliant": self.deemed_compliant,
            "deemed_non_compliant": self.deemed_non_compliant,
            "not_applicable": self.not_applicable,
            "exemptions_other": list(self.exemptions_other),
            "exceptions_in_text": list(self.exceptions_in_text),
            "notes": list(self.notes),
            "source_ref": self.source_ref,
            "business_type": self.business_type,
            "subject": self.subject,
        }


@dataclass
class Standard:
    id: str
    name: dict
    attachment: dict
    dimensions: list
    items: list  # list[Item], ordered by number
    normalisation_notes: list = field(default_factory=list)
    by_number: dict = field(default_factory=dict)
    by_dimension: dict = field(default_factory=dict)

    def item(self, number: int) -> Item:
        try:
            return self.by_number[int(number)]
        except (KeyError, TypeError, ValueError):
            raise StandardsError(
                f"unknown item {number!r} in standard {self.id}", item=number, field="number"
            ) from None


@dataclass
class Catalog:
    path: str
    source: str
    verified: bool
    effective_from: dt.date | None
    last_reviewed: dt.date | None
    transcription_note: dict
    translation_note: dict
    dimension_names: dict
    business_types: dict  # id -> {"zh","en"}
    subjects: dict
    financial_fields: dict
    audit_opinions: dict
    # words people use for figures / indicators: {"fields": {field: [word]}, "indicators": {id: [word]}}
    financial_words: dict
    standards: dict  # id -> Standard

    def standard(self, standard_id: str) -> Standard:
        try:
            return self.standards[standard_id]
        except KeyError:
            raise StandardsError(
                f"unknown standard {standard_id!r}; known: {', '.join(self.standards)}", field="standard"
            ) from None


# --------------------------------------------------------------------------- loading


def _fail(path: Path):
    return lambda message: StandardsError(message, file=str(path))


def _read_yaml(path: Path) -> Any:
    return files.read_yaml(path, _fail(path))


def _cached(path: Path, builder):
    return files.cached(path, builder, _fail(path))


def clear_cache() -> None:
    files.clear_cache()


def _req(mapping: Any, key: str, types, *, file: str, item: Any = None, prefix: str = "", nullable=False):
    fld = f"{prefix}{key}"
    if not isinstance(mapping, dict):
        raise StandardsError("expected a mapping", file=file, item=item, field=prefix.rstrip(".") or "(root)")
    if key not in mapping:
        raise StandardsError("missing", file=file, item=item, field=fld)
    value = mapping[key]
    if value is None and nullable:
        return None
    if not isinstance(value, types) or (types is int and isinstance(value, bool)):
        raise StandardsError(f"wrong type {type(value).__name__}", file=file, item=item, field=fld)
    return value


def _zh_en(value: Any, *, file: str, item: Any, fld: str) -> dict:
    if not isinstance(value, dict) or not isinstance(value.get("zh"), str) or not isinstance(value.get("en"), str):
        raise StandardsError("expected {zh: ..., en: ...}", file=file, item=item, field=fld)
    return value


def _as_date(value: Any, *, file: str, fld: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise StandardsError(f"not a date: {value!r}", file=file, field=fld) from None


_CJK = re.compile(r"[\u3400-\u9fff]")
# A figure: ASCII digits (thousands separated by commas in English), a decimal part, then in the
# Chinese text an optional 万 (×10,000); a following % or ‰ belongs to the figure.
_ZH_FIGURE = re.compile(r"(?<![0-9.])([0-9]+(?:\.[0-9]+)?)(万?)\s*([%‰]?)")
_EN_FIGURE = re.compile(r"(?<![0-9.,])([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(\.[0-9]+)?\s*([%‰]?)")
# 千分之五 / 万分之一: a fraction written in words, translated as 5/1,000 / 1/10,000.
_ZH_FRACTION = re.compile(r"([千万])分之([一二三四五六七八九])")
_ZH_DIGITS = "一二三四五六七八九"
_MONTHS = "January February March April May June July August September October November December".split()
_EN_MONTH = re.compile(r"\b(" + "|".join(_MONTHS) + r")\b")


def _english(it: dict, key: str, *, file: str, item: str) -> str:
    """An item's English text: present, non-empty, and no Chinese left in it."""
    value = _req(it, key, str, file=file, item=item)
    if not value.strip():
        raise StandardsError("empty", file=file, item=item, field=key)
    cjk = _CJK.search(value)
    if cjk:
        raise StandardsError(
            f"Chinese characters in the English text: {cjk.group()!r}",
            file=file,
            item=item,
            field=key,
        )
    return value


def _zh_figures(text: str) -> list:
    """(value, unit) of every figure of a Chinese text; 5万 counts as 50000, 千分之五 as 5 and 1000."""
    out = [(Decimal(num) * (10000 if wan else 1), unit) for num, wan, unit in _ZH_FIGURE.findall(text)]
    for base, digit in _ZH_FRACTION.findall(text):
        out += [(Decimal(_ZH_DIGITS.index(digit) + 1), ""), (Decimal(1000 if base == "千" else 10000), "")]
    return out


def _en_figures(text: str) -> list:
    """(value, unit) of every figure of an English text; a month name counts as its number."""
    out = [(Decimal(whole.replace(",", "") + frac), unit) for whole, frac, unit in _EN_FIGURE.findall(text)]
    out += [(Decimal(_MONTHS.index(m) + 1), "") for m in _EN_MONTH.findall(text)]
    return out


def _show(figures: list) -> str:
    return ", ".join(f"{value.normalize():f}{unit}" for value, unit in figures)


def _check_figures(zh: str, en: str, *, file: str, item: str) -> None:
    """The English translation carries exactly the figures of the Chinese requirement (each digit
    group, each % / ‰ figure, as often as in the Chinese): a translation that drops, changes or
    adds a number, a percentage or a per-mille figure is refused."""
    missing = []
    extra = _en_figures(en)
    for fig in _zh_figures(zh):
        if fig in extra:
            extra.remove(fig)
        else:
            missing.append(fig)
    if missing:
        raise StandardsError(
            f"the English translation lacks figure(s) of the Chinese text: {_show(missing)}",
            file=file,
            item=item,
            field="requirement_en",
        )
    if extra:
        raise StandardsError(
            f"the English translation has figure(s) that the Chinese text does not: {_show(extra)}",
            file=file,
            item=item,
            field="requirement_en",
        )


def _validate_indicators(params: dict, *, file: str, item: str, fields: dict) -> None:
    inds = _req(params, "indicators", list, file=file, item=item, prefix="rule_params.")
    vr = _req(params, "verdict_rule", dict, file=file, item=item, prefix="rule_params.")
    for k in ("compliant_min_met", "basic_min_met"):
        _req(vr, k, int, file=file, item=item, prefix="rule_params.verdict_rule.")
    seen = set()
    for i, ind in enumerate(inds):
        p = f"rule_params.indicators[{i}]."
        iid = _req(ind, "id", str, file=file, item=item, prefix=p)
        if iid in seen:
            raise StandardsError(f"duplicate indicator {iid}", file=file, item=item, field=p + "id")
        seen.add(iid)
        _zh_en(ind.get("name"), file=file, item=item, fld=p + "name")
        cmp_ = _req(ind, "comparison", str, file=file, item=item, prefix=p)
        if cmp_ not in COMPARISONS:
            raise StandardsError(f"unknown comparison {cmp_!r}", file=file, item=item, field=p + "comparison")
        th = ind.get("threshold")
        if isinstance(th, dict):
            for kind in ("production", "non_production"):
                if not isinstance(th.get(kind), int | float):
                    raise StandardsError(
                        "threshold per kind needs production and non_production numbers",
                        file=file,
                        item=item,
                        field=p + "threshold",
                    )
        elif not isinstance(th, int | float) or isinstance(th, bool):
            raise StandardsError(
                "threshold must be a number or {production, non_production}",
                file=file,
                item=item,
                field=p + "threshold",
            )
        for part in ("numerator", "denominator"):
            terms = ind.get(part)
            if terms is None and part == "denominator":
                continue
            if not isinstance(terms, list) or not terms:
                raise StandardsError("expected a non-empty list of terms", file=file, item=item, field=p + part)
            for j, term in enumerate(terms):
                f = _req(term, "field", str, file=file, item=item, prefix=f"{p}{part}[{j}].")
                if f not in fields:
                    raise StandardsError(
                        f"unknown financial field {f!r}", file=file, item=item, field=f"{p}{part}[{j}].field"
                    )
        for j, extra in enumerate(ind.get("also_requires") or []):
            f = _req(extra, "field", str, file=file, item=item, prefix=f"{p}also_requires[{j}].")
            if f not in fields:
                raise StandardsError(
                    f"unknown financial field {f!r}", file=file, item=item, field=f"{p}also_requires[{j}].field"
                )
            if extra.get("comparison") not in COMPARISONS:
                raise StandardsError(
                    "unknown comparison", file=file, item=item, field=f"{p}also_requires[{j}].comparison"
                )


def _build_catalog(path: Path) -> Catalog:
    file = str(path)
    doc = _read_yaml(path)
    if not isinstance(doc, dict):
        raise StandardsError("expected a mapping at the top", file=file)
    source = _req(doc, "source", str, file=file)
    verified = _req(doc, "verified", bool, file=file)
    tn = _zh_en(doc.get("transcription_note"), file=file, item=None, fld="transcription_note")
    trn = _zh_en(doc.get("translation_note"), file=file, item=None, fld="translation_note")
    dim_names = _req(doc, "dimension_names", dict, file=file)
    for k, v in dim_names.items():
        _zh_en(v, file=file, item=None, fld=f"dimension_names.{k}")
    bts = {}
    for i, bt in enumerate(doc.get("business_types") or []):
        bid = _req(bt, "id", str, file=file, prefix=f"business_types[{i}].")
        bts[bid] = _zh_en(bt.get("name"), file=file, item=None, fld=f"business_types[{i}].name")
    fields = _req(doc, "financial_fields", dict, file=file)
    for k, v in fields.items():
        _zh_en(v, file=file, item=None, fld=f"financial_fields.{k}")
    opinions = _req(doc, "audit_opinions", dict, file=file)
    words = doc.get("financial_words") or {}
    for group in ("fields", "indicators"):
        for k, v in (words.get(group) or {}).items():
            if group == "fields" and k not in fields:
                raise StandardsError(f"unknown financial field {k!r}", file=file, field=f"financial_words.fields.{k}")
            if not isinstance(v, list) or not all(isinstance(w, str) and w.strip() for w in v):
                raise StandardsError("expected a list of words", file=file, field=f"financial_words.{group}.{k}")
    standards: dict = {}
    for si, sd in enumerate(_req(doc, "standards", list, file=file)):
        sp = f"standards[{si}]."
        sid = _req(sd, "id", str, file=file, prefix=sp)
        if sid in standards:
            raise StandardsError(f"duplicate standard {sid}", file=file, field=sp + "id")
        name = _zh_en(sd.get("name"), file=file, item=None, fld=sp + "name")
        dims = _req(sd, "dimensions", list, file=file, prefix=sp)
        for d in dims:
            if d not in dim_names:
                raise StandardsError(
                    f"dimension {d!r} has no entry in dimension_names", file=file, field=sp + "dimensions"
                )
        items: list = []
        seen: set = set()
        for ii, it in enumerate(_req(sd, "items", list, file=file, prefix=sp)):
            num = _req(it, "number", int, file=file, item=f"{sid}[{ii}]")
            ref = f"{sid}:{num}"
            if num in seen:
                raise StandardsError("duplicate item number", file=file, item=ref, field="number")
            seen.add(num)
            dim = _req(it, "dimension", str, file=file, item=ref)
            if dim not in dims:
                raise StandardsError(
                    f"dimension {dim!r} not in the standard's dimensions", file=file, item=ref, field="dimension"
                )
            label = _req(it, "label", str, file=file, item=ref)
            requirement = _req(it, "requirement", str, file=file, item=ref)
            if not requirement.strip():
                raise StandardsError("empty", file=file, item=ref, field="requirement")
            label_en = _english(it, "label_en", file=file, item=ref)
            requirement_en = _english(it, "requirement_en", file=file, item=ref)
            _check_figures(requirement, requirement_en, file=file, item=ref)
            if requirement.count("；") != requirement_en.count(";"):
                raise StandardsError(
                    f"the Chinese text has {requirement.count('；')} clause break(s) '；' but the English "
                    f"translation {requirement_en.count(';')} ';' (keep the clauses as in the Chinese)",
                    file=file,
                    item=ref,
                    field="requirement_en",
                )
            additional = _req(it, "additional", bool, file=file, item=ref)
            if additional != (dim == ADDITIONAL_DIMENSION):
                raise StandardsError(
                    f"additional must be true exactly for {ADDITIONAL_DIMENSION} items",
                    file=file,
                    item=ref,
                    field="additional",
                )
            rule = it.get("rule")
            if rule not in RULES:
                raise StandardsError(f"unknown rule {rule!r}", file=file, item=ref, field="rule")
            params = it.get("rule_params")
            if rule in ("solvency", "profitability"):
                _validate_indicators(params, file=file, item=ref, fields=fields)
            elif rule == "audit_opinion":
                ops = _req(params, "opinions", dict, file=file, item=ref, prefix="rule_params.")
                if set(ops) != set(opinions):
                    raise StandardsError(
                        "opinions must cover every audit opinion", file=file, item=ref, field="rule_params.opinions"
                    )
            dc = it.get("deemed_compliant")
            if dc is not None:
                if (
                    not isinstance(dc, dict)
                    or not isinstance(dc.get("text"), str)
                    or dc.get("kind") not in DEEMED_KINDS
                ):
                    raise StandardsError(
                        "expected {text, kind: erp|infosec}", file=file, item=ref, field="deemed_compliant"
                    )
            for opt in ("deemed_non_compliant", "not_applicable", "scoring_rule_text"):
                v = it.get(opt)
                if v is not None and not isinstance(v, str):
                    raise StandardsError("expected text or null", file=file, item=ref, field=opt)
            clauses: list[str] = [
                c for c in (it.get("deemed_non_compliant"), it.get("not_applicable"), (dc or {}).get("text")) if c
            ]
            for clause in clauses:
                if clause.rstrip("。") not in requirement:
                    raise StandardsError(
                        "clause is not part of the requirement text", file=file, item=ref, field="requirement"
                    )
            bt = it.get("business_type")
            if bt is not None and bt not in bts:
                raise StandardsError(f"unknown business type {bt!r}", file=file, item=ref, field="business_type")
            sc = it.get("subcategory") or {}
            if not isinstance(sc, dict) or "name" not in sc:
                raise StandardsError("expected {number, name}", file=file, item=ref, field="subcategory")
            items.append(
                Item(
                    standard=sid,
                    number=num,
                    dimension=dim,
                    subcategory=sc,
                    label=label,
                    requirement=requirement,
                    label_en=label_en,
                    requirement_en=requirement_en,
                    additional=additional,
                    rule=rule,
                    rule_params=params,
                    scoring_rule_text=it.get("scoring_rule_text"),
                    deemed_compliant=dc,
                    deemed_non_compliant=it.get("deemed_non_compliant"),
                    not_applicable=it.get("not_applicable"),
                    exemptions_other=tuple(it.get("exemptions_other") or ()),
                    exceptions_in_text=tuple(it.get("exceptions_in_text") or ()),
                    notes=tuple(it.get("notes") or ()),
                    source_ref=str(it.get("source_ref") or ""),
                    business_type=bt,
                    subject=it.get("subject"),
                )
            )
        for built in items:
            for clause in EN_CLAUSE_MARKERS:
                if (built.deemed_compliant if clause == "deemed_compliant" else getattr(built, clause)) and (
                    built.clause_en(clause) is None
                ):
                    raise StandardsError(
                        f"the item has a {clause} clause but no English sentence says "
                        f"{EN_CLAUSE_MARKERS[clause]!r}",
                        file=file,
                        item=built.key,
                        field="requirement_en",
                    )
        items.sort(key=lambda x: x.number)
        declared = sd.get("declared_total")
        if declared is not None and declared != len(items):
            raise StandardsError(
                f"declared_total {declared} but {len(items)} items", file=file, field=sp + "declared_total"
            )
        std = Standard(
            id=sid,
            name=name,
            attachment=sd.get("attachment") or {},
            dimensions=list(dims),
            items=items,
            normalisation_notes=list(sd.get("normalisation_notes") or []),
        )
        std.by_number = {i.number: i for i in items}
        std.by_dimension = {d: [i for i in items if i.dimension == d] for d in dims}
        standards[sid] = std
    indicator_ids = {
        ind["id"]
        for std in standards.values()
        for it in std.items
        for ind in ((it.rule_params or {}).get("indicators") or [])
    }
    for k in words.get("indicators") or {}:
        if k not in indicator_ids:
            raise StandardsError(f"unknown indicator {k!r}", file=file, field=f"financial_words.indicators.{k}")
    return Catalog(
        path=file,
        source=source,
        verified=verified,
        effective_from=_as_date(doc.get("effective_from"), file=file, fld="effective_from"),
        last_reviewed=_as_date(doc.get("last_reviewed"), file=file, fld="last_reviewed"),
        transcription_note=tn,
        translation_note=trn,
        dimension_names=dim_names,
        business_types=bts,
        subjects=doc.get("subjects") or {},
        financial_fields=fields,
        audit_opinions=opinions,
        financial_words=words,
        standards=standards,
    )


def _default_path() -> Path:
    return Path(os.environ.get("STANDARDS_PATH") or STANDARDS_PATH)


def load_catalog(path: os.PathLike | None = None) -> Catalog:
    """Load (cached) and validate the standards file."""
    return _cached(Path(path) if path else _default_path(), _build_catalog)


# --------------------------------------------------------------------------- look-ups


def get_standard(standard_id: str, path: os.PathLike | None = None) -> Standard:
    return load_catalog(path).standard(standard_id)


def item(standard_id: str, number: int, path: os.PathLike | None = None) -> Item:
    return get_standard(standard_id, path).item(number)


def find_item(standard_id: str, number: Any, path: os.PathLike | None = None) -> Item | None:
    """The item named by a (stored) result row, or None when the catalogue has no such item."""
    try:
        return item(standard_id, int(number), path)
    except (StandardsError, TypeError, ValueError):
        return None


def items(standard_id: str, path: os.PathLike | None = None) -> list:
    return list(get_standard(standard_id, path).items)


def items_by_dimension(standard_id: str, dimension: str | None = None, path: os.PathLike | None = None):
    """``dimension`` given: that dimension's items; else a dict dimension -> items (in order)."""
    std = get_standard(standard_id, path)
    if dimension is None:
        return {d: list(v) for d, v in std.by_dimension.items()}
    if dimension not in std.by_dimension:
        raise StandardsError(f"unknown dimension {dimension!r} in standard {standard_id}", field="dimension")
    return list(std.by_dimension[dimension])


def applicable_items(
    standard_id: str,
    business_types: Iterable[str] | None = None,
    subject: str | None = None,
    path: os.PathLike | None = None,
) -> list:
    """Items that apply to an enterprise.

    General standards (advanced, certified): every item (business types do not remove any).
    Individual standard: only items of the given business types (none given: none apply),
    and, when ``subject`` ("consignor" | "customs_broker") is given, only items for that subject
    or items that name no subject.
    """
    cat = load_catalog(path)
    std = cat.standard(standard_id)
    types = None if business_types is None else set(business_types)
    if types is not None:
        unknown = types - set(cat.business_types)
        if unknown:
            raise StandardsError(
                f"unknown business type(s): {', '.join(sorted(unknown))}; known: {', '.join(cat.business_types)}",
                field="business_types",
            )
    out = []
    for it in std.items:
        if it.business_type is not None:
            if not types or it.business_type not in types:
                continue
            if subject and it.subject and it.subject != subject:
                continue
        out.append(it)
    return out


def not_applicable_items(standard_id: str, path: os.PathLike | None = None) -> list:
    """Items that may be answered 不适用 (their text carries a 不适用 clause)."""
    return [i for i in get_standard(standard_id, path).items if i.allows_not_applicable]


def dimension_name(dimension: str, lang: str = "zh", path: os.PathLike | None = None) -> str:
    names = load_catalog(path).dimension_names.get(dimension)
    return (names or {}).get(lang, dimension)


def business_types(path: os.PathLike | None = None) -> dict:
    """business type id -> {"zh", "en"}"""
    return dict(load_catalog(path).business_types)


def rule_item(standard_id: str, rule: str, path: os.PathLike | None = None) -> Item | None:
    """The item of a standard that carries ``rule`` (audit_opinion, solvency, profitability, dissolution)."""
    for it in get_standard(standard_id, path).items:
        if it.rule == rule:
            return it
    return None


# --------------------------------------------------------------------------- quick check


def _build_quick(path: Path) -> dict:
    file = str(path)
    doc = _read_yaml(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("quick_check"), dict):
        raise StandardsError("expected quick_check: {standard: [...]}", file=file, field="quick_check")
    cat = load_catalog()
    out: dict = {}
    for sid, entries in doc["quick_check"].items():
        std = cat.standard(sid) if sid in cat.standards else None
        if std is None:
            raise StandardsError(f"unknown standard {sid!r}", file=file, field=f"quick_check.{sid}")
        if not isinstance(entries, list):
            raise StandardsError("expected a list", file=file, field=f"quick_check.{sid}")
        rows, seen = [], set()
        for i, e in enumerate(entries):
            num = _req(e, "item", int, file=file, item=f"{sid}[{i}]")
            if num not in std.by_number:
                raise StandardsError(f"no item {num} in standard {sid}", file=file, item=f"{sid}:{num}", field="item")
            if num in seen:
                raise StandardsError("listed twice", file=file, item=f"{sid}:{num}", field="item")
            seen.add(num)
            why = _zh_en(e.get("why"), file=file, item=f"{sid}:{num}", fld="why")
            rows.append({"item": num, "why": why})
        out[sid] = rows
    return out


def quick_check(standard_id: str, path: os.PathLike | None = None) -> list:
    """[{"item": n, "why": {zh, en}}, ...] in asking order ([] for a standard without a list)."""
    data = _cached(Path(path) if path else Path(os.environ.get("QUICK_CHECK_PATH") or QUICK_CHECK_PATH), _build_quick)
    return list(data.get(standard_id, []))


def quick_check_items(standard_id: str, path: os.PathLike | None = None) -> list:
    """Item numbers of the quick check, in asking order."""
    return [r["item"] for r in quick_check(standard_id, path)]
