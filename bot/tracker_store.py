"""Rasa's SQL tracker store, with access keys kept out of it and sessions kept short.

Access keys (issue 12).

A key is shown once in the bot's message and typed by the user; both would
otherwise be stored verbatim in the tracker database (the bot text, the user
text and its parse data, the form slot holding the text, the flow's pending
reply). This store replaces every key-shaped word (core/enterprise/access.py
``redact_keys``) in every string of an event before it is written. The
conversation in progress is unaffected: Rasa hands the actions the tracker it
holds in memory, and the reply reaches the user before it is stored.

Short sessions (issue 15). Rasa loads, replays, featurises and sends to the action server every event
of a conversation's current *session* on every message, so each turn costs
more than the one before: a 260-turn self-assessment ends 4-5 times slower
than it starts (issue 15). The assessment, the diagnosis and the cultivation
plans keep their state in the project's database and in slots, so the
conversation's older events are not needed to go on.

``BoundedSQLTrackerStore`` (a ``RedactingSQLTrackerStore``) therefore starts a new Rasa session, Rasa's own
way, whenever the current one has grown past ``max_session_events`` and the
conversation is at a safe point (the bot has answered and is listening):
it appends what ``action_session_start`` with ``carry_over_slots_to_new_session``
appends (``session_started``, the slot values, ``action_listen``), plus the
active form, and the user's last typed messages just before the session start
(the hand-off summary quotes them). Every slot is carried, whatever its name, so slots added later are
carried too. Rasa's SQL store loads only the events of the latest session,
so each turn loads a bounded number of events; the older sessions stay in
the table (``GET /conversations/<id>/tracker`` still returns all of them).

Configured in the endpoints (bot/launcher.py writes it)::

    tracker_store:
      type: bot.tracker_store.BoundedSQLTrackerStore
      dialect: sqlite
      db: var/rasa_tracker.db
      max_session_events: 60
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from core.enterprise.access import redact_keys


def redact(value: Any) -> Any:
    if isinstance(value, str):
        return redact_keys(value)
    if isinstance(value, dict):
        return {k: redact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


class _RedactedEvent:
    """What SQLTrackerStore.save reads of an event: its type and its dict."""

    def __init__(self, event: Any):
        self.type_name = event.type_name
        self._data = redact(event.as_dict())

    def as_dict(self) -> dict:
        return self._data


class RedactingSQLTrackerStore(SQLTrackerStore):
    def _additional_events(self, session, tracker):
        for event in super()._additional_events(session, tracker):
            yield _RedactedEvent(event)


DEFAULT_MAX_SESSION_EVENTS = 60
# Typed messages carried into the new session (smalltalk.handoff quotes 5).
CARRIED_MESSAGES = 5
# Attribute set on a tracker loaded by the store: how many of its events are stored.
_STORED = "_cca_stored_events"


def session_events(tracker: DialogueStateTracker) -> list[Event]:
    """The events of the tracker's current session."""
    events = list(tracker.events)
    for i in range(len(events) - 1, -1, -1):
        if isinstance(events[i], SessionStarted):
            return events[i:]
    return events


def at_safe_point(tracker: DialogueStateTracker) -> bool:
    """The bot has finished its turn and waits for the user."""
    last = tracker.events[-1] if tracker.events else None
    return (
        isinstance(last, ActionExecuted)
        and last.action_name == ACTION_LISTEN_NAME
        and tracker.followup_action is None
        and not tracker.is_paused()
    )


def restart_events(tracker: DialogueStateTracker) -> list[Event]:
    """A new session carrying the conversation's state: every slot that is not
    at its initial value and the active form. The user's last typed messages
    go just before ``session_started`` with the same timestamp: they are loaded
    with the new session (Rasa's SQL store loads from the latest session
    start's timestamp on) and reach the actions in ``tracker.events``, but the
    session start resets the dialogue state after them, as Rasa's own does."""
    ts = time.time()
    if tracker.events:
        ts = max(ts, tracker.events[-1].timestamp + 0.001)
    typed = [e.text for e in tracker.events if isinstance(e, UserUttered) and e.text and not e.text.startswith("/")]
    out: list[Event] = [UserUttered(text, timestamp=ts) for text in typed[-CARRIED_MESSAGES:]]
    out.append(SessionStarted(timestamp=ts))
    out += [
        SlotSet(name, slot.value, timestamp=ts)
        for name, slot in tracker.slots.items()
        if slot.value != slot.initial_value
    ]
    if tracker.active_loop_name:
        out.append(ActiveLoop(tracker.active_loop_name, timestamp=ts))
    out.append(ActionExecuted(ACTION_LISTEN_NAME, timestamp=ts))
    return out


def _sqlite_wal(dbapi_connection: Any, _record: Any) -> None:
    """SQLite (the single-server default): write-ahead log, synced at
    checkpoints. A commit no longer waits for the disk twice (journal and
    database): with the default journal, commits were a quarter of the Rasa
    process's time under load. Committed turns survive a crash or restart of
    the server; only a power cut can lose the last moments. PostgreSQL (the
    replicated setup) is untouched."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class BoundedSQLTrackerStore(RedactingSQLTrackerStore):
    """SQLTrackerStore that starts a new session (state carried over) when the
    current one has more than ``max_session_events`` events."""

    def __init__(self, *args: Any, max_session_events: int = DEFAULT_MAX_SESSION_EVENTS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_session_events = int(max_session_events)
        if self.engine.dialect.name == "sqlite":
            # SQLAlchemy 1.4 opens and closes a new SQLite connection for every
            # load and save (NullPool); closing one checkpoints the log and
            # waits for the disk while holding the GIL: 21% of the Rasa
            # process's busy time. A small pool keeps two connections open.
            url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(
                url, poolclass=sa.pool.QueuePool, pool_size=2, connect_args={"check_same_thread": False}
            )
            sa.event.listen(self.engine, "connect", _sqlite_wal)
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> DialogueStateTracker | None:
        tracker = await super()._retrieve(sender_id, fetch_events_from_all_sessions)
        if tracker is not None and not fetch_events_from_all_sessions:
            # What is stored of the current session is what was just loaded;
            # remembered so that saving needs no count query (9% of Rasa's CPU).
            setattr(tracker, _STORED, len(tracker.events))
        return tracker

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Event]:
        stored = getattr(tracker, _STORED, None)
        if stored is None:
            return super()._additional_events(session, tracker)
        return (_RedactedEvent(e) for e in itertools.islice(tracker.events, stored, len(tracker.events)))

    def _row(self, sender_id: str, event: Event):
        """The table row of one event, as SQLTrackerStore.save writes it (keys redacted)."""
        data = _RedactedEvent(event).as_dict()
        return self.SQLEvent(
            sender_id=sender_id,
            type_name=event.type_name,
            timestamp=data.get("timestamp"),
            intent_name=(data.get("parse_data") or {}).get("intent", {}).get(INTENT_NAME_KEY),
            action_name=data.get("name"),
            data=json.dumps(data),
        )

    async def save(self, tracker: DialogueStateTracker) -> None:
        await super().save(tracker)
        if getattr(tracker, _STORED, None) is not None:
            setattr(tracker, _STORED, len(tracker.events))
        if self.max_session_events <= 0 or not at_safe_point(tracker):
            return
        if len(session_events(tracker)) <= self.max_session_events:
            return
        with self.session_scope() as session:
            for event in restart_events(tracker):
                session.add(self._row(tracker.sender_id, event))
            session.commit()
        # This object no longer mirrors the stored session: count if saved again.
        if hasattr(tracker, _STORED):
            delattr(tracker, _STORED)
