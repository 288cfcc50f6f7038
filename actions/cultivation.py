"""Rasa glue for diagnosis, cultivation plans, progress, consent and my level.
Logic lives in core/diagnosis and core/cultivation."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet

from actions import identity
from actions.common import language, language_events, safe_run, send, user_text
from actions.policy import answer_in_context
from core.assessment.flow import key_refusal
from core.cultivation import flow as cf
from core.diagnosis import flow as df
from core.replies import Reply, dump_state, load_state

END = "__end__"


def _state(tracker: Tracker) -> df.DiagnosisState:
    return load_state(tracker.get_slot("diagnosis_state"), df.DiagnosisState)


def _finished(state: df.DiagnosisState) -> str:
    """The slot after a diagnosis: what later "what if" questions need (core.diagnosis.flow.finished)."""
    return dump_state(df.finished(state))


class ValidateDiagnosisForm(FormValidationAction):
    def name(self) -> str:
        return "validate_diagnosis_form"

    async def validate_diagnosis_input(self, slot_value: Any, dispatcher, tracker: Tracker, domain) -> dict[str, Any]:
        lang = language(tracker)
        state = _state(tracker)
        try:
            state, reply = df.step(state, str(slot_value or ""), lang)
        except Exception:
            import logging

            logging.getLogger(__name__).exception("diagnosis step failed")
            reply = Reply(
                "抱歉，这一步没有处理成功，请换个说法再试。"
                if lang == "zh"
                else "Sorry, that step failed; please rephrase.",
                kind="error",
            )
        if reply.kind == df.LEAVE_FOR_QUESTION:
            # A question asked mid-form ("这个3个月是新规定还是老规定"): the form ends and the
            # question is answered in the conversation, with its context slot.
            slots = {
                e["name"]: e["value"]
                for e in answer_in_context(dispatcher, tracker, state.question)
                if e.get("event") == "slot"
            }
            return {**slots, "diagnosis_state": _finished(state), "diagnosis_input": END, "language": lang}
        state.pending = reply
        return {
            "diagnosis_state": dump_state(state),
            "diagnosis_input": END if reply.done else None,
            "language": lang,
        }


class ActionAskDiagnosisInput(Action):
    def name(self) -> str:
        return "action_ask_diagnosis_input"

    @safe_run
    async def run(self, dispatcher, tracker, domain):
        lang = language(tracker)
        state = _state(tracker)
        if state.pending and not state.done:
            send(dispatcher, state.pending)
            state.pending = None
            return [SlotSet("diagnosis_state", dump_state(state))]
        state, reply = df.start(lang, user_text(tracker), previous=state)
        if reply.kind == df.LEAVE_FOR_QUESTION:
            # A question on one rule that states no figure ("……后来被认定成失信企业了，会不会拖累我们
            # 申请？"): answered in the conversation, and the form is left.
            events = answer_in_context(dispatcher, tracker)
            return [
                *events,
                SlotSet("diagnosis_state", _finished(state)),
                ActiveLoop(None),
                SlotSet("requested_slot", None),
            ]
        send(dispatcher, reply)
        if reply.done:
            # Settled by the first sentence (or a "what if"): answer and leave the form.
            return [
                SlotSet("diagnosis_state", _finished(state)),
                ActiveLoop(None),
                SlotSet("requested_slot", None),
                *language_events(tracker, lang),
            ]
        return [SlotSet("diagnosis_state", dump_state(state)), *language_events(tracker, lang)]


class ActionDiagnosisAfter(Action):
    def name(self) -> str:
        return "action_diagnosis_after"

    @safe_run
    async def run(self, dispatcher, tracker, domain):
        state = _state(tracker)
        send(dispatcher, state.pending)
        return [SlotSet("diagnosis_input", None), SlotSet("diagnosis_state", _finished(state))]


class _CodeAction:
    """Mixin for actions about "our" enterprise: they need the conversation's
    enterprise (bound to it on the server, or proven with code and access key)."""

    def reply(self, code: str, text: str, lang: str, tracker: Tracker) -> Reply:  # pragma: no cover - abstract
        raise NotImplementedError

    @safe_run
    async def run(self, dispatcher, tracker, domain):
        lang = language(tracker)
        bound = await identity.bound_enterprise(tracker)
        auth = await asyncio.to_thread(cf.authorise, user_text(tracker), bound, tracker.sender_id)
        if not auth.code:
            need = cf.need_code(lang)
            send(dispatcher, need.prefixed(key_refusal(auth.refusal, lang), "\n") if auth.refusal else need)
            return language_events(tracker, lang)
        if auth.granted:
            await identity.grant(tracker, auth.code)
        send(dispatcher, await asyncio.to_thread(self.reply, auth.code, user_text(tracker), lang, tracker))
        events = language_events(tracker, lang)
        if tracker.get_slot("enterprise_code") != auth.code:
            events.append(SlotSet("enterprise_code", auth.code))
        return events


class ActionShowProgress(_CodeAction, Action):
    def name(self) -> str:
        return "action_show_progress"

    def reply(self, code, text, lang, tracker):
        return cf.show_progress(code, lang)


class ActionCreatePlan(_CodeAction, Action):
    def name(self) -> str:
        return "action_create_plan"

    def reply(self, code, text, lang, tracker):
        return cf.create_plan(code, lang)


class ActionMarkTaskDone(_CodeAction, Action):
    def name(self) -> str:
        return "action_mark_task_done"

    def reply(self, code, text, lang, tracker):
        return cf.update_task(code, text, lang)


class ActionShareConsent(_CodeAction, Action):
    def name(self) -> str:
        return "action_share_consent"

    def reply(self, code, text, lang, tracker):
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        return cf.share_consent(
            code, lang, grant=intent != "revoke_consent", via=tracker.get_latest_input_channel() or "chat"
        )


class ActionMyLevel(Action):
    """Credit levels are public (credit.customs.gov.cn), so a code alone is enough."""

    def name(self) -> str:
        return "action_my_level"

    @safe_run
    async def run(self, dispatcher, tracker, domain):
        lang = language(tracker)
        text = user_text(tracker)
        if not text.startswith("/") and not cf.asks_own_level(text):
            # "我们公司就3个报关员" after a question on the assessment rule: a fact for the
            # conversation, not a request for the level.
            return answer_in_context(dispatcher, tracker)
        send(dispatcher, cf.level_reply(text, tracker.get_slot("enterprise_code"), lang))
        return language_events(tracker, lang)
