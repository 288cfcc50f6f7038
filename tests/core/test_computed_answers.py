"""Computed answers (issue 11, "answer the question that was asked"): a question that
states the enterprise's own figures and asks whether they pass gets the verdict
computed with those figures (core/diagnosis/check.py, through respond()), on the real
knowledge loaded into a fresh database. Also the parser additions (core/diagnosis/facts.py)
and the traces the engine and the financial items now keep."""

from __future__ import annotations

import pytest

from core.diagnosis import engine as diag
from core.diagnosis import flow as diagnosis_flow
from core.diagnosis.check import asks_check, check
from core.diagnosis.facts import parse_facts, parse_financial
from core.knowledge.context import Context
from core.knowledge.respond import NLU, respond
from core.standards import financial as fin
from tests.answer_sets import CITATION
from tests.core.talk import converse, read_as, sure_of, unsure_of

ZH_CAVEAT = "未经官方文本核实"
EN_CAVEAT = "unverified transcription"


def ask(kb, question, lang="zh", ctx=None):
    """One question (in the conversation ``ctx``): the reply and the context after it."""
    return respond(kb, question, lang, NLU(), ctx or Context())


def lines(reply) -> list[str]:
    return reply.text.split("\n")


# ---------------------------------------------------------------- parser


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "海关查了我们30票报关单，有6票查出问题，高级认证申报规范那条能过吗",
            {"customs_inspected_declarations": 30, "seized_declarations": 6},
        ),
        (
            "customs inspected 200 of our declarations, 15 with findings, 3 high-quality. advanced level OK?",
            {"customs_inspected_declarations": 200, "seized_declarations": 15, "high_quality_seized": 3},
        ),
        (
            "海关抽查了我司45票报关单，其中3票查出问题，1票是高质量查获",
            {"customs_inspected_declarations": 45, "seized_declarations": 3, "high_quality_seized": 1},
        ),
        (
            "200 declarations were inspected, 15 had findings, high-quality findings: 5",
            {"customs_inspected_declarations": 200, "seized_declarations": 15, "high_quality_seized": 5},
        ),
        ("我们一年被罚了4次，加起来6万", {"penalties_count_last_year": 4, "penalties_total": 60000}),
        (
            "去年海关追征我们税款两次，每次15万，上年度纳税额2亿",
            {"back_tax_total": 300000, "back_tax_over_100k_count": 2, "tax_paid_last_year": 200000000},
        ),
        ("补税3次，每次5万", {"back_tax_total": 150000, "back_tax_over_100k_count": 0}),
    ],
)
def test_parser_reads_inspections_findings_and_back_taxes(text, expected):
    facts = parse_facts(text)["facts"]
    for key, value in expected.items():
        assert facts.get(key) == value, (text, facts)
    # The inspected count is not last year's declaration total.
    assert "declarations_last_year" not in facts, facts


def test_parser_still_reads_last_years_declarations():
    assert parse_facts("去年报关单2000票")["facts"] == {"declarations_last_year": 2000}


def test_financial_figures_and_stated_indicators():
    got = parse_financial("我们是贸易公司，总负债800万、总资产1000万，高级认证负债率这项合格吗")
    assert got == {"figures": {"total_liabilities": 8000000, "total_assets": 10000000}, "given": {}}
    got = parse_financial("debt ratio 90%, cash ratio 0.15, current ratio 1.2, OCF/liabilities 0.05")
    assert got["given"] == {"debt_ratio": 90, "cash_ratio": 0.15, "current_ratio": 1.2, "ocf_to_liabilities": 0.05}
    # A percentage indicator said as a fraction, a plain ratio said in percent; the longer word wins.
    got = parse_financial("资产负债率0.8，现金比率25%，流动资产500万，流动负债400万，净利润-50万")
    assert got["given"] == {"debt_ratio": 80, "cash_ratio": 0.25}
    assert got["figures"] == {"current_assets": 5000000, "current_liabilities": 4000000, "net_profit": -500000}
    assert parse_financial(None) == {"figures": {}, "given": {}}
    assert parse_financial("资产负债率要求多少") == {"figures": {}, "given": {}}


# ---------------------------------------------------------------- traces


def test_engine_trace_shows_what_was_compared():
    d = diag.diagnose({"customs_inspected_declarations": 200, "seized_declarations": 15, "high_quality_seized": 3})
    r = d.by_id("adv_23")
    assert r.status == diag.MET and r.trace["kind"] == "any" and r.trace["result"] is True
    small, large = r.trace["children"]
    assert small["result"] is False and small["children"][0]["left"] == 200 and small["children"][0]["right"] == 50
    rate = large["children"][1]
    assert rate["fact"] == "seized_declarations" and rate["of_value"] == 200
    assert rate["right"] == pytest.approx(20) and rate["result"] is True


def test_financial_items_take_stated_indicators_and_keep_their_inputs():
    r = fin.solvency({}, True, "advanced", {"debt_ratio": 90, "cash_ratio": 0.15, "current_ratio": 1.2})
    assert r["met_count"] == 1 and r["verdict"] is None  # the fourth could still make it 达标
    r = fin.solvency(
        {}, True, "advanced", {"debt_ratio": 90, "cash_ratio": 0.15, "current_ratio": 1.2, "ocf_to_liabilities": 0.05}
    )
    assert r["verdict"] == fin.BASIC and r["met_count"] == 1
    assert all(i["given"] for i in r["indicators"])
    r = fin.solvency({"total_liabilities": 800, "total_assets": 1000}, False)
    debt = r["indicators"][0]
    assert debt["inputs"] == {"numerator": 800.0, "denominator": 1000.0} and debt["value"] == 80
    assert debt["status"] == "not_met" and debt["threshold_applied"] == 75
    with pytest.raises(fin.FinancialError) as err:
        fin.solvency({}, True, "advanced", {"gross_margin": 5})
    assert err.value.field == "given.gross_margin"


