"""The one reply contract: what every flow in core/ returns to a channel.

A ``Reply`` is one message in one language: its text, the buttons under it,
links (a report to download, a page to open), other attachments, the sources it
cites, the knowledge entries it came from, what kind of answer it is, and for a
flow whether the flow has ended. Channels never build their own shapes: the
Rasa adapter sends a Reply with ``actions.common.send`` and a flow that keeps a
reply between two turns stores it with ``to_dict`` / ``Reply.from_dict``.

Flow state that a channel keeps between turns (a Rasa slot holds a string) is
serialised here too: ``dump_state`` / ``load_state`` are the one place that
turns state into that string and back, so a damaged slot value means a fresh
start, never an exception.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any, TypeVar


@dataclass
class Reply:
    text: str = ""
    buttons: list[dict[str, str]] = field(default_factory=list)  # [{"title": ..., "payload": ...}]
    # Something to open or download: [{"url": ..., "title": ...}]; sent after the text.
    links: list[dict[str, str]] = field(default_factory=list)
    # Other structured payloads a channel renders as it can ({"type": ..., ...}).
    attachments: list[dict[str, Any]] = field(default_factory=list)
    # Source lines the answer rests on (the text already quotes them).
    citations: list[str] = field(default_factory=list)
    entry_ids: list[str] = field(default_factory=list)  # knowledge entries answered
    kind: str = "answer"  # answer | suggestions | not_found | partner | item | flow | error
    lang: str | None = None  # "zh" | "en" when known
    done: bool = False  # a flow's last reply: the conversation leaves the flow

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form (kept in a slot between two turns); empty fields left out."""
        out: dict[str, Any] = {"text": self.text}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name != "text" and value not in (None, [], False) and not (f.name == "kind" and value == "answer"):
                out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Reply | None:
        """The inverse of ``to_dict``; unknown keys are ignored."""
        if not isinstance(data, dict):
            return None
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})

    def prefixed(self, head: str, sep: str = "\n\n") -> Reply:
        """The same reply with ``head`` written before its text."""
        return dataclasses.replace(self, text=f"{head}{sep}{self.text}" if head else self.text)


def link(url: str, title: str) -> dict[str, str]:
    return {"url": url, "title": title}


T = TypeVar("T")


def dump_state(state: Any) -> str:
    """A flow's state (a dataclass or a dict, possibly holding Replies) as the
    string a channel keeps."""
    return json.dumps(_plain(state), ensure_ascii=False)


def load_state(raw: str | None, cls: type[T] | None = None) -> Any:
    """The state kept by ``dump_state``: a dict, or ``cls`` built from it.
    Missing or damaged input gives an empty state."""
    try:
        data = json.loads(raw) if raw else {}
    except (TypeError, ValueError):
        data = {}
    if not isinstance(data, dict):
        data = {}
    if cls is None:
        return data
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    return cls(**{k: v for k, v in data.items() if k in names})


def _plain(value: Any) -> Any:
    if isinstance(value, Reply):
        return value.to_dict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
