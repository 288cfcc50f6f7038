"""Duplicate-delivery detection for WeChat retries (same MsgId within a TTL).

In memory by default; Redis (SET NX EX) when a redis URL is given, so several
gateway processes share one store.
"""

from __future__ import annotations

import time
from collections import OrderedDict


class MemoryDedup:
    def __init__(self, ttl: float = 300.0, max_entries: int = 100_000):
        self.ttl = ttl
        self.max_entries = max_entries
        self._seen: OrderedDict[str, float] = OrderedDict()

    def _prune(self, now: float) -> None:
        while self._seen:
            key, expires = next(iter(self._seen.items()))
            if expires > now and len(self._seen) <= self.max_entries:
                break
            self._seen.popitem(last=False)

    async def first_time(self, key: str) -> bool:
        """Record `key`; True if it was not seen within the TTL."""
        now = time.monotonic()
        self._prune(now)
        expires = self._seen.get(key)
        if expires is not None and expires > now:
            return False
        self._seen[key] = now + self.ttl
        self._seen.move_to_end(key)
        return True

    async def close(self) -> None:
        pass


class RedisDedup:
    def __init__(self, url: str, ttl: float = 300.0, prefix: str = "cca:dedup:"):
        import redis.asyncio as aioredis  # lazy: only when REDIS_URL is set

        self._redis = aioredis.from_url(url)
        self.ttl = int(max(1, ttl))
        self.prefix = prefix

    async def first_time(self, key: str) -> bool:
        ok = await self._redis.set(self.prefix + key, "1", nx=True, ex=self.ttl)
        return bool(ok)

    async def close(self) -> None:
        await self._redis.close()


def make_dedup(redis_url: str | None, ttl: float = 300.0):
    if redis_url:
        return RedisDedup(redis_url, ttl)
    return MemoryDedup(ttl)
