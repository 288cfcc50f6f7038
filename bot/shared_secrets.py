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


def restrict_permissions(var_dir: Path) -> None:
    """Owner-only permissions for everything the assistant writes under var/
    (databases, logs, secrets): new files through the umask, old ones here."""
    os.umask(0o077)
    if not var_dir.is_dir():
        return
    for root, dirs, files in os.walk(var_dir):
        for d in dirs:
            _chmod(Path(root) / d, 0o700)
        for f in files:
            _chmod(Path(root) / f, 0o600)


def _chmod(path: Path, mode: int) -> None:
    try:
        if not path.is_symlink():
            os.chmod(path, mode)
    except OSError:
        pass
