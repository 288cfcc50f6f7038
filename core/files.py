"""Where the project's files are, and the one way the domain reads a YAML file.

``read_yaml`` parses a file and turns a missing file or broken YAML into the
caller's own error type (each knowledge file names its problems its own way);
``cached`` keeps what a builder made from a file until the file changes, so an
edited knowledge file takes effect without a restart.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml

PROJECT_ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"
VAR_DIR = PROJECT_ROOT / "var"

T = TypeVar("T")
Fail = Callable[[str], Exception]

_lock = threading.Lock()
_cache: dict[tuple[str, str], tuple[tuple[int, int], Any]] = {}


def read_yaml(path: Path, fail: Fail) -> Any:
    """The parsed file; ``fail(message)`` is raised when it is missing or not valid YAML."""
    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except FileNotFoundError:
        raise fail("file not found") from None
    except yaml.YAMLError as exc:
        raise fail(f"invalid YAML: {exc}") from None


def cached(path: Path, build: Callable[[Path], T], fail: Fail) -> T:
    """``build(path)``, remembered per builder and file until the file's time or size changes."""
    path = Path(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise fail("file not found") from None
    key, stamp = (f"{build.__module__}.{build.__qualname__}", str(path)), (st.st_mtime_ns, st.st_size)
    with _lock:
        hit = _cache.get(key)
    if hit and hit[0] == stamp:
        return hit[1]
    value = build(path)
    with _lock:
        _cache[key] = (stamp, value)
    return value


def clear_cache() -> None:
    with _lock:
        _cache.clear()
