"""The enterprise profile: everything an enterprise owns hangs off its
统一社会信用代码 (unified social credit code). Shared by the assessment
(issue 3) and the diagnosis/cultivation (issue 4) modules."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, String, Text

from core.clock import utcnow as _now
from core.db import Base


class Enterprise(Base):
    __tablename__ = "enterprise"

    code = Column(String(18), primary_key=True)  # validated 统一社会信用代码
    name = Column(String(200), nullable=False, default="")
    credit_level = Column(String(40), nullable=True)  # as recorded by an officer import
    customs_office = Column(String(100), nullable=True)
    district = Column(String(100), nullable=True)  # 关区 / district, for the officers' cohort view
    business_types = Column(Text, nullable=True)  # JSON list
    contact = Column(String(200), nullable=True)
    production = Column(String(20), nullable=True)  # "production" | "non_production"
    sample = Column(String(5), nullable=True)  # "yes" for the labelled demo data set
    last_channel = Column(String(40), nullable=True)  # channel the enterprise last used
    last_sender = Column(String(200), nullable=True)  # sender id on that channel
    access_key_hash = Column(String(128), nullable=True)  # see access.py
    # Each issue of a key bumps the version; bindings granted under an older
    # version are void (binding.py). A key the enterprise claimed itself stays
    # "not yet confirmed by customs" until an officer confirms or re-issues it.
    key_version = Column(Integer, nullable=False, default=0, server_default="0")
    key_issued_at = Column(DateTime, nullable=True)
    key_issued_by = Column(String(20), nullable=True)  # "self" | "officer"
    key_confirmed_at = Column(DateTime, nullable=True)
    key_contact = Column(String(200), nullable=True)  # verified contact an officer issued the key to
    created_at = Column(DateTime, default=_now, nullable=False)
    updated_at = Column(DateTime, default=_now, onupdate=_now, nullable=False)


class EnterpriseBinding(Base):
    """Which enterprise a conversation (sender id) may act for, kept on the
    server: granted by the access key (or a first claim), ended by idle time,
    "新对话", a kiosk reset or a re-issued key."""

    __tablename__ = "enterprise_binding"

    sender_id = Column(String(200), primary_key=True)
    enterprise_code = Column(String(18), nullable=False, index=True)
    key_version = Column(Integer, nullable=False)
    channel = Column(String(40), nullable=True)
    created_at = Column(DateTime, default=_now, nullable=False)
    last_seen = Column(DateTime, default=_now, nullable=False)


class AuthFailure(Base):
    """Failed attempts per subject ("key-ent:<code>", "key-sender:<id>",
    "officer:<client>"), shared by every process through the database."""

    __tablename__ = "auth_failure"

    subject = Column(String(240), primary_key=True)
    failures = Column(Integer, nullable=False, default=0)
    last_failure = Column(DateTime, nullable=True)
    blocked_until = Column(DateTime, nullable=True)


class SessionHandoff(Base):
    """A one-time, short-lived token that moves a conversation to another
    device (the kiosk's QR code): only its hash is stored."""

    __tablename__ = "session_handoff"

    token_hash = Column(String(64), primary_key=True)
    session_token = Column(String(300), nullable=False)
    expires_at = Column(DateTime, nullable=False, index=True)
