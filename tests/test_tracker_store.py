"""The tracker store that keeps Rasa sessions short (bot/tracker_store.py),
on a real SQLite database with the project's domain; and the action-response
validation of bot/rasa_tuning.py."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from jsonschema import ValidationError
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SessionStarted, SlotSet, UserUttered

from bot import rasa_tuning
from bot.tracker_store import BoundedSQLTrackerStore

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


def _store(tmp_path, domain, limit: int) -> BoundedSQLTrackerStore:
    return BoundedSQLTrackerStore(
        domain=domain, dialect="sqlite", db=str(tmp_path / "tracker.db"), max_session_events=limit
    )


def _turn(tracker, i: int, text: str = "达标") -> None:
    tracker.update(UserUttered(text, intent={"name": "affirm", "confidence": 1.0}))
    tracker.update(ActionExecuted("assessment_form"))
    tracker.update(SlotSet("assessment_state", f'{{"item": {i}}}'))
    tracker.update(SlotSet("language", "zh"))
    tracker.update(BotUttered(f"第{i}项"))
    tracker.update(ActionExecuted("action_listen"))


def _conversation(store, sender: str, turns: int) -> list[int]:
    """Runs ``turns`` turns as Rasa does (retrieve, update, save); returns the
    number of events Rasa loaded at the start of each turn."""

    async def run() -> list[int]:
        loaded = []
        tracker = await store.get_or_create_tracker(sender)
        tracker.update(SlotSet("enterprise_code", "91310000MA1FL4XQ3K"))
        tracker.update(ActiveLoop("assessment_form"))
        tracker.update(SlotSet("requested_slot", "assessment_input"))
        tracker.update(ActionExecuted("action_listen"))
        await store.save(tracker)
        for i in range(1, turns + 1):
            tracker = await store.retrieve(sender)
            loaded.append(len(tracker.events))
            _turn(tracker, i, text=f"回答{i}")
            await store.save(tracker)
        return loaded

    return asyncio.run(run())


def test_long_conversation_loads_a_bounded_session_with_the_state_carried(tmp_path, domain):
    store = _store(tmp_path, domain, limit=40)
    loaded = _conversation(store, "long", 120)
    assert max(loaded) <= 40 + 6 + 12, loaded  # limit + one turn + the carried events
    assert max(loaded[-40:]) <= max(loaded[:40]) + 1  # flat, not growing
    tracker = asyncio.run(store.retrieve("long"))
    # The state is exactly what the whole history gives.
    full = asyncio.run(store.retrieve_full_tracker("long"))
    assert len(full.events) > 600
    for name in ("assessment_state", "enterprise_code", "language", "requested_slot"):
        assert tracker.get_slot(name) == full.get_slot(name), name
    assert tracker.get_slot("assessment_state") == '{"item": 120}'
    assert tracker.active_loop_name == full.active_loop_name == "assessment_form"
    assert tracker.latest_action_name == "action_listen"
    assert sum(isinstance(e, SessionStarted) for e in full.events) >= 10
    # The user's last typed messages come along (the hand-off summary quotes 5).
    texts = [e.text for e in tracker.events if isinstance(e, UserUttered)]
    assert texts[-5:] == [f"回答{i}" for i in range(116, 121)]


def test_every_slot_is_carried_whatever_its_name(tmp_path):
    """Slots added to the domain later (follow-up context, ...) are carried
    without a list to keep up to date."""
    extra = Domain.from_dict(
        {
            **Domain.load(str(ROOT / "domain.yml")).as_dict(),
            "slots": {
                **Domain.load(str(ROOT / "domain.yml")).as_dict()["slots"],
                "last_topic": {"type": "text", "influence_conversation": False, "mappings": [{"type": "custom"}]},
            },
        }
    )
    store = _store(tmp_path, extra, limit=10)

    async def run():
        tracker = await store.get_or_create_tracker("s")
        tracker.update(SlotSet("last_topic", "credit_repair"))
        for i in range(5):
            _turn(tracker, i)
        await store.save(tracker)
        return await store.retrieve("s")

    tracker = asyncio.run(run())
    assert any(isinstance(e, SessionStarted) for e in tracker.events)
    assert len(tracker.events) < 20
    assert tracker.get_slot("last_topic") == "credit_repair"


def test_no_new_session_in_the_middle_of_a_turn(tmp_path, domain):
    store = _store(tmp_path, domain, limit=5)

    async def run():
        tracker = await store.get_or_create_tracker("mid")
        for i in range(4):
            _turn(tracker, i)
        tracker.update(UserUttered("还有", intent={"name": "affirm", "confidence": 1.0}))
        tracker.update(ActionExecuted("assessment_form"))  # not listening yet
        await store.save(tracker)
        return await store.retrieve_full_tracker("mid")

    full = asyncio.run(run())
    assert sum(isinstance(e, SessionStarted) for e in full.events) == 0


def test_zero_limit_keeps_one_session(tmp_path, domain):
    store = _store(tmp_path, domain, limit=0)
    loaded = _conversation(store, "plain", 20)
    assert loaded[-1] > loaded[0] + 100


GOOD = {"events": [{"event": "slot", "name": "language", "value": "zh"}], "responses": [{"text": "你好"}]}


def test_action_responses_are_still_validated(domain):
    from rasa.core.actions.action import RemoteAction

    rasa_tuning.apply()
    assert RemoteAction._validate_action_result is rasa_tuning.validate_action_result
    action = RemoteAction("action_answer_policy", None)
    assert action._validate_action_result(GOOD) is True
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result({"events": [{"event": "no_such_event"}], "responses": []})
    with pytest.raises(ValidationError):
        action._validate_action_result({"events": "not a list", "responses": []})


def test_each_event_is_stored_once_without_a_count_query(tmp_path, domain):
    """The store remembers how many events of the session it loaded instead of
    counting them in the table; saving twice or a fresh tracker still stores
    each event exactly once."""
    store = _store(tmp_path, domain, limit=1000)

    async def run():
        tracker = await store.get_or_create_tracker("once")
        _turn(tracker, 1)
        await store.save(tracker)  # a new tracker: counted in the table
        tracker = await store.retrieve("once")
        _turn(tracker, 2)
        await store.save(tracker)
        _turn(tracker, 3)
        await store.save(tracker)  # the same object again
        return await store.retrieve_full_tracker("once")

    full = asyncio.run(run())
    bots = [e.text for e in full.events if isinstance(e, BotUttered)]
    assert bots == ["第1项", "第2项", "第3项"]
    assert len(full.events) == 1 + 3 * 6  # the new tracker's action_listen, three turns


def test_sqlite_store_writes_ahead_and_keeps_its_connections(tmp_path, domain):
    from sqlalchemy import text

    store = _store(tmp_path, domain, limit=60)
    _conversation(store, "wal", 3)
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        first = conn.connection.dbapi_connection
    with store.engine.connect() as conn:
        assert conn.connection.dbapi_connection is first  # pooled, not reopened
