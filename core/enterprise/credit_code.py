"""统一社会信用代码 (unified social credit code) per GB 32100-2015 (no Rasa import).

Structure (18 characters):
  1     登记管理部门代码 (registration authority)
  2     机构类别代码 (organisation category)
  3-8   登记管理机关行政区划码 (administrative division code, 6 digits)
  9-17  主体标识码 (organisation code, GB 11714)
  18    校验码 (check character)
Charset: 0-9 and A-H J-N P-R T-U W-Y (no I, O, S, V, Z). Check character: weights
3^(i-1) mod 31, C18 = 31 - (sum(weights * values) mod 31), 31 -> 0.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(CHARSET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714 organisation code check
_ORG_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_SEPARATORS = re.compile(r"[\s\-_—–·.]+")


@dataclass(frozen=True)
class CodeCheck:
    valid: bool
    code: str  # normalised input
    reason: dict | None = None  # {"code": ..., "zh": ..., "en": ...} when invalid

    def __bool__(self) -> bool:
        return self.valid


def normalize(text: str) -> str:
    """Strip, full-width -> half-width (NFKC), drop spaces and dashes, upper-case."""
    if text is None:
        return ""
    t = unicodedata.normalize("NFKC", str(text))
    t = _SEPARATORS.sub("", t)
    return t.upper()


def check_character(first17: str) -> str:
    """The 18th character for a 17-character prefix (must be in CHARSET)."""
    total = sum(_VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=False))
    return CHARSET[(31 - total % 31) % 31]


def _reason(code: str, zh: str, en: str) -> dict:
    return {"code": code, "zh": zh, "en": en}


def check(text: str) -> CodeCheck:
    """Validate; returns a CodeCheck with a zh/en reason when invalid."""
    code = normalize(text)
    if not code:
        return CodeCheck(
            False, code, _reason("empty", "没有输入统一社会信用代码。", "No unified social credit code was given.")
        )
    if len(code) != 18:
        return CodeCheck(
            False,
            code,
            _reason(
                "length",
                f"统一社会信用代码应为18位，输入的是{len(code)}位。",
                f"A unified social credit code has 18 characters; this one has {len(code)}.",
            ),
        )
    bad = [c for c in code if c not in _VALUE]
    if bad:
        chars = "、".join(dict.fromkeys(bad))
        return CodeCheck(
            False,
            code,
            _reason(
                "charset",
                f"含有不允许的字符：{chars}（代码只用数字和除I、O、S、V、Z以外的大写字母）。",
                f"Contains characters that are not allowed: {', '.join(dict.fromkeys(bad))} "
                f"(only digits and capital letters other than I, O, S, V, Z are used).",
            ),
        )
    if not code[2:8].isdigit():
        return CodeCheck(
            False,
            code,
            _reason(
                "division",
                "第3—8位应为6位数字的行政区划码。",
                "Characters 3-8 must be the 6-digit administrative division code.",
            ),
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        return CodeCheck(
            False,
            code,
            _reason(
                "check_char",
                f"校验位不正确（最后一位应为{expected}），请核对是否输错。",
                f"The check character is wrong (the last character should be {expected}); please check for a typo.",
            ),
        )
    return CodeCheck(True, code, None)


def is_valid(text: str) -> bool:
    return check(text).valid


def validate(text: str) -> str:
    """The normalised code, or ValueError with the zh/en reason."""
    res = check(text)
    if not res.valid:
        raise InvalidCreditCode(res)
    return res.code


class InvalidCreditCode(ValueError):
    def __init__(self, res: CodeCheck):
        self.result = res
        self.reason = res.reason
        self.field = "enterprise_code"
        reason = res.reason or {"zh": "统一社会信用代码无效。", "en": "Invalid unified social credit code."}
        super().__init__(f"{reason['en']} / {reason['zh']}")


def _org_code(rng: random.Random) -> str:
    body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    s = sum(_ORG_CHARS.index(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=False))
    c = 11 - s % 11
    return body + ("0" if c == 11 else "X" if c == 10 else str(c))


def generate(seed: int | None = None, authority: str = "9", category: str = "1", division: str = "310000") -> str:
    """A syntactically valid code (for tests and demos; not a real enterprise).
    Defaults: 9 = 工商 registration, 1 = enterprise, 310000 = 上海."""
    rng = random.Random(seed)
    first17 = authority + category + division + _org_code(rng)
    assert len(first17) == 17 and all(c in _VALUE for c in first17), first17
    return first17 + check_character(first17)
