"""Every parser of user input survives arbitrary text (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import text as text_mod
from core.assessment import flow as assessment_flow
from core.assessment import parsing as assessment_input
from core.cultivation.flow import authorise, find_code
from core.diagnosis import facts as facts_parser
from core.enterprise import credit_code
from core.standards import stated as stated_outcome

ANY_TEXT = st.text(max_size=300) | st.sampled_from(
    [
        "第十八项",
        "item 18",
        "（23）",
        "91310000MA1FL8XQ2N",
        "1200万",
        "3.5亿",
        "修改第5项 达标",
        "<a>",
        "'; --",
        "\x00",
        "😀" * 50,
    ]
)
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(ANY_TEXT)
def test_credit_code_check_never_raises(s):
    res = credit_code.check(s)
    assert res.valid in (True, False)
    if not res.valid:
        assert res.reason["zh"] and res.reason["en"]


@FAST
@given(ANY_TEXT)
def test_item_number_and_standard_parsers(s):
    n = text_mod.parse_item_number(s)
    assert n is None or 0 < n < 1000
    text_mod.detect_standard(s)
    text_mod.detect_language(s)
    text_mod.normalise(s)
    assert isinstance(text_mod.dates_in(s), list)  # never raises (bad months or days are skipped)


@FAST
@given(ANY_TEXT)
def test_assessment_answer_parser(s):
    cmd = assessment_input.parse(s)
    assert cmd is None or cmd.kind in {
        "verdict",
        "skip",
        "back",
        "change",
        "explain",
        "pause",
        "audit_opinion",
        "number",
    }
    assessment_flow._parse_amount(s)
    assessment_flow._parse_standard(s)
    assessment_flow._parse_mode(s)


@FAST
@given(ANY_TEXT)
def test_facts_parser(s):
    out = facts_parser.parse_facts(s)
    assert isinstance(out["facts"], dict)
    stated = facts_parser.parse_financial(s)
    assert all(isinstance(v, int | float) for v in [*stated["figures"].values(), *stated["given"].values()])


STATED = st.builds(
    lambda dim, n, verdict, tail: f"{dim}{n}项{verdict}{tail}",
    st.sampled_from(["", "内控", "贸易安全", "守法规范", "财务", "internal control "]),
    st.sampled_from(["0", "1", "3", "99", "十", "两十", "十十", "一"]),
    st.sampled_from(["基本达标", "不达标", " basically met", " failed"]),
    st.sampled_from(["，能通过吗", " Do we pass?", "", "，没有不达标项，能过吗"]),
)


@FAST
@given(STATED | ANY_TEXT, st.sampled_from(["zh", "en"]), st.sampled_from(["", "advanced", "certified"]))
def test_stated_self_assessment_outcome(s, lang, level):
    out = stated_outcome.outcome(s, lang, level)
    assert out is None or (out.standard in ("advanced", "certified") and isinstance(out.passed, bool))


@FAST
@given(ANY_TEXT)
def test_code_and_key_extraction(s):
    find_code(s)
    authorise(s, None)


@settings(max_examples=200, deadline=None)
@given(
    st.binary(max_size=400)
    | st.text(max_size=300).map(
        lambda t: f"<xml><ToUserName>{t}</ToUserName><Content>{t}</Content></xml>".encode("utf-8", "ignore")
    )
)
def test_wechat_xml_parser(body):
    from bot.channels import wechat

    try:
        wechat._parse_xml(body)
    except wechat.BadRequest:
        pass  # refused cleanly (the handler answers 400)
