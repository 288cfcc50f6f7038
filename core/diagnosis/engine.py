"""Credit diagnosis from enterprise facts (pure logic, no Rasa import).

Criteria live in ``knowledge/diagnosis/criteria.yaml`` and credit-repair rules
in ``knowledge/diagnosis/repair.yaml``; this module only evaluates them.

Public API
----------
diagnose(facts, today=None) -> Diagnosis
what_if(facts, changes, today=None) -> (before: Diagnosis, after: Diagnosis, differences: list[dict])
next_question(diagnosis, lang="zh") -> Optional[dict]
repair_eligibility(facts, today=None) -> dict
load_criteria(path=None) -> dict ; load_repair(path=None) -> dict   (cached by mtime)

Each criterion result is "met" / "not_met" / "unknown" (facts missing) /
"cannot_assess" (rule text not held, e.g. Decree 282 thresholds) /
"not_applicable". For dishonesty grounds "met" means *the ground is present*.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, cast

from core import files
from core.clock import as_date as _today
from core.files import KNOWLEDGE_DIR

CRITERIA_PATH = KNOWLEDGE_DIR / "diagnosis" / "criteria.yaml"
REPAIR_PATH = KNOWLEDGE_DIR / "diagnosis" / "repair.yaml"

MET, NOT_MET, UNKNOWN, CANNOT, NA = "met", "not_met", "unknown", "cannot_assess", "not_applicable"
_OPS = {"le", "lt", "ge", "gt", "eq"}
_IGNORE = object()  # a ratio clause whose denominator cannot be calculated and is to be ignored

WHERE_TO_CONFIRM = {
    "zh": "请以海关总署公布的原文为准（customs.gov.cn），企业信用状况可在“中国海关企业进出口信用信息公示平台”（credit.customs.gov.cn）查询，也可咨询所在地海关企业管理部门或拨打12360海关服务热线。",
    "en": "Please rely on the official text published by GACC (customs.gov.cn); an enterprise's credit status can be checked on credit.customs.gov.cn, or ask your customs office's enterprise management department or the 12360 customs hotline.",
}

# The one caveat line for thresholds of the 2026 standards (an unverified transcription).
STANDARD_2026_CAVEAT = {
    "zh": "提示：2026年标准的门槛取自第三方转录，未经官方文本核实，请以12360热线、credit.customs.gov.cn或主管海关的答复为准。",
    "en": "Note: the 2026 thresholds come from an unverified transcription. Confirm with 12360, credit.customs.gov.cn or your customs office.",
}


class CriteriaError(ValueError):
    """A knowledge file is malformed; the message names file, entry and field."""


# ---------------------------------------------------------------------------
# loading and validation
# ---------------------------------------------------------------------------
def _load_yaml(path: Path) -> dict:
    def fail(message: str) -> CriteriaError:
        return CriteriaError(f"{path}: {message}")

    def build(p: Path) -> dict:
        data = files.read_yaml(p, fail) or {}
        if not isinstance(data, dict):
            raise fail("top level must be a mapping")
        return data

    return files.cached(path, build, fail)


def _as_date(value: Any, where: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise CriteriaError(f"{where}: not a date: {value!r}") from exc


def _validate_test(node: Any, facts: set, where: str) -> None:
    if not isinstance(node, dict):
        raise CriteriaError(f"{where}: test node must be a mapping")
    if "all" in node or "any" in node:
        key = "all" if "all" in node else "any"
        children = node[key]
        if not isinstance(children, list) or not children:
            raise CriteriaError(f"{where}.{key}: must be a non-empty list")
        for i, child in enumerate(children):
            _validate_test(child, facts, f"{where}.{key}[{i}]")
        return
    for req in ("fact", "op"):
        if req not in node:
            raise CriteriaError(f"{where}: missing field '{req}'")
    if node["fact"] not in facts:
        raise CriteriaError(f"{where}.fact: unknown fact '{node['fact']}'")
    if node["op"] not in _OPS:
        raise CriteriaError(f"{where}.op: unknown operator '{node['op']}'")
    if "ratio" in node:
        if node.get("of") not in facts:
            raise CriteriaError(f"{where}.of: unknown fact '{node.get('of')}'")
        if node.get("if_not_calculable", "false") not in ("ignore", "false", False):
            raise CriteriaError(f"{where}.if_not_calculable: must be 'ignore' or 'false'")
    elif "value" not in node:
        raise CriteriaError(f"{where}: needs 'value' or 'ratio'")
    if node.get("if_missing", "ask") not in ("ask", "ignore"):
        raise CriteriaError(f"{where}.if_missing: must be 'ignore' (or absent)")


def load_criteria(path: Path | None = None) -> dict:
    """Load and validate criteria.yaml. Returns {"facts": [...], "criteria": [...], "fact_index": {...}}."""
    path = Path(path or CRITERIA_PATH)
    data = _load_yaml(path)
    if "_validated" in data:
        return data
    facts = data.get("facts")
    crits = data.get("criteria")
    if not isinstance(facts, list) or not isinstance(crits, list):
        raise CriteriaError(f"{path}: needs lists 'facts' and 'criteria'")
    index = {}
    for i, f in enumerate(facts):
        where = f"{path}: facts[{i}]"
        for req in ("key", "type", "question", "label"):
            if req not in f:
                raise CriteriaError(f"{where}: missing field '{req}'")
        for lang in ("zh", "en"):
            if not f["question"].get(lang):
                raise CriteriaError(f"{where} ({f['key']}).question.{lang}: missing")
        if f.get("more") not in (None, "sum", "max"):
            raise CriteriaError(f"{where} ({f['key']}).more: must be sum or max")
        f["order"] = i
        index[f["key"]] = f
    seen = set()
    for i, c in enumerate(crits):
        cid = c.get("id")
        where = f"{path}: criteria[{i}] ({cid})"
        for req in ("id", "source", "regime", "article", "effective_from", "verified", "consequence", "explanation"):
            if req not in c:
                raise CriteriaError(f"{where}: missing field '{req}'")
        if cid in seen:
            raise CriteriaError(f"{where}: duplicate id")
        seen.add(cid)
        c["effective_from"] = _as_date(c["effective_from"], f"{where}.effective_from")
        c["effective_to"] = _as_date(c.get("effective_to"), f"{where}.effective_to")
        for fk in c.get("facts") or []:
            if fk not in index:
                raise CriteriaError(f"{where}.facts: unknown fact '{fk}'")
        if "test" in c:
            _validate_test(c["test"], set(index), f"{where}.test")
            if c.get("basis") == "not_obtained":
                raise CriteriaError(f"{where}: an entry whose text was not obtained may not carry a test")
        elif c["consequence"].get("kind") != "cannot_assess":
            raise CriteriaError(f"{where}: no test; consequence.kind must be 'cannot_assess'")
        if "applies_if" in c and c["applies_if"].get("fact") not in index:
            raise CriteriaError(f"{where}.applies_if.fact: unknown fact")
    data["fact_index"] = index
    data["_validated"] = True
    return data


# ---------------------------------------------------------------------------
# evaluation (three-valued)
# ---------------------------------------------------------------------------
def _num(value: Any) -> float | None:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).replace(",", ""))
    except (TypeError, ValueError):
        return None


def _compare(left: Any, op: str, right: Any) -> bool | None:
    if op == "eq":
        if isinstance(right, bool):
            if isinstance(left, str):
                left = left.strip().lower() in ("true", "yes", "1", "是", "有")
            return bool(left) == right
        a, b = _num(left), _num(right)
        return None if a is None or b is None else abs(a - b) < 1e-9
    a, b = _num(left), _num(right)
    if a is None or b is None:
        return None
    eps = 1e-9 * max(1.0, abs(b))
    if op == "le":
        return a <= b + eps
    if op == "lt":
        return a < b - eps
    if op == "ge":
        return a >= b - eps
    if op == "gt":
        return a > b + eps
    return None


def _eval(node: dict, facts: dict, index: dict, trace: dict | None = None) -> tuple[Any, list]:
    """Returns (True | False | None | _IGNORE, missing fact keys). When ``trace`` is
    given it is filled with what was compared: for a clause its fact, operator,
    the fact's value (``left``), the limit it was compared with (``right``: the
    value, or ``ratio`` x the ``of`` fact's value ``of_value``) and the result;
    for all/any the children's traces."""
    trace = {} if trace is None else trace
    value, missing = _eval_node(node, facts, index, trace)
    trace["result"] = "ignored" if value is _IGNORE else value
    return value, missing


