"""Facts parser: Chinese / English sentences, numerals, and a fuzz test."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.diagnosis.facts import FACT_TYPES, cn_to_number, parse_facts, to_number


@pytest.mark.parametrize(
    "text,expected",
    [
        ("去年罚了4次，共12万", {"penalties_count_last_year": 4, "penalties_total": 120000}),
        ("被罚四次，共计十二万元", {"penalties_count_last_year": 4, "penalties_total": 120000}),
        ("最大一笔3万", {"max_single_penalty": 30000}),
        ("单次最高罚款5万元", {"max_single_penalty": 50000}),
        ("报关单2000票", {"declarations_last_year": 2000}),
        ("去年申报了两千票报关单", {"declarations_last_year": 2000}),
        ("declared 2,000 entries", {"declarations_last_year": 2000}),
        ("we filed 1500 customs declarations last year", {"declarations_last_year": 1500}),
        ("进出口额5000万", {"import_export_value_last_year": 50_000_000}),
        ("进出口总值1.2亿元", {"import_export_value_last_year": 120_000_000}),
        ("import-export value 50 million", {"import_export_value_last_year": 50_000_000}),
        ("trade value was RMB 2 billion", {"import_export_value_last_year": 2_000_000_000}),
        ("欠税4个月", {"taxes_overdue_months": 4}),
        ("税款逾期四个月未缴", {"taxes_overdue_months": 4}),
        ("taxes overdue for 4 months", {"taxes_overdue_months": 4}),
        ("没有欠税", {"taxes_overdue_months": 0}),
        ("no overdue taxes", {"taxes_overdue_months": 0}),
        ("罚款逾期7个月未缴", {"fines_overdue_months": 7}),
        ("有走私", {"smuggling": True}),
        ("没有走私", {"smuggling": False, "smuggling_crime": False}),
        ("no smuggling", {"smuggling": False, "smuggling_crime": False}),
        ("走私犯罪被判刑", {"smuggling_crime": True}),
        (
            "penalized four times, totalling RMB 120,000; largest single fine 30k",
            {"penalties_count_last_year": 4, "penalties_total": 120000, "max_single_penalty": 30000},
        ),
        ("3 penalties, fines of 1.5 million in total", {"penalties_count_last_year": 3, "penalties_total": 1_500_000}),
        ("fined twice", {"penalties_count_last_year": 2}),
        ("没有被处罚过", {"penalties_count_last_year": 0}),
        ("罚了4次，共12w", {"penalties_count_last_year": 4, "penalties_total": 120000}),
        ("追征税款15万，纳税额2亿", {"back_tax_total": 150000, "tax_paid_last_year": 200_000_000}),
        (
            "海关检查了60票，查获5票，高质量查获1票",
            {"customs_inspected_declarations": 60, "seized_declarations": 5, "high_quality_seized": 1},
        ),
        ("我们是报关企业，新成立", {"is_customs_broker": True, "last_year_not_calculable": True}),
        ("你好", {}),
        # "一笔" is the count word of one fine, "3个亿" the spoken 3亿 (set 15 q009)
        (
            "我们去年被海关罚过一笔6万块的，去年进出口额大概3个亿",
            {
                "penalties_count_last_year": 1,
                "penalties_total": 60000,
                "max_single_penalty": 60000,
                "import_export_value_last_year": 300_000_000,
            },
        ),
        ("罚了3笔，一共12万", {"penalties_count_last_year": 3, "penalties_total": 120000}),
        (
            "we were fined once, 60,000 yuan",
            {"penalties_count_last_year": 1, "penalties_total": 60000, "max_single_penalty": 60000},
        ),
        (
            "We got one customs fine of 60,000 yuan. Our import-export value last year was about 500 million yuan.",
            {
                "penalties_count_last_year": 1,
                "penalties_total": 60000,
                "max_single_penalty": 60000,
                "import_export_value_last_year": 500_000_000,
            },
        ),
        (
            "customs checked 30 of our own declarations and found problems in 4",
            {"customs_inspected_declarations": 30, "seized_declarations": 4},
        ),
    ],
)
def test_sentences(text, expected):
    assert parse_facts(text)["facts"] == expected


def test_remainder_keeps_unparsed_words():
    out = parse_facts("去年罚了4次，共12万，我们想申请高级认证")
    assert out["facts"] == {"penalties_count_last_year": 4, "penalties_total": 120000}
    assert "高级认证" in out["remainder"] and "12" not in out["remainder"]


@pytest.mark.parametrize(
    "text,value",
    [
        ("十二万", 120000),
        ("四", 4),
        ("两千", 2000),
        ("一亿五千万", 150_000_000),
        ("三千五百万", 35_000_000),
        ("一百零五", 105),
        ("十", 10),
        ("二〇二五", 2025),
        ("12万", 120000),
        ("1.5 million", 1_500_000),
        ("120k", 120000),
        ("5千万", 50_000_000),
        ("1,200,000元", 1_200_000),
        ("￥30000", 30000),
        ("four", 4),
        ("0.5", 0.5),
        ("亿亿", None),
        ("十十", None),
        ("abc", None),
        ("", None),
    ],
)
def test_numbers(text, value):
    assert to_number(text) == value


def test_cn_to_number_rejects_nonsense():
    assert cn_to_number("三四十") is None
    assert cn_to_number("x") is None
    assert cn_to_number("一" * 40) is None


@pytest.mark.parametrize(
    "text,key,value",
    [
        ("4", "penalties_count_last_year", 4),
        ("四次", "penalties_count_last_year", 4),
        ("12万元", "penalties_total", 120000),
        ("约3万", "max_single_penalty", 30000),
        ("没有", "penalties_count_last_year", 0),
        ("没有", "smuggling", False),
        ("有", "smuggling", True),
        ("yes", "had_trade_activity_last_year", True),
        ("no", "overdue_payment_prior_year", False),
        ("2", "taxes_overdue_months", 2),
        ("4 months", "taxes_overdue_months", 4),
    ],
)
def test_bare_answers_with_expecting(text, key, value):
    assert parse_facts(text, expecting=key)["facts"] == {key: value}


def test_bare_answer_without_expecting_is_not_assigned():
    assert parse_facts("4")["facts"] == {}
    assert parse_facts("1.5", expecting="penalties_count_last_year")["facts"] == {}  # not a whole count
    assert parse_facts("4", expecting="no_such_key")["facts"] == {}


def test_values_have_declared_types():
    out = parse_facts("去年罚了4次，共12万，最大一笔3万，报关单2000票，进出口额5000万，欠税4个月，有走私")["facts"]
    assert len(out) == 7
    for k, v in out.items():
        kind = FACT_TYPES[k]
        if kind == "bool":
            assert isinstance(v, bool)
        elif kind == "int":
            assert isinstance(v, int) and not isinstance(v, bool)
        else:
            assert isinstance(v, int | float) and v >= 0


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300), st.sampled_from([None, *sorted(FACT_TYPES)]))
def test_fuzz_never_raises(text, expecting):
    out = parse_facts(text, expecting=expecting)
    assert isinstance(out, dict) and isinstance(out["facts"], dict) and isinstance(out["remainder"], str)
    for k in out["facts"]:
        assert k in FACT_TYPES


_ALPHABET = st.sampled_from(
    list("0123456789,.万亿千百十一二三四五六七八九两零次票个月元共罚最大笔欠税走私没有 kmKMwbillionthousandfinedtimes")
)


@settings(max_examples=400, deadline=None)
@given(st.text(_ALPHABET, max_size=80))
def test_fuzz_domain_alphabet(text):
    out = parse_facts(text)
    for v in out["facts"].values():
        assert v is None or isinstance(v, bool | int | float)


def test_non_string_and_huge_inputs():
    assert parse_facts(None)["facts"] == {}
    assert parse_facts(12345)["facts"] == {}
    assert parse_facts(b"\xff\xfe")["facts"] == {}
    big = "罚了4次，" + "啊" * 100000
    assert parse_facts(big)["facts"] == {"penalties_count_last_year": 4}


def test_each_penalty_amount_gives_the_total_and_the_largest():
    facts = parse_facts("我们厂去年被海关罚了两次 一次3万一次8万 还能申请高级认证吗")["facts"]
    assert facts == {"penalties_count_last_year": 2, "penalties_total": 110000, "max_single_penalty": 80000}
    facts = parse_facts("去年被罚了3次，第一次2万，第二次5万，第三次1万")["facts"]
    assert facts["penalties_total"] == 80000 and facts["max_single_penalty"] == 50000
    assert "max_single_penalty" not in parse_facts("一次性罚款8万")["facts"]


@pytest.mark.parametrize(
    "text, expected",
    [
        # look-back windows: when a penalty or the last trade happened
        (
            "we got fined 18 months ago for an export control violation",
            {"export_control_or_waste_penalty": True, "export_control_or_waste_penalty_last_year": False},
        ),
        (
            "一年半前因为出口管制被海关罚过",
            {"export_control_or_waste_penalty": True, "export_control_or_waste_penalty_last_year": False},
        ),
        ("我们因为出口管制被罚过", {"export_control_or_waste_penalty": True}),
        (
            "我们从来没有因为出口管制被处罚",
            {"export_control_or_waste_penalty": False, "export_control_or_waste_penalty_last_year": False},
        ),
        (
            "我们去年一整年没做进出口，前年做了不少",
            {"had_trade_activity_last_year": False, "had_trade_activity_2y": True},
        ),
        ("近两年都没做进出口", {"had_trade_activity_last_year": False, "had_trade_activity_2y": False}),
        (
            "we haven't imported anything for two years",
            {"had_trade_activity_last_year": False, "had_trade_activity_2y": False},
        ),
        # related parties rated dishonest, and the public credit grade
        ("我们有个股东（工商登记的出资人）被海关认定为失信企业了", {"investor_dishonest": True}),
        ("我们的股东没有被认定为失信", {"investor_dishonest": False}),
        ("One of our branch offices got dropped to the very lowest customs credit level", {"branch_dishonest": True}),
        (
            "Our legal rep is also legal rep of another company that just got rated dishonest by customs",
            {"related_post_enterprise_dishonest": True},
        ),
        ("国家公共信用综合评价是C级", {"public_credit_b_or_above": False}),
        ("our public credit rating is B", {"public_credit_b_or_above": True}),
        # back taxes said in other words, and once
        (
            "Customs clawed back RMB 150k of duty from us once this year; our total tax paid last year was about RMB 300 million",
            {"back_tax_total": 150000, "back_tax_over_100k_count": 1, "tax_paid_last_year": 300000000},
        ),
        ("海关今年补了我们15万的税，就一次", {"back_tax_total": 150000, "back_tax_over_100k_count": 1}),
        # each recovery listed: the total, and how many were above RMB 100,000
        (
            "Customs recovered back duties from us twice in the past year: RMB 80,000 and RMB 150,000. "
            "Last year we paid about RMB 300 million in taxes altogether.",
            {"back_tax_total": 230000, "back_tax_over_100k_count": 1, "tax_paid_last_year": 300000000},
        ),
        (
            "去年被追征了两次税款，分别是8万和15万，去年纳税3亿",
            {"back_tax_total": 230000, "back_tax_over_100k_count": 1, "tax_paid_last_year": 300000000},
        ),
        (
            "Customs inspected 200 of our self-filed declarations. 16 had findings and 5 of those were 'high-quality' findings.",
            {"customs_inspected_declarations": 200, "seized_declarations": 16, "high_quality_seized": 5},
        ),
        # entrusting a dishonest broker / a broker's dishonest client, with when
        (
            "we used a dishonest customs broker 18 months ago",
            {"entrusted_dishonest_broker": True, "entrusted_dishonest_broker_last_year": False},
        ),
        (
            "我们没有委托过失信的报关行",
            {"entrusted_dishonest_broker": False, "entrusted_dishonest_broker_last_year": False},
        ),
        ("我们是报关行，之前接过一个失信企业的单子", {"is_customs_broker": True, "accepted_dishonest_client": True}),
        # a related person punished for an intentional crime (adv 17 / cert 15), with when
        (
            "我们法定代表人18个月前因为故意犯罪被判了刑",
            {"related_person_intentional_crime": True, "related_person_intentional_crime_last_year": False},
        ),
        (
            "Our general manager got criminal punishment for an intentional crime about 8 months ago",
            {"related_person_intentional_crime": True, "related_person_intentional_crime_last_year": True},
        ),
        ("我们法人3年前交通肇事被判过刑", {}),  # (not an intentional crime: not this item's fact)
        (
            "我们的关务负责人没有因故意犯罪被判过刑",
            {"related_person_intentional_crime": False, "related_person_intentional_crime_last_year": False},
        ),
        # a time is not an amount: "fined 18 months ago" states no fine of RMB 1 (or 18)
        ("we got fined 18 months ago", {}),
        ("fined 3 years ago", {}),
        ("fined 60,000, and 3 others", {"penalties_total": 60000}),
        # a penalty older than the penalty items' 1-year window is none in the past year
        (
            "18个月前被海关罚过一次5万，现在能申请高级认证吗",
            {"penalties_count_last_year": 0, "penalties_total": 0, "max_single_penalty": 0},
        ),
        (
            "we were fined RMB 60,000 two years ago",
            {"penalties_count_last_year": 0, "penalties_total": 0, "max_single_penalty": 0},
        ),
        ("去年罚了2次，共5万", {"penalties_count_last_year": 2, "penalties_total": 50000}),
        # each recovery told as "一次…一次…"; the tax paid as "交了…的税"
        (
            "去年海关追征了我们两次税 一次12万一次3万 影响高级认证不",
            {"back_tax_total": 150000, "back_tax_over_100k_count": 1},
        ),
        ("我们上年度一共交了1个亿的税", {"tax_paid_last_year": 100000000}),
        ("交了3万的罚款", {}),
        # one penalty, its amount told after it
        (
            "我们去年被海关罚过一次，6万元，上年度进出口总额大概8亿元",
            {
                "penalties_count_last_year": 1,
                "penalties_total": 60000,
                "max_single_penalty": 60000,
                "import_export_value_last_year": 800000000,
            },
        ),
        # an unpaid duty customs has recovered is a back tax, not a tax still overdue
        ("last year customs recovered 150,000 yuan of unpaid duty from us", {"back_tax_total": 150000}),
        ("海关追征了我们欠缴的税款15万", {"back_tax_total": 150000}),
    ],
)
def test_windows_related_parties_and_back_taxes_in_words(text, expected):
    assert parse_facts(text)["facts"] == expected


@pytest.mark.parametrize(
    "text",
    [
        "back in 2018 penalty records stayed online for five years. is that still how long a fine stays visible?",
        "the 2021 penalties rules were replaced, right?",
    ],
)
def test_a_year_before_penalty_is_not_a_penalty_count(text):
    assert "penalties_count_last_year" not in parse_facts(text)["facts"]


def test_a_count_before_penalties_is_still_read():
    assert parse_facts("we got 2 penalties last year")["facts"]["penalties_count_last_year"] == 2


def test_a_single_fine_told_with_a_period_and_a_trade_value_that_came_to():
    # "fined us a single time over the past twelve months, CNY 80,000; … came to CNY 1 billion": read
    # nothing before, so the single-fine item was quoted instead of checked
    facts = parse_facts(
        "Customs fined us a single time over the past twelve months, CNY 80,000; our trade value for last "
        "year came to CNY 1 billion. Do we still pass the top-tier single-fine test?"
    )["facts"]
    assert facts["penalties_count_last_year"] == 1 and facts["max_single_penalty"] == 80000, facts
    assert facts["import_export_value_last_year"] == 1_000_000_000, facts


@pytest.mark.parametrize(
    "text",
    [
        "去年罚了2次，每次6万",
        "罚款两笔 各6万",
        "what if we had 2 of those fines last yr, 60k each",
        "we were fined twice, RMB 60,000 each",
    ],
)
def test_fines_of_the_same_amount_each(text):
    facts = parse_facts(text)["facts"]
    assert facts["penalties_count_last_year"] == 2 and facts["penalties_total"] == 120000, facts
    assert facts["max_single_penalty"] == 60000, facts
