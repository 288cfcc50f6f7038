"""Ports for the servers the tests start.

Picked below the kernel's ephemeral range (32768-60999 on Linux by default): a port handed out
by binding port 0 lies inside that range, so an outgoing connection made before the server
binds it (a database client, an HTTP request) could take it first and the server would fail
with "address already in use". Ports are also never handed out twice in one test process."""

from __future__ import annotations

import random
import socket
import threading

_LOW, _HIGH = 20000, 32000
_given: set[int] = set()
_lock = threading.Lock()


def _bindable(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_block(n: int = 1) -> int:
    """The first of ``n`` consecutive free ports."""
    for _ in range(1000):
        base = random.randrange(_LOW, _HIGH - n)
        ports = range(base, base + n)
        with _lock:
            if any(p in _given for p in ports) or not all(_bindable(p) for p in ports):
                continue
            _given.update(ports)
            return base
    raise RuntimeError(f"no block of {n} free ports in {_LOW}-{_HIGH}")


def free_port() -> int:
    return free_block(1)