def _eval_node(node: dict, facts: dict, index: dict, trace: dict) -> tuple[Any, list]:
    if "all" in node or "any" in node:
        is_all = "all" in node
        kids: list = [{} for _ in node["all" if is_all else "any"]]
        results = [
            _eval(child, facts, index, t) for child, t in zip(node["all" if is_all else "any"], kids, strict=True)
        ]
        trace.update({"kind": "all" if is_all else "any", "children": kids})
        values = [v for v, _ in results if v is not _IGNORE]
        decisive = not is_all
        if any(v is decisive for v in values):
            return decisive, []
        if any(v is None for v in values):
            missing: list = []
            for v, m in results:
                if v is None:
                    missing += [k for k in m if k not in missing]
            return None, missing
        return (not decisive), []
    fact = node["fact"]
    left = facts.get(fact)
    trace.update({"kind": "clause", "fact": fact, "op": node["op"], "left": left, "right": None})
    trace.update({k: node[k] for k in ("value", "ratio", "of", "name") if k in node})
    if left is None and node.get("if_missing") == "ignore":
        return _IGNORE, []
    missing = [] if left is not None else [fact]
    if "ratio" in node:
        of = node["of"]
        denominator = facts.get(of)
        trace["of_value"] = denominator
        if denominator is None:
            flag = index.get(of, {}).get("not_calculable_flag")
            if flag and facts.get(flag) is True:
                trace["not_calculable"] = True
                return (_IGNORE if node.get("if_not_calculable") == "ignore" else False), []
            missing.append(of)
            return None, missing
        right = _num(denominator)
        if right is None:
            return None, [of]
        right = right * float(node["ratio"])
    else:
        right = node["value"]
    trace["right"] = right
    if left is None:
        return None, missing
    result = _compare(left, node["op"], right)
    return result, ([] if result is not None else [fact])


