"""Credit repair eligibility (Decree 251 periods unverified and superseded; 282 details unknown)."""

from __future__ import annotations

import pytest

from core.diagnosis.engine import repair_eligibility

TODAY = "2026-11-26"
BASE = {"determined_under": "decree_251", "on_serious_list": False, "conduct_corrected": True}


@pytest.mark.parametrize(
    "ground,months,eligible",
    [
        ("3", 5, False),
        ("3", 6, True),  # repeated violations: 6 months
        ("2", 11, False),
        ("2", 12, True),  # smuggling act: 1 year
        ("6", 11.9, False),
        ("6", 12, True),  # obstruction: 1 year
        ("4", 2, False),
        ("4", 3, True),  # unpaid tax: 3 months
        ("5", 2.5, False),
        ("5", 3, True),  # unpaid fines: 3 months
    ],
)
def test_minimum_periods_both_sides(ground, months, eligible):
    r = repair_eligibility(dict(BASE, dishonest_ground=ground, months_since_determination=months), today=TODAY)
    assert r["eligible"] is eligible
    assert r["regime"] == "decree_251" and r["superseded"] is True
    assert r["verified"] is False  # periods are background knowledge
    assert any("废止" in c["zh"] for c in r["caveats"])
    if not eligible:
        assert r["months_remaining"] > 0
    else:
        assert r["materials"] and r["materials"][0]["zh"] == "企业信用修复申请书"


def test_ground_spellings():
    for g in ("（三）", "251:3", "d251_22_3_nonbroker", "三", "第三项"):
        r = repair_eligibility(dict(BASE, dishonest_ground=g, months_since_determination=7), today=TODAY)
        assert r["ground"] == "3" and r["eligible"] is True, g


def test_serious_list_and_uncorrected_are_not_eligible():
    r = repair_eligibility(
        dict(BASE, dishonest_ground="3", months_since_determination=24, on_serious_list=True), today=TODAY
    )
    assert r["eligible"] is False
    r = repair_eligibility(
        dict(BASE, dishonest_ground="3", months_since_determination=24, conduct_corrected=False), today=TODAY
    )
    assert r["eligible"] is False


def test_unknowns_are_asked_not_guessed():
    r = repair_eligibility({"determined_under": "decree_251", "dishonest_ground": "4"}, today=TODAY)
    assert r["eligible"] is None and r["missing"][0] == "months_since_determination"
    r = repair_eligibility(
        {"determined_under": "decree_251", "dishonest_ground": "4", "months_since_determination": 5}, today=TODAY
    )
    assert r["eligible"] is None and "conduct_corrected" in r["missing"] and "on_serious_list" in r["missing"]
    r = repair_eligibility({"determined_under": "decree_251", "months_since_determination": 5}, today=TODAY)
    assert r["eligible"] is None and r["missing"] == ["dishonest_ground"]
    r = repair_eligibility({}, today=TODAY)
    assert r["eligible"] is None and r["missing"] == ["determination_date"]


def test_grounds_without_application_route():
    for g in ("1", "7", "8"):
        r = repair_eligibility(dict(BASE, dishonest_ground=g, months_since_determination=13), today=TODAY)
        assert r["eligible"] is False, g
    r = repair_eligibility(dict(BASE, dishonest_ground="1", months_since_determination=25), today=TODAY)
    assert any("2" in x["zh"] and "未核实" in x["zh"] for x in r["reasons"])


def test_decree_282_cannot_say():
    r = repair_eligibility(
        {"determined_under": "decree_282", "dishonest_ground": "3", "months_since_determination": 12}, today=TODAY
    )
    assert r["eligible"] is None and r["regime"] == "decree_282" and r["verified"] is False
    text = r["reasons"][0]["zh"] + r["reasons"][0]["en"]
    assert "12360" in text
    assert any("customs.gov.cn" in c["en"] for c in r["caveats"])


def test_regime_inferred_from_determination_date():
    r = repair_eligibility(dict(BASE, dishonest_ground="4", determination_date="2026-01-10"), today=TODAY)
    assert r["regime"] == "decree_251" and r["eligible"] is True
    r = repair_eligibility({"dishonest_ground": "4", "determination_date": "2026-06-01"}, today=TODAY)
    assert r["regime"] == "decree_282" and r["eligible"] is None
    r = repair_eligibility({"dishonest_ground": "4", "months_since_determination": 2}, today="2026-11-30")
    assert r["regime"] == "decree_282"
    r = repair_eligibility({"dishonest_ground": "4", "months_since_determination": 10}, today="2026-11-30")
    assert r["regime"] == "decree_251"
    r = repair_eligibility({"dishonest_ground": "4", "determination_date": "not a date"}, today=TODAY)
    assert r["missing"] == ["determination_date"]
