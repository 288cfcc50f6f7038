"""WeCom (企业微信) channel with the official WXBizMsgCrypt test vectors."""

from __future__ import annotations

import itertools
import time

import xmltodict
from wechat_standins import AES_KEY, CORP_ID, TOKEN, sha1_sig
from wechatpy.enterprise.crypto import WeChatCrypto

# Official vectors (WXBizMsgCrypt sample code, rasa-notes §2.3)
ECHO_TS, ECHO_NONCE = "1409659589", "263014780"
ECHO_SIG = "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3"
ECHOSTR = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="
ECHO_PLAIN = "1616140317555161061"

MSG_TS, MSG_NONCE = "1409659813", "1372623149"
MSG_SIG = "477715d11cdb4164915debcba66cb864d751f3e6"
MSG_ENCRYPT = (
    "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/"
    "sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+"
    "LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8"
    "V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptD"
    "AVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q=="
)
MSG_BODY = (
    f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><Encrypt><![CDATA[{MSG_ENCRYPT}]]></Encrypt>"
    "<AgentID><![CDATA[218]]></AgentID></xml>"
)


def test_official_vectors_with_wechatpy():
    crypto = WeChatCrypto(TOKEN, AES_KEY, CORP_ID)
    assert crypto.check_signature(ECHO_SIG, ECHO_TS, ECHO_NONCE, ECHOSTR) == ECHO_PLAIN
    msg = xmltodict.parse(crypto.decrypt_message(MSG_BODY, MSG_SIG, MSG_TS, MSG_NONCE))["xml"]
    assert msg["FromUserName"] == "mycreate" and msg["Content"] == "hello"


def test_round_trip_chinese():
    crypto = WeChatCrypto(TOKEN, AES_KEY, CORP_ID)
    xml = wecom_xml("企业信用培育：高级认证标准有哪些？", "mycreate", "1")
    enc = crypto.encrypt_message(xml, "12345", "1700000000")
    sig = xmltodict.parse(enc)["xml"]["MsgSignature"]
    assert crypto.decrypt_message(enc, sig, "1700000000", "12345") == xml


def wecom_xml(content: str, user: str = "zhangsan", msg_id: str = "1", msg_type: str = "text") -> str:
    return (
        f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[{msg_type}]]></MsgType>"
        f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId><AgentID>1000002</AgentID></xml>"
    )


_nonces = itertools.count(98765)


