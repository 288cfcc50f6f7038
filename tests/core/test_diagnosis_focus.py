"""Diagnosis reads what it is told: counts in words, amounts with 万/元, and a
question about one fact answered at once from the criteria (issue 14)."""

from __future__ import annotations

import pytest

from core.cultivation import flow as cf
from core.diagnosis import engine as diag
from core.diagnosis import flow
from core.diagnosis.facts import parse_facts
from core.enterprise import credit_code


@pytest.mark.parametrize(
    "text, expecting, expected",
    [
        ("就这一次", "penalties_count_last_year", 1),
        ("一次", "penalties_count_last_year", 1),
        ("两回", "penalties_count_last_year", 2),
        ("没有", "penalties_count_last_year", 0),
        ("once", "penalties_count_last_year", 1),
        ("twice", "penalties_count_last_year", 2),
        ("never", "penalties_count_last_year", 0),
        ("只有这一次", "penalties_count_last_year", 1),
    ],
)
def test_bare_counts_in_words(text, expecting, expected):
    assert parse_facts(text, expecting=expecting)["facts"] == {expecting: expected}


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "上个月被海关罚了8万元，就这一次，会不会影响高级认证",
            {"penalties_count_last_year": 1, "penalties_total": 80000, "max_single_penalty": 80000},
        ),
        ("被罚了两回", {"penalties_count_last_year": 2}),
        (
            "这是第一次被罚，罚了3万",
            {"penalties_count_last_year": 1, "penalties_total": 30000, "max_single_penalty": 30000},
        ),
        ("we were only fined once", {"penalties_count_last_year": 1}),
        ("我们有一笔税款逾期没交，对信用有什么影响", {"taxes_overdue_now": True}),
        ("罚款还没交", {"fines_overdue_now": True}),
        ("we have unpaid customs duties", {"taxes_overdue_now": True}),
        ("我们没有欠税", {"taxes_overdue_months": 0}),
        ("去年罚了4次，共12万", {"penalties_count_last_year": 4, "penalties_total": 120000}),
    ],
)
def test_sentences(text, expected):
    assert parse_facts(text)["facts"] == expected


def test_a_count_word_without_a_penalty_is_not_a_penalty_count():
    assert parse_facts("只有一次机会")["facts"] == {}


def test_single_penalty_over_the_line_asks_only_for_the_trade_value():
    state, reply = flow.start("zh", "上个月被海关罚了8万元，就这一次，会不会影响高级认证")
    text = reply.text
    assert "第(18)项" in text and "8万元" in text and "5万元" in text and "8亿元" in text
    assert "第(19)项" in text and "符合" in text
    assert "《海关认证企业标准》" not in text  # the question named the advanced level only
    assert state.expecting == "import_export_value_last_year" and not reply.done
    assert "过去1年内，企业被海关行政处罚了几次" not in text  # the count was given
    # A trade value under 8亿: item (18) fails; the verdict ends the flow.
    state, reply = flow.step(state, "5亿元", "zh")
    assert reply.done and "第(18)项" in reply.text and "不符合" in reply.text and "阻止高级认证" in reply.text
    # At or above 8亿 the exception applies.
    state, reply = flow.start("zh", "上个月被海关罚了8万元，就这一次，会不会影响高级认证")
    state, reply = flow.step(state, "10亿元", "zh")
    d = diag.diagnose(state.facts)
    assert d.status("adv_18") == "met" and reply.done and "不符合" not in reply.text


def test_what_if_naming_the_other_level_judges_the_same_facts_against_its_clauses():
    """ "如果改报认证企业呢" after a focused answer on the advanced items: the same four penalties
    (6万 in total, 8,000 declarations) against the certified standard's items 16 and 17."""
    state, reply = flow.start("zh", "想评估下能不能报高级认证。去年被海关罚了4次，总共罚了6万块")
    state, reply = flow.step(state, "上年度报关单大概8000票", "zh")
    assert "（8,000票的0.1%为8次）" in reply.text, reply.text
    state, reply = flow.step(state, "如果改报认证企业呢", "zh")
    assert "《海关认证企业标准》第(17)项" in reply.text and "处罚4次 ≤ 5次" in reply.text, reply.text
    assert "30万元" in reply.text and "高级认证企业标准" not in reply.text, reply.text


def test_new_enterprise_without_last_year_figures_fails_on_the_50k_line():
    state, reply = flow.start("zh", "上个月被海关罚了8万元，就这一次，会不会影响高级认证")
    state, reply = flow.step(state, "没有", "zh")  # bool-like answer to a number question: 0 trade
    assert reply.done and "不符合" in reply.text


