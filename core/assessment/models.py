"""Database models of the self-assessment: one row per assessment, one per answer."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, DateTime, ForeignKey, Integer, LargeBinary, String, UniqueConstraint

from core.clock import utcnow as _now
from core.db import Base


class Assessment(Base):
    __tablename__ = "assessment"

    id = Column(Integer, primary_key=True, autoincrement=True)
    enterprise_code = Column(String(18), ForeignKey("enterprise.code", ondelete="CASCADE"), nullable=False, index=True)
    standard = Column(String(20), nullable=False)  # advanced | certified | individual
    rule_set = Column(String(60), nullable=False)
    mode = Column(String(10), nullable=False, default="full")  # quick | full
    production = Column(Boolean, nullable=True)
    business_types = Column(JSON, nullable=True)
    status = Column(String(20), nullable=False, default="in_progress")
    current_item = Column(Integer, nullable=True)  # the item being asked; None = nothing left
    created_at = Column(DateTime, default=_now, nullable=False)
    updated_at = Column(DateTime, default=_now, onupdate=_now, nullable=False)
    completed_at = Column(DateTime, nullable=True)
    result = Column(JSON, nullable=True)


class AssessmentAnswer(Base):
    __tablename__ = "assessment_answer"
    __table_args__ = (UniqueConstraint("assessment_id", "item_number", name="uq_assessment_answer_item"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    assessment_id = Column(Integer, ForeignKey("assessment.id", ondelete="CASCADE"), nullable=False, index=True)
    item_number = Column(Integer, nullable=False)
    verdict = Column(String(10), nullable=False)
    source = Column(String(10), nullable=False, default="direct")  # direct | computed
    detail = Column(JSON, nullable=True)
    answered_at = Column(DateTime, default=_now, nullable=False)


class StoredReport(Base):
    """A generated PDF report (core/assessment/report_store.py), served by token until it expires."""

    __tablename__ = "stored_report"

    token = Column(String(64), primary_key=True)
    pdf = Column(LargeBinary, nullable=False)
    enterprise_code = Column(String(18), nullable=True, index=True)
    filename = Column(String(200), nullable=True)  # the name offered on download
    created_at = Column(DateTime, default=_now, nullable=False)
    expires_at = Column(DateTime, nullable=False, index=True)
