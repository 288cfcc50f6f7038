"""One-time, short-lived tokens that move a conversation to another device
(the kiosk's QR code), so that neither the screen nor a log ever shows the
session itself. No Rasa import.

    t = create(session_token)      # put t in the QR link
    redeem(t) -> session_token     # once, within HANDOFF_SECONDS (5 minutes)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import delete

from core.clock import utcnow as _now
from core.db import create_schema, get_engine, session_scope
from core.enterprise.models import SessionHandoff

HANDOFF_SECONDS = 300


def _h(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(session_token: str, engine=None, now: dt.datetime | None = None) -> str:
    engine = create_schema(engine or get_engine())
    now = now or _now()
    token = secrets.token_urlsafe(24)
    with session_scope(engine) as s:
        s.execute(delete(SessionHandoff).where(SessionHandoff.expires_at < now))
        s.add(
            SessionHandoff(
                token_hash=_h(token),
                session_token=session_token,
                expires_at=now + dt.timedelta(seconds=HANDOFF_SECONDS),
            )
        )
    return token


def redeem(token: str, engine=None, now: dt.datetime | None = None) -> str | None:
    """The session for ``token``, once; None when unknown, used or expired."""
    if not isinstance(token, str) or not 20 <= len(token) <= 64:
        return None
    engine = create_schema(engine or get_engine())
    now = now or _now()
    with session_scope(engine) as s:
        row = s.get(SessionHandoff, _h(token))
        if row is None:
            return None
        value, fresh = row.session_token, row.expires_at >= now
        gone = s.execute(delete(SessionHandoff).where(SessionHandoff.token_hash == row.token_hash)).rowcount
        return value if gone == 1 and fresh else None
