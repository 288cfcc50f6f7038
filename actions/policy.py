"""Rasa glue for policy Q&A: every answer comes from the knowledge database."""

from __future__ import annotations

import logging
import threading
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    first_entity,
    language,
    language_events,
    safe_run,
    send,
    user_text,
)
from actions.customs import send_answer
from core.cultivation import flow as cultivation_flow
from core.knowledge import answers, respond, smalltalk
from core.knowledge.context import Context
from core.knowledge.respond import NLU
from core.knowledge.search import knowledge
from core.knowledge.units import units_for
from core.text import MAX_MESSAGE_CHARS, detect_standard, parse_item_number

CONTEXT_SLOT = "answer_context"
logger = logging.getLogger(__name__)


def _warm_up() -> None:
    """Build the answer units when the action server starts, not on the first
    user's message (tens of seconds on a busy machine)."""
    try:
        units_for(knowledge())
    except Exception:  # no knowledge database yet: built on first use instead
        logger.info("answer units not prebuilt (knowledge database not ready)")


threading.Thread(target=_warm_up, name="answer-units-warm-up", daemon=True).start()

POLICY_PREFIX = "ask_"


def _intent(tracker: Tracker) -> str:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name") or ""


def _what_if_reply(tracker: Tracker, lang: str, text: str):
    """A "what if" after a diagnosis, answered against its facts (core.diagnosis.flow.what_if_after):
    the reply, and the slot that keeps the supposition for the next one; else None."""
    from core.diagnosis import flow as diagnosis_flow
    from core.replies import dump_state, load_state

    previous = load_state(tracker.get_slot("diagnosis_state"), diagnosis_flow.DiagnosisState)
    answered = diagnosis_flow.what_if_after(previous, text, lang)
    if answered is None:
        return None
    state, reply = answered
    return reply, SlotSet("diagnosis_state", dump_state(diagnosis_flow.finished(state)))


def _nlu(tracker: Tracker) -> NLU:
    msg = tracker.latest_message or {}
    intent = (msg.get("intent") or {}).get("name") or ""
    return NLU(
        intent="" if intent == "nlu_fallback" else intent,
        confidence=float((msg.get("intent") or {}).get("confidence") or 0.0),
        ranking=[(r.get("name") or "", float(r.get("confidence") or 0.0)) for r in msg.get("intent_ranking") or []],
        entities=[e for e in msg.get("entities") or [] if isinstance(e, dict)],
    )


def answer_in_context(dispatcher: CollectingDispatcher, tracker: Tracker, earlier: str = "") -> list[dict]:
    """Answer the message as part of the conversation (core.knowledge.respond):
    the context slot goes in, the updated context comes back as a slot event.
    ``earlier``: the question the conversation is about when the slot holds none
    (the one that started a diagnosis)."""
    lang = language(tracker)
    text = user_text(tracker)
    if len(text) > MAX_MESSAGE_CHARS:
        reply = smalltalk.reply("out_of_scope", lang, with_menu=True)
        send(dispatcher, reply.prefixed(smalltalk.TEXTS["too_long"][lang], "\n"))
        return language_events(tracker, lang)
    what_if = _what_if_reply(tracker, lang, text)
    if what_if is not None:
        send_answer(dispatcher, tracker, what_if[0], lang)
        return [what_if[1], *language_events(tracker, lang)]
    lookup = cultivation_flow.level_lookup(text, lang)  # "查一下代码…的信用等级"
    if lookup is not None:
        send_answer(dispatcher, tracker, lookup, lang)
        return language_events(tracker, lang)
    ctx = Context.load(tracker.get_slot(CONTEXT_SLOT))
    if ctx.empty and earlier:
        ctx = Context.of_question(earlier)
    reply, ctx = respond.respond(knowledge(), text, lang, _nlu(tracker), ctx)
    send_answer(dispatcher, tracker, reply, lang)
    return language_events(tracker, lang) + context_events(tracker, ctx)


def context_events(tracker: Tracker, ctx: Context) -> list[dict]:
    out = []
    dumped = ctx.dump()
    if dumped != (tracker.get_slot(CONTEXT_SLOT) or "{}"):
        out.append(SlotSet(CONTEXT_SLOT, dumped))
    return out


class ActionAnswerPolicy(Action):
    """Answers a policy question or a follow-up in its conversation; a topic
    button (/ask_<topic>) shows that topic's answer."""

    def name(self) -> str:
        return "action_answer_policy"

    @safe_run
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        text = user_text(tracker)
        intent = _intent(tracker)
        if text.startswith("/") and intent.startswith(POLICY_PREFIX):
            lang = language(tracker)
            kb = knowledge()
            topic = intent[len(POLICY_PREFIX) :]
            reply = answers.answer_topic(kb, topic, "", lang) or answers.search_or_suggest(kb, "", lang)
            send_answer(dispatcher, tracker, reply, lang)
            ctx = Context.load(tracker.get_slot(CONTEXT_SLOT))
            ctx = Context(
                q=kb.topic_title(topic, lang),
                kind="topic",
                entry=(reply.entry_ids or [""])[0],
                topic=topic,
                level=ctx.level,
                etype=ctx.etype,
            )
            return language_events(tracker, lang) + context_events(tracker, ctx)
        return answer_in_context(dispatcher, tracker)


