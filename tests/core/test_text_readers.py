"""The small text readers in front of the model (core/text.py): abuse, item numbers,
and the follow-up reader's limits (core/knowledge/context.py)."""

from __future__ import annotations

import pytest

from core.knowledge.context import follow_up
from core.text import is_hostile, parse_item_number


@pytest.mark.parametrize(
    "line",
    ["进口固体废物有什么要求", "走私洋垃圾会被认定严重失信吗", "危险废物出口受处罚算失信吗", "滚装船的货怎么查验"],
)
def test_customs_words_are_not_insults(line):
    assert not is_hostile(line)


@pytest.mark.parametrize("line", ["你是垃圾", "废物", "滚", "you are useless"])
def test_insults_are_still_insults(line):
    assert is_hostile(line)


@pytest.mark.parametrize(
    "line, number",
    [
        ("高级认证标准74项是哪几类", None),
        ("认证企业标准62项包括哪些", None),
        ("高级认证企业标准有74项吗", None),
        ("第74项", 74),
        ("高认18项是什么", 18),
        ("item 20 of the certified standard", 20),
    ],
)
def test_a_count_of_items_is_not_an_item_number(line, number):
    assert parse_item_number(line) == number


def test_a_question_that_names_a_document_is_not_a_follow_up():
    assert follow_up("34号公告的附件原文在哪下载", []) is None
    assert follow_up("原文呢", []).kind == "more"