@dataclass
class CriterionResult:
    id: str
    regime: str
    source: str
    status: str
    verified: bool
    basis: str
    superseded: bool
    in_force: bool
    article: dict
    explanation: dict
    consequence: dict
    standard: str | None = None
    item: int | None = None
    item_ref: str | None = None
    ground: str | None = None
    effective_from: str | None = None
    effective_to: str | None = None
    quote: str | None = None
    missing_facts: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    assumptions: list = field(default_factory=list)
    # What the test compared (see ``_eval``): {} when the criterion has no test or does not apply.
    trace: dict = field(default_factory=dict)
    # A single-fine rule left open by a total over its line and no count ("罚了6万"): what reading
    # the total as one fine gives, {"status", "trace"}; {} otherwise.
    if_one_fine: dict = field(default_factory=dict)


@dataclass
class Diagnosis:
    today: str
    facts: dict
    results: list
    advanced: dict
    certified: dict
    dishonest: dict
    level_hint: str
    summary: dict
    missing: list  # facts still needed by criteria in force, in asking order
    missing_all: list  # including facts only superseded rules need
    caveats: list

    def by_id(self, cid: str) -> CriterionResult | None:
        return next((r for r in self.results if r.id == cid), None)

    def status(self, cid: str) -> str | None:
        r = self.by_id(cid)
        return r.status if r else None

    def to_dict(self) -> dict:
        return asdict(self)


def _clean_facts(facts: Any) -> dict:
    if not isinstance(facts, dict):
        return {}
    return {k: v for k, v in facts.items() if v is not None and v != ""}


