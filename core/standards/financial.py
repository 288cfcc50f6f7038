"""Financial items computed from an enterprise's figures (no Rasa import).

The rules and thresholds come from the standards file (items with ``rule``
audit_opinion / solvency / profitability / dissolution and their ``rule_params``);
nothing numeric is hard-coded here.

    solvency({"total_assets": 1000, "total_liabilities": 700, ...}, production=True)
    -> {"item": 13, "verdict": "达标", "indicators": [...], "explanation": {"zh", "en"}, ...}

Indicator status: "met" | "not_met" | "unknown". An unknown indicator has a reason:
"missing" (a figure was not given), "zero_denominator" (cannot be computed; it does not count
as met) or "production_unknown" (the threshold depends on production vs non-production and
the value lies between the two). When unknown indicators could change the verdict, the verdict
is None ("cannot be determined yet") and the explanation says which figures are needed.
Amounts are in any single currency unit (yuan or 万元, but the same unit for all figures).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from core.standards import catalogue as std_mod

MET, BASIC, NOT_MET = "达标", "基本达标", "不达标"
VERDICT_EN = {MET: "meets", BASIC: "basically meets", NOT_MET: "does not meet", None: "cannot be determined yet"}
_CMP = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}
_CMP_ZH = {"<": "＜", "<=": "≤", ">": "＞", ">=": "≥", "==": "=", "!=": "≠"}
KIND_NAMES = {
    "production": {"zh": "生产型", "en": "production"},
    "non_production": {"zh": "非生产型", "en": "non-production"},
}


class FinancialError(ValueError):
    """Bad input (a figure that is not a number, a standard without that item); names the field."""

    def __init__(self, message: str, field: str = ""):
        self.field = field
        super().__init__(f"{field}: {message}" if field else message)


# --------------------------------------------------------------------------- audit opinion

_OPINION_PATTERNS = [  # order matters: 无保留 contains 保留
    ("disclaimer", re.compile(r"无法表示|拒绝表示|disclaim|unable to express|no opinion", re.I)),
    ("adverse", re.compile(r"否定|adverse|negative", re.I)),
    ("unqualified", re.compile(r"无保留|标准意见|清洁|unqualified|unmodified|clean", re.I)),
    ("qualified", re.compile(r"保留|qualified", re.I)),
]


def parse_audit_opinion(text: Any) -> str | None:
    """Map free text (zh/en) or an id to unqualified | qualified | adverse | disclaimer; else None."""
    if not isinstance(text, str):
        return None
    t = unicodedata.normalize("NFKC", text).strip()
    if t.lower() in ("unqualified", "qualified", "adverse", "disclaimer"):
        return t.lower()
    for oid, pat in _OPINION_PATTERNS:
        if pat.search(t):
            return oid
    return None


def audit_opinion_verdict(opinion: str, standard_id: str = "advanced") -> dict:
    """Verdict of the audit-report item for an opinion (id or free text)."""
    it = _rule_item(standard_id, "audit_opinion")
    oid = parse_audit_opinion(opinion)
    if oid is None:
        raise FinancialError(
            f"unknown audit opinion {opinion!r}; expected 无保留意见/保留意见/否定意见/无法表示意见", "audit_opinion"
        )
    names = std_mod.load_catalog().audit_opinions[oid]
    verdict = it.rule_params["opinions"][oid]
    return {
        "item": it.number,
        "rule": "audit_opinion",
        "opinion": oid,
        "opinion_name": dict(names),
        "verdict": verdict,
        "verdict_en": VERDICT_EN[verdict],
        "clause": it.scoring_rule_text,
        "explanation": {
            "zh": f"审计报告为{names['zh']}，按第（{it.number}）项“{it.scoring_rule_text}”判定为{verdict}。",
            "en": f"The audit report carries an {names['en'].lower()}; under item ({it.number}) this "
            f"{VERDICT_EN[verdict]} the standard.",
        },
    }


def dissolution_verdict(in_dissolution_or_bankrupt: bool, standard_id: str = "advanced") -> dict:
    it = _rule_item(standard_id, "dissolution")
    verdict = it.rule_params["when_true" if in_dissolution_or_bankrupt else "when_false"]
    return {
        "item": it.number,
        "rule": "dissolution",
        "verdict": verdict,
        "verdict_en": VERDICT_EN[verdict],
        "clause": it.deemed_non_compliant,
        "explanation": {
            "zh": (
                "企业已进入解散程序或被宣告破产，"
                if in_dissolution_or_bankrupt
                else "企业未进入解散程序、未被宣告破产，"
            )
            + f"第（{it.number}）项判定为{verdict}。",
            "en": (
                "The enterprise is in dissolution or bankrupt"
                if in_dissolution_or_bankrupt
                else "The enterprise is neither in dissolution nor bankrupt"
            )
            + f"; item ({it.number}) {VERDICT_EN[verdict]} the standard.",
        },
    }


# --------------------------------------------------------------------------- indicators


def _rule_item(standard_id: str, rule: str):
    try:
        it = std_mod.rule_item(standard_id, rule)
    except std_mod.StandardsError as exc:
        raise FinancialError(str(exc), "standard") from None
    if it is None:
        raise FinancialError(f"standard {standard_id} has no {rule} item", "standard")
    return it


def _dec(value: Any, fld: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise FinancialError("expected a number", fld)
    try:
        d = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise FinancialError(f"expected a number, got {value!r}", fld) from None
    if not d.is_finite():
        raise FinancialError("expected a finite number", fld)
    return d


def _figures(figures: Mapping[str, Any]) -> dict:
    if not isinstance(figures, Mapping):
        raise FinancialError("expected a mapping of figure name to number", "figures")
    cat = std_mod.load_catalog()
    out = {}
    for k, v in figures.items():
        if k not in cat.financial_fields:
            raise FinancialError(f"unknown figure; known: {', '.join(cat.financial_fields)}", f"figures.{k}")
        d = _dec(v, f"figures.{k}")
        if d is not None:
            out[k] = d
    # derived fields (e.g. average_total_assets = mean of opening and closing total assets)
    for k, spec in cat.financial_fields.items():
        derive = spec.get("derive") if isinstance(spec, dict) else None
        if k in out or not derive:
            continue
        parts = derive.get("average") or []
        if parts and all(p in out for p in parts):
            out[k] = sum(out[p] for p in parts) / Decimal(len(parts))
    return out


def _field_name(f: str, lang: str) -> str:
    spec = std_mod.load_catalog().financial_fields.get(f) or {}
    return spec.get(lang, f)


def _fmt(d: Decimal, unit: str) -> str:
    if unit == "%":
        return f"{float(d):.2f}%"
    if unit == "amount":
        return f"{float(d):,.2f}"
    return f"{float(d):.4f}".rstrip("0").rstrip(".") if d != d.to_integral_value() else f"{float(d):.2f}"


def _sum_terms(terms, figs: dict, defaulted: list, missing: list) -> Decimal | None:
    total = Decimal(0)
    ok = True
    for t in terms:
        f = t["field"]
        if f in figs:
            v = figs[f]
        elif "default" in t:
            v = Decimal(str(t["default"]))
            defaulted.append(f)
        else:
            missing.append(f)
            ok = False
            continue
        total += v * Decimal(str(t.get("sign", 1)))
    return total if ok else None


def _threshold_text(th, cmp_: str, unit: str, lang: str) -> str:
    u = "%" if unit == "%" else ""
    sym = _CMP_ZH[cmp_] if lang == "zh" else cmp_
    if isinstance(th, dict):
        return ("，" if lang == "zh" else ", ").join(
            f"{sym}{th[k]}{u}（{KIND_NAMES[k]['zh']}）" if lang == "zh" else f"{sym} {th[k]}{u} ({KIND_NAMES[k]['en']})"
            for k in ("production", "non_production")
        )
    return f"{sym}{th}{u}" if lang == "zh" else f"{sym} {th}{u}"


def evaluate_indicator(ind: dict, figs: dict, production: bool | None, given: Mapping[str, Any] | None = None) -> dict:
    """Evaluate one indicator spec from the standards file on (validated) figures.

    ``given`` holds indicator values stated as such ("debt ratio 90%": {"debt_ratio": 90}),
    in the indicator's unit (``%`` indicators in percent); such a value is used instead of
    computing it from figures. The result keeps what was computed: ``inputs`` (numerator and
    denominator sums) for a computed value, ``given`` True for a stated one."""
    unit = ind.get("unit", "")
    name = ind["name"]
    cmp_ = ind["comparison"]
    th = ind["threshold"]
    kind = None if production is None else ("production" if production else "non_production")
    out = {
        "id": ind["id"],
        "name": dict(name),
        "formula": dict(ind.get("formula") or {}),
        "unit": unit,
        "comparison": cmp_,
        "threshold": th,
        "threshold_applied": None,
        "value": None,
        "status": "unknown",
        "reason": None,
        "missing_fields": [],
        "assumed_zero": [],
        "text": ind.get("text"),
        "inputs": None,
        "given": False,
    }
    missing: list = []
    defaulted: list = []
    stated = _dec((given or {}).get(ind["id"]), f"given.{ind['id']}")
    num: Decimal | None
    den: Decimal | None
    if stated is not None:
        out["given"] = True
        num, den = stated, None
    else:
        num = _sum_terms(ind["numerator"], figs, defaulted, missing)
        den = _sum_terms(ind["denominator"], figs, defaulted, missing) if ind.get("denominator") else None
    extras = ind.get("also_requires") or []
    for e in extras:
        if e["field"] not in figs and e["field"] not in missing:
            missing.append(e["field"])
    req_zh = _threshold_text(th, cmp_, unit, "zh")
    req_en = _threshold_text(th, cmp_, unit, "en")
    fz = out["formula"].get("zh", name["zh"])
    fe = out["formula"].get("en", name["en"])
    out["assumed_zero"] = defaulted
    if missing:
        out["reason"] = "missing"
        out["missing_fields"] = missing
        mz = "、".join(_field_name(f, "zh") for f in missing)
        me = ", ".join(_field_name(f, "en") for f in missing)
        out["explanation"] = {
            "zh": f"{name['zh']}（{fz}）无法计算：缺少{mz}。要求{req_zh}。",
            "en": f"{name['en']} ({fe}) cannot be computed: {me} missing. Required {req_en}.",
        }
        return out
    assert num is not None  # nothing is missing
    if stated is None:
        out["inputs"] = {"numerator": float(num), "denominator": None if den is None else float(den)}
    if stated is not None:
        value = stated
    elif ind.get("denominator") and den is not None:
        if den == 0:
            dz = "、".join(_field_name(t["field"], "zh") for t in ind["denominator"])
            de = ", ".join(_field_name(t["field"], "en") for t in ind["denominator"])
            out["reason"] = "zero_denominator"
            out["explanation"] = {
                "zh": f"{name['zh']}（{fz}）无法计算：分母{dz}为0。该指标不计为符合要求；如确有特殊情况请向主管海关说明。",
                "en": f"{name['en']} ({fe}) cannot be computed: the denominator ({de}) is zero. It does not count "
                f"as met; explain the situation to your customs office if it is genuine.",
            }
            return out
        value = num / den
    else:
        value = num
    if stated is None:
        value = value * Decimal(str(ind.get("scale", 1)))
    out["value"] = float(round(value, 6))
    vs = _fmt(value, unit)
    ops = _CMP[cmp_]
    if isinstance(th, dict):
        res = {k: ops(value, Decimal(str(th[k]))) for k in ("production", "non_production")}
        if kind is not None:
            ok = res[kind]
            out["threshold_applied"] = th[kind]
        elif res["production"] == res["non_production"]:
            ok = res["production"]
        else:
            out["reason"] = "production_unknown"
            out["explanation"] = {
                "zh": f"{name['zh']} = {vs}，要求{req_zh}：结果取决于企业是否为生产型，请说明企业类型。",
                "en": f"{name['en']} = {vs}, required {req_en}: the result depends on whether the enterprise is a "
                f"production enterprise; please say which.",
            }
            return out
    else:
        ok = ops(value, Decimal(str(th)))
        out["threshold_applied"] = th
    extra_fail = []
    for e in extras:
        if not _CMP[e["comparison"]](figs[e["field"]], Decimal(str(e["threshold"]))):
            extra_fail.append(e)
    met = ok and not extra_fail
    out["status"] = "met" if met else "not_met"
    verdict_zh = "符合" if met else "不符合"
    verdict_en = "met" if met else "not met"
    ez = ee = ""
    if ok and extra_fail:
        ez = "；但" + "、".join(
            f"{_field_name(e['field'], 'zh')}{_CMP_ZH[e['comparison']]}{e['threshold']}的条件未满足" for e in extra_fail
        )
        ee = "; but " + ", ".join(
            f"{_field_name(e['field'], 'en')} {e['comparison']} {e['threshold']} is not satisfied" for e in extra_fail
        )
    az = ae = ""
    if defaulted:
        az = "（未提供" + "、".join(_field_name(f, "zh") for f in defaulted) + "，按0计算）"
        ae = " (" + ", ".join(_field_name(f, "en") for f in defaulted) + " not given, taken as 0)"
    kz = f"（按{KIND_NAMES[kind]['zh']}）" if isinstance(th, dict) and kind else ""
    ke = f" (as {KIND_NAMES[kind]['en']})" if isinstance(th, dict) and kind else ""
    out["explanation"] = {
        "zh": f"{name['zh']}（{fz}）= {vs}{az}，要求{req_zh}{kz}{ez}：{verdict_zh}。",
        "en": f"{name['en']} ({fe}) = {vs}{ae}, required {req_en}{ke}{ee}: {verdict_en}.",
    }
    return out


def _verdict_for(count: int, rule: dict) -> str:
    if count >= rule["compliant_min_met"]:
        return MET
    if count >= rule["basic_min_met"]:
        return BASIC
    return NOT_MET


def _evaluate_item(
    rule: str,
    standard_id: str,
    figures: Mapping[str, Any],
    production: bool | None,
    given: Mapping[str, Any] | None = None,
) -> dict:
    it = _rule_item(standard_id, rule)
    figs = _figures(figures)
    params = it.rule_params
    known = {ind["id"] for ind in params["indicators"]}
    for k in given or {}:
        if k not in known:
            raise FinancialError(f"unknown indicator; known: {', '.join(sorted(known))}", f"given.{k}")
    inds = [evaluate_indicator(ind, figs, production, given) for ind in params["indicators"]]
    met = sum(1 for i in inds if i["status"] == "met")
    pending = [i for i in inds if i["status"] == "unknown" and i["reason"] in ("missing", "production_unknown")]
    vr = params["verdict_rule"]
    low, high = _verdict_for(met, vr), _verdict_for(met + len(pending), vr)
    verdict = low if low == high else None
    n = len(inds)
    if verdict is not None:
        ez = f"{n}项指标中{met}项符合要求，按第（{it.number}）项“{vr.get('text') or it.scoring_rule_text}”判定为{verdict}。"
        ee = (
            f"{met} of {n} indicators met; under item ({it.number}) ({vr['compliant_min_met']} or more met = 达标, "
            f"{vr['basic_min_met']} = 基本达标, none = 不达标) the result is {verdict} ({VERDICT_EN[verdict]})."
        )
        if pending:
            ez += "（其余未能计算的指标不影响结论。）"
            ee += " (The indicators that could not be computed do not change this.)"
    else:
        need_z = "".join(i["explanation"]["zh"] for i in pending)
        need_e = " ".join(i["explanation"]["en"] for i in pending)
        ez = f"目前{n}项指标中{met}项符合要求，结论可能在{low}到{high}之间，尚不能确定。{need_z}"
        ee = (
            f"So far {met} of {n} indicators are met; the result lies between {low} and {high} and cannot be "
            f"determined yet. {need_e}"
        )
    return {
        "item": it.number,
        "rule": rule,
        "standard": standard_id,
        "verdict": verdict,
        "verdict_en": VERDICT_EN[verdict],
        "clause": vr.get("text") or it.scoring_rule_text,
        "production": production,
        "met_count": met,
        "unknown_count": sum(1 for i in inds if i["status"] == "unknown"),
        "indicators": inds,
        "possible_verdicts": [low] if low == high else [high, low],
        "note": params.get("note"),
        "explanation": {"zh": ez, "en": ee},
    }


def solvency(
    figures: Mapping[str, Any],
    production: bool | None = None,
    standard_id: str = "advanced",
    given: Mapping[str, Any] | None = None,
) -> dict:
    """偿债能力 (advanced 13, certified 12): 4 indicators, 2-of-4 rule. ``given``: indicator
    values stated as such, by indicator id (see ``evaluate_indicator``)."""
    return _evaluate_item("solvency", standard_id, figures, production, given)


def profitability(
    figures: Mapping[str, Any], standard_id: str = "advanced", given: Mapping[str, Any] | None = None
) -> dict:
    """盈利能力 (advanced 14 only): 5 indicators, 2-of-5 rule."""
    return _evaluate_item("profitability", standard_id, figures, None, given)


def financial_answers(
    standard_id: str,
    figures: Mapping[str, Any] | None = None,
    production: bool | None = None,
    audit_opinion: str | None = None,
    in_dissolution: bool | None = None,
) -> dict:
    """Everything computable from the inputs given: {item number: result dict} (results whose
    verdict is None are included, so the caller can explain what is missing)."""
    out: dict = {}
    if audit_opinion is not None:
        r = audit_opinion_verdict(audit_opinion, standard_id)
        out[r["item"]] = r
    if in_dissolution is not None:
        r = dissolution_verdict(bool(in_dissolution), standard_id)
        out[r["item"]] = r
    if figures:
        r = solvency(figures, production, standard_id)
        out[r["item"]] = r
        if std_mod.rule_item(standard_id, "profitability") is not None:
            r = profitability(figures, standard_id)
            out[r["item"]] = r
    return out
