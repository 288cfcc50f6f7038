"""Access keys: what lets a conversation act for an enterprise. No Rasa import.

The 统一社会信用代码 is public, so it cannot be the only key to an enterprise's
answers, scores and plans. When an enterprise first starts a self-assessment,
it gets a short access key (shown once in that conversation); that first claim
shows as "not yet confirmed by customs" on the officer page until an officer
confirms it. Another conversation or channel must give the code *and* the key;
only a salted hash is stored. An officer can re-issue the key to a verified
contact, which voids every existing binding (binding.py).

Guessing is bounded: one key per message, failures counted per enterprise and
per conversation in the database with a doubling delay (throttle.py). Hashing
is slow on purpose; callers on an event loop run these functions in a thread.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from core.clock import utcnow as _now
from core.db import create_schema, get_engine, session_scope
from core.enterprise import binding, throttle
from core.enterprise.models import Enterprise

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
KEY_LENGTH = 8
_K = "A-HJ-NP-Za-hj-np-z2-9"
# A key as people write it: ABCD-EFGH, abcd efgh, ABCDEFGH (a key always has a digit).
KEY_RE = re.compile(rf"(?<![0-9A-Za-z])([{_K}]{{4}})[-\s]?([{_K}]{{4}})(?![0-9A-Za-z])")


def _hash(code: str, key: str, salt: str | None = None) -> str:
    salt = salt or secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac("sha256", f"{code}:{normalise_key(key)}".encode(), salt.encode(), 50_000).hex()
    return f"{salt}${digest}"


def normalise_key(key: str) -> str:
    return "".join(ch for ch in (key or "").upper() if ch.isalnum())


def format_key(key: str) -> str:
    return f"{key[:4]}-{key[4:]}"


def key_candidates(text: str) -> list[str]:
    """Every key-shaped word in ``text`` (8 key characters with at least one
    digit, optionally split 4-4), normalised."""
    out = []
    for m in KEY_RE.finditer(text or ""):
        cand = (m.group(1) + m.group(2)).upper()
        if any(ch.isdigit() for ch in cand):
            out.append(cand)
    return out


REDACTED = "[访问码已隐藏/key hidden]"


def redact_keys(text: str) -> str:
    """``text`` with every key-shaped word replaced (for stores and logs)."""

    def sub(m: re.Match) -> str:
        return REDACTED if any(ch.isdigit() for ch in m.group(0)) else m.group(0)

    return KEY_RE.sub(sub, text)


def _new_key() -> str:
    while True:
        key = "".join(secrets.choice(ALPHABET) for _ in range(KEY_LENGTH))
        if any(ch.isdigit() for ch in key) and any(ch.isalpha() for ch in key):
            return key


def has_key(code: str, engine=None) -> bool:
    engine = create_schema(engine or get_engine())
    with session_scope(engine) as s:
        ent = s.get(Enterprise, code)
        return bool(ent and ent.access_key_hash)


def issue_key(
    code: str,
    name: str = "",
    engine=None,
    replace: bool = False,
    by: str = "self",
    contact: str | None = None,
) -> str | None:
    """A new key for the enterprise (created if missing). Returns None when it
    already has one and ``replace`` is false: of simultaneous first claims,
    exactly one gets a key (a conditional update). A replaced key ends every
    binding and clears the enterprise's guessing counter."""
    engine = create_schema(engine or get_engine())
    try:
        with session_scope(engine) as s:
            if s.get(Enterprise, code) is None:
                s.add(Enterprise(code=code, name=name or ""))
    except IntegrityError:
        pass  # created by a simultaneous claim
    key = _new_key()
    now = _now()
    stmt = update(Enterprise).where(Enterprise.code == code)
    if not replace:
        stmt = stmt.where(Enterprise.access_key_hash.is_(None))
    stmt = stmt.values(
        access_key_hash=_hash(code, key),
        key_version=Enterprise.key_version + 1,
        key_issued_at=now,
        key_issued_by=by,
        key_confirmed_at=now if by == "officer" else None,
        key_contact=(contact or "")[:200] or None,
    ).execution_options(synchronize_session=False)
    with session_scope(engine) as s:
        if s.execute(stmt).rowcount != 1:
            return None
    if replace:
        binding.revoke_enterprise(code, engine=engine)
        throttle.clear(f"key-ent:{code}", engine=engine)
    return format_key(key)


