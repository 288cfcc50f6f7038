"""Audit log: every officer and editor action (page views, exports, case answers,
log-ins and failed log-ins), with the role, the client address and what was
touched. No Rasa import."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from core.audit.models import AuditEntry
from core.db import ready_engine, session_scope


def record(
    role: str,
    action: str,
    *,
    target: Any = None,
    detail: dict | None = None,
    client: str | None = None,
    outcome: str = "ok",
    engine=None,
) -> None:
    with session_scope(ready_engine(engine)) as session:
        session.add(
            AuditEntry(
                role=str(role)[:20],
                action=str(action)[:60],
                target=None if target is None else str(target)[:200],
                detail=json.dumps(detail, ensure_ascii=False, default=str) if detail else None,
                client=(client or "")[:100] or None,
                outcome=str(outcome)[:20],
            )
        )


def recent(limit: int = 200, *, role: str | None = None, engine=None) -> list[dict]:
    with session_scope(ready_engine(engine)) as session:
        q = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        if role:
            q = q.where(AuditEntry.role == role)
        return [
            {
                "at": a.at.isoformat(timespec="seconds"),
                "role": a.role,
                "action": a.action,
                "target": a.target,
                "detail": json.loads(a.detail) if a.detail else None,
                "client": a.client,
                "outcome": a.outcome,
            }
            for a in session.execute(q).scalars()
        ]
