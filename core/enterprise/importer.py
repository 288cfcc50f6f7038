"""Import enterprise profiles (CSV or JSON) and look up a stored credit level.
No Rasa import.

    report = import_file("enterprises.csv")       # upsert good rows, report bad ones
    report.errors -> [{"line": 7, "code": "...", "field": "code", "reason": {"zh", "en"}}]
    lookup_level("91310000...") -> {"found": True, "level": "高级认证企业", "note": {...}}

CSV: UTF-8 (with or without BOM; GB18030 is tried as a fallback), one header
row. Columns (English or Chinese headers): code/统一社会信用代码, name/企业名称,
level/信用等级, customs_office/主管海关, business_types/业务类型 (separated by
; | 、 or ，), contact/联系人, production/生产类型 (production | non_production),
sample (yes/no). JSON: a list of objects with the same keys, or
{"enterprises": [...]}; errors then name the entry number ("line" = entry
number, counted from 1).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from core.db import session_scope
from core.enterprise import credit_code
from core.enterprise.models import Enterprise

LEVELS = ["高级认证企业", "认证企业", "常规企业", "失信企业", "严重失信企业"]
_LEVEL_ALIASES = {
    "advanced": "高级认证企业",
    "advanced_certified": "高级认证企业",
    "aeo_advanced": "高级认证企业",
    "advanced certified enterprise": "高级认证企业",
    "高级认证": "高级认证企业",
    "certified": "认证企业",
    "certified enterprise": "认证企业",
    "认证": "认证企业",
    "regular": "常规企业",
    "regular enterprise": "常规企业",
    "常规": "常规企业",
    "dishonest": "失信企业",
    "dishonest enterprise": "失信企业",
    "失信": "失信企业",
    "seriously_dishonest": "严重失信企业",
    "seriously dishonest": "严重失信企业",
    "seriously dishonest enterprise": "严重失信企业",
    "严重失信": "严重失信企业",
}
_HEADERS = {
    "code": "code",
    "统一社会信用代码": "code",
    "信用代码": "code",
    "enterprise_code": "code",
    "uscc": "code",
    "name": "name",
    "企业名称": "name",
    "名称": "name",
    "level": "level",
    "credit_level": "level",
    "信用等级": "level",
    "等级": "level",
    "customs_office": "customs_office",
    "主管海关": "customs_office",
    "海关": "customs_office",
    "district": "district",
    "关区": "district",
    "辖区": "district",
    "business_types": "business_types",
    "业务类型": "business_types",
    "contact": "contact",
    "联系人": "contact",
    "联系方式": "contact",
    "production": "production",
    "生产类型": "production",
    "企业类型": "production",
    "sample": "sample",
    "演示数据": "sample",
}
_PRODUCTION = {
    "production": "production",
    "生产型": "production",
    "生产": "production",
    "non_production": "non_production",
    "non-production": "non_production",
    "非生产型": "non_production",
    "非生产": "non_production",
    "trading": "non_production",
}
_YES = {"yes", "y", "true", "1", "是"}
_NO = {"no", "n", "false", "0", "否", ""}

AUTHORITATIVE_NOTE = {
    "zh": "此为本系统导入的记录，仅供参考；企业信用等级以“中国海关企业进出口信用信息公示平台”（credit.customs.gov.cn）公示为准。",
    "en": "This is the record imported into this assistant, for reference only; the authoritative credit level is the one published on credit.customs.gov.cn.",
}
SAMPLE_NOTE = {"zh": "（演示数据，非真实企业）", "en": "(demo data, not a real enterprise)"}


def check_code(text: Any) -> tuple[bool, str, dict | None]:
    """(ok, normalised code, reason {zh, en} or None), by core.enterprise.credit_code (GB 32100-2015)."""
    res = credit_code.check("" if text is None else str(text))
    return res.valid, res.code, res.reason


# ---------------------------------------------------------------------------
# rows
# ---------------------------------------------------------------------------
@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list = field(default_factory=list)
    total_rows: int = 0
    file_error: dict | None = None

    @property
    def imported(self) -> int:
        return self.created + self.updated

    def to_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "imported": self.imported,
            "total_rows": self.total_rows,
            "errors": self.errors,
            "file_error": self.file_error,
        }


def _err(line: int, code: str, fld: str, zh: str, en: str) -> dict:
    return {"line": line, "code": code, "field": fld, "reason": {"zh": zh, "en": en}}


def normalise_level(value: Any) -> str | None:
    text = str(value or "").strip()
    if not text:
        return None
    if text in LEVELS:
        return text
    return _LEVEL_ALIASES.get(text.lower())


def clean_row(line: int, raw: dict) -> tuple[dict | None, list]:
    """Validate one row; returns (clean dict or None, errors)."""
    row = {}
    for key, value in (raw or {}).items():
        canon = _HEADERS.get(str(key or "").strip().lower()) or _HEADERS.get(str(key or "").strip())
        if canon:
            row[canon] = value
    ok, code, reason = check_code(row.get("code"))
    if not ok:
        reason = reason or {"zh": "统一社会信用代码无效。", "en": "Invalid unified social credit code."}
        return None, [_err(line, code, "code", reason["zh"], reason["en"])]
    errors = []
    name = str(row.get("name") or "").strip()
    if not name:
        errors.append(_err(line, code, "name", "缺少企业名称。", "Name is missing."))
    elif len(name) > 200:
        errors.append(_err(line, code, "name", "企业名称超过200字。", "Name longer than 200 characters."))
    level = normalise_level(row.get("level"))
    if str(row.get("level") or "").strip() and level is None:
        errors.append(
            _err(
                line,
                code,
                "level",
                f"无法识别的信用等级：{row.get('level')}（应为{'/'.join(LEVELS)}）。",
                f"Unknown credit level: {row.get('level')} (expected one of {', '.join(LEVELS)}).",
            )
        )
    types = row.get("business_types")
    if isinstance(types, str):
        types = [t.strip() for t in re.split(r"[;|、，,]", types) if t.strip()]
    elif types is None:
        types = []
    elif not isinstance(types, list):
        errors.append(
            _err(line, code, "business_types", "业务类型格式不正确。", "business_types must be a list or text.")
        )
        types = []
    production_raw = str(row.get("production") or "").strip().lower()
    production = _PRODUCTION.get(production_raw) if production_raw else None
    if production_raw and production is None:
        errors.append(
            _err(
                line,
                code,
                "production",
                f"无法识别的生产类型：{row.get('production')}。",
                f"Unknown production type: {row.get('production')}.",
            )
        )
    sample_raw = str(row.get("sample") or "").strip().lower()
    if sample_raw not in _YES | _NO:
        errors.append(_err(line, code, "sample", "sample 应为 yes 或 no。", "sample must be yes or no."))
    if errors:
        return None, errors
    return {
        "code": code,
        "name": name,
        "credit_level": level,
        "customs_office": (str(row.get("customs_office") or "").strip() or None),
        "district": (str(row.get("district") or "").strip()[:100] or None),
        "business_types": json.dumps([str(t) for t in types], ensure_ascii=False) if types else None,
        "contact": (str(row.get("contact") or "").strip()[:200] or None),
        "production": production,
        "sample": "yes" if sample_raw in _YES else None,
    }, []


def import_rows(rows: Iterable[tuple[int, dict]], *, engine=None, dry_run: bool = False) -> ImportReport:
    """Upsert (line_number, row) pairs. Bad rows are reported, good rows kept."""
    report = ImportReport()
    good: dict = {}
    first_line: dict = {}
    for line, raw in rows:
        report.total_rows += 1
        if not isinstance(raw, dict):
            report.errors.append(_err(line, "", "row", "该行不是一条记录。", "This entry is not a record."))
            continue
        clean, errors = clean_row(line, raw)
        if errors or clean is None:
            report.errors.extend(errors)
            continue
        if clean["code"] in good:
            report.errors.append(
                _err(
                    line,
                    clean["code"],
                    "code",
                    f"与第{first_line[clean['code']]}行的代码重复，本行未导入。",
                    f"Duplicate of the code on line {first_line[clean['code']]}; this row was not imported.",
                )
            )
            continue
        good[clean["code"]] = clean
        first_line[clean["code"]] = line
    if dry_run:
        report.created = len(good)  # rows that would be created or updated
        return report
    if not good:
        return report
    with session_scope(engine) as session:
        existing = {
            e.code: e for e in session.execute(select(Enterprise).where(Enterprise.code.in_(list(good)))).scalars()
        }
        for code, data in good.items():
            ent = existing.get(code)
            if ent is None:
                session.add(Enterprise(**data))
                report.created += 1
            else:
                for key, value in data.items():
                    setattr(ent, key, value)
                report.updated += 1
    return report


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


class _Lines:
    """Line iterator that remembers where the current CSV record started."""

    def __init__(self, text: str):
        self._it = iter(text.splitlines(keepends=True))
        self.n = 0
        self.start: int | None = None

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self._it)
        self.n += 1
        if self.start is None and line.strip():
            self.start = self.n
        return line


def csv_rows(text: str) -> list[tuple[int, dict]]:
    """(line number in the file where the row starts, row); the header is normally line 1."""
    lines = _Lines(text)
    reader = csv.reader(lines)
    header = None
    out: list[tuple[int, dict]] = []
    for record in reader:
        start, lines.start = lines.start, None
        if not any(str(v).strip() for v in record):
            continue
        if header is None:
            header = [h.strip() for h in record]
            continue
        row = {h: (record[i] if i < len(record) else "") for i, h in enumerate(header) if h}
        out.append((start or lines.n, row))
    return out


def json_rows(text: str) -> list[tuple[int, dict]]:
    data = json.loads(text)
    if isinstance(data, dict):
        data = data.get("enterprises")
    if not isinstance(data, list):
        raise ValueError("JSON must be a list of objects or {\"enterprises\": [...]}")
    return list(enumerate(data, start=1))


def import_file(path: Any, *, engine=None, dry_run: bool = False) -> ImportReport:
    path = Path(path)
    try:
        text = _read_text(path)
        if path.suffix.lower() == ".json":
            rows = json_rows(text)
        elif path.suffix.lower() == ".csv":
            rows = csv_rows(text)
        else:
            raise ValueError("file must end in .csv or .json")
    except (OSError, ValueError, csv.Error) as exc:
        report = ImportReport()
        report.file_error = {"zh": f"无法读取文件：{exc}", "en": f"Cannot read the file: {exc}"}
        return report
    return import_rows(rows, engine=engine, dry_run=dry_run)


# ---------------------------------------------------------------------------
# lookup
# ---------------------------------------------------------------------------
def lookup_level(code: Any, *, engine=None) -> dict:
    """The stored credit level of one enterprise, always with the note that the
    authoritative record is credit.customs.gov.cn."""
    ok, norm, reason = check_code(code)
    out = {
        "code": norm,
        "valid": ok,
        "found": False,
        "level": None,
        "name": None,
        "customs_office": None,
        "sample": False,
        "note": AUTHORITATIVE_NOTE,
        "reason": reason,
    }
    if not ok:
        return out
    with session_scope(engine) as session:
        ent = session.get(Enterprise, norm)
        if ent is None:
            out["reason"] = {
                "zh": "本系统没有该企业的导入记录，请在credit.customs.gov.cn查询。",
                "en": "This assistant has no imported record for the enterprise; please check credit.customs.gov.cn.",
            }
            return out
        out.update(
            found=True,
            level=ent.credit_level,
            name=ent.name,
            customs_office=ent.customs_office,
            sample=(ent.sample == "yes"),
        )
        if out["sample"]:
            out["sample_note"] = SAMPLE_NOTE
        return out