def _evaluate(c: dict, facts: dict, index: dict, today: dt.date) -> CriterionResult:
    superseded = c["effective_to"] is not None and today > c["effective_to"]
    in_force = c["effective_from"] <= today and not superseded
    assumptions: list = []
    status, missing = CANNOT, cast(list, [])
    trace: dict = {}
    applies = True
    cond = c.get("applies_if")
    if cond:
        value = facts.get(cond["fact"])
        if value is None:
            applies = bool(cond.get("assume_if_missing"))
            label = index[cond["fact"]]["label"]
            assumptions.append(
                {
                    "zh": f"未说明“{label['zh']}”，按{'是' if cond['eq'] == applies else '否'}处理。",
                    "en": f"'{label['en']}' not stated; assumed {'yes' if cond['eq'] == applies else 'no'}.",
                }
            )
        else:
            applies = bool(value) == bool(cond["eq"])
    if applies and c.get("only_when_stated") and not any(f in facts for f in c.get("facts") or []):
        applies = False  # judged only when the user states its fact; never asked
    if not applies:
        status = NA
    elif "test" in c:
        value, missing = _eval(c["test"], facts, index, trace)
        if value is _IGNORE:
            value = True
        status = MET if value is True else NOT_MET if value is False else UNKNOWN
    return CriterionResult(
        id=c["id"],
        regime=c["regime"],
        source=c["source"],
        status=status,
        verified=bool(c["verified"]),
        basis=c.get("basis", ""),
        superseded=superseded,
        in_force=in_force,
        article=c["article"],
        explanation=c["explanation"],
        consequence=c["consequence"],
        standard=c.get("standard"),
        item=c.get("item"),
        item_ref=c.get("item_ref"),
        ground=c.get("ground"),
        effective_from=c["effective_from"].isoformat(),
        effective_to=c["effective_to"].isoformat() if c["effective_to"] else None,
        quote=c.get("quote"),
        missing_facts=list(missing) if status == UNKNOWN else [],
        notes=list(c.get("notes") or []),
        assumptions=assumptions,
        trace=trace,
    )


def _certification_view(results: list, standard: str) -> dict:
    rs = [r for r in results if r.standard == standard and r.regime == "standard_2026"]
    live = [r for r in rs if r.in_force]
    blocking = [r.item_ref for r in live if r.status == NOT_MET]
    unknown = [r.item_ref for r in live if r.status == UNKNOWN]
    met = [r.item_ref for r in live if r.status == MET]
    if not live:
        status = "not_in_force"
    elif blocking:
        status = "blocked"
    elif unknown:
        status = "incomplete"
    else:
        status = "meets_checked_items"
    return {
        "status": status,
        "blocking": blocking,
        "unknown": unknown,
        "met": met,
        "checked_items": [r.item_ref for r in rs],
    }


def _items_text(refs: list) -> str:
    return "、".join(f"第({r.split(':')[1]})项" for r in refs)


def _items_text_en(refs: list) -> str:
    return ", ".join(f"({r.split(':')[1]})" for r in refs)


