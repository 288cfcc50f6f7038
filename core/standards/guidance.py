"""Our improvement guidance per standard item (knowledge/standards/guidance.yaml).

No Rasa import; used by the chat, the gap report and the PDF."""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

from core.db import PROJECT_ROOT

GUIDANCE_FILE = PROJECT_ROOT / "knowledge" / "standards" / "guidance.yaml"
FIELDS = ("why", "customs_checks", "steps", "evidence", "owner")


class GuidanceError(ValueError):
    pass


@functools.lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> dict:
    doc = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    out: dict = {}
    for i, rec in enumerate(doc.get("guidance") or []):
        keys = rec.get("applies_to") or []
        if not keys:
            raise GuidanceError(f"{path}: guidance[{i}]: field 'applies_to' is required")
        for f in FIELDS:
            if not isinstance(rec.get(f), dict) or not rec[f].get("zh") or not rec[f].get("en"):
                raise GuidanceError(f"{path}: guidance[{i}] ({keys[0]}): field '{f}' needs zh and en")
        for key in keys:
            if key in out:
                raise GuidanceError(f"{path}: guidance[{i}]: '{key}' is covered twice")
            out[key] = rec
    out["_note"] = doc.get("note") or {}
    return out


def all_guidance(path: Path = GUIDANCE_FILE) -> dict:
    if not path.exists():
        return {}
    return _load(str(path), path.stat().st_mtime)


def guidance_for(standard: str, number: int, path: Path = GUIDANCE_FILE) -> dict | None:
    return all_guidance(path).get(f"{standard}:{number}")


def render(standard: str, number: int, lang: str, label: str = "") -> str:
    g = guidance_for(standard, number)
    zh = lang == "zh"
    if g is None:
        return "这一项暂时没有改进建议。" if zh else "No guidance for this item yet."
    title = (
        f"第{number}项{('「' + label + '」') if label else ''}改进建议"
        if zh
        else f"Improving item {number}{(' (' + label + ')') if label else ''}"
    )
    steps = "\n".join(f"{i + 1}. {s}" for i, s in enumerate(g["steps"][lang]))
    evidence = "；".join(g["evidence"][lang]) if zh else "; ".join(g["evidence"][lang])
    note = all_guidance().get("_note", {}).get(lang, "")
    if zh:
        return (
            f"{title}\n为什么重要：{g['why']['zh']}\n海关通常查看：{g['customs_checks']['zh']}\n"
            f"改进步骤：\n{steps}\n准备证据：{evidence}\n牵头部门：{g['owner']['zh']}\n（{note}）"
        )
    return (
        f"{title}\nWhy it matters: {g['why']['en']}\nWhat customs usually checks: {g['customs_checks']['en']}\n"
        f"Steps:\n{steps}\nEvidence to prepare: {evidence}\nOwner: {g['owner']['en']}\n({note})"
    )
