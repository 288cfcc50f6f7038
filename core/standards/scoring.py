"""Score a self-assessment against a standard with a rule set loaded from
``knowledge/scoring/rule_sets.yaml`` (no Rasa import).

    result = score("advanced", {1: "达标", 2: "基本达标", ...})
    result.total, result.passed, result.to_dict()

Which answers an item accepts is data too (``answer_rules`` in the same file, each rule marked
official text or our reading), the same for the scoring API and the conversation:

- general items: 达标 / 基本达标 / 不达标 / 不适用. 不适用 is allowed on any general item (the
  official text: an item that does not apply to the enterprise's line of business is not
  assessed); a reason can be given (``reasons``) and is shown in the result. Items whose own
  text fixes when they do not apply (item 74/62) are marked ``own_clause``.
- additional (附加标准) items: 符合 / 不适用; 不符合 (and 达标 / 不达标) are accepted, 不符合 is
  recorded as 不适用. Unanswered additional items count 0 and never block a pass.

视为达标 / 视为不达标 are accepted on items whose text has such a clause (items 8 and 9: ERP
connected to customs, ISO27001 / 等保 "符合"; 15 and 66) and count as 达标 / 不达标.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from core import files
from core.files import KNOWLEDGE_DIR
from core.standards import catalogue as std_mod

RULE_SETS_PATH = KNOWLEDGE_DIR / "scoring" / "rule_sets.yaml"

MET, BASIC, NOT_MET, NA = "达标", "基本达标", "不达标", "不适用"
ADD_MET, ADD_NOT_MET = "符合", "不符合"
DEEMED_MET, DEEMED_NOT_MET = "视为达标", "视为不达标"  # accepted on items with such a clause
GENERAL_VERDICTS = (MET, BASIC, NOT_MET, NA)
ADDITIONAL_VERDICTS = (ADD_MET, NA)
ALL_VERDICTS = (*GENERAL_VERDICTS, ADD_MET, ADD_NOT_MET)
VERDICT_EN = {
    MET: "meets",
    BASIC: "basically meets",
    NOT_MET: "does not meet",
    NA: "not applicable",
    ADD_MET: "met",
    ADD_NOT_MET: "not met",
}
CONDITION_TYPES = {"no_verdict", "max_verdict_count", "min_total", "all_answered"}
ANSWER_RULES = ("general_not_applicable", "additional_answers", "unanswered_additional_blocks_pass")
BASES = ("official_text", "our_reading")
MAX_REASON_CHARS = 300


ITEM_KEY_RE = re.compile(r"^[1-9][0-9]{0,2}$")


class ScoringError(ValueError):
    """Invalid input to :func:`score`; ``field`` names the offending field (e.g. ``answers.75``)."""

    def __init__(self, message: str, field: str = ""):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}" if field else message)


class UnknownStandard(ScoringError):
    pass


class UnknownRuleSet(ScoringError):
    pass


class UnknownItem(ScoringError):
    pass


class InvalidAnswer(ScoringError):
    pass


class RuleSetError(ValueError):
    """rule_sets.yaml is invalid (message names file, rule set and field)."""


# --------------------------------------------------------------------------- rule sets


def _rules_path(path: os.PathLike | None) -> Path:
    return Path(path or os.environ.get("RULE_SETS_PATH") or RULE_SETS_PATH)


def _validate_rule_sets(doc: Any, file: str) -> dict:
    def err(msg, rs=None, fld=""):
        parts = [f"file {file}"] + ([f"rule set {rs}"] if rs else []) + ([f"field {fld}"] if fld else [])
        return RuleSetError(f"{msg} ({', '.join(parts)})")

    if not isinstance(doc, dict) or not isinstance(doc.get("rule_sets"), list) or not doc["rule_sets"]:
        raise err("expected rule_sets: [...]", fld="rule_sets")
    out: dict = {}
    defaults = []
    for i, rs in enumerate(doc["rule_sets"]):
        if not isinstance(rs, dict) or not isinstance(rs.get("id"), str):
            raise err("missing id", fld=f"rule_sets[{i}].id")
        rid = rs["id"]
        if rid in out:
            raise err("duplicate id", rid, "id")
        name = rs.get("name")
        if not isinstance(name, dict) or not isinstance(name.get("zh"), str) or not isinstance(name.get("en"), str):
            raise err("expected {zh, en}", rid, "name")
        if not isinstance(rs.get("verified"), bool):
            raise err("expected true/false", rid, "verified")
        if "source" not in rs:
            raise err("missing", rid, "source")
        pts = rs.get("points")
        if not isinstance(pts, dict) or set(pts) != {MET, BASIC, NOT_MET}:
            raise err(f"points must give {MET}, {BASIC}, {NOT_MET}", rid, "points")
        for k, v in pts.items():
            if not isinstance(v, int | float) or isinstance(v, bool):
                raise err("not a number", rid, f"points.{k}")
        if not isinstance(rs.get("base"), int | float):
            raise err("not a number", rid, "base")
        add = rs.get("additional")
        if (
            not isinstance(add, dict)
            or not isinstance(add.get("points_per_item"), int | float)
            or not isinstance(add.get("max_total"), int | float)
        ):
            raise err("expected {points_per_item, max_total}", rid, "additional")
        conds = rs.get("pass_conditions")
        if not isinstance(conds, list):
            raise err("expected a list", rid, "pass_conditions")
        for j, c in enumerate(conds):
            f = f"pass_conditions[{j}]"
            if not isinstance(c, dict) or c.get("type") not in CONDITION_TYPES:
                raise err(f"type must be one of {sorted(CONDITION_TYPES)}", rid, f + ".type")
            if not isinstance(c.get("code"), str):
                raise err("missing", rid, f + ".code")
            msg = c.get("message")
            if not isinstance(msg, dict) or not isinstance(msg.get("zh"), str) or not isinstance(msg.get("en"), str):
                raise err("expected {zh, en}", rid, f + ".message")
            t = c["type"]
            if t in ("no_verdict", "max_verdict_count") and c.get("verdict") not in (MET, BASIC, NOT_MET):
                raise err("unknown verdict", rid, f + ".verdict")
            if t == "max_verdict_count":
                if not isinstance(c.get("max"), int):
                    raise err("expected an integer", rid, f + ".max")
                dims = c.get("dimensions")
                if dims is not None and (not isinstance(dims, list) or not all(isinstance(d, str) for d in dims)):
                    raise err("expected a list of dimensions or null", rid, f + ".dimensions")
            if t == "min_total" and not isinstance(c.get("value"), int | float):
                raise err("expected a number", rid, f + ".value")
        if rs.get("default"):
            defaults.append(rid)
        out[rid] = rs
    if len(defaults) != 1:
        raise err(f"exactly one rule set must have default: true (found {defaults})", fld="default")
    rules = doc.get("answer_rules")
    if not isinstance(rules, dict) or set(rules) != set(ANSWER_RULES):
        raise err(f"expected answer_rules with {', '.join(ANSWER_RULES)}", fld="answer_rules")
    for key, rule in rules.items():
        if not isinstance(rule, dict) or rule.get("basis") not in BASES:
            raise err(f"basis must be one of {BASES}", fld=f"answer_rules.{key}.basis")
        if rule["basis"] == "official_text" and not (isinstance(rule.get("quote"), str) and rule.get("source")):
            raise err("official text needs its quote and source", fld=f"answer_rules.{key}")
        note = rule.get("note")
        if not isinstance(note, dict) or not isinstance(note.get("zh"), str) or not isinstance(note.get("en"), str):
            raise err("expected {zh, en}", fld=f"answer_rules.{key}.note")
    if rules["additional_answers"].get("not_met_counts_as") not in (NA, ADD_NOT_MET):
        raise err(f"expected {NA} or {ADD_NOT_MET}", fld="answer_rules.additional_answers.not_met_counts_as")
    return {"rule_sets": out, "default": defaults[0], "answer_rules": rules}


def load_rule_sets(path: os.PathLike | None = None) -> dict:
    """{"rule_sets": {id: dict}, "default": id}, validated and cached (reloaded on mtime change)."""
    p = _rules_path(path)

    def fail(message: str) -> RuleSetError:
        return RuleSetError(f"{message} (file {p})")

    return files.cached(p, lambda q: _validate_rule_sets(files.read_yaml(q, fail), str(q)), fail)


def default_rule_set_id(path: os.PathLike | None = None) -> str:
    return load_rule_sets(path)["default"]


def get_rule_set(rule_set_id: str | None = None, path: os.PathLike | None = None) -> dict:
    data = load_rule_sets(path)
    rid = rule_set_id or data["default"]
    try:
        return data["rule_sets"][rid]
    except KeyError:
        raise UnknownRuleSet(f"unknown rule set {rid!r}; known: {', '.join(data['rule_sets'])}", "rule_set") from None


def answer_rules(path: os.PathLike | None = None) -> dict:
    """The ``answer_rules`` of rule_sets.yaml (which answers items accept, and on what basis)."""
    return load_rule_sets(path)["answer_rules"]


def not_applicable_allowed(it: std_mod.Item) -> bool:
    """May ``it`` be answered 不适用? (any general item when the rules say so; additional items
    always; an item whose own text has a 不适用 clause always)."""
    if it.additional or it.allows_not_applicable:
        return True
    return bool(answer_rules()["general_not_applicable"].get("allowed"))


def reason_needed(it: std_mod.Item) -> bool:
    """Should the conversation ask why ``it`` does not apply? (general items without their own
    不适用 clause, when the rules ask for a reason)."""
    if it.additional or it.allows_not_applicable:
        return False
    return bool(answer_rules()["general_not_applicable"].get("reason_required"))


def list_rule_sets(path: os.PathLike | None = None) -> list:
    data = load_rule_sets(path)
    return [
        {"id": r["id"], "name": r["name"], "verified": r["verified"], "default": r["id"] == data["default"]}
        for r in data["rule_sets"].values()
    ]


# --------------------------------------------------------------------------- verdicts

_SYNONYMS = {
    "达标": MET,
    "基本达标": BASIC,
    "部分达标": BASIC,
    "不达标": NOT_MET,
    "不适用": NA,
    "符合": ADD_MET,
    "不符合": ADD_NOT_MET,
    "视为达标": DEEMED_MET,
    "视为不达标": DEEMED_NOT_MET,
    "met": MET,
    "meets": MET,
    "basically_met": BASIC,
    "basic": BASIC,
    "partly": BASIC,
    "not_met": NOT_MET,
    "fails": NOT_MET,
    "na": NA,
    "n/a": NA,
    "not_applicable": NA,
}


def normalize_verdict(value: Any, it: std_mod.Item, field: str = "") -> str:
    """The canonical verdict for ``value`` on item ``it``; raises :class:`InvalidAnswer`."""
    fld = field or f"answers.{it.number}"
    if not isinstance(value, str):
        raise InvalidAnswer(f"expected one of {', '.join(ALL_VERDICTS)}, got {value!r}", fld)
    v = _SYNONYMS.get(value.strip()) or _SYNONYMS.get(value.strip().lower().replace(" ", "_"))
    if v is None:
        raise InvalidAnswer(f"unknown value {value!r}; expected one of {', '.join(ALL_VERDICTS)}", fld)
    if v == DEEMED_MET:
        if not it.deemed_compliant:
            raise InvalidAnswer(f"item {it.number} has no 视为达标 clause", fld)
        v = MET
    elif v == DEEMED_NOT_MET:
        if not it.deemed_non_compliant:
            raise InvalidAnswer(f"item {it.number} has no 视为不达标 clause", fld)
        v = NOT_MET
    if v == NA:
        if not not_applicable_allowed(it):
            raise InvalidAnswer(f"item {it.number} cannot be answered {NA}", fld)
        return NA
    if it.additional:
        if v == BASIC:
            raise InvalidAnswer(f"additional item {it.number} takes {ADD_MET}/{NA}, not {BASIC}", fld)
        v = {MET: ADD_MET, NOT_MET: ADD_NOT_MET}.get(v, v)
        if v == ADD_NOT_MET:
            return answer_rules()["additional_answers"]["not_met_counts_as"]
        return v
    return {ADD_MET: MET, ADD_NOT_MET: NOT_MET}.get(v, v)


def split_answer(value: Any, field: str) -> tuple[Any, str | None]:
    """An answer is a verdict, or {"verdict": ..., "reason": ...}; returns (verdict, reason)."""
    if isinstance(value, Mapping):
        reason = value.get("reason")
        if reason is not None and not isinstance(reason, str):
            raise InvalidAnswer("reason must be a string", field + ".reason")
        reason = (reason or "").strip()[:MAX_REASON_CHARS] or None
        return value.get("verdict"), reason
    return value, None


# --------------------------------------------------------------------------- result


@dataclass
class ScoreResult:
    standard: str
    total: float
    passed: bool
    complete: bool
    rule_set: dict
    failed_conditions: list
    dimensions: dict
    gaps: list
    counts: dict
    unanswered: list
    additional_points: float
    answers: dict
    notes: list = field(default_factory=list)
    not_applicable: list = field(default_factory=list)
    unanswered_additional: list = field(default_factory=list)
    scope: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["answers"] = {str(k): v for k, v in self.answers.items()}
        return d


def _fmt(template: str, **kw) -> str:
    try:
        return template.format(**kw)
    except (KeyError, IndexError, ValueError):
        return template


def _num(x: float):
    return int(x) if float(x).is_integer() else round(x, 2)


def score(
    standard_id: str,
    answers: Mapping[Any, str],
    rule_set_id: str | None = None,
    business_types: Iterable[str] | None = None,
    scope: Iterable[int] | None = None,
    subject: str | None = None,
    reasons: Mapping[Any, str] | None = None,
    mode: str | None = None,
) -> ScoreResult:
    """Score ``answers`` ({item number: verdict}) against ``standard_id``.

    ``scope``: the item numbers assessed (e.g. the quick check); default every applicable item.
    ``business_types`` / ``subject`` select the applicable items of the individual standard.
    An answer may be {"verdict", "reason"}; ``reasons`` ({item: text}) gives 不适用 reasons too.
    ``mode`` ("quick" | "full") only labels the scope in the result (``scope``: mode, n of total
    items, n of total general items, partial).
    Raises a :class:`ScoringError` (a ValueError) naming the field on bad input.
    """
    try:
        std = std_mod.get_standard(standard_id)
    except std_mod.StandardsError as exc:
        raise UnknownStandard(str(exc), "standard") from None
    rs = get_rule_set(rule_set_id)
    if not isinstance(answers, Mapping):
        raise InvalidAnswer("expected a mapping of item number to verdict", "answers")
    try:
        applicable = (
            std_mod.applicable_items(standard_id, business_types, subject)
            if std.id == "individual" or business_types is not None
            else std.items
        )
    except std_mod.StandardsError as exc:
        raise ScoringError(str(exc), "business_types") from None
    applicable_nums = {i.number for i in applicable}
    if scope is not None:
        scope_set = set()
        for n in scope:
            if n not in std.by_number:
                raise UnknownItem(f"no item {n} in standard {std.id}", "scope")
            if n in applicable_nums:
                scope_set.add(n)
    else:
        scope_set = applicable_nums

    # ---- validate and normalise answers
    norm: dict = {}
    why: dict = {}
    for key, text in (reasons or {}).items():
        if isinstance(text, str) and text.strip():
            try:
                why[int(str(key).strip())] = text.strip()[:MAX_REASON_CHARS]
            except ValueError:
                raise UnknownItem(f"item key {key!r} is not a number", f"reasons.{key}") from None
    for key, value in answers.items():
        fld = f"answers.{key}"
        value, reason = split_answer(value, fld)
        if not ITEM_KEY_RE.match(str(key)):  # "1" only: not "01", "１", "١", " 1"
            raise UnknownItem(f"item key {key!r} is not an item number (ASCII digits, no leading zero)", fld)
        num = int(key)
        it = std.by_number.get(num)
        if it is None:
            raise UnknownItem(f"no item {num} in standard {std.id} (1-{len(std.items)})", fld)
        if num not in applicable_nums:
            raise InvalidAnswer(f"item {num} does not apply to the selected business types", fld)
        norm[num] = normalize_verdict(value, it, fld)
        if reason:
            why[num] = reason
    # assessed items: the scope plus every answered item, in the standard's order
    in_scope = [it for it in std.items if it.number in scope_set or it.number in norm]

    points = rs["points"]
    add_cfg = rs["additional"]
    dims: dict = {}
    for d in std.dimensions:
        dims[d] = {
            "name": {"zh": d, "en": std_mod.dimension_name(d, "en")},
            "score": 0,
            "items": 0,
            "answered": 0,
            "counts": {},
            "percent": None,
            "scored": 0,
        }
    counts: dict = {v: 0 for v in ALL_VERDICTS}
    unanswered: list = []
    unanswered_additional: list = []
    general_sum = 0.0
    add_met = 0
    for it in in_scope:
        dd = dims[it.dimension]
        dd["items"] += 1
        v = norm.get(it.number)
        if v is None:
            (unanswered_additional if it.additional else unanswered).append(it.number)
            continue
        dd["answered"] += 1
        dd["counts"][v] = dd["counts"].get(v, 0) + 1
        counts[v] += 1
        if it.additional:
            if v == ADD_MET:
                add_met += 1
        elif v != NA:
            p = points[v]
            general_sum += p
            dd["score"] += p
    additional_points = min(add_met * add_cfg["points_per_item"], add_cfg["max_total"]) if add_met else 0
    if std_mod.ADDITIONAL_DIMENSION in std.dimensions:
        dims[std_mod.ADDITIONAL_DIMENSION]["score"] = additional_points
    worst = min(points.values())
    for d, dd in dims.items():
        scored = sum(c for k, c in dd["counts"].items() if k in (MET, BASIC, NOT_MET))
        dd["scored"] = scored
        if d != std_mod.ADDITIONAL_DIMENSION and scored and worst < 0:
            dd["percent"] = round(100.0 * (1 - dd["score"] / (worst * scored)), 1)
        dd["score"] = _num(dd["score"])
    total = _num(rs["base"] + general_sum + additional_points)

    # ---- pass conditions
    failed: list = []
    basic_blocking: set = set()
    below_total = False
    for c in rs["pass_conditions"]:
        t = c["type"]
        cnt, bad = 0, False
        detail: dict = {}
        if t == "no_verdict":
            hits = [it.number for it in in_scope if not it.additional and norm.get(it.number) == c["verdict"]]
            cnt, bad = len(hits), bool(hits)
            detail = {"items": hits}
        elif t == "max_verdict_count":
            dsel = c.get("dimensions") or [d for d in std.dimensions if d != std_mod.ADDITIONAL_DIMENSION]
            groups = [dsel] if c.get("combined", True) else [[d] for d in dsel]
            detail = {"max": c["max"], "groups": []}
            for g in groups:
                hits = [
                    it.number
                    for it in in_scope
                    if not it.additional and it.dimension in g and norm.get(it.number) == c["verdict"]
                ]
                cnt = max(cnt, len(hits))
                detail["groups"].append({"dimensions": list(g), "count": len(hits), "items": hits})
                if len(hits) > c["max"]:
                    bad = True
                    if c["verdict"] == BASIC:
                        basic_blocking.update(hits)
            detail["count"] = cnt
        elif t == "min_total":
            bad = total < c["value"]
            below_total = below_total or bad
            detail = {"total": total, "min": c["value"]}
        elif t == "all_answered":
            open_items = list(unanswered)
            if answer_rules()["unanswered_additional_blocks_pass"].get("value"):
                open_items += unanswered_additional
            cnt, bad = len(open_items), bool(open_items)
            detail = {"unanswered": open_items}
        if bad:
            dz = "、".join(c.get("dimensions") or []) or "全部维度"
            de = ", ".join(std_mod.dimension_name(d, "en") for d in (c.get("dimensions") or [])) or "all dimensions"
            kw = {
                "count": cnt,
                "max": c.get("max"),
                "value": c.get("value"),
                "total": total,
                "dimensions_zh": dz,
                "dimensions_en": de,
            }
            failed.append(
                {
                    "code": c["code"],
                    "type": t,
                    "message": {"zh": _fmt(c["message"]["zh"], **kw), "en": _fmt(c["message"]["en"], **kw)},
                    "detail": detail,
                }
            )

    # ---- gaps: 不达标 first, then 基本达标 (by item number)
    gaps: list = []
    remediation = rs.get("remediation") or None
    for verdict in (NOT_MET, BASIC):
        for it in in_scope:
            if it.additional or norm.get(it.number) != verdict:
                continue
            blocks = verdict == NOT_MET or it.number in basic_blocking or below_total
            gap = {
                "item": it.number,
                "label": it.label,
                "dimension": it.dimension,
                "dimension_en": std_mod.dimension_name(it.dimension, "en"),
                "verdict": verdict,
                "verdict_en": VERDICT_EN[verdict],
                "points": _num(points[verdict]),
                "blocks_certification": blocks,
                "requirement": it.requirement,
            }
            if remediation:
                gap["remediable"] = bool(remediation.get("allowed")) and not it.additional
            gaps.append(gap)

    na_rule = answer_rules()["general_not_applicable"]
    not_applicable = [
        {
            "item": it.number,
            "label": it.label,
            "dimension": it.dimension,
            "additional": it.additional,
            "own_clause": it.allows_not_applicable,
            "clause": it.not_applicable if it.allows_not_applicable else None,
            "reason": why.get(it.number),
            "basis": "official_text" if it.additional or it.allows_not_applicable else na_rule["basis"],
        }
        for it in in_scope
        if norm.get(it.number) == NA
    ]
    general_total = sum(1 for it in std.items if not it.additional and it.number in applicable_nums)
    assessed_general = sum(1 for it in in_scope if not it.additional)
    scope_info = {
        "mode": mode,
        "n": len(in_scope),
        "total": len(applicable_nums),
        "general_n": assessed_general,
        "general_total": general_total,
        "partial": assessed_general < general_total,
    }
    notes = []
    if scope_info["partial"]:
        notes.append(
            {
                "code": "partial_scope",
                "zh": f"本次只评了{len(in_scope)}/{len(applicable_nums)}项：总分和结论只反映这些项目，不是整套标准的结果。",
                "en": f"Only {len(in_scope)} of {len(applicable_nums)} items were assessed: the total and result "
                "cover those items only, not the whole standard.",
            }
        )
    if unanswered_additional:
        notes.append(
            {
                "code": "additional_unanswered",
                "zh": f"附加标准有{len(unanswered_additional)}项未回答，按0分计，不影响能否通过。",
                "en": f"{len(unanswered_additional)} additional item(s) unanswered: they count 0 and do not "
                "affect the result.",
            }
        )
    if std.id == "individual":
        notes.append(
            {
                "zh": "单项标准如何与通用标准合并评分未见官方说明；此处单独按所选规则集计算。",
                "en": "How individual-standard items combine with the general standard is not officially "
                "documented; they are scored on their own with the selected rule set.",
            }
        )
    if not rs["verified"]:
        notes.append(
            {
                "zh": "本结果使用的规则集未经官方核实。",
                "en": "The rule set used for this result is not officially verified.",
            }
        )

    return ScoreResult(
        standard=std.id,
        total=total,
        passed=not failed,
        complete=not unanswered,
        rule_set={
            "id": rs["id"],
            "name": rs["name"],
            "verified": rs["verified"],
            "applies_to_2026_verified": bool(rs.get("applies_to_2026_verified", rs["verified"])),
        },
        failed_conditions=failed,
        dimensions=dims,
        gaps=gaps,
        counts={k: v for k, v in counts.items() if v or k in GENERAL_VERDICTS},
        unanswered=unanswered,
        additional_points=_num(additional_points),
        answers={n: norm[n] for n in sorted(norm)},
        notes=notes,
        not_applicable=not_applicable,
        unanswered_additional=unanswered_additional,
        scope=scope_info,
    )
