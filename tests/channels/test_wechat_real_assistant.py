"""A signed, encrypted WeChat message answered by the real trained assistant and
pushed through the (stand-in) customer-service API; numbered buttons work."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.channels.wechat import MP, WECOM, WeChatConfig
from bot.gateway.app import create_app
from bot.gateway.config import GatewayConfig
from tests.channels.test_wechat_mp import encrypted_request, plain_xml
from tests.channels.wechat_standins import AES_KEY, CORP_ID, TOKEN, StandinWeChatAPI

pytestmark = pytest.mark.assistant


async def test_wechat_message_answered_by_the_assistant(running_assistant):
    api = StandinWeChatAPI()
    api_server = TestServer(api.app(), host="127.0.0.1")
    await api_server.start_server()
    base = str(api_server.make_url("")).rstrip("/")
    cfg = GatewayConfig(
        rasa_url=running_assistant.rasa_url,
        session_secret=running_assistant.settings.session_secret,  # the gateway signs its senders
        wechat=WeChatConfig(kind=MP, token=TOKEN, app_id=CORP_ID, secret="s", aes_key=AES_KEY, api_base=base),
        wecom=WeChatConfig(kind=WECOM),
    )
    client = TestClient(TestServer(create_app(cfg), host="127.0.0.1"))
    await client.start_server()
    try:
        q, body = encrypted_request(plain_xml("海关企业信用现在分几个等级？", msg_id="9001"))
        r = await client.post("/wechat/mp", params=q, data=body)
        assert r.status == 200
        sent = await _wait(api, 1)
        text = sent[0]["text"]["content"]
        assert "五" in text and "来源：" in text, text
        # Buttons become numbered options; answering with a number follows the button.
        q, body = encrypted_request(plain_xml("你好", msg_id="9002"))
        await client.post("/wechat/mp", params=q, data=body)
        sent = await _wait(api, 2)
        greeting = "\n".join(m["text"]["content"] for m in sent[1:])
        assert "2. 开始认证自我评估" in greeting and "回复数字" in greeting, greeting
        n = len(api.sent)
        q, body = encrypted_request(plain_xml("2", msg_id="9003"))  # 开始认证自我评估
        await client.post("/wechat/mp", params=q, data=body)
        sent = await _wait(api, n + 1)
        assert "74" in "\n".join(m["text"]["content"] for m in sent[n:])
    finally:
        await client.close()
        await api_server.close()


async def _wait(api, n, timeout=60.0):
    import asyncio
    import time

    end = time.monotonic() + timeout
    while len(api.sent) < n and time.monotonic() < end:
        await asyncio.sleep(0.1)
    assert len(api.sent) >= n, api.sent
    await asyncio.sleep(0.5)  # a long reply may come in several messages
    return api.sent
