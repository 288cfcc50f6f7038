"""Scoring engine: every rule of the default and the vendor rule sets."""

import time

import pytest

from core.standards import catalogue as standards
from core.standards import scoring

ADV_IC = [i.number for i in standards.items_by_dimension("advanced", "内部控制")]
ADV_TS = [i.number for i in standards.items_by_dimension("advanced", "贸易安全")]
ADV_LC = [i.number for i in standards.items_by_dimension("advanced", "守法规范")]


def all_met(std="advanced"):
    out = {}
    for it in standards.items(std):
        out[it.number] = "不符合" if it.additional else "达标"
    return out


def test_counts_and_dimensions():
    assert len(standards.items("advanced")) == 74
    assert len(standards.items("certified")) == 62
    assert len(standards.items("individual")) == 22
    assert [len(v) for v in standards.items_by_dimension("advanced").values()] == [11, 4, 28, 25, 6]
    assert [len(v) for v in standards.items_by_dimension("certified").values()] == [10, 3, 28, 15, 6]
    assert [i.number for i in standards.items_by_dimension("certified", "附加标准")] == list(range(57, 63))
    assert standards.dimension_name("贸易安全", "en") == "Trade security"


def test_all_met_passes_with_100():
    r = scoring.score("advanced", all_met())
    assert r.total == 100 and r.passed and r.complete and r.failed_conditions == []
    assert r.rule_set["id"] == "official_last_published" and r.rule_set["verified"] is True
    assert r.gaps == []


def test_points_per_value():
    a = all_met()
    a[16], a[17] = "基本达标", "不达标"
    r = scoring.score("advanced", a)
    assert r.total == 100 - 1 - 2
    assert r.dimensions["守法规范"]["score"] == -3
    assert r.counts["基本达标"] == 1 and r.counts["不达标"] == 1


def test_any_non_compliant_fails():
    a = all_met()
    a[20] = "不达标"
    r = scoring.score("advanced", a)
    assert not r.passed
    assert [c["code"] for c in r.failed_conditions] == ["has_non_compliant"]
    assert r.failed_conditions[0]["detail"]["items"] == [20]
    assert r.gaps[0]["blocks_certification"] is True


def test_total_95_passes_94_fails():
    # basic items outside 内部控制/贸易安全 so only the total matters
    a = all_met()
    for n in ADV_LC[:5]:
        a[n] = "基本达标"
    r = scoring.score("advanced", a)
    assert r.total == 95 and r.passed
    a[ADV_LC[5]] = "基本达标"
    r = scoring.score("advanced", a)
    assert r.total == 94 and not r.passed
    assert [c["code"] for c in r.failed_conditions] == ["total_below_threshold"]
    assert all(g["blocks_certification"] for g in r.gaps)


def test_three_vs_four_basic_in_ic_ts():
    a = all_met()
    a[ADV_IC[0]], a[ADV_IC[1]], a[ADV_TS[0]] = "基本达标", "基本达标", "基本达标"
    r = scoring.score("advanced", a)
    assert r.total == 97 and r.passed
    a[ADV_TS[1]] = "基本达标"
    r = scoring.score("advanced", a)
    assert r.total == 96 and not r.passed
    fc = r.failed_conditions[0]
    assert fc["code"] == "too_many_basic_in_ic_ts" and fc["detail"]["count"] == 4
    assert "内部控制" in fc["message"]["zh"]
    assert all(g["blocks_certification"] for g in r.gaps)


def test_four_basic_elsewhere_pass():
    a = all_met()
    for n in ADV_LC[:4]:
        a[n] = "基本达标"
    r = scoring.score("advanced", a)
    assert r.total == 96 and r.passed
    assert not any(g["blocks_certification"] for g in r.gaps)


def test_gap_order_fail_first():
    a = all_met()
    a[3], a[30], a[50] = "基本达标", "不达标", "基本达标"
    r = scoring.score("advanced", a)
    assert [(g["item"], g["verdict"]) for g in r.gaps] == [(30, "不达标"), (3, "基本达标"), (50, "基本达标")]
    assert r.gaps[0]["label"] and r.gaps[0]["dimension"] == "守法规范"
    assert r.gaps[1]["blocks_certification"] is False