# ---------------------------------------------------------------- computed replies (dev examples)


def test_fined_three_times_120k_advanced_is_not_met_on_the_total(kb):
    reply, ctx = ask(
        kb, "we were fined 3 times last year, total RMB 120,000. still possible advanced certification?", lang="en"
    )
    first, work = lines(reply)[:2]
    assert "(19)" in first and first.endswith("not met")
    assert "RMB 120,000 > RMB 100,000" in work and "3 times ≤ 3 times" in work
    assert CITATION.search(reply.text) and "item (19)" in reply.text
    assert reply.text.count(EN_CAVEAT) == 1 and "(18)" not in reply.text  # no largest fine given
    assert "certified" not in first.lower().replace("advanced", "")
    assert (ctx.kind, ctx.standard, ctx.item, ctx.entry) == ("detail", "advanced", 19, "standard.advanced.19")


def test_thirty_inspected_six_with_findings_fails_advanced_23(kb):
    reply, _ = ask(kb, "海关查了我们30票报关单，有6票查出问题，高级认证申报规范那条能过吗")
    first, work = lines(reply)[:2]
    assert "第(23)项" in first and first.endswith("不达标")
    assert work == "海关检查30票 ≤ 50票，查获6票 > 5票 → 不达标"
    assert "条文：1年内海关检查企业自理申报的报关单票数在50票以下的" in reply.text
    assert "来源：" in reply.text and reply.text.count(ZH_CAVEAT) == 1
    assert any("/show_entry" in b["payload"] for b in reply.buttons)


def test_two_hundred_inspected_rates_are_computed(kb):
    reply, _ = ask(
        kb,
        "customs inspected 200 of our declarations, 15 with findings, 3 high-quality. advanced level OK on declaration accuracy?",
        lang="en",
    )
    first, work = lines(reply)[:2]
    assert first.endswith(": met")
    assert "finding rate 15/200 = 7.5% ≤ 10%" in work and "high-quality finding rate 3/200 = 1.5% ≤ 2%" in work
    assert "50 entries" in work and "≤ 50" not in work  # the 50-or-fewer branch does not apply


def test_trading_company_debt_ratio_80_percent_fails_75(kb):
    reply, ctx = ask(kb, "我们是贸易公司，总负债800万、总资产1000万，高级认证负债率这项合格吗")
    text = reply.text
    assert lines(reply)[0].startswith("高级认证企业标准第13项")
    assert "资产负债率 总负债800万元/总资产1000万元 = 80% > 75%（非生产型） → 不符合要求" in text
    assert "85%（生产型） →" not in text  # the type is known: one reading
    # the rest of the item needs figures, not a guess
    assert "还需要：现金比率（货币资金、流动负债）；经营现金流负债比（经营活动产生的现金流量净额）" in text
    assert "认证企业标准第12项" not in text
    assert ctx.item == 13 and ctx.standard == "advanced" and ctx.etype == "non_production"


def test_manufacturer_ratios_one_of_four_is_basically_compliant(kb):
    reply, _ = ask(
        kb,
        "manufacturer. debt ratio 90%, cash ratio 0.15, current ratio 1.2, OCF/liabilities 0.05. advanced solvency result?",
        lang="en",
    )
    text = reply.text
    assert lines(reply)[0].endswith("basically meets (基本达标)")
    assert "Debt-to-asset ratio 90% (as you stated it) > 85% (production) → not met" in text
    assert "Current ratio 1.2 (as you stated it) ≥ 1 → met" in text
    assert "1 of 4 indicators met" in text


@pytest.mark.parametrize(
    "question, facts",
    [
        ("一年罚了4次，累计15万，申请认证企业行不行", ["处罚4次 ≤ 5次，罚款累计15万元 ≤ 30万元 → 达标"]),
        (
            "去年海关追征我们税款两次，每次15万，上年度纳税额2亿，高级认证税款要求能过吗",
            ["追征税款累计30万元 > 10万元；或单次超10万元的追征2次 > 1次", "30万元/2亿元 = 0.15% > 0.1%", "不达标"],
        ),
    ],
)
def test_other_compliance_items(kb, question, facts):
    reply, _ = ask(kb, question)
    for fact in facts:
        assert fact in reply.text, reply.text


# ---------------------------------------------------------------- edge cases


def test_exactly_at_the_threshold_passes(kb):
    reply, _ = ask(kb, "海关检查了我们30票，查获5票，高质量查获1票，高级认证能过吗")
    assert lines(reply)[1] == "海关检查30票 ≤ 50票，查获5票 ≤ 5票，高质量查获1票 ≤ 1票 → 达标"
    reply, _ = ask(kb, "海关检查了我们60票，查获6票，高质量查获1票，高级认证能过吗")
    assert "查获率 6/60 = 10% ≤ 10%" in reply.text and lines(reply)[0].endswith("：达标")


def test_over_fifty_ratio_branch_fails_on_the_rate(kb):
    reply, _ = ask(kb, "海关检查了我们80票，查获9票，高质量查获1票，高级认证能过吗")
    assert "查获率 9/80 = 11.25% > 10%" in reply.text and lines(reply)[0].endswith("不达标")


def test_missing_figure_is_named_not_guessed(kb):
    reply, _ = ask(kb, "海关检查了我们30票，查获3票，高级认证能过吗")
    first, work, need = lines(reply)[:3]
    assert first.endswith("还不能判断")
    assert work == "海关检查30票 ≤ 50票，查获3票 ≤ 5票"
    assert need == "还需要：近1年高质量查获报关单票数。"


