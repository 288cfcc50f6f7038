"""Signed session ids: the server, not the client, chooses who a conversation is.

A session token is ``<sender id>_<signature>``: the sender id Rasa keys the
conversation by, and an HMAC of it under ``SESSION_SECRET`` (shared by the web
gateway and the Rasa server's input channels, bot/channels/signed.py). Only
the sender id is stored or logged (tracker store, bindings); the token is held
by the client alone. A client-chosen or altered id has no valid signature and
is refused. The token matches the widget's id pattern ``[A-Za-z0-9_-]{1,64}``
for the ids the server issues.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping

_DOMAIN = b"cca-session-v1:"
SIG_CHARS = 32


class SessionSecretMissing(RuntimeError):
    pass


def secret_from_env(env: Mapping[str, str] | None = None) -> bytes:
    env = os.environ if env is None else env
    raw = (env.get("SESSION_SECRET") or "").strip()
    if len(raw) < 16:
        raise SessionSecretMissing(
            "SESSION_SECRET is not set (or shorter than 16 characters): the channels cannot sign or check session ids"
        )
    return raw.encode()


def _sig(sender: str, secret: bytes) -> str:
    return hmac.new(secret, _DOMAIN + sender.encode("utf-8"), hashlib.sha256).hexdigest()[:SIG_CHARS]


def sign(sender: str, secret: bytes) -> str:
    """The token for ``sender`` (for the gateway's own senders, e.g. ``wechat_mp:<openid>``)."""
    return f"{sender}_{_sig(sender, secret)}"


def verify(token: object, secret: bytes) -> str | None:
    """The sender id of a valid token, else None."""
    if not isinstance(token, str) or len(token) > 300:
        return None
    sender, sep, sig = token.rpartition("_")
    if not sep or not sender or len(sig) != SIG_CHARS:
        return None
    return sender if hmac.compare_digest(sig, _sig(sender, secret)) else None


def new_session(secret: bytes) -> str:
    """A fresh server-chosen session: a random sender id and its signature."""
    return sign("w" + secrets.token_hex(12), secret)


def main(argv: list | None = None) -> int:
    """``python -m bot.channels.session_token SENDER``: a signed session id for a
    REST client of this installation (SESSION_SECRET from the environment, else
    the one the launcher keeps in var/secrets/)."""
    import sys
    from pathlib import Path

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m bot.channels.session_token SENDER", file=sys.stderr)
        return 2
    env = dict(os.environ)
    if not env.get("SESSION_SECRET"):
        stored = Path(__file__).resolve().parents[2] / "var" / "secrets" / "SESSION_SECRET"
        env["SESSION_SECRET"] = stored.read_text(encoding="utf-8").strip() if stored.is_file() else ""
    try:
        print(sign(args[0], secret_from_env(env)))
    except SessionSecretMissing as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
