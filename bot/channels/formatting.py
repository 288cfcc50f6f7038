"""Turning Rasa replies into plain-text chat messages for WeChat / WeCom."""

from __future__ import annotations

import re
import time
from typing import Any

MAX_CHARS = 600


def split_text(text: str, limit: int = MAX_CHARS) -> list[str]:
    """Split `text` into chunks of at most `limit` characters, on line boundaries
    where possible (a single over-long line is cut hard)."""
    text = text.strip()
    if not text:
        return []
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                chunks.append(current)
                current = ""
            chunks.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) <= limit:
            current = candidate
        else:
            chunks.append(current)
            current = line
    if current.strip():
        chunks.append(current)
    return [c.strip("\n") for c in chunks if c.strip()]


def _custom_parts(custom: Any) -> tuple[list[str], list[dict[str, str]]]:
    lines: list[str] = []
    buttons: list[dict[str, str]] = []
    if not isinstance(custom, dict):
        return lines, buttons
    inner = custom.get("data") if isinstance(custom.get("data"), dict) else custom
    kind = inner.get("type")
    url = inner.get("url") or inner.get("href")
    if kind in ("link", "report", "download", "file") and url:
        title = inner.get("title") or inner.get("name") or url
        lines.append(f"{title}: {url}")
    elif isinstance(inner.get("text"), str):
        lines.append(inner["text"])
    if kind == "feedback":  # 有帮助 / 没帮助 after an answer: numbered like any button
        buttons = [
            {"title": str(b.get("title")), "payload": str(b.get("payload"))}
            for b in inner.get("buttons") or []
            if isinstance(b, dict) and b.get("title") and b.get("payload")
        ]
    return lines, buttons


def render_replies(messages: list[dict[str, Any]]) -> tuple[str, list[dict[str, str]]]:
    """Join Rasa REST messages into one text; buttons become numbered options.

    Returns (text, buttons) where buttons are [{title, payload}] in the order
    they were numbered.
    """
    lines: list[str] = []
    buttons: list[dict[str, str]] = []
    for msg in messages:
        if isinstance(msg.get("text"), str) and msg["text"].strip():
            lines.append(msg["text"].strip())
        if isinstance(msg.get("image"), str):
            lines.append(msg["image"])
        if "custom" in msg:
            extra, custom_buttons = _custom_parts(msg["custom"])
            lines.extend(extra)
            buttons.extend(custom_buttons)
        for b in msg.get("buttons") or []:
            if isinstance(b, dict) and (b.get("title") or b.get("payload")):
                buttons.append(
                    {
                        "title": str(b.get("title") or b.get("payload")),
                        "payload": str(b.get("payload") or b.get("title")),
                    }
                )
    if buttons:
        lines.append("\n".join(f"{i}. {b['title']}" for i, b in enumerate(buttons, 1)))
        lines.append("（回复数字选择 / reply with a number）")
    return "\n\n".join(lines), buttons


_NUMBER_RE = re.compile(r"^\s*(\d{1,2})\s*[.。、)]?\s*$")
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


class ButtonMemory:
    """Remembers the last buttons shown to each user so a reply of "2" maps to
    the second button's payload."""

    def __init__(self, ttl: float = 3600.0, max_users: int = 50_000):
        self.ttl = ttl
        self.max_users = max_users
        self._store: dict[str, tuple[float, list[dict[str, str]]]] = {}

    def remember(self, user: str, buttons: list[dict[str, str]]) -> None:
        if not buttons:
            self._store.pop(user, None)
            return
        if len(self._store) >= self.max_users:
            now = time.monotonic()
            for k in [k for k, (t, _) in self._store.items() if t < now] or list(self._store)[:1000]:
                self._store.pop(k, None)
        self._store[user] = (time.monotonic() + self.ttl, buttons)

    def resolve(self, user: str, text: str) -> dict[str, str] | None:
        m = _NUMBER_RE.match(text.translate(_FULLWIDTH))
        if not m:
            return None
        entry = self._store.get(user)
        if not entry or entry[0] < time.monotonic():
            return None
        idx = int(m.group(1)) - 1
        buttons = entry[1]
        if 0 <= idx < len(buttons):
            return buttons[idx]
        return None