def test_not_applicable_on_any_general_item_with_its_reason():
    a = all_met()
    a[74] = "不适用"
    r = scoring.score("advanced", a)
    assert r.total == 100 and r.answers[74] == "不适用"
    na74 = next(d for d in r.not_applicable if d["item"] == 74)
    assert na74["own_clause"] is True and "5人" in na74["clause"]
    assert [i.number for i in standards.not_applicable_items("advanced")] == [74]
    assert [i.number for i in standards.not_applicable_items("certified")] == [62]
    # official text: an item that does not apply to the line of business is not assessed
    a[5] = {"verdict": "不适用", "reason": "企业没有自有车辆"}
    a[9] = "不适用"
    r = scoring.score("advanced", a, reasons={9: "不涉及信息系统"})
    assert r.passed and r.total == 100 and r.answers[5] == r.answers[9] == "不适用"
    by_item = {d["item"]: d for d in r.not_applicable}
    assert by_item[5]["reason"] == "企业没有自有车辆" and by_item[5]["own_clause"] is False
    assert by_item[9]["reason"] == "不涉及信息系统" and by_item[5]["basis"] == "official_text"
    assert r.dimensions["内部控制"]["counts"]["不适用"] == 2
    with pytest.raises(scoring.InvalidAnswer) as e:
        scoring.score("advanced", {5: {"verdict": "不适用", "reason": 3}})
    assert e.value.field == "answers.5.reason"


def test_answer_rules_say_official_or_our_reading():
    rules = scoring.answer_rules()
    assert rules["general_not_applicable"]["basis"] == "official_text"
    assert "海关不再对该项标准进行认证" in rules["general_not_applicable"]["quote"]
    assert rules["additional_answers"]["basis"] == "official_text"
    assert rules["unanswered_additional_blocks_pass"]["basis"] == "our_reading"


def test_unanswered_additional_items_never_block_a_pass():
    a = {n: v for n, v in all_met().items() if not standards.item("advanced", n).additional}
    r = scoring.score("advanced", a)
    assert r.passed and r.complete and r.total == 100 and r.unanswered == []
    assert r.unanswered_additional == [69, 70, 71, 72, 73, 74]
    assert any("附加标准有6项未回答" in n["zh"] for n in r.notes)
    c = {n: "达标" for n in range(1, 57)}
    c[60] = "符合"
    r = scoring.score("certified", c)
    assert r.passed and r.total == 102


def test_deemed_compliant_exemptions():
    a = all_met()
    a[8], a[9] = "视为达标", "视为达标"
    r = scoring.score("advanced", a)
    assert r.answers[8] == "达标" and r.answers[9] == "达标" and r.passed
    assert standards.item("advanced", 8).deemed_compliant["kind"] == "erp"
    assert standards.item("advanced", 9).deemed_compliant["kind"] == "infosec"
    a[10] = "视为达标"
    with pytest.raises(scoring.InvalidAnswer):
        scoring.score("advanced", a)
    b = all_met()
    b[66] = "视为不达标"
    assert scoring.score("advanced", b).answers[66] == "不达标"


@pytest.mark.parametrize(
    "value,expected",
    [
        ("达标", "达标"),
        ("基本达标", "基本达标"),
        ("不达标", "不达标"),
        ("符合", "达标"),
        ("不符合", "不达标"),
        ("部分达标", "基本达标"),
        ("met", "达标"),
        (" 达标 ", "达标"),
    ],
)
def test_every_general_value(value, expected):
    a = all_met()
    a[1] = value
    assert scoring.score("advanced", a).answers[1] == expected


@pytest.mark.parametrize(
    "value,expected",
    [("符合", "符合"), ("不符合", "不适用"), ("达标", "符合"), ("不达标", "不适用"), ("不适用", "不适用")],
)
def test_every_additional_value(value, expected):
    a = all_met()
    a[70] = value
    assert scoring.score("advanced", a).answers[70] == expected


def test_additional_rejects_basic():
    a = all_met()
    a[70] = "基本达标"
    with pytest.raises(scoring.InvalidAnswer):
        scoring.score("advanced", a)


def test_official_additional_two_points_not_cumulative():
    a = all_met()
    a[69] = "符合"
    assert scoring.score("advanced", a).total == 102
    a[70] = a[71] = "符合"
    r = scoring.score("advanced", a)
    assert r.total == 102 and r.additional_points == 2


def test_vendor_bonus_cap():
    a = all_met()
    a[69] = "符合"
    r = scoring.score("advanced", a, "vendor_reported_2026")
    assert r.total == 101 and r.rule_set["verified"] is False
    a[70] = "符合"
    assert scoring.score("advanced", a, "vendor_reported_2026").total == 102
    a[71] = a[72] = "符合"
    assert scoring.score("advanced", a, "vendor_reported_2026").total == 102


