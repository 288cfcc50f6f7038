"""Which enterprise this conversation may act for: asked of the server, never
of a slot. Every action that reads or writes an enterprise's data goes
through here (logic: core/enterprise/binding.py).

    code = await bound_enterprise(tracker)         # None when not bound
    state = trusted_state(state, code)             # a flow state can't name another enterprise
    await grant(tracker, code)                     # after the key was proven / first claim
"""

from __future__ import annotations

import asyncio

from rasa_sdk import Tracker

from core.enterprise import binding


async def bound_enterprise(tracker: Tracker) -> str | None:
    return await asyncio.to_thread(binding.bound_code, tracker.sender_id)


async def grant(tracker: Tracker, code: str) -> None:
    """Bind the conversation to ``code`` (and note its channel for reminders).
    Only for a code the server itself has just verified."""
    await asyncio.to_thread(binding.bind, tracker.sender_id, code, tracker.get_latest_input_channel())


async def end(tracker: Tracker) -> None:
    await asyncio.to_thread(binding.unbind, tracker.sender_id)


def trusted_state(state: dict, bound: str | None) -> tuple[dict, bool]:
    """A flow state (kept in a slot, so client-controlled as far as the action
    server knows) keeps its enterprise only when the server has bound the
    conversation to that enterprise. Returns the state to use and whether an
    enterprise was dropped (binding expired, ended, revoked, or never there)."""
    state = dict(state or {})
    code = state.get("code")
    lost = bool(code and code != bound)
    if lost:
        state = {}
    state["bound_code"] = bound
    return state, lost


def access_ended(lang: str) -> str:
    if lang == "en":
        return (
            "This conversation no longer has access to the enterprise (unused for a while, a new conversation, "
            "or customs issued a new access key). Your answers are saved: say “resume my assessment” and give "
            "the code and access key to continue."
        )
    return (
        "本对话对该企业的访问已结束（长时间未操作、开始了新对话，或海关已重新发放访问码）。已答内容都已保存："
        "说“继续上次的评估”并输入统一社会信用代码和访问码即可继续。"
    )
