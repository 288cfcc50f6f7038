"""Our improvement guidance per standard item (knowledge/standards/guidance.yaml).

No Rasa import; used by the chat, the gap report and the PDF."""

from __future__ import annotations

import os
import re
from pathlib import Path

from core import files
from core.files import KNOWLEDGE_DIR
from core.standards import catalogue

GUIDANCE_FILE = KNOWLEDGE_DIR / "standards" / "guidance.yaml"
FIELDS = ("why", "customs_checks", "steps", "evidence", "owner")


class GuidanceError(ValueError):
    pass


def _fail(path: Path):
    return lambda message: GuidanceError(f"{path}: {message}")


def _load(path: Path) -> dict:
    doc = files.read_yaml(path, _fail(path)) or {}
    if not isinstance(doc, dict) or not isinstance(doc.get("guidance") or [], list):
        raise GuidanceError(f"{path}: expected a mapping with a list 'guidance'")
    out: dict = {}
    for i, rec in enumerate(doc.get("guidance") or []):
        if not isinstance(rec, dict):
            raise GuidanceError(f"{path}: guidance[{i}]: expected a mapping")
        keys = rec.get("applies_to") or []
        if not keys:
            raise GuidanceError(f"{path}: guidance[{i}]: field 'applies_to' is required")
        for f in FIELDS:
            if not isinstance(rec.get(f), dict) or not rec[f].get("zh") or not rec[f].get("en"):
                raise GuidanceError(f"{path}: guidance[{i}] ({keys[0]}): field '{f}' needs zh and en")
        partly = rec.get("partly_matches") or []
        if not isinstance(partly, list) or not all(isinstance(k, str) and re.fullmatch(r"\w+:\d+", k) for k in partly):
            raise GuidanceError(f"{path}: guidance[{i}] ({keys[0]}): 'partly_matches' is a list of 'standard:number'")
        for key in keys:
            if key in out:
                raise GuidanceError(f"{path}: guidance[{i}]: '{key}' is covered twice")
            out[key] = rec
    out["_note"] = doc.get("note") or {}
    return out


def guidance_path() -> Path:
    return Path(os.environ.get("GUIDANCE_PATH") or GUIDANCE_FILE)


def all_guidance(path: os.PathLike | None = None) -> dict:
    """The guidance file, validated: {"advanced:12": {...}, ..., "_note": {...}}.

    The one reader of guidance.yaml (the chat, the gap report and the PDF): a
    missing or invalid file raises :class:`GuidanceError`, never an empty answer."""
    p = Path(path) if path else guidance_path()
    return files.cached(p, _load, _fail(p))


def guidance_for(standard: str, number: int, path: os.PathLike | None = None) -> dict | None:
    return all_guidance(path).get(f"{standard}:{number}")


def render(standard: str, number: int, lang: str, label: str = "") -> str:
    g = guidance_for(standard, number)
    zh = lang == "zh"
    if g is None:
        return "这一项暂时没有改进建议。" if zh else "No guidance for this item yet."
    if not zh:  # the caller's label is the Chinese one; English readers get the standard's English label
        item = catalogue.find_item(standard, number)
        label = item.label_en if item else label
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