def _summary(adv: dict, cert: dict, dis: dict, today: dt.date) -> tuple[str, dict]:
    zh, en = [], []
    d251 = dis["decree_251"]
    label_zh = "已废止的第251号令" if d251["superseded"] else "第251号令"
    label_en = "the repealed Decree 251" if d251["superseded"] else "Decree 251"
    if d251["grounds_present"]:
        zh.append(
            f"按{label_zh}第二十二条，事实显示存在失信认定情形（{'、'.join(d251['grounds_present_labels_zh'])}）。"
        )
        en.append(
            f"Under {label_en} Art. 22 the facts show a ground for dishonesty ({', '.join(d251['grounds_present_labels_en'])})."
        )
    elif d251["unknown"]:
        zh.append(f"按{label_zh}第二十二条能核查的情形，目前未发现失信情形，但还缺少部分信息。")
        en.append(
            f"Under the grounds of {label_en} Art. 22 that we can check, no ground shows so far, but some facts are missing."
        )
    else:
        zh.append(f"在我们能核查的标准下（{label_zh}第二十二条），事实未显示失信情形。")
        en.append(f"Under the criteria we can check ({label_en} Art. 22), the facts show no ground for dishonesty.")
    if dis["decree_282"]["in_force"]:
        zh.append("第282号令的失信、严重失信认定门槛我们尚未取得原文，无法判断。")
        en.append(
            "We do not hold Decree 282's thresholds for dishonesty or serious dishonesty, so we cannot judge them."
        )

    for view, name_zh, name_en in (
        (adv, "高级认证", "advanced certification"),
        (cert, "认证企业", "Certified Enterprise"),
    ):
        if view["status"] == "blocked":
            zh.append(f"{_items_text(view['blocking'])}将不达标 → 阻止{name_zh}。")
            en.append(f"Item(s) {_items_text_en(view['blocking'])} would fail → blocks {name_en}.")
        elif view["status"] == "incomplete":
            zh.append(f"{name_zh}：已核查的守法规范量化项未见不达标，{_items_text(view['unknown'])}还需补充信息。")
            en.append(
                f"{name_en}: no failure among the quantified compliance items checked so far; item(s) {_items_text_en(view['unknown'])} need more facts."
            )
        elif view["status"] == "meets_checked_items":
            zh.append(f"满足{name_zh}标准中守法规范的量化门槛（{_items_text(view['met'])}）。")
            en.append(
                f"Meets the quantified compliance thresholds for {name_en} (items {_items_text_en(view['met'])})."
            )
        else:
            zh.append(f"{name_zh}标准（2026年）在{today.isoformat()}尚未施行。")
            en.append(f"The 2026 {name_en} standard is not yet in force on {today.isoformat()}.")
    if adv["status"] in ("meets_checked_items", "incomplete") or cert["status"] in (
        "meets_checked_items",
        "incomplete",
    ):
        zh.append("这只覆盖守法规范中的量化项；内部控制、财务状况、贸易安全等其他项目需要完整自评。")
        en.append(
            "This covers only the quantified compliance items; internal control, finance, trade security and the other items need a full self-assessment."
        )

    if d251["grounds_present"]:
        hint = "dishonest_ground_251"
    elif adv["status"] == "meets_checked_items":
        hint = "advanced_thresholds_met"
    elif adv["status"] == "blocked" and cert["status"] == "meets_checked_items":
        hint = "certified_thresholds_met"
    elif adv["status"] == "blocked" and cert["status"] == "blocked":
        hint = "certification_blocked"
    elif adv["status"] == "blocked":
        hint = "advanced_blocked"
    else:
        hint = "incomplete"
    return hint, {"zh": "".join(zh), "en": " ".join(en)}


def _bounded(c: dict, facts: dict, index: dict, today: dt.date) -> CriterionResult | None:
    """A single-fine rule with a total and no largest fine. Met whatever the largest fine was
    when the total is under its line ("罚了8万" in all: the certified standard's RMB 100,000
    single-fine line is met), said as such; else open, and when no count was given either
    ("去年被罚了6万"), with what reading the total as one fine gives."""
    if (
        c.get("regime") != "standard_2026"
        or "max_single_penalty" not in c.get("facts", [])
        or "max_single_penalty" in facts
        or "penalties_total" not in facts
    ):
        return None
    r = _evaluate(c, {**facts, "max_single_penalty": facts["penalties_total"]}, index, today)
    if r.status == MET:
        r.assumptions = [*r.assumptions, BOUNDED_BY_TOTAL]
        return r
    if "penalties_count_last_year" in facts:
        return None
    plain = _evaluate(c, facts, index, today)
    if plain.status == UNKNOWN:
        plain.if_one_fine = {"status": r.status, "trace": r.trace}
    return plain


# How a single-fine rule was decided without the largest fine (shown with the result).
BOUNDED_BY_TOTAL = {
    "zh": "单次罚款不会超过罚款累计金额，按累计金额判断。",
    "en": "No single fine can exceed the total, so the total decides.",
}


