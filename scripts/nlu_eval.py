"""NLU evaluation on a held-out split (run by `make nlu-eval`; takes ~5 min).

1. Splits data/nlu 80/20 per intent (rasa data split nlu, fixed seed).
2. Trains an NLU-only model on the 80% with the project's config.
3. Tests it on the 20% and on the independent paraphrases in
   tests/conversations/policy_paraphrases.yml (intent-level).
Writes results/nlu_eval/summary.json and prints the figures for the README.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "results" / "nlu_eval"
RASA = str(ROOT / ".venv" / "bin" / "rasa")


def run(*args: str) -> None:
    print("+", " ".join(args), flush=True)
    subprocess.run(args, cwd=ROOT, check=True)


def paraphrases_as_nlu(path: Path) -> None:
    cases = yaml.safe_load((ROOT / "tests/conversations/policy_paraphrases.yml").read_text(encoding="utf-8"))["cases"]
    by_intent: dict = {}
    for c in cases:
        intent = c.get("intent") or f"ask_{c['topic']}"
        by_intent.setdefault(intent, []).append(c["text"])
    lines = ['version: "3.1"', "nlu:"]
    for intent, texts in by_intent.items():
        lines.append(f"  - intent: {intent}\n    examples: |")
        lines += [f"      - {t}" for t in texts]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    run(
        RASA,
        "data",
        "split",
        "nlu",
        "--nlu",
        "data/nlu",
        "--training-fraction",
        "0.8",
        "--random-seed",
        "7",
        "--out",
        str(OUT / "split"),
    )
    run(
        RASA,
        "train",
        "nlu",
        "--nlu",
        str(OUT / "split" / "training_data.yml"),
        "--config",
        "config.yml",
        "--out",
        str(OUT / "model"),
        "--fixed-model-name",
        "heldout",
    )
    model = str(OUT / "model" / "heldout.tar.gz")
    run(
        RASA,
        "test",
        "nlu",
        "--nlu",
        str(OUT / "split" / "test_data.yml"),
        "--model",
        model,
        "--out",
        str(OUT / "split_report"),
    )
    paraphrases_as_nlu(OUT / "paraphrases.yml")
    run(
        RASA,
        "test",
        "nlu",
        "--nlu",
        str(OUT / "paraphrases.yml"),
        "--model",
        model,
        "--out",
        str(OUT / "paraphrase_report"),
    )
    summary = {}
    for name in ("split_report", "paraphrase_report"):
        rep = json.loads((OUT / name / "intent_report.json").read_text(encoding="utf-8"))
        summary[name] = {
            "accuracy": rep.get("accuracy"),
            "weighted_f1": rep["weighted avg"]["f1-score"],
            "macro_f1": rep["macro avg"]["f1-score"],
            "support": rep["weighted avg"]["support"],
        }
    (OUT / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
