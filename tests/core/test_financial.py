"""Financial items: audit opinion, solvency (4 indicators), profitability (5), dissolution."""

import pytest

from core.standards import financial as fin

GOOD_SOLV = {
    "total_assets": 1000,
    "total_liabilities": 500,
    "cash": 100,
    "current_assets": 600,
    "current_liabilities": 300,
    "operating_cash_flow": 100,
}


def ind(result, iid):
    return next(i for i in result["indicators"] if i["id"] == iid)


@pytest.mark.parametrize(
    "text,opinion,verdict",
    [
        ("无保留意见", "unqualified", "达标"),
        ("标准无保留意见", "unqualified", "达标"),
        ("带强调事项段的无保留意见", "unqualified", "达标"),
        ("保留意见", "qualified", "基本达标"),
        ("否定意见", "adverse", "不达标"),
        ("无法表示意见", "disclaimer", "不达标"),
        ("unqualified opinion", "unqualified", "达标"),
        ("Qualified", "qualified", "基本达标"),
        ("adverse", "adverse", "不达标"),
        ("disclaimer of opinion", "disclaimer", "不达标"),
    ],
)
def test_audit_opinion(text, opinion, verdict):
    r = fin.audit_opinion_verdict(text)
    assert (r["opinion"], r["verdict"], r["item"]) == (opinion, verdict, 12)
    assert "无保留意见的，达标" in r["clause"]
    assert fin.audit_opinion_verdict(text, "certified")["item"] == 11


def test_audit_opinion_unknown():
    assert fin.parse_audit_opinion("还行") is None
    with pytest.raises(fin.FinancialError) as e:
        fin.audit_opinion_verdict("还行")
    assert e.value.field == "audit_opinion"


def test_dissolution():
    assert fin.dissolution_verdict(True)["verdict"] == "不达标"
    assert fin.dissolution_verdict(False, "certified") == {**fin.dissolution_verdict(False, "certified")}
    assert fin.dissolution_verdict(False, "certified")["item"] == 13


@pytest.mark.parametrize(
    "production,liab,status",
    [
        (True, 850, "met"),
        (True, 851, "not_met"),
        (False, 750, "met"),
        (False, 751, "not_met"),
    ],
)
def test_debt_ratio_production_vs_non(production, liab, status):
    r = fin.solvency({**GOOD_SOLV, "total_liabilities": liab}, production=production)
    assert ind(r, "debt_ratio")["status"] == status


def test_debt_ratio_certified_thresholds():
    r = fin.solvency({**GOOD_SOLV, "total_liabilities": 950}, production=True, standard_id="certified")
    assert ind(r, "debt_ratio")["status"] == "met" and r["item"] == 12
    r = fin.solvency({**GOOD_SOLV, "total_liabilities": 851}, production=False, standard_id="certified")
    assert ind(r, "debt_ratio")["status"] == "not_met"


def test_debt_ratio_production_unknown():
    r = fin.solvency({**GOOD_SOLV, "total_liabilities": 800}, production=None)
    i = ind(r, "debt_ratio")
    assert i["status"] == "unknown" and i["reason"] == "production_unknown"
    # both thresholds agree -> decided without knowing the kind
    assert ind(fin.solvency({**GOOD_SOLV, "total_liabilities": 500}), "debt_ratio")["status"] == "met"
    assert ind(fin.solvency({**GOOD_SOLV, "total_liabilities": 900}), "debt_ratio")["status"] == "not_met"


@pytest.mark.parametrize("cash,status", [(60, "met"), (59.99, "not_met")])
def test_cash_ratio(cash, status):
    assert ind(fin.solvency({**GOOD_SOLV, "cash": cash}, True), "cash_ratio")["status"] == status


def test_cash_ratio_adds_trading_assets():
    r = fin.solvency({**GOOD_SOLV, "cash": 30, "trading_financial_assets": 30}, True)
    assert ind(r, "cash_ratio")["status"] == "met"
    r = fin.solvency({**GOOD_SOLV, "cash": 30}, True)
    assert ind(r, "cash_ratio")["assumed_zero"] == ["trading_financial_assets"]


@pytest.mark.parametrize("ocf,status", [(50, "met"), (49, "not_met")])
def test_ocf_to_liabilities(ocf, status):
    assert ind(fin.solvency({**GOOD_SOLV, "operating_cash_flow": ocf}, True), "ocf_to_liabilities")["status"] == status


@pytest.mark.parametrize("ca,status", [(300, "met"), (299, "not_met")])
def test_current_ratio(ca, status):
    assert ind(fin.solvency({**GOOD_SOLV, "current_assets": ca}, True), "current_ratio")["status"] == status


