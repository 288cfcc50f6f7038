"""Stand-in Rasa REST server and stand-in WeChat / WeCom API server on loopback,
plus a gateway app wired to them (no model, no network)."""

from __future__ import annotations

import asyncio
import hashlib
import time
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.channels import session_token
from bot.channels.wechat import MP, WECOM, WeChatConfig
from bot.gateway.app import CHANNELS_KEY, create_app
from bot.gateway.config import GatewayConfig

# Official test vectors (WXBizMsgCrypt samples; rasa-notes §2.3)
TOKEN = "QDG6eK"
AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
CORP_ID = "wx5823bf96d3bd56c7"
SESSION_SECRET = "standin-session-secret-0123456789"


def sha1_sig(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


class StandinRasa:
    """POST /webhooks/rest/webhook; replies depend on the message."""

    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self.calls: list[dict[str, Any]] = []

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/webhooks/rest/webhook", self.webhook)
        return app

    async def webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        # As Rasa's signed REST channel (bot/channels/signed.py): only signed senders.
        sender = session_token.verify(body.get("sender"), SESSION_SECRET.encode())
        if sender is None:
            return web.json_response({"error": "unsigned sender"}, status=401)
        body["sender"] = sender
        self.calls.append(body)
        if self.delay:
            await asyncio.sleep(self.delay)
        msg = body.get("message", "")
        if msg == "菜单" or msg == "/greet":
            return web.json_response(
                [
                    {"recipient_id": body["sender"], "text": "您好！请选择："},
                    {
                        "recipient_id": body["sender"],
                        "text": "可选操作",
                        "buttons": [
                            {"title": "政策问答", "payload": "/ask_policy"},
                            {"title": "自我评估", "payload": "/start_assessment"},
                        ],
                    },
                ]
            )
        if msg == "长文":
            lines = [
                f"第{i}行：高级认证企业应当符合信用管理办法规定的内部控制、财务状况、守法规范和贸易安全标准。"
                for i in range(40)
            ]
            return web.json_response([{"recipient_id": body["sender"], "text": "\n".join(lines)}])
        if msg == "报告":
            return web.json_response(
                [
                    {"recipient_id": body["sender"], "text": "评估报告已生成"},
                    {
                        "recipient_id": body["sender"],
                        "custom": {"data": {"type": "link", "url": "http://example.test/r.pdf", "title": "评估报告"}},
                    },
                ]
            )
        return web.json_response([{"recipient_id": body["sender"], "text": f"收到：{msg}"}])


class StandinWeChatAPI:
    """Token endpoints and send endpoints of both platforms. Records messages;
    can answer 'token expired' once and fail a send once."""

    def __init__(self):
        self.sent: list[dict[str, Any]] = []
        self.token_requests: list[dict[str, str]] = []
        self.expire_once = False
        self.fail_once = False
        self._n = 0
        self.valid_token = ""

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/cgi-bin/token", self.token)
        app.router.add_get("/cgi-bin/gettoken", self.token)
        app.router.add_post("/cgi-bin/message/custom/send", self.send)
        app.router.add_post("/cgi-bin/message/send", self.send)
        return app

    async def token(self, request: web.Request) -> web.Response:
        self.token_requests.append(dict(request.query))
        self._n += 1
        self.valid_token = f"tok{self._n}"
        return web.json_response({"access_token": self.valid_token, "expires_in": 7200})

    async def send(self, request: web.Request) -> web.Response:
        body = await request.json()
        if request.query.get("access_token") != self.valid_token:
            return web.json_response({"errcode": 40001, "errmsg": "invalid credential"})
        if self.expire_once:
            self.expire_once = False
            self.valid_token = "expired"
            return web.json_response({"errcode": 42001, "errmsg": "access_token expired"})
        if self.fail_once:
            self.fail_once = False
            return web.Response(status=502, text="bad gateway")
        self.sent.append({"path": request.path, "token": request.query["access_token"], **body})
        return web.json_response({"errcode": 0, "errmsg": "ok"})


@dataclass
class Env:
    client: TestClient
    rasa: StandinRasa
    api: StandinWeChatAPI
    app: web.Application

    def channel(self, kind: str):
        return self.app[CHANNELS_KEY][kind]

    async def drain(self, kind: str):
        await self.channel(kind).drain(timeout=15)

    async def wait_sent(self, n: int, timeout: float = 10.0):
        end = time.monotonic() + timeout
        while len(self.api.sent) < n and time.monotonic() < end:
            await asyncio.sleep(0.02)
        return self.api.sent


async def make_env(aes: bool, rasa_delay: float = 0.0, **cfg_kw) -> Env:
    rasa = StandinRasa(delay=rasa_delay)
    api = StandinWeChatAPI()
    rasa_server = TestServer(rasa.app(), host="127.0.0.1")
    api_server = TestServer(api.app(), host="127.0.0.1")
    await rasa_server.start_server()
    await api_server.start_server()
    api_base = str(api_server.make_url("")).rstrip("/")
    cfg = GatewayConfig(
        rasa_url=str(rasa_server.make_url("")).rstrip("/"),
        session_secret=SESSION_SECRET,
        wechat_retry_backoff=0.05,
        wechat=WeChatConfig(
            kind=MP, token=TOKEN, app_id=CORP_ID, secret="mp-secret", aes_key=AES_KEY if aes else "", api_base=api_base
        ),
        wecom=WeChatConfig(
            kind=WECOM,
            token=TOKEN,
            app_id=CORP_ID,
            secret="wecom-secret",
            aes_key=AES_KEY if aes else "",
            agent_id="1000002",
            api_base=api_base,
        ),
        **cfg_kw,
    )
    app = create_app(cfg)
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    env = Env(client=client, rasa=rasa, api=api, app=app)
    env._servers = (rasa_server, api_server)  # type: ignore[attr-defined]
    return env


async def close_env(env: Env) -> None:
    await env.client.close()
    for s in env._servers:  # type: ignore[attr-defined]
        await s.close()


async def real_gateway(rasa_url: str, session_secret: str) -> tuple[TestClient, StandinWeChatAPI, TestServer]:
    """A gateway in front of a real Rasa server, its Official Account pushing to a stand-in API."""
    api = StandinWeChatAPI()
    api_server = TestServer(api.app(), host="127.0.0.1")
    await api_server.start_server()
    base = str(api_server.make_url("")).rstrip("/")
    cfg = GatewayConfig(
        rasa_url=rasa_url,
        session_secret=session_secret,  # the gateway signs its senders
        wechat=WeChatConfig(kind=MP, token=TOKEN, app_id=CORP_ID, secret="s", aes_key=AES_KEY, api_base=base),
        wecom=WeChatConfig(kind=WECOM),
    )
    client = TestClient(TestServer(create_app(cfg), host="127.0.0.1"))
    await client.start_server()
    return client, api, api_server
