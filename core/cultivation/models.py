"""Database models of credit cultivation: plans, their tasks, consent to share, reminders sent."""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, ForeignKey, Integer, String, Text

from core.clock import utcnow as _now
from core.db import Base

SCOPE_SHARE = "share_with_customs"
PLAN_ACTIVE, PLAN_SUPERSEDED, PLAN_CLOSED = "active", "superseded", "closed"
TASK_OPEN, TASK_DONE = "open", "done"


class CultivationPlan(Base):
    __tablename__ = "cultivation_plan"

    id = Column(Integer, primary_key=True, autoincrement=True)
    enterprise_code = Column(String(18), ForeignKey("enterprise.code", ondelete="CASCADE"), nullable=False, index=True)
    created_at = Column(DateTime, default=_now, nullable=False)
    source_assessment_id = Column(String(64), nullable=True)
    status = Column(String(20), default=PLAN_ACTIVE, nullable=False)


class CultivationTask(Base):
    __tablename__ = "cultivation_task"

    id = Column(Integer, primary_key=True, autoincrement=True)
    plan_id = Column(Integer, ForeignKey("cultivation_plan.id", ondelete="CASCADE"), nullable=False, index=True)
    enterprise_code = Column(String(18), ForeignKey("enterprise.code", ondelete="CASCADE"), nullable=False, index=True)
    item_ref = Column(String(40), nullable=False)  # e.g. "advanced:18"
    title_zh = Column(String(300), nullable=False, default="")
    title_en = Column(String(300), nullable=False, default="")
    dimension = Column(String(40), nullable=True)
    owner_department = Column(String(100), nullable=True)
    severity = Column(String(20), nullable=True)  # the verdict: 不达标 / 基本达标 / ...
    due_date = Column(Date, nullable=False)
    evidence = Column(Text, nullable=True)  # what evidence closes the task
    status = Column(String(10), default=TASK_OPEN, nullable=False)
    done_at = Column(DateTime, nullable=True)
    history = Column(Text, nullable=False, default="[]")  # JSON list of events
    created_at = Column(DateTime, default=_now, nullable=False)


class Consent(Base):
    __tablename__ = "cultivation_consent"

    id = Column(Integer, primary_key=True, autoincrement=True)
    enterprise_code = Column(String(18), ForeignKey("enterprise.code", ondelete="CASCADE"), nullable=False, index=True)
    scope = Column(String(40), nullable=False, default=SCOPE_SHARE)
    granted_at = Column(DateTime, nullable=False, default=_now)
    revoked_at = Column(DateTime, nullable=True)
    granted_via = Column(String(80), nullable=True)  # channel / sender that granted it


class ReminderLog(Base):
    __tablename__ = "cultivation_reminder_log"

    id = Column(Integer, primary_key=True, autoincrement=True)
    enterprise_code = Column(String(18), ForeignKey("enterprise.code", ondelete="CASCADE"), nullable=False, index=True)
    task_id = Column(Integer, ForeignKey("cultivation_task.id", ondelete="CASCADE"), nullable=True)
    sent_on = Column(Date, nullable=False)
    sent_at = Column(DateTime, nullable=False, default=_now)
    channel = Column(String(40), nullable=True)
    sender = Column(String(200), nullable=True)
    kind = Column(String(20), nullable=False, default="due")  # due | overdue
