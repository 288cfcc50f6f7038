"""The audit log table (see core/audit/store.py)."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, String, Text

from core.clock import utcnow
from core.db import Base


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id = Column(Integer, primary_key=True, autoincrement=True)
    at = Column(DateTime, nullable=False, default=utcnow, index=True)
    role = Column(String(20), nullable=False)  # officer | editor
    action = Column(String(60), nullable=False)
    target = Column(String(200), nullable=True)
    detail = Column(Text, nullable=True)  # JSON
    client = Column(String(100), nullable=True)
    outcome = Column(String(20), nullable=False, default="ok")
