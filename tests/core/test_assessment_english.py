"""The self-assessment in English shows the standards' English texts (label_en, requirement_en),
on a real SQLite database."""

from __future__ import annotations

import re

import pytest

from core.assessment import flow
from core.assessment import store as assessment_store
from core.enterprise import credit_code
from core.standards import catalogue as std_mod
from tests.core.test_assessment_flow import db  # noqa: F401  (autouse: a fresh SQLite database per test)

CJK = re.compile(r"[\u3400-\u9fff]")


def setup_en(standard="advanced", seed=21):
    state, reply = flow.start("en")
    for text in (standard, "Example Trading Co., Ltd.", credit_code.generate(seed=seed), "production"):
        state, reply = flow.step(state, text, "en")
    if state["phase"] == "business_types":
        state, reply = flow.step(state, "1", "en")  # entry-exit health quarantine: its single standard too
    state, reply = flow.step(state, "full assessment", "en")
    assert state["phase"] == "items", reply.text
    return state, reply


def current(state):
    return assessment_store.current_item(state["code"], state["assessment_id"])


def test_every_english_question_shows_the_english_label_and_requirement():
    state, reply = setup_en()
    seen = []
    while state["phase"] == "items":
        std_id = state["standard"]
        number = current(state)
        it = std_mod.item(std_id, number)
        text = reply.text
        assert f"Item {number}: {it.label_en}\n" in text, text
        assert f"Requirement: {flow.plain_requirement(it, 'en')}\n" in text
        assert it.requirement_en.startswith(flow.plain_requirement(it, "en").removesuffix(" …").rstrip("."))
        question = text[text.index(f"Item {number}: ") :]
        assert not CJK.search(question), (it.key, CJK.findall(question))
        seen.append(it.key)
        state, reply = flow.step(state, "yes", "en")
        if state.get("fin_item"):  # a financial item may ask for figures; "yes" answers it directly
            pytest.fail(f"{it.key} asked for figures after 'yes'")
    assert len(seen) == 74 + 5, seen  # 74 advanced items + the 5 health-quarantine items


def test_plain_english_requirement_is_cut_like_the_chinese_one():
    cut = 0
    for std_id in ("advanced", "certified", "individual"):
        for it in std_mod.items(std_id):
            zh, en = flow.plain_requirement(it, "zh"), flow.plain_requirement(it, "en")
            if zh.endswith("……"):  # the Chinese is cut: so is a long English one, at a clause boundary
                cut += en.endswith(" …")
                assert len(en) <= flow.PLAIN_MAX_EN + 2 and en.endswith((" …", ".")), (it.key, en)
            else:  # the Chinese first sentence whole: the English one whole
                assert en.endswith((".", ")")) and not en.endswith(" …"), (it.key, en)
            assert it.requirement_en.startswith(en.removesuffix(" …").rstrip(".")), it.key
    assert cut >= 20
    solvency = std_mod.item("advanced", 13)
    assert flow.plain_requirement(solvency, "en") == "A certain solvency."
    assert flow.plain_requirement(solvency, "zh") == "具有一定的偿债能力。"
    cctv = flow.plain_requirement(std_mod.item("advanced", 48), "en")
    assert cctv == (
        "The business premises have a video surveillance (CCTV) system that covers at least the following "
        "important sensitive areas: entrances and exits, loading, unloading and storage areas for goods and "
        "articles, the perimeter of the fences and car parks / parking areas, etc."
    )
    assert flow.plain_requirement(std_mod.item("certified", 17), "en").endswith("no more than 300,000 yuan.")


def test_explain_gives_the_english_translation_then_the_chinese_original():
    state, reply = setup_en("certified", seed=22)
    state, reply = flow.step(state, "explain", "en")
    it = std_mod.item("certified", 1)
    text = reply.text
    assert "Item 1 (Customs–enterprise cooperation – customs contact person)" in text
    assert "unofficial English translation" in text
    en_at, zh_at = text.index(it.requirement_en), text.index(it.requirement)
    assert en_at < text.index("Original Chinese text (it prevails):") < zh_at
    assert current(state) == 1  # explaining records nothing


def test_english_exemption_and_not_applicable_clauses():
    state, reply = setup_en("certified", seed=23)
    for _ in range(7):
        state, reply = flow.step(state, "yes", "en")
    assert current(state) == 8
    assert (
        "Exemption (deemed compliant): Where the enterprise's ERP system or cross-border e-commerce platform "
        "is already connected to customs" in reply.text
    )
    assert not CJK.search(reply.text)
    state, reply = flow.step(state, "change item 62", "en")
    assert current(state) == 62
    assert "Not applicable when: Not applicable to an enterprise with fewer than 5 customs declaration staff." in (
        reply.text
    )
    assert "Item 62: Customs affairs proficiency assessment" in reply.text


def test_english_result_names_gaps_and_not_applicable_items_in_english():
    state, reply = setup_en("certified", seed=24)
    while state["phase"] == "items":
        number = current(state)
        if number == 5:
            state, reply = flow.step(state, "no", "en")
        elif number == 46:
            state, reply = flow.step(state, "N/A", "en")
            assert "Item 46 (Personnel security – visitors) does not apply" in reply.text
            state, reply = flow.step(state, "we receive no visitors on site", "en")
        else:
            state, reply = flow.step(state, "yes", "en")
    text = reply.text
    assert "Item 5 Internal review of documents: does not meet" in text, text
    assert "Item 46 Personnel security – visitors: we receive no visitors on site" in text
    item_lines = [line for line in text.split("\n") if line.lstrip().startswith(("Item ", "[blocks"))]
    assert len(item_lines) == 2 and not CJK.search("\n".join(item_lines)), item_lines
