"""The small text readers in front of the model (core/text.py): abuse, item numbers,
and the follow-up reader's limits (core/knowledge/context.py)."""

from __future__ import annotations

import pytest

from core.knowledge.context import follow_up, swap_part
from core.text import document_of_source, documents_in, is_hostile, parse_item_number


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
        ("74项具体怎么分布的，内控、守法、贸易安全各占几项", None),
        ("那个62项的标准是怎么构成的，每类几项", None),
        ("第74项", 74),
        ("高认18项是什么", 18),
        ("item 20 of the certified standard", 20),
        # how many indicators or items were met: a tally, not item 1 or item 2
        ("只满足1项呢？", None),
        ("自评下来内部控制2项基本达标、贸易安全2项基本达标，其他全达标，总分96，这样能过吗？", None),
        ("第3项不达标怎么办", 3),
        ("18项达标标准是啥", 18),
    ],
)
def test_a_count_of_items_is_not_an_item_number(line, number):
    assert parse_item_number(line) == number


def test_a_question_that_names_a_document_is_not_a_follow_up():
    assert follow_up("34号公告的附件原文在哪下载", []) is None
    assert follow_up("原文呢", []).kind == "more"


@pytest.mark.parametrize(
    "line, documents",
    [
        ("Decree 251: credit repair is in which article", {"decree:251"}),
        ("2018年237号令里失信企业的认定在哪一条", {"decree:237"}),
        ("海关总署令第282号", {"decree:282"}),
        ("127号公告把主动披露的期限放宽到多久", {"announcement:127"}),
        ("海关总署公告2026年第34号", {"announcement:34"}),
        ("announcement 2023 No.170 - who does it cover", {"announcement:170"}),
        ("Announcement No. 34 of 2026", {"announcement:34"}),
        ("国办发〔2026〕8号", {"guobanfa:8"}),
        ("现在的194号呢", {"decree:194", "announcement:194"}),  # a bare number: whichever kind has it
        ("第十八项是什么", set()),
        ("2026年4月1日起施行", set()),
        # "2022年73号" with no 第 and no kind: an announcement or a circular of that number
        ("那2022年73号呢", {"announcement:73", "shuqifa:73", "shujifa:73", "guobanfa:73"}),
        ("署稽发2024年36号", {"shujifa:36"}),
        ("2022年73号公告", {"announcement:73"}),
        # the number before the word, as people type it in English
        ("that 2023 No. 170 announcement about unintentional violations", {"announcement:170"}),
        ("is the No.194 notice the current one", {"announcement:194"}),
        # a bare number whose validity is asked: whichever kind has it; a figure is not a document
        ("how long is 194 valid for?", {"decree:194", "announcement:194"}),
        ("is 127 still in force?", {"decree:127", "announcement:127"}),
        ("Item no. 5 is still valid for 30 days", set()),
    ],
)
def test_documents_named_by_number_are_read(line, documents):
    assert documents_in(line) == documents


def test_a_source_id_names_its_document():
    assert document_of_source("decree_282") == "decree:282"
    assert document_of_source("announcement_2023_127") == "announcement:127"
    assert document_of_source("guobanfa_2026_8") == "guobanfa:8"
    assert document_of_source("notice_251_implementation") == ""


def test_a_follow_up_naming_another_document_swaps_it_in():
    assert swap_part("127号公告主动披露放宽到几年", "现在的194号呢") == "194号主动披露放宽到几年"
    assert swap_part("按251号令，修复申请多少天内决定", "282号令呢") == "按282号令，修复申请多少天内决定"
    assert swap_part("主动披露放宽到几年", "194号呢") is None  # nothing to swap: answered as a follow-up
    assert swap_part("127号公告主动披露放宽到几年", "那认证企业呢") is None


def test_article_numbers_are_read_and_swapped():
    from core.text import articles_in

    assert articles_in("282号令第五条讲的什么") == {5}
    assert articles_in("第三十四、三十五条") == {34}
    assert articles_in("Art. 12 and Article 5") == {12, 5}
    assert articles_in("第十八项是什么") == set()  # an item, not an article
    assert swap_part("282号令第五条讲的什么", "第八条呢") == "282号令第八条讲的什么"
    assert swap_part("高级认证标准第20项讲的是啥", "第八条呢") is None


@pytest.mark.parametrize(
    "line, kind, value",
    [
        ("认证企业的话是多少", "level", "certified"),
        ("认证企业要求是多少", "level", "certified"),
        ("非生产型的话是多少", "etype", "non_production"),
    ],
)
def test_a_level_or_type_with_de_hua_is_a_follow_up(line, kind, value):
    fu = follow_up(line, [])
    assert fu is not None and (fu.kind, fu.value) == (kind, value)


@pytest.mark.parametrize("line", ["认证企业是什么", "认证企业标准有多少项"])
def test_a_question_about_a_level_itself_is_not_a_follow_up(line):
    assert follow_up(line, []) is None


@pytest.mark.parametrize("line", ["which GACC announcement was that?", "which document set this up?", "依据哪个公告"])
def test_a_question_about_the_source_is_read_as_such(line):
    fu = follow_up(line, [])
    assert fu is not None and fu.kind == "source"


@pytest.mark.parametrize(
    "said, meant",
    [
        ("item eighteen", "item 18"),
        ("eighty-five percent", "85 percent"),
        ("under decree two fifty-one", "under decree 251"),
        ("what about the one before, one twenty-seven", "what about the one before, 127"),
        ("back in twenty nineteen", "back in 2019"),
        ("ISO twenty-seven thousand one", "ISO 27001"),
        ("a cash ratio of zero point eight", "a cash ratio of 0.8"),
        ("three hundred thousand yuan", "300000 yuan"),
        # a lone small number word stays: a pronoun, or written in words in the knowledge too
        ("which one is it", "which one is it"),
        ("the five levels", "the five levels"),
    ],
)
def test_numbers_said_in_words_are_read_as_digits(said, meant):
    """A voice kiosk's transcript spells numbers out; the answering code reads them as digits."""
    from core.text import as_meant

    assert as_meant(said) == meant


@pytest.mark.parametrize(
    "said, meant",
    [
        ("二五一号令那会儿", "251号令那会儿"),
        ("二零二六年第几号公告", "2026年第几号公告"),
        ("流动比率要百分之九十五", "流动比率要95%"),
        ("三十天内复核", "30天内复核"),
        ("超过二十万的那种能有几次", "超过20万的那种能有几次"),
        ("超过六个月两年以内", "超过6个月2年以内"),
        ("被罚了一笔六万块", "被罚了一笔6万块"),
        # what the rules write in words, or is not a number said, stays ("十万" alone: 十 is also "very")
        ("十万", "十万"),
        ("第三十条", "第三十条"),
        ("一般认证企业一年里面", "一般认证企业一年里面"),
        ("这个十分重要", "这个十分重要"),
        ("千分之一", "千分之一"),
        ("信用分五级", "信用分五级"),
        ("四五天", "四五天"),
    ],
)
def test_chinese_numbers_said_in_words_are_read_as_digits(said, meant):
    """A kiosk transcript writes numbers in Chinese words; where the rules write digits, they are read as
    digits."""
    from core.text import as_meant

    assert as_meant(said) == meant
