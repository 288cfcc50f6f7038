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


def test_standards_file_is_read_by_the_catalogue_and_its_errors_named(kdir, engine):
    path = kdir / "standards" / "standard_2026.yaml"
    bundle = read_knowledge(kdir)
    individual = next(e for e in bundle.entries if e["kind"] == "standard_item" and e["standard"] == "individual")
    # The business type is shown by its name, not its id.
    assert "health_quarantine" not in individual["answer"]["zh"]
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["standards"][0]["items"][2]["dimension"] = "不存在的维度"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(KnowledgeError) as err:
        load_knowledge(kdir, engine)
    assert err.value.field == "dimension" and err.value.entry.endswith(":3") and "standard_2026.yaml" in err.value.file


def test_bad_guidance_is_refused_at_load(kdir, engine):
    path = kdir / "standards" / "guidance.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    del doc["guidance"][0]["steps"]["en"]
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(KnowledgeError) as err:
        load_knowledge(kdir, engine)
    assert "guidance.yaml" in err.value.file and "'steps' needs zh and en" in str(err.value)


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


# --------------------------------------------------------------------------- sources and facts
# Every fact the assistant states as verified must be traceable: its source has a quotation or an
# address where the text was read, and is never a secondary source of low confidence.


def _policy_entries() -> list[dict]:
    return [e for e in read_knowledge().entries if e["kind"] == "policy"]


def test_every_source_has_confidence_and_type():
    for s in read_knowledge().sources:
        assert s["confidence"] in ("high", "medium", "low"), s["id"]
        assert s["type"] in ("primary", "reprint", "secondary"), s["id"]


def test_verified_entries_cite_a_traceable_source_that_is_not_low_secondary():
    sources = {s["id"]: s for s in read_knowledge().sources}
    checked = 0
    for e in _policy_entries():
        if not e["verified"]:
            continue
        src = sources[e["source_id"]]
        assert src["url"] or src["quote"] or src["seen_at"], (e["id"], src["id"], "no quotation or URL")
        assert not (src["type"] == "secondary" and src["confidence"] == "low"), (e["id"], src["id"])
        checked += 1
    assert checked > 30


def test_verified_mra_facts_cite_traceable_sources():
    bundle = read_knowledge()
    sources = {s["id"]: s for s in bundle.sources}
    for row in [*bundle.mra["counts"], bundle.mra["certified_level"]]:
        src = sources[row["source"]]
        if row["verified"]:
            assert src["url"] or src["quote"] or src["seen_at"], row
            assert not (src["type"] == "secondary" and src["confidence"] == "low"), row
    for p in bundle.partners:
        if p["verified"] and p["status"] == "partner" and not p["member_of"]:
            src = sources[p["source_id"]]
            assert src["confidence"] != "low" and (src["url"] or src["quote"] or src["seen_at"]), p["id"]
            details = bundle.mra["details"][p["id"]]
            assert details["confidence"] != "low", p["id"]


def test_a_low_secondary_source_cannot_back_a_verified_entry(kdir):
    """The check above can fail: downgrading a cited source's confidence trips it."""
    path = kdir / "sources.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    for s in doc["sources"]:
        if s["id"] == "gacc_briefing_2026_02":
            s["confidence"], s["type"] = "low", "secondary"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    bundle = read_knowledge(kdir)
    sources = {s["id"]: s for s in bundle.sources}
    bad = [
        e["id"]
        for e in bundle.entries
        if e["kind"] == "policy"
        and e["verified"]
        and sources[e["source_id"]]["type"] == "secondary"
        and sources[e["source_id"]]["confidence"] == "low"
    ]
    assert bad


