"""Minimal async client for Rasa's REST channel (POST /webhooks/rest/webhook)."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp

from bot.channels import session_token

logger = logging.getLogger(__name__)


class RasaError(RuntimeError):
    pass


class RasaRestClient:
    """Sends as a sender the gateway vouches for: the sender id is signed with
    SESSION_SECRET (bot/channels/session_token.py), as Rasa's REST channel requires."""

    def __init__(
        self, base_url: str, session: aiohttp.ClientSession, timeout: float = 60.0, secret: bytes | None = None
    ):
        self.base_url = base_url.rstrip("/")
        self.secret = secret
        self.session = session
        self.timeout = aiohttp.ClientTimeout(total=timeout)

    async def send(self, sender: str, message: str, metadata: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        if not self.secret:
            raise RasaError("SESSION_SECRET is not set: the gateway cannot sign its senders for Rasa")
        payload: dict[str, Any] = {"sender": session_token.sign(sender, self.secret), "message": message}
        if metadata:
            payload["metadata"] = metadata
        url = f"{self.base_url}/webhooks/rest/webhook"
        try:
            async with self.session.post(url, json=payload, timeout=self.timeout) as resp:
                if resp.status != 200:
                    raise RasaError(f"Rasa answered HTTP {resp.status}")
                data = await resp.json(content_type=None)
        except aiohttp.ClientError as exc:
            raise RasaError(f"cannot reach Rasa at {self.base_url}: {exc}") from exc
        if not isinstance(data, list):
            raise RasaError("unexpected Rasa reply (not a list)")
        return [m for m in data if isinstance(m, dict)]
