"""Secrets shared by the assistant's processes, never on a command line.

Each comes from its environment variable; when unset, it is generated once and
kept in ``var/secrets/<NAME>`` (owner-only permissions) so that a restart keeps
signed sessions valid. Child processes receive them through their environment.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

NAMES = ("SESSION_SECRET", "ACTION_SECRET")


def ensure(name: str, env: dict, var_dir: Path) -> str:
    value = (env.get(name) or "").strip()
    if value:
        return value
    folder = var_dir / "secrets"
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    path = folder / name
    if path.is_file():
        value = path.read_text(encoding="utf-8").strip()
        if value:
            return value
    value = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(value)
    return value


PRIVATE_GLOBS = ("*.db", "*.db-wal", "*.db-shm", "endpoints*.yml", "secrets/*", "log/*", "log/**/*", "reports/*")


def restrict_permissions(var_dir: Path) -> None:
    """Owner-only permissions for what the assistant keeps under var/ that may
    hold data or secrets (databases, logs, endpoints files, secrets); the
    processes it starts create new files with umask 077 (launcher.py)."""
    if not var_dir.is_dir():
        return
    for pattern in PRIVATE_GLOBS:
        for path in var_dir.glob(pattern):
            _chmod(path, 0o700 if path.is_dir() else 0o600)
    for folder in ("secrets", "log"):
        if (var_dir / folder).is_dir():
            _chmod(var_dir / folder, 0o700)


def _chmod(path: Path, mode: int) -> None:
    try:
        if not path.is_symlink():
            os.chmod(path, mode)
    except OSError:
        pass
