"""Language changes only on a clear signal once a conversation has one (core.text.detect_language)."""

import pytest

from core.text import detect_language


@pytest.mark.parametrize(
    "text",
    [
        "ok",
        "OK",
        "ABCD-EFGH",
        "abcd-efgh",
        "Acme Trading Ltd",
        "acme trading co",
        "91310000MA1FL4XX3K abcd-efgh",
        "yes",
    ],
)
def test_keys_names_and_short_words_keep_chinese(text):
    assert detect_language(text, "zh", strict=True) == "zh"


@pytest.mark.parametrize("text", ["上海宏达贸易有限公司", "是", "91310000MA1FL4XX3K"])
def test_chinese_names_and_one_character_keep_english(text):
    assert detect_language(text, "en", strict=True) == "en"


@pytest.mark.parametrize("text", ["What is AEO certification", "how to apply", "hello", "English", "in english"])
def test_sentences_and_explicit_switches_change_to_english(text):
    assert detect_language(text, "zh", strict=True) == "en"


@pytest.mark.parametrize("text", ["我想申请高级认证", "中文", "说中文"])
def test_chinese_sentences_change_to_chinese(text):
    assert detect_language(text, "en", strict=True) == "zh"


def test_first_message_is_read_loosely():
    assert detect_language("AEO benefits", "zh") == "en"
    assert detect_language("高认", "en") == "zh"
    assert detect_language("", "en") == "en"


@pytest.mark.parametrize("strict", [False, True])
def test_an_english_sentence_quoting_a_chinese_term_stays_english(strict):
    text = "we're only Certified (认证企业), not Advanced. does the Thai side still give us the benefits?"
    assert detect_language(text, "zh", strict=strict) == "en"
    assert detect_language("AEO认证需要准备哪些材料 list please", "en", strict=strict) == "zh"


@pytest.mark.parametrize("strict", [False, True])
def test_english_grammar_around_chinese_terms_is_english(strict):
    """Set 65 (code-switching): English function words around Chinese terms that carry no Chinese
    grammar are an English question; a Chinese sentence with English terms stays Chinese."""
    for text in (
        "for 认证企业, what's the yearly cap on 追征税款 (back taxes)?",
        "for 认证企业, what's the look-back for related persons' 故意犯罪?",
    ):
        assert detect_language(text, "zh", strict=strict) == "en", text
    for text in (
        "我们要申请 advanced certification，debt ratio 的 requirement 是多少？",
        "audit report deadline 是几月几号",
        "seal 要用 ISO 什么标准",
    ):
        assert detect_language(text, "en", strict=strict) == "zh", text
