"""Helpers shared by the Rasa actions: language, sending replies, safe failure."""

from __future__ import annotations

import functools
import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from core.replies import Reply
from core.text import detect_language

logger = logging.getLogger(__name__)


def user_text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def language(tracker: Tracker) -> str:
    """The user's language for this turn: the message's own language, or the
    remembered language when the message is a button payload, has no words or is no clear
    signal (core.text.detect_language, strict once a language is set)."""
    text = user_text(tracker)
    ui = ((tracker.latest_message or {}).get("metadata") or {}).get("language")
    slot = tracker.get_slot("language")
    remembered = slot or (ui if ui in ("zh", "en") else "zh")
    if not text or text.startswith("/"):
        # A button payload has no words: the page's language, else the last one used.
        return ui if ui in ("zh", "en") else remembered
    # Once the conversation has a language it changes only on a clear signal (a whole sentence
    # or an explicit switch): a key, an English company name or "ok" keep it.
    return detect_language(text, default=remembered, strict=slot in ("zh", "en"))


def language_events(tracker: Tracker, lang: str) -> list:
    return [] if tracker.get_slot("language") == lang else [SlotSet("language", lang)]


def send(dispatcher: CollectingDispatcher, reply: Reply | None) -> None:
    """The one way a reply reaches the user: its text with its buttons, then each
    link and attachment as a custom message."""
    if reply is None:
        return
    kwargs: dict[str, Any] = {"text": reply.text}
    if reply.buttons:
        kwargs["buttons"] = reply.buttons
    dispatcher.utter_message(**kwargs)
    # Wrapped in "data": Rasa 3.6's socket.io channel cannot emit a bare dict.
    for item in reply.links:
        dispatcher.utter_message(json_message={"data": {"type": "link", **item}})
    for item in reply.attachments:
        dispatcher.utter_message(json_message={"data": item})


def entity_values(tracker: Tracker, name: str) -> list:
    out = []
    for ent in (tracker.latest_message or {}).get("entities", []) or []:
        if ent.get("entity") == name and ent.get("value") not in (None, ""):
            out.append(ent["value"])
    return out


def first_entity(tracker: Tracker, name: str) -> Any | None:
    values = entity_values(tracker, name)
    return values[0] if values else None


SORRY = {
    "zh": "抱歉，系统暂时出了点问题，这次没能回答。请稍后再试；急事可拨打海关12360服务热线。",
    "en": "Sorry, something went wrong on our side and I couldn't answer this time. Please try again shortly; for urgent matters call the customs 12360 hotline.",
}


def safe_run(func):
    """Wrap ``Action.run``: any unexpected error becomes a polite reply and a log
    line, never silence."""

    @functools.wraps(func)
    async def wrapper(self, dispatcher, tracker, domain):
        try:
            return await func(self, dispatcher, tracker, domain)
        except Exception:
            logger.exception("action %s failed", self.name())
            send(dispatcher, Reply(SORRY[language(tracker)], kind="error"))
            return []

    return wrapper