def test_overdue_tax_is_answered_from_item_22_and_the_dishonesty_grounds():
    state, reply = flow.start("zh", "我们有一笔税款逾期没交，对信用有什么影响")
    text = reply.text
    assert reply.done and state.expecting is None  # no questionnaire
    assert "第(22)项" in text and "不符合" in text and "海关同意延期的除外" in text
    assert "第(20)项" in text  # the certified standard's equivalent
    assert "第251号令第二十二条第（四）项" in text and "已废止" in text
    assert "第282号令" in text and "尚未取得原文" in text


def test_back_taxes_told_one_by_one_then_the_tax_paid():
    # two recoveries told "一次12万一次3万": the back-tax item judged (not the penalty questionnaire),
    # and the tax paid given with other words completes the verdict
    state, reply = flow.start("zh", "去年海关追征了我们两次税 一次12万一次3万 影响高级认证不")
    assert "第(24)项 税款要求" in reply.text and "追征税款累计15万元 > 10万元" in reply.text, reply.text
    assert "企业上年度总纳税额约多少元" in reply.text
    state, reply = flow.step(state, "具体怎么算 我们上年度一共交了1个亿的税", "zh")
    assert "15万元/1亿元 = 0.15% > 0.1%" in reply.text, reply.text
    # "recovered … unpaid duty" is a back tax: no "unpaid now" verdict on the payments item
    state, reply = flow.start(
        "en",
        "last year customs recovered 150,000 yuan of unpaid duty from us. can we still apply for advanced certification?",
    )
    assert "Advanced standard item (24): back taxes" in reply.text, reply.text
    assert "item (22)" not in reply.text, reply.text


def test_a_question_about_being_rated_dishonest_leads_with_the_dishonesty_rules():
    # "会不会被海关划成不讲信用的企业" names no certification: the dishonesty rules first, then the
    # certification items on the same fact
    state, reply = flow.start(
        "zh", "有一笔税款拖了两个多月还没交，会不会因为这个被海关划成不讲信用的企业？拖到多久算踩线？"
    )
    bullets = [x for x in reply.text.split("\n") if x.startswith("· ")]
    assert bullets[0].startswith("· 第251号令第二十二条第（四）项") and "第282号令" in bullets[1], reply.text
    assert "款项缴纳" in bullets[2]
    # naming the level keeps the standard's item first
    state, reply = flow.start("zh", "有一笔税款拖了两个多月还没交，还能申请高级认证吗，会不会失信")
    bullets = [x for x in reply.text.split("\n") if x.startswith("· ")]
    assert "款项缴纳" in bullets[0], reply.text


def test_english_single_fact_question():
    state, reply = flow.start(
        "en", "We were fined once, 80,000 yuan in total. Does that affect advanced certification?"
    )
    assert "item (18)" in reply.text and "RMB 800,000,000" in reply.text
    assert state.expecting == "import_export_value_last_year"


def test_a_full_sentence_without_a_question_still_runs_the_questionnaire():
    state, reply = flow.start("zh", "去年罚了4次，共12万")
    assert not state.focus and state.expecting  # asks for what the full diagnosis needs


def test_invalid_code_in_a_lookup_is_answered_with_the_reason(tmp_path, monkeypatch):
    # its own migrated database: the lookup of a valid code reads the enterprise table
    from core.db import create_schema, get_engine

    url = f"sqlite:///{tmp_path / 'lookup.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    create_schema(get_engine(url))
    reply = cf.level_lookup("帮我查一下统一社会信用代码91350100M000100Y44的信用等级", "zh")
    assert reply is not None and "91350100M000100Y44" in reply.text and "校验位不正确" in reply.text
    assert "最后一位应为" in reply.text
    assert cf.level_lookup("what is the credit level of 9135010OM000100Y44", "en").text.count("not allowed") == 1
    good = credit_code.generate(seed=7)
    assert "不是有效" not in cf.level_lookup(f"查一下{good}的信用等级", "zh").text
    assert cf.level_lookup("信用等级分几级", "zh") is None


def test_counts_and_entries_are_said_in_their_units_not_in_yuan():
    """'4次' over the '3次' line, and the declarations needed in 票: never '4元'."""
    _, reply = flow.start("zh", "我们一年被罚了4次，加起来6万，想申请高级认证有戏吗")
    assert "4次，超过3次这条线" in reply.text, reply.text
    assert "4,000票" in reply.text, reply.text
    assert "4元" not in reply.text and "3元" not in reply.text
    _, reply = flow.start("en", "we were fined 4 times last year, total RMB 60,000. advanced ok?")
    assert "4 times, over the 3 times line" in reply.text and "4,000 entries" in reply.text, reply.text


