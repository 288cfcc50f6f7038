"""Parse a user's free-text reply during the item-by-item self-assessment (no Rasa import).

    parse("基本达标")        -> Command("verdict", verdict="基本达标")
    parse("改第十八项")      -> Command("change", item=18)
    parse("把第3项改成不达标") -> Command("change", item=3, verdict="不达标")
    parse("保留意见")        -> Command("audit_opinion", opinion="qualified")
    parse("3500万")          -> Command("number", number=35000000.0)
    parse("今天天气不错")     -> None   (the caller asks again)

Kinds: verdict | skip | back | change | explain | pause | audit_opinion | number.
Verdicts are 达标 / 基本达标 / 不达标 / 不适用 (符合 / 不符合 map to 达标 / 不达标; scoring.py turns
them into 符合 / 不符合 on additional items).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from core.standards.financial import parse_audit_opinion
from core.text import chinese_to_int

MET, BASIC, NOT_MET, NA = "达标", "基本达标", "不达标", "不适用"


@dataclass(frozen=True)
class Command:
    kind: str
    verdict: str | None = None
    item: int | None = None
    opinion: str | None = None
    number: float | None = None
    unit: str | None = None  # "%" when the number was given as a percentage
    text: str = ""


# --------------------------------------------------------------------------- numerals

_NUM = r"([0-9]{1,3}|[零〇一二两三四五六七八九十百]{1,5})"  # ASCII digits only (NFKC maps full-width ones)


def _to_int(s: str) -> int | None:
    return int(s) if s.isascii() and s.isdigit() else chinese_to_int(s)


# --------------------------------------------------------------------------- patterns


def _clean(text: str) -> str:
    t = unicodedata.normalize("NFKC", text or "").strip().lower()
    return re.sub(r"\s+", " ", t)


_STRIP = re.compile(r"[\s,.!?;:'\"()\[\]，。！？；：、“”‘’（）【】~～…]+")

_CHANGE = [
    re.compile(
        r"(?:修改|更改|改正|重新回答|重答|改一下|改|回到|返回到?|跳到|跳转到?)\s*第?\s*" + _NUM + r"\s*(?:项|题|条|个)"
    ),
    re.compile(r"(?:把|将)?\s*第\s*" + _NUM + r"\s*(?:项|题|条)\s*(?:的答案)?\s*(?:改|修改|更改|换)"),
    re.compile(
        r"\b(?:change|edit|modify|redo|go to|goto|back to)\s+(?:item|question|no\.?|number|#)?\s*#?([0-9]{1,3})\b"
    ),
]
_BACK = re.compile(r"^(?:返回上一[题项个]|回到上一[题项个]|上一[题项个]|返回|后退|回退|back|previous|go back|prev)$")
_SKIP = re.compile(
    r"^(?:跳过|略过|先跳过|这题跳过|以后|以后再说|以后再答|稍后|稍后再答|待会儿?再说|later|skip|next|pass|下一[题项个]|不知道|不清楚|不确定|don't know|dont know|not sure)$"
)
_PAUSE = re.compile(
    r"(?:暂停|先到这|今天先到这|先这样|下次再|改天再|休息一下|stop for now|pause|take a break|continue later|save and exit)"
)
_EXPLAIN = re.compile(
    r"(?:详细|详情|解释|说明一下|什么意思|啥意思|是什么意思|怎么理解|不懂|看不懂|举个?例|explain|what does (?:it|this) mean|what do you mean|details?|more info|meaning|^\?+$|^？+$)"
)

_VERDICT_EXACT = {
    # 达标
    "达标": MET,
    "符合": MET,
    "是": MET,
    "是的": MET,
    "对": MET,
    "已达标": MET,
    "满足": MET,
    "合格": MET,
    "yes": MET,
    "y": MET,
    "meets": MET,
    "meet": MET,
    "met": MET,
    "ok": MET,
    "okay": MET,
    "compliant": MET,
    "✓": MET,
    "✔": MET,
    "√": MET,
    "☑": MET,
    "1": None,
    # 基本达标
    "基本达标": BASIC,
    "部分": BASIC,
    "部分达标": BASIC,
    "部分符合": BASIC,
    "基本符合": BASIC,
    "基本": BASIC,
    "大部分": BASIC,
    "差不多": BASIC,
    "partly": BASIC,
    "partially": BASIC,
    "mostly": BASIC,
    "partial": BASIC,
    "basically": BASIC,
    "basically meets": BASIC,
    "mostly meets": BASIC,
    # 不达标
    "不达标": NOT_MET,
    "不符合": NOT_MET,
    "否": NOT_MET,
    "不是": NOT_MET,
    "不满足": NOT_MET,
    "未达标": NOT_MET,
    "没达标": NOT_MET,
    "不合格": NOT_MET,
    "不行": NOT_MET,
    "no": NOT_MET,
    "n": NOT_MET,
    "fails": NOT_MET,
    "fail": NOT_MET,
    "not met": NOT_MET,
    "does not meet": NOT_MET,
    "doesn't meet": NOT_MET,
    "✗": NOT_MET,
    "✘": NOT_MET,
    "×": NOT_MET,
    "x": NOT_MET,
    # 不适用
    "不适用": NA,
    "n/a": NA,
    "na": NA,
    "not applicable": NA,
    "无关": NA,
    "不涉及": NA,
    "没有这项业务": NA,
}
_VERDICT_EXACT = {k: v for k, v in _VERDICT_EXACT.items() if v}

# contained phrases, most specific first
_VERDICT_CONTAINS = [
    (re.compile(r"不适用|不涉及|not applicable|\bn/?a\b"), NA),
    (re.compile(r"基本达标|部分达标|基本符合|部分符合|basically meets?|partly|partially|mostly"), BASIC),
    (
        re.compile(r"不达标|未达标|没达标|没有达标|不符合|未符合|不满足|达不到|\bfails?\b|does ?n[o']t meet|not met"),
        NOT_MET,
    ),
    (re.compile(r"达标|符合|满足|\bmeets?\b"), MET),
]

_NUMBER = re.compile(r"^([-+]?[0-9]+(?:\.[0-9]+)?)\s*(%|％|万元|万|亿元|亿|元|千元)?$")
_MULT = {None: 1, "元": 1, "千元": 1e3, "万": 1e4, "万元": 1e4, "亿": 1e8, "亿元": 1e8}


def parse(text: str) -> Command | None:
    """Parse one reply; None when it is not understood."""
    if not isinstance(text, str):
        return None
    raw = text
    t = _clean(text)
    if not t:
        return None
    compact = _STRIP.sub("", t)
    bare = t.strip(" ,.!?;:，。！？；：、")

    # change N (before back: "返回到第3项")
    for pat in _CHANGE:
        m = pat.search(t)
        if m:
            n = _to_int(m.group(1))
            if n:
                rest = t[m.end() :]
                v = _verdict(_STRIP.sub("", rest), rest) if rest.strip() else None
                return Command("change", item=n, verdict=v, text=raw)
    if _BACK.match(bare) or _BACK.match(compact):
        return Command("back", text=raw)
    if _SKIP.match(bare) or _SKIP.match(compact):
        return Command("skip", text=raw)
    if _PAUSE.search(t):
        return Command("pause", text=raw)
    if _EXPLAIN.search(t):
        return Command("explain", text=raw)

    # audit opinion words (before verdicts: 否定意见 contains 否)
    if "意见" in t or re.search(r"\b(?:unqualified|qualified|adverse|disclaimer|unmodified)\b", t):
        op = parse_audit_opinion(t)
        if op:
            return Command("audit_opinion", opinion=op, text=raw)

    # numbers (financial figures, ratios)
    m = _NUMBER.match(re.sub(r"[\s,，]", "", bare))
    if m:
        if m.group(2) in ("%", "％"):
            return Command("number", number=float(m.group(1)), unit="%", text=raw)
        return Command("number", number=float(m.group(1)) * _MULT.get(m.group(2), 1), text=raw)

    v = _verdict(compact, t)
    if v:
        return Command("verdict", verdict=v, text=raw)
    return None


def _verdict(compact: str, spaced: str) -> str | None:
    for key in (compact, spaced.strip(" ,.!?;:，。！？；：、")):
        if key in _VERDICT_EXACT:
            return _VERDICT_EXACT[key]
    for pat, v in _VERDICT_CONTAINS:
        if pat.search(spaced) or pat.search(compact):
            return v
    return None
