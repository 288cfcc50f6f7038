"""trust boundaries: key versions and confirmation, server-side enterprise
bindings, shared failure counters, one-time hand-off tokens, reports stored in
the database

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 02:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("enterprise", schema=None) as batch_op:
        batch_op.add_column(sa.Column("key_version", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("key_issued_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("key_issued_by", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("key_confirmed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("key_contact", sa.String(length=200), nullable=True))
    op.create_table(
        "enterprise_binding",
        sa.Column("sender_id", sa.String(length=200), nullable=False),
        sa.Column("enterprise_code", sa.String(length=18), nullable=False),
        sa.Column("key_version", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sender_id"),
    )
    with op.batch_alter_table("enterprise_binding", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_enterprise_binding_enterprise_code"), ["enterprise_code"], unique=False)
    op.create_table(
        "auth_failure",
        sa.Column("subject", sa.String(length=240), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure", sa.DateTime(), nullable=True),
        sa.Column("blocked_until", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("subject"),
    )
    op.create_table(
        "session_handoff",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("session_token", sa.String(length=300), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    with op.batch_alter_table("session_handoff", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_session_handoff_expires_at"), ["expires_at"], unique=False)
    op.create_table(
        "stored_report",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("enterprise_code", sa.String(length=18), nullable=True),
        sa.Column("filename", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("token"),
    )
    with op.batch_alter_table("stored_report", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stored_report_enterprise_code"), ["enterprise_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_stored_report_expires_at"), ["expires_at"], unique=False)


def downgrade() -> None:
    op.drop_table("stored_report")
    op.drop_table("session_handoff")
    op.drop_table("auth_failure")
    op.drop_table("enterprise_binding")
    with op.batch_alter_table("enterprise", schema=None) as batch_op:
        for col in ("key_contact", "key_confirmed_at", "key_issued_by", "key_issued_at", "key_version"):
            batch_op.drop_column(col)