def encrypted(xml: str, ts: str | None = None, nonce: str | None = None):
    ts = ts or str(int(time.time()))
    nonce = nonce or str(next(_nonces))
    crypto = WeChatCrypto(TOKEN, AES_KEY, CORP_ID)
    enc = crypto.encrypt_message(xml, nonce, ts)
    d = xmltodict.parse(enc)["xml"]
    body = f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><Encrypt><![CDATA[{d['Encrypt']}]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>"
    return {"msg_signature": d["MsgSignature"], "timestamp": ts, "nonce": nonce}, body


async def test_get_verification_decrypts_echostr(env_aes):
    q = {"msg_signature": ECHO_SIG, "timestamp": ECHO_TS, "nonce": ECHO_NONCE, "echostr": ECHOSTR}
    r = await env_aes.client.get("/wechat/work", params=q)
    assert r.status == 200
    assert await r.text() == ECHO_PLAIN


async def test_get_forged_403(env_aes):
    q = {"msg_signature": "0" * 40, "timestamp": ECHO_TS, "nonce": ECHO_NONCE, "echostr": ECHOSTR}
    r = await env_aes.client.get("/wechat/work", params=q)
    assert r.status == 403


async def test_official_post_vector_is_processed(env_aes):
    env_aes.channel("wecom").clock = lambda: int(MSG_TS) + 60  # the vector's own time
    q = {"msg_signature": MSG_SIG, "timestamp": MSG_TS, "nonce": MSG_NONCE}
    r = await env_aes.client.post("/wechat/work", params=q, data=MSG_BODY)
    assert r.status == 200 and await r.text() == ""
    sent = await env_aes.wait_sent(1)
    assert env_aes.rasa.calls[0] == {"sender": "wecom:mycreate", "message": "hello", "metadata": {"channel": "wecom"}}
    assert sent[0]["path"] == "/cgi-bin/message/send"
    assert sent[0]["touser"] == "mycreate" and sent[0]["agentid"] == 1000002
    assert sent[0]["text"]["content"] == "收到：hello"
    assert env_aes.api.token_requests[0] == {"corpid": CORP_ID, "corpsecret": "wecom-secret"}


async def test_chinese_message_and_fast_ack(env_slow):
    q, body = encrypted(wecom_xml("海关认证企业的财务状况标准是什么？", msg_id="11"))
    t0 = time.monotonic()
    r = await env_slow.client.post("/wechat/work", params=q, data=body)
    assert r.status == 200 and time.monotonic() - t0 < 1.0
    sent = await env_slow.wait_sent(1, timeout=15)
    assert sent[0]["text"]["content"] == "收到：海关认证企业的财务状况标准是什么？"


async def test_forged_and_malformed(env_aes):
    q, body = encrypted(wecom_xml("x", msg_id="12"))
    bad = dict(q, msg_signature="1" * 40)
    assert (await env_aes.client.post("/wechat/work", params=bad, data=body)).status == 403
    assert (await env_aes.client.post("/wechat/work", params=q, data="<xml><Encrypt>")).status == 400
    assert (await env_aes.client.post("/wechat/work", params=q, data="<xml><A>1</A></xml>")).status == 400
    # correctly signed but not decryptable
    junk = "<xml><Encrypt><![CDATA[bm90IGEgcmVhbCBjaXBoZXJ0ZXh0]]></Encrypt></xml>"
    q2 = {"msg_signature": sha1_sig(TOKEN, "1", "2", "bm90IGEgcmVhbCBjaXBoZXJ0ZXh0"), "timestamp": "1", "nonce": "2"}
    assert (await env_aes.client.post("/wechat/work", params=q2, data=junk)).status == 400
    await env_aes.drain("wecom")
    assert env_aes.rasa.calls == [] and env_aes.api.sent == []


async def test_dedup(env_aes):
    xml = wecom_xml("重复", msg_id="13")
    for nonce in ("1", "2", "3"):
        q, body = encrypted(xml, nonce=nonce)
        assert (await env_aes.client.post("/wechat/work", params=q, data=body)).status == 200
    await env_aes.drain("wecom")
    assert len(env_aes.rasa.calls) == 1 and len(env_aes.api.sent) == 1


async def test_token_refresh_and_retry(env_aes):
    env_aes.api.expire_once = True
    env_aes.api.fail_once = True
    q, body = encrypted(wecom_xml("令牌过期", msg_id="14"))
    await env_aes.client.post("/wechat/work", params=q, data=body)
    await env_aes.wait_sent(1)
    await env_aes.drain("wecom")
    assert len(env_aes.api.sent) == 1 and len(env_aes.api.token_requests) == 2


async def test_buttons_and_numbers(env_aes):
    q, body = encrypted(wecom_xml("菜单", msg_id="15"))
    await env_aes.client.post("/wechat/work", params=q, data=body)
    await env_aes.drain("wecom")
    assert "1. 政策问答" in env_aes.api.sent[-1]["text"]["content"]
    q, body = encrypted(wecom_xml("１", msg_id="16"))  # full-width digit
    await env_aes.client.post("/wechat/work", params=q, data=body)
    await env_aes.drain("wecom")
    assert env_aes.rasa.calls[-1]["message"] == "/ask_policy"


async def test_plain_mode(env_plain):
    ts = str(int(time.time()))
    q = {"signature": sha1_sig(TOKEN, ts, "2"), "timestamp": ts, "nonce": "2"}
    r = await env_plain.client.post("/wechat/work", params=q, data=wecom_xml("明文", msg_id="17"))
    assert r.status == 200
    await env_plain.drain("wecom")
    assert env_plain.api.sent[0]["text"]["content"] == "收到：明文"
    bad = dict(q, signature="2" * 40)
    assert (await env_plain.client.post("/wechat/work", params=bad, data=wecom_xml("x", msg_id="18"))).status == 403
