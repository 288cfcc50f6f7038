"""Generated PDF reports, kept in the database with an expiry (no Rasa import).

A report built by an action server is downloaded through a gateway that may run
in another working directory, container or replica, so the PDF lives in the
shared database, not in a local folder. Reports expire after
``REPORT_TTL_DAYS`` (default 7); expired ones are deleted when a new report is
stored and are never served.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets

from sqlalchemy import delete

from core.assessment.models import StoredReport
from core.clock import utcnow as _now
from core.db import create_schema, get_engine, session_scope

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
DEFAULT_TTL_DAYS = 7.0


def ttl_days() -> float:
    try:
        return max(0.001, float(os.environ.get("REPORT_TTL_DAYS", "") or DEFAULT_TTL_DAYS))
    except ValueError:
        return DEFAULT_TTL_DAYS


def new_token() -> str:
    return secrets.token_urlsafe(24)  # 32 chars, 192 bits


def put(
    pdf: bytes,
    enterprise_code: str | None = None,
    engine=None,
    now: dt.datetime | None = None,
    filename: str = "",
) -> str:
    """Store ``pdf`` (and the file name to offer); returns its unguessable token.
    Purges expired reports."""
    engine = create_schema(engine or get_engine())
    now = now or _now()
    token = new_token()
    with session_scope(engine) as s:
        s.execute(delete(StoredReport).where(StoredReport.expires_at < now))
        s.add(
            StoredReport(
                token=token,
                pdf=pdf,
                enterprise_code=enterprise_code or None,
                filename=(filename or "")[:200] or None,
                created_at=now,
                expires_at=now + dt.timedelta(days=ttl_days()),
            )
        )
    return token


def get(token: str, engine=None, now: dt.datetime | None = None) -> tuple[bytes, str] | None:
    """The stored PDF for ``token`` and its file name; None for a malformed,
    unknown or expired token."""
    if not isinstance(token, str) or not TOKEN_RE.match(token):
        return None
    engine = create_schema(engine or get_engine())
    now = now or _now()
    with session_scope(engine) as s:
        row = s.get(StoredReport, token)
        if row is None or row.expires_at < now:
            return None
        return bytes(row.pdf), row.filename or ""
