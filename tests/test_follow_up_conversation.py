"""Follow-ups added in the third round of issue 11, through the REST channel with the
trained model: questions about the previous answer itself (its source, whether it is
verified), an aspect that another topic answers ("需要多长时间" after "怎么申请"), "the
other level", and a short line the model is unsure of, read in its conversation.
Worded here, apart from the training data and the dev and held-out sets."""

from __future__ import annotations

import uuid

import pytest

from bot.nlu import training_data
from tests.conftest import reply_text

pytestmark = pytest.mark.assistant

CONVERSATIONS = [
    # (turns, what the last reply must contain, what it must not)
    (["系统里的进出口数据要留存多少年", "这是依据哪个公告"], ["2026年第34号", "出处"], []),
    (["系统里的进出口数据要留存多少年", "这个是官方核实过的吗"], ["未经官方文本核实"], []),
    (["我们想申请高级认证，该怎么做", "大概要多长时间"], ["90日", "未核实"], []),
    (["How many items does the advanced certified standard have in total?", "and the other level?"], ["62"], []),
    (["What is the rule for seals on containers?", "which document says that?"], ["No. 34 of 2026"], []),
    # lay English for voluntary disclosure (the model read it as credit repair or objection before),
    # and a guard for the measures of dishonest enterprises asked in lay words
    (
        ["we discovered we underpaid duty last quarter; if we own up to customs now, do we avoid a fine?"],
        ["6 months"],
        [],
    ),
    (["What happens to a discredited firm at the border, how many of its containers get opened?"], ["Decree 251"], []),
]


def test_lines_here_are_not_training_examples():
    training = training_data.texts()
    assert not [t for turns, _, _ in CONVERSATIONS for t in turns if t.strip().lower() in training]


@pytest.mark.parametrize("turns, expected, unexpected", CONVERSATIONS)
def test_follow_ups_in_their_conversation(running_assistant, turns, expected, unexpected):
    sender = f"fu-{uuid.uuid4().hex[:8]}"
    for t in turns[:-1]:
        running_assistant.say(t, sender=sender)
    out = reply_text(running_assistant.say(turns[-1], sender=sender))
    for part in expected:
        assert part in out, (part, out)
    for part in unexpected:
        assert part not in out, (part, out)


def test_a_sure_off_topic_line_in_a_conversation_is_still_redirected(running_assistant):
    sender = f"fu-{uuid.uuid4().hex[:8]}"
    running_assistant.say("系统里的进出口数据要留存多少年", sender=sender)
    out = reply_text(running_assistant.say("推荐一家好吃的餐厅", sender=sender))
    assert "来源" not in out, out