def test_a_fine_total_brings_the_single_fine_rule():
    """'罚了8万' gives a total; any single fine is at most that, so the 5万 single-fine rule is answered too."""
    _, reply = flow.start("zh", "上个月罚了8万，高级认证有影响吗")
    assert "第(18)项" in reply.text and "5万元" in reply.text, reply.text


@pytest.mark.parametrize(
    "text, low, high",
    [
        ("去年被海关罚了两次，加起来十几万", 110000, 190000),
        ("罚了两次，一共10多万", 100001, 199999),
        ("罚款二十几万", 210000, 290000),
        ("罚了3次，共几万块", 20000, 90000),
        ("罚了两次，一共一万多", 10001, 19999),
    ],
)
def test_an_approximate_amount_is_a_range_not_the_number_before_ji(text, low, high):
    """ "十几万" had been read as 10 yuan (the 十 before 几), "10多万" as 10."""
    from core.diagnosis.facts import parse_facts_ranges

    parsed = parse_facts_ranges(text)
    assert parsed["approx"] == {"penalties_total": (low, high)}, parsed
    assert "penalties_total" not in parsed["facts"]
    assert parse_facts_ranges("罚了两次 共12万")["facts"]["penalties_total"] == 120000


def test_an_approximate_amount_decides_where_both_ends_agree_and_is_asked_for_where_not():
    # 11万-19万: over the advanced 10万 cap and under the certified 30万 cap at both ends.
    _, reply = flow.start("zh", "我们公司去年被海关罚了两次，加起来十几万，会不会因此被认定失信")
    assert "10元" not in reply.text and "“十几万”按11万元—19万元计算" in reply.text, reply.text
    assert "罚款累计11万元 > 10万元" in reply.text, reply.text
    # 10,001-19,999 against 5万 is clear; "五万多" (50,001-59,999) against a 5万 single cap also
    # is; "几万" (2万-9万) against the 5万 cap for one fine is not: the figure is asked for.
    state, reply = flow.start("zh", "去年最大一笔罚款几万，还能申请高级认证吗")
    assert "不够确切" in reply.text and "max_single_penalty" not in state.facts, reply.text
    state, reply = flow.step(state, "3万", "zh")
    assert state.facts.get("max_single_penalty") == 30000, (state.facts, reply.text)


def test_what_if_it_had_happened_at_another_time():
    # "要是两年前呢" names no figure: the first message's facts, at that time (outside item 18's year)
    state, first = flow.start("zh", "我们8个月前被海关罚了一笔8万的罚款，还能申请高级认证吗")
    assert "第(18)项" in first.text
    state, reply = flow.step(state, "要是两年前呢", "zh")
    assert "请说明要假设的情况" not in reply.text, reply.text
    assert "第(18)项 遵守法律法规-单次处罚：待补充信息 → 符合" in reply.text, reply.text


@pytest.mark.parametrize(
    "text",
    ["如果其中一笔单次就罚了6万呢？", "有一笔罚了6万", "罚了3次，其中一次罚了6万", "if one of them was a 60,000 fine?"],
)
def test_one_fine_of_several_is_the_largest_single_fine_not_the_total(text):
    facts = parse_facts(text)["facts"]
    assert facts.get("max_single_penalty") == 60000 and "penalties_total" not in facts, facts


def test_a_supposed_single_fine_answers_the_question_asked_then_the_other_level_leaves_the_form():
    """ "如果其中一笔单次就罚了6万呢？" when the largest single fine was asked: item 18 judged with it
    (before: the whole diagnosis, "结论没有变化"); "改申请认证企业会宽松一些吗" is a question for the
    conversation, asked of the other level (before: read as nothing, then the application procedure)."""
    state, reply = flow.start("zh", "今年被海关罚了两次，加起来8万，还能冲高级认证吗？")
    assert state.expecting == "max_single_penalty", reply.text
    state, reply = flow.step(state, "如果其中一笔单次就罚了6万呢？", "zh")
    assert "单次最大罚款6万元 > 5万元" in reply.text and "处罚2次 ≤ 3次" in reply.text, reply.text
    assert state.facts["max_single_penalty"] == 60000 and state.facts["penalties_total"] == 80000
    state, reply = flow.step(state, "改申请认证企业会宽松一些吗", "zh")
    assert reply.kind == flow.LEAVE_FOR_QUESTION and state.done


