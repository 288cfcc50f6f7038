"""Free-text replies during the item-by-item walk."""

import pytest

from core.assessment.parsing import Command, chinese_to_int, parse


@pytest.mark.parametrize(
    "text,verdict",
    [
        ("达标", "达标"),
        ("符合", "达标"),
        ("是", "达标"),
        ("yes", "达标"),
        ("Meets", "达标"),
        ("ok", "达标"),
        ("✓", "达标"),
        ("我觉得达标了", "达标"),
        ("基本达标", "基本达标"),
        ("部分", "基本达标"),
        ("partly", "基本达标"),
        ("mostly", "基本达标"),
        ("部分达标", "基本达标"),
        ("不达标", "不达标"),
        ("否", "不达标"),
        ("no", "不达标"),
        ("fails", "不达标"),
        ("这项没达标", "不达标"),
        ("不符合", "不达标"),
        ("不适用", "不适用"),
        ("n/a", "不适用"),
        ("NA", "不适用"),
        ("not applicable", "不适用"),
        ("Ｎ／Ａ", "不适用"),
    ],
)
def test_verdicts(text, verdict):
    assert parse(text) == Command("verdict", verdict=verdict, text=text)


@pytest.mark.parametrize(
    "text,kind",
    [
        ("跳过", "skip"),
        ("later", "skip"),
        ("以后", "skip"),
        ("以后再说", "skip"),
        ("skip", "skip"),
        ("返回上一题", "back"),
        ("back", "back"),
        ("上一题", "back"),
        ("详细", "explain"),
        ("explain", "explain"),
        ("什么意思", "explain"),
        ("这是什么意思？", "explain"),
        ("暂停", "pause"),
        ("pause", "pause"),
        ("先到这", "pause"),
        ("今天先到这吧", "pause"),
    ],
)
def test_commands(text, kind):
    assert parse(text).kind == kind


@pytest.mark.parametrize(
    "text,item,verdict",
    [
        ("修改第18项", 18, None),
        ("改第18项", 18, None),
        ("change item 18", 18, None),
        ("改第十八项", 18, None),
        ("修改第七十四项", 74, None),
        ("第3项改为不达标", 3, "不达标"),
        ("把第二十项改成基本达标", 20, "基本达标"),
        ("回到第5题", 5, None),
        ("go to 7", 7, None),
    ],
)
def test_change(text, item, verdict):
    c = parse(text)
    assert (c.kind, c.item, c.verdict) == ("change", item, verdict)


@pytest.mark.parametrize(
    "text,opinion",
    [
        ("无保留意见", "unqualified"),
        ("保留意见", "qualified"),
        ("否定意见", "adverse"),
        ("无法表示意见", "disclaimer"),
        ("审计报告是标准无保留意见", "unqualified"),
        ("qualified opinion", "qualified"),
    ],
)
def test_audit_opinion(text, opinion):
    c = parse(text)
    assert (c.kind, c.opinion) == ("audit_opinion", opinion)


@pytest.mark.parametrize(
    "text,number,unit",
    [
        ("3500万", 35_000_000, None),
        ("0.85", 0.85, None),
        ("85%", 85, "%"),
        ("1,234.5", 1234.5, None),
        ("-12.5万", -125_000, None),
        ("2亿元", 200_000_000, None),
        ("42", 42, None),
    ],
)
def test_numbers(text, number, unit):
    c = parse(text)
    assert c.kind == "number" and c.number == pytest.approx(number) and c.unit == unit


@pytest.mark.parametrize("text", ["", "   ", "今天天气不错", "hello there", None, "第"])
def test_unknown(text):
    assert parse(text) is None


@pytest.mark.parametrize(
    "s,n", [("十八", 18), ("十", 10), ("二十", 20), ("七十四", 74), ("一百零五", 105), ("七四", 74), ("两", 2)]
)
def test_chinese_numerals(s, n):
    assert chinese_to_int(s) == n
