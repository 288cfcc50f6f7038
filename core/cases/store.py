"""Hand-off cases (转人工): opened from a conversation, answered and closed by an
officer, delivered back to the conversation that opened it. No Rasa import.

A case keeps the conversation's sender id (to deliver the answer there and
nowhere else), its channel and language, the question, the last turns, and the
enterprise only when the conversation is bound to one that consented to share
with customs (the caller decides). The case number is for people to quote; it
opens nothing. The case page is reached with a random token given only to the
conversation (stored as a SHA-256 digest).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from typing import Any

from sqlalchemy import select

from core.cases.models import ANSWERED, CLOSED, OPEN, HelpCase
from core.clock import utcnow as _now
from core.db import ready_engine, session_scope

STATUSES = (OPEN, ANSWERED, CLOSED)
MAX_ANSWER_CHARS = 4000
MAX_TURNS = 10


def _digest(token: str) -> str:
    return hashlib.sha256(("case-page-v1:" + str(token or "")).encode()).hexdigest()


class CaseError(ValueError):
    """A case operation that does not fit (unknown case, empty answer, closed case)."""


def _transcript(raw: str) -> list:
    try:
        data = json.loads(raw or "[]")
    except ValueError:
        return []
    return data if isinstance(data, list) else []


def case_dict(c: HelpCase) -> dict[str, Any]:
    def iso(t: dt.datetime | None) -> str | None:
        return t.isoformat(timespec="seconds") if t else None

    return {
        "id": c.id,
        "number": c.number,
        "channel": c.channel,
        "lang": c.lang,
        "question": c.question,
        "transcript": _transcript(c.transcript),
        "enterprise_code": c.enterprise_code,
        "enterprise_name": c.enterprise_name,
        "status": c.status,
        "answer": c.answer,
        "answered_by": c.answered_by,
        "answered_at": iso(c.answered_at),
        "delivered_at": iso(c.delivered_at),
        "delivered_via": c.delivered_via,
        "closed_at": iso(c.closed_at),
        "created_at": iso(c.created_at),
    }


def open_case(
    sender: str,
    question: str,
    *,
    transcript: list | None = None,
    channel: str = "",
    lang: str = "zh",
    enterprise_code: str | None = None,
    enterprise_name: str | None = None,
    answer_public_id: str | None = None,
    now: dt.datetime | None = None,
    engine=None,
) -> tuple[dict, str]:
    """Open a case; returns (case dict, page token). The page token is shown to
    the conversation once and kept only as a digest."""
    if not str(sender or "").strip():
        raise CaseError("a case needs the conversation's sender id")
    token = secrets.token_urlsafe(18)
    turns = [
        {"from": "user" if t.get("from") == "user" else "bot", "text": str(t.get("text") or "")[:1000]}
        for t in (transcript or [])[-MAX_TURNS:]
        if isinstance(t, dict) and t.get("text")
    ]
    when = now or _now()
    with session_scope(ready_engine(engine)) as session:
        c = HelpCase(
            sender=str(sender)[:200],
            channel=str(channel or "")[:20],
            lang="en" if lang == "en" else "zh",
            question=str(question or "").strip()[:2000],
            transcript=json.dumps(turns, ensure_ascii=False),
            enterprise_code=enterprise_code or None,
            enterprise_name=(enterprise_name or None) if enterprise_code else None,
            answer_public_id=answer_public_id,
            page_token_digest=_digest(token),
            status=OPEN,
            created_at=when,
        )
        session.add(c)
        session.flush()
        c.number = f"RG{when:%y%m%d}-{c.id:04d}"
        session.flush()
        return case_dict(c), token


def _get(session, case_id: Any) -> HelpCase:
    try:
        cid = int(case_id)
    except (TypeError, ValueError):
        raise CaseError("no such case") from None
    c = session.get(HelpCase, cid)
    if c is None:
        raise CaseError("no such case")
    return c


def get_case(case_id: Any, *, engine=None) -> dict:
    """Officer view of one case (raises CaseError)."""
    with session_scope(ready_engine(engine)) as session:
        return case_dict(_get(session, case_id))


def delivery_target(case_id: Any, *, engine=None) -> dict:
    """Where to deliver the answer: {"sender", "channel", "lang", "number", "answer"} (server side only)."""
    with session_scope(ready_engine(engine)) as session:
        c = _get(session, case_id)
        return {"sender": c.sender, "channel": c.channel, "lang": c.lang, "number": c.number, "answer": c.answer}


def list_cases(status: str | None = None, *, limit: int = 200, engine=None) -> list[dict]:
    """Cases, newest first; ``status`` "open" | "answered" | "closed" | None (all)."""
    with session_scope(ready_engine(engine)) as session:
        q = select(HelpCase).order_by(HelpCase.created_at.desc(), HelpCase.id.desc()).limit(limit)
        if status:
            q = q.where(HelpCase.status == status)
        return [case_dict(c) for c in session.execute(q).scalars()]


def answer_case(
    case_id: Any, answer: str, officer: str = "officer", *, now: dt.datetime | None = None, engine=None
) -> dict:
    text = str(answer or "").strip()
    if not text:
        raise CaseError("the answer is empty")
    if len(text) > MAX_ANSWER_CHARS:
        raise CaseError(f"the answer is longer than {MAX_ANSWER_CHARS} characters")
    with session_scope(ready_engine(engine)) as session:
        c = _get(session, case_id)
        if c.status == CLOSED:
            raise CaseError("the case is closed")
        c.answer = text
        c.answered_by = str(officer or "officer")[:80]
        c.answered_at = now or _now()
        c.status = ANSWERED
        c.delivered_at = None
        c.delivered_via = None
        return case_dict(c)


def close_case(case_id: Any, *, now: dt.datetime | None = None, engine=None) -> dict:
    with session_scope(ready_engine(engine)) as session:
        c = _get(session, case_id)
        if c.status != CLOSED:
            c.status = CLOSED
            c.closed_at = now or _now()
        return case_dict(c)


def mark_delivered(case_id: Any, via: str, *, now: dt.datetime | None = None, engine=None) -> None:
    with session_scope(ready_engine(engine)) as session:
        c = _get(session, case_id)
        if c.delivered_at is None:
            c.delivered_at = now or _now()
            c.delivered_via = str(via)[:20]


def _public(c: HelpCase) -> dict:
    """What the enterprise's own conversation may see of its case."""
    return {
        "number": c.number,
        "status": c.status,
        "lang": c.lang,
        "question": c.question,
        "answer": c.answer if c.status in (ANSWERED, CLOSED) else None,
        "answered_at": c.answered_at.isoformat(timespec="seconds") if c.answered_at else None,
        "created_at": c.created_at.isoformat(timespec="seconds"),
    }


