"""The NLU training examples in data/nlu as plain (text, intent) pairs, entity
annotations removed. One reader for the model-selection script, the generator
of knowledge questions and the tests that keep evaluation sets out of the
training data; Rasa itself reads the same files with its own loader."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import yaml

NLU_DIR = Path(__file__).resolve().parents[2] / "data" / "nlu"
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\{[^}]*\}|\([^)]*\))")


def examples(root: Path = NLU_DIR, exclude: Iterable[Path] = ()) -> list[tuple[str, str]]:
    """Every intent example under ``root`` (files in sorted order), except the files in ``exclude``."""
    skip = {Path(p).resolve() for p in exclude}
    out = []
    for path in sorted(root.rglob("*.yml")):
        if path.resolve() in skip:
            continue
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            if "intent" not in block:
                continue
            for line in str(block.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("-"):
                    text = _ANNOTATION.sub(r"\1", line[1:].strip())
                    if text:
                        out.append((text, block["intent"]))
    return out


def texts(root: Path = NLU_DIR) -> set:
    """The lower-cased example texts, for "is this question in the training data"."""
    return {t.lower() for t, _ in examples(root)}
