"""What the assistant tells the enterprise about its case."""

from __future__ import annotations

import datetime as dt

from core.cases.hours import OfficeHours, reply_time_text

# Channels that can push a message unprompted (bot/channels/wechat.py: MP, WECOM).
PUSH_CHANNELS = ("wechat_mp", "wecom")


def opened(
    number: str, page_url: str, lang: str, channel: str, hours: OfficeHours, now: dt.datetime | None = None
) -> str:
    push = channel in PUSH_CHANNELS
    when = reply_time_text(hours, lang, now)
    if lang == "zh":
        where = "答复会直接推送到本微信对话。" if push else "答复会显示在本对话中（下次打开对话时也会显示）。"
        return (
            f"已为您转人工，案件编号 {number}。{when}\n{where}\n"
            f"也可随时在此页面查看进度和答复：{page_url}\n急事请拨打海关12360服务热线。"
        )
    where = (
        "The answer will be sent to this chat."
        if push
        else "The answer will appear in this conversation (also when you next open it)."
    )
    return (
        f"Your question has been passed to an officer: case number {number}. {when}\n{where}\n"
        f"You can also check the case and its answer on this page: {page_url}\nFor urgent matters call the customs 12360 hotline."
    )


def answer(number: str, text: str, lang: str) -> str:
    if lang == "zh":
        return f"【海关关员答复 · 案件 {number}】\n{text}"
    return f"[Answer from a customs officer · case {number}]\n{text}"


def nothing_to_ask(lang: str) -> str:
    return (
        "请先告诉我您的问题（一句话即可），再说“转人工”，我会把问题转给关员。"
        if lang == "zh"
        else "Please tell me your question first (one sentence is enough), then say “talk to a person” and I will pass it to an officer."
    )
