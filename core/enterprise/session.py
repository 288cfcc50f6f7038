"""Which channel an enterprise last used (for reminders). No Rasa import."""

from __future__ import annotations

from core.db import create_schema, get_engine, session_scope
from core.enterprise.models import Enterprise


def remember_channel(code: str, channel: str | None, sender: str | None, engine=None) -> bool:
    """Record the enterprise's latest channel and sender id; False if unknown code."""
    if not code:
        return False
    engine = create_schema(engine or get_engine())
    with session_scope(engine) as s:
        ent = s.get(Enterprise, code)
        if ent is None:
            return False
        ent.last_channel = (channel or "")[:40] or None
        ent.last_sender = (sender or "")[:200] or None
        return True
