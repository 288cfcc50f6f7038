"""Rasa glue for policy Q&A: every answer comes from the knowledge database."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    entity_values,
    first_entity,
    language,
    language_events,
    safe_run,
    send,
    user_text,
)
from actions.customs import send_answer
from core.cultivation import flow as cultivation_flow
from core.knowledge import answers, smalltalk
from core.knowledge.search import knowledge
from core.text import (
    MAX_MESSAGE_CHARS,
    MRA_WORDS,
    detect_standard,
    has_meaningful_text,
    is_hostile,
    parse_item_number,
)

POLICY_PREFIX = "ask_"
SPECIAL_INTENTS = {"ask_mra_partner", "ask_standard_item", "ask_my_level"}


def _intent(tracker: Tracker) -> str:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name") or ""


def _ranked_topics(tracker: Tracker) -> list:
    """[(topic, confidence)] of the policy intents in the NLU ranking, best first.
    An unsure model still ranks; the fallback weighs this against the search."""
    out = []
    for r in (tracker.latest_message or {}).get("intent_ranking", []) or []:
        name = r.get("name") or ""
        if name.startswith(POLICY_PREFIX) and name not in SPECIAL_INTENTS:
            out.append((name[len(POLICY_PREFIX) :], float(r.get("confidence") or 0.0)))
    return out


def _what_if_reply(tracker: Tracker, lang: str, text: str):
    """A "what if" right after a diagnosis is answered against its facts."""
    from core.diagnosis import flow as diagnosis_flow
    from core.replies import load_state

    if not diagnosis_flow.WHAT_IF_RE.search(text):
        return None
    facts = load_state(tracker.get_slot("diagnosis_state"), diagnosis_flow.DiagnosisState).facts
    if not facts:
        return None
    _, reply = diagnosis_flow.start(lang, text, previous_facts=facts)
    return answers.Reply(text=reply.text)


def _specific_reply(tracker: Tracker, lang: str, text: str):
    """Answers that beat the intent when the message is clearly more specific:
    abuse gets the polite redirect; a named standard item gets that item; an
    economy named with mutual-recognition words gets the partner answer."""
    if text.startswith("/"):
        return None
    if is_hostile(text):
        return smalltalk.reply("out_of_scope", lang, with_menu=True)
    what_if = _what_if_reply(tracker, lang, text)
    if what_if is not None:
        return what_if
    lookup = cultivation_flow.level_lookup(text, lang)  # "查一下代码…的信用等级"
    if lookup is not None:
        return lookup
    kb = knowledge()
    number = parse_item_number(text)
    if number is not None and len(text) <= 60:
        return answers.answer_item(kb, number, detect_standard(text), lang)
    low = text.lower()
    economies = entity_values(tracker, "economy")
    if (economies or kb.economies_in(text)) and any(w in low for w in MRA_WORDS):
        return answers.answer_partner(kb, economies, text, lang)
    return None


class ActionAnswerPolicy(Action):
    """Answers a policy topic intent (ask_<topic>) from the knowledge."""

    def name(self) -> str:
        return "action_answer_policy"

    @safe_run
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        lang = language(tracker)
        kb = knowledge()
        text = user_text(tracker)
        intent = _intent(tracker)
        specific = _specific_reply(tracker, lang, text)
        if specific is not None:
            send_answer(dispatcher, tracker, specific, lang)
            return language_events(tracker, lang)
        topic = intent[len(POLICY_PREFIX) :] if intent.startswith(POLICY_PREFIX) else ""
        reply = answers.answer_topic(kb, topic, "" if text.startswith("/") else text, lang) if topic else None
        if reply is None:
            reply = answers.search_or_suggest(kb, text, lang, _ranked_topics(tracker))
        send_answer(dispatcher, tracker, reply, lang)
        return language_events(tracker, lang)


class ActionShowEntry(Action):
    """Shows one entry by id (the "see the former rule" buttons)."""

    def name(self) -> str:
        return "action_show_entry"

    @safe_run
    async def run(self, dispatcher, tracker, domain):
        lang = language(tracker)
        entry_id = first_entity(tracker, "entry_id") or ""
        reply = answers.answer_entry(knowledge(), str(entry_id), lang)
        send(dispatcher, reply or smalltalk.reply("out_of_scope", lang))
        return language_events(tracker, lang)


class ActionStandardItem(Action):
    """Answers "what does item N of the standard require"."""

    def name(self) -> str:
        return "action_standard_item"

    @safe_run
    async def run(self, dispatcher, tracker, domain):
        lang = language(tracker)
        text = user_text(tracker)
        raw = first_entity(tracker, "item_number")
        number = parse_item_number(str(raw)) if raw is not None else None
        if number is None and raw is not None and str(raw).strip().isdigit():
            number = int(str(raw).strip())
        if number is None:
            number = parse_item_number(text)
        standard = first_entity(tracker, "standard") or detect_standard(text)
        if standard not in (None, "advanced", "certified", "individual"):
            standard = detect_standard(str(standard))
        send_answer(dispatcher, tracker, answers.answer_item(knowledge(), number, standard, lang), lang)
        return language_events(tracker, lang)


class ActionMraPartner(Action):
    def name(self) -> str:
        return "action_mra_partner"

    @safe_run
    async def run(self, dispatcher, tracker, domain):
        lang = language(tracker)
        names = entity_values(tracker, "economy")
        send_answer(dispatcher, tracker, answers.answer_partner(knowledge(), names, user_text(tracker), lang), lang)
        return language_events(tracker, lang)


class ActionFallbackSearch(Action):
    """Low-confidence or unmatched questions: search the knowledge; answer when a
    hit clearly matches, else offer the closest topics as buttons."""

    def name(self) -> str:
        return "action_fallback_search"

    @safe_run
    async def run(self, dispatcher, tracker, domain):
        lang = language(tracker)
        text = user_text(tracker)
        if not has_meaningful_text(text):
            send(dispatcher, smalltalk.reply("empty", lang, with_menu=True))
            return language_events(tracker, lang)
        specific = _specific_reply(tracker, lang, text[:MAX_MESSAGE_CHARS])
        if specific is not None:
            send_answer(dispatcher, tracker, specific, lang)
            return language_events(tracker, lang)
        reply = answers.search_or_suggest(knowledge(), text[:MAX_MESSAGE_CHARS], lang, _ranked_topics(tracker))
        send_answer(dispatcher, tracker, reply, lang)
        return language_events(tracker, lang)


class ActionSmalltalk(Action):
    """Greeting, help, thanks, goodbye, chitchat and off-topic redirects."""

    def name(self) -> str:
        return "action_smalltalk"

    @safe_run
    async def run(self, dispatcher, tracker, domain):
        lang = language(tracker)
        intent = _intent(tracker)
        text = user_text(tracker)
        specific = (
            _specific_reply(tracker, lang, text[:MAX_MESSAGE_CHARS])
            if intent in ("out_of_scope", "chitchat", "greet", "help")
            else None
        )
        if not text.startswith("/") and not has_meaningful_text(text):
            send(dispatcher, smalltalk.reply("empty", lang, with_menu=True))
        elif specific is not None:
            send_answer(dispatcher, tracker, specific, lang)
        elif intent in ("greet", "help"):
            send(dispatcher, smalltalk.reply("greet", lang, with_menu=True))
        elif intent == "out_of_scope":
            reply = smalltalk.reply("out_of_scope", lang, with_menu=True)
            if len(text) > MAX_MESSAGE_CHARS:
                reply.text = smalltalk.TEXTS["too_long"][lang] + "\n" + reply.text
            send_answer(dispatcher, tracker, reply, lang)
        elif smalltalk.TEXTS.get(intent):
            send(dispatcher, smalltalk.reply(intent, lang))
        else:
            send(dispatcher, smalltalk.reply("out_of_scope", lang, with_menu=True))
        return language_events(tracker, lang)


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
        standard = first_entity(tracker, "standard") or detect_standard(text) or "advanced"
        if number is None:
            send(dispatcher, answers.answer_item(knowledge(), None, None, lang))
            return language_events(tracker, lang)
        entry = knowledge().standard_item(standard, number)
        label = entry.answer["zh"].split("「")[1].split("」")[0] if entry and "「" in entry.answer["zh"] else ""
        send(dispatcher, answers.Reply(text=guidance.render(standard, number, lang, label)))
        return language_events(tracker, lang)
