"""The same line gets the same reply in every process ("fair": the same question, the same words).

Python orders the members of a set of strings by a hash seeded anew in each process, so any sum or
tie taken in set order can fall differently from one process to the next. Each conversation below is
answered in processes with different hash seeds, and every reply must be the same. They are the
partner-count follow-ups whose wording differed between runs before ranking summed in a fixed order and
broke ties in the knowledge's order (core/knowledge/units.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CONVERSATIONS = [
    (
        "en",
        [
            "How many countries does China have AEO mutual recognition with right now?",
            "and how many of those are actually in effect?",
            "what about Singapore?",
        ],
    ),
    (
        "en",
        [
            "How many economies has China signed AEO mutual recognition with?",
            "and how many of those are actually in effect?",
            "what about Thailand?",
        ],
    ),
    (
        "en",
        [
            "How many economies has China signed AEO mutual recognition with by now?",
            "how many of those are actually in effect?",
            "and back in May 2024?",
        ],
    ),
    ("en", ["How many countries have AEO mutual recognition with China?", "How many of those are actually in effect?"]),
    ("zh", ["和中国签了AEO互认的有多少个经济体", "其中已经生效的有多少", "那新加坡呢"]),
    ("zh", ["信息系统里的数据至少要保存几年", "那认证企业呢？"]),
]

SCRIPT = """
import json, sys
from core.db import get_engine
from core.knowledge.search import KnowledgeCache
from tests.core.talk import ask
kb = KnowledgeCache(get_engine(sys.argv[1])).get()
print(json.dumps([[r.text for r in ask(kb, *turns, lang=lang)] for lang, turns in json.loads(sys.argv[2])]))
"""


def _replies(url: str, seed: str) -> list[list[str]]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, url, json.dumps(CONVERSATIONS)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_every_process_gives_the_same_reply(tmp_path):
    from core.db import get_engine
    from core.knowledge.loader import load_knowledge

    url = f"sqlite:///{tmp_path / 'kb.db'}"
    load_knowledge(engine=get_engine(url))
    first = _replies(url, "1")
    assert all(all(text.strip() for text in conv) for conv in first), first
    for seed in ("2", "3", "4"):
        other = _replies(url, seed)
        for (_, turns), mine, theirs in zip(CONVERSATIONS, first, other, strict=True):
            for line, a, b in zip(turns, mine, theirs, strict=True):
                assert a == b, f"hash seed 1 and {seed} answer {line!r} differently:\n{a[:300]}\n---\n{b[:300]}"
