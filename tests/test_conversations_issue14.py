"""Issue 14 through the REST channel with the trained model: MRA partners with their
dates, what is known about 认证企业 abroad, the new topics at their true confidence,
and the diagnosis questions answered directly. Questions are worded here, apart from
the training data and the dev and held-out sets (checked below)."""

from __future__ import annotations

import pytest

from bot.nlu import training_data
from tests.conftest import reply_text

pytestmark = pytest.mark.assistant

CAVEAT = "未经官方文本核实"

PARTNERS = [
    ("咱们和布隆迪有AEO互认安排吗", ["布隆迪", "2024-05-09", "尚未见到实施公告"]),
    ("冰岛算不算中国的AEO互认伙伴", ["冰岛", "2024-05-09"]),
    ("乌干达的AEO互认哪天开始实施的", ["乌干达", "2023-06-01"]),
    ("Is Uruguay one of China's AEO mutual recognition partners?", ["Uruguay", "2022-01-26"]),
    ("哥斯达黎加和中国有AEO互认吗", ["哥斯达黎加", "2023-07-01"]),
    ("蒙古国的AEO互认是什么时候生效的", ["蒙古", "2025-06-01"]),
]

# (question, words the answer must contain, verified?) - verified answers carry no caveat.
TOPICS = [
    ("企业自己主动向海关披露违规，会记入信用记录吗", ["主动披露"], None),
    ("新的信用办法施行后，我们这种老高认企业的资格怎么过渡", ["2019年第229号", "先例"], False),
    ("严重失信信息会在网上公示几年", ["国办发〔2025〕22号", "1年", "3年"], True),
    ("国家的公共信用综合评价A、B、C、D分别是什么意思", ["国办发〔2026〕8号", "A、B、C、D"], None),
]

DIAGNOSIS = "上个月被海关罚了8万元，就这一次，会不会影响高级认证"
OVERDUE = "我们有一笔税款逾期没交，对信用有什么影响"
BAD_CODE = "帮我查一下统一社会信用代码91350100M000100Y44的信用等级"


def test_questions_here_are_not_training_examples():
    training = training_data.texts()
    mine = [q for q, _ in PARTNERS] + [q for q, _, _ in TOPICS]
    assert not [q for q in mine if q.strip().lower() in training]


@pytest.mark.parametrize("question, expected", PARTNERS)
def test_partners_with_their_dates(running_assistant, question, expected):
    out = reply_text(running_assistant.say(question))
    for part in expected:
        assert part in out, (part, out)
    assert "可能已" not in out and "may have" not in out  # no longer "unconfirmed"


def test_certified_enterprise_abroad_is_not_confirmed(running_assistant):
    out = reply_text(running_assistant.say("我们是认证企业，在国外能享受AEO互认吗"))
    assert "高级认证企业" in out and ("不能确认" in out or "无法确认" in out), out


@pytest.mark.parametrize("question, expected, verified", TOPICS)
def test_new_topics_are_cited_at_their_confidence(running_assistant, question, expected, verified):
    out = reply_text(running_assistant.say(question))
    assert "来源：" in out, out
    for part in expected:
        assert part in out, (part, out)
    if verified is True:
        assert CAVEAT not in out, out
    if verified is False:
        assert CAVEAT in out, out


def test_single_penalty_question_is_answered_directly(running_assistant):
    out = reply_text(running_assistant.say(DIAGNOSIS))
    assert "第(18)项" in out and "5万元" in out and "8亿元" in out, out
    assert "过去1年内，企业被海关行政处罚了几次" not in out


def test_overdue_tax_question_is_answered_not_a_questionnaire(running_assistant):
    out = reply_text(running_assistant.say(OVERDUE))
    assert "第(22)项" in out and "不符合" in out and "第282号令" in out, out


def test_lookup_with_a_wrong_check_character(running_assistant):
    out = reply_text(running_assistant.say(BAD_CODE))
    assert "校验位不正确" in out and "最后一位应为3" in out, out
