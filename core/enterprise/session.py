"""Which channel an enterprise last used (for reminders). No Rasa import."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from core.db import create_schema, get_engine, session_scope
from core.enterprise.models import Enterprise


@contextmanager
def enterprise_row(code: str | None, engine=None) -> Iterator[tuple[Session, Enterprise | None]]:
    """A transaction and the enterprise's row in it (None for an unknown or empty code)."""
    engine = create_schema(engine or get_engine())
    with session_scope(engine) as s:
        yield s, (s.get(Enterprise, code) if code else None)


def note_channel(ent: Enterprise, channel: str | None, sender: str | None) -> None:
    ent.last_channel = (channel or "")[:40] or None
    ent.last_sender = (sender or "")[:200] or None


def remember_channel(code: str, channel: str | None, sender: str | None, engine=None) -> bool:
    """Record the enterprise's latest channel and sender id; False if unknown code."""
    with enterprise_row(code, engine) as (_s, ent):
        if ent is None:
            return False
        note_channel(ent, channel, sender)
        return True


def enterprise_name(code: str, engine=None) -> str | None:
    """The stored name of the enterprise ``code`` (None for an unknown code or no name)."""
    with enterprise_row(code, engine) as (_s, ent):
        return (ent.name or None) if ent is not None else None
