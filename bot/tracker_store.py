"""Rasa's SQL tracker store, with access keys kept out of it.

A key is shown once in the bot's message and typed by the user; both would
otherwise be stored verbatim in the tracker database (the bot text, the user
text and its parse data, the form slot holding the text, the flow's pending
reply). This store replaces every key-shaped word (core/enterprise/access.py
``redact_keys``) in every string of an event before it is written. The
conversation in progress is unaffected: Rasa hands the actions the tracker it
holds in memory, and the reply reaches the user before it is stored.

endpoints.yml:  tracker_store: {type: bot.tracker_store.RedactingSQLTrackerStore, dialect: ..., ...}
"""

from __future__ import annotations

from typing import Any

from rasa.core.tracker_store import SQLTrackerStore

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
