"""Which enterprise a conversation may act for, kept on the server. No Rasa import.

A conversation (its sender id, which the channels only accept when the server
signed it) is bound to an enterprise when it proves the access key, or when it
makes the enterprise's first claim. Every action that reads or writes an
enterprise's data asks :func:`bound_code`; a slot value, a tracker sent to the
action server or a code typed in a message is never enough.

A binding ends after ``BINDING_IDLE_SECONDS`` (default 30 minutes) without
use, on "新对话" / a kiosk reset (:func:`unbind`), and when the enterprise's
key is re-issued (the key version it was granted under no longer matches).
"""

from __future__ import annotations

import datetime as dt
import os

from sqlalchemy import delete

from core.clock import utcnow as _now
from core.db import create_schema, get_engine, session_scope
from core.enterprise.models import Enterprise, EnterpriseBinding
from core.enterprise.session import enterprise_row, note_channel

DEFAULT_IDLE_SECONDS = 1800


def idle_seconds() -> int:
    raw = os.environ.get("BINDING_IDLE_SECONDS", "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else DEFAULT_IDLE_SECONDS


def bind(sender: str, code: str, channel: str | None = None, engine=None) -> bool:
    """Bind ``sender`` to ``code`` under the enterprise's current key version,
    and note the channel as the one the enterprise last used (reminders go there)."""
    if not sender:
        return False
    with enterprise_row(code, engine) as (s, ent):
        if ent is None:
            return False
        note_channel(ent, channel, sender)
        row = s.get(EnterpriseBinding, sender)
        now = _now()
        if row is None:
            row = EnterpriseBinding(sender_id=sender[:200])
            s.add(row)
            row.created_at = now
        elif row.enterprise_code != code:
            row.created_at = now
        row.enterprise_code = code
        row.key_version = ent.key_version or 0
        row.channel = (channel or "")[:40] or None
        row.last_seen = now
        return True


def bound_code(sender: str | None, engine=None, now: dt.datetime | None = None, touch: bool = True) -> str | None:
    """The enterprise ``sender`` may act for now, or None. An expired or revoked
    binding is deleted; a live one is kept alive (``touch``)."""
    if not sender:
        return None
    engine = create_schema(engine or get_engine())
    now = now or _now()
    with session_scope(engine) as s:
        row = s.get(EnterpriseBinding, sender)
        if row is None:
            return None
        ent = s.get(Enterprise, row.enterprise_code)
        idle = (now - row.last_seen).total_seconds()
        if ent is None or (ent.key_version or 0) != row.key_version or idle > idle_seconds():
            s.delete(row)
            return None
        if touch:
            row.last_seen = now
        return row.enterprise_code


def unbind(sender: str | None, engine=None) -> bool:
    """End the conversation's binding ("新对话", kiosk reset). True if there was one."""
    if not sender:
        return False
    engine = create_schema(engine or get_engine())
    with session_scope(engine) as s:
        return s.execute(delete(EnterpriseBinding).where(EnterpriseBinding.sender_id == sender)).rowcount > 0


def revoke_enterprise(code: str, engine=None) -> int:
    """End every conversation's binding to ``code`` (key re-issued); returns how many."""
    engine = create_schema(engine or get_engine())
    with session_scope(engine) as s:
        return s.execute(delete(EnterpriseBinding).where(EnterpriseBinding.enterprise_code == code)).rowcount


def bindings_of(code: str, engine=None) -> list[str]:
    engine = create_schema(engine or get_engine())
    with session_scope(engine) as s:
        rows = s.query(EnterpriseBinding.sender_id).filter(EnterpriseBinding.enterprise_code == code).all()
        return [r[0] for r in rows]
