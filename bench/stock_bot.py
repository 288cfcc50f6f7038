"""The floor the assistant is compared with: a stock Rasa 3.6 bot of the same
language and pipeline family, generated from the project's own data.

Same language (Chinese, jieba tokens), count vectors (words and character
n-grams), DIET for intents, Memoization + Rule + TED policies, canned
responses (``utter_*``) and Rasa's default in-memory tracker store. Its NLU
examples are the project's own examples of a subset of the policy intents
(entity annotations removed), so both bots read the same kind of question.
DIET and TED epochs are modest so that it trains in a few minutes on 2 cores;
the epochs change training time and accuracy, not the cost of a prediction.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

# The intents the bench questions fall into, plus small talk.
INTENTS = [
    "ask_credit_levels",
    "ask_measures_advanced",
    "ask_credit_repair",
    "ask_mra_overview",
    "ask_mra_partner",
    "ask_standard_item",
    "ask_certification_application",
    "ask_certification_procedure",
    "ask_standard_certified_structure",
    "ask_credit_cultivation",
    "ask_dishonest_criteria",
    "ask_scoring_rules",
    "ask_financial_requirements",
    "ask_objection",
    "greet",
    "goodbye",
    "thank",
    "out_of_scope",
]

MAX_EXAMPLES = 40
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")

CONFIG = """\
recipe: default.v1
language: zh
assistant_id: stock-zh-bench
pipeline:
  - name: JiebaTokenizer
  - name: CountVectorsFeaturizer
  - name: CountVectorsFeaturizer
    analyzer: char_wb
    min_ngram: 1
    max_ngram: 4
  - name: DIETClassifier
    epochs: {diet_epochs}
    constrain_similarities: true
  - name: FallbackClassifier
    threshold: 0.3
policies:
  - name: MemoizationPolicy
  - name: RulePolicy
  - name: TEDPolicy
    max_history: 5
    epochs: {ted_epochs}
    constrain_similarities: true
"""


def examples_by_intent() -> dict[str, list[str]]:
    """Every NLU example under data/nlu, annotations stripped, by intent."""
    out: dict[str, list[str]] = {}
    for path in sorted((ROOT / "data" / "nlu").rglob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in doc.get("nlu") or []:
            intent = block.get("intent")
            if not intent or intent not in INTENTS:
                continue
            for line in str(block.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    out.setdefault(intent, []).append(_ANNOTATION.sub(r"\1", line[2:].strip()))
    return out


def _answer(intent: str) -> str:
    topic = intent.removeprefix("ask_").replace("_", " ")
    return (
        f"【{topic}】这是关于该问题的标准答复：根据海关企业信用管理的有关规定，企业应当按照要求准备材料，"
        "向主管海关提出申请，海关在规定期限内作出决定。详细内容请以海关总署公布的规章和公告为准。"
        "来源：海关总署令及相关公告。"
    )


def write(directory: Path, diet_epochs: int = 40, ted_epochs: int = 20, seed: int = 7) -> Path:
    """Write the stock bot's project (config, domain, data) into ``directory``."""
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "data").mkdir(exist_ok=True)
    examples = examples_by_intent()
    missing = [i for i in INTENTS if len(examples.get(i, [])) < 5]
    if missing:
        raise SystemExit(f"stock bot: too few examples in data/nlu for {missing}")
    nlu = []
    for intent in INTENTS:
        chosen = sorted(set(examples[intent]))
        rng.shuffle(chosen)
        nlu.append({"intent": intent, "examples": "".join(f"- {e}\n" for e in chosen[:MAX_EXAMPLES])})
    (directory / "data" / "nlu.yml").write_text(
        yaml.safe_dump({"version": "3.1", "nlu": nlu}, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    rules = [{"rule": f"answer {i}", "steps": [{"intent": i}, {"action": f"utter_{i}"}]} for i in INTENTS]
    rules.append({"rule": "fallback", "steps": [{"intent": "nlu_fallback"}, {"action": "utter_default"}]})
    (directory / "data" / "rules.yml").write_text(
        yaml.safe_dump({"version": "3.1", "rules": rules}, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    stories = []
    for n in range(12):
        steps = []
        for intent in ["greet", *rng.sample(INTENTS[:14], 3), "thank"]:
            steps += [{"intent": intent}, {"action": f"utter_{intent}"}]
        stories.append({"story": f"story {n}", "steps": steps})
    (directory / "data" / "stories.yml").write_text(
        yaml.safe_dump({"version": "3.1", "stories": stories}, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    responses = {f"utter_{i}": [{"text": _answer(i)}] for i in INTENTS}
    responses["utter_default"] = [{"text": "抱歉，我没有理解您的问题，请换一种说法。"}]
    domain = {
        "version": "3.1",
        "intents": INTENTS,
        "responses": responses,
        "session_config": {"session_expiration_time": 60, "carry_over_slots_to_new_session": True},
    }
    (directory / "domain.yml").write_text(yaml.safe_dump(domain, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (directory / "config.yml").write_text(CONFIG.format(diet_epochs=diet_epochs, ted_epochs=ted_epochs))
    return directory


if __name__ == "__main__":
    import sys

    print(write(Path(sys.argv[1] if len(sys.argv) > 1 else "stock-bot")))
