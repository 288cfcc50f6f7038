"""WeChat Official Account channel: signatures, (de)cryption, fast ack, dedup,
token refresh, retries, splitting and numbered buttons."""

from __future__ import annotations

import itertools
import time

from wechat_standins import AES_KEY, CORP_ID, TOKEN, close_env, make_env, sha1_sig
from wechatpy.crypto import WeChatCrypto

TS, NONCE = "1409659589", "263014780"


def plain_xml(content: str, msg_id: str = "1000001", user: str = "oUSER1", msg_type: str = "text") -> str:
    return (
        f"<xml><ToUserName><![CDATA[gh_test]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[{msg_type}]]></MsgType>"
        f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId></xml>"
    )


_nonces = itertools.count(int(time.time()))


def fresh():
    """A current timestamp and a new nonce, as WeChat sends with each callback."""
    return str(int(time.time())), str(next(_nonces))


def signed_query(extra=None, ts_nonce=None):
    ts, nonce = ts_nonce or fresh()
    q = {"signature": sha1_sig(TOKEN, ts, nonce), "timestamp": ts, "nonce": nonce, "openid": "oUSER1"}
    q.update(extra or {})
    return q


def encrypted_request(xml: str):
    crypto = WeChatCrypto(TOKEN, AES_KEY, CORP_ID)
    ts, nonce = fresh()
    body = crypto.encrypt_message(xml, nonce, ts)
    import xmltodict

    enc = xmltodict.parse(body)["xml"]
    q = signed_query({"encrypt_type": "aes", "msg_signature": enc["MsgSignature"]}, (ts, nonce))
    return q, body


async def test_get_verification_plain_signature(env_aes):
    q = signed_query({"echostr": "1616140317555161061"})
    r = await env_aes.client.get("/wechat/mp", params=q)
    assert r.status == 200
    assert await r.text() == "1616140317555161061"


async def test_get_forged_signature_403(env_aes):
    q = signed_query({"echostr": "abc", "signature": "0" * 40})
    r = await env_aes.client.get("/wechat/mp", params=q)
    assert r.status == 403


def test_official_vector_with_wechatpy():
    # The official vector: msg_signature = sha1(sort(token, timestamp, nonce, echostr))
    echostr = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="
    assert sha1_sig(TOKEN, TS, NONCE, echostr) == "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3"


def test_encrypt_decrypt_round_trip_chinese():
    crypto = WeChatCrypto(TOKEN, AES_KEY, CORP_ID)
    xml = plain_xml("高级认证企业需要满足哪些标准？")
    enc = crypto.encrypt_message(xml, NONCE, TS)
    import xmltodict

    sig = xmltodict.parse(enc)["xml"]["MsgSignature"]
    assert crypto.decrypt_message(enc, sig, TS, NONCE) == xml


async def test_encrypted_text_is_answered_via_customer_service_api(env_aes):
    q, body = encrypted_request(plain_xml("海关信用等级有哪些？", msg_id="2001"))
    r = await env_aes.client.post("/wechat/mp", params=q, data=body)
    assert r.status == 200 and await r.text() == "success"
    sent = await env_aes.wait_sent(1)
    assert sent[0]["path"] == "/cgi-bin/message/custom/send"
    assert sent[0]["touser"] == "oUSER1"
    assert sent[0]["msgtype"] == "text"
    assert sent[0]["text"]["content"] == "收到：海关信用等级有哪些？"
    assert env_aes.rasa.calls[0]["sender"] == "wechat_mp:oUSER1"
    # token request carried the app id and secret
    assert env_aes.api.token_requests[0]["appid"] == CORP_ID
    assert env_aes.api.token_requests[0]["grant_type"] == "client_credential"


async def test_plain_mode(env_plain):
    r = await env_plain.client.post("/wechat/mp", params=signed_query(), data=plain_xml("你好", msg_id="3001"))
    assert r.status == 200
    sent = await env_plain.wait_sent(1)
    assert sent[0]["text"]["content"] == "收到：你好"


