"""Where an AEO mutual-recognition arrangement was signed (knowledge/mra/partners.yaml
``signed_at``): "在哪里签的" / "where was it signed?" after a partner answer gets that
partner's venue and signing date, not the partner counts; a partner whose venue our
sources do not give is told so in one line; the loader accepts the venue only with both
a Chinese and an English text."""

from __future__ import annotations

import shutil

import pytest
import yaml

from core.knowledge import answers
from core.knowledge.context import Context
from core.knowledge.loader import KNOWLEDGE_DIR, KnowledgeError, read_knowledge
from core.knowledge.respond import NLU, respond
from tests.answer_sets import CITATION
from tests.core.talk import ask

SHENZHEN_ZH = "在深圳举行的第六届世界海关组织AEO全球大会期间"
SHENZHEN_EN = "at the 6th WCO Global AEO Conference in Shenzhen"
COUNTS = ("32个经济体", "32 economies")


def first_line(reply) -> str:
    return reply.text.split("\n")[0]


@pytest.mark.parametrize("follow", ["在哪里签的", "在哪签的", "签署地点是哪里", "在什么场合签署的"])
def test_zh_follow_up_gets_the_venue_and_date(kb, follow):
    first, second = ask(kb, "冰岛和中国有AEO互认吗", follow)
    assert "冰岛" in first.text
    lead = first_line(second)
    assert SHENZHEN_ZH in lead and "2024-05-09" in lead and "冰岛" in lead, second.text
    assert CITATION.search(second.text), second.text
    assert not any(c in second.text for c in COUNTS), "the venue, not the partner counts: " + second.text


@pytest.mark.parametrize("follow", ["where was it signed?", "at what event was it signed?"])
def test_en_follow_up_gets_the_venue_and_date(kb, follow):
    first, second = ask(kb, "Is Iceland an AEO partner of China?", follow, lang="en")
    assert "Iceland" in first.text
    lead = first_line(second)
    assert SHENZHEN_EN in lead and "2024-05-09" in lead and "Iceland" in lead, second.text
    assert CITATION.search(second.text), second.text
    assert not any(c in second.text for c in COUNTS), second.text


def test_en_partner_conversation_and_iceland_then_where(kb):
    """ "and Iceland?" in a conversation about partners, then "where was it signed?": Iceland's venue."""
    sure = NLU(intent="ask_mra_partner", confidence=0.95, entities=[{"entity": "economy", "value": "日本"}])
    ctx = Context()
    _, ctx = respond(kb, "Is Japan an AEO partner?", "en", sure, ctx)
    _, ctx = respond(kb, "and Iceland?", "en", NLU(), ctx)
    reply, ctx = respond(kb, "where was it signed?", "en", NLU(), ctx)
    assert SHENZHEN_EN in first_line(reply) and "Iceland" in first_line(reply), reply.text
    assert ctx.kind == "partner" and ctx.economy == "冰岛"


def test_zh_other_venues_follow_up(kb):
    _, uzbek = ask(kb, "乌兹别克斯坦和中国有AEO互认吗", "哪里签署的")
    assert "中国—中亚峰会" in first_line(uzbek) and "2023-05-18" in first_line(uzbek), uzbek.text
    _, uganda = ask(kb, "乌干达和中国有AEO互认吗", "在哪签的")
    assert "第五届世界海关组织AEO全球大会" in first_line(uganda) and "2021-05-25" in first_line(uganda), uganda.text


def test_question_naming_the_partner_leads_with_the_venue(kb):
    (zh,) = ask(kb, "冰岛的AEO互认是在哪里签署的")
    assert SHENZHEN_ZH in first_line(zh) and "2024-05-09" in first_line(zh), zh.text
    (en,) = ask(kb, "Where was the AEO arrangement with Burundi signed?", lang="en")
    assert SHENZHEN_EN in first_line(en) and "Burundi" in first_line(en), en.text
    assert CITATION.search(en.text)


def test_ordinary_partner_answer_names_the_venue_briefly(kb):
    (zh,) = ask(kb, "布隆迪和中国有AEO互认吗")
    assert f"签署于2024-05-09（{SHENZHEN_ZH}）" in first_line(zh), zh.text
    assert zh.text.count("世界海关组织") == 1, "one short clause"
    (en,) = ask(kb, "Is Uganda an AEO partner of China?", lang="en")
    assert "signed 2021-05-25 at the 5th WCO Global AEO Conference" in first_line(en), en.text


