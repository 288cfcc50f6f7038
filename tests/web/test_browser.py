"""Headless Chromium (Debian /usr/bin/chromium, driven by playwright-core from
bot/web/node_modules through tests/web/browser_e2e.mjs) against the running
assistant. BROWSER_TARGET=standin runs them against a stand-in Rasa instead."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import urllib.request
import wave
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "web" / "browser_e2e.mjs"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium not installed (apt-get install chromium)"),
    pytest.mark.skipif(shutil.which("node") is None, reason="node not installed"),
    pytest.mark.skipif(
        not (ROOT / "bot/web/node_modules/playwright-core").is_dir(),
        reason="run scripts/build_web.sh (npm ci in bot/web)",
    ),
    pytest.mark.skipif(not (ROOT / "bot/web/dist/widget.js").is_file(), reason="run scripts/build_web.sh"),
]


def run(target, scenario: str, timeout: int = 240) -> dict:
    env = dict(os.environ, GATEWAY_URL=target.gateway_url, ARTIFACTS_DIR=str(ARTIFACTS), CHROMIUM_PATH=CHROMIUM)
    proc = subprocess.run(
        ["node", str(SCRIPT), scenario], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    lines = [ln for ln in proc.stdout.strip().splitlines() if ln.startswith("{")]
    assert lines, f"no result from {scenario}: rc={proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    result = json.loads(lines[-1])
    assert result["ok"], result.get("error")
    return result


def test_policy_question_answer_with_citation(browser_target):
    r = run(browser_target, "chat")
    assert "来源" in r["answer"] or "Source" in r["answer"], r["answer"]
    assert r["a11y"]["log"] == "log/polite" and r["a11y"]["label"] and r["a11y"]["launcher"]
    assert (ARTIFACTS / "widget-policy-answer.png").is_file()
    assert_read_from_start(browser_target, r["view"])


def assert_read_from_start(target, view: dict) -> None:
    """A reply is shown from its first line, not scrolled to its citation; against the assistant
    the policy answer is longer than the log, so the check means something there."""
    assert view["firstTopInView"], view
    if not (getattr(target, "standin", False) or os.environ.get("BROWSER_TARGET") == "standin"):
        assert view["replyHeight"] > view["logHeight"], view


def test_click_button(browser_target):
    r = run(browser_target, "buttons")
    assert r["clicked"] and r["after"].strip()


def test_assessment_continues_after_reload(browser_target):
    if getattr(browser_target, "standin", False) or os.environ.get("BROWSER_TARGET") == "standin":
        pytest.skip("needs the real assistant")
    from core.enterprise import credit_code

    os.environ["ENTERPRISE_CODE"] = credit_code.generate(seed=777)
    r = run(browser_target, "assessment", timeout=300)
    assert r["progress1"] == "2"
    assert "总进度 3/" in r["last"], r["last"]


def test_stale_and_double_taps_and_the_checklist_page(browser_target):
    if getattr(browser_target, "standin", False) or os.environ.get("BROWSER_TARGET") == "standin":
        pytest.skip("needs the real assistant")
    from core.enterprise import credit_code

    os.environ["ENTERPRISE_CODE"] = credit_code.generate(seed=778)
    r = run(browser_target, "taps", timeout=300)
    assert r["key"], r
    assert r["look"]["answers"] == ["达标", "基本达标", "不达标", "不适用"]
    assert r["look"]["answerBg"] != r["look"]["navBg"]  # answer buttons look different
    assert r["disabledAfterClick"] is True
    assert "第2项已经回答过，现在是第3项；要修改请说“修改第2项”" in r["stale"], r["stale"]
    # the double click recorded item 1 once; the stale tap recorded nothing
    assert r["statuses"] == {"1": "达标", "2": "达标", "3": "none"}, r["statuses"]
    assert r["landmarks"] == {"main": True, "header": True, "nav": True, "unlabelled": []}
    assert r["unansweredShown"] == 59 and r["financeShown"] == 3
    assert "总分" in r["resultText"]
    assert "当前回答：基本达标" in r["chat10"], r["chat10"]
    assert r["english"]["lang"] == "en" and r["english"]["title"] == "Self-assessment checklist"
    assert r["english"]["item1"].startswith("Item 1") and r["english"]["status10"] == "Partly"
    # the English page shows the English label, plain requirement and translation, then the Chinese original
    from core.assessment import flow
    from core.standards import catalogue as std_mod

    item1 = std_mod.item("certified", 1)
    assert r["english"]["item1"] == f"Item 1 · {item1.label_en}"
    assert r["english"]["plain1"] == flow.plain_requirement(item1, "en")
    assert "unofficial translation" in r["english"]["summary1"]
    assert r["english"]["details1"] == [item1.requirement_en, "Chinese original:", item1.requirement]
    assert r["english"]["detailsLang1"] == ["", "", "zh"]
    assert (ARTIFACTS / "checklist.png").is_file()
    # axe-core on the logged-in checklist (with its result) and on a question with answer buttons
    assert not _bad(r["axeChecklist"]), _bad(r["axeChecklist"])
    assert not _bad(r["axeChecklistEn"]), _bad(r["axeChecklistEn"])  # English page, first item's full text open
    assert not _bad(r["axeQuestion"]), _bad(r["axeQuestion"])


def test_reload_keeps_session_and_history(browser_target):
    r = run(browser_target, "reload")
    assert r["session1"] and r["session1"] == r["session2"] == r["session3"]
    assert r["count2"] == r["count1"] >= 3  # welcome + user + bot(s) restored


def test_html_in_messages_is_shown_as_text(browser_target):
    r = run(browser_target, "xss")
    assert r["dialog"] is None
    assert r["imgs"] == 0
    assert r["shown"] == "<img src=x onerror=alert(1)>"


def test_kiosk_reads_replies_aloud(browser_target):
    r = run(browser_target, "kiosk")
    assert [b["text"] for b in r["big"]] == ["政策问答", "自我评估", "我的进度"]
    assert all(b["fontPx"] >= 28 and b["height"] >= 80 for b in r["big"])
    # the "政策问答" button asks for the question; it had got the out-of-scope apology
    if not (getattr(browser_target, "standin", False) or os.environ.get("BROWSER_TARGET") == "standin"):
        assert "政策问题" in r["policyReply"] and "超出" not in r["policyReply"], r["policyReply"]
    ok = [t for t in r["tts"] if t["status"] == 200]
    assert ok, r["tts"]
    assert ok[0]["riff"] == "RIFF" and ok[0]["type"].startswith("audio/wav") and ok[0]["duration"] > 0.3
    assert r["session"] and r["session"] in (r["qrSrc"] or "")
    assert r["speechPressed"] == "false"
    assert "语音输入未配置" in r["notice"] or "voice input" in r["notice"]
    assert_read_from_start(browser_target, r["answerView"])


def test_kiosk_qr_hands_the_conversation_to_a_phone_once(browser_target):
    """Issue 12: the QR code holds a one-time link, not the session; the phone
    continues the kiosk's conversation; the link does not work a second time."""
    if getattr(browser_target, "standin", False) or os.environ.get("BROWSER_TARGET") == "standin":
        pytest.skip("needs the real assistant (signed sessions)")
    r = run(browser_target, "kioskHandoff")
    assert r["kioskSession"] and r["phoneSession"] == r["kioskSession"]
    assert "/handoff/" in r["link"] and r["kioskSession"] not in r["link"]
    assert "#session" not in r["phoneUrl"]  # taken out of the address bar
    assert r["again"] == 410