async def test_forged_post_403_and_nothing_processed(env_aes):
    q, body = encrypted_request(plain_xml("伪造", msg_id="4001"))
    q["signature"] = "f" * 40
    r = await env_aes.client.post("/wechat/mp", params=q, data=body)
    assert r.status == 403
    q, body = encrypted_request(plain_xml("伪造2", msg_id="4002"))
    q["msg_signature"] = "a" * 40
    r = await env_aes.client.post("/wechat/mp", params=q, data=body)
    assert r.status == 403
    await env_aes.drain("wechat_mp")
    assert env_aes.rasa.calls == [] and env_aes.api.sent == []


async def test_malformed_xml_400(env_plain):
    r = await env_plain.client.post("/wechat/mp", params=signed_query(), data="<xml><MsgType>text</Msg")
    assert r.status == 400
    r = await env_plain.client.post("/wechat/mp", params=signed_query(), data="not xml at all")
    assert r.status == 400
    assert env_plain.rasa.calls == []


async def test_ack_within_5_seconds_while_rasa_is_slow(env_slow):
    q, body = encrypted_request(plain_xml("慢问题", msg_id="5001"))
    t0 = time.monotonic()
    r = await env_slow.client.post("/wechat/mp", params=q, data=body)
    elapsed = time.monotonic() - t0
    assert r.status == 200 and await r.text() == "success"
    assert elapsed < 1.0, elapsed  # the stand-in Rasa takes 6 s
    assert env_slow.api.sent == []
    sent = await env_slow.wait_sent(1, timeout=15)
    assert sent[0]["text"]["content"] == "收到：慢问题"


async def test_duplicate_msgid_answered_once(env_aes):
    xml = plain_xml("重复消息", msg_id="6001")
    for _ in range(3):  # WeChat retries up to 3 times
        q, body = encrypted_request(xml)
        r = await env_aes.client.post("/wechat/mp", params=q, data=body)
        assert r.status == 200
    await env_aes.drain("wechat_mp")
    assert len(env_aes.rasa.calls) == 1
    assert len(env_aes.api.sent) == 1


async def test_expired_token_refreshed_and_failed_send_retried(env_aes):
    env_aes.api.expire_once = True
    env_aes.api.fail_once = True
    q, body = encrypted_request(plain_xml("令牌", msg_id="7001"))
    await env_aes.client.post("/wechat/mp", params=q, data=body)
    sent = await env_aes.wait_sent(1)
    await env_aes.drain("wechat_mp")
    assert len(sent) == 1
    assert len(env_aes.api.token_requests) == 2  # fetched, then refreshed after 42001
    assert sent[0]["token"] == "tok2"
    # the token is cached: a second message needs no new token
    q, body = encrypted_request(plain_xml("再来", msg_id="7002"))
    await env_aes.client.post("/wechat/mp", params=q, data=body)
    await env_aes.wait_sent(2)
    assert len(env_aes.api.token_requests) == 2


async def test_long_reply_split_on_lines(env_plain):
    await env_plain.client.post("/wechat/mp", params=signed_query(), data=plain_xml("长文", msg_id="8001"))
    await env_plain.drain("wechat_mp")
    parts = [m["text"]["content"] for m in env_plain.api.sent]
    assert len(parts) > 1
    assert all(len(p) <= 600 for p in parts)
    assert all(p.startswith("第") for p in parts)  # split at line boundaries
    assert "\n".join(parts).count("高级认证企业") == 40


async def test_buttons_numbered_and_number_maps_to_payload(env_plain):
    await env_plain.client.post("/wechat/mp", params=signed_query(), data=plain_xml("菜单", msg_id="9001"))
    await env_plain.drain("wechat_mp")
    text = env_plain.api.sent[-1]["text"]["content"]
    assert "1. 政策问答" in text and "2. 自我评估" in text
    await env_plain.client.post("/wechat/mp", params=signed_query(), data=plain_xml("2", msg_id="9002"))
    await env_plain.drain("wechat_mp")
    assert env_plain.rasa.calls[-1]["message"] == "/start_assessment"
    # a number with no remembered buttons goes through as text
    await env_plain.client.post("/wechat/mp", params=signed_query(), data=plain_xml("2", msg_id="9003"))
    await env_plain.drain("wechat_mp")
    assert env_plain.rasa.calls[-1]["message"] == "2"


