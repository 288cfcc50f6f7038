"""Extract enterprise facts for the credit diagnosis from one sentence
(Chinese or English). Pure logic: no Rasa import.

    >>> parse_facts("去年罚了4次，共12万")["facts"]
    {'penalties_count_last_year': 4, 'penalties_total': 120000}

``parse_facts(text, expecting=None)`` returns ``{"facts": {...}, "remainder": str}``.
When the chat has just asked for one fact (``expecting`` = its key) a bare
answer ("4", "四次", "12万", "没有", "yes") is assigned to that key.
The parser never raises: any internal error yields what was found so far.

Fact keys are those of knowledge/diagnosis/criteria.yaml (see ``FACT_TYPES``).
Amounts are in RMB yuan (int when whole); durations in months.
"""

from __future__ import annotations

import logging
import re
from typing import Any

log = logging.getLogger(__name__)

MAX_INPUT = 2000

# key -> "int" | "amount" | "number" | "bool"  (mirrors criteria.yaml `facts`)
FACT_TYPES: dict[str, str] = {
    "penalties_count_last_year": "int",
    "penalties_total": "amount",
    "max_single_penalty": "amount",
    "declarations_last_year": "int",
    "import_export_value_last_year": "amount",
    "last_year_not_calculable": "bool",
    "taxes_overdue_months": "number",
    "fines_overdue_months": "number",
    "overdue_payment_prior_year": "bool",
    "customs_inspected_declarations": "int",
    "seized_declarations": "int",
    "high_quality_seized": "int",
    "back_tax_total": "amount",
    "back_tax_over_100k_count": "int",
    "tax_paid_last_year": "amount",
    "export_control_or_waste_penalty": "bool",
    "export_control_or_waste_penalty_last_year": "bool",
    "had_trade_activity_last_year": "bool",
    "had_trade_activity_2y": "bool",
    "is_customs_broker": "bool",
    "smuggling": "bool",
    "smuggling_crime": "bool",
    "fines_overdue_amount": "amount",
    "obstructed_customs": "bool",
    "bribed_customs": "bool",
    "taxes_overdue_now": "bool",
    "fines_overdue_now": "bool",
    "related_post_enterprise_dishonest": "bool",
    "branch_dishonest": "bool",
    "investor_dishonest": "bool",
    "public_credit_b_or_above": "bool",
    "entrusted_dishonest_broker": "bool",
    "entrusted_dishonest_broker_last_year": "bool",
    "accepted_dishonest_client": "bool",
    "accepted_dishonest_client_last_year": "bool",
    "related_person_intentional_crime": "bool",
    "related_person_intentional_crime_last_year": "bool",
    # credit repair
    "months_since_determination": "number",
    "on_serious_list": "bool",
    "conduct_corrected": "bool",
}

# ---------------------------------------------------------------------------
# numbers
# ---------------------------------------------------------------------------
from core.text import _CN_BIG, _CN_DIGITS, _CN_SMALL, cn_to_number  # noqa: E402 - shared numeral parser

_CN_CHARS = "".join(list(_CN_DIGITS) + list(_CN_SMALL) + list(_CN_BIG))
_CN_MULT_CHARS = "十百千万亿萬億"

_EN_WORDS = {
    "zero": 0,
    "no": 0,
    "none": 0,
    "one": 1,
    "a": 1,
    "an": 1,
    "once": 1,
    "single": 1,
    "two": 2,
    "twice": 2,
    "three": 3,
    "thrice": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "hundred": 100,
}
_EN_MULT = {
    "k": 10**3,
    "thousand": 10**3,
    "w": 10**4,
    "m": 10**6,
    "mn": 10**6,
    "mio": 10**6,
    "million": 10**6,
    "millions": 10**6,
    "b": 10**9,
    "bn": 10**9,
    "billion": 10**9,
}


def _arabic(text: str) -> float | None:
    text = text.replace(",", "").replace("，", "").replace(" ", "")
    try:
        value = float(text)
    except ValueError:
        return None
    if value != value or value in (float("inf"), float("-inf")):
        return None
    return value


def _clean(value: float) -> Any:
    if value is None:
        return None
    if abs(value) > 1e18:
        return None
    rounded = round(value)
    if abs(value - rounded) < 1e-6:
        return int(rounded)
    return round(value, 4)


# A number: arabic (1,200 / 1.5 / 2000) or Chinese numerals, with an optional
# multiplier (万/亿/千万/k/million ...). The pattern is linear (no nested stars).
_AR = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_EN_NUM_WORDS = r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|a\s+hundred|hundred)\b"
_NUM_CORE = rf"(?:{_AR}|[{_CN_CHARS}]{{1,12}}|{_EN_NUM_WORDS})"
_CN_MULT = rf"[{_CN_MULT_CHARS}]{{1,3}}"
_EN_MULT_RE = r"(?:thousand|millions?|billion|mio|mn|bn|k|m|b|w)\b"
NUM = rf"(?:{_NUM_CORE})(?:\s*(?:{_CN_MULT}|{_EN_MULT_RE}))?"
_CURRENCY_PRE = r"(?:(?:rmb|cny|¥|￥|人民币)\s*)?"
_CURRENCY_POST = r"(?:\s*(?:元|块钱|块|rmb|cny|yuan))?"
AMT = rf"{_CURRENCY_PRE}(?P<num>{NUM}){_CURRENCY_POST}"

_NUM_SPLIT = re.compile(
    rf"^\s*(?:rmb|cny|¥|￥|人民币)?\s*(?P<core>{_AR}|[{_CN_CHARS}]+?|{_EN_NUM_WORDS})\s*(?P<mult>{_CN_MULT}|{_EN_MULT_RE})?\s*"
    r"(?:元|块钱|块|rmb|cny|yuan)?\s*$",
    re.IGNORECASE,
)


def _multiplier(chars: str) -> int:
    """ "万" → 10000, "千万" → 10**7."""
    factor = 1
    for ch in chars:
        factor *= _CN_SMALL.get(ch) or _CN_BIG.get(ch) or 1
    return factor


def to_number(text: str) -> Any | None:
    """'12万' → 120000; '1.5 million' → 1500000; '四' → 4; '120k' → 120000."""
    try:
        return _to_number(text)
    except Exception:  # pragma: no cover - defensive
        return None


def _to_number(text: str) -> Any | None:
    if text is None:
        return None
    text = text.strip()
    if not text:
        return None
    word = text.lower()
    if word in _EN_WORDS:
        return _EN_WORDS[word]
    m = _NUM_SPLIT.match(text)
    if not m:
        return None
    core, mult = m.group("core"), m.group("mult")
    if core.lower().replace(" ", "") in ("ahundred",):
        core = "hundred"
    value: float | None
    if core.lower() in _EN_WORDS:
        value = _EN_WORDS[core.lower()]
    elif re.match(r"\d", core):
        value = _arabic(core)
        if value is None:
            return None
    else:
        # Chinese numerals may carry their own 万/亿; a trailing multiplier group
        # captured separately is folded back in.
        value = cn_to_number(core + (mult or "") if mult and mult[0] in _CN_MULT_CHARS else core)
        if value is None:
            return None
        if mult and mult[0] in _CN_MULT_CHARS:
            mult = None
    if mult:
        factor = 1
        lm = mult.lower()
        if lm in _EN_MULT:
            factor = _EN_MULT[lm]
        else:
            factor = _multiplier(mult)
        value = value * factor
    return _clean(value)


# ---------------------------------------------------------------------------
# patterns: (fact key, compiled regex with group "num" or a fixed value)
# Order matters: earlier patterns claim their span first.
# ---------------------------------------------------------------------------
_NOT_COUNT_AFTER = r"(?!\d|[.,]\d|\s*(?:票|次|回|笔|件|个月|月|年|天|份|单|张|个|项|条|家|名|位|种|类|entries|declarations|times|months?|years?|days?|weeks?))"
_NEG_ZH = r"(?:没有|没|无|未|不存在|从未|从没|并无|并未|不曾)"
_NEG_EN = r"\b(?:no|never|not|without|none|nor|zero)\b"
_OWN_ZH = r"我们|我司|我公司|本公司|公司|企业|咱们"


