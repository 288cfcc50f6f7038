"""Failed attempts counted in the database, with a delay that doubles after
the free attempts, shared by every process and replica. No Rasa import.

Subjects are strings such as ``key-ent:<code>`` (guesses against one
enterprise, from anywhere), ``key-sender:<sender id>`` (guesses from one
conversation, against any enterprise) and ``officer:<client address>``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from core.clock import utcnow as _now
from core.db import create_schema, get_engine, session_scope
from core.enterprise.models import AuthFailure


@dataclass(frozen=True)
class Policy:
    free: int  # failures allowed before any delay
    base_seconds: float  # first delay; doubles with each further failure
    cap_seconds: float  # longest delay
    forget_after: float = 24 * 3600  # a quiet subject starts again from zero


KEY_PER_SENDER = Policy(free=3, base_seconds=30, cap_seconds=3600)
KEY_PER_ENTERPRISE = Policy(free=10, base_seconds=5, cap_seconds=600)
OFFICER_PER_CLIENT = Policy(free=5, base_seconds=30, cap_seconds=1800, forget_after=3600)


def wait_seconds(subject: str, engine=None, now: dt.datetime | None = None) -> float:
    """Seconds until ``subject`` may try again (0 when it may now)."""
    engine = create_schema(engine or get_engine())
    now = now or _now()
    with session_scope(engine) as s:
        row = s.get(AuthFailure, subject)
        if row is None or row.blocked_until is None:
            return 0.0
        return max(0.0, (row.blocked_until - now).total_seconds())


def record_failure(subject: str, policy: Policy, engine=None, now: dt.datetime | None = None) -> float:
    """Count one failure; returns the delay now imposed (0 within the free attempts)."""
    engine = create_schema(engine or get_engine())
    now = now or _now()
    for _ in range(3):
        try:
            with session_scope(engine) as s:
                row = s.get(AuthFailure, subject, with_for_update=True)
                if row is None:
                    row = AuthFailure(subject=subject[:240], failures=0)
                    s.add(row)
                elif row.last_failure and (now - row.last_failure).total_seconds() > policy.forget_after:
                    row.failures = 0
                row.failures = (row.failures or 0) + 1
                row.last_failure = now
                over = row.failures - policy.free
                delay = 0.0 if over <= 0 else min(policy.cap_seconds, policy.base_seconds * 2 ** (over - 1))
                row.blocked_until = now + dt.timedelta(seconds=delay) if delay else None
                return delay
        except IntegrityError:  # another process inserted the row first: count again
            continue
    return 0.0


def clear(subject: str, engine=None) -> None:
    engine = create_schema(engine or get_engine())
    with session_scope(engine) as s:
        s.execute(
            update(AuthFailure)
            .where(AuthFailure.subject == subject)
            .values(failures=0, blocked_until=None)
            .execution_options(synchronize_session=False)
        )