async def test_link_custom_payload_rendered(env_plain):
    await env_plain.client.post("/wechat/mp", params=signed_query(), data=plain_xml("报告", msg_id="9101"))
    await env_plain.drain("wechat_mp")
    assert "评估报告: http://example.test/r.pdf" in env_plain.api.sent[-1]["text"]["content"]


async def test_subscribe_event_greets(env_plain):
    xml = (
        "<xml><ToUserName><![CDATA[gh_test]]></ToUserName><FromUserName><![CDATA[oNEW]]></FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
        "<Event><![CDATA[subscribe]]></Event></xml>"
    )
    r = await env_plain.client.post("/wechat/mp", params=signed_query(), data=xml)
    assert r.status == 200
    r = await env_plain.client.post("/wechat/mp", params=signed_query(), data=xml)  # redelivery
    await env_plain.drain("wechat_mp")
    assert [c["message"] for c in env_plain.rasa.calls] == ["/greet"]
    assert env_plain.api.sent[0]["touser"] == "oNEW"


async def test_non_text_message_gets_notice(env_plain):
    xml = plain_xml("", msg_id="9201", msg_type="image")
    r = await env_plain.client.post("/wechat/mp", params=signed_query(), data=xml)
    assert r.status == 200
    await env_plain.drain("wechat_mp")
    assert env_plain.rasa.calls == []
    assert "仅支持文字" in env_plain.api.sent[0]["text"]["content"]


async def test_unconfigured_channel_answers_503():
    from aiohttp.test_utils import TestClient, TestServer

    from bot.gateway.app import create_app
    from bot.gateway.config import GatewayConfig

    client = TestClient(TestServer(create_app(GatewayConfig()), host="127.0.0.1"))
    await client.start_server()
    try:
        r = await client.post("/wechat/mp", data="<xml/>")
        assert r.status == 503
        body = await r.json()
        assert "WECHAT_TOKEN" in body["message"]
    finally:
        await client.close()


async def test_rate_limit_per_user():
    env = await make_env(aes=False, rate_per_sec=0.001, rate_burst=2)
    try:
        for i in range(4):
            r = await env.client.post("/wechat/mp", params=signed_query(), data=plain_xml(f"m{i}", msg_id=f"99{i}"))
            assert r.status == 200
        await env.drain("wechat_mp")
        assert len(env.rasa.calls) == 2
    finally:
        await close_env(env)


async def test_replayed_callback_is_refused(env_plain):
    """Finding 7: a signed query string seen once (in a log) replayed with
    another sender and text is not processed; one older than 5 minutes is
    refused outright; the sender Rasa receives is the one the gateway signed."""
    q = signed_query()
    r = await env_plain.client.post("/wechat/mp", params=q, data=plain_xml("真的消息", msg_id="7101"))
    assert r.status == 200
    await env_plain.drain("wechat_mp")
    assert [c["message"] for c in env_plain.rasa.calls] == ["真的消息"]
    # the same timestamp, nonce and signature with the attacker's sender and text
    forged = plain_xml("同意共享给海关", msg_id="7102", user="oATTACKER")
    r = await env_plain.client.post("/wechat/mp", params=q, data=forged)
    await env_plain.drain("wechat_mp")
    assert [c["message"] for c in env_plain.rasa.calls] == ["真的消息"]
    # a correctly signed callback from more than 5 minutes ago
    old = str(int(time.time()) - 301)
    r = await env_plain.client.post(
        "/wechat/mp", params=signed_query(ts_nonce=(old, "424242")), data=plain_xml("旧消息", msg_id="7103")
    )
    assert r.status == 403
    await env_plain.drain("wechat_mp")
    assert len(env_plain.rasa.calls) == 1 and [m["touser"] for m in env_plain.api.sent] == ["oUSER1"]
