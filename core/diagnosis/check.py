"""Computed answers: "we have these figures — do we pass that item?" (no Rasa import).

A question that states the enterprise's own figures which a 2026 standard item uses
("海关查了我们30票报关单，有6票查出问题", "总负债800万、总资产1000万", "debt ratio 90%")
and asks whether it passes (能过吗, 合格吗, 达标吗, 行不行, OK, pass, meet, result,
still possible ...) gets the verdict of each item concerned, computed with the user's
numbers, then the clause, its citation and one caveat line:

    《海关高级认证企业标准》第(23)项 申报规范：不达标
    海关检查30票 ≤ 50票，查获6票 > 5票 → 不达标
    条文：1年内海关检查企业自理申报的报关单票数在50票以下的……
    来源：……
    提示：……

Nothing numeric is written here: the compliance items are evaluated by the diagnosis
engine (knowledge/diagnosis/criteria.yaml) and the financial items by
core.standards.financial (knowledge/standards/standard_2026.yaml); this module reads
their traces. ``check`` returns None when the question is not such a check, so the
caller answers it as before.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from core.diagnosis import engine as diag
from core.diagnosis.facts import months_ago, parse_facts, parse_financial
from core.knowledge.answers import STANDARD_NAMES, citation_line
from core.knowledge.context import etype_in
from core.knowledge.search import Knowledge
from core.replies import Reply
from core.standards import catalogue
from core.standards import financial as fin

LEVELS = ("advanced", "certified")

# Asking whether the enterprise passes, with its own figures.
CHECK_RE = re.compile(
    r"能过吗|能过么|能不能过|过得了|过不了|过得去|过不去|能通过|通过吗|合格吗|合格么|合不合格|是否合格|达标吗|达标么|达不达标|是否达标|算达标"
    r"|符合(?:要求|条件|标准|规定)?吗|满足(?:要求|条件)?吗|行不行|行吗|可以吗|有问题吗|没问题吧|够吗|够不够|够[^，,。？?\s]{1,6}[吗么]|有戏吗"
    r"|还能|能申请|可以申请|能不能申请|结果(?:是|如何|怎样|怎么样)?[吗呢？?]?$|结论|算不算|算过了?吗|算过没|过了没|过没过|怎么判|如何判|怎么评判|判定结果|怎么样[？?]?$"
    r"|有影响吗|会不会挂|会挂吗|挂不挂|会不会不合格|会不会(?:不达标|超标|踩线)|有没有影响|会不会影响|影响[^，,。？?\s]{0,6}[吗么]|会卡吗|卡不卡|卡住|有事没|有事吗|过不过线|过线[吗么没]"
    r"|(?i:\b(?:can|could)\s+(?:we|i)\s+(?:still\s+)?(?:get|apply|become|be|qualify|pass|keep|go\s+for|aim\s+for|try\s+for)\b)"
    r"|(?i:\b(?:does|do|would|will|could|can)\s+(?:that|this|it|these|those)\s+(?:matter|affect|hurt|harm|count\s+against|impact|stop|block|disqualify|kill|ruin|sink|rule\s+(?:us|it)\s+out|break|breach|exceed|fail)\b)"
    r"|(?i:\b(?:is|are|would|will|could)\s+(?:that|this|it|these|those|they)\s+(?:be\s+)?(?:a|an|any)\s+(?:problem|issue|obstacle)\b)"
    r"|(?i:\b(?:inside|within|under)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}(?:limits?|thresholds?|caps?)\b)"
    r"|(?i:\b(?:come|comes|coming)\s+out\b|\bhow\s+do\s+we\s+(?:fare|stand|score|rate)\b|\bwhere\s+do\s+we\s+stand\b)"
    r"|(?i:\b(?:ok|okay|pass|passes|passing|meet|meets|met|result|outcome|possible|eligible|qualify|qualifies|compliant"
    r"|good enough|enough|acceptable|fail|fails)\b)"
    # "are we fine?", "is that fine": not the noun ("how big a fine ...")
    r"|(?i:\b(?:is|be|it's|that's|are|still|all|we're|looks?|sounds?)\s+fine\b(?!\s+(?:of|for|above|over|under|below|that|which)\b)|\bfine\s*[?？]\s*$)"
)
# "罚款超过5万还能过吗", "5万以上": a threshold asked about, not the enterprise's figure ...
_HYPOTHETICAL_RE = re.compile(
    r"\d\s*(?:[万亿千]|k|m)?\s*(?:元|票|次)?\s*(?:以上|以下|以内)|(?:超过|不超过|高于|低于)\s*\d"
    r"|(?i:\b(?:over|above|more than|less than|under|at least|at most|exceeding)\s+(?:rmb\s*)?\d)"
)
# "……能申请信用修复吗", "how long until we could apply for credit repair": repair's own conditions
# answer that, not the standard's items.
_REPAIR_RE = re.compile(r"信用修复|申请修复|(?i:\bcredit\s+repair|\brepair\s+(?:our|my|the)\s+credit)")
# ... unless the sentence is clearly about the enterprise itself.
_OWN_RE = re.compile(r"我们|我司|我公司|本公司|咱们|我方|我[^们]|(?i:\b(?:we|our|us|we're)\b)")

_WORDS = {
    "zh": {
        "met": "达标",
        "not_met": "不达标",
        "unknown": "还不能判断",
        "ind_met": "符合要求",
        "ind_not_met": "不符合要求",
        "ind_unknown": "无法计算",
        "needs": "还需要：",
        "rule": "条文：",
        "or": "；或",
        "and": "，",
        "given": "（您给出的数值）",
        "yes": "是",
        "no": "否",
    },
    "en": {
        "met": "met",
        "not_met": "not met",
        "unknown": "cannot be judged yet",
        "ind_met": "met",
        "ind_not_met": "not met",
        "ind_unknown": "cannot be computed",
        "needs": "Still needed: ",
        "rule": "Rule: ",
        "or": "; or ",
        "and": ", ",
        "given": " (as you stated it)",
        "yes": "yes",
        "no": "no",
    },
}
# How a comparison reads when it holds, and when it does not (the financial items' operators;
# the criteria's le/lt/ge/gt/eq name the same comparisons).
_HOLDS = {"<=": "≤", "<": "<", ">=": "≥", ">": ">", "==": "=", "!=": "≠"}
_FAILS = {"<=": ">", "<": "≥", ">=": "<", ">": "≤", "==": "≠", "!=": "="}
_CRITERIA_OPS = {"le": "<=", "lt": "<", "ge": ">=", "gt": ">", "eq": "=="}


@dataclass
class Checked:
    """A computed answer and what the conversation is now about (its first item)."""

    reply: Reply
    standard: str
    item: int
    entry_id: str
    topic: str
    items: tuple = ()  # every (standard, item) judged, in the reply's order


@dataclass
class _Block:
    standard: str
    item: int
    lines: list[str]


# "Does that fine block our advanced certification?", "We had one customs fine of RMB 70,000. Can …":
# the enterprise's own fine, which a line about a fine in general ("how big a fine put a firm on the
# list?") is not
_FINE_WORD = re.compile(r"(?i:\bfine\b)")


def asks_check(text: str) -> bool:
    """The question asks whether (its figures) pass, and its figures are not a threshold asked about."""
    text = text or ""
    stated = CHECK_RE.search(text) or (_FINE_WORD.search(text) and _OWN_RE.search(text))
    if not stated or _REPAIR_RE.search(text):
        return False
    return not (_HYPOTHETICAL_RE.search(text) and not _OWN_RE.search(text))


def check(
    kb: Knowledge,
    text: str,
    lang: str,
    level: str = "",
    etype: str = "",
    today: dt.date | None = None,
    asked: bool = False,
    facts: dict | None = None,
) -> Checked | None:
    """The computed answer to ``text``, or None when it does not state figures that a
    2026 item uses and ask whether they pass. ``level``: the level named (both levels,
    advanced first, when ""); ``etype``: production | non_production | "" (then taken
    from the text; both readings shown when the verdict depends on it); ``asked``: the conversation
    already asks whether the figures pass (a "what if …" after an item's clause); ``facts``: the
    compliance facts to judge, in place of those the text states (a supposition added to them)."""
    text = (text or "").strip()
    if not text or not (asked or asks_check(text)):
        return None
    lang = "en" if lang == "en" else "zh"
    facts = parse_facts(text)["facts"] if facts is None else facts
    figures = parse_financial(text)
    etype = etype_in(text) or etype
    levels = [level] if level in LEVELS else list(LEVELS)
    diagnosis = diag.diagnose(facts, today) if facts else None
    # "18个月前因出口管制被罚": when it happened, set against each item's look-back window
    ago = months_ago(text) if set(facts) & (_WINDOWED_FACTS | _PENALTY_KEYS | _OVERDUE_KEYS) else None
    blocks: list[_Block] = []
    unverified = False
    stated_only = _stated_only()
    for std in levels:
        for r in _results(diagnosis, facts, std):
            if r.id in stated_only and not (_ABOUT_CERTIFICATION.search(text) and _OWN_RE.search(text)):
                # judged for the enterprise's own case about certification: not "股东失信会影响企业认证吗"
                # (the rule in general) nor "公共信用评了D级，行业评价还能拿A吗" (another rating)
                continue
            blocks.append(_criterion_block(r, lang, ago, facts))
            unverified = unverified or not r.verified
        for rule in _financial_rules(text):
            block = _financial_block(rule, std, figures, etype, lang)
            if block is not None:
                blocks.append(block)
                unverified = unverified or not catalogue.load_catalog().verified
    if not blocks:
        return None
    lines: list[str] = []
    cites: list[str] = []
    for b in blocks:
        lines += b.lines
        entry = kb.standard_item(b.standard, b.item)
        if entry is not None:
            cite = citation_line(kb, entry, lang, today)
            if cite not in cites:
                cites.append(cite)
    text_out = "\n".join(lines + cites)
    if unverified:
        text_out += "\n" + diag.STANDARD_2026_CAVEAT[lang]
    first = blocks[0]
    entry = kb.standard_item(first.standard, first.item)
    reply = Reply(text=text_out, entry_ids=[entry.id] if entry else [], kind="answer", lang=lang, citations=cites)
    return Checked(
        reply=reply,
        standard=first.standard,
        item=first.item,
        entry_id=entry.id if entry else "",
        topic=(entry.topic or "") if entry else "",
        items=tuple((b.standard, b.item) for b in blocks),
    )


_NAMES_RULE = {
    "solvency": re.compile(r"偿债|(?i:\bsolvency\b)"),
    "profitability": re.compile(r"盈利|(?i:\bprofitability\b)"),
}


def _financial_rules(text: str) -> list[str]:
    """The financial items a question asks about: the one it names ("盈利能力这项怎么判"), else both."""
    named = [rule for rule, rx in _NAMES_RULE.items() if rx.search(text)]
    return named or list(_NAMES_RULE)


# ---------------------------------------------------------------- compliance items (criteria.yaml)


# unit: (Chinese, English plural, English singular)
_UNIT_WORDS = {
    "times": ("次", "times", "time"),
    "entries": ("票", "entries", "entry"),
    "months": ("个月", "months", "month"),
}


def quantity(value: float, unit: str | None, lang: str) -> str:
    """A fact's value in its unit (criteria.yaml ``unit``): 4次, 4,000票, 8万元."""
    if unit in _UNIT_WORDS:
        zh_word, en_plural, en_one = _UNIT_WORDS[unit]
        if lang == "zh":
            return f"{value:,.0f}{zh_word}"
        return f"{value:,.0f} {en_one if value == 1 else en_plural}"
    return money(value, lang)


def money(value: float, lang: str) -> str:
    """An amount in RMB yuan as people say it: 8万元, 2亿元 / RMB 80,000."""
    if lang == "zh":
        sign, size = ("-" if value < 0 else ""), abs(value)
        if size >= 1e8:
            return f"{sign}{size / 1e8:g}亿元"
        if size >= 1e4:
            return f"{sign}{size / 1e4:g}万元"
        return f"{value:g}元"
    return f"RMB {value:,.0f}"


def trace_text(trace: dict, lang: str) -> str:
    """A criterion's trace (``CriterionResult.trace``) in words, with the user's numbers."""
    return _trace_text(trace, diag.load_criteria()["fact_index"], lang)


def _left_facts(node: dict) -> set:
    """The facts a test compares (not those it only divides by)."""
    if "all" in node or "any" in node:
        return set().union(*(_left_facts(c) for c in node.get("all") or node.get("any") or []))
    return {node["fact"]} if "fact" in node else set()


def _results(diagnosis: diag.Diagnosis | None, facts: dict, standard: str) -> list:
    if diagnosis is None:
        return []
    tests = {c["id"]: c.get("test") or {} for c in diag.load_criteria()["criteria"]}
    return [
        r
        for r in diagnosis.results
        if r.regime == "standard_2026"
        and r.standard == standard
        and r.in_force
        and r.status in (diag.MET, diag.NOT_MET, diag.UNKNOWN)
        and (set(facts) & _left_facts(tests[r.id]) or diag.BOUNDED_BY_TOTAL in r.assumptions or r.if_one_fine)
    ]


# "去年被海关罚了6万": an amount with no count and no single fine named. The single-fine rule is
# open (the largest fine is not known); when the amount as one fine is over its line, what that
# reading gives is shown, conditionally ("若这是一笔罚款"), with what is still needed.
_IF_ONE_FINE = {"zh": "若这是一笔罚款：", "en": "If that was a single fine: "}


# A related party's rating or the public credit grade is checked against the standards only when
# the question is about certification (not "行业评价还能拿A吗").
_ABOUT_CERTIFICATION = re.compile(
    r"认证|申请|AEO|标准|这一?项|高级|(?i:\b(?:certif\w*|apply\w*|application|advanced|standards?|items?|qualif\w*|aeo)\b)"
)


def _stated_only() -> set:
    return {c["id"] for c in diag.load_criteria()["criteria"] if c.get("only_when_stated")}


# Yes/no facts read from when something happened ("18 months ago"), and how that reads
# against an item's window.
_WINDOWED_FACTS = {
    "export_control_or_waste_penalty",
    "export_control_or_waste_penalty_last_year",
    "entrusted_dishonest_broker",
    "entrusted_dishonest_broker_last_year",
    "accepted_dishonest_client",
    "accepted_dishonest_client_last_year",
    "related_person_intentional_crime",
    "related_person_intentional_crime_last_year",
}
_WHEN = {
    "zh": "您说的时间：约{ago}个月前；本项看{window}年内（{months}个月）",
    "en": "When it happened: about {ago} months ago; this item looks back {window} ({months} months)",
}
# A penalty older than the 1-year penalty items look back (facts.py reads it as none in the year).
_PENALTY_KEYS = {"penalties_count_last_year", "penalties_total", "max_single_penalty"}
_OUTSIDE = {
    "zh": "您说的时间：约{ago}个月前，在本项的{window}年（{months}个月）之外，不计入",
    "en": "When it happened: about {ago} months ago, outside this item's {window} ({months} months), so it does not count",
}
# No time said: the verdict takes it as inside the window, and says so.
_WHEN_UNSAID = {
    "zh": "未说明发生时间，按在本项的{window}年内计；早于{window}年的不计入本项",
    "en": "No date given, so it is taken as within this item's {window}; anything older does not count for this item",
}
_YEARS_EN = {1: "1 year", 2: "2 years"}
# A late payment said to be some months ago (facts.py moves one older than a year to the year before)
_OVERDUE_KEYS = {"taxes_overdue_months", "overdue_payment_prior_year"}


def _window_line(r: diag.CriterionResult, ago: float | None, facts: dict, lang: str) -> str:
    crit: dict = next((c for c in diag.load_criteria()["criteria"] if c["id"] == r.id), {})
    window = crit.get("window_months")
    windowed = [f for f in crit.get("facts") or [] if f in _WINDOWED_FACTS]
    penalty = set(crit.get("facts") or []) & _PENALTY_KEYS
    overdue = set(crit.get("facts") or []) & _OVERDUE_KEYS & set(facts)
    if not window or not (windowed or penalty or overdue):
        return ""
    years = int(window) // 12
    span = years if lang == "zh" else _YEARS_EN.get(years, f"{years} years")
    if overdue and not windowed and not penalty:
        if ago is None:
            return ""
        return (_OUTSIDE if ago > int(window) else _WHEN)[lang].format(ago=f"{ago:g}", window=span, months=window)
    if not windowed:  # the penalty items: said only of a penalty outside their year
        if ago is None or ago <= int(window):
            return ""
        return _OUTSIDE[lang].format(ago=f"{ago:g}", window=span, months=window)
    if ago is None:
        stated = facts.get(windowed[0]) is True and r.status != diag.UNKNOWN
        return _WHEN_UNSAID[lang].format(window=span) if stated else ""
    return _WHEN[lang].format(ago=f"{ago:g}", window=span, months=window)


def _criterion_block(r: diag.CriterionResult, lang: str, ago: float | None = None, facts: dict | None = None) -> _Block:
    w = _WORDS[lang]
    index = diag.load_criteria()["fact_index"]
    sep = "：" if lang == "zh" else ": "
    lines = [f"{r.article[lang]}{sep}{w[r.status]}"]
    when = _window_line(r, ago, facts or {}, lang)
    if when:
        lines.append(when)
    work = trace_text(r.trace, lang)
    if work:
        lines.append(f"{work} → {w[r.status]}" if r.status != diag.UNKNOWN else work)
    if r.if_one_fine:  # "若这是一笔罚款：单次最大罚款6万元 > 5万元"
        one, status = trace_text(r.if_one_fine["trace"], lang), r.if_one_fine["status"]
        lines.append(_IF_ONE_FINE[lang] + (f"{one} → {w[status]}" if status != diag.UNKNOWN else one))
    if diag.BOUNDED_BY_TOTAL in r.assumptions:
        lines.append(diag.BOUNDED_BY_TOTAL[lang])  # the "largest fine" above is the total, an upper bound
    if r.status == diag.UNKNOWN and r.missing_facts:
        names = [index[k]["label"][lang] for k in r.missing_facts]
        lines.append(
            w["needs"] + ("、".join(names) if lang == "zh" else ", ".join(names)) + ("。" if lang == "zh" else ".")
        )
    lines.append(w["rule"] + (r.quote or "" if lang == "zh" else r.explanation["en"]))
    return _Block(r.standard or "", r.item or 0, lines)


def _short(index: dict, key: str, lang: str) -> str:
    f = index[key]
    return (f.get("short") or f["label"])[lang]


def _qty(index: dict, key: str, value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return _WORDS[lang]["yes" if value else "no"]
    return quantity(float(value), index[key].get("unit"), lang)


def _bare(index: dict, key: str, value: Any, lang: str) -> str:
    """A count as a plain number (15/200), an amount in money (30万元/2亿元)."""
    if index[key].get("unit") in ("times", "entries", "months"):
        return f"{float(value):,.0f}"
    return money(float(value), lang)


def _pct(value: float) -> str:
    return f"{value * 100:.4g}%"


def _clause_text(t: dict, index: dict, lang: str) -> str:
    """One comparison with the user's numbers: 查获6票 > 5票; 查获率 15/200 = 7.5% ≤ 10%."""
    result = t.get("result")
    sym = (_HOLDS if result is True else _FAILS)[_CRITERIA_OPS[t["op"]]]
    name = _short(index, t["fact"], lang)
    left = t["left"]
    if "ratio" in t:
        if t.get("of_value") in (None, 0):
            return ""
        rate = float(left) / float(t["of_value"])
        label = (t.get("name") or {}).get(lang) or f"{name}/{_short(index, t['of'], lang)}"
        left_text, of_text = _bare(index, t["fact"], left, lang), _bare(index, t["of"], t["of_value"], lang)
        line = float(t["of_value"]) * float(t["ratio"])
        unit = index[t["fact"]].get("unit")
        if unit in _UNIT_WORDS:
            # a count's line keeps its fraction: 10% of 55 is 5.5 (6 findings fail), not "6"
            number = f"{line:,.2f}".rstrip("0").rstrip(".")
            limit = f"{number}{_UNIT_WORDS[unit][0]}" if lang == "zh" else f"{number} {_UNIT_WORDS[unit][1]}"
        else:
            limit = _bare(index, t["fact"], line, lang)
        # "6万元/3亿元 = 0.02% > 0.01%（3亿元的0.01%为3万元）", "（8,000票的0.1%为8次）": the line in
        # the user's own units too
        whole = quantity(float(t["of_value"]), index[t["of"]].get("unit"), lang)
        said = (
            f"（{whole}的{_pct(float(t['ratio']))}为{limit}）"
            if lang == "zh"
            else f" ({_pct(float(t['ratio']))} of {whole} is {limit})"
        )
        return f"{label} {left_text}/{of_text} = {_pct(rate)} {sym} {_pct(float(t['ratio']))}{said}"
    if isinstance(t.get("value"), bool):
        return f"{name}{'：' if lang == 'zh' else ': '}{_qty(index, t['fact'], left, lang)}"
    if lang == "zh":
        return f"{name}{_qty(index, t['fact'], left, lang)} {sym} {_qty(index, t['fact'], t['right'], lang)}"
    return f"{name}: {_qty(index, t['fact'], left, lang)} {sym} {_qty(index, t['fact'], t['right'], lang)}"


def _first(t: dict) -> dict:
    return (t.get("children") or [{}])[0] if t.get("kind") == "all" else {}


def _out_of_scope(t: dict, siblings: list) -> bool:
    """An alternative for another case ("超过50票的" when 30 were inspected): its first clause
    fails while a sibling's first clause on the same fact holds."""
    first = _first(t)
    return first.get("result") is False and any(
        _first(o).get("fact") == first.get("fact") and _first(o).get("result") is True for o in siblings
    )


def _trace_text(t: dict, index: dict, lang: str) -> str:
    """The comparisons that decided the result, in words. Clauses on figures not given are
    left out (the caller names the missing figures); of alternatives ("any"), the one that
    holds, or each that applies when none does ("50票以下" / "超过50票": the branch whose
    first clause fails does not apply)."""
    if not t:
        return ""
    if t.get("kind") == "clause":
        if t.get("left") is None or t.get("result") in (None, "ignored"):
            return ""
        return _clause_text(t, index, lang)
    kids = [c for c in t.get("children") or [] if c]
    w = _WORDS[lang]
    if t["kind"] == "any":
        holding = [c for c in kids if c.get("result") is True]
        if holding:
            kids = holding[:1]
        else:
            applies = [c for c in kids if not _out_of_scope(c, kids)]
            kids = applies or kids
        parts = [p for p in (_trace_text(c, index, lang) for c in kids) if p]
        return w["or"].join(parts)
    if t.get("result") is False:
        # Every clause up to the last failing one, so the failure is seen in context.
        last = max(i for i, c in enumerate(kids) if c.get("result") is False)
        kids = kids[: last + 1]
    parts = [p for p in (_trace_text(c, index, lang) for c in kids) if p]
    return w["and"].join(parts)


# ---------------------------------------------------------------- financial items (standard_2026.yaml)


def _fields(ind: dict) -> set:
    terms = (ind.get("numerator") or []) + (ind.get("denominator") or [])
    return {t["field"] for t in terms if "default" not in t} | {e["field"] for e in ind.get("also_requires") or []}


def _touched(indicators: list, figures: dict, given: dict) -> list:
    """The indicators the stated figures are about: those stated or computable; when none
    is, those some stated figure belongs to (their answer names what is missing)."""
    computable = [i for i in indicators if i["id"] in given or _fields(i) <= set(figures)]
    return computable or [i for i in indicators if _fields(i) & set(figures)]


def _financial_block(rule: str, standard: str, stated: dict, etype: str, lang: str) -> _Block | None:
    it = catalogue.rule_item(standard, rule)
    if it is None or not it.rule_params:
        return None
    known = {ind["id"] for ind in it.rule_params["indicators"]}
    given = {k: v for k, v in stated["given"].items() if k in known}
    figures = stated["figures"]
    touched = _touched(it.rule_params["indicators"], figures, given)
    if not touched:
        return None

    def evaluate(production: bool | None) -> dict:
        if rule == "solvency":
            return fin.solvency(figures, production, standard, given)
        return fin.profitability(figures, standard, given)

    production = None if not etype else etype == "production"
    try:
        results = [(production, evaluate(production))]
        if production is None and any(i["reason"] == "production_unknown" for i in results[0][1]["indicators"]):
            # The verdict depends on the kind of enterprise, which was not said: both readings.
            results = [(True, evaluate(True)), (False, evaluate(False))]
    except fin.FinancialError:
        return None
    zh = lang == "zh"
    verdicts = []
    for prod, result in results:
        v = (result["verdict"] or "整项结论还不能确定") if zh else _verdict_en(result)
        verdicts.append(v if len(results) == 1 else f"{_kind_prefix(prod, lang)}{v}")
    head = "；".join(verdicts) if zh else "; ".join(verdicts)
    name = STANDARD_NAMES[standard][lang]
    label = it.label if zh else (it.label_en or it.label)
    lines = [f"{name}第{it.number}项（{label}）：{head}" if zh else f"{name}, item {it.number} ({label}): {head}"]
    ids = {ind["id"] for ind in touched}
    specs = {ind["id"]: ind for ind in it.rule_params["indicators"]}
    for prod, result in results:
        prefix = _kind_prefix(prod, lang) if len(results) > 1 else ""
        lines += [
            f"· {prefix}{_indicator_text(ind, specs[ind['id']], lang)}"
            for ind in result["indicators"]
            if ind["id"] in ids
        ]
        lines.append(prefix + _item_text(result, lang))
    if zh:
        lines.append(
            _WORDS[lang]["rule"]
            + "；".join(ind.get("text") or "" for ind in touched)
            + "。"
            + (results[0][1]["clause"] or "")
        )
    else:
        lines.append(_WORDS[lang]["rule"] + (it.requirement_en or ""))
    return _Block(standard, it.number, lines)


def _item_text(result: dict, lang: str) -> str:
    """The item's verdict from its indicators; when it cannot be given yet, in short: how
    many are met so far, the rule, and the figures still needed."""
    if result["verdict"] is not None:
        return result["explanation"][lang]
    names = catalogue.load_catalog().financial_fields
    sep = "、" if lang == "zh" else ", "
    # Each indicator still open, with the figures it is computed from (or its value itself).
    need = ("；" if lang == "zh" else "; ").join(
        f"{ind['name'][lang]}（{sep.join(names[f][lang] for f in ind['missing_fields'])}）"
        if lang == "zh"
        else f"{ind['name'][lang]} ({sep.join(names[f][lang] for f in ind['missing_fields'])})"
        for ind in result["indicators"]
        if ind["reason"] == "missing"
    )
    n, met = len(result["indicators"]), result["met_count"]
    if lang == "zh":
        return f"整项：{n}项指标中目前{met}项确认符合要求，按“{result['clause']}”还不能下结论；还需要：{need}。"
    return (
        f"The item as a whole: {met} of {n} indicators confirmed met so far, not enough to decide "
        f"(2 or more met = 达标 compliant, 1 = 基本达标 basically compliant, none = 不达标 non-compliant). "
        f"Still needed: {need}."
    )


def _verdict_en(result: dict) -> str:
    return result["verdict_en"] + (f" ({result['verdict']})" if result["verdict"] else "")


def _kind_prefix(production: bool | None, lang: str) -> str:
    if production is None:
        return ""
    kind = fin.KIND_NAMES["production" if production else "non_production"][lang]
    return f"按{kind}企业：" if lang == "zh" else f"as a {kind} enterprise: "


def _fin_value(value: float, unit: str, lang: str) -> str:
    if unit == "%":
        return f"{value:.4g}%"
    if unit == "amount":
        return money(value, lang)
    return f"{value:.4g}"


def _indicator_text(ind: dict, spec: dict, lang: str) -> str:
    """资产负债率 总负债800万元/总资产1000万元 = 80% > 75%（非生产型）→ 不符合要求."""
    w = _WORDS[lang]
    if ind["value"] is None or ind["status"] == "unknown":
        return ind["explanation"][lang]  # what is missing, or why it cannot be computed
    unit = ind["unit"]
    value = _fin_value(ind["value"], unit, lang)
    if ind["given"]:
        shown = f"{value}{w['given']}"
    elif ind["inputs"] and ind["inputs"]["denominator"] is not None:
        num = _terms(spec["numerator"], ind["inputs"]["numerator"], lang)
        den = _terms(spec["denominator"], ind["inputs"]["denominator"], lang)
        shown = f"{num}/{den} = {value}"
    else:
        shown = value
    ok = ind["status"] == "met"
    sym = (_HOLDS if ok else _FAILS)[ind["comparison"]]
    th = ind["threshold"]
    if isinstance(th, dict):
        kinds = ["production", "non_production"]
        if ind["threshold_applied"] is not None:
            kinds = [k for k in kinds if th[k] == ind["threshold_applied"]][:1]
        limit = "/".join(
            _fin_value(float(th[k]), unit, lang)
            + (f"（{fin.KIND_NAMES[k]['zh']}）" if lang == "zh" else f" ({fin.KIND_NAMES[k]['en']})")
            for k in kinds
        )
    else:
        limit = _fin_value(float(th), unit, lang)
    note = ""
    if ind["assumed_zero"]:
        zero = "、".join(catalogue.load_catalog().financial_fields[f][lang] for f in ind["assumed_zero"])
        note = f"（未提供{zero}，按0计算）" if lang == "zh" else f" ({zero} not given, taken as 0)"
    return f"{ind['name'][lang]} {shown} {sym} {limit}{note} → {w['ind_met' if ok else 'ind_not_met']}"


def _terms(terms: list, total: float, lang: str) -> str:
    fields = catalogue.load_catalog().financial_fields
    names = ""
    for i, t in enumerate(terms):
        name = fields[t["field"]][lang].split("（")[0]
        minus = (t.get("sign") or 1) < 0
        names += (("−" if minus else "+") if i else ("−" if minus else "")) + name
    amount = money(total, lang)
    if len(terms) > 1:
        names = f"（{names}）" if lang == "zh" else f"({names})"
    return f"{names}{amount}" if lang == "zh" else f"{names} {amount}"


# ---------------------------------------------------------------- a stated self-assessment outcome

SCORING_ENTRY = "scoring.default_rule_set"
_RULE_LINES = re.compile(r"^\s*[123][.、]\s*")  # the entry's points per item, the total and the pass conditions
_STATED_CAVEAT = {
    "zh": "提示：2026年标准的评分说明尚未取得，以上按旧规则测算，不代表海关认证结论；请以12360热线、credit.customs.gov.cn或主管海关的答复为准。",
    "en": "Note: the 2026 scoring explanation has not been obtained; this applies the older rules and is not a customs decision. Confirm with 12360, credit.customs.gov.cn or your customs office.",
}


def stated_outcome(kb: Knowledge, text: str, lang: str, level: str = "", today: dt.date | None = None) -> Reply | None:
    """ "贸易安全有4项基本达标，其他全部达标，没有不达标项，能通过吗": the default rule set's verdict
    on that outcome (core.standards.stated), the rule's own lines from the scoring entry, its
    citation and one caveat; None when the line states no such outcome."""
    from core.standards import stated

    lang = "en" if lang == "en" else "zh"
    found = stated.outcome(text, lang, level)
    entry = kb.entries.get(SCORING_ENTRY)
    if found is None or entry is None:
        return None
    zh = lang == "zh"
    total = f"{found.total:g}"
    if found.passed:
        head = (
            f"按默认评分规则测算：总分{total}分，满足全部通过条件。"
            if zh
            else f"By the default scoring rules: a total of {total}, which meets every pass condition."
        )
    else:
        why = "；".join(found.failed) if zh else "; ".join(found.failed)
        head = (
            f"按默认评分规则测算：总分{total}分，不能通过——{why}。"
            if zh
            else f"By the default scoring rules: a total of {total}, and not a pass: {why}."
        )
    rules = [x.strip() for x in entry.answer[lang].splitlines() if _RULE_LINES.match(x)]
    lines = [head, *rules, citation_line(kb, entry, lang, today), _STATED_CAVEAT[lang]]
    return Reply(text="\n".join(lines), entry_ids=[entry.id], kind="answer", lang=lang)