def test_tts_endpoint_returns_playable_wav(browser_target):
    req = urllib.request.Request(
        browser_target.gateway_url + "/api/tts",
        data=json.dumps({"text": "海关信用培育智能助手为您服务。", "lang": "zh"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=30) as resp:
        data = resp.read()
    assert data[:4] == b"RIFF"
    with wave.open(io.BytesIO(data)) as w:
        assert w.getnframes() / w.getframerate() > 0.3


def test_rasa_webchat_widget_gets_reply(browser_target):
    r = run(browser_target, "webchat")
    if r.get("skipped"):
        pytest.skip(r["skipped"])
    assert any(t.strip() for t in r["replies"]), r


# The rules the issue named (checked whatever axe's impact for them), beside every serious or
# critical violation. browser_e2e.mjs enables the experimental label-content-name-mismatch rule.
NAMED_RULES = {"label-content-name-mismatch", "landmark-no-duplicate-banner", "meta-viewport", "landmark-one-main"}


def _bad(violations: list) -> list:
    return [v for v in violations if v["impact"] in ("serious", "critical") or v["id"] in NAMED_RULES]


def test_axe_finds_no_serious_violation(browser_target):
    """axe-core on / (widget closed and open), /kiosk and, when it exists, /assessment."""
    r = run(browser_target, "a11y")
    pages = ["widgetClosed", "widgetOpen", "kiosk"] + (["assessment"] if "assessment" in r else [])
    for name in pages:
        assert not _bad(r[name]), (name, _bad(r[name]))
    assert "海关信用培育智能助手" in r["launcherName"]


def test_widget_on_a_phone(browser_target):
    r = run(browser_target, "phone")
    vw, vh = r["viewport"]["width"], r["viewport"]["height"]
    p = r["panel"]
    assert (p["x"], p["y"]) == (0, 0) and p["w"] == vw and p["h"] == vh, r["panel"]  # full screen
    assert r["input"][0]["font"] >= 16  # iOS does not zoom into the field
    small = [t for t in r["targets"] if t["w"] < 44 or t["h"] < 44]
    assert not small, small
    assert not r["cut"]["hidden"] and "1000" in r["cut"]["text"] and r["kept"] == 1000
    assert "user-scalable=no" not in r["kioskZoom"] and "maximum-scale" not in r["kioskZoom"]
    for png in ("widget-phone-390.png", "widget-phone-390-cut.png", "kiosk-phone-390.png"):
        assert (ARTIFACTS / png).is_file()


def test_widget_on_a_desktop(browser_target):
    r = run(browser_target, "desktop")
    assert r["panel"]["w"] <= 400 and r["panel"]["h"] <= 620
    if not (getattr(browser_target, "standin", False) or os.environ.get("BROWSER_TARGET") == "standin"):
        assert r["qr"]  # the kiosk shows its hand-off QR code
    assert (ARTIFACTS / "widget-desktop-1280.png").is_file() and (ARTIFACTS / "kiosk-desktop-1280.png").is_file()


def test_language_switch_and_english_page(browser_target):
    r = run(browser_target, "lang")
    assert r["zh"] == {"lang": "zh-CN", "send": "发送", "sw": "English"}
    en = r["en"]
    assert en["lang"] == "en" and en["api"] == "en" and en["send"] == "Send" and en["sw"] == "中文"
    assert en["placeholder"].startswith("Type") and en["title"] == "Credit Cultivation Assistant"
    assert not en["launcherShown"]  # the open chat hides its launcher
    assert en["welcome"].strip().startswith("Assistant") or "Hello" in en["welcome"]
    assert r["afterReload"] == "en"  # the choice is remembered
    pe = r["page_en"]
    assert pe["htmlLang"] == "en" and "Credit" in pe["title"] and "Credit" in pe["launcher"]
    cjk = re.findall(r"[\u3400-\u9fff]", pe["text"])
    assert not cjk, "".join(cjk)


def _chinese_in(frame: dict) -> str:
    """The Chinese characters in a frame's texts, except the 中文 switch's own label."""
    texts = [v for k, v in frame.items() if isinstance(v, str) and k != "sw"]
    texts += frame.get("buttons", [])
    return "".join(re.findall(r"[\u3400-\u9fff]", " ".join(texts)))


def test_widget_follows_the_language_typed_until_one_is_chosen(browser_target):
    r = run(browser_target, "typedLang")
    one = r["oneWord"]  # "AEO", then a credit code: no switch
    assert (one["lang"], one["send"], one["api"], one["sent"]["language"]) == ("zh-CN", "发送", "zh", "zh"), one
    en = r["en"]
    assert en["lang"] == "en" and en["api"] == "en", en
    assert en["title"] == en["launcher"] == "Credit Cultivation Assistant"
    assert en["placeholder"] == "Type a question and press Enter" and en["label"] == "Type your question"
    assert (en["send"], en["sw"], en["newChat"]) == ("Send", "中文", "New chat")
    assert en["close"] == "Close the chat window" and en["log"] == "Conversation"
    assert en["status"] == "Switched to English" and en["welcome"].startswith("Assistant: Hello")
    assert en["sent"]["language"] == "en" and en["sent"]["message"].startswith("What are"), en["sent"]
    assert not _chinese_in(en), _chinese_in(en)
    zh = r["zh"]  # a Chinese question switches back
    assert (zh["lang"], zh["send"], zh["sw"], zh["status"]) == ("zh-CN", "发送", "English", "已切换为中文"), zh
    assert zh["sent"]["language"] == "zh"
    for name in ("chosen", "reloaded"):  # the switch pressed (then remembered): English typed changes nothing
        f = r[name]
        assert (f["lang"], f["send"], f["api"], f["sent"]["language"]) == ("zh-CN", "发送", "zh", "zh"), (name, f)
        assert f["sent"]["message"].startswith("What are"), f["sent"]
    assert (ARTIFACTS / "widget-typed-english.png").is_file()


def test_kiosk_follows_the_language_typed_until_one_is_chosen(browser_target):
    r = run(browser_target, "kioskTypedLang")
    one = r["oneWord"]
    assert (one["lang"], one["send"], one["sent"]["language"]) == ("zh-CN", "发送", "zh"), one
    en = r["en"]
    assert en["lang"] == "en" and en["title"] == "Credit Cultivation Assistant", en
    assert en["buttons"] == ["Policy Q&A", "Self-assessment", "My progress"]
    assert en["placeholder"] == en["label"] == "Type your question"
    assert (en["send"], en["sw"], en["newChat"], en["log"]) == ("Send", "中文", "New chat", "Conversation")
    assert en["status"] == "Switched to English" and en["welcome"].startswith("Assistant: Hello")
    assert en["sent"]["language"] == "en"
    assert not _chinese_in(en), _chinese_in(en)
    # the English reply is read aloud in English, a Chinese term in it or not
    assert en["ttsLangs"] and set(en["ttsLangs"]) == {"en"}, en["ttsLangs"]
    zh = r["zh"]
    assert (zh["lang"], zh["buttons"][0], zh["status"]) == ("zh-CN", "政策问答", "已切换为中文"), zh
    chosen = r["chosen"]  # 中文 chosen with the switch: English typed changes nothing
    assert (chosen["lang"], chosen["send"], chosen["sent"]["language"]) == ("zh-CN", "发送", "zh"), chosen
    assert (ARTIFACTS / "kiosk-typed-english.png").is_file()


def test_kiosk_idle_warning_then_silent_reset(browser_target):
    r = run(browser_target, "idle", timeout=180)
    assert r["warnMs"] == 4000
    n1 = int(re.search(r"(\d+)", r["warn1"]).group(1))
    n2 = int(re.search(r"(\d+)", r["warn2"]).group(1))
    assert n2 < n1 <= 4, (r["warn1"], r["warn2"])  # a countdown
    assert r["focused"] == "k-idle-stay" and r["hiddenAfterStay"] and r["keptMsgs"] >= 3
    after = r["afterReset"]
    assert len(after["msgs"]) == 1 and after["notice"] == ""  # only the welcome; no reset message
    assert (after["lang"], after["send"]) == ("zh-CN", "发送")  # the next visitor starts in the kiosk's language
    assert not r["warnedAgain"] and r["msgsLater"] == 1  # an untouched kiosk is left alone
