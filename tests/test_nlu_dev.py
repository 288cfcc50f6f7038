"""The development set and the model-selection script (scripts/nlu_dev_eval.py).

The development set is for choosing between model and data variants; the
held-out paraphrases (test_conversations.py) stay the final measure. These
tests keep the two sets apart from each other and from the training data, check
that the script tokenizes exactly as the Rasa pipeline does, and run it.
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path

import pytest
import yaml

from bot.nlu import training_data
from core.db import get_engine
from core.knowledge import search as kb_module
from core.knowledge.loader import load_knowledge

ROOT = Path(__file__).resolve().parents[1]
DEV_CASES = yaml.safe_load((ROOT / "tests/nlu_dev/dev_questions.yml").read_text(encoding="utf-8"))["cases"]
ALL_DEV_CASES = [
    c
    for f in sorted((ROOT / "tests/nlu_dev").glob("*.yml"))
    for c in yaml.safe_load(f.read_text(encoding="utf-8"))["cases"]
]
TEST_CASES = yaml.safe_load((ROOT / "tests/conversations/policy_paraphrases.yml").read_text(encoding="utf-8"))["cases"]


def _script():
    spec = importlib.util.spec_from_file_location("nlu_dev_eval", ROOT / "scripts" / "nlu_dev_eval.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def script():
    return _script()


def _norm(text: str) -> str:
    return "".join(text.lower().split())


def test_every_topic_has_dev_questions_in_both_languages():
    topics = {t["id"] for t in yaml.safe_load((ROOT / "knowledge/topics.yaml").read_text(encoding="utf-8"))["topics"]}
    cases = [c for c in DEV_CASES if "topic" in c]
    unknown = {c["topic"] for c in ALL_DEV_CASES if "topic" in c} - topics
    assert not unknown, f"dev questions for unknown topics: {unknown}"
    # Topics added later have their questions in their own file (dev_questions_new_topics.yml).
    per_topic = Counter(c["topic"] for c in ALL_DEV_CASES if "topic" in c)
    assert set(per_topic) == topics and min(per_topic.values()) >= 4, per_topic
    langs = Counter(c["lang"] for c in cases)
    assert langs["zh"] > langs["en"] >= 0.25 * len(cases), langs
    assert sum(1 for c in DEV_CASES if c.get("expect") == "out_of_scope") >= 20


def test_dev_set_is_apart_from_training_data_and_test_set():
    training = {_norm(t) for t, _ in training_data.examples()}
    dev = {_norm(c["text"]) for c in ALL_DEV_CASES}
    assert not dev & training, f"dev questions also in the training data: {sorted(dev & training)}"
    assert not dev & {_norm(c["text"]) for c in TEST_CASES}, "dev and test sets share questions"
    assert len(dev) == len(ALL_DEV_CASES), "duplicate dev questions"


def test_script_tokenizes_as_the_rasa_pipeline(script):
    from rasa.nlu.constants import TOKENS_NAMES
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.message import Message

    from bot.nlu import text_model
    from bot.nlu.tokenizer import CleanJiebaTokenizer

    config = {**CleanJiebaTokenizer.get_default_config(), "dictionary_path": str(ROOT / "dict")}
    tokenizer = CleanJiebaTokenizer.create(config, None, None, None)
    claims = [
        "听同事说，高级认证企业的资产负债率上限是90%，是这样吗？",
        "A consultant told us Decree 282 has four levels. Correct?",
    ]
    texts = [c["text"] for c in DEV_CASES[::7]] + ["高认 AEO  互认", "what's the AEO  code?", "第18项", *claims]
    messages = [Message(data={TEXT: t}) for t in texts]
    tokenizer.process(messages)
    for text, message in zip(texts, messages, strict=False):
        rasa_tokens = text_model.normalise([t.text for t in message.get(TOKENS_NAMES[TEXT])])
        assert script.tokens(text) == rasa_tokens, text
    # who made a claim and the tag asking whether it is right are not the message's words
    said = {t for text in claims for t in script.tokens(text)}
    assert not said & {"同事", "这样", "consultant", "told", "correct"}, said
    assert {"资产负债率", "90%", "decree", "282", "levels"} <= said, said


def test_pinyin_features_match_homophone_typos_whatever_the_segmentation():
    from bot.nlu.text_model import PinyinAnalyzer

    grams = PinyinAnalyzer(2)
    assert grams(["失信企业"]) == grams(["失心", "企业"]) == ["shi", "xin", "qi", "ye", "shi xin", "xin qi", "qi ye"]
    assert grams(["认怔"]) == grams(["认证"])
    assert grams(["AEO", "2026", "?"]) == []  # Latin words and numbers are covered by the word features


def test_homophone_typo_set_changes_characters_not_sounds(script):
    from pypinyin import lazy_pinyin

    chinese = [c for c in ALL_DEV_CASES if c.get("lang") == "zh" and "topic" in c]
    typos = script.homophone_typos(chinese)
    assert typos == script.homophone_typos(chinese), "must be deterministic"
    assert len(typos) == len(chinese)
    changed = 0
    for original, typo in zip(chinese, typos, strict=False):
        diff = sum(a != b for a, b in zip(original["text"], typo["text"], strict=False))
        assert len(typo["text"]) == len(original["text"]) and diff <= 2 and typo["topic"] == original["topic"]
        sounds = [lazy_pinyin(a)[0] == lazy_pinyin(b)[0] for a, b in zip(original["text"], typo["text"], strict=False)]
        assert all(sounds), (original["text"], typo["text"])
        changed += diff > 0
    assert changed >= 0.9 * len(chinese)


def test_dev_evaluation_runs_end_to_end(script, tmp_path):
    """Trains the configured model (about 30 s) and runs the dev set through the
    assistant's decision; a regression floor, well under the measured figure
    (README, "How questions are understood")."""
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    load_knowledge(engine=get_engine(url))
    kb = kb_module.KnowledgeCache(get_engine(url)).get()
    summary, errors = script.evaluate(kb=kb)
    assert summary["topic_cases"] == sum(1 for c in DEV_CASES if "topic" in c)
    assert summary["answered"] >= 0.92, errors
    assert summary["wrong"] <= 0.05, errors
    assert summary["out_of_scope_redirected"] >= 0.9, errors
    assert summary["settings"]["pinyin_ngram_max"] == 2, "the configured model is measured"
    assert len(errors) == round((1 - summary["answered"]) * summary["topic_cases"]) + round(
        (1 - summary["out_of_scope_redirected"]) * summary["out_of_scope_cases"]
    )
