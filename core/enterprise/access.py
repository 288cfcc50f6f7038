"""Access keys: what lets a conversation act for an enterprise. No Rasa import.

The 统一社会信用代码 is public, so it cannot be the only key to an enterprise's
answers, scores and plans. When an enterprise first starts a self-assessment,
it gets a short access key (shown once in that conversation). Another
conversation or channel (resuming at the kiosk, on the phone) must give the code
*and* the key; only a salted hash is stored. Officers can issue a new key.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from core.db import create_schema, get_engine, session_scope
from core.enterprise.models import Enterprise

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
KEY_LENGTH = 8


def _hash(code: str, key: str, salt: str | None = None) -> str:
    salt = salt or secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac("sha256", f"{code}:{normalise_key(key)}".encode(), salt.encode(), 50_000).hex()
    return f"{salt}${digest}"


def normalise_key(key: str) -> str:
    return "".join(ch for ch in (key or "").upper() if ch.isalnum())


def format_key(key: str) -> str:
    return f"{key[:4]}-{key[4:]}"


def has_key(code: str, engine=None) -> bool:
    engine = create_schema(engine or get_engine())
    with session_scope(engine) as s:
        ent = s.get(Enterprise, code)
        return bool(ent and ent.access_key_hash)


def issue_key(code: str, name: str = "", engine=None, replace: bool = False) -> str | None:
    """A new key for the enterprise (created if missing). Returns None when it
    already has one and ``replace`` is false."""
    engine = create_schema(engine or get_engine())
    with session_scope(engine) as s:
        ent = s.get(Enterprise, code)
        if ent is None:
            ent = Enterprise(code=code, name=name or "")
            s.add(ent)
        if ent.access_key_hash and not replace:
            return None
        key = "".join(secrets.choice(ALPHABET) for _ in range(KEY_LENGTH))
        ent.access_key_hash = _hash(code, key)
        return format_key(key)


def verify(code: str, key: str, engine=None) -> bool:
    engine = create_schema(engine or get_engine())
    with session_scope(engine) as s:
        ent = s.get(Enterprise, code)
        if ent is None or not ent.access_key_hash:
            return False
        salt, _, _digest = ent.access_key_hash.partition("$")
        return hmac.compare_digest(_hash(code, key, salt), ent.access_key_hash)
