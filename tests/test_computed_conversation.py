"""Computed answers (issue 11) through the REST channel with the trained model: a question
that states the enterprise's figures and asks whether they pass gets the verdict worked out
with those figures, whichever intent the model picks; "详细说说" then gives that item; a
policy question with a figure in it is not taken for a check. Questions are worded here,
apart from the training data and the dev and held-out sets."""

from __future__ import annotations

import pytest

from bot.nlu import training_data
from tests.conftest import reply_text

pytestmark = pytest.mark.assistant

CHECKS = [
    (
        "海关去年查了我司40票报关单，7票查出问题，申请高级认证申报规范这条过得了吗",
        ["海关检查40票 ≤ 50票，查获7票 > 5票 → 不达标", "来源：", "第（23）项"],
    ),
    (
        "We are a trading company: total liabilities 9 million, total assets 10 million. Is our advanced debt ratio OK?",
        ["90% > 75% (non-production) → not met", "Source:"],
    ),
    (
        "去年被海关处罚2次，累计罚款9万，认证企业那条处罚次数的要求合格吗",
        ["处罚2次 ≤ 5次，罚款累计9万元 ≤ 30万元 → 达标"],
    ),
]


def test_questions_here_are_not_training_examples():
    training = training_data.texts()
    assert not [q for q, _ in CHECKS if q.strip().lower() in training]


@pytest.mark.parametrize("question, expected", CHECKS)
def test_check_questions_are_computed(running_assistant, question, expected):
    out = reply_text(running_assistant.say(question))
    for part in expected:
        assert part in out, (part, out)


def test_detail_after_a_check_gives_the_item(running_assistant):
    sender = "computed-detail"
    running_assistant.say(CHECKS[0][0], sender=sender)
    out = reply_text(running_assistant.say("详细说说", sender=sender))
    assert "报关单查获率不超过10%" in out, out


def test_a_policy_question_with_a_figure_is_not_a_check(running_assistant):
    out = reply_text(running_assistant.say("单笔罚款超过5万元的话，高级认证还能过吗"))
    assert "→" not in out, out
