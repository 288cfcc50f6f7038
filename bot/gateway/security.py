"""Gateway security basics: request body limits, per-sender token buckets,
and a log filter that masks secrets."""

from __future__ import annotations

import logging
import re
import time

from aiohttp import web


class TokenBucketLimiter:
    """One token bucket per key (client IP, WeChat user...)."""

    def __init__(self, rate: float, burst: int, max_keys: int = 50_000):
        self.rate = float(rate)
        self.burst = max(1, int(burst))
        self.max_keys = max_keys
        self._buckets: dict[str, tuple[float, float]] = {}

    def allow(self, key: str, cost: float = 1.0) -> bool:
        if self.rate <= 0:
            return True  # disabled
        now = time.monotonic()
        tokens, last = self._buckets.get(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * self.rate)
        ok = tokens >= cost
        if ok:
            tokens -= cost
        if len(self._buckets) >= self.max_keys and key not in self._buckets:
            self._prune(now)
        self._buckets[key] = (tokens, now)
        return ok

    def _prune(self, now: float) -> None:
        full_after = self.burst / self.rate
        for k in [k for k, (_, t) in self._buckets.items() if now - t > full_after]:
            del self._buckets[k]
        if len(self._buckets) >= self.max_keys:  # still full: drop the oldest
            for k in sorted(self._buckets, key=lambda k: self._buckets[k][1])[: self.max_keys // 10]:
                del self._buckets[k]


def client_key(request: web.Request, trust_proxy: bool = False) -> str:
    if trust_proxy:
        fwd = request.headers.get("X-Forwarded-For", "")
        if fwd:
            return fwd.split(",")[0].strip()
    return request.remote or "unknown"


async def read_limited(request: web.Request, limit: int) -> bytes:
    """Read the body, answering 413 when it is larger than `limit` bytes."""
    if request.content_length is not None and request.content_length > limit:
        raise web.HTTPRequestEntityTooLarge(max_size=limit, actual_size=request.content_length)
    data = await request.content.read(limit + 1)
    if len(data) > limit:
        raise web.HTTPRequestEntityTooLarge(max_size=limit, actual_size=len(data))
    return data


_SECRET_RE = re.compile(
    r"(?i)((?:access_token|secret|corpsecret|appsecret|aes_key|encodingaeskey|token|password)[\"']?\s*[=:]\s*[\"']?)([^&\s\"',}]+)"
)


class RedactSecretsFilter(logging.Filter):
    """Masks access tokens, secrets and keys in log records (e.g. URLs that
    aiohttp or a traceback prints)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            msg = record.getMessage()
        except Exception:
            return True
        red = _SECRET_RE.sub(lambda m: m.group(1) + "***", msg)
        if red != msg:
            record.msg, record.args = red, ()
        return True