def test_no_level_named_gives_both_levels_advanced_first(kb):
    reply, ctx = ask(kb, "我们一年罚了4次，共8万，能过吗")
    text = reply.text
    assert text.index("高级认证企业标准》第(19)项") < text.index("《海关认证企业标准》第(17)项")
    assert "还需要：上年度报关相关单证总票数" in text  # advanced: 4 > 3, the ratio branch needs the count
    assert "处罚4次 ≤ 5次，罚款累计8万元 ≤ 30万元 → 达标" in text
    # 8万 in all: no single fine above the certified standard's 10万 line (its item 16, decided by the total)
    assert "《海关认证企业标准》第(16)项 遵守法律法规-单次处罚：达标" in text and "按累计金额判断" in text
    assert text.count("来源：") == 3 and text.count(ZH_CAVEAT) == 1
    assert ctx.standard == "advanced" and ctx.item == 19


def test_type_not_given_shows_both_readings_when_they_differ(kb):
    reply, _ = ask(kb, "总负债800万、总资产1000万，高级认证负债率合格吗")
    assert "按生产型企业：资产负债率 总负债800万元/总资产1000万元 = 80% ≤ 85%（生产型） → 符合要求" in reply.text
    assert "按非生产型企业：资产负债率 总负债800万元/总资产1000万元 = 80% > 75%（非生产型） → 不符合要求" in reply.text


def test_profitability_from_figures(kb):
    reply, ctx = ask(kb, "净利润500万，营业收入1亿，营业利润300万，高级认证盈利能力达标吗")
    assert lines(reply)[0] == "高级认证企业标准第14项（财务状况-盈利能力）：达标"
    assert "· 营业利润率 营业利润300万元/营业收入1亿元 = 3% ≥ 1% → 符合要求" in reply.text
    assert "5项指标中2项符合要求" in reply.text and ctx.item == 14


def test_stated_ratios_name_the_indicators_still_needed_in_english(kb):
    reply, _ = ask(
        kb, "we are a manufacturer with cash ratio 0.2 and current ratio 0.9, does that pass advanced solvency?", "en"
    )
    assert "Cash ratio 0.2 (as you stated it) ≥ 0.2 → met" in reply.text  # exactly at the threshold
    assert "Current ratio 0.9 (as you stated it) < 1 → not met" in reply.text
    assert lines(reply)[0].endswith("cannot be determined yet")
    assert "Still needed: Debt-to-asset ratio (Total liabilities, Total assets (closing))" in reply.text


def test_overdue_taxes_fail_the_payments_item(kb):
    reply, _ = ask(kb, "taxes overdue for 2 months, can we still get advanced?", "en")
    assert lines(reply)[:2] == [
        "Advanced standard item (22): payments: not met",
        "taxes overdue: 2 months ≠ 0 months → not met",
    ]


def test_detail_follow_up_after_a_check_gives_the_item(kb):
    _, ctx = ask(kb, "海关查了我们30票报关单，有6票查出问题，高级认证申报规范那条能过吗")
    more, _ = ask(kb, "详细说说", ctx=ctx)
    assert "报关单查获率不超过10%" in more.text


def test_a_single_fine_over_the_ratio_line_names_that_line_in_money(kb):
    # 6万 > 5万, and 6万/3亿 = 0.02% > 0.01%: the reply says what 万分之一 of their trade is (3万)
    reply, _ = ask(kb, "我们去年被海关罚过一笔6万块的，想申请高级认证，这个会不会直接卡住？去年进出口额大概3个亿")
    assert lines(reply)[:2] == [
        "《海关高级认证企业标准》第(18)项 遵守法律法规-单次处罚：不达标",
        "单次最大罚款6万元 > 5万元；或单次最大罚款/上年度进出口总值 6万元/3亿元 = 0.02% > 0.01%（3亿元的0.01%为3万元） → 不达标",
    ]


def test_a_counts_ratio_line_keeps_its_fraction(kb):
    # 10% of 55 declarations is 5.5: "（55票的10%为6票）" beside "6/55 > 10%" would contradict itself
    reply, _ = ask(kb, "海关查了我们55票报关单，查获6票，高级认证能过吗")
    assert "查获率 6/55 = 10.91% > 10%（55票的10%为5.5票） → 不达标" in reply.text, reply.text


def test_one_fine_in_english_is_one_time_not_one_times(kb):
    reply, _ = ask(kb, "We got one customs fine of 60,000 yuan last year. Can we pass advanced?", "en")
    assert "penalties: 1 time ≤ 3 times" in reply.text, reply.text


def test_the_other_level_after_a_check_checks_the_same_figures(kb):
    # "那认证企业呢" after a computed answer: the figures against the certified clause (85% for a
    # trading company), not the certified item's text without them
    _, ctx = ask(kb, "我们公司总负债7200万，总资产8000万，是贸易公司不是工厂。高级认证资产负债率合格吗")
    reply, _ = ask(kb, "那认证企业呢", ctx=ctx)
    assert "总负债7200万元/总资产8000万元 = 90% > 85%（非生产型） → 不符合要求" in reply.text, reply.text


def test_what_if_after_a_check_computes_the_new_figure_or_gives_the_whole_rule(kb):
    _, ctx = ask(kb, "我们去年被海关罚过一笔6万块的，想申请高级认证，这个会不会直接卡住？去年进出口额大概3个亿")
    reply, _ = ask(kb, "要是罚了4万呢", ctx=ctx)
    assert lines(reply)[1] == "单次最大罚款4万元 ≤ 5万元 → 达标", reply.text
    _, ctx = ask(
        kb, "customs checked 30 of our own declarations last year and found issues in 4. is that ok for advanced", "en"
    )
    reply, _ = ask(kb, "what if they had checked more than 50", "en", ctx=ctx)
    assert "more than 50" in reply.text and "2%" in reply.text, reply.text  # the branch above 50


