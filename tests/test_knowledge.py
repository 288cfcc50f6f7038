"""The knowledge files, their schema, the loader and the project wiring."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from bot.nlu import training_data
from core.db import get_engine, session_scope
from core.knowledge.loader import KNOWLEDGE_DIR, KnowledgeError, load_knowledge, read_knowledge
from core.knowledge.models import Entry

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def kdir(tmp_path):
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target)
    return target


@pytest.fixture()
def engine(tmp_path):
    return get_engine(f"sqlite:///{tmp_path / 'kb.db'}")


def _count(engine) -> int:
    with session_scope(engine) as s:
        return s.execute(select(func.count()).select_from(Entry)).scalar_one()


def test_real_knowledge_is_valid_and_complete():
    bundle = read_knowledge()
    topics = {t["id"] for t in bundle.topics}
    assert len(topics) >= 40
    assert {e["topic"] for e in bundle.entries if e["topic"]} >= topics
    items = [e for e in bundle.entries if e["kind"] == "standard_item"]
    assert sum(1 for e in items if e["standard"] == "advanced") == 74
    assert sum(1 for e in items if e["standard"] == "certified") == 62
    assert sum(1 for e in items if e["standard"] == "individual") == 22
    # Decree 251 entries are kept, and marked as ended.
    old = [e for e in bundle.entries if e["source_id"] == "decree_251"]
    assert old and all(e["effective_to"] is not None for e in old)


def test_load_is_idempotent(kdir, engine):
    first = load_knowledge(kdir, engine)
    n = _count(engine)
    second = load_knowledge(kdir, engine)
    assert first.changed and not second.changed
    assert _count(engine) == n > 100


def _first_policy_file(kdir: Path) -> Path:
    return sorted((kdir / "policy").glob("*.yaml"))[0]


@pytest.mark.parametrize(
    "mutate, field",
    [
        (lambda e: e.pop("answer"), "answer"),
        (lambda e: e.__setitem__("topic", "no_such_topic"), "topic"),
        (lambda e: e.__setitem__("source", "no_such_source"), "source"),
        (lambda e: e.__setitem__("verified", "yes"), "verified"),
        (lambda e: e.__setitem__("effective_from", "2026-13-45"), "effective_from"),
        (lambda e: e["answer"].pop("en"), "answer.en"),
        (lambda e: e.__setitem__("id", "Bad Id!"), "id"),
    ],
)
def test_bad_entry_is_refused_naming_file_entry_field(kdir, engine, mutate, field):
    load_knowledge(kdir, engine)
    before = _count(engine)
    path = _first_policy_file(kdir)
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    entry = doc["entries"][0]
    entry_id = entry["id"]
    mutate(entry)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(KnowledgeError) as err:
        load_knowledge(kdir, engine)
    assert err.value.field == field
    assert path.name in err.value.file
    assert err.value.entry in (entry_id, "Bad Id!")
    assert _count(engine) == before  # the database kept its content


def test_aeo_code_format_needs_both_languages(kdir, engine):
    path = kdir / "mra" / "partners.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["aeo_code"]["format"] = {"en": "AEOCN + 10 digits"}
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(KnowledgeError) as err:
        load_knowledge(kdir, engine)
    assert (err.value.entry, err.value.field) == ("aeo_code", "format.zh") and "partners.yaml" in err.value.file


def test_broken_yaml_is_refused(kdir, engine):
    load_knowledge(kdir, engine)
    before = _count(engine)
    path = _first_policy_file(kdir)
    path.write_text(path.read_text(encoding="utf-8") + "\n  - : [unclosed\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as err:
        load_knowledge(kdir, engine)
    assert "YAML" in str(err.value) and path.name in str(err.value)
    assert _count(engine) == before


def test_changed_knowledge_reloads_without_code_change(kdir, engine):
    load_knowledge(kdir, engine)
    path = _first_policy_file(kdir)
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["entries"][0]["answer"]["zh"] = "更正后的答案文本（测试）"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    assert load_knowledge(kdir, engine).changed
    with session_scope(engine) as s:
        assert s.get(Entry, doc["entries"][0]["id"]).answer_zh == "更正后的答案文本（测试）"


def test_cli_reports_bad_file_without_traceback(kdir, tmp_path, monkeypatch, capsys):
    from core.knowledge import loader as knowledge

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    (kdir / "sources.yaml").write_text("sources: 5\n", encoding="utf-8")
    assert knowledge.main([str(kdir)]) == 2
    err = capsys.readouterr().err
    assert "sources.yaml" in err and "Traceback" not in err


def test_every_topic_has_intent_rule_and_examples():
    topics = [t["id"] for t in yaml.safe_load((ROOT / "knowledge/topics.yaml").read_text(encoding="utf-8"))["topics"]]
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    rules = yaml.safe_load((ROOT / "data/rules/policy.yml").read_text(encoding="utf-8"))["rules"]
    ruled = {r["steps"][0]["intent"] for r in rules}
    examples = Counter(intent for _, intent in training_data.examples())
    for t in topics:
        assert f"ask_{t}" in domain["intents"], t
        assert f"ask_{t}" in ruled, t
        assert examples.get(f"ask_{t}", 0) >= 15, (t, examples.get(f"ask_{t}"))


def test_core_never_imports_rasa_or_web_frameworks():
    """core/ is the domain in plain Python: no Rasa, rasa_sdk, sanic or aiohttp."""
    import ast

    banned = {"rasa", "rasa_sdk", "sanic", "aiohttp"}
    paths = list((ROOT / "core").rglob("*.py"))
    assert len(paths) > 20
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in banned, (path, name)


def test_generated_nlu_from_knowledge_is_current():
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts/gen_nlu_from_knowledge.py"), "--check"], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