@pytest.mark.parametrize(
    "text, expected",
    [
        ("我们欠了海关的税，拖了两个月才交上，会不会被弄成失信企业？", 2),
        ("We owe customs some duty, it's about 2 months overdue. Will we get blacklisted?", 2),
    ],
)
def test_tax_owed_and_how_late(text, expected):
    assert parse_facts(text)["facts"].get("taxes_overdue_months") == expected


def test_a_fine_from_customs_of_an_amount():
    facts = parse_facts("We got a fine from customs of RMB 80,000 last year.")["facts"]
    assert facts.get("penalties_total") == 80000 and facts.get("max_single_penalty") == 80000, facts
    assert parse_facts("we got a 80,000 fine from customs")["facts"].get("penalties_total") == 80000


def test_a_supposition_after_a_focused_answer_adds_and_keeps_its_clauses():
    """ "如果今年再被罚一笔5万呢？" after "去年被海关罚了2次，一笔3万一笔4万，申请高级认证处罚这块有问题吗？":
    a third penalty on top of the two (3 penalties, RMB 120,000 in all), judged on the clauses asked
    about (item 19 fails on the total); then "那换成申请认证企业呢？" judges the supposed facts against
    the certified standard. Before: the fine replaced the two ("结论没有变化"), and the level switch
    was not read as one."""
    first = "我们是一般贸易进出口企业，去年被海关罚了2次，一笔3万一笔4万，申请高级认证处罚这块有问题吗？"
    state, reply = flow.start("zh", first)
    assert reply.done and "罚款累计7万元 ≤ 10万元" in reply.text, reply.text
    after, reply = flow.what_if_after(flow.finished(state), "如果今年再被罚一笔5万呢？", "zh")
    assert "假设：处罚3次、罚款累计12万元、单次最大罚款5万元" in reply.text, reply.text
    assert "罚款累计12万元 > 10万元" in reply.text and "第(19)项" in reply.text and "不符合" in reply.text, reply.text
    assert state.facts["penalties_total"] == 70000, "the told facts stay as told"
    _, reply = flow.what_if_after(flow.finished(after), "那换成申请认证企业呢？", "zh")
    assert "《海关认证企业标准》第(17)项" in reply.text and "罚款累计12万元 ≤ 30万元" in reply.text, reply.text
    assert reply.text.startswith("按假设的情况，对照相关条款："), "the figures judged are said to be the supposed ones"
    # without "再", the supposed fine is the whole of it
    _, reply = flow.what_if_after(flow.finished(state), "要是只罚了一笔5万呢", "zh")
    assert "处罚1次" in reply.text and "罚款累计5万元" in reply.text, reply.text


def test_a_question_of_its_own_that_says_if_is_not_a_supposition():
    """ "如果被认定为失信企业，多久能修复？" after a diagnosis supposes no figure, time or level: it is a
    question for the conversation (before: "请说明要假设的情况")."""
    state, _ = flow.start("zh", "去年被罚了2次，一笔3万一笔4万，申请高级认证有问题吗？")
    assert flow.what_if_after(flow.finished(state), "如果被认定为失信企业，多久能修复？", "zh") is None
    assert flow.what_if_after(None, "如果再罚一笔5万呢", "zh") is None


def test_a_hesitation_in_the_diagnosis_line_does_not_hide_the_fine():
    # "a single customs fine of, um, sixty thousand yuan": item 18 judged on RMB 60,000 (before: the
    # amount after "um" was not read, and only item 19's count was judged)
    line = "We got a single customs fine of, um, sixty thousand yuan last year. Does that block advanced certification?"
    _, reply = flow.start("en", line)
    assert "item (18)" in reply.text and "RMB 60,000" in reply.text, reply.text


def test_a_rule_question_that_tells_only_what_the_enterprise_is_leaves_the_form():
    """ "我们是报关行，想回顾一下旧251号令下1年内罚款累计到多少会触发失信，好对照明年的风险计划": the
    rule's threshold asked (a broker says what it is, and "风险" is its plan's), not a request for a
    diagnosis; "我们是报关行，帮我们诊断一下" still opens the form."""
    line = "我们是报关行，想回顾一下旧251号令下1年内罚款累计到多少会触发失信，好对照明年的风险计划"
    state, reply = flow.start("zh", line)
    assert reply.kind == flow.LEAVE_FOR_QUESTION and state.done, reply.text
    state, reply = flow.start("zh", "我们是报关行，帮我们诊断一下")
    assert reply.kind != flow.LEAVE_FOR_QUESTION and not state.done, reply.text
    assert state.facts.get("is_customs_broker") is True