def diagnose(facts: dict, today: Any = None, criteria_path: Path | None = None) -> Diagnosis:
    """Evaluate every criterion against ``facts`` (keys: see criteria.yaml `facts`)."""
    data = load_criteria(criteria_path)
    index = data["fact_index"]
    day = _today(today)
    clean = _clean_facts(facts)
    results = [_bounded(c, clean, index, day) or _evaluate(c, clean, index, day) for c in data["criteria"]]

    adv = _certification_view(results, "advanced")
    cert = _certification_view(results, "certified")
    r251 = [r for r in results if r.regime == "decree_251"]
    present = [r for r in r251 if r.status == MET]
    d251 = {
        "superseded": any(r.superseded for r in r251),
        "in_force": any(r.in_force for r in r251),
        "effective_to": r251[0].effective_to if r251 else None,
        "grounds_present": [r.id for r in present],
        "grounds_present_labels_zh": [r.article["zh"] for r in present],
        "grounds_present_labels_en": [r.article["en"] for r in present],
        "unknown": [r.id for r in r251 if r.status == UNKNOWN],
        "points_to_dishonest": True if present else (None if any(r.status == UNKNOWN for r in r251) else False),
    }
    r282 = [r for r in results if r.regime == "decree_282"]
    d282 = {
        "in_force": any(r.in_force for r in r282),
        "assessable": False,
        "criteria": [r.id for r in r282],
        "explanation": r282[0].explanation if r282 else {},
        "where_to_confirm": WHERE_TO_CONFIRM,
    }
    dishonest = {"decree_251": d251, "decree_282": d282}
    hint, summary = _summary(adv, cert, dishonest, day)

    def collect(include_superseded: bool) -> list:
        needed: dict = {}
        for r in results:
            if r.status != UNKNOWN or (not r.in_force and not include_superseded):
                continue
            for k in r.missing_facts:
                needed.setdefault(k, []).append(r.id)
        out = []
        for k in sorted(needed, key=lambda key: index[key]["order"]):
            f = index[k]
            out.append(
                {"key": k, "type": f["type"], "label": f["label"], "question": f["question"], "needed_for": needed[k]}
            )
        return out

    caveats = []
    if any(r.in_force and r.regime == "standard_2026" for r in results):
        caveats.append(dict(STANDARD_2026_CAVEAT))
    caveats.append(
        {
            "zh": "评分按默认规则（最后一次官方公布的规则：任一项不达标即不通过）。",
            "en": "Scoring follows the default rule set (the last officially published rules: any failed item means no pass).",
        }
    )
    if d251["superseded"]:
        caveats.append(
            {
                "zh": f"第251号令已于{d251['effective_to']}废止，其失信情形仅供参考。",
                "en": f"Decree 251 was repealed after {d251['effective_to']}; its dishonesty grounds are shown for reference only.",
            }
        )
    return Diagnosis(
        today=day.isoformat(),
        facts=clean,
        results=results,
        advanced=adv,
        certified=cert,
        dishonest=dishonest,
        level_hint=hint,
        summary=summary,
        missing=collect(False),
        missing_all=collect(True),
        caveats=caveats,
    )


def next_question(diagnosis: Diagnosis, lang: str = "zh") -> dict | None:
    """The first fact still needed (in asking order), or None."""
    if not diagnosis.missing:
        return None
    first = diagnosis.missing[0]
    lang = lang if lang in ("zh", "en") else "zh"
    return {"key": first["key"], "text": first["question"][lang], "needed_for": first["needed_for"]}


def what_if(facts: dict, changes: dict, today: Any = None) -> tuple[Diagnosis, Diagnosis, list]:
    """Diagnose ``facts`` and ``facts`` updated with ``changes``; list what changed.

    A change value of None removes the fact. differences: dicts with ``id``
    (criterion id or "overall:advanced" / "overall:certified" / "overall:level"),
    ``item_ref``, ``before``, ``after``."""
    base = dict(_clean_facts(facts))
    new = dict(base)
    for k, v in (changes or {}).items():
        if v is None:
            new.pop(k, None)
        else:
            new[k] = v
    before = diagnose(base, today)
    after = diagnose(new, today)
    diffs = []
    for rb, ra in zip(before.results, after.results, strict=False):
        if rb.status != ra.status:
            diffs.append(
                {
                    "id": rb.id,
                    "item_ref": rb.item_ref,
                    "article": rb.article,
                    "before": rb.status,
                    "after": ra.status,
                    "superseded": rb.superseded,
                }
            )
    for name in ("advanced", "certified"):
        vb, va = getattr(before, name), getattr(after, name)
        if vb["status"] != va["status"] or vb["blocking"] != va["blocking"]:
            diffs.append(
                {
                    "id": f"overall:{name}",
                    "item_ref": None,
                    "before": vb["status"],
                    "after": va["status"],
                    "blocking_before": vb["blocking"],
                    "blocking_after": va["blocking"],
                }
            )
    if before.level_hint != after.level_hint:
        diffs.append({"id": "overall:level", "item_ref": None, "before": before.level_hint, "after": after.level_hint})
    return before, after, diffs