@pytest.mark.parametrize(
    "question",
    [
        "罚款5万以上会影响高级认证吗",
        "高级认证企业资产负债率要求多少",
        "罚款超过10万还能申请高级认证吗",
        "what is the maximum total fine for advanced certification?",
        "我们去年被罚了4次，共12万",  # figures, but no question whether they pass
    ],
)
def test_policy_questions_with_figures_are_not_hijacked(kb, question):
    lang = "en" if question.isascii() else "zh"
    assert check(kb, question, lang) is None
    reply, _ = ask(kb, question, lang=lang)
    assert "→ " not in reply.text


def test_asks_check_words():
    assert asks_check("总负债800万，负债率合格吗")
    assert asks_check("are we eligible for advanced with 2 penalties?")
    assert not asks_check("负债率怎么计算")
    assert not asks_check("fines above 50,000: do they fail advanced?")  # a threshold, not their own figure


def test_the_diagnosis_flow_shows_the_same_computation():
    """A figures question the intent model sends to the diagnosis flow ("会不会影响") shows
    the comparisons too, from the same trace."""
    _, reply = diagnosis_flow.start("zh", "我们一年罚了4次，共15万，会影响高级认证吗")
    assert "  计算：处罚4次 > 3次，罚款累计15万元 > 10万元" in reply.text.split("\n")
    _, reply = diagnosis_flow.start("en", "fined 3 times last year, RMB 120,000 in total. will it affect advanced?")
    assert "With your figures: penalties: 3 times ≤ 3 times, total fines: RMB 120,000 > RMB 100,000" in reply.text


def test_an_amount_without_a_count_shows_the_single_fine_reading(kb):
    """ "去年被海关罚了6万块钱 还能申请高级认证吗": no count, no largest fine. The single-fine item (18)
    cannot be judged, but if the 6万 was one fine it is over the 5万 line (unless under 1/10,000
    of last year's trade): shown conditionally, before the count item (19), with what is still
    needed. For the certified standard (10万) the total already decides; "罚6万" is read too."""
    reply, ctx = ask(kb, "去年被海关罚了6万块钱 还能申请高级认证吗")
    text = reply.text
    assert text.index("第(18)项") < text.index("第(19)项"), text
    assert "若这是一笔罚款：单次最大罚款6万元 > 5万元" in text and "近1年单次最大罚款金额" in text, text
    assert (ctx.standard, ctx.item) == ("advanced", 18)
    assert parse_facts("要是申请认证企业 罚6万有问题吗")["facts"] == {"penalties_total": 60000}
    reply, _ = ask(kb, "要是申请认证企业 罚6万有问题吗")
    assert "第(16)项 遵守法律法规-单次处罚：达标" in reply.text and "若这是一笔罚款" not in reply.text, reply.text


def test_spoken_money_and_good_enough_for_a_level_are_a_check_and_a_type_follow_up_recomputes(kb):
    # "总资产1个亿" is 1亿, "够高级认证吗" asks whether it passes; "如果算非生产型的呢" puts the same
    # figures against the non-manufacturer's limit
    assert parse_financial("总资产1个亿，总负债8000万")["figures"] == {
        "total_assets": 100000000,
        "total_liabilities": 80000000,
    }
    assert asks_check("负债率这项够高级认证吗") and asks_check("够不够")
    first, ctx = respond(
        kb, "我们是生产型企业，总资产1个亿，总负债8000万，负债率这项够高级认证吗？", "zh", NLU(), Context()
    )
    assert "= 80% ≤ 85%（生产型） → 符合要求" in first.text, first.text
    second, _ = respond(kb, "如果我们算非生产型的呢？", "zh", NLU(), ctx)
    assert "= 80% > 75%（非生产型） → 不符合要求" in second.text, second.text


def test_what_if_with_figures_after_an_items_clause_computes_them(kb):
    # after the single-fine clause (no figures of their own yet), "what if ... RMB 2 billion and the
    # fine was 150k?" is their case against that clause: 0.01% of 2 billion is 200,000
    assert parse_facts("the fine was 150k")["facts"] == {"penalties_total": 150000}
    assert parse_facts("罚款是15万")["facts"] == {"penalties_total": 150000}
    _, ctx = respond(
        kb,
        "whats the biggest single customs fine we can have had in the past year and still get advanced certification?",
        "en",
        NLU(),
        Context(),
    )
    _, ctx = respond(kb, "and for certified ones?", "en", NLU(), ctx)
    reply, _ = respond(
        kb, "what if our trade value last year was RMB 2 billion and the fine was 150k?", "en", NLU(), ctx
    )
    assert "(0.01% of RMB 2,000,000,000 is RMB 200,000) → met" in reply.text, reply.text
    # a line that names a level of its own is a question of its own, with its own figures
    _, ctx = respond(kb, "去年被海关罚了6万块钱 还能申请高级认证吗", "zh", NLU(), Context())
    reply, _ = respond(kb, "要是申请认证企业 罚6万有问题吗", "zh", NLU(), ctx)
    assert "10万" in reply.text and "第61项" not in reply.text, reply.text


def test_whether_an_item_passes_is_answered_by_that_items_clause_when_the_model_is_unsure(kb):
    # "这项能过吗" asks about an item: the business-activity clause (2 years for certified), not the
    # application procedure the model half-guesses
    nlu = sure_of("ask_certification_application", 0.41)
    reply, _ = respond(kb, "我们进出口业务断断续续的，申请认证企业业务开展这项能过吗", "zh", nlu, Context())
    assert reply.text.startswith("认证企业标准第19项（业务开展）：2年内有进出口活动"), reply.text
    # with the years said ("去年一整年没做，前年做了不少") it is that item's verdict: 2 years for
    # certified (met), 1 year for advanced (not met)
    reply, ctx = respond(kb, "我们去年一整年没做进出口，前年做了不少，申请认证企业这项能过吗", "zh", nlu, Context())
    assert reply.text.startswith(
        "《海关认证企业标准》第(19)项 业务开展：达标\n近2年有进出口活动：是 → 达标"
    ), reply.text
    reply, _ = respond(kb, "那高级认证呢", "zh", sure_of("follow_up", 0.99), ctx)
    assert reply.text.startswith(
        "《海关高级认证企业标准》第(21)项 业务开展：不达标\n近1年有进出口活动：否 → 不达标"
    ), reply.text


