"""A lock held by at most one gateway of a cluster, for jobs that must run once
per cluster (the reminder run), not once per replica.

Where the lock lives follows what the replicas share:

* ``REDIS_URL`` set: a Redis key (SET NX PX with a random token; released only
  by its holder; it expires on its own if the holder dies);
* otherwise PostgreSQL: a session advisory lock on the shared database (released
  when the run ends or its connection drops);
* otherwise SQLite: an exclusive ``flock`` on a file next to the database file
  (gateways sharing an SQLite file run on one machine, so they share the lock file).

``async with exclusive("reminders", ...) as held:`` gives ``held`` False when
another gateway is running the job; it does not wait.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import zlib
from collections.abc import AsyncIterator
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine

from core.db import get_engine

logger = logging.getLogger(__name__)

PREFIX = "cca:lock:"
# Compare-and-delete: only the holder's token releases the key.
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"


@contextlib.asynccontextmanager
async def exclusive(
    name: str, *, redis_url: str | None = None, engine: Engine | None = None, ttl: float = 900.0
) -> AsyncIterator[bool]:
    if redis_url:
        async with _redis_lock(name, redis_url, ttl) as held:
            yield held
        return
    engine = engine or get_engine()
    dialect = engine.dialect.name
    if dialect == "postgresql":
        async with _pg_lock(name, engine) as held:
            yield held
    elif dialect == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        async with _file_lock(name, Path(str(engine.url.database))) as held:
            yield held
    else:
        # One process with a private database: nobody to share the job with.
        yield True


@contextlib.asynccontextmanager
async def _redis_lock(name: str, url: str, ttl: float) -> AsyncIterator[bool]:
    import redis.asyncio as aioredis  # only when REDIS_URL is set

    client = aioredis.from_url(url)
    key, token = PREFIX + name, secrets.token_hex(16)
    try:
        held = bool(await client.set(key, token, nx=True, px=int(ttl * 1000)))
        try:
            yield held
        finally:
            if held:
                await client.eval(_RELEASE, 1, key, token)
    finally:
        await client.close()


@contextlib.asynccontextmanager
async def _pg_lock(name: str, engine: Engine) -> AsyncIterator[bool]:
    key = zlib.crc32(f"{PREFIX}{name}".encode())
    conn = await asyncio.to_thread(engine.connect)
    try:
        held = bool(
            await asyncio.to_thread(lambda: conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar())
        )
        try:
            yield held
        finally:
            if held:
                await asyncio.to_thread(
                    lambda: conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key}).scalar()
                )
    finally:
        await asyncio.to_thread(conn.close)


@contextlib.asynccontextmanager
async def _file_lock(name: str, database: Path) -> AsyncIterator[bool]:
    import fcntl

    path = database.with_name(f"{database.name}.{name}.lock")
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
