"""统一社会信用代码 (GB 32100-2015)."""

import pytest

from core.enterprise import credit_code as cc


def test_known_valid():
    assert cc.is_valid("91350100M000100Y43")


@pytest.mark.parametrize("seed", range(50))
def test_generated_codes_valid(seed):
    code = cc.generate(seed)
    assert len(code) == 18 and cc.is_valid(code)


@pytest.mark.parametrize(
    "text",
    [
        " 91350100M000100Y43 ",
        "91350100m000100y43",
        "９１３５０１００Ｍ０００１００Ｙ４３",
        "9135 0100 M000 100Y 43",
        "91350100-M000100Y43",
    ],
)
def test_normalisation(text):
    r = cc.check(text)
    assert r.valid and r.code == "91350100M000100Y43"


def test_wrong_check_char():
    r = cc.check("91350100M000100Y44")
    assert not r.valid and r.reason["code"] == "check_char"
    assert "3" in r.reason["zh"] and "3" in r.reason["en"]


@pytest.mark.parametrize("bad", ["I", "O", "S", "V", "Z", "*"])
def test_bad_chars(bad):
    code = "91350100M000100Y4" + bad
    r = cc.check(code)
    assert not r.valid and r.reason["code"] == "charset" and bad in r.reason["zh"]


@pytest.mark.parametrize("text", ["9135010", "91350100M000100Y431", ""])
def test_length(text):
    r = cc.check(text)
    assert not r.valid and r.reason["code"] in ("length", "empty")


def test_division_must_be_digits():
    body = "91A50100M000100Y4"
    r = cc.check(body + cc.check_character(body))
    assert not r.valid and r.reason["code"] == "division"


def test_validate_raises_value_error():
    assert cc.validate(" 91350100m000100y43") == "91350100M000100Y43"
    with pytest.raises(ValueError) as e:
        cc.validate("123")
    assert e.value.field == "enterprise_code"


def test_every_single_char_change_detected():
    code = "91350100M000100Y43"
    for i in range(17):
        for c in "0123456789ABCDEFGHJKLMNPQRTUWXY":
            if c == code[i]:
                continue
            mutated = code[:i] + c + code[i + 1 :]
            if i in range(2, 8) and not c.isdigit():
                continue
            assert not cc.is_valid(mutated), mutated
