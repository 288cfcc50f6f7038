"""Gateway security basics: request bodies read in full up to a limit, JSON
parsing that never fails with a 500, the client address behind trusted
proxies, per-sender token buckets, and log hygiene (secrets masked, query
strings left out of the access log)."""

from __future__ import annotations

import ipaddress
import json
import logging
import re
import time
from typing import Any

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger


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


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_only(host_header: str) -> str:
    """'example:8080' -> 'example'; '[::1]:8080' -> '::1'."""
    h = host_header.strip()
    if h.startswith("["):
        return h[1 : h.find("]")] if "]" in h else h.strip("[]")
    return h.rsplit(":", 1)[0] if h.count(":") == 1 else h


def client_key(request: web.Request, trust_proxy: bool = False, hops: int = 1) -> str:
    """The client's address. Behind ``hops`` trusted proxies (GATEWAY_TRUST_PROXY),
    the address the outermost trusted proxy saw: X-Forwarded-For's ``hops``-th
    entry from the right (entries further left are the client's own claims)."""
    if trust_proxy:
        parts = [p.strip() for p in request.headers.get("X-Forwarded-For", "").split(",") if p.strip()]
        if len(parts) >= hops:
            return parts[-hops]
    return request.remote or "unknown"


async def read_limited(request: web.Request, limit: int) -> bytes:
    """The whole body, however it is sent (Content-Length or chunked), or 413
    as soon as it passes ``limit`` bytes."""
    if request.content_length is not None and request.content_length > limit:
        raise web.HTTPRequestEntityTooLarge(max_size=limit, actual_size=request.content_length)
    chunks, size = [], 0
    while True:
        chunk = await request.content.read(64 * 1024)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise web.HTTPRequestEntityTooLarge(max_size=limit, actual_size=size)
        chunks.append(chunk)


class BadJSON(ValueError):
    pass


async def read_json(request: web.Request, limit: int) -> Any:
    """The body parsed as JSON; BadJSON for anything the parser rejects (not
    UTF-8, malformed, nested too deep, numbers too long), 413 above ``limit``."""
    raw = await read_limited(request, limit)
    if not raw.strip():
        raise BadJSON("body is empty; expected JSON")
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BadJSON(f"body is not valid JSON ({type(exc).__name__})") from exc


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


class PathOnlyAccessLogger(AbstractAccessLogger):
    """Access log lines without query strings: WeChat signatures, session ids
    and tokens travel in them and must not be replayable from a log."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        if not self.logger.isEnabledFor(logging.INFO):
            return
        self.logger.info(
            '%s "%s %s" %s %s %.3fs',
            request.remote,
            request.method,
            request.path,
            response.status,
            response.body_length,
            time,
        )
