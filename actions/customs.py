"""Rasa glue for the customs side: the answer log and 有帮助 / 没帮助 feedback,
and hand-off cases (转人工). The logic is in core/feedback and core/cases."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import first_entity, language, language_events, safe_run, send, user_text
from core.cases import messages as case_messages
from core.cases import store as cases
from core.cases.hours import OfficeHours
from core.cultivation import store as cultivation
from core.enterprise import binding
from core.enterprise.session import enterprise_name
from core.feedback import messages as fb_messages
from core.feedback import store as feedback
from core.knowledge import smalltalk
from core.replies import Reply

logger = logging.getLogger(__name__)


def channel_of(tracker: Tracker) -> str:
    """The channel the message came from: the gateway's and widgets' metadata, else Rasa's input channel."""
    meta = (tracker.latest_message or {}).get("metadata") or {}
    ch = meta.get("channel")
    if isinstance(ch, str) and ch.strip():
        return ch.strip()[:20]
    return (tracker.get_latest_input_channel() or "")[:20]


def consenting_enterprise(tracker: Tracker) -> tuple[str | None, str | None]:
    """(code, name) of the enterprise this conversation is bound to on the server (never a
    slot), only when it consented to share with customs; (None, None) otherwise."""
    code = binding.bound_code(tracker.sender_id, touch=False)  # a read: no write on every answer
    if not code:
        return None, None
    try:
        if cultivation.has_consent(code):
            return code, enterprise_name(code)
    except ValueError:
        pass
    return None, None


def send_answer(dispatcher: CollectingDispatcher, tracker: Tracker, reply: Reply, lang: str) -> None:
    """Send an answer, log it with the entries it showed, and (for real answers) ask
    有帮助 / 没帮助. Logging never stops the answer."""
    send(dispatcher, reply)
    text = user_text(tracker)
    if text.startswith("/"):
        return  # a button payload: the question was asked (and logged) before
    try:
        code, _ = consenting_enterprise(tracker)
        public_id = feedback.record_answer(
            tracker.sender_id,
            text,
            reply.kind,
            entry_ids=list(reply.entry_ids or []),
            lang=lang,
            channel=channel_of(tracker),
            enterprise_code=code,
        )
    except Exception:
        logger.exception("could not log the answer")
        return
    if reply.kind in fb_messages.RATED_KINDS:
        # Wrapped in "data": Rasa 3.6's socket.io channel cannot emit a bare dict.
        dispatcher.utter_message(json_message={"data": fb_messages.prompt(public_id, lang)})


class ActionFeedback(Action):
    """/feedback{"answer_id": ..., "rating": "up"|"down"} or {"answer_id", "reason"}."""

    def name(self) -> str:
        return "action_feedback"

    @safe_run
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        lang = language(tracker)
        answer_id = str(first_entity(tracker, "answer_id") or "")
        rating = first_entity(tracker, "rating")
        reason = first_entity(tracker, "reason")
        if not answer_id:
            # Typed ("没帮助") rather than tapped: rate the latest answer of this conversation.
            answer_id = _latest_answer_id(tracker) or ""
            if rating is None and reason is None:
                rating = "down" if _sounds_negative(user_text(tracker)) else "up"
        try:
            saved = feedback.record_feedback(
                answer_id,
                tracker.sender_id,
                rating=str(rating) if rating is not None else None,
                reason=str(reason) if reason is not None else None,
            )
        except ValueError:
            saved = None
        if saved is None:
            dispatcher.utter_message(text=fb_messages.not_found(lang))
        elif rating == "down" and reason is None:
            text, buttons = fb_messages.ask_reason(answer_id, lang)
            dispatcher.utter_message(text=text, buttons=buttons)
        else:
            dispatcher.utter_message(text=fb_messages.thanks(lang, saved["rating"] == "up"))
        return language_events(tracker, lang)


def _sounds_negative(text: str) -> bool:
    low = text.lower()
    return any(w in low for w in ("没帮助", "没用", "不对", "不行", "不好", "not helpful", "wrong", "useless", "bad"))


def _latest_answer_id(tracker: Tracker) -> str | None:
    for e in reversed(tracker.events):
        if e.get("event") == "bot":
            data = (e.get("data") or {}).get("custom") or {}
            data = data.get("data", data) if isinstance(data, dict) else {}
            if isinstance(data, dict) and data.get("type") == "feedback":
                return data.get("answer_id")
    return None


def _turns(tracker: Tracker) -> list:
    out = []
    for e in tracker.events:
        if e.get("event") == "user":
            t = e.get("text") or ""
            if t and not t.startswith("/"):
                out.append({"from": "user", "text": t})
        elif e.get("event") == "bot" and e.get("text"):
            out.append({"from": "bot", "text": e["text"]})
    return out


class ActionHandoff(Action):
    """转人工 (or 没帮助 → 请人工解答): open a case an officer answers on the officer page."""

    def name(self) -> str:
        return "action_handoff"

    @safe_run
    async def run(self, dispatcher, tracker, domain):
        lang = language(tracker)
        sender = tracker.sender_id
        answer_id = first_entity(tracker, "answer_id")
        turns = _turns(tracker)
        if turns and turns[-1]["from"] == "user" and not user_text(tracker).startswith("/"):
            turns = turns[:-1]  # the 转人工 itself
        question = ""
        if answer_id:
            rated = feedback.get_answer(str(answer_id), sender)
            question = rated["question"] if rated else ""
        if not question:
            question = next((t["text"] for t in reversed(turns) if t["from"] == "user"), "")
        if not question:
            code = tracker.get_slot("enterprise_code") or ""
            name = tracker.get_slot("enterprise_name") or ""
            reply = smalltalk.handoff(lang, [], f"{name} {code}".strip())
            send(dispatcher, Reply(text=case_messages.nothing_to_ask(lang) + "\n\n" + reply.text, kind="handoff"))
            return language_events(tracker, lang)
        code, name = consenting_enterprise(tracker)
        channel = channel_of(tracker)
        case, token = cases.open_case(
            sender,
            question,
            transcript=turns,
            channel=channel,
            lang=lang,
            enterprise_code=code,
            enterprise_name=name,
            answer_public_id=str(answer_id) if answer_id else None,
        )
        from core.assessment.flow import report_base_url

        page = f"{report_base_url()}/case/{token}"
        text = case_messages.opened(case["number"], page, lang, channel, OfficeHours.from_env())
        dispatcher.utter_message(text=text)
        # The widget uses this to show the answer in the same session when it arrives.
        dispatcher.utter_message(json_message={"data": {"type": "case", "number": case["number"]}})
        return language_events(tracker, lang)