def test_vendor_counts_basic_everywhere_and_marks_remediable():
    a = all_met()
    for n in ADV_LC[:4]:
        a[n] = "基本达标"
    r = scoring.score("advanced", a, "vendor_reported_2026")
    assert not r.passed and r.failed_conditions[0]["code"] == "too_many_basic"
    assert all(g["remediable"] for g in r.gaps)


def test_bonus_can_lift_total_to_95():
    a = all_met()
    for n in ADV_LC[:6]:
        a[n] = "基本达标"
    assert not scoring.score("advanced", a).passed
    a[69] = "符合"
    r = scoring.score("advanced", a)
    assert r.total == 96 and r.passed


def test_unanswered_is_incomplete():
    a = all_met()
    del a[5]
    r = scoring.score("advanced", a)
    assert r.unanswered == [5] and not r.complete and not r.passed
    assert r.failed_conditions[-1]["code"] == "incomplete"


def test_scope_quick_check():
    q = standards.quick_check_items("advanced")
    assert 12 <= len(q) <= 20
    r = scoring.score("advanced", {n: "达标" for n in q}, scope=q, mode="quick")
    assert r.complete and r.passed
    assert r.scope == {
        "mode": "quick",
        "n": len(q),
        "total": 74,
        "general_n": len(q),
        "general_total": 68,
        "partial": True,
    }
    assert f"本次只评了{len(q)}/74项" in r.notes[0]["zh"]


def test_errors_name_field():
    with pytest.raises(scoring.UnknownItem) as e:
        scoring.score("advanced", {75: "达标"})
    assert e.value.field == "answers.75"
    with pytest.raises(scoring.UnknownItem) as e:
        scoring.score("advanced", {"x": "达标"})
    assert e.value.field == "answers.x"
    with pytest.raises(scoring.InvalidAnswer) as e:
        scoring.score("advanced", {3: "很好"})
    assert e.value.field == "answers.3"
    with pytest.raises(scoring.InvalidAnswer):
        scoring.score("advanced", {3: 1})
    with pytest.raises(scoring.UnknownStandard) as e:
        scoring.score("gold", {})
    assert e.value.field == "standard"
    with pytest.raises(scoring.UnknownRuleSet) as e:
        scoring.score("advanced", {}, "nope")
    assert e.value.field == "rule_set"
    assert issubclass(scoring.ScoringError, ValueError)


def test_certified_and_individual():
    r = scoring.score("certified", all_met("certified"))
    assert r.total == 100 and r.passed
    with pytest.raises(scoring.ScoringError):
        scoring.score("individual", {1: "达标"}, business_types=["nope"])
    r = scoring.score("individual", {1: "达标"}, business_types=["health_quarantine"])
    assert r.unanswered == [2, 3, 4, 5]
    with pytest.raises(scoring.InvalidAnswer):  # item 6 is animal/plant quarantine
        scoring.score("individual", {6: "达标"}, business_types=["health_quarantine"])
    assert [i.number for i in standards.applicable_items("individual", ["health_quarantine"], "consignor")] == [
        1,
        2,
        3,
        5,
    ]


def test_to_dict_is_json_ready():
    import json

    d = scoring.score("advanced", all_met()).to_dict()
    json.dumps(d, ensure_ascii=False)
    assert set(d) >= {"total", "passed", "rule_set", "failed_conditions", "dimensions", "gaps", "counts", "unanswered"}


def test_fast():
    a = all_met()
    a[5] = "基本达标"
    scoring.score("advanced", a)
    t = time.perf_counter()
    for _ in range(50):
        scoring.score("advanced", a)
    assert (time.perf_counter() - t) / 50 < 0.005


def test_rule_set_file_validation(tmp_path):
    bad = tmp_path / "rs.yaml"
    bad.write_text(
        "rule_sets:\n  - id: x\n    default: true\n    name: {zh: a, en: b}\n    verified: true\n"
        "    source: s\n    base: 100\n    points: {达标: 0, 基本达标: -1}\n",
        encoding="utf-8",
    )
    with pytest.raises(scoring.RuleSetError, match="points"):
        scoring.load_rule_sets(bad)


def test_standards_file_validation(tmp_path):
    import yaml

    doc = yaml.safe_load(standards.STANDARDS_PATH.read_text(encoding="utf-8"))
    doc["standards"][0]["items"][4]["rule"] = "magic"
    p = tmp_path / "s.yaml"
    p.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(standards.StandardsError) as e:
        standards.load_catalog(p)
    assert e.value.item == "advanced:5" and e.value.field == "rule" and str(p) in str(e.value)