# ---------------------------------------------------------------------------
# credit repair
# ---------------------------------------------------------------------------
def load_repair(path: Path | None = None) -> dict:
    path = Path(path or REPAIR_PATH)
    data = _load_yaml(path)
    if "_validated" in data:
        return data
    regimes = data.get("regimes")
    if not isinstance(regimes, dict) or "decree_251" not in regimes or "decree_282" not in regimes:
        raise CriteriaError(f"{path}: needs regimes.decree_251 and regimes.decree_282")
    for name, reg in regimes.items():
        for req in ("source", "effective_from", "verified", "explanation"):
            if req not in reg:
                raise CriteriaError(f"{path}: regimes.{name}: missing field '{req}'")
        reg["effective_from"] = _as_date(reg["effective_from"], f"{path}: regimes.{name}.effective_from")
        reg["effective_to"] = _as_date(reg.get("effective_to"), f"{path}: regimes.{name}.effective_to")
    for i, g in enumerate(regimes["decree_251"].get("grounds") or []):
        for req in ("ground", "application", "verified"):
            if req not in g:
                raise CriteriaError(f"{path}: regimes.decree_251.grounds[{i}]: missing field '{req}'")
        g["ground"] = str(g["ground"])
    data["_validated"] = True
    return data


def _ground_key(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip().lower()
    for prefix in ("decree_251:", "251:", "d251_22_", "art22:", "ground"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    cn = {"一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8"}
    text = text.strip("()（）第项 ")
    text = cn.get(text, text)
    if text.startswith("3_"):
        text = "3"
    return text or None


def repair_eligibility(facts: dict, today: Any = None, repair_path: Path | None = None) -> dict:
    """Can the enterprise apply for credit repair now?

    facts: dishonest_ground ("251:3", "3", "（三）"...), determined_under
    ("decree_251" | "decree_282"; inferred from determination_date or
    months_since_determination if absent), months_since_determination,
    determination_date (ISO), on_serious_list (bool), conduct_corrected (bool).

    Returns eligible True / False / None (cannot say), the reasons, the
    missing facts, materials, steps, where to apply and caveats, each zh/en."""
    data = load_repair(repair_path)
    day = _today(today)
    facts = _clean_facts(facts)
    regimes = data["regimes"]
    months = _num(facts.get("months_since_determination"))
    det_date = None
    if facts.get("determination_date"):
        try:
            det_date = _today(facts["determination_date"])
        except ValueError:
            det_date = None
    if months is None and det_date is not None:
        months = (day.year - det_date.year) * 12 + (day.month - det_date.month) - (1 if day.day < det_date.day else 0)
    regime_name = facts.get("determined_under")
    if regime_name not in regimes:
        regime_name = None
        start_282 = regimes["decree_282"]["effective_from"]
        if det_date is None and months is not None:
            det_date = day - dt.timedelta(days=int(months * 30.44))
        if det_date is not None:
            regime_name = "decree_251" if det_date < start_282 else "decree_282"
    out: dict = {
        "regime": regime_name,
        "eligible": None,
        "reasons": [],
        "missing": [],
        "materials": [],
        "steps": [],
        "where": None,
        "caveats": [],
        "verified": False,
        "superseded": False,
        "earliest_months": None,
        "months_remaining": None,
        "ground": _ground_key(facts.get("dishonest_ground")),
    }
    if regime_name is None:
        out["missing"].append("determination_date")
        out["reasons"].append(
            {
                "zh": "需要知道企业何时被认定为失信企业（依据第251号令还是第282号令）。",
                "en": "We need to know when the enterprise was found dishonest (under Decree 251 or Decree 282).",
            }
        )
        return out
    reg = regimes[regime_name]
    out["superseded"] = reg["effective_to"] is not None and day > reg["effective_to"]
    out["verified"] = bool(reg["verified"])
    out["where"] = reg.get("where")
    out["steps"] = list(reg.get("steps") or [])
    out["explanation"] = reg["explanation"]
    out["caveats"] += list(reg.get("caveats") or [])
    if regime_name == "decree_282":
        out["reasons"].append(reg["explanation"])
        out["caveats"].append(WHERE_TO_CONFIRM)
        return out

    # Decree 251
    if out["superseded"]:
        out["caveats"].append(
            reg.get("superseded_note") or {"zh": "第251号令已废止。", "en": "Decree 251 has been repealed."}
        )
    if facts.get("on_serious_list") is True:
        out["eligible"] = False
        out["reasons"].append(reg["not_eligible_serious"])
        return out
    ground = out["ground"]
    entry = next((g for g in reg.get("grounds") or [] if g["ground"] == ground), None)
    if entry is None:
        out["missing"].append("dishonest_ground")
        out["reasons"].append(
            {
                "zh": "需要知道失信认定依据的是第二十二条哪一项。",
                "en": "We need to know which ground of Art. 22 the determination was based on.",
            }
        )
        return out
    out["materials"] = list(reg.get("materials_common") or []) + list(entry.get("materials") or [])
    out["verified"] = bool(reg["verified"]) and bool(entry["verified"])
    auto = reg.get("automatic_repair") or {}
    if entry["application"] == "none_listed":
        out["eligible"] = False
        out["reasons"].append(entry["explanation"])
        if auto and months is not None and months >= auto.get("months", 10**9):
            out["reasons"].append(auto["explanation"])
        return out
    if facts.get("on_serious_list") is None:
        out["missing"].append("on_serious_list")
    min_months = entry["min_months"]
    out["earliest_months"] = min_months
    if months is None:
        out["missing"].insert(0, "months_since_determination")
        out["reasons"].append(
            {
                "zh": f"该项情形须自被认定为失信企业之日起满{min_months}个月方可申请（期限未核实）。",
                "en": f"For this ground an application is possible {min_months} months after the determination (period not verified).",
            }
        )
        return out
    if months < min_months:
        out["eligible"] = False
        out["months_remaining"] = _clean_months(min_months - months)
        out["reasons"].append(
            {
                "zh": f"自认定之日起需满{min_months}个月，目前约{_clean_months(months)}个月，还差约{out['months_remaining']}个月（期限未核实）。",
                "en": f"{min_months} months must pass since the determination; about {_clean_months(months)} have passed, about {out['months_remaining']} to go (period not verified).",
            }
        )
        return out
    out["months_remaining"] = 0
    corrected = facts.get("conduct_corrected")
    if corrected is False:
        out["eligible"] = False
        out["reasons"].append(reg["condition_corrected"])
        return out
    if corrected is None:
        out["missing"].append("conduct_corrected")
        out["reasons"].append(reg["condition_corrected"])
        return out
    if facts.get("on_serious_list") is None:
        out["reasons"].append(
            {
                "zh": "前提是企业未被列入严重失信主体名单。",
                "en": "Provided the enterprise is not on the seriously-dishonest list.",
            }
        )
    out["eligible"] = True if facts.get("on_serious_list") is False else None
    out["reasons"].append(
        {
            "zh": f"期限已满（满{min_months}个月），且已纠正失信行为、消除不良影响，可以书面申请信用修复（期限未核实）。",
            "en": f"The period has passed ({min_months} months) and the conduct has been corrected, so a written repair application is possible (period not verified).",
        }
    )
    return out


def _clean_months(value: float) -> Any:
    return int(value) if float(value).is_integer() else round(value, 1)
