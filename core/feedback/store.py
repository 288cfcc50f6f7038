"""Every answer the assistant gives is logged with what it showed; a user can
rate it (有帮助 / 没帮助) with an optional reason. No Rasa import.

The log keeps the question, the knowledge entries (answer units) shown, the
outcome (answered / topic buttons / redirected ...), language, channel and
time. The conversation is kept only as a SHA-256 digest of its sender id (so
feedback can be checked to come from the conversation that got the answer),
and the enterprise code only when the conversation is bound to an enterprise
that consented to share with customs (the caller decides and passes it).

A rating is accepted only from the conversation the answer was given to: the
answer's public id alone is not enough.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from typing import Any

from sqlalchemy import select

from core.clock import utcnow as _now
from core.db import ready_engine, session_scope
from core.feedback.models import AnswerFeedback, AnswerLog

RATINGS = ("up", "down")
REASONS = {
    "off_topic": {"zh": "答非所问", "en": "Didn't answer my question"},
    "outdated": {"zh": "信息过时", "en": "Out of date"},
    "unclear": {"zh": "看不懂", "en": "Hard to understand"},
    "other": {"zh": "其他", "en": "Other"},
}
# Outcomes the editors review even without a 没帮助.
REVIEW_OUTCOMES = ("suggestions", "not_found", "out_of_scope")
MAX_QUESTION_CHARS = 500


def sender_digest(sender: str) -> str:
    return hashlib.sha256(("answer-log-v1:" + str(sender or "")).encode()).hexdigest()


def _entry_ids(raw: str) -> list:
    try:
        data = json.loads(raw or "[]")
    except ValueError:
        return []
    return [str(x) for x in data] if isinstance(data, list) else []


def record_answer(
    sender: str,
    question: str,
    outcome: str,
    *,
    entry_ids: list | None = None,
    lang: str = "zh",
    channel: str = "",
    enterprise_code: str | None = None,
    now: dt.datetime | None = None,
    engine=None,
) -> str:
    """Log one answer; returns its public id (for the feedback buttons)."""
    public_id = secrets.token_urlsafe(12)
    with session_scope(ready_engine(engine)) as session:
        session.add(
            AnswerLog(
                public_id=public_id,
                sender_digest=sender_digest(sender),
                channel=str(channel or "")[:20],
                lang="en" if lang == "en" else "zh",
                question=str(question or "")[:MAX_QUESTION_CHARS],
                outcome=str(outcome or "answer")[:20],
                entry_ids=json.dumps([str(e) for e in entry_ids or []], ensure_ascii=False),
                enterprise_code=enterprise_code or None,
                created_at=now or _now(),
            )
        )
    return public_id


def _answer_dict(row: AnswerLog, fb: AnswerFeedback | None = None) -> dict:
    return {
        "id": row.public_id,
        "question": row.question,
        "outcome": row.outcome,
        "entry_ids": _entry_ids(row.entry_ids),
        "lang": row.lang,
        "channel": row.channel,
        "enterprise_code": row.enterprise_code,
        "created_at": row.created_at.isoformat(timespec="seconds"),
        "rating": fb.rating if fb else None,
        "reason": fb.reason if fb else None,
    }


def _own_answer(session, public_id: str, sender: str) -> AnswerLog | None:
    if not public_id or len(str(public_id)) > 32:
        return None
    return session.execute(
        select(AnswerLog).where(AnswerLog.public_id == str(public_id), AnswerLog.sender_digest == sender_digest(sender))
    ).scalar_one_or_none()


def get_answer(public_id: str, sender: str, *, engine=None) -> dict | None:
    """The answer, only for the conversation it was given to."""
    with session_scope(ready_engine(engine)) as session:
        row = _own_answer(session, public_id, sender)
        if row is None:
            return None
        fb = session.execute(select(AnswerFeedback).where(AnswerFeedback.answer_id == row.id)).scalar_one_or_none()
        return _answer_dict(row, fb)


def record_feedback(
    public_id: str,
    sender: str,
    *,
    rating: str | None = None,
    reason: str | None = None,
    now: dt.datetime | None = None,
    engine=None,
) -> dict | None:
    """Rate an answer of this conversation. A reason alone implies 没帮助.
    None when the answer does not exist or belongs to another conversation.
    Raises ValueError for an unknown rating or reason."""
    if rating is not None and rating not in RATINGS:
        raise ValueError(f"rating must be one of {RATINGS}")
    if reason is not None and reason not in REASONS:
        raise ValueError(f"reason must be one of {sorted(REASONS)}")
    if rating is None and reason is None:
        raise ValueError("rating or reason required")
    when = now or _now()
    with session_scope(ready_engine(engine)) as session:
        row = _own_answer(session, public_id, sender)
        if row is None:
            return None
        fb = session.execute(select(AnswerFeedback).where(AnswerFeedback.answer_id == row.id)).scalar_one_or_none()
        if fb is None:
            fb = AnswerFeedback(answer_id=row.id, rating=rating or "down", reason=reason, created_at=when)
            session.add(fb)
        else:
            if rating is not None:
                fb.rating = rating
                if rating == "up":
                    fb.reason = None
            if reason is not None:
                fb.rating, fb.reason = "down", reason
        fb.updated_at = when
        session.flush()
        return _answer_dict(row, fb)


def review_items(since: dt.datetime | None = None, *, limit: int = 5000, engine=None) -> list:
    """Answers editors should look at, newest first: outcomes that fell back or were
    redirected, and answers rated 没帮助. [{..answer dict.., "why": [...]}]"""
    with session_scope(ready_engine(engine)) as session:
        q = (
            select(AnswerLog, AnswerFeedback)
            .outerjoin(AnswerFeedback, AnswerFeedback.answer_id == AnswerLog.id)
            .where((AnswerLog.outcome.in_(REVIEW_OUTCOMES)) | (AnswerFeedback.rating == "down"))
            .order_by(AnswerLog.created_at.desc(), AnswerLog.id.desc())
            .limit(limit)
        )
        if since is not None:
            q = q.where(AnswerLog.created_at >= since)
        out = []
        for row, fb in session.execute(q).all():
            d = _answer_dict(row, fb)
            why = []
            if row.outcome in REVIEW_OUTCOMES:
                why.append(row.outcome)
            if fb is not None and fb.rating == "down":
                why.append("unhelpful")
            d["why"] = why
            out.append(d)
        return out


def feedback_counts(*, engine=None) -> dict[str, Any]:
    """{"up": n, "down": n, "answers": n} (for the review page header)."""
    with session_scope(ready_engine(engine)) as session:
        ratings = list(session.execute(select(AnswerFeedback.rating)).scalars())
        total = len(list(session.execute(select(AnswerLog.id)).scalars()))
    return {"up": ratings.count("up"), "down": ratings.count("down"), "answers": total}
