"""Rasa glue for the guided self-assessment (logic: core/assessment/flow.py).

The form ``assessment_form`` has one free-text slot; every message while it is
active reaches ``validate_assessment_form``, which runs one step of the flow and
keeps the flow's state in the ``assessment_state`` slot. The reply is sent by
``action_ask_assessment_input`` (or ``action_assessment_after`` at the end), so
exactly one place talks to the user.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import language, language_events, safe_run, send, user_text
from core.assessment import flow, store
from core.assessment import parsing as ai
from core.cultivation import flow as cf
from core.enterprise import session as enterprise_session
from core.knowledge import answers, smalltalk
from core.knowledge.search import knowledge
from core.replies import Reply, dump_state, load_state

END = "__end__"


def _load(tracker: Tracker) -> dict:
    return load_state(tracker.get_slot("assessment_state"))


_dump = dump_state


def _code_events(tracker: Tracker, state: dict) -> list:
    code = state.get("code")
    events = []
    if code and tracker.get_slot("enterprise_code") != code:
        events.append(SlotSet("enterprise_code", code))
        enterprise_session.remember_channel(code, tracker.get_latest_input_channel(), tracker.sender_id)
    if state.get("name") and tracker.get_slot("enterprise_name") != state["name"]:
        events.append(SlotSet("enterprise_name", state["name"]))
    return events


ASIDE_CONFIDENCE = 0.5


def _interjection(tracker: Tracker, state: dict, text: str, lang: str) -> Reply | None:
    """A question asked in the middle of the item-by-item walk (a policy
    question, sharing consent, asking for a person) is answered, then the
    current item is asked again; answers and commands go to the flow."""
    if state.get("phase") != "items" or state.get("fin_item") is not None or not state.get("code"):
        return None
    if ai.parse(text) is not None or flow.is_flow_word(text):
        return None
    intent = (tracker.latest_message or {}).get("intent") or {}
    name, conf = intent.get("name") or "", float(intent.get("confidence") or 0.0)
    if conf < ASIDE_CONFIDENCE:
        return None
    code = state["code"]
    if name.startswith("ask_") and name not in ("ask_standard_item", "ask_mra_partner", "ask_my_level"):
        aside = answers.answer_topic(knowledge(), name[4:], text, lang)
        aside_text = aside.text if aside else None
    elif name in ("share_consent", "revoke_consent"):
        aside_text = cf.share_consent(
            code, lang, grant=name == "share_consent", via=tracker.get_latest_input_channel() or "chat"
        ).text
    elif name == "human_handoff":
        aside_text = smalltalk.handoff(
            lang, [e.get("text") or "" for e in tracker.events if e.get("event") == "user"][:-1], code
        ).text
    else:
        aside_text = None
    if not aside_text:
        return None
    number = store.current_item(code, state["assessment_id"]) or store.next_item(code, state["assessment_id"])
    q = flow.question(state, number, lang) if number else Reply("")
    back = (
        "（评估仍在进行，接着回答当前这一项：）"
        if lang == "zh"
        else "(The assessment goes on; back to the current item:)"
    )
    return q.prefixed(f"{aside_text}\n\n{back}", sep="\n")


class ValidateAssessmentForm(FormValidationAction):
    def name(self) -> str:
        return "validate_assessment_form"

    async def validate_assessment_input(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        lang = language(tracker)
        state = _load(tracker)
        state.setdefault("bound_code", tracker.get_slot("enterprise_code"))
        try:
            aside = _interjection(tracker, state, str(slot_value or ""), lang)
            if aside is not None:
                state["pending"] = aside
                return {"assessment_state": _dump(state), "assessment_input": None, "language": lang}
            state, reply = flow.step(state, str(slot_value or ""), lang)
            state["pending"] = reply
        except Exception:
            import logging

            logging.getLogger(__name__).exception("assessment step failed")
            state["pending"] = Reply(
                "抱歉，这一步没有处理成功，您的已答内容都已保存。请再回答一次，或说“暂停”。"
                if lang == "zh"
                else "Sorry, that step failed; your saved answers are safe. Please answer again, or say “pause”.",
                kind="error",
            )
        out: dict[str, Any] = {"assessment_state": _dump(state), "language": lang}
        out["assessment_input"] = END if state.get("phase") in (flow.DONE, flow.PAUSED) else None
        if state.get("code"):
            out["enterprise_code"] = state["code"]
            if tracker.get_slot("enterprise_code") != state["code"]:
                enterprise_session.remember_channel(
                    state["code"], tracker.get_latest_input_channel(), tracker.sender_id
                )
        if state.get("name"):
            out["enterprise_name"] = state["name"]
        return out


class ActionAskAssessmentInput(Action):
    """Sends the reply of the last step; on activation, starts or resumes."""

    def name(self) -> str:
        return "action_ask_assessment_input"

    @safe_run
    async def run(self, dispatcher, tracker, domain):
        lang = language(tracker)
        state = _load(tracker)
        if state.get("pending") and state.get("phase") not in (flow.DONE, flow.PAUSED, None):
            send(dispatcher, Reply.from_dict(state.pop("pending")))
            return [SlotSet("assessment_state", _dump(state)), *language_events(tracker, lang)]
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        resume = intent == "resume_assessment" or bool(flow.RESUME_RE.search(user_text(tracker)))
        bound = tracker.get_slot("enterprise_code")
        state, reply = flow.start(lang, resume=resume, code=bound if resume else None)
        state["bound_code"] = bound
        send(dispatcher, reply)
        return [
            SlotSet("assessment_state", _dump(state)),
            *_code_events(tracker, state),
            *language_events(tracker, lang),
        ]


class ActionAssessmentAfter(Action):
    """After the form ends (finished or paused): the final reply."""

    def name(self) -> str:
        return "action_assessment_after"

    @safe_run
    async def run(self, dispatcher, tracker, domain):
        state = _load(tracker)
        send(dispatcher, Reply.from_dict(state.pop("pending", None)))
        keep = {
            k: state[k] for k in ("code", "name", "standard", "assessment_id", "phase", "result_total") if k in state
        }
        return [
            SlotSet("assessment_input", None),
            SlotSet("assessment_state", _dump(keep)),
            *_code_events(tracker, state),
        ]
