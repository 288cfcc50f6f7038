"""The one scoring rule of the answer sets (tests/answer_sets.py): a reply is
correct when it contains every expected fact, in any spacing, width or
thousands-separator form, and wrong when it is a cited answer without them."""

from tests.answer_sets import has_fact, judge

CITED = "来源：海关总署公告2026年第34号"


def test_a_fact_is_found_whatever_its_spacing_width_and_separators():
    assert has_fact("no more than 1/1,000 of the tax paid", ["1/1000"])
    assert has_fact("累计不超过１０万元", "10万元")
    assert has_fact("RMB 100,000 in total", ["100000"])
    assert has_fact("RMB 5,000,000", "5000000")
    assert not has_fact("no more than 1/10,000", ["1/1000"])
    assert not has_fact("items 1,2,3", ["123"])


def test_verdicts():
    case = {"expect": [["3年", "3 years"]], "not_expect": ["5年"]}
    assert judge(case, "保存3年以上。\n" + CITED, []) == "correct"
    assert judge(case, "保存3年或5年。\n" + CITED, []) == "wrong"
    assert judge(case, "保存5年。\n" + CITED, []) == "wrong"
    assert judge(case, "您是想问哪一项？", [{"title": "x"}]) == "offered"
    assert judge(case, "您是想问哪一项？", []) == "redirected"
    assert judge({"kind": "offtopic"}, "这超出了我的服务范围", []) == "redirected"


def test_a_number_is_not_found_inside_a_longer_number():
    assert not has_fact("查获率不超过15%", "5%")
    assert not has_fact("不超过0.5%", "5%")
    assert has_fact("不超过5%。", "5%")
    assert has_fact("第5项", "5")
    assert not has_fact("共25项", "5项")
    assert has_fact("4. 2年内无逾期；5. 1年内累计", "1年")
    assert has_fact("3. Art. 5 customs-enterprise cooperation", "art.5")  # the whitespace of "Art. 5" goes
    assert has_fact("Arts. 36-40 govern repair", "36")