def test_partner_without_a_venue_says_it_is_not_known(kb):
    _, zh = ask(kb, "日本和中国有AEO互认吗", "在哪里签的")
    lead = first_line(zh)
    assert "日本" in lead and "2018-10" in lead and "签署地点在我们的资料中没有记载" in lead, zh.text
    assert "深圳" not in zh.text and not any(c in zh.text for c in COUNTS), zh.text
    assert CITATION.search(zh.text)
    _, en = ask(kb, "Is Japan an AEO partner of China?", "where was it signed?", lang="en")
    assert "Japan" in first_line(en) and "not recorded in our sources" in first_line(en), en.text
    assert "Shenzhen" not in en.text and not any(c in en.text for c in COUNTS), en.text


@pytest.mark.parametrize(
    "text, venue",
    [
        ("在哪里签的", True),
        ("签约地点呢", True),
        ("是在哪个会上签的", True),
        ("where did they sign it?", True),
        ("at what event?", True),
        ("哪天签的", False),
        ("哪个月签的", False),
        ("还和哪些国家签了", False),
        ("when was it signed?", False),
        ("什么场合要用AEO编码", False),
    ],
)
def test_venue_question_is_not_a_date_question(text, venue):
    assert bool(answers.VENUE_Q.search(text)) is venue


def test_date_follow_up_is_still_a_date_answer(kb):
    _, second = ask(kb, "乌干达和中国有AEO互认吗", "哪天签的")
    assert first_line(second).startswith("是的") and "2021-05-25" in first_line(second), second.text
    assert "第五届世界海关组织AEO全球大会" in first_line(second), second.text


# --------------------------------------------------------------------------- loader


@pytest.fixture()
def partners_file(tmp_path):
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target)
    return target, target / "mra" / "partners.yaml"


def _rewrite(path, mutate):
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    mutate(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")


def _partner(doc, pid):
    return next(p for p in doc["partners"] if p.get("id") == pid)


def test_loader_carries_the_venue_into_the_partner_details():
    details = read_knowledge().mra["details"]
    assert details["iceland"]["signed_at"] == {"zh": SHENZHEN_ZH, "en": SHENZHEN_EN}
    assert details["burundi"]["signed_at"] == details["iceland"]["signed_at"]
    assert details["japan"]["signed_at"] is None


@pytest.mark.parametrize(
    "value",
    [
        {"zh": "在深圳举行的第六届世界海关组织AEO全球大会期间"},  # only zh
        {"zh": "在深圳", "en": ""},  # an empty English text
        "at the 6th WCO Global AEO Conference in Shenzhen",  # one text for both languages
    ],
)
def test_loader_rejects_a_malformed_venue(partners_file, value):
    root, path = partners_file
    _rewrite(path, lambda doc: _partner(doc, "japan").__setitem__("signed_at", value))
    with pytest.raises(KnowledgeError) as err:
        read_knowledge(root)
    assert err.value.field.startswith("signed_at") and err.value.entry.startswith("partners["), str(err.value)


def test_loader_rejects_a_venue_outside_a_partner_record(partners_file):
    root, path = partners_file
    venue = {"zh": "在深圳", "en": "in Shenzhen"}
    _rewrite(path, lambda doc: doc["unconfirmed"][0].__setitem__("signed_at", venue))
    with pytest.raises(KnowledgeError) as err:
        read_knowledge(root)
    assert err.value.field == "signed_at" and err.value.entry.startswith("unconfirmed["), str(err.value)


def test_a_partner_without_dates_is_answered_with_what_the_sources_say_of_when(kb):
    zh = ask(kb, "新加坡是互认伙伴吗")[0]
    assert (
        first_line(zh)
        == "是的，新加坡是中国海关AEO互认伙伴，属于最早的一批互认伙伴；具体签署和实施日期在我们的资料中没有记载。"
    )
    (en,) = ask(kb, "Is Korea an AEO partner?", lang="en")
    assert (
        "South Korea is an AEO mutual-recognition partner of China Customs; it was one of the early partners;"
        in en.text
    )
    # a partner the sources say nothing more of keeps the plain line
    (nz,) = ask(kb, "新西兰是互认伙伴吗")
    assert (
        first_line(nz) == "是的，新西兰是中国海关AEO互认伙伴；签署和实施日期在我们的资料中没有记载（未核实）。"
    ), nz.text


@pytest.mark.parametrize("pid, value", [("japan", {"zh": "最早", "en": "earliest"}), ("singapore", "earliest")])
def test_loader_rejects_undated_on_a_dated_partner_or_in_one_text(partners_file, pid, value):
    root, path = partners_file
    _rewrite(path, lambda doc: _partner(doc, pid).__setitem__("undated", value))
    with pytest.raises(KnowledgeError) as err:
        read_knowledge(root)
    assert err.value.field == "undated", str(err.value)
