"""What the assistant says around feedback: the 有帮助 / 没帮助 prompt after an
answer, the reasons after a 没帮助, and the thanks. Buttons carry payloads
(``/feedback{...}``) that every channel sends back as they are: the widget and
kiosk as buttons, WeChat / WeCom as numbered options."""

from __future__ import annotations

import json

from core.feedback.store import REASONS

# Answer kinds that get the 有帮助 / 没帮助 prompt.
RATED_KINDS = ("answer", "item", "partner")
HUMAN = "human"


def _payload(intent: str, **entities: str) -> str:
    return "/" + intent + json.dumps(entities, ensure_ascii=False, separators=(",", ":"))


def prompt(answer_id: str, lang: str) -> dict:
    """The custom message after an answer: {"type": "feedback", "answer_id", "text", "buttons"}."""
    zh = lang == "zh"
    return {
        "type": "feedback",
        "answer_id": answer_id,
        "text": "这个回答有帮助吗？" if zh else "Was this answer helpful?",
        "buttons": [
            {"title": "有帮助" if zh else "Helpful", "payload": _payload("feedback", answer_id=answer_id, rating="up")},
            {
                "title": "没帮助" if zh else "Not helpful",
                "payload": _payload("feedback", answer_id=answer_id, rating="down"),
            },
        ],
    }


def ask_reason(answer_id: str, lang: str) -> tuple[str, list]:
    zh = lang == "zh"
    text = (
        "谢谢反馈，我们会据此改进。能说说哪里不好吗？也可以请关员人工解答。"
        if zh
        else "Thanks, we will use this to improve. What was wrong? You can also ask an officer to answer."
    )
    buttons = [
        {"title": label[lang], "payload": _payload("feedback", answer_id=answer_id, reason=key)}
        for key, label in REASONS.items()
    ]
    buttons.append(
        {"title": "请人工解答" if zh else "Ask an officer", "payload": _payload("human_handoff", answer_id=answer_id)}
    )
    return text, buttons


def thanks(lang: str, positive: bool) -> str:
    if positive:
        return (
            "谢谢您的反馈！还有其他问题可以随时问我。"
            if lang == "zh"
            else "Thanks for your feedback! Ask me anything else."
        )
    return (
        "已记录，谢谢。编辑会复核这个回答；需要人工解答请说“转人工”。"
        if lang == "zh"
        else "Noted, thank you. An editor will review this answer; say “talk to a person” if you need an officer."
    )


def not_found(lang: str) -> str:
    return (
        "这条反馈对应的回答不在本次对话中，没有记录。"
        if lang == "zh"
        else "That feedback does not belong to an answer in this conversation, so it was not recorded."
    )
