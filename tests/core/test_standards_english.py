"""The English texts of the 2026 standards: present for every item, and refused when a
translation drops or changes a figure of the Chinese requirement."""

import re

import pytest
import yaml

from core.standards import catalogue as standards

# Chinese term of the requirement -> what its English translation must say (lower-cased).
GLOSSARY = {
    "高级认证企业": "advanced certified enterprise",
    "严重失信企业": "seriously dishonest enterprise",
    "失信企业": "dishonest enterprise",
    "不适用": "not applicable",
    "视为不达标": "deemed non-compliant",
    "视为达标": "deemed compliant",
    "基本达标": "basically compliant",
    "行政处罚": "administrative penalt",
    "刑事处罚": "criminal penalty",
    "报关单": "customs declaration",
    "查获": "finding",
    "七点检查法": "seven-point inspection",
    "PAS ISO 17712": "pas iso 17712",
    "信用中国": "credit china",
    "海关总署": "gacc",
    "滞纳金": "late-payment fee",
    "审计报告": "audit report",
    "内部审计": "internal audit",
    "报关企业": "customs broker",
    "进出口货物收发货人": "consignor/consignee",
    "木质包装": "wood packaging",
    "视频监控": "video surveillance",
    "封条": "seal",
    "进口国（地区）": "importing country (region)",
}


def _write(tmp_path, doc):
    p = tmp_path / "s.yaml"
    p.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return p


def _doc():
    return yaml.safe_load(standards.STANDARDS_PATH.read_text(encoding="utf-8"))


def _item(doc, sid, number):
    std = next(s for s in doc["standards"] if s["id"] == sid)
    return next(i for i in std["items"] if i["number"] == number)


def test_every_item_has_english_label_and_requirement():
    cat = standards.load_catalog()
    assert set(cat.translation_note) == {"zh", "en"}
    assert "unofficial" in cat.translation_note["en"] and "prevails" in cat.translation_note["en"]
    assert "以中文条文为准" in cat.translation_note["zh"]
    counts = {sid: len(std.items) for sid, std in cat.standards.items()}
    assert counts == {"advanced": 74, "certified": 62, "individual": 22}
    for std in cat.standards.values():
        for it in std.items:
            assert it.label_en.strip() and it.requirement_en.strip(), it.key
            assert not re.search(r"[\u3400-\u9fff]", it.label_en + it.requirement_en), it.key
            assert it.to_dict()["requirement_en"] == it.requirement_en
            assert it.to_dict()["label_en"] == it.label_en


def test_standard_terms_translated_consistently():
    cat = standards.load_catalog()
    problems = []
    for std in cat.standards.values():
        for it in std.items:
            zh, en = it.requirement, it.requirement_en.lower()
            for term, english in GLOSSARY.items():
                # 认证企业 inside 高级认证企业 / 失信企业 inside 严重失信企业 are the longer terms' business
                if term in zh and english not in en:
                    problems.append(f"{it.key}: {term} -> {english!r}")
            if re.search(r"(?<!高级)认证企业", zh) and "certified enterprise" not in en:
                problems.append(f"{it.key}: 认证企业")
    assert not problems, problems


def test_identical_chinese_requirements_have_identical_english():
    seen: dict = {}
    for std in standards.load_catalog().standards.values():
        for it in std.items:
            assert seen.setdefault(it.requirement, it.requirement_en) == it.requirement_en, it.key


def _refusal(tmp_path, sid, number, old, new) -> str:
    """Load the standards with ``old`` replaced by ``new`` in one item's requirement_en: the
    loader must refuse, naming the file, the item and the field; returns the message."""
    doc = _doc()
    it = _item(doc, sid, number)
    assert old in it["requirement_en"]
    it["requirement_en"] = it["requirement_en"].replace(old, new, 1)
    p = _write(tmp_path, doc)
    with pytest.raises(standards.StandardsError) as e:
        standards.load_catalog(p)
    assert e.value.item == f"{sid}:{number}" and e.value.field == "requirement_en"
    msg = str(e.value)
    assert str(p) in msg and f"item {sid}:{number}" in msg and "field requirement_en" in msg
    return msg


