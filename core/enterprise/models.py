"""The enterprise profile: everything an enterprise owns hangs off its
统一社会信用代码 (unified social credit code). Shared by the assessment
(issue 3) and the diagnosis/cultivation (issue 4) modules."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, String, Text

from core.clock import utcnow as _now
from core.db import Base


class Enterprise(Base):
    __tablename__ = "enterprise"

    code = Column(String(18), primary_key=True)  # validated 统一社会信用代码
    name = Column(String(200), nullable=False, default="")
    credit_level = Column(String(40), nullable=True)  # as recorded by an officer import
    customs_office = Column(String(100), nullable=True)
    business_types = Column(Text, nullable=True)  # JSON list
    contact = Column(String(200), nullable=True)
    production = Column(String(20), nullable=True)  # "production" | "non_production"
    sample = Column(String(5), nullable=True)  # "yes" for the labelled demo data set
    last_channel = Column(String(40), nullable=True)  # channel the enterprise last used
    last_sender = Column(String(200), nullable=True)  # sender id on that channel
    access_key_hash = Column(String(128), nullable=True)  # see enterprise_access.py
    created_at = Column(DateTime, default=_now, nullable=False)
    updated_at = Column(DateTime, default=_now, onupdate=_now, nullable=False)