def answers_for_sender(sender: str, *, engine=None) -> list[dict]:
    """The answered cases of this conversation (sender id), oldest first. The
    first read marks them delivered (via "session")."""
    if not str(sender or "").strip():
        return []
    with session_scope(ready_engine(engine)) as session:
        rows = (
            session.execute(
                select(HelpCase)
                .where(HelpCase.sender == str(sender), HelpCase.answer.is_not(None))
                .order_by(HelpCase.answered_at, HelpCase.id)
            )
            .scalars()
            .all()
        )
        for c in rows:
            if c.delivered_at is None:
                c.delivered_at, c.delivered_via = _now(), "session"
        return [_public(c) for c in rows]


def case_for_page(token: str, *, engine=None) -> dict | None:
    """The case behind a page token, as its conversation may see it; None otherwise."""
    if not token or len(str(token)) > 64:
        return None
    with session_scope(ready_engine(engine)) as session:
        c = session.execute(select(HelpCase).where(HelpCase.page_token_digest == _digest(token))).scalar_one_or_none()
        return _public(c) if c else None


def answered_cases(*, limit: int = 100, engine=None) -> list[dict]:
    """Cases with an officer's answer, newest answer first (knowledge drafts on the review page)."""
    with session_scope(ready_engine(engine)) as session:
        rows = session.execute(
            select(HelpCase)
            .where(HelpCase.answer.is_not(None))
            .order_by(HelpCase.answered_at.desc(), HelpCase.id.desc())
            .limit(limit)
        ).scalars()
        return [case_dict(c) for c in rows]


def knowledge_draft(case_id: Any, *, today: dt.date | None = None, engine=None) -> str:
    """A knowledge entry draft (YAML in the shape of knowledge/policy/*.yaml) from an
    officer's answer, for an editor to complete (topic, source, article) and review."""
    import yaml

    c = get_case(case_id, engine=engine)
    if not c["answer"]:
        raise CaseError("the case has no answer yet")
    day = (today or dt.date.today()).isoformat()
    zh = c["lang"] == "zh"
    entry = {
        "id": f"draft.case_{c['number']}",
        "topic": "TODO",
        "source": "TODO",
        "verified": False,
        "last_reviewed": day,
        "questions": {"zh": [c["question"]] if zh else [], "en": [] if zh else [c["question"]]},
        "answer": {"zh": c["answer"] if zh else "TODO", "en": "TODO" if zh else c["answer"]},
    }
    head = (
        f"# Draft from case {c['number']} (answered by {c['answered_by']} on {(c['answered_at'] or '')[:10]}).\n"
        "# Fill in topic, source and article, translate the answer, check it against the law, then add it to\n"
        "# knowledge/policy/ and run `make knowledge` (see knowledge/README.md).\n"
    )
    return head + yaml.safe_dump({"entries": [entry]}, allow_unicode=True, sort_keys=False)
