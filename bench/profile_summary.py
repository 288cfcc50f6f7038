"""Summarise a py-spy profile (``--format raw``: one collapsed stack per line,
root first, then the sample count) by stage of Rasa's message handling.

Each sample goes to the first stage, in the order of STAGES, one of whose
patterns appears in any frame of its stack; so specific stages (the jieba
tokenizer, the tracker store) come before general ones (the NLU graph, the
web server). ``python bench/profile_summary.py FILE`` prints the table.
"""

from __future__ import annotations

import re
import sys
from collections import Counter

# (stage, regex over one frame "function (file:line)")
STAGES: list[tuple[str, str]] = [
    ("tracker store: write (SQL)", r"^save \(.*tracker_store\.py|_additional_events"),
    ("tracker store: read (SQL) and rebuild", r"retrieve.*tracker_store\.py|get_or_create_tracker"),
    ("tokenizer (jieba)", r"jieba"),
    ("intent model (TF-IDF + logistic regression, pinyin)", r"text_model\.py|tfidf_classifier\.py|pypinyin"),
    ("DIET / TED (TensorFlow)", r"diet_classifier\.py|ted_policy\.py|tensorflow|keras"),
    ("count-vector featurizers", r"count_vectors_featurizer\.py"),
    ("lookup-table and regex entities", r"regex_entity_extractor\.py|pattern_utils\.py|regex_featurizer\.py"),
    ("fallback classifier and synonyms", r"fallback_classifier\.py|entity_synonyms\.py"),
    (
        "policies: Rule / Memoization (state featurising included)",
        r"rasa/core/policies/|states_for_tracker_history|past_states",
    ),
    (
        "custom action call (request built, HTTP, reply parsed)",
        r"RemoteAction|remote_action|_action_call_format|rasa/utils/endpoints\.py",
    ),
    ("action server: rasa_sdk tracker and dispatch", r"rasa_sdk/"),
    ("action server: actions and core/ (domain logic, database)", r"\((actions|core)/"),
    ("tracker updates and event (de)serialisation", r"rasa/shared/core/(trackers|events)\.py"),
    ("NLU graph and message plumbing", r"rasa/engine/|rasa/nlu/|rasa/shared/nlu/"),
    ("processor (prediction loop, forms, slots)", r"rasa/core/(processor|actions|agent|lock)"),
    ("output channel and web server (sanic, JSON)", r"sanic|rasa/core/channels|ujson|json/"),
    ("logging", r"logging/|structlog"),
    ("asyncio event loop and other", r"."),
]
_COMPILED = [(name, re.compile(p)) for name, p in STAGES]
# A sample whose innermost frame is the event loop's wait is idle, not work.
IDLE = re.compile(r"^(serve \(sanic/server/runners\.py|select \(selectors\.py|run_forever|_run_once)")


OWN = re.compile(r"\((rasa|rasa_sdk|bot|actions|core)/")


def _frames(line: str) -> tuple[list[str], int]:
    stack, _, count = line.rstrip().rpartition(" ")
    return stack.split(";"), int(count)


def summarise(text: str, top: int = 15) -> dict:
    """{"samples" (busy ones), "stages": [(stage, share %)], "self": [(frame, share %)],
    "inclusive": [(function, share %)] for Rasa's and the project's own functions}."""
    stages: Counter = Counter()
    leaves: Counter = Counter()
    inclusive: Counter = Counter()
    total = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            frames, n = _frames(line)
        except ValueError:
            continue
        if IDLE.search(frames[-1]):
            continue
        total += n
        leaves[frames[-1]] += n
        for f in {f.rsplit(":", 1)[0] for f in frames if OWN.search(f)}:
            inclusive[f] += n
        for name, rx in _COMPILED:
            if any(rx.search(f) for f in frames):
                stages[name] += n
                break
    pct = lambda c: round(100 * c / total, 1) if total else 0.0  # noqa: E731
    return {
        "samples": total,
        "stages": [(name, pct(c)) for name, c in stages.most_common()],
        "self": [(f, pct(c)) for f, c in leaves.most_common(top)],
        "inclusive": [(f, pct(c)) for f, c in inclusive.most_common(3 * top) if pct(c) >= 1.0],
    }


def markdown(summary: dict) -> str:
    lines = [f"{summary['samples']} samples", "", "| stage | share of CPU samples |", "|---|---|"]
    lines += [f"| {name} | {share}% |" for name, share in summary["stages"]]
    return "\n".join(lines)


if __name__ == "__main__":
    for path in sys.argv[1:]:
        s = summarise(open(path, encoding="utf-8").read())
        print(f"## {path}\n\n{markdown(s)}\n\nTop frames (self):")
        for f, share in s["self"]:
            print(f"  {share:5.1f}%  {f}")
        print("Inclusive (Rasa's and our functions):")
        for f, share in s["inclusive"]:
            print(f"  {share:5.1f}%  {f}")
