"""A self-assessment outcome told in a sentence, scored by the rule set (no Rasa import).

"我们自评下来：贸易安全有4项基本达标，其他全部达标，没有不达标项，能通过吗" states how many items
of which dimension were 基本达标 or 不达标; the answer is the default rule set's verdict on exactly
that outcome, computed by :func:`core.standards.scoring.score` (the same engine as the guided
self-assessment), with the conditions that fail and the rule set's source:

    按默认评分规则：总分96分；不能通过：内部控制和贸易安全中基本达标4项，超过3项。

``outcome`` returns None when the line does not state such counts or does not ask whether they
pass, or when a 基本达标 count names no dimension (the "at most 3 in 内部控制 and 贸易安全" condition
then cannot be judged).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.standards import catalogue, scoring
from core.text import cn_to_number

_NUM = r"(\d{1,2}|[一二两三四五六七八九十]{1,2})"

# the dimension a count is of, by the words before it
DIMENSIONS = {
    "内部控制": re.compile(r"内部控制|内控|(?i:internal[- ]control)"),
    "财务状况": re.compile(r"财务状况|财务|(?i:financial|finance)"),
    "守法规范": re.compile(r"守法规范|守法|(?i:compliance|law[- ]abiding)"),
    "贸易安全": re.compile(r"贸易安全|(?i:trade[- ]security|security)"),
}


def _zh_count(verdict: str) -> re.Pattern:
    """ "4项基本达标" / "基本达标4项" (``verdict`` as a pattern, e.g. 不达标 not after 基本)."""
    return re.compile(
        rf"(?:有|共|是|存在)?{_NUM}\s*(?:个|项|条)(?:是|为)?{verdict}|{verdict}(?:的)?(?:有|共|是)?{_NUM}\s*(?:个|项|条)"
    )


def _en_count(verdict: str) -> re.Pattern:
    """ "3 internal control items basically met" (``verdict`` as a pattern)."""
    return re.compile(rf"(?i)\b{_NUM}\s+(?:[a-z-]+\s+){{0,2}}?(?:items?\s+)?(?:are\s+|were\s+|as\s+)?{verdict}")


_BASIC_ZH, _FAIL_ZH = _zh_count("基本达标"), _zh_count("(?<!基本)不达标")
_BASIC_EN = _en_count(r"['\"‘“]?basically[- ]met\b")
_FAIL_EN = _en_count(r"(?:['\"‘“]?not[- ]met\b|failed\b|failing\b|fails?\b)")
_NO_FAIL = re.compile(
    r"没有不达标|无不达标|不达标(?:项)?(?:为|是)?(?:0|零|没有)|(?i:\bno (?:failed|failing|'?not met'?) items?\b|\bnothing failed\b)"
)
_ASKS = re.compile(
    r"能(?:不能)?通过|能过|过得了|通过吗|能否通过|可以通过|过不过|算通过|总分多少|多少分"
    r"|(?i:\b(?:do|would|will|can|could) (?:we|i|it|that) (?:still )?pass\b|\bpass(?:ed)?\s*\?|\bwhat(?:'s| is| would be) (?:our|the) (?:total|score)\b)"
)
# the line names a dimension this far before its count at most
_DIM_REACH = 12


@dataclass
class Outcome:
    standard: str
    total: float
    passed: bool
    failed: list  # the failed conditions' messages, in the line's language
    counts: dict  # {(dimension, verdict): n}
    rule_set: dict


def _n(s: str) -> int:
    return int(s) if s.isdigit() else (cn_to_number(s) or 0)


def _counts(text: str, lang: str) -> dict | None:
    """{(dimension or "", verdict): n} the line states; None when it states none."""
    found: dict = {}
    pairs = (
        ((_BASIC_ZH, scoring.BASIC), (_FAIL_ZH, scoring.NOT_MET))
        if lang == "zh"
        else ((_BASIC_EN, scoring.BASIC), (_FAIL_EN, scoring.NOT_MET))
    )
    for rx, verdict in pairs:
        for m in rx.finditer(text):
            number = next(g for g in m.groups() if g)
            before = text[max(0, m.start() - _DIM_REACH) : m.end()]  # ("3 internal control items …")
            dims = [(mm.end(), d) for d, drx in DIMENSIONS.items() for mm in drx.finditer(before)]
            dim = max(dims)[1] if dims else ""
            found[(dim, verdict)] = found.get((dim, verdict), 0) + _n(number)
    return found or None


def outcome(text: str, lang: str, level: str = "") -> Outcome | None:
    text = text or ""
    if not _ASKS.search(text) or not (counts := _counts(text, lang)):
        return None
    if any(dim == "" and verdict == scoring.BASIC for dim, verdict in counts):
        return None
    if _NO_FAIL.search(text) and any(v == scoring.NOT_MET and n for (_d, v), n in counts.items()):
        return None  # told both ways: not a stated outcome we can read
    standard = level if level in ("advanced", "certified") else "advanced"
    std = catalogue.get_standard(standard)
    general = [it for it in std.items if not it.additional]
    answers = {it.number: scoring.MET for it in general}
    taken: set = set()
    for (dim, verdict), n in sorted(counts.items(), key=lambda x: x[0][0] == ""):
        pool = [it.number for it in general if (not dim or it.dimension == dim) and it.number not in taken]
        if n > len(pool):
            return None
        for number in pool[:n]:
            answers[number] = verdict
            taken.add(number)
    result = scoring.score(standard, answers)
    failed = [c["message"][lang] for c in result.failed_conditions if c["code"] != "incomplete"]
    return Outcome(
        standard=standard,
        total=result.total,
        passed=not failed,
        failed=failed,
        counts=counts,
        rule_set=result.rule_set,
    )