class ActionShowEntry(Action):
    """Shows one entry by id (the "see the former rule" buttons)."""

    def name(self) -> str:
        return "action_show_entry"

    @safe_run
    async def run(self, dispatcher, tracker, domain):
        lang = language(tracker)
        entry_id = first_entity(tracker, "entry_id") or ""
        if not entry_id and not user_text(tracker).startswith("/"):
            # Typed, not a button ("那以前是怎么规定的"): a question in the conversation.
            return answer_in_context(dispatcher, tracker)
        reply = answers.answer_entry(knowledge(), str(entry_id), lang)
        send(dispatcher, reply or smalltalk.reply("out_of_scope", lang))
        return language_events(tracker, lang)


class ActionStandardItem(Action):
    """Answers "what does item N of the standard require" (typed or a button)."""

    def name(self) -> str:
        return "action_standard_item"

    @safe_run
    async def run(self, dispatcher, tracker, domain):
        text = user_text(tracker)
        if not text.startswith("/"):
            return answer_in_context(dispatcher, tracker)
        lang = language(tracker)
        raw = first_entity(tracker, "item_number")
        number = parse_item_number(str(raw)) if raw is not None else None
        if number is None and raw is not None and str(raw).strip().isdigit():
            number = int(str(raw).strip())
        standard = first_entity(tracker, "standard")
        if standard not in (None, "advanced", "certified", "individual"):
            standard = detect_standard(str(standard))
        send_answer(dispatcher, tracker, answers.answer_item(knowledge(), number, standard, lang), lang)
        return language_events(tracker, lang)


class ActionMraPartner(Action):
    def name(self) -> str:
        return "action_mra_partner"

    @safe_run
    async def run(self, dispatcher, tracker, domain):
        return answer_in_context(dispatcher, tracker)


class ActionFallbackSearch(Action):
    """Low-confidence or unmatched questions: answered from the answer units
    when one clearly matches, else the closest topics as buttons, else a redirect."""

    def name(self) -> str:
        return "action_fallback_search"

    @safe_run
    async def run(self, dispatcher, tracker, domain):
        return answer_in_context(dispatcher, tracker)


class ActionSmalltalk(Action):
    """Greeting, help, thanks, goodbye, chitchat and off-topic redirects; the
    empty message a chat widget sends when it opens gets the greeting."""

    def name(self) -> str:
        return "action_smalltalk"

    @safe_run
    async def run(self, dispatcher, tracker, domain):
        lang = language(tracker)
        intent = _intent(tracker)
        text = user_text(tracker)
        if text.startswith("/") or intent not in respond.SMALLTALK_INTENTS | respond.OFFTOPIC_INTENTS:
            key = intent if smalltalk.TEXTS.get(intent) else "out_of_scope"
            send(dispatcher, smalltalk.reply(key, lang, with_menu=key in ("greet", "help", "out_of_scope")))
            return language_events(tracker, lang)
        return answer_in_context(dispatcher, tracker)


class ActionItemGuidance(Action):
    """Our improvement guidance for one standard item (button or typed)."""

    def name(self) -> str:
        return "action_item_guidance"

    @safe_run
    async def run(self, dispatcher, tracker, domain):
        from core.standards import guidance

        lang = language(tracker)
        text = user_text(tracker)
        raw = first_entity(tracker, "item_number")
        number = None
        if raw is not None:
            number = int(raw) if str(raw).strip().isdigit() else parse_item_number(str(raw))
        if number is None and not text.startswith("/"):
            number = parse_item_number(text)
        ctx = Context.load(tracker.get_slot(CONTEXT_SLOT))
        if number is None and not text.startswith("/") and ctx.item:
            number = ctx.item  # "这一项怎么改进": the item the conversation is about
        standard = first_entity(tracker, "standard") or detect_standard(text) or ctx.standard or "advanced"
        if standard not in ("advanced", "certified", "individual"):
            standard = "advanced"
        if number is None and not text.startswith("/") and not ctx.empty:
            # "需要准备哪些材料" after "第一步应该干嘛" (the model unsure it asks for an item's guidance):
            # with no item named or in the conversation, it is asked of the conversation's topic
            return answer_in_context(dispatcher, tracker)
        if number is None:
            send(dispatcher, answers.answer_item(knowledge(), None, None, lang))
            return language_events(tracker, lang)
        entry = knowledge().standard_item(standard, number)
        label = entry.answer["zh"].split("「")[1].split("」")[0] if entry and "「" in entry.answer["zh"] else ""
        send(dispatcher, answers.Reply(text=guidance.render(standard, number, lang, label)))
        return language_events(tracker, lang)
