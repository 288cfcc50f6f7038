"""Conversations with the answering code for the core tests: a whole conversation, and the intent
model's reading of a line as the tests give it."""

from __future__ import annotations

from core.knowledge.context import Context
from core.knowledge.respond import NLU, respond


def sure_of(intent: str, confidence: float) -> NLU:
    """The intent model's reading of a line: ``intent`` at ``confidence``, nothing else ranked."""
    return NLU(intent=intent, confidence=confidence, ranking=[(intent, confidence)])


def unsure_of(*ranking: tuple[str, float]) -> NLU:
    """A line the model is unsure of (below the fallback threshold): no intent, this ranking."""
    return NLU(intent="", confidence=ranking[0][1], ranking=list(ranking))


def read_as(*ranking: tuple[str, float]) -> NLU:
    """The model's reading of a line: its first guess and the rest of ``ranking`` behind it."""
    return NLU(intent=ranking[0][0], confidence=ranking[0][1], ranking=list(ranking))


def ask(kb, *turns, lang="zh"):
    """The replies to ``turns`` in one conversation, each line read with no intent."""
    ctx, replies = Context(), []
    for t in turns:
        reply, ctx = respond(kb, t, lang, NLU(), ctx)
        replies.append(reply)
    return replies


def converse(kb, turns, lang="zh"):
    """The last reply of one conversation of ``turns`` [(line, NLU)], and the context after it."""
    ctx, reply = Context(), None
    for line, nlu in turns:
        reply, ctx = respond(kb, line, lang, nlu, ctx)
    return reply, ctx
