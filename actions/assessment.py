"""Rasa glue for the guided self-assessment (logic: core/assessment/flow.py).

The form ``assessment_form`` has one free-text slot; every message while it is
active reaches ``validate_assessment_form``, which runs one step of the flow and
keeps the flow's state in the ``assessment_state`` slot. The reply is sent by
``action_ask_assessment_input`` (or ``action_assessment_after`` at the end), so
exactly one place talks to the user.
"""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import identity
from actions.common import language, language_events, safe_run, send, user_text
from core.assessment import flow, store
from core.assessment import parsing as ai
from core.cultivation import flow as cf
from core.knowledge import answers, smalltalk
from core.knowledge.search import knowledge
from core.replies import Reply, dump_state, load_state

END = "__end__"


def _load(tracker: Tracker) -> dict:
    return load_state(tracker.get_slot("assessment_state"))


_dump = dump_state


def _code_events(tracker: Tracker, state: dict) -> list:
    """Slots for display only (the server-side binding decides access)."""
    code = state.get("code")
    events = []
    if code and tracker.get_slot("enterprise_code") != code:
        events.append(SlotSet("enterprise_code", code))
    if state.get("name") and tracker.get_slot("enterprise_name") != state["name"]:
        events.append(SlotSet("enterprise_name", state["name"]))
    return events


ASIDE_CONFIDENCE = 0.5
LEAVE_CONFIDENCE = 0.5
# Top-level requests that take the user out of the setup questions; the action that answers
# each runs inside action_assessment_after (ask_* policy topics: action_answer_policy unless
# named here). Not a FollowupAction: the rules would not know what comes after it.
LEAVE_ACTIONS = {
    "ask_standard_item": "action_standard_item",
    "ask_mra_partner": "action_mra_partner",
    "ask_my_level": "action_my_level",
    "show_progress": "action_show_progress",
    "create_plan": "action_create_plan",
    "mark_task_done": "action_mark_task_done",
    "human_handoff": "action_handoff",
    "show_entry": "action_show_entry",
    "item_guidance": "action_item_guidance",
    **{i: "action_smalltalk" for i in ("greet", "help", "goodbye", "thank", "chitchat", "bot_challenge")},
}
# Setup answers are names, codes and keys: they never switch the conversation's language.
PINNED_LANGUAGE_PHASES = ("name", "code", "access_key")


def _intent(tracker: Tracker) -> tuple[str, float]:
    intent = (tracker.latest_message or {}).get("intent") or {}
    return intent.get("name") or "", float(intent.get("confidence") or 0.0)


def leave_action(intent: str) -> str | None:
    """The action answering a top-level request ``intent``, or None when it is no such request."""
    if intent in LEAVE_ACTIONS:
        return LEAVE_ACTIONS[intent]
    return "action_answer_policy" if intent.startswith("ask_") else None


def _setup_exit(tracker: Tracker, state: dict, text: str, lang: str) -> tuple[dict, Reply | None] | None:
    """During the setup questions, a top-level request (progress, a policy question, a greeting,
    a kiosk button) leaves them: (new state, reply or None when another action answers)."""
    if not flow.can_leave(state, text):
        return None
    name, conf = _intent(tracker)
    if conf < LEAVE_CONFIDENCE and not text.startswith("/"):
        return None
    bound = state.get("bound_code")  # set from the server's binding (identity.trusted_state), never a slot
    if name in ("start_assessment", "resume_assessment"):
        new, reply = flow.start(lang, resume=name == "resume_assessment", code=bound)
        new.setdefault("bound_code", bound)
        return new, reply
    action = leave_action(name)
    if action is None:
        return None
    state, _ = flow.leave(state, lang, quiet=True)
    state["leave_to"] = action
    return state, None


def _answering_action(name: str) -> Action:
    from actions import cultivation, customs, policy

    for cls in (
        policy.ActionAnswerPolicy,
        policy.ActionShowEntry,
        policy.ActionStandardItem,
        policy.ActionMraPartner,
        policy.ActionSmalltalk,
        customs.ActionHandoff,
        policy.ActionItemGuidance,
        cultivation.ActionShowProgress,
        cultivation.ActionCreatePlan,
        cultivation.ActionMarkTaskDone,
        cultivation.ActionMyLevel,
    ):
        action = cls()
        if action.name() == name:
            return action
    raise KeyError(name)


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
    elif name in ("show_progress", "start_assessment", "resume_assessment"):
        # Progress, or the kiosk's / menu's assessment button while one is under way.
        prog = store.progress(code, state["assessment_id"])
        dims = (
            "，".join(d["text"] for d in prog["dimensions"])
            if lang == "zh"
            else ", ".join(f"{d['name_en']} {d['answered']}/{d['total']}" for d in prog["dimensions"])
        )
        aside_text = (
            f"评估进度：已答{prog['answered']}/{prog['total']}项（{dims}）。"
            if lang == "zh"
            else f"Assessment progress: {prog['answered']}/{prog['total']} answered ({dims})."
        )
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
        state = _load(tracker)
        lang = language(tracker)
        if state.get("phase") in PINNED_LANGUAGE_PHASES:
            lang = tracker.get_slot("language") or state.get("lang") or lang
        bound = await identity.bound_enterprise(tracker)
        state, lost = identity.trusted_state(state, bound)
        if lost:
            state = {"phase": flow.PAUSED, "pending": Reply(identity.access_ended(lang))}
            return {"assessment_state": _dump(state), "assessment_input": END, "language": lang}
        text = str(slot_value or "")
        try:
            aside = await asyncio.to_thread(_interjection, tracker, state, text, lang)
            if aside is not None:
                state["pending"] = aside
                return {"assessment_state": _dump(state), "assessment_input": None, "language": lang}
            exit_ = _setup_exit(tracker, state, text, lang)
            if exit_ is not None:
                state, state["pending"] = exit_[0], exit_[1]
            else:
                state, reply = await asyncio.to_thread(flow.step, state, text, lang, tracker.sender_id)
                if state.get("code") and state["code"] != bound:
                    # The step itself accepted the code: access key proven, or the first claim.
                    await identity.grant(tracker, state["code"])
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
        resume = intent in ("resume_assessment", "answer_item") or bool(flow.RESUME_RE.search(user_text(tracker)))
        bound = await identity.bound_enterprise(tracker)
        state, reply = await asyncio.to_thread(flow.start, lang, resume, bound if resume else None)
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
            k: state[k]
            for k in ("code", "name", "standard", "assessment_id", "phase", "result_total", "lang")
            if k in state
        }
        events = [
            SlotSet("assessment_input", None),
            SlotSet("assessment_state", _dump(keep)),
            *_code_events(tracker, state),
        ]
        if state.get("leave_to"):
            # A top-level request left the setup questions: the action that answers it runs now.
            events += await _answering_action(state["leave_to"]).run(dispatcher, tracker, domain)
        return events
