"""The hand-off case table (see core/cases/store.py)."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, String, Text

from core.clock import utcnow
from core.db import Base

OPEN, ANSWERED, CLOSED = "open", "answered", "closed"


class HelpCase(Base):
    __tablename__ = "help_case"

    id = Column(Integer, primary_key=True, autoincrement=True)
    number = Column(String(20), nullable=True, unique=True)
    sender = Column(String(200), nullable=False, index=True)  # the conversation to deliver to
    channel = Column(String(20), nullable=False, default="")
    lang = Column(String(5), nullable=False, default="zh")
    question = Column(Text, nullable=False, default="")
    transcript = Column(Text, nullable=False, default="[]")  # JSON [{"from": "user"|"bot", "text"}]
    enterprise_code = Column(String(18), nullable=True)
    enterprise_name = Column(String(200), nullable=True)
    answer_public_id = Column(String(32), nullable=True)  # the rated answer it came from
    page_token_digest = Column(String(64), nullable=False, unique=True)
    status = Column(String(10), nullable=False, default=OPEN, index=True)
    answer = Column(Text, nullable=True)
    answered_by = Column(String(80), nullable=True)
    answered_at = Column(DateTime, nullable=True)
    delivered_at = Column(DateTime, nullable=True)
    delivered_via = Column(String(20), nullable=True)
    closed_at = Column(DateTime, nullable=True)
    created_at = Column(DateTime, nullable=False, default=utcnow, index=True)