def test_look_back_windows_give_each_levels_verdict(kb):
    # 18 months ago: inside advanced item 20's 2 years (not met), outside certified item 18's 1 year
    reply, ctx = ask(
        kb, "we got fined 18 months ago for an export control violation. can we still go for advanced?", "en"
    )
    assert lines(reply)[:2] == [
        "Advanced standard item (20): solid waste / export control: not met",
        "When it happened: about 18 months ago; this item looks back 2 years (24 months)",
    ], reply.text
    reply, _ = respond(kb, "and for the certified level?", "en", sure_of("follow_up", 1.0), ctx)
    assert lines(reply)[:2] == [
        "Certified standard item (18): solid waste / export control: met",
        "When it happened: about 18 months ago; this item looks back 1 year (12 months)",
    ], reply.text
    reply, _ = ask(kb, "一年半前因为出口管制被海关罚过，还能申请高级认证吗")
    assert lines(reply)[0] == "《海关高级认证企业标准》第(20)项 遵守法律法规-进出口固废/管制：不达标", reply.text
    assert "近2年因固体废物/出口管制规定被海关处罚：是 → 不达标" in reply.text


@pytest.mark.parametrize(
    "question, lang, first, also",
    [
        (
            "我们有个股东（工商登记的出资人）被海关认定为失信企业了，对我们认证有影响吗",
            "zh",
            "《海关高级认证企业标准》第(39)项 海关信用-出资人：不达标",
            "《海关认证企业标准》第(37)项 海关信用-出资人：不达标",
        ),
        (
            "One of our branch offices got dropped to the very lowest customs credit level. Does that hurt the head office's application?",
            "en",
            "Advanced standard item (38): branches: not met",
            "Certified standard item (36): branches: not met",
        ),
        (
            "Our legal rep is also legal rep of another company that just got rated dishonest by customs. Does that matter for our own certification?",
            "en",
            "Advanced standard item (37): posts held in other enterprises: not met",
            "Certified standard item (35): posts held in other enterprises: not met",
        ),
        (
            "我们查了一下，国家公共信用综合评价是C级，这样还能申请认证企业吗？",
            "zh",
            "《海关认证企业标准》第(38)项 外部信用-公共信用：不达标",
            "条文：国家公共信用综合评价为B以上。",
        ),
    ],
)
def test_a_related_partys_rating_or_the_public_grade_gets_the_items_verdict(kb, question, lang, first, also):
    reply, _ = ask(kb, question, lang)
    assert lines(reply)[0] == first, reply.text
    assert also in reply.text


def test_a_grade_asked_about_another_rating_is_not_a_certification_check(kb):
    # "行业评价还能拿A吗" asks about the industry rating, not the certification standards
    reply, _ = ask(kb, "公共信用评了D级，行业评价还能拿A吗")
    assert "外部信用-公共信用：不达标" not in reply.text, reply.text
    # the rule in general, not the enterprise's own case: the clause, not a verdict
    reply, _ = ask(kb, "股东被海关认定为失信企业的话，企业还能申请认证吗")
    assert "海关信用-出资人：不达标" not in reply.text, reply.text


def test_back_taxes_in_other_words_and_did_it_pass(kb):
    reply, _ = ask(
        kb,
        "We're going for advanced certified. Customs clawed back RMB 150k of duty from us once this year; "
        "our total tax paid last year was about RMB 300 million. Does the back-tax item still pass?",
        "en",
    )
    assert lines(reply)[:2] == [
        "Advanced standard item (24): back taxes: met",
        "recoveries above RMB 100,000: 1 time ≤ 1 time, back taxes in total/last year's tax paid "
        "RMB 150,000/RMB 300,000,000 = 0.05% ≤ 0.1% (0.1% of RMB 300,000,000 is RMB 300,000) → met",
    ], reply.text
    # "算过了吗" asks whether the figures pass
    reply, _ = ask(
        kb, "去年海关一共检查了我们自理申报的报关单80票，查获了9票，其中高质量查获2票。申报规范这一项我们算过了吗？"
    )
    assert lines(reply)[0] == "《海关高级认证企业标准》第(23)项 申报规范：不达标", reply.text
    assert "查获率 9/80 = 11.25% > 10%" in reply.text


def test_will_it_fail_and_does_that_break_ask_whether_the_figures_pass(kb):
    # "会不会不达标" and "does that break …" ask for the verdict on the enterprise's own figures
    reply, _ = ask(
        kb,
        "我们去年被海关罚过一次，6万元，上年度进出口总额大概8亿元。申请高级认证的话，‘单次处罚金额’那一项会不会不达标？",
    )
    assert lines(reply)[:2] == [
        "《海关高级认证企业标准》第(18)项 遵守法律法规-单次处罚：达标",
        "单次最大罚款/上年度进出口总值 6万元/8亿元 = 0.0075% ≤ 0.01%（8亿元的0.01%为8万元） → 达标",
    ], reply.text
    reply, _ = ask(
        kb,
        "Customs fined us twice in the last 12 months, CNY 120,000 in total. Does that break the "
        "penalty-count item of the advanced standard?",
        "en",
    )
    assert lines(reply)[:2] == [
        "Advanced standard item (19): number of penalties: not met",
        "penalties: 2 times ≤ 3 times, total fines: RMB 120,000 > RMB 100,000 → not met",
    ], reply.text