@pytest.mark.parametrize(
    "where, mutate, field",
    [
        ("sources", lambda d: d["sources"][0].__setitem__("confidence", "sure"), "confidence"),
        ("sources", lambda d: d["sources"][0].pop("type"), "type"),
        ("sources", lambda d: d["sources"][0].__setitem__("implements", "decree_999"), "implements"),
        ("partners", lambda d: d["partners"][0].__setitem__("recognises", "all"), "recognises"),
        ("partners", lambda d: d["partners"][0].__setitem__("signed", "2019-4"), "signed"),
        ("partners", lambda d: d["counts"][0].pop("kind"), "kind"),
        ("partners", lambda d: d["non_partners"][0]["explain"].pop("en"), "explain"),
        ("partners", lambda d: d["counts"][0].__setitem__("economies", None), "economies"),
        ("partners", lambda d: d["certified_level"].__setitem__("recognised_abroad", "maybe"), "recognised_abroad"),
        ("partners", lambda d: d["partners"][0].__setitem__("region", "atlantis"), "region"),
        ("partners", lambda d: d["partners"][0].pop("region"), "region"),
        ("partners", lambda d: d["regions"][4].__setitem__("covers", ["east_asia", "nowhere"]), "covers"),
    ],
)
def test_new_source_and_partner_fields_are_validated(kdir, engine, where, mutate, field):
    path = kdir / ("sources.yaml" if where == "sources" else "mra/partners.yaml")
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    mutate(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(KnowledgeError) as err:
        load_knowledge(kdir, engine)
    assert err.value.field == field and path.name in err.value.file


def test_replaced_by_must_name_a_source_and_excludes_effective_to(kdir, engine):
    path = kdir / "policy" / "standards_2026.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    entry = next(e for e in doc["entries"] if e["id"] == "hist.standards_2014")
    entry["replaced_by"] = "no_such_source"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(KnowledgeError) as err:
        load_knowledge(kdir, engine)
    assert (err.value.entry, err.value.field) == ("hist.standards_2014", "replaced_by")


# Partners the issue names, with the dates the sources give (credit-facts-2026.md, 4b).
PARTNER_FACTS = {
    "burundi": ("2024-05-09", None, "not_stated"),
    "iceland": ("2024-05-09", None, "not_stated"),
    "uganda": ("2021-05-25", "2023-06-01", "advanced"),
    "uruguay": ("2019-04", "2022-01-26", "advanced"),
    "costa_rica": ("2023-01", "2023-07-01", "not_stated"),
    "mongolia": (None, "2025-06-01", "not_stated"),
    "ecuador": (None, "2025-07-01", "advanced"),
    "thailand": (None, "2025-08-01", "advanced"),
    "serbia": ("2021-02-04", "2023-10-01", "advanced"),
}


def test_mra_partners_have_their_dates_and_the_level_recognised():
    bundle = read_knowledge()
    partners = {p["id"]: p for p in bundle.partners}
    details = bundle.mra["details"]
    for pid, (signed, implemented, recognises) in PARTNER_FACTS.items():
        assert partners[pid]["status"] == "partner", pid
        assert (details[pid]["signed"], details[pid]["implemented"]) == (signed, implemented), pid
        assert details[pid]["recognises"] == recognises, pid
    # No partner is recorded as recognising the new 认证企业 level.
    assert all(d["recognises"] != "advanced_and_certified" for d in details.values())
    assert bundle.mra["certified_level"]["recognised_abroad"] == "unknown"
    unconfirmed = {p["name_en"] for p in bundle.partners if p["status"] == "unconfirmed"}
    assert not unconfirmed & {"Iceland", "Uganda", "Uruguay", "Costa Rica", "Mongolia", "Burundi"}


def test_mra_counts_are_a_dated_series_of_signed_and_implemented():
    counts = read_knowledge().mra["counts"]
    signed = {c["date"]: (c["economies"], c["countries_regions"]) for c in counts if c["kind"] == "signed"}
    implemented = {c["date"]: c["countries_regions"] for c in counts if c["kind"] == "implemented"}
    assert signed["2026-02-12"] == (32, 58) and signed["2025-07-01"] == (31, 57)
    assert implemented == {"2025-07-01": 50, "2025-08-13": 52}
    # The unreliable "30 economies / 56" page is not part of the series.
    assert (30, 56) not in signed.values()


# The facts the new topics must state (credit-facts-2026.md), each checked in the
# entries of its topic (Chinese and English answers together).
TOPIC_FACTS = {
    "transition_282": ["2026年4月1日", "2019年第229号", "2020年9月1日", "2018年第32号", "先例", "precedent"],
    "decree_282_articles": [
        "第四条",
        "第五条",
        "第八条",
        "第三十二条",
        "第三十三条",
        "第三十四、三十五条",
        "第三十六至四十条",
        "第二十九、三十条",
    ],
    "dishonest_publication": [
        "国办发〔2025〕22号",
        "最长3个月",
        "最短3个月，最长1年",
        "最短1年，最长3年",
        "第36号令",
        "2026年4月1日",
    ],
    "voluntary_disclosure": [
        "2023年第127号",
        "2023年10月11日",
        "2025年10月10日",
        "2023年第170号",
        "2025年12月31日",
        "2025年第194号",
        "2025年10月11日",
        "2027年6月30日",
        "100万元",
    ],
    "public_credit_grades": ["国办发〔2026〕8号", "A、B、C、D", "每年至少评价一次", "B以上"],
    "inspection_rates": ["0.57%", "84.76%", "5860", "7029", "6876", "18.9%"],
    "customs_affairs_assessment": ["第（74）项", "30%", "10%", "不足5人", "第（62）项"],
    "level_adjustment": ["下调", "最长1年", "重新认证", "2019年第229号"],
}


def test_new_topics_state_their_facts_with_source_article_and_dates():
    entries = _policy_entries()
    for topic, facts in TOPIC_FACTS.items():
        mine = [e for e in entries if e["topic"] == topic]
        assert mine, topic
        text = "\n".join(e["answer"]["zh"] + "\n" + e["answer"]["en"] for e in mine)
        for fact in facts:
            assert fact in text, (topic, fact)
        for e in mine:
            assert e["source_id"] and e["article"], e["id"]
            assert e["effective_from"] or e["effective_to"] or e["id"] in UNDATED_OK, e["id"]


# Entries whose dates the sources leave open (the reason is in the entry's note).
UNDATED_OK = {"grades.guobanfa_2026_8", "transition.precedent_2019", "voluntary.credit_record_2019"}


def test_unverified_new_entries_say_so_in_the_answer():
    """An unverified answer names what is not verified (the renderer then adds where to confirm)."""
    markers = (
        "未核实",
        "无法确认",
        "未见",
        "单一来源",
        "尚未",
        "没有来源",
        "not verified",
        "not seen",
        "not confirmed",
        "single",
        "no source",
    )
    for e in _policy_entries():
        if e["file"].endswith("topics_2026.yaml") and not e["verified"]:
            assert any(m in e["answer"]["zh"] for m in markers), e["id"]
            assert any(m in e["answer"]["en"].lower() for m in markers), e["id"]


def test_topic_maps_name_known_topics():
    """level_topics, aspect_topics and standard_dimensions in knowledge/topics.yaml
    name topics that exist (a typo would silently drop a follow-up to the old topic)."""
    doc = yaml.safe_load((KNOWLEDGE_DIR / "topics.yaml").read_text(encoding="utf-8"))
    known = {t["id"] for t in doc["topics"]}
    named = set(doc.get("standard_dimensions", {}).values())
    for key in ("level_topics", "aspect_topics"):
        for topic, targets in (doc.get(key) or {}).items():
            named |= {*({topic} - {"*"}), *(targets or {}).values()}  # "*": every topic not listed
            assert set(targets or {}) <= {"advanced", "certified", "duration", "materials", "steps", "wait"}, (
                key,
                topic,
            )
    assert named <= known, named - known


def test_every_broader_synonym_rule_names_words_of_its_groups():
    """synonyms.yaml ``broader``: a rule whose words are in no group would be ignored silently."""
    doc = yaml.safe_load((KNOWLEDGE_DIR / "synonyms.yaml").read_text(encoding="utf-8"))
    members = {str(w).lower() for g in doc["groups"] for w in g}
    for rule in doc.get("broader") or []:
        words = [rule["broader"], *rule["narrower"]]
        assert all(str(w).lower() in members for w in words), rule


def test_no_text_is_cut_at_an_unquoted_comma():
    # In a YAML flow mapping ("{zh: …, en: A fine above CNY 50,000 within a year}") an unquoted comma
    # ends the value: the rest becomes a key with no value, and the text is silently cut
    # ("A fine above CNY 50"). Such values must be quoted.
    cut = []

    def walk(node, where):
        if isinstance(node, dict):
            for key, value in node.items():
                if value is None and isinstance(key, str) and " " in key.strip():
                    cut.append(f"{where}: {key!r}")
                walk(value, where)
        elif isinstance(node, list):
            for value in node:
                walk(value, where)

    for path in sorted(Path(KNOWLEDGE_DIR).rglob("*.yaml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")), path.relative_to(KNOWLEDGE_DIR))
    assert not cut, cut