def solv_with(met: int) -> dict:
    """figures meeting exactly ``met`` of the 4 solvency indicators (production)."""
    f = {
        "total_assets": 1000,
        "total_liabilities": 900,
        "cash": 10,
        "current_assets": 100,
        "current_liabilities": 300,
        "operating_cash_flow": 10,
    }
    fixes = [("total_liabilities", 800), ("cash", 100), ("operating_cash_flow", 200), ("current_assets", 400)]
    for k, v in fixes[:met]:
        f[k] = v
    return f


@pytest.mark.parametrize("met,verdict", [(0, "不达标"), (1, "基本达标"), (2, "达标"), (3, "达标"), (4, "达标")])
def test_two_of_four(met, verdict):
    r = fin.solvency(solv_with(met), production=True)
    assert r["met_count"] == met and r["verdict"] == verdict
    assert r["explanation"]["zh"] and r["explanation"]["en"]


GOOD_PROF = {
    "net_profit": 10,
    "operating_profit": 20,
    "revenue": 1000,
    "operating_cost": 900,
    "operating_cash_flow": 5,
    "total_profit": 15,
    "interest_expense": 5,
    "total_assets_begin": 900,
    "total_assets": 1100,
}


def test_profitability_all_met():
    r = fin.profitability(GOOD_PROF)
    assert r["met_count"] == 5 and r["verdict"] == "达标" and r["item"] == 14


@pytest.mark.parametrize(
    "field,value,iid",
    [
        ("net_profit", 0, "net_profit"),
        ("operating_profit", 9.99, "operating_margin"),
        ("operating_cost", 990.01, "gross_margin"),
        ("operating_cash_flow", 0, "operating_cash_flow"),
        ("total_profit", 4.99, "return_on_assets"),
    ],
)
def test_profitability_each_indicator_boundary(field, value, iid):
    assert ind(fin.profitability(GOOD_PROF), iid)["status"] == "met"
    assert ind(fin.profitability({**GOOD_PROF, field: value}), iid)["status"] == "not_met"


def test_operating_margin_needs_positive_profit():
    # margin >= 1% cannot hold with a negative profit unless revenue is negative: check also_requires
    r = fin.profitability({**GOOD_PROF, "operating_profit": -20, "revenue": -1000})
    i = ind(r, "operating_margin")
    assert i["status"] == "not_met" and "营业利润" in i["explanation"]["zh"]


def test_roa_boundary_and_average_assets():
    assert ind(fin.profitability({**GOOD_PROF, "total_profit": 5}), "return_on_assets")["value"] == pytest.approx(1.0)
    r = fin.profitability({k: v for k, v in GOOD_PROF.items() if k != "total_assets_begin"})
    i = ind(r, "return_on_assets")
    assert i["status"] == "unknown" and i["reason"] == "missing"
    assert "average_total_assets" in i["missing_fields"]


def test_zero_denominators_explained_not_crash():
    r = fin.profitability({**GOOD_PROF, "revenue": 0})
    for iid in ("operating_margin", "gross_margin"):
        i = ind(r, iid)
        assert i["status"] == "unknown" and i["reason"] == "zero_denominator"
        assert "无法计算" in i["explanation"]["zh"] and "cannot be computed" in i["explanation"]["en"]
    assert r["verdict"] == "达标"  # 3 others still met
    s = fin.solvency({**GOOD_SOLV, "current_liabilities": 0, "total_liabilities": 0}, True)
    assert ind(s, "cash_ratio")["reason"] == "zero_denominator"
    assert ind(s, "ocf_to_liabilities")["reason"] == "zero_denominator"
    assert s["met_count"] == 1 and s["verdict"] == "基本达标"  # not computable counts as not met


def test_missing_figures_make_verdict_undetermined():
    r = fin.solvency({"total_assets": 1000, "total_liabilities": 500}, production=True)
    assert r["met_count"] == 1 and r["verdict"] is None
    assert set(r["possible_verdicts"]) == {"基本达标", "达标"}
    assert "流动负债" in r["explanation"]["zh"]
    # enough met already: missing ones cannot change the verdict
    r = fin.solvency(
        {"total_assets": 1000, "total_liabilities": 500, "current_assets": 500, "current_liabilities": 100},
        production=True,
    )
    assert r["verdict"] == "达标"


def test_bad_figures():
    with pytest.raises(fin.FinancialError) as e:
        fin.solvency({"total_assets": "lots"})
    assert e.value.field == "figures.total_assets"
    with pytest.raises(fin.FinancialError) as e:
        fin.solvency({"turnover": 5})
    assert e.value.field == "figures.turnover"
    with pytest.raises(fin.FinancialError):
        fin.profitability(GOOD_PROF, standard_id="certified")  # certified has no profitability item


def test_financial_answers_bundle():
    out = fin.financial_answers("advanced", {**GOOD_SOLV, **GOOD_PROF}, True, "保留意见", False)
    assert {k: v["verdict"] for k, v in out.items()} == {12: "基本达标", 15: "达标", 13: "达标", 14: "达标"}
    out = fin.financial_answers("certified", GOOD_SOLV, True)
    assert set(out) == {12}