def test_entrusting_a_dishonest_broker_and_a_brokers_dishonest_client(kb):
    # still entrusting a broker rated dishonest last November: advanced item 25 (2 years) not met
    reply, _ = ask(
        kb,
        "一直给我们代理报关的那家报关行去年11月被海关认定为失信企业了，我们到现在还在委托它。这对我们申请高级认证有没有影响？",
    )
    assert lines(reply)[0] == "《海关高级认证企业标准》第(25)项 委托要求-委托报关：不达标", reply.text
    # "后来被认定为失信" does not say the entrustment came after the rating: no verdict is made up
    assert parse_facts("去年帮我们报关的一家报关行后来被认定成失信企业了")["facts"] == {}
    # a broker that took a dishonest client's business, no date: advanced taken as within 2 years (said
    # so), certified asks whether it was within the past year
    reply, _ = ask(kb, "我们是报关行，之前接过一个失信企业的单子，对我们自己认证有影响吗？")
    assert lines(reply)[:2] == [
        "《海关高级认证企业标准》第(26)项 委托要求-接受委托：不达标",
        "未说明发生时间，按在本项的2年内计；早于2年的不计入本项",
    ], reply.text
    assert "《海关认证企业标准》第(24)项 委托要求-接受委托：还不能判断" in reply.text
    assert "还需要：近1年接受过失信或严重失信企业的委托。" in reply.text
    reply, _ = ask(kb, "we used a dishonest customs broker 18 months ago - can we still get certified?", "en")
    assert "Certified standard item (23): entrusting customs brokers: met" in reply.text, reply.text
    assert "Advanced standard item (25): entrusting customs brokers: not met" in reply.text


def test_inside_the_limits_asks_for_the_verdict(kb):
    reply, _ = ask(
        kb,
        "Customs inspected 200 of our self-filed declarations over the last year. 16 had findings and 5 of those "
        "were 'high-quality' findings. Are we inside the declaration-accuracy limits?",
        "en",
    )
    assert lines(reply)[0] == "Advanced standard item (23): declaration accuracy: not met", reply.text
    assert "high-quality finding rate 5/200 = 2.5% > 2%" in reply.text
    assert "Certified standard item (21): declaration accuracy: met" in reply.text


def test_how_is_it_judged_with_figures_and_the_level_follow_up(kb):
    # "这项怎么判" with the four solvency indicators: advanced 0 of 4 (not met); "那申请认证企业呢"
    # recomputes for certified (85% for a trading company, 4 of 4)
    reply, ctx = ask(
        kb,
        "我们是贸易公司，资产负债率80%，现金比率0.1，经营现金流负债比0.05，流动比率0.9，申请高级认证偿债能力这项怎么判？",
    )
    assert lines(reply)[0] == "高级认证企业标准第13项（财务状况-偿债能力）：不达标", reply.text
    reply, _ = respond(kb, "那申请认证企业呢？", "zh", sure_of("follow_up", 0.9), ctx)
    assert lines(reply)[0] == "认证企业标准第12项（财务状况-偿债能力）：达标", reply.text
    assert "资产负债率 80%（您给出的数值） ≤ 85%（非生产型） → 符合要求" in reply.text
    assert "4项指标中4项符合要求" in reply.text


def test_a_loss_is_a_negative_figure_and_the_named_item_alone_is_judged(kb):
    assert parse_financial("净亏损50万，营业亏损3万，经营活动现金流净额+300万")["figures"] == {
        "net_profit": -500000,
        "operating_profit": -30000,
        "operating_cash_flow": 3000000,
    }
    reply, _ = ask(
        kb,
        "We're a manufacturer. Audited figures: net loss of RMB 500,000, revenue RMB 100 million, operating cost "
        "RMB 95 million, operating cash flow +RMB 3 million. How does the advanced standard's profitability item come out?",
        "en",
    )
    # the profitability item only (operating cash flow is a solvency figure too, but not asked about)
    assert (
        lines(reply)[0]
        == "Advanced Certified Enterprise standard, item 14 (Financial status – profitability): meets (达标)"
    )
    assert "solvency" not in reply.text.split("Rule:")[0], reply.text
    assert "· Net profit RMB -500,000 ≤ RMB 0 → not met" in reply.text
    # the gross margin's numerator is revenue minus cost, and says so
    assert "(Operating revenue−Operating cost) RMB 5,000,000/Operating revenue RMB 100,000,000 = 5% ≥ 1%" in reply.text
    assert "2 of 5 indicators met" in reply.text


def test_a_penalty_older_than_a_year_is_outside_the_penalty_items(kb):
    reply, _ = ask(kb, "18个月前被海关罚过一次5万，现在能申请高级认证吗")
    assert lines(reply)[:2] == [
        "《海关高级认证企业标准》第(18)项 遵守法律法规-单次处罚：达标",
        "您说的时间：约18个月前，在本项的1年（12个月）之外，不计入",
    ], reply.text
    # a recent penalty says no time line
    reply, _ = ask(kb, "去年被海关罚了6万块钱 还能申请高级认证吗")
    assert "您说的时间" not in reply.text, reply.text


