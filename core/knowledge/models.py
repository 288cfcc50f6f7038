"""Tables the knowledge loader fills from ``knowledge/``.

The YAML files are the source of truth; these tables are a query-friendly copy
that every process (action servers, gateway) reads. A load replaces the whole
copy inside one transaction, so readers see either the old or the new
knowledge, never a mix.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, ForeignKey, Integer, String, Text

from core.db import Base


class KnowledgeMeta(Base):
    __tablename__ = "kb_meta"

    key = Column(String(50), primary_key=True)
    value = Column(Text, nullable=False)


class Source(Base):
    __tablename__ = "kb_source"

    id = Column(String(80), primary_key=True)
    title_zh = Column(Text, nullable=False)
    title_en = Column(Text, nullable=False)
    issued = Column(Date, nullable=True)
    effective_from = Column(Date, nullable=True)
    effective_to = Column(Date, nullable=True)
    status = Column(String(20), nullable=False)
    url = Column(Text, nullable=True)
    verified = Column(Boolean, nullable=False)
    note = Column(Text, nullable=True)


class Topic(Base):
    __tablename__ = "kb_topic"

    id = Column(String(80), primary_key=True)
    title_zh = Column(Text, nullable=False)
    title_en = Column(Text, nullable=False)
    position = Column(Integer, nullable=False)


class Entry(Base):
    __tablename__ = "kb_entry"

    id = Column(String(120), primary_key=True)
    kind = Column(String(20), nullable=False)  # "policy" | "standard_item"
    topic = Column(String(80), ForeignKey("kb_topic.id"), nullable=True)
    source_id = Column(String(80), ForeignKey("kb_source.id"), nullable=False)
    file = Column(String(200), nullable=False)
    questions_zh = Column(Text, nullable=False, default="")  # one per line
    questions_en = Column(Text, nullable=False, default="")
    answer_zh = Column(Text, nullable=False)
    answer_en = Column(Text, nullable=False)
    article_zh = Column(Text, nullable=True)
    article_en = Column(Text, nullable=True)
    effective_from = Column(Date, nullable=True)
    effective_to = Column(Date, nullable=True)
    verified = Column(Boolean, nullable=False)
    last_reviewed = Column(Date, nullable=True)
    keywords = Column(Text, nullable=False, default="")  # one per line
    # Standard items only
    standard = Column(String(20), nullable=True)
    item_number = Column(Integer, nullable=True)


class MraPartner(Base):
    __tablename__ = "kb_mra_partner"

    id = Column(String(80), primary_key=True)
    name_zh = Column(String(80), nullable=False)
    name_en = Column(String(120), nullable=False)
    status = Column(String(20), nullable=False)  # "partner" | "unconfirmed" | "non_partner"
    member_of = Column(String(80), nullable=True)  # e.g. EU member states -> "eu"
    aliases = Column(Text, nullable=False, default="")  # one per line, lower-cased
    signed = Column(Date, nullable=True)
    implemented = Column(Date, nullable=True)
    source_id = Column(String(80), nullable=True)
    verified = Column(Boolean, nullable=False, default=False)
    note = Column(Text, nullable=True)