def _p(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


_PATTERNS: list[tuple[str, re.Pattern, Any]] = [
    # --- largest single penalty ------------------------------------------------
    # "如果其中一笔单次就罚了6万呢", "有一笔罚了6万", "if one of them was a 60,000 fine": one fine of
    # the ones counted, so the largest is at least that (not the total)
    (
        "max_single_penalty",
        _p(
            rf"(?:(?:其中|有|里面有|当中有)?(?:一笔|单笔|单次)|(?:其中|里面|当中)?有?一次)(?:单次)?(?:就|都|便)?被?(?:罚款?|处罚)了?(?:金额)?(?:为|是|达到?)?"
            rf"\s*{AMT}{_NOT_COUNT_AFTER}"
        ),
        None,
    ),
    ("max_single_penalty", _p(rf"其中(?:有)?一笔(?:就|都)?(?:是|为|有)\s*{AMT}{_NOT_COUNT_AFTER}"), None),
    (
        "max_single_penalty",
        _p(
            rf"\bone\s+(?:of\s+(?:them|those|these|the\s+(?:fines|penalties))|fine|penalty)\s+(?:alone\s+|by\s+itself\s+)?"
            rf"(?:was|is|were|came\s+to|of)\s+(?:a\s+|an\s+)?(?:fine\s+of\s+)?{AMT}{_NOT_COUNT_AFTER}"
        ),
        None,
    ),
    (
        "max_single_penalty",
        _p(
            rf"(?:最大|最高|最多|单笔最高|单次最高|单笔最大|单次最大|单笔|单次)的?(?:一笔|一次|单笔|单次)?的?"
            rf"(?:行政)?(?:罚款|处罚|罚)?(?:金额)?(?:为|是|有|达到?|:|：)?\s*{AMT}{_NOT_COUNT_AFTER}"
        ),
        None,
    ),
    (
        "max_single_penalty",
        _p(
            rf"\b(?:largest|biggest|highest|max(?:imum)?|single)\s+(?:single\s+)?(?:customs\s+)?"
            rf"(?:fine|penalty)?\s*(?:was|is|of|at|:)?\s*{AMT}{_NOT_COUNT_AFTER}"
        ),
        None,
    ),
    # --- back taxes ------------------------------------------------------------
    (
        "back_tax_over_100k_count",
        _p(
            rf"(?:追征|补征|补缴|补税)[^，,。;；]{{0,10}}?超过\s*(?:10|十)万(?:元)?的?(?:情形|情况)?(?:有|共)?\s*(?P<num>{NUM})\s*次"
        ),
        None,
    ),
    (
        "back_tax_total",
        _p(
            rf"(?:追征|补征|补缴|补税)(?:了|的)?(?:税款|税)?(?:累计|共计|总共|共|合计)?(?:金额)?(?:为|是|约|达到?)?\s*{AMT}{_NOT_COUNT_AFTER}"
        ),
        None,
    ),
    (  # "追征了我们欠缴的税款15万"
        "back_tax_total",
        _p(
            rf"(?:追征|补征|补缴|追缴)了?(?:{_OWN_ZH})(?:欠缴|少缴|漏缴|未缴)的?(?:税款|关税|税)(?:累计|共计|共)?\s*{AMT}{_NOT_COUNT_AFTER}"
        ),
        None,
    ),
    (
        "back_tax_total",
        _p(
            rf"\bback[- ]?tax(?:es)?\s*(?:recovered|assessed|collected|of|were|was|totall?ing|:)?\s*(?:of\s*)?{AMT}{_NOT_COUNT_AFTER}"
        ),
        None,
    ),
    # "clawed back RMB 150k of duty", "recovered 150k in back taxes", "补了我们15万的税"
    (
        "back_tax_total",
        _p(
            rf"\b(?:clawed\s+back|recovered|collected|reclaimed)\s+(?:(?:from\s+us|back)\s+)?{AMT}\s+(?:of|in)\s+"
            rf"(?:back\s+|unpaid\s+|underpaid\s+)?(?:duty|duties|tax(?:es)?)\b"
        ),
        None,
    ),
    (
        "back_tax_total",
        _p(rf"(?:追征|补征|补缴|追缴|补)了?(?:{_OWN_ZH})?\s*{AMT}\s*的?(?:税款|关税|税)"),
        None,
    ),
    # --- tax paid last year ----------------------------------------------------
    (
        "tax_paid_last_year",
        _p(rf"(?:纳税|缴税|交税)(?:总额|总计|额|了)?(?:为|是|约|大约|达到?)?\s*{AMT}{_NOT_COUNT_AFTER}"),
        None,
    ),
    (  # "上年度一共交了1个亿的税", "缴了8000万元的税款"
        "tax_paid_last_year",
        _p(rf"(?<![补追欠])(?:交|缴|缴纳)了\s*(?:约|大约|大概)?\s*{AMT}\s*的?(?:税款|关税|税)(?!款?(?:逾期|没|未))"),
        None,
    ),
    (
        "tax_paid_last_year",
        _p(rf"\bpaid\s+(?:about\s+|around\s+|roughly\s+|approximately\s+|some\s+)?{AMT}\s+(?:in|of)\s+tax"),
        None,
    ),
    (
        "tax_paid_last_year",
        _p(
            rf"\btax(?:es)?\s+paid\s+(?:last\s+year\s+)?(?:was|were|of|:)?\s*"
            rf"(?:about|around|roughly|approximately|some|nearly|almost)?\s*{AMT}"
        ),
        None,
    ),
    # --- overdue taxes / fines -------------------------------------------------
    (
        "taxes_overdue_months",
        _p(
            rf"(?:欠税|欠缴税款|拖欠税款|逾期税款|税款(?:已经|已)?(?:逾期|超期|拖欠|欠缴|未缴|超过期限)(?:未缴|未交)?)(?:了|已经|已|超过|达)?\s*(?P<num>{NUM})\s*(?:个)?月"
        ),
        None,
    ),
    (
        "taxes_overdue_months",
        _p(
            rf"\b(?:tax(?:es)?|duties)\s+(?:have\s+been\s+|has\s+been\s+|were\s+|are\s+|was\s+|is\s+)?(?:overdue|unpaid|outstanding|late|in\s+arrears)\s+(?:for\s+)?(?P<num>{NUM})\s+months?"
        ),
        None,
    ),
    (
        "taxes_overdue_months",
        _p(rf"\b(?:overdue|unpaid|late)\s+tax(?:es)?\s+(?:of|for)\s+(?P<num>{NUM})\s+months?"),
        None,
    ),
    ("taxes_overdue_months", _p(rf"(?P<num>{NUM})\s+months?\s+(?:of\s+)?(?:overdue|unpaid|late)\s+tax"), None),
    ("taxes_overdue_months", _p(rf"{_NEG_ZH}(?:任何)?(?:欠税|欠缴税款|拖欠税款|逾期税款|税款逾期)"), 0),
    (
        "taxes_overdue_months",
        _p(
            rf"{_NEG_EN}\s+(?:overdue|unpaid|outstanding|late)\s+tax(?:es)?|\bno\s+tax\s+arrears|\btax(?:es)?\s+(?:were\s+|are\s+)?(?:all\s+)?paid\s+on\s+time"
        ),
        0,
    ),
    (
        "fines_overdue_months",
        _p(
            rf"罚款(?:已经|已)?(?:逾期|超期|拖欠|欠缴|未缴)(?:未缴|未交)?(?:了|已经|已|超过|达)?\s*(?P<num>{NUM})\s*(?:个)?月"
        ),
        None,
    ),
    (
        "fines_overdue_months",
        _p(
            rf"\bfines?\s+(?:have\s+been\s+|were\s+|are\s+)?(?:overdue|unpaid|outstanding)\s+(?:for\s+)?(?P<num>{NUM})\s+months?"
        ),
        None,
    ),
    # "关税拖了一个月才缴", "税款晚交了两个月", "paid some duty about two months late"
    (
        "taxes_overdue_months",
        _p(
            rf"(?:关税|税款|税费|进口税|增值税)[^，,。；;]{{0,8}}?(?:拖|晚|迟|逾期|超期)(?:缴|交|付)?(?:了)?\s*(?P<num>{NUM})\s*(?:个)?(?:多)?月(?:才|后才)?(?:缴|交|付|补)?"
        ),
        None,
    ),
    # "我们欠了海关的税，拖了两个月才交上"
    (
        "taxes_overdue_months",
        _p(rf"欠了?(?:海关)?的?(?:税|税款|关税)[，,]?\s*(?:拖|晚|迟|逾期|超期)了?\s*(?P<num>{NUM})\s*(?:个)?(?:多)?月"),
        None,
    ),
    # "we owe customs some duty, it's about 2 months overdue"
    (
        "taxes_overdue_months",
        _p(
            rf"\bowe[ds]?\s+(?:the\s+)?(?:customs\s+)?(?:some\s+|the\s+)?(?:import\s+)?(?:dut(?:y|ies)|tax(?:es)?)\b[^.;?!]{{0,30}}?"
            rf"\b(?:about\s+|around\s+|roughly\s+|nearly\s+|almost\s+|over\s+)?(?P<num>{NUM})\s+months?\s+(?:overdue|late|past\s+due)"
        ),
        None,
    ),
    (
        "taxes_overdue_months",
        _p(
            rf"\bpaid\s+(?:some|the|a|an|our|one)?\s*(?:import\s+)?(?:dut(?:y|ies)|tax(?:es)?)(?:\s+bill)?\s+(?:about\s+|around\s+|roughly\s+|some\s+)?(?P<num>{NUM})\s+months?\s+late\b"
        ),
        None,
    ),
    # --- penalty count ---------------------------------------------------------
    (
        "penalties_count_last_year",
        _p(rf"(?:被罚|罚|处罚|罚款|违法|违规)(?:了|过)?\s*(?P<num>{NUM})\s*(?:次|回|笔)"),
        None,
    ),
    ("penalties_count_last_year", _p(rf"(?P<num>{NUM})\s*(?:次|回)(?:海关)?(?:行政)?(?:处罚|罚款)"), None),
    ("penalties_count_last_year", _p(rf"处罚次数(?:为|是|:|：)?\s*(?P<num>{NUM})"), None),
    (
        "penalties_count_last_year",
        _p(rf"\b(?:penali[sz]ed|fined|punished|sanctioned)\s+(?P<num>{NUM})\s+times?\b"),
        None,
    ),
    (
        "penalties_count_last_year",
        _p(r"\b(?:penali[sz]ed|fined|punished|sanctioned)\s+(?:us\s+|our\s+company\s+)?(?P<num>once|twice|thrice)\b"),
        None,
    ),
    (
        "penalties_count_last_year",
        _p(
            r"(?<![\d.,])(?!(?:19|20)\d\d\b)(?P<num>\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|no)\s+(?:customs\s+)?(?:administrative\s+)?(?:penalt(?:y|ies)|fines|sanctions)\b(?!\s+of)"
        ),
        None,
    ),
    # "customs fined us a single time"
    (
        "penalties_count_last_year",
        _p(
            r"\b(?:penali[sz]ed|fined|punished|sanctioned)\s+(?:us\s+|our\s+company\s+)?(?:a\s+single\s+time|one\s+single\s+time)\b"
        ),
        1,
    ),
    # "we got one customs fine of 60,000 yuan"
    (
        "penalties_count_last_year",
        _p(
            r"\b(?:got|had|received|was\s+given|were\s+given)\s+(?:one|a|a\s+single|only\s+one)\s+(?:customs\s+)?(?:administrative\s+)?(?:penalty|fine|sanction)\b"
        ),
        1,
    ),
    ("penalties_count_last_year", _p(rf"{_NEG_ZH}(?:被)?(?:海关)?(?:行政)?(?:处罚|罚款|被罚)"), 0),
    ("penalties_count_last_year", _p(r"\b(?:never|not)\s+(?:been\s+)?(?:penali[sz]ed|fined|punished)\b"), 0),
    # --- total fines -----------------------------------------------------------
    (
        "penalties_total",
        _p(
            rf"(?:罚款|罚金|处罚金额)(?:总额|总计|累计|合计|共计|一共|总共|共)(?:为|是|约|达到?)?\s*{AMT}{_NOT_COUNT_AFTER}"
        ),
        None,
    ),
    (
        "penalties_total",
        _p(
            rf"(?:总共|共计|累计|合计|一共|总计|加起来|加在一起|合起来|共)(?:被)?(?:罚了|罚款|罚)?(?:金额)?(?:为|是|约|达到?)?\s*{AMT}{_NOT_COUNT_AFTER}"
        ),
        None,
    ),
    # "罚过一笔6万块": the amount after 一笔 / 一次 (the count is read below)
    (
        "penalties_total",
        _p(rf"罚(?:了|款|过)?(?:{_OWN_ZH})?(?:是|为)?\s*(?:一笔|一次)?\s*{AMT}{_NOT_COUNT_AFTER}"),
        None,
    ),
    (
        "penalties_total",
        _p(
            rf"\b(?:total(?:l?ing|l?ed)?|in\s+total|altogether|summing\s+to|amounting\s+to|cumulative(?:ly)?)\s*(?:fines?\s*)?(?:of|were|was|:)?\s*{AMT}{_NOT_COUNT_AFTER}"
        ),
        None,
    ),
    ("penalties_total", _p(rf"{AMT}\s+in\s+(?:total|fines)\b"), None),
    # "we were fined once, 60,000 yuan", "fined twice for RMB 80k"
    (
        "penalties_total",
        _p(
            rf"\bfined\s+(?:us\s+|our\s+company\s+)?(?:(?:once|twice|one\s+time|a\s+single\s+time|\d+\s+times)\s*"
            rf"(?:(?:over|in|during|within)\s+the\s+(?:past|last)\s+(?:\w+\s+)?(?:months?|year)\s*)?[,;:]?\s*)?"
            rf"(?:for\s+|of\s+|with\s+)?{AMT}{_NOT_COUNT_AFTER}"
        ),
        None,
    ),
    (
        "penalties_total",
        # ("a fine from customs of RMB 80,000")
        _p(
            rf"\bfines?\s+(?:(?:from|by)\s+(?:the\s+)?customs\s+)?(?:of|totall?ing|amounting\s+to|was|were|is)\s+{AMT}{_NOT_COUNT_AFTER}"
        ),
        None,
    ),
    # "we got a 80,000 fine from customs", "an RMB 50k customs penalty"
    ("penalties_total", _p(rf"\b(?:a|an|one)\s+{AMT}\s+(?:customs\s+)?(?:fine|penalty)\b"), None),
    # --- declarations inspected by customs, with findings (查获), high-quality findings
    # ("海关查了我们30票报关单，有6票查出问题，其中高质量查获1票"; "customs inspected 200 of our
    # declarations, 15 with findings, 3 high-quality"). Before the declaration counts below,
    # which would take these numbers for last year's total.
    (
        "customs_inspected_declarations",
        _p(
            rf"(?:海关)?(?:一共|总共|共)?(?:检查|查验|抽查|查)了?(?:{_OWN_ZH})?的?(?:自理申报的?|自己(?:申)?报的)?(?:报关单)?\s*(?P<num>{NUM})\s*(?:票|份|张)"
        ),
        None,
    ),
    (
        "customs_inspected_declarations",
        _p(
            rf"\b(?:inspected|checked|examined|audited)\s+(?P<num>{NUM})\s+(?:of\s+(?:our|the|its|their)\s+(?:own\s+)?)?(?:self[- ]filed\s+)?(?:customs\s+)?(?:declarations|entries)"
        ),
        None,
    ),
    (
        "customs_inspected_declarations",
        _p(
            rf"(?P<num>{NUM})\s+(?:of\s+(?:our|the|its)\s+)?(?:customs\s+)?(?:declarations|entries)\s+(?:were\s+|was\s+)?(?:inspected|checked|examined)"
        ),
        None,
    ),
    ("high_quality_seized", _p(rf"高质量查获(?:了|报关单)?\s*(?P<num>{NUM})\s*票"), None),
    ("high_quality_seized", _p(rf"(?P<num>{NUM})\s*票(?:是|为|属于?|算是?|被认定为|认定为)?高质量(?:查获)?"), None),
    (
        "high_quality_seized",
        _p(
            rf"(?P<num>{NUM})\s+(?:of\s+(?:them|those|these)\s+|were\s+|of\s+which\s+)*(?:were\s+)?['\"‘’“”]?high[- ]quality(?:['\"‘’“”]?\s+findings?)?\b"
        ),
        None,
    ),
    ("high_quality_seized", _p(rf"\bhigh[- ]quality\s+findings?\s*(?:in|on|:|of|were|was)?\s*(?P<num>{NUM})\b"), None),
    ("seized_declarations", _p(rf"(?<!高质量)查获(?:了|报关单)?\s*(?P<num>{NUM})\s*票"), None),
    (
        "seized_declarations",
        _p(rf"(?:有|其中)?(?P<num>{NUM})\s*票(?:被)?(?:查出|查获|发现)(?:了)?(?:问题|差错|错误|不符)?"),
        None,
    ),
    # ("其中查出问题的有6票")
    (
        "seized_declarations",
        _p(rf"(?:查出|发现)(?:了)?(?:问题|差错|错误|不符)的?(?:有|是|共)?\s*(?P<num>{NUM})\s*票"),
        None,
    ),
    (
        "seized_declarations",
        _p(
            rf"(?P<num>{NUM})\s+(?:of\s+them\s+|declarations\s+|entries\s+)?(?:with|had|having|showed|found\s+with)\s+(?:a\s+|an\s+)?(?:findings?|errors?|discrepanc(?:y|ies)|problems?|issues?)"
        ),
        None,
    ),
    (
        "seized_declarations",
        _p(
            rf"\b(?:findings?|found\s+(?:problems?|errors?|issues?|discrepanc(?:y|ies)))\s+(?:in|on|with)\s+(?P<num>{NUM})\b"
        ),
        None,
    ),
    (
        "declarations_last_year",
        _p(
            rf"(?:报关单|申报|报关|单证|备案清单)(?:一共|总共|共计|合计|累计)?[^\d{_CN_CHARS}，,。;；]{{0,6}}?(?P<num>{NUM})\s*(?:票|份|单|张)"
        ),
        None,
    ),
    ("declarations_last_year", _p(rf"(?P<num>{NUM})\s*(?:票|份)(?:报关单|单证)"), None),
    (
        "declarations_last_year",
        _p(
            rf"\b(?:declared|filed|submitted|lodged)\s+(?:about\s+|around\s+)?(?P<num>{NUM})\s+(?:customs\s+)?(?:entries|declarations|declaration\s+forms)"
        ),
        None,
    ),
    (
        "declarations_last_year",
        _p(rf"(?P<num>{NUM})\s+(?:customs\s+)?(?:entries|declarations|declaration\s+forms)\b"),
        None,
    ),
    # --- import-export value ---------------------------------------------------
    (
        "import_export_value_last_year",
        _p(
            rf"(?:进出口|外贸|贸易)(?:总)?(?:额|值|总额|总值|金额|规模)(?:为|是|约|大约|大概|差不多|将近|达到?|有|:|：)?\s*{AMT}{_NOT_COUNT_AFTER}"
        ),
        None,
    ),
    (
        "import_export_value_last_year",
        _p(
            rf"\b(?:import[-/ ]?(?:and[- ])?export|trade|foreign[- ]trade)\s+(?:value|volume|turnover)\s*(?:(?:last|in|for|of)\s+(?:the\s+)?(?:last\s+|previous\s+|past\s+)?(?:year|\d{{4}})\s+|the\s+(?:year\s+before|previous\s+year|prior\s+year)\s+)?(?:was|is|of|at|about|around|reached|came\s+to|amounted\s+to|totall?ed|stood\s+at|:)?\s*(?:about\s+|around\s+|roughly\s+|approximately\s+)?{AMT}{_NOT_COUNT_AFTER}"
        ),
        None,
    ),
    # --- booleans --------------------------------------------------------------
    ("smuggling_crime", _p(rf"{_NEG_ZH}(?:任何)?走私犯罪|{_NEG_EN}\s+(?:\w+\s+){{0,2}}smuggling\s+crime"), False),
    ("smuggling_crime", _p(r"走私(?:犯罪|罪)|smuggling\s+(?:crime|conviction)|convicted\s+of\s+smuggling"), True),
    ("smuggling", _p(rf"{_NEG_ZH}(?:任何|过|发生过?|发现)?(?:的)?走私|{_NEG_EN}\s+(?:\w+\s+){{0,2}}smuggl\w*"), False),
    ("smuggling", _p(r"走私|smuggl\w*"), True),
    (
        "is_customs_broker",
        _p(
            r"(?:我们|我司|本公司|公司|企业)是(?:一家)?(?:报关企业|报关行|报关公司)|\b(?:we\s+are|we're)\s+a\s+customs\s+broker"
        ),
        True,
    ),
    (
        "last_year_not_calculable",
        _p(
            r"(?:新成立|新设立|去年没有进出口|上年度没有进出口|上年度无进出口)|\b(?:newly\s+(?:set\s+up|established|founded)|no\s+(?:trade|imports?\s+or\s+exports?)\s+last\s+year)"
        ),
        True,
    ),
]

# Counts said in words once a penalty is mentioned: "就这一次", "只罚过一次", "第一次被罚",
# "only once". Applied only when the sentence is about penalties (PENALTY_CONTEXT).
_COUNT_WORDS: list[tuple[re.Pattern, int | None]] = [
    (
        _p(
            r"(?:就|只|仅|仅仅|总共|一共)(?:有|罚过?|被罚过?|处罚过?)?(?:这么|这|那)?(?P<num>一|1|两|二|2|三|3)(?:次|回)"
        ),
        None,
    ),
    (_p(r"(?:这|这是|是)?第一次(?:被)?(?:海关)?(?:处罚|罚款|被罚|罚)"), 1),
    (
        _p(r"\b(?:only|just)\s+(?:been\s+)?(?:fined\s+|penali[sz]ed\s+)?(?P<num>once|twice|one\s+time|two\s+times)\b"),
        None,
    ),
    (_p(r"\b(?:first|only)\s+(?:customs\s+)?(?:fine|penalty)\b"), 1),
]
PENALTY_CONTEXT = _p(r"罚|处罚|\b(?:fine|fined|fines|penalt|penali[sz]ed|sanction)")
# An overdue tax or fine mentioned without its duration.
_OVERDUE_NOW: list[tuple[str, re.Pattern]] = [
    (
        "taxes_overdue_now",
        _p(
            r"(?:税款|税费|关税|税)(?:已经|已)?(?:逾期|超期|过期)(?:了)?(?:还|仍|仍然)?(?:没交|没缴|未缴|未交|没有缴|没有交|未缴纳|没付)"
            r"|(?:逾期|超期)(?:未缴|未交|没交|没缴)(?:的)?(?:税款|税)|拖欠(?:了)?(?:税款|关税)|欠(?:了)?(?:海关)?(?:的)?(?:税款|关税)"
            r"|\b(?:overdue|unpaid|outstanding)\s+(?:customs\s+)?(?:tax(?:es)?|duties|duty)\b|\b(?:tax(?:es)?|duties)\s+(?:is|are|was|were)\s+(?:still\s+)?(?:overdue|unpaid)\b"
        ),
    ),
    (
        "fines_overdue_now",
        _p(
            r"罚款(?:已经|已)?(?:逾期|超期)?(?:了)?(?:还|仍)?(?:没交|没缴|未缴|未交|没有缴|没有交)"
            r"|\b(?:overdue|unpaid|outstanding)\s+(?:customs\s+)?fines?\b"
        ),
    ),
]
_NEGATED_OVERDUE = _p(
    r"(?:没有|没|无|不存在|从未|并无)(?:任何)?(?:一笔)?(?:税款|罚款|欠税|逾期)|\b(?:no|never|not)\s+(?:any\s+)?(?:overdue|unpaid|outstanding)"
)


# "追征我们税款两次，每次15万" / "back taxes recovered twice, 150k each": the total, and how many
# of the recoveries were above RMB 100,000 (the threshold in the fact's name).
_BACK_TAX_EACH = [
    _p(
        rf"(?:追征|补征|补缴|补税)(?:了)?(?:{_OWN_ZH})?(?:的)?(?:税款|税)?\s*(?P<n>{NUM})\s*次[，,、\s]*(?:每次|各|每笔|每次都)(?:是|为)?\s*{AMT}"
    ),
    _p(
        rf"\bback[- ]?tax(?:es)?\s+(?:recovered|assessed|collected)?\s*(?P<n>{NUM}|twice|thrice|once)\s*(?:times)?[,\s]+(?:of\s+)?{AMT}\s+each\b"
    ),
]
_BACK_TAX_LINE = 100000
# "罚了2次，每次6万", "罚款两笔 各6万", "2 of those fines, 60k each", "fined twice, RMB 60,000 each": as many
# penalties of the same amount
_PENALTY_EACH = [
    _p(
        rf"罚(?:了|过|款)?(?:{_OWN_ZH})?\s*(?P<n>{NUM})\s*(?:次|笔)(?:罚款)?[，,、\s]*(?:每次|每笔|各|都是|都)(?:罚了?)?(?:是|为)?\s*{AMT}"
    ),
    _p(
        rf"\b(?P<n>{NUM}|twice|thrice)\s+(?:of\s+(?:those|these|them|the|such)\s+)?(?:customs\s+)?(?:fines|penalties|fine|penalty)\b"
        rf"[^.;!?。；]{{0,30}}?\b(?:of\s+)?{AMT}\s+each\b"
    ),
    _p(rf"\bfined\s+(?:us\s+|them\s+)?(?P<n>twice|thrice|{NUM}\s+times)[^.;!?。；]{{0,24}}?\b(?:of\s+)?{AMT}\s+each\b"),
]
# "recovered back duties from us twice: RMB 80,000 and RMB 150,000", "追征了两次，分别是8万和15万":
# each recovery's amount, listed after the recovery is named (each with a currency or 万/k mark).
# "8万和15万", "RMB 80,000 and RMB 150,000", "一次12万一次3万"
_LISTED = _p(
    r"(?:和|与|及|、|分别|\band\b|,\s*(?:rmb|cny)|(?:一|另一|第二)(?:次|笔)[^。;；]{0,12}?(?:另一|一|第二)(?:次|笔))"
)
_BACK_TAX_HEAD = _p(
    r"追征|补征|补缴|补税|追缴|\bback[- ]?(?:tax(?:es)?|dut(?:y|ies))\b|\b(?:clawed\s+back|recovered|reclaimed)\b"
)
_MARKED_AMT = _p(
    rf"(?:(?:rmb|cny|¥|￥|人民币)\s*(?P<num>{NUM})|(?P<num2>{_AR}\s*(?:万|k\b|m\b|million|thousand)|[{_CN_CHARS}]{{1,4}}万)(?:\s*元)?)"
)
# "clawed back RMB 150k of duty from us once", "追征过一次税款15万": a single recovery.
_BACK_TAX_ONCE = [
    _p(r"(?:追征|补征|补缴|追缴|补税|补了)[^。;；]{0,16}?(?:一次|1次)(?!以上)"),
    _p(r"(?:一次|1次)[^，,。;；]{0,6}?(?:追征|补征|补缴|追缴|补税)"),
    _p(r"\b(?:back[- ]?tax(?:es)?|clawed\s+back|recovered|collected|reclaimed)\b[^.;!?]{0,50}?\bonce\b"),
    _p(r"\bonce\b[^.;!?]{0,12}?\b(?:back[- ]?tax(?:es)?|clawed\s+back|recovered)\b"),
]


_ONE_PENALTY = _p(rf"罚(?:了|过|款)?(?:{_OWN_ZH})?(?:一笔|一次)")
# "被海关罚过一次，6万元": the one penalty's amount, told after it
_ONE_PENALTY_AMOUNT = _p(
    rf"罚(?:了|过|款)?(?:{_OWN_ZH})?(?:一笔|一次)[，,、\s]*(?:是|为|金额|罚款|罚了)?\s*{AMT}{_NOT_COUNT_AFTER}"
    # "another fine of RMB 50,000", "one more penalty of 30k"
    rf"|\b(?:another|one\s+more|an?\s+(?:extra|additional|further|new|single)|one|a)\s+(?:customs\s+)?(?:fine|penalty)\s+(?:of\s+)?{AMT.replace('(?P<num>', '(?P<num_en>')}"
)
_EACH_PENALTY = _p(
    rf"(?:一次|一笔|第[一二三四五六七八九十\d]+次|第[一二三四五六七八九十\d]+笔)(?:罚款?|罚了)?\s*{AMT}{_NOT_COUNT_AFTER}"
)


# Said of the past year ("去年", "最近", "last year"): within the penalty items' 1-year window.
_RECENT = _p(
    r"去年|今年|上个?月|最近|近期|半年前|近一年|这一年"
    r"|\b(?:last|this)\s+(?:year|month)\b|\brecently\b|\bpast\s+(?:year|12\s+months)\b"
)
# How long ago something happened, in months: "18个月前", "两年前", "一年半以前", "3 years ago",
# "前年", "the year before last". "去年" / "last year" / "今年" read as within the past year.
_AGO: list[tuple[re.Pattern, float | None]] = [
    (_p(r"一年半(?:以)?前|\ba\s+year\s+and\s+a\s+half\s+ago\b"), 18),
    (_p(rf"(?P<num>{NUM})\s*(?:个)?(?:多)?月(?:以)?前|\b(?P<num2>{NUM})\s+months?\s+ago\b"), 1),
    (_p(rf"(?P<num>{NUM})\s*(?:多)?年(?:以)?前|\b(?P<num2>{NUM})\s+years?\s+ago\b"), 12),
    (_p(r"前年|\bthe\s+year\s+before\s+last\b"), 24),
    (_RECENT, 12),
]


# A clause that states a reference figure ("前年进出口额大约12亿元", "the year before we filed 8,000
# declarations"): its time word dates that figure, not what happened.
_REFERENCE_CLAUSE = _p(
    r"进出口(?:总)?(?:额|值)|外贸(?:额|总额)|贸易额|报关单|单证|票数|纳税|税款总额"
    r"|\b(?:import[-/ ]?(?:and[- ])?export|trade|foreign[- ]trade)\s+(?:value|volume|turnover)\b|\bdeclarations\b"
)
_CLAUSE = re.compile(r"(?:[，,。;；!?！？]|\.(?!\d))\s*")


def months_ago(text: str) -> float | None:
    """How many months ago the sentence places what it tells (None when it does not say); the
    clauses that only date a reference figure are left out when another clause names a time."""
    clauses = [c for c in _CLAUSE.split(text or "") if c.strip()]
    told = [c for c in clauses if not _REFERENCE_CLAUSE.search(c)]
    if len(told) < len(clauses):
        ago = _months_ago(" ".join(told))
        if ago is not None:
            return ago
    return _months_ago(text)


def _months_ago(text: str) -> float | None:
    for rx, scale in _AGO:
        m = rx.search(text)
        if not m:
            continue
        if scale is not None and "num" in rx.groupindex:
            raw = m.group("num") or m.group("num2")
            value = to_number(raw) if raw else None
            if isinstance(value, int | float) and value > 0:
                return float(value) * scale
            continue
        return float(scale) if scale is not None else None
    return None


# "要是……呢", "如果", "换成认证企业", "what if": a supposition, the same case with other figures, another
# time or the other level (read by the diagnosis flow and by the answers in the conversation)
WHAT_IF_RE = re.compile(
    r"要是|如果|假如|假设|万一|若|换成|改成|改为|换作|换做|(?i:\bwhat if\b|\bif (?:it|we|our|they|there)\b|\bsuppose\b)"
)


def with_time_of(question: str, line: str) -> str | None:
    """``question`` with the time ``line`` names ("要是两年前呢", "and if it was two years ago?") in
    place of the one it named ("八个月前", "eight months ago"), or None when either names none."""
    said = next((m for rx, _ in _AGO if (m := rx.search(line or ""))), None)
    if said is None:
        return None
    for rx, _ in _AGO:
        if (old := rx.search(question or "")) is not None:
            return question[: old.start()] + said.group(0) + question[old.end() :]
    return None


# A customs penalty under the solid-waste import or export-control rules (2026 items adv 20 / cert 18).
_EXPORT_CONTROL = _p(
    r"出口管制|管制物项|两用物项|进口固体废物|固体废物|固废|洋垃圾"
    r"|\bexport[- ]controls?\b|\bdual[- ]use\b|\bsolid[- ]waste\b|\bforeign\s+waste\b"
)
_EXPORT_CONTROL_NONE = _p(
    r"(?:没有|没|未|从未|从没|不曾|并未)(?:因|被|有过?)?[^，,。;；]{0,6}?(?:出口管制|管制物项|两用物项|固体废物|固废|洋垃圾)"
    r"|\b(?:never|not|no)\b[^.;,]{0,30}?\b(?:export[- ]controls?|dual[- ]use|solid[- ]waste)\b"
)
# Import/export activity: "去年一整年没做进出口", "no imports or exports last year", "前年做了不少".
_NO_TRADE_2Y = _p(
    r"(?:两年|2年|近两年|近2年|过去两年|过去2年)(?:来|内|里)?(?:都|也|一直)?(?:没有|没|未|无)(?:做|开展|有|发生)?(?:过)?(?:任何)?(?:进出口|外贸|进口|出口|报关)"
    r"|\bno\s+(?:imports?|exports?|import[- /]export|trade|trading)\b[^.;]{0,30}?\b(?:two|2)\s+years\b"
    r"|\b(?:haven't|have\s+not|hasn't|has\s+not)\s+(?:\w+\s+){0,2}(?:imported|exported|traded)\b[^.;]{0,30}?\b(?:two|2)\s+years\b"
)
_NO_TRADE_LAST_YEAR = _p(
    r"(?:去年|上年度?|过去一年|近一年|最近一年|过去1年|近1年)(?:一整年|全年|整年|一年)?(?:里|内)?(?:都|也|基本|基本上|完全)?(?:没有|没|未|无)(?:做|开展|有|发生)?(?:过)?(?:任何)?(?:进出口|外贸|进口|出口|报关)"
    r"|(?:一整年|全年|整整一年)(?:都|也)?(?:没有|没|未)(?:做|开展|有)?(?:过)?(?:任何)?(?:进出口|外贸|进口|出口|报关)"
    r"|\bno\s+(?:imports?(?:\s+or\s+exports?)?|exports?|import[- /]export|trade|trading)\s+(?:activity\s+|business\s+)?(?:at\s+all\s+)?"
    r"(?:last\s+year|in\s+the\s+(?:last|past)\s+(?:year|12\s+months))"
    r"|\b(?:didn't|did\s+not|haven't|have\s+not|hasn't|has\s+not)\s+(?:\w+\s+){0,2}(?:import|export|trade)\w*\b[^.;]{0,30}?"
    r"\b(?:last\s+year|in\s+the\s+(?:last|past)\s+(?:year|12\s+months)|for\s+(?:a|one|over\s+a|more\s+than\s+a)\s+year)"
)
_TRADE_YEAR_BEFORE = _p(
    r"前年(?:还|倒是|可是)?(?:做了|做过|有|做得|出口了|进口了|进出口)"
    r"|\b(?:the\s+year\s+before|in\s+the\s+previous\s+year|two\s+years\s+ago)\b[^.;]{0,12}?\b(?:we\s+)?(?:did|had|traded|imported|exported|shipped)\b"
    r"|\b(?:we\s+)?(?:did|had|traded|imported|exported|shipped)\b[^.;]{0,30}?\b(?:the\s+year\s+before|two\s+years\s+ago)\b"
)


# Related parties rated dishonest by customs (2026 items adv 37-39 / cert 35-37): who, then the
# rating within the same clause. "最低信用等级" of customs' five levels is 严重失信.
_DISHONEST_ZH = r"(?:被|给)?(?:海关)?(?:认定|评定|评为|列为|定为|划为|降为|降到|降成|打成|成了|变成|是)?了?(?:为|成)?(?:海关)?(?:的)?(?:严重失信|失信|最低(?:的)?(?:信用)?等级|黑名单)"
_DISHONEST_EN = (
    r"\b(?:dishonest|blacklist\w*|black[- ]list\w*|(?:very\s+)?lowest\s+(?:customs\s+)?credit\s+(?:level|grade|rating))"
)
_RELATED: list[tuple[str, re.Pattern]] = [
    (
        "investor_dishonest",
        _p(
            rf"(?:出资人|股东|投资人|投资方|母公司)(?:（[^）]{{0,12}}）|\([^)]{{0,12}}\))?[^，,。;；？?]{{0,12}}?{_DISHONEST_ZH}"
            rf"|\b(?:shareholders?|investors?|parent\s+company|parent)\b[^.;?]{{0,50}}?{_DISHONEST_EN}"
        ),
    ),
    (
        "branch_dishonest",
        _p(
            rf"(?:分支机构|分公司|办事处)[^，,。;；？?]{{0,12}}?{_DISHONEST_ZH}"
            rf"|\bbranch(?:es|\s+offices?)?\b[^.;?]{{0,50}}?{_DISHONEST_EN}"
        ),
    ),
    (
        "related_post_enterprise_dishonest",
        _p(
            rf"(?:法定代表人|法人代表|法人|老板|财务负责人|财务总监|关务负责人|报关员|报关人员)[^。;；？?]{{0,24}}?"
            rf"(?:另一家|另外一家|其他|别的|另一个|另外的|兼任|兼职|任职)[^。;；？?]{{0,16}}?{_DISHONEST_ZH}"
            rf"|\b(?:legal\s+rep\w*|ceo|cfo|finance\s+(?:head|manager|director)|head\s+of\s+(?:customs|finance)|customs\s+manager|declarants?)\b"
            rf"[^.;?]{{0,40}}?\b(?:another|other|second)\s+(?:company|enterprise|firm)\b[^.;?]{{0,40}}?{_DISHONEST_EN}"
        ),
    ),
]
_RELATED_NEG = _p(r"没有|没|未|从未|不是|并非|并未|\b(?:not|never|no)\b|n't\b")
_NEG_BEFORE = _p(r"(?:没有|没|未|从未|从没|不曾)\s*$")  # "没有委托过失信的报关行"
_BREACH = _p(r"违反|违规|violat|breach")
_SMUGGLING = _p(r"走私|smuggl")
# "国家公共信用综合评价是C级", "public credit rating is C"
_PUBLIC_GRADE = _p(
    r"公共信用(?:综合)?(?:评价|评级|等级|评分)?(?:结果)?(?:[^，,。;；？?A-Da-d]{0,8}?)(?P<g>[A-Da-d])\s*(?:级|类|等)?(?![A-Za-z])"
    r"|\bpublic\s+credit\s+(?:comprehensive\s+)?(?:evaluation|rating|grade|score|assessment)?\b[^.;?]{0,20}?\b(?:grade\s+|an?\s+|level\s+)?(?P<g2>[A-D])\b"
)


def _related_facts(text: str, facts: dict) -> None:
    """Related parties rated dishonest, and the public credit grade, as yes/no facts."""
    for key, rx in _RELATED:
        m = rx.search(text)
        if m and key not in facts:
            facts[key] = not _RELATED_NEG.search(m.group(0))
    m = _PUBLIC_GRADE.search(text)
    if m and "public_credit_b_or_above" not in facts:
        grade = (m.group("g") or m.group("g2") or "").upper()
        facts["public_credit_b_or_above"] = grade in ("A", "B")


# Entrusting a dishonest customs broker (items adv 25 / cert 23), and a broker accepting a dishonest
# client's business (adv 26 / cert 24). "后来被认定为失信" alone does not say the entrustment came
# after the rating, so it is not read as one.
_BROKER = r"(?:报关企业|报关行|报关公司|代理报关的?(?:公司|企业)?)"
_ENTRUSTED_DISHONEST = _p(
    rf"(?:委托|找|用|请)(?:了|过)?(?:一家|一个|的)?[^，,。;；？?]{{0,10}}?(?:严重失信|失信)(?:的)?(?:企业)?{_BROKER}"
    rf"|{_BROKER}[^。;；？?]{{0,24}}?(?:认定|评为|评定|列为|成了|变成|是)[^。;；？?]{{0,4}}?失信[^。;；？?]{{0,30}}?(?:还在|仍在|仍然|继续|一直|照样|还是)(?:在)?(?:委托|用|找)"
    r"|\b(?:used|use|using|entrusted|hired|engaged|work(?:ed|ing)?\s+with)\b[^.;?]{0,30}?\b(?:dishonest|blacklisted)\b[^.;?]{0,20}?\b(?:customs\s+)?(?:broker|agent)"
    r"|\b(?:customs\s+)?(?:broker|agent)\b[^.;?]{0,60}?\b(?:dishonest|blacklisted)\b[^.;?]{0,60}?\b(?:still\s+(?:use|using|entrust|work)|kept\s+using|continue[sd]?\s+(?:to\s+use|using))"
)
_ACCEPTED_DISHONEST = _p(
    r"(?:接|接受|代理|承接)(?:了|过)?(?:一个|一家|几家|一些)?(?:严重失信|失信)(?:的)?(?:企业|客户|公司|单位)(?:的)?(?:单子|委托|业务|报关)?"
    r"|(?:给|帮|替)(?:一个|一家)?(?:严重失信|失信)(?:的)?(?:企业|客户|公司|单位)(?:报关|代理|做)"
    r"|\b(?:accepted|took\s+on|handled|worked\s+for|cleared\s+(?:goods\s+)?for|declared\s+for|filed\s+for)\b[^.;?]{0,30}?\b(?:dishonest|blacklisted)\s+(?:client|company|enterprise|importer|exporter|customer|shipper)"
)


# A related person (legal representative, finance or customs head, declarant) punished for an
# intentional crime (adv 17 / cert 15). Only an intentional crime said as such: a traffic offence
# or a crime not called intentional is not read as one.
_RELATED_PERSON_ZH = (
    r"(?:法定代表人|法人代表|法人|老板|总经理|主要负责人|财务负责人|财务总监|关务负责人|报关员|报关人员)"
)
_INTENTIONAL_CRIME = _p(
    rf"{_RELATED_PERSON_ZH}[^。;；？?]{{0,20}}?故意犯罪[^。;；？?]{{0,8}}?(?:判|刑|处罚|坐牢|追究)"
    rf"|{_RELATED_PERSON_ZH}[^。;；？?]{{0,20}}?(?:判了?刑|判过刑|被判|刑事处罚)[^。;；？?]{{0,8}}?故意"
    r"|\b(?:legal\s+rep\w*|general\s+manager|ceo|cfo|managing\s+director|director|boss|finance\s+(?:head|manager|director)"
    r"|head\s+of\s+(?:customs|finance)|customs\s+(?:manager|head)|declarants?)\b[^.;?]{0,60}?"
    r"(?:\bintentional\s+(?:crime|offen[cs]e)|\bcriminal(?:ly)?\s+(?:punish\w*|convict\w*|sentenc\w*)[^.;?]{0,30}?\bintentional)"
)


def _windowed(text: str, facts: dict, rx: re.Pattern, two_years: str, one_year: str) -> None:
    """A yes/no fact with a 2-year and a 1-year reading, from what the sentence says and when."""
    m = rx.search(text)
    if not m or two_years in facts:
        return
    if _RELATED_NEG.search(m.group(0)) or _NEG_BEFORE.search(text[: m.start()]):
        facts[two_years] = facts[one_year] = False
        return
    ago = months_ago(text)
    facts[two_years] = ago is None or ago <= 24
    if ago is not None:
        facts[one_year] = ago <= 12


def _windowed_facts(text: str, facts: dict) -> None:
    """The yes/no facts with a look-back window (1 or 2 years) read from what the sentence says."""
    _windowed(text, facts, _ENTRUSTED_DISHONEST, "entrusted_dishonest_broker", "entrusted_dishonest_broker_last_year")
    _windowed(text, facts, _ACCEPTED_DISHONEST, "accepted_dishonest_client", "accepted_dishonest_client_last_year")
    _windowed(
        text,
        facts,
        _INTENTIONAL_CRIME,
        "related_person_intentional_crime",
        "related_person_intentional_crime_last_year",
    )
    if "export_control_or_waste_penalty" not in facts and _EXPORT_CONTROL.search(text):
        if _EXPORT_CONTROL_NONE.search(text):
            facts["export_control_or_waste_penalty"] = False
            facts["export_control_or_waste_penalty_last_year"] = False
        elif PENALTY_CONTEXT.search(text) or _BREACH.search(text):
            ago = months_ago(text)
            facts["export_control_or_waste_penalty"] = ago is None or ago <= 24
            if ago is not None:
                facts["export_control_or_waste_penalty_last_year"] = ago <= 12
    if "had_trade_activity_last_year" not in facts:
        if _NO_TRADE_2Y.search(text):
            facts["had_trade_activity_last_year"] = False
            facts["had_trade_activity_2y"] = False
        elif _NO_TRADE_LAST_YEAR.search(text):
            facts["had_trade_activity_last_year"] = False
            if _TRADE_YEAR_BEFORE.search(text):
                facts["had_trade_activity_2y"] = True


_PENALTY_FACTS = ("penalties_count_last_year", "penalties_total", "max_single_penalty")


def _old_penalty(text: str, facts: dict) -> None:
    """ "18个月前被罚过一次5万": a penalty older than the penalty items' 1-year window counts as
    none in the past year (when the sentence names no recent time and no other kind of penalty)."""
    if not any(k in facts for k in _PENALTY_FACTS) or (facts.get("penalties_count_last_year") or 1) > 1:
        return
    if _RECENT.search(text) or _EXPORT_CONTROL.search(text) or _SMUGGLING.search(text):
        return
    ago = months_ago(text)
    if ago is not None and ago > 12:
        for k in _PENALTY_FACTS:
            facts[k] = 0


def _old_overdue(text: str, facts: dict) -> None:
    """ "14个月前有一笔关税晚交了两个月": a late payment older than a year is the year before
    (13-24 months ago, advanced item 22's second year) or older, not the past year's."""
    if not facts.get("taxes_overdue_months") or _RECENT.search(text):
        return
    ago = months_ago(text)
    if ago is not None and ago > 12:
        facts["taxes_overdue_months"] = 0
        facts["overdue_payment_prior_year"] = ago <= 24


def _recovered(text: str, at: int) -> bool:
    """Whether the unpaid tax named at ``at`` is one customs has recovered ("customs recovered
    RMB 150,000 of unpaid duty", "追征了欠缴的税款"): a back tax, not one still overdue."""
    clause = re.split(r"[。;；!?！？]|\.\s", text[:at])[-1]
    return bool(_BACK_TAX_HEAD.search(clause[-40:]))


def _words_and_consequences(text: str, facts: dict) -> None:
    """Facts said in words, and what one fact implies for another."""
    _windowed_facts(text, facts)
    _related_facts(text, facts)
    if "back_tax_total" not in facts:
        for rx in _BACK_TAX_EACH:
            m = rx.search(text)
            n = to_number(m.group("n")) if m else None
            each = to_number(m.group("num")) if m else None
            if isinstance(n, int) and n > 0 and each is not None:
                facts["back_tax_total"] = _clean(n * each)
                facts.setdefault("back_tax_over_100k_count", n if each > _BACK_TAX_LINE else 0)
                break
    if "back_tax_total" not in facts and (head := _BACK_TAX_HEAD.search(text)):
        clause = re.split(r"[。;；]|\.\s|\.$", text[head.end() :], maxsplit=1)[0][:120]
        read = [to_number(m.group("num") or m.group("num2")) for m in _MARKED_AMT.finditer(clause)]
        amounts: list[float] = [float(a) for a in read if isinstance(a, int | float) and a > 0]
        if len(amounts) >= 2 and _LISTED.search(clause):
            facts["back_tax_total"] = _clean(sum(amounts))
            facts["back_tax_over_100k_count"] = sum(1 for a in amounts if a > _BACK_TAX_LINE)
    if "back_tax_total" in facts and "back_tax_over_100k_count" not in facts:
        if any(rx.search(text) for rx in _BACK_TAX_ONCE):
            facts["back_tax_over_100k_count"] = 1 if facts["back_tax_total"] > _BACK_TAX_LINE else 0
    for rx in _PENALTY_EACH:
        m = rx.search(text)
        n = to_number(re.sub(r"\s*times$", "", m.group("n"))) if m else None
        each_one = to_number(m.group("num")) if m else None
        if isinstance(n, int) and 1 < n <= 50 and isinstance(each_one, int | float) and each_one > 0:
            facts["penalties_count_last_year"] = n
            facts["penalties_total"] = _clean(n * each_one)
            facts["max_single_penalty"] = _clean(each_one)
            break
    if "penalties_count_last_year" not in facts and PENALTY_CONTEXT.search(text):
        for rx, fixed in _COUNT_WORDS:
            m = rx.search(text)
            if m:
                facts["penalties_count_last_year"] = fixed if fixed is not None else to_number(m.group("num")) or 1
                break
    if not _NEGATED_OVERDUE.search(text):
        for key, rx in _OVERDUE_NOW:
            months_key = "taxes_overdue_months" if key == "taxes_overdue_now" else "fines_overdue_months"
            if months_key not in facts and (m := rx.search(text)) and not _recovered(text, m.start()):
                facts[key] = True
    # "罚了两次 一次3万一次8万": each penalty's amount gives the total and the largest.
    each = [to_number(m.group("num")) for m in _EACH_PENALTY.finditer(text)]
    each = [v for v in each if isinstance(v, int | float)]
    if len(each) < 2 and (listed := _listed_penalties(text, facts)):
        # the first amount may have been read alone as the total
        each = listed
        facts["penalties_total"] = _clean(sum(each))
    if len(each) >= 2 and PENALTY_CONTEXT.search(text):
        facts.setdefault("penalties_total", _clean(sum(each)))
        facts.setdefault("max_single_penalty", _clean(max(each)))
        facts.setdefault("penalties_count_last_year", len(each))
    elif (
        not each
        and facts.get("penalties_count_last_year", 1) == 1
        and (m := _ONE_PENALTY_AMOUNT.search(text))
        and (amount := to_number(m.group("num") or m.group("num_en"))) is not None
        # (read already as the total or the largest)
        and facts.get("penalties_total", amount) == facts.get("max_single_penalty", amount) == amount
    ):
        facts["penalties_count_last_year"] = 1
        facts["penalties_total"] = _clean(amount)
    elif len(each) == 1 and "penalties_count_last_year" not in facts and _ONE_PENALTY.search(text):
        # "被海关罚过一笔6万块的": one penalty, of that amount
        facts["penalties_count_last_year"] = 1
    # One penalty: its amount is both the total and the largest single fine.
    if facts.get("penalties_count_last_year") == 1:
        if "penalties_total" in facts and "max_single_penalty" not in facts:
            facts["max_single_penalty"] = facts["penalties_total"]
        elif "max_single_penalty" in facts and "penalties_total" not in facts:
            facts["penalties_total"] = facts["max_single_penalty"]


# "fined us twice, RMB 30,000 and RMB 40,000", "罚款分别是3万和4万": each fine's amount, listed
# after the penalty is named (each with a currency or 万/k mark), in a clause that gives no total
# and names no other figure (back taxes, trade value, declarations).
_PENALTY_HEAD = _p(r"罚|\b(?:fined|fines?|penalt(?:y|ies)|penali[sz]ed)\b")
_NOT_A_FINE = _p(
    r"累计|合计|一共|总共|共计|总额|\b(?:total|in\s+all|altogether|combined)\b|"
    + _BACK_TAX_HEAD.pattern
    + "|"
    + _REFERENCE_CLAUSE.pattern
)


def _listed_penalties(text: str, facts: dict) -> list[float]:
    head = _PENALTY_HEAD.search(text)
    if not head:
        return []
    clause = re.split(r"[。;；?？!！]|\.\s|\.$", text[head.end() :], maxsplit=1)[0][:120]
    if (other := _NOT_A_FINE.search(clause)) is not None:
        clause = clause[: other.start()]
    read = [to_number(m.group("num") or m.group("num2")) for m in _MARKED_AMT.finditer(clause)]
    amounts = [float(a) for a in read if isinstance(a, int | float) and a > 0]
    told = facts.get("penalties_total")
    if len(amounts) < 2 or not _LISTED.search(clause) or (told is not None and told not in amounts):
        return []
    return amounts


_BOOL_YES = _p(r"^\s*(?:是|是的|对|有|有的|有过|存在|yes|yep|yeah|y|true|correct|right)\s*[.!。！]?\s*$")
_BOOL_NO = _p(
    r"^\s*(?:否|不是|没有|没|无|不存在|没有过|从来没有|no|nope|none|n|false|never|not\s+at\s+all)\s*[.!。！]?\s*$"
)
_BARE_NUM = _p(
    rf"^\s*(?:约|大约|大概|about|around|approx\.?|roughly|就|只有?|仅|共|一共|总共)?\s*(?:这|那)?\s*(?P<num>{_CURRENCY_PRE}{NUM}|once|twice|thrice){_CURRENCY_POST}\s*(?:次|回|票|个月|月|times|entries|months?)?\s*(?:而已|吧|啊)?\s*[.!。！]?\s*$"
)


def _coerce(key: str, value: Any) -> Any:
    kind = FACT_TYPES.get(key, "number")
    if kind == "bool":
        return bool(value)
    if value is None:
        return None
    if kind == "int":
        if value < 0 or value != int(value):
            return None
        return int(value)
    if value < 0:
        return None
    return value


# Approximate amounts: "十几万" (110,000-190,000), "10多万" (over 100,000, under 200,000), "二十几万",
# "几万", "几十万", "一万多". Read as a range, never as the number before 几/多 ("十几万" is not 10).
_CN_NUM = "一二两三四五六七八九十百"
_VAGUE = re.compile(
    rf"(?P<n>\d+|[{_CN_NUM}]+)(?P<f>几|多|来)(?P<m>[十百千万亿]+)"
    rf"|(?<![\d{_CN_NUM}])几(?P<m2>[十百千万亿]+)"
    rf"|(?P<n3>\d+|[{_CN_NUM}]+)(?P<m3>[十百千万亿]+)多"
)


def _bounds(m: re.Match) -> tuple[int, int] | None:
    if m.group("m2"):
        mult = _multiplier(m.group("m2"))
        return 2 * mult, 9 * mult
    core = m.group("n") or m.group("n3")
    value = to_number(core)
    if not isinstance(value, int) or value <= 0:
        return None
    if m.group("n3"):  # "一万多": more than 1万, under 2万
        mult = _multiplier(m.group("m3"))
        return value * mult + 1, (value + 1) * mult - 1
    mult = _multiplier(m.group("m"))
    step = 10 ** (len(str(value)) - len(str(value).rstrip("0"))) if value % 10 == 0 else 1
    if m.group("f") == "几":  # "十几万": 11-19万; "二十几万": 21-29万
        if value % 10:
            return None
        return (value + 1) * mult, (value + 9) * mult
    if m.group("f") == "来":  # "十来万": about 10万, a little more
        return value * mult, value * mult * 3 // 2
    return value * mult + 1, (value + step) * mult - 1  # "10多万": over 10万, under 20万


def vague_bounds(text: str) -> tuple[str, str, list[str]] | None:
    """``text`` with each approximate amount written as its lowest and as its highest reading,
    and the phrases themselves; None when it has none."""
    lo, hi, phrases, pos = [], [], [], 0
    for m in _VAGUE.finditer(text or ""):
        b = _bounds(m)
        if b is None:
            continue
        lo.append(text[pos : m.start()] + str(b[0]))
        hi.append(text[pos : m.start()] + str(b[1]))
        phrases.append(m.group(0))
        pos = m.end()
    if not phrases:
        return None
    return "".join(lo) + text[pos:], "".join(hi) + text[pos:], phrases


_SPOKEN_MULT = re.compile(rf"([\d{_CN_NUM}])个(亿|万)")


def parse_facts(text: Any, expecting: str | None = None) -> dict:
    """Extract facts from one sentence. Never raises."""
    facts: dict[str, Any] = {}
    remainder = ""
    try:
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        text = _SPOKEN_MULT.sub(r"\1\2", text[:MAX_INPUT])  # "3个亿" → "3亿"
        remainder = text
        taken: list[tuple[int, int]] = []

        def free(a: int, b: int) -> bool:
            return all(b <= s or a >= e for s, e in taken)

        for key, rx, fixed in _PATTERNS:
            if key in facts:
                continue
            for m in rx.finditer(text):
                span = m.span("num") if fixed is None else m.span()
                if not free(*span):
                    continue
                if fixed is None:
                    value = to_number(m.group("num"))
                    value = _coerce(key, value) if value is not None else None
                    if value is None:
                        continue
                else:
                    value = fixed
                facts[key] = value
                taken.append(m.span())
                break

        _words_and_consequences(text, facts)
        _old_penalty(text, facts)
        _old_overdue(text, facts)
        if facts.get("smuggling") is False and "smuggling_crime" not in facts:
            facts["smuggling_crime"] = False

        if expecting and expecting in FACT_TYPES and expecting not in facts:
            kind = FACT_TYPES[expecting]
            if kind == "bool":
                if _BOOL_YES.match(text):
                    facts[expecting] = True
                    taken.append((0, len(text)))
                elif _BOOL_NO.match(text):
                    facts[expecting] = False
                    taken.append((0, len(text)))
            else:
                if _BOOL_NO.match(text):
                    facts[expecting] = 0
                    taken.append((0, len(text)))
                else:
                    m = _BARE_NUM.match(text)
                    if m:
                        value = to_number(re.sub(r"(?:次|回|票|个月|月)$", "", m.group("num").strip()))
                        value = _coerce(expecting, value) if value is not None else None
                        if value is not None:
                            facts[expecting] = value
                            taken.append((0, len(text)))

        if taken:
            pieces, pos = [], 0
            for s, e in sorted(taken):
                if s > pos:
                    pieces.append(text[pos:s])
                pos = max(pos, e)
            pieces.append(text[pos:])
            remainder = " ".join(p for p in pieces)
        remainder = re.sub(r"[\s，,。.;；:：!！?？、]+", " ", remainder).strip()
    except Exception:  # never crash the conversation on odd input
        log.debug("remainder of %r not computed", text, exc_info=True)
    return {"facts": facts, "remainder": remainder}


def parse_facts_ranges(text: Any, expecting: str | None = None) -> dict:
    """``parse_facts``, with approximate amounts ("十几万") read at both ends: the facts both
    readings agree on in ``facts``, the others as ``approx`` {key: (lowest, highest)} with the
    ``vague`` phrases."""
    found = vague_bounds(text) if isinstance(text, str) else None
    if found is None:
        return {**parse_facts(text, expecting), "approx": {}, "vague": []}
    lo_text, hi_text, phrases = found
    lo, hi = parse_facts(lo_text, expecting), parse_facts(hi_text, expecting)
    facts = {k: v for k, v in lo["facts"].items() if hi["facts"].get(k) == v}
    approx = {k: (v, hi["facts"][k]) for k, v in lo["facts"].items() if k in hi["facts"] and hi["facts"][k] != v}
    return {"facts": facts, "remainder": lo["remainder"], "approx": approx, "vague": phrases}


# ---------------------------------------------------------------------------
# financial figures and indicators ("总负债800万、总资产1000万", "debt ratio 90%")
# ---------------------------------------------------------------------------
_FIN_JOIN = r"\s*(?:（[^）]{0,12}）|\([^)]{0,12}\))?\s*(?:还|只|仅|也|都)?(?:为|是|约|大约|达到?|有|共|合计|:|：|=|≈|of|is|was|are|were|at|about|around)?\s*"
_fin_cache: dict = {}
# "连着亏了两年", "a loss for 2 years": how long, not how much (the figure read whole first)
_NOT_A_PERIOD = r"(?![\d零一二两三四五六七八九十百千万亿]|\.\d|\s*(?:个)?(?:年|月|天|日|季度)|(?i:\s*(?:years?|months?|days?|quarters?)\b))"


def _financial_terms() -> tuple[re.Pattern, dict]:
    """One pattern of every word for a figure or an indicator (knowledge/standards/
    standard_2026.yaml: the names and ``financial_words``), longest first, and what each
    word stands for: ("field", key, "") or ("indicator", id, unit)."""
    from core.standards import catalogue

    cat = catalogue.load_catalog()
    if _fin_cache.get("catalog") is cat:
        return _fin_cache["pattern"], _fin_cache["words"]
    words: dict[str, tuple[str, str, str]] = {}

    def add(word: str, meaning: tuple[str, str, str]) -> None:
        word = re.sub(r"（.*?）|\(.*?\)", "", word).strip().lower()
        if word and word not in words:
            words[word] = meaning

    extra = cat.financial_words or {}
    for key, spec in cat.financial_fields.items():
        for word in [spec["zh"], spec["en"], *(extra.get("fields") or {}).get(key, [])]:
            add(word, ("field", key, ""))
    for key, said in (extra.get("losses") or {}).items():  # "净亏损50万" / "net loss of RMB 500,000": -500,000
        for word in said:
            add(word, ("field", key, "loss"))
    for std in cat.standards.values():
        for it in std.items:
            for ind in (it.rule_params or {}).get("indicators") or []:
                if ind.get("unit") not in ("%", ""):
                    continue  # an amount indicator (净利润 > 0) is its figure
                meaning = ("indicator", ind["id"], ind.get("unit", ""))
                for word in [ind["name"]["zh"], ind["name"]["en"], *(extra.get("indicators") or {}).get(ind["id"], [])]:
                    add(word, meaning)
    alternatives = "|".join(
        (rf"\b{re.escape(w)}\b" if re.match(r"[a-z]", w) else re.escape(w))
        for w in sorted(words, key=len, reverse=True)
    )
    pattern = re.compile(
        rf"(?P<term>{alternatives}){_FIN_JOIN}\+?\s*(?P<val>{_CURRENCY_PRE}-?{NUM}{_CURRENCY_POST})(?P<pct>\s*[%％])?"
        rf"{_NOT_A_PERIOD}",
        re.IGNORECASE,
    )
    _fin_cache.update(catalog=cat, pattern=pattern, words=words)
    return pattern, words


def parse_financial(text: Any) -> dict:
    """Financial figures and indicator values stated in one sentence:
    ``{"figures": {field: number}, "given": {indicator id: number}}`` (figures in the unit
    said, 万 and 亿 expanded; a ``%`` indicator in percent: "负债率0.9" → 90; a plain ratio
    stated in percent is divided by 100). Never raises."""
    figures: dict[str, Any] = {}
    given: dict[str, Any] = {}
    try:
        if not isinstance(text, str):
            return {"figures": figures, "given": given}
        pattern, words = _financial_terms()
        for m in pattern.finditer(_SPOKEN_MULT.sub(r"\1\2", text[:MAX_INPUT])):  # "总资产1个亿"
            kind, key, unit = words.get(m.group("term").lower(), ("", "", ""))
            raw = m.group("val").strip()
            negative = raw.lstrip("rmbcny¥￥人民币 ").startswith("-") or unit == "loss"
            value = to_number(raw.replace("-", "", 1) if raw.lstrip("rmbcny¥￥人民币 ").startswith("-") else raw)
            if value is None:
                continue
            value = -value if negative else value
            if kind == "field" and key not in figures:
                figures[key] = value
            elif kind == "indicator" and key not in given:
                if m.group("pct") and unit == "":
                    value = _clean(value / 100)
                elif not m.group("pct") and unit == "%" and abs(value) <= 1:
                    value = _clean(value * 100)
                given[key] = value
    except Exception:  # never crash the conversation on odd input
        log.debug("financial figures of %r not read", text, exc_info=True)
    return {"figures": figures, "given": given}