@pytest.mark.parametrize(
    "sid, number, old, new, missing",
    [
        ("advanced", 13, "≤ 85%", "≤ 58%", "85%"),  # a changed percentage
        ("advanced", 18, "50,000 yuan", "5,000 yuan", "50000"),  # 5万元 read as 5,000
        ("certified", 62, "5% or more", "5 or more", "5%"),  # a percentage that lost its %
        ("advanced", 12, "30 June", "30 July", "6"),  # 6月30日 with the wrong month
        ("individual", 7, "no more than 5%", "no more than 15%", "5%"),
        ("advanced", 74, "fewer than 5 customs", "fewer than five customs", "5"),  # a dropped digit group
        ("certified", 17, "5/1,000", "3/1,000", "5"),  # 千分之五 read as 3/1,000
    ],
)
def test_broken_translation_is_refused(tmp_path, sid, number, old, new, missing):
    msg = _refusal(tmp_path, sid, number, old, new)
    assert "lacks figure(s) of the Chinese text" in msg and missing in msg.split("text: ")[1]


@pytest.mark.parametrize(
    "sid, number, old, new, message",
    [
        # a dropped clause with a figure
        (
            "advanced",
            74,
            " Not applicable to an enterprise with fewer than 5 customs declaration staff.",
            "",
            "lacks figure(s) of the Chinese text: 5 (",
        ),
        # a figure the Chinese does not have
        (
            "advanced",
            21,
            "within 1 year",
            "within 1 year (12 months)",
            "has figure(s) that the Chinese text does not: 12 (",
        ),
        # two clauses joined by ； made one
        (
            "advanced",
            23,
            "; where customs inspected",
            ", where customs inspected",
            "1 clause break(s) '；' but the English translation 0 ';'",
        ),
        # the 视为达标 clause lost in translation
        (
            "certified",
            8,
            "and it is deemed compliant",
            "and it passes",
            "deemed_compliant clause but no English sentence says 'deemed compliant'",
        ),
    ],
)
def test_unfaithful_translation_is_refused(tmp_path, sid, number, old, new, message):
    assert message in _refusal(tmp_path, sid, number, old, new)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("requirement_en", None, "missing"),
        ("label_en", None, "missing"),
        ("requirement_en", "  ", "empty"),
        ("label_en", "场所安全 – CCTV", "Chinese characters in the English text"),
        ("requirement_en", 42, "wrong type int"),
    ],
)
def test_missing_or_bad_english_is_refused(tmp_path, field, value, message):
    doc = _doc()
    it = _item(doc, "certified", 3)
    if value is None:
        del it[field]
    else:
        it[field] = value
    with pytest.raises(standards.StandardsError) as e:
        standards.load_catalog(_write(tmp_path, doc))
    assert e.value.item == "certified:3" and e.value.field == field and message in str(e.value)


def test_translation_note_is_required(tmp_path):
    doc = _doc()
    del doc["translation_note"]
    with pytest.raises(standards.StandardsError, match="translation_note"):
        standards.load_catalog(_write(tmp_path, doc))


def test_official_clauses_have_their_english_sentence():
    cat = standards.load_catalog()
    assert cat.standards["advanced"].item(74).clause_en("not_applicable") == (
        "Not applicable to an enterprise with fewer than 5 customs declaration staff."
    )
    dnc = cat.standards["certified"].item(54).clause_en("deemed_non_compliant")
    assert dnc.startswith("Where the business partners include a dishonest enterprise") and dnc.endswith(
        "is deemed non-compliant."
    )
    assert (
        cat.standards["advanced"]
        .item(9)
        .clause_en("deemed_compliant")
        .startswith("Where the enterprise holds an ISO27001")
    )
    assert cat.standards["advanced"].item(1).clause_en("not_applicable") is None


def test_item_guidance_in_english_names_the_item_in_english():
    from core.standards import guidance

    en = guidance.render("advanced", 5, "en", "单证复核")  # the action passes the Chinese label
    assert en.startswith("Improving item 5 (Internal review of documents)\n")
    assert guidance.render("advanced", 5, "zh", "单证复核").startswith("第5项「单证复核」改进建议\n")