@pytest.mark.parametrize(
    "question, lang, facts",
    [
        (
            "去年海关罚了我们一次8万元，估价问题。前年进出口额大约12亿元。还能申请高级认证吗？",
            "zh",
            {"penalties_count_last_year": 1, "penalties_total": 80000, "import_export_value_last_year": 1200000000},
        ),
        (
            "Last year customs fined us once, RMB 80,000, over a valuation mistake. Our import-export value "
            "the year before was about RMB 1.2 billion. Does that kill our advanced application?",
            "en",
            {"penalties_count_last_year": 1, "penalties_total": 80000, "import_export_value_last_year": 1200000000},
        ),
    ],
)
def test_a_fine_told_with_the_year_before_trade_value_is_judged_in_the_window(kb, question, lang, facts):
    """ "罚了我们一次8万" and "fined us once, RMB 80,000" are a penalty; "the year before" dates the
    trade value, not the fine, so the fine (last year) is inside the 1-year window and passes the
    1/10,000 exception (RMB 120,000 of RMB 1.2 billion)."""
    parsed = parse_facts(question)["facts"]
    assert all(parsed.get(k) == v for k, v in facts.items()), parsed
    assert asks_check(question)
    r, _ = ask(kb, question, lang)
    first = r.text.split("\n")[0]
    assert "(18)" in first and ("达标" in first if lang == "zh" else "met" in first), r.text
    assert ("12万" if lang == "zh" else "120,000") in r.text, r.text
    assert not any(w in r.text for w in ("24个月前", "不计入", "24 months ago", "not counted")), r.text


def test_a_trading_company_without_a_factory_is_judged_as_non_production(kb):
    """ "做贸易的，没有工厂": the factory it says it does not have makes it non-production (75%), not
    production (85%); "会不会挂" asks whether it passes."""
    r, _ = ask(kb, "我们是做贸易的，没有工厂，总资产1个亿，总负债8000万，偿债能力这一项按高级认证算会不会挂？")
    assert "80% > 75%（非生产型）" in r.text and "不符合要求" in r.text, r.text
    assert "2项及以上" in r.text, r.text


@pytest.mark.parametrize(
    "question, lang, advanced, certified",
    [
        (
            "We paid some duty about two months late, roughly 14 months ago. Does that hurt us for advanced "
            "certification? And for the certified level?",
            "en",
            "about 14 months ago; this item looks back 2 years",
            "outside this item's 1 year (12 months), so it does not count",
        ),
        (
            "14个月前有一笔关税晚交了两个月，高级认证和认证企业会受影响吗",
            "zh",
            "约14个月前；本项看2年内",
            "在本项的1年（12个月）之外，不计入",
        ),
    ],
)
def test_a_late_payment_14_months_ago_fails_the_2_year_item_only(kb, question, lang, advanced, certified):
    """A duty paid two months late 14 months ago is in the year before (13-24 months): advanced
    item 22 looks back 2 years and fails; certified item 20 looks back 1 year and leaves it out."""
    assert parse_facts(question)["facts"] == {"taxes_overdue_months": 0, "overdue_payment_prior_year": True}
    r, _ = ask(kb, question, lang)
    adv, _, cert = r.text.partition("(20)")
    assert "(22)" in adv and advanced in adv and ("不达标" if lang == "zh" else "not met") in adv, r.text
    assert certified in cert, r.text


def test_a_high_quality_finding_told_with_suan_is_read():
    facts = parse_facts("海关检查了我们40票报关单，查获了4票，其中1票算高质量查获")["facts"]
    assert facts["high_quality_seized"] == 1, facts


@pytest.mark.parametrize(
    ("question", "lang", "head"),
    [
        (
            "我们自评下来：贸易安全有4项基本达标，其他全部达标，没有不达标项，能通过吗",
            "zh",
            "按默认评分规则测算：总分96分，不能通过——内部控制和贸易安全中基本达标4项，超过3项。",
        ),
        ("有一项不达标，还能通过认证吗", "zh", "按默认评分规则测算：总分98分，不能通过——有1项不达标"),
        ("内控有两项基本达标，贸易安全一项基本达标，能过吗", "zh", "按默认评分规则测算：总分97分，满足全部通过条件。"),
        (
            "We self-assessed: 3 internal control items basically met and 1 trade security item basically met. Do we pass?",
            "en",
            "By the default scoring rules: a total of 96, and not a pass: 4 items basically met",
        ),
    ],
)
def test_a_stated_self_assessment_outcome_is_scored_by_the_default_rule_set(kb, question, lang, head):
    reply, ctx = respond(kb, question, lang, sure_of("ask_scoring_rules", 0.87), Context())
    assert reply.text.startswith(head), reply.text
    assert CITATION.search(reply.text) and ctx.entry == "scoring.default_rule_set"
    # the rule it applies, from the scoring entry, and the caveat once
    assert ("总分=100+各项得分之和" if lang == "zh" else "total = 100 + sum of item scores") in reply.text
    assert reply.text.count("12360") == 1


def test_a_basically_met_count_without_its_dimension_is_not_scored(kb):
    # the "at most 3 in internal control and trade security" condition needs the dimension
    reply, _ = respond(kb, "有4项基本达标，能通过吗", "zh", sure_of("ask_scoring_rules", 0.87), Context())
    assert not reply.text.startswith("按默认评分规则测算"), reply.text


def test_a_period_after_a_loss_is_not_its_amount():
    # "连着亏了两年", "a loss for 2 years": how long; the amount of a loss is still read, also before a
    # full stop ("cash 4 million.")
    assert parse_financial("公司账面上连着亏了两年，不过毛利率还有8%左右")["figures"] == {}
    assert parse_financial("连续亏损3年")["figures"] == {}
    assert parse_financial("去年亏了200万")["figures"] == {"net_profit": -2000000}
    got = parse_financial("current liabilities 25 million and cash 4 million.")
    assert got["figures"] == {"current_liabilities": 25000000, "cash": 4000000}
    assert parse_financial("毛利率还有8%左右")["given"] == {"gross_margin": 8}