def confirm_claim(code: str, engine=None) -> bool:
    """An officer confirms that the enterprise's self-claimed key is its own."""
    engine = create_schema(engine or get_engine())
    with session_scope(engine) as s:
        ent = s.get(Enterprise, code)
        if ent is None or not ent.access_key_hash:
            return False
        ent.key_confirmed_at = ent.key_confirmed_at or _now()
        return True


def verify(code: str, key: str, engine=None) -> bool:
    """The bare hash comparison (no counting): prefer :func:`check`."""
    engine = create_schema(engine or get_engine())
    with session_scope(engine) as s:
        ent = s.get(Enterprise, code)
        if ent is None or not ent.access_key_hash:
            return False
        stored = ent.access_key_hash
    salt, _, _digest = stored.partition("$")
    return hmac.compare_digest(_hash(code, key, salt), stored)


@dataclass(frozen=True)
class KeyCheck:
    ok: bool
    reason: str = ""  # "" | "wrong" | "wait" | "several" | "none"
    wait_seconds: float = 0.0


def check(code: str, text: str, sender: str, engine=None) -> KeyCheck:
    """Check the one key written in ``text`` for ``code`` on behalf of the
    conversation ``sender``: refused without counting when the message holds
    no key or several, refused while either counter imposes a delay, counted
    when wrong. Blocking: run it off the event loop."""
    engine = create_schema(engine or get_engine())
    cands = key_candidates(text)
    if not cands:
        return KeyCheck(False, "none")
    if len(set(cands)) > 1:
        return KeyCheck(False, "several")
    policies = {f"key-ent:{code}": throttle.KEY_PER_ENTERPRISE}
    if sender:
        policies[f"key-sender:{sender}"] = throttle.KEY_PER_SENDER
    wait = max(throttle.wait_seconds(sub, engine=engine) for sub in policies)
    if wait > 0:
        return KeyCheck(False, "wait", wait)
    if verify(code, cands[0], engine=engine):
        if sender:
            throttle.clear(f"key-sender:{sender}", engine=engine)
        return KeyCheck(True)
    delay = max(throttle.record_failure(sub, policy, engine=engine) for sub, policy in policies.items())
    return KeyCheck(False, "wrong", delay)


def key_status(code: str, engine=None) -> dict:
    """For the officer page: who holds the key and whether customs confirmed it."""
    engine = create_schema(engine or get_engine())
    with session_scope(engine) as s:
        ent = s.get(Enterprise, code)
        if ent is None or not ent.access_key_hash:
            return {"has_key": False}
        return {
            "has_key": True,
            "issued_at": ent.key_issued_at,
            "issued_by": ent.key_issued_by or "self",
            "confirmed": ent.key_confirmed_at is not None,
            "contact": ent.key_contact,
            "version": ent.key_version or 0,
        }


def claims(engine=None, limit: int = 200) -> list[dict]:
    """Enterprises holding a key, not yet confirmed by customs first, newest first."""
    from sqlalchemy import select

    from core.enterprise.models import EnterpriseBinding

    engine = create_schema(engine or get_engine())
    with session_scope(engine) as s:
        rows = (
            s.execute(
                select(Enterprise)
                .where(Enterprise.access_key_hash.is_not(None))
                .order_by(Enterprise.key_confirmed_at.is_not(None), Enterprise.key_issued_at.desc())
                .limit(limit)
            )
            .scalars()
            .all()
        )
        out = []
        for ent in rows:
            live = s.query(EnterpriseBinding).filter(EnterpriseBinding.enterprise_code == ent.code).count()
            out.append(
                {
                    "code": ent.code,
                    "name": ent.name,
                    "issued_at": ent.key_issued_at,
                    "issued_by": ent.key_issued_by or "self",
                    "confirmed": ent.key_confirmed_at is not None,
                    "contact": ent.key_contact,
                    "conversations": live,
                }
            )
        return out
