"""Tables of the answer log and answer feedback (see core/feedback/store.py)."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Text

from core.clock import utcnow
from core.db import Base


class AnswerLog(Base):
    __tablename__ = "answer_log"

    id = Column(Integer, primary_key=True, autoincrement=True)
    public_id = Column(String(32), nullable=False, unique=True)  # unguessable, shown to the client
    sender_digest = Column(String(64), nullable=False, index=True)
    channel = Column(String(20), nullable=False, default="")
    lang = Column(String(5), nullable=False, default="zh")
    question = Column(Text, nullable=False, default="")
    outcome = Column(String(20), nullable=False)  # answer | suggestions | not_found | out_of_scope | ...
    entry_ids = Column(Text, nullable=False, default="[]")  # JSON list of knowledge entry ids shown
    enterprise_code = Column(String(18), nullable=True)  # only bound + consenting
    created_at = Column(DateTime, nullable=False, default=utcnow, index=True)


class AnswerFeedback(Base):
    __tablename__ = "answer_feedback"

    id = Column(Integer, primary_key=True, autoincrement=True)
    answer_id = Column(Integer, ForeignKey("answer_log.id", ondelete="CASCADE"), nullable=False, unique=True)
    rating = Column(String(10), nullable=False)  # up | down
    reason = Column(String(20), nullable=True)  # a key of REASONS
    created_at = Column(DateTime, nullable=False, default=utcnow)
    updated_at = Column(DateTime, nullable=False, default=utcnow)