def test_declarations_counted_in_all_and_whether_it_gets_through(kb):
    # "上年度报关单一共2000票" is the declaration count ("一共" between the word and the figure), and
    # "处罚次数这条过得去吗" asks whether the figures pass: item 19 judged, 4 penalties against 3 and
    # against 1 per 1,000 of 2,000; before, the summary of the compliance thresholds, no verdict
    assert parse_facts("上年度报关单一共2000票")["facts"].get("declarations_last_year") == 2000
    line = "我们是自营进出口的跨境电商公司，去年被海关罚了4次，累计罚了6万，上年度报关单一共2000票。想申请高级认证，处罚次数这条过得去吗？"
    reply, _ = respond(
        kb, line, "zh", read_as(("ask_compliance_requirements", 0.49), ("diagnose_credit", 0.34)), Context()
    )
    assert "第(19)项 遵守法律法规-处罚次数：不达标" in reply.text and "4/2,000" in reply.text, reply.text


def test_fines_listed_one_by_one_are_summed_and_a_count_of_things_is_no_fine():
    # "fined us twice, RMB 30,000 and RMB 40,000": 70,000 in all, 40,000 the largest (before: the first
    # fine read as the total); "总共五个指标" counts indicators, not yuan (before: a 5元 fine)
    got = parse_facts("Last year customs fined us twice, RMB 30,000 and RMB 40,000.")["facts"]
    assert got == {"penalties_count_last_year": 2, "penalties_total": 70000, "max_single_penalty": 40000}
    assert parse_facts("去年罚款分别是3万和4万")["facts"]["penalties_total"] == 70000
    assert parse_facts("盈利能力那个，净利润啊毛利率啊总共五个指标嘛，要满足几个才算达标")["facts"] == {}
    # "a single customs fine of sixty thousand yuan": one fine, so the total too
    got = parse_facts("We got a single customs fine of sixty thousand yuan last year.")["facts"]
    assert got == {"penalties_count_last_year": 1, "penalties_total": 60000, "max_single_penalty": 60000}


def test_another_fine_supposed_in_english_is_added_to_the_fines_told(kb):
    # "Is that a problem for …" asks whether the figures pass (items 18 and 19 judged); "what if we got
    # another fine of RMB 50,000" adds a third fine (120,000 in all, over 100,000): item 19 not met.
    # Before: the first line got the thresholds' summary, and the supposed fine replaced the two.
    first = (
        "We're a general trade importer. Last year customs fined us twice, RMB 30,000 and RMB 40,000. "
        "Is that a problem for advanced certification?"
    )
    reply, ctx = respond(kb, first, "en", read_as(("ask_compliance_requirements", 0.39)), Context())
    assert "total fines: RMB 70,000 ≤ RMB 100,000 → met" in reply.text, reply.text
    reply, _ = respond(kb, "What if we got another fine of RMB 50,000 this year?", "en", NLU(), ctx)
    assert reply.text.startswith("Assuming penalties 3 times, total fines RMB 120,000"), reply.text
    assert "penalties: 3 times ≤ 3 times, total fines: RMB 120,000 > RMB 100,000 → not met" in reply.text


def test_spoken_hesitations_do_not_hide_the_figure(kb):
    # "a single customs fine of, um, sixty thousand yuan": the fine is read past the "um" (before:
    # item 19 "cannot be judged", no amount read)
    line = (
        "We got a single customs fine of, um, sixty thousand yuan last year. Does that kill our advanced application?"
    )
    reply, _ = respond(kb, line, "en", read_as(("ask_compliance_requirements", 0.5)), Context())
    assert "RMB 60,000 > RMB 50,000" in reply.text, reply.text


def test_more_figures_told_in_a_follow_up_are_judged_with_the_first(kb):
    # "资产负债率80% 高认偿债能力能过吗" → "现金比率0.3 流动比率1.2呢": three of the four indicators, 2 met
    # (before: the clause quoted, and the debt ratio re-read as a cash ratio of 0.8) → "那如果改申请认证
    # 企业呢": all three against the certified limits
    turns = [
        ("我们是贸易公司 资产负债率80% 高认偿债能力能过吗", sure_of("ask_financial_requirements", 0.8)),
        ("现金比率0.3 流动比率1.2呢", sure_of("ask_financial_requirements", 0.6)),
    ]
    reply, ctx = converse(kb, turns)
    assert reply.text.startswith("高级认证企业标准第13项（财务状况-偿债能力）：达标"), reply.text
    assert "资产负债率 80%（您给出的数值） > 75%" in reply.text and "流动比率 1.2" in reply.text
    reply, _ = respond(kb, "那如果改申请认证企业呢", "zh", sure_of("follow_up", 0.9), ctx)
    assert reply.text.startswith("认证企业标准第12项（财务状况-偿债能力）：达标"), reply.text
    assert "资产负债率 80%（您给出的数值） ≤ 85%" in reply.text and "现金比率 0.3" in reply.text, reply.text


def test_fines_of_the_same_amount_each_are_summed_and_kept_for_the_other_level(kb):
    # "what if we had 2 of those fines last yr, 60k each" after the certified single-fine limit: two
    # fines, RMB 120,000 (before: the clause quoted) → "and for advanced?": the same two fines against
    # items 18 and 19 (before: item 18's clause alone)
    turns = [
        ("certified enterprise standard, single penalty limit?", unsure_of(("ask_compliance_requirements", 0.3))),
        ("what if we had 2 of those fines last yr, 60k each", NLU()),
    ]
    reply, ctx = converse(kb, turns, "en")
    assert "penalties: 2 times ≤ 5 times, total fines: RMB 120,000 ≤ RMB 300,000 → met" in reply.text, reply.text
    reply, _ = respond(kb, "and for advanced?", "en", sure_of("follow_up", 0.9), ctx)
    assert "largest single fine: RMB 60,000 > RMB 50,000" in reply.text, reply.text
    assert "total fines: RMB 120,000 > RMB 100,000 → not met" in reply.text, reply.text
