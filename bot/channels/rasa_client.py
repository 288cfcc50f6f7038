"""Minimal async client for Rasa's REST channel (POST /webhooks/rest/webhook)."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp

logger = logging.getLogger(__name__)


class RasaError(RuntimeError):
    pass


class RasaRestClient:
    def __init__(self, base_url: str, session: aiohttp.ClientSession, timeout: float = 60.0):
        self.base_url = base_url.rstrip("/")
        self.session = session
        self.timeout = aiohttp.ClientTimeout(total=timeout)

    async def send(self, sender: str, message: str, metadata: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        payload: dict[str, Any] = {"sender": sender, "message": message}
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
