"""Time helpers shared by the domain: timestamps are naive UTC, days are dates."""

from __future__ import annotations

import datetime as dt
from typing import Any


def utcnow() -> dt.datetime:
    """Now, naive UTC (how every timestamp column stores time)."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def as_date(today: Any = None) -> dt.date:
    """A day from ``None`` (today), a date, a datetime or an ISO string."""
    if today is None:
        return dt.date.today()
    if isinstance(today, dt.datetime):
        return today.date()
    if isinstance(today, dt.date):
        return today
    return dt.date.fromisoformat(str(today))
