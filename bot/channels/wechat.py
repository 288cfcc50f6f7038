"""WeChat Official Account (公众号) and WeCom (企业微信) callback channels.

Routes (added by :meth:`WeChatChannel.add_routes`):
  GET  <path>  URL verification (echostr; encrypted for WeCom / safe mode)
  POST <path>  message callback: verify signature, decrypt, acknowledge at once
               ("success" for the OA, empty body for WeCom), then in a background
               task ask Rasa (REST) and push the answer through the active-send API.

Signature rules
  * OA: `signature` = sha1(sort(token, timestamp, nonce)) on every request;
    in safe/compatible mode (`encrypt_type=aes`) also `msg_signature` =
    sha1(sort(token, timestamp, nonce, Encrypt)).
  * WeCom: `msg_signature` = sha1(sort(token, timestamp, nonce, Encrypt|echostr)).
    Without an AES key (plain mode, for development) WeCom requests are signed
    like the OA: `signature` = sha1(sort(token, timestamp, nonce)).
Forged signature -> 403 and nothing is processed; malformed XML -> 400.

Replays: the signature covers only (token, timestamp, nonce) in plain mode, so
a signed query string seen once (in a log, on the wire) could be replayed with
any body. A callback whose timestamp is more than MAX_AGE_SECONDS (5 minutes)
away from now is refused, and so is any (timestamp, nonce) seen before
(kept in Redis when REDIS_URL is set, else in bounded memory) is acknowledged
like a duplicate delivery and not processed (WeChat's own retries repeat them).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import xmltodict
from aiohttp import web
from wechatpy.exceptions import InvalidSignatureException

from bot.gateway.security import read_limited

from .formatting import ButtonMemory, render_replies, split_text
from .rasa_client import RasaError, RasaRestClient

logger = logging.getLogger(__name__)

MP = "wechat_mp"
WECOM = "wecom"

UNSUPPORTED_TEXT = (
    "目前仅支持文字消息，请直接输入您的问题。\nOnly text messages are supported; please type your question."
)
MAX_AGE_SECONDS = 300
BUSY_TEXT = "服务暂时繁忙，请稍后再试。\nThe service is busy, please try again later."


class BadRequest(Exception):
    pass


class Forbidden(Exception):
    pass


def sha1_signature(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(str(p) for p in parts)).encode("utf-8")).hexdigest()  # noqa: S324 - WeChat's signature is defined as SHA-1


def _same(a: str | None, b: str) -> bool:
    return bool(a) and hmac.compare_digest(str(a).lower().encode(), b.encode())


@dataclass
class WeChatConfig:
    kind: str  # MP or WECOM
    token: str = ""
    app_id: str = ""  # OA appid / WeCom corp id
    secret: str = ""
    aes_key: str = ""
    agent_id: str = ""  # WeCom only
    api_base: str = ""
    subscribe_payload: str = "/greet"

    @classmethod
    def from_env(cls, kind: str, env: Mapping[str, str] | None = None) -> WeChatConfig:
        env = os.environ if env is None else env
        g = lambda k, d="": (env.get(k) or d).strip()  # noqa: E731
        if kind == MP:
            return cls(
                kind=MP,
                token=g("WECHAT_TOKEN"),
                app_id=g("WECHAT_APPID"),
                secret=g("WECHAT_SECRET"),
                aes_key=g("WECHAT_AES_KEY"),
                api_base=g("WECHAT_API_BASE", "https://api.weixin.qq.com"),
                subscribe_payload=g("WECHAT_SUBSCRIBE_PAYLOAD", "/greet"),
            )
        return cls(
            kind=WECOM,
            token=g("WECOM_TOKEN"),
            app_id=g("WECOM_CORP_ID"),
            secret=g("WECOM_SECRET"),
            aes_key=g("WECOM_AES_KEY"),
            agent_id=g("WECOM_AGENT_ID"),
            api_base=g("WECOM_API_BASE", "https://qyapi.weixin.qq.com"),
            subscribe_payload=g("WECOM_SUBSCRIBE_PAYLOAD", "/greet"),
        )

    def missing(self) -> list[str]:
        if self.kind == MP:
            need = {"WECHAT_TOKEN": self.token, "WECHAT_APPID": self.app_id, "WECHAT_SECRET": self.secret}
        else:
            need = {
                "WECOM_TOKEN": self.token,
                "WECOM_CORP_ID": self.app_id,
                "WECOM_SECRET": self.secret,
                "WECOM_AGENT_ID": self.agent_id,
            }
        return [k for k, v in need.items() if not v]

    @property
    def label(self) -> str:
        return "WeChat Official Account" if self.kind == MP else "WeCom"


def make_crypto(cfg: WeChatConfig):
    """wechatpy crypto object for the configured AES key, or None (plain mode)."""
    if not cfg.aes_key:
        return None
    if len(cfg.aes_key) != 43:
        raise ValueError(f"{cfg.label}: the AES key (EncodingAESKey) must be 43 characters")
    if cfg.kind == MP:
        from wechatpy.crypto import WeChatCrypto
    else:
        from wechatpy.enterprise.crypto import WeChatCrypto
    return WeChatCrypto(cfg.token, cfg.aes_key, cfg.app_id)


def _parse_xml(body: bytes) -> dict[str, Any]:
    try:
        doc = xmltodict.parse(body.decode("utf-8"), disable_entities=True)
    except Exception as exc:  # ExpatError, UnicodeDecodeError, ValueError...
        raise BadRequest(f"malformed XML: {type(exc).__name__}") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("xml"), dict):
        raise BadRequest("malformed XML: no <xml> root")
    return doc["xml"]


class WeChatChannel:
    """One callback endpoint (OA or WeCom) bound to Rasa and an active-send client."""

    def __init__(
        self,
        cfg: WeChatConfig,
        *,
        rasa: RasaRestClient,
        api: Any,
        dedup: Any,
        limiter: Any = None,
        buttons: ButtonMemory | None = None,
        max_body: int = 64 * 1024,
    ):
        self.cfg = cfg
        self.kind = cfg.kind
        self.crypto = make_crypto(cfg)
        self.rasa = rasa
        self.api = api
        self.dedup = dedup
        self.limiter = limiter
        self.buttons = buttons or ButtonMemory()
        self.max_body = max_body
        self._tasks: set[asyncio.Task] = set()
        self._user_locks: dict[str, asyncio.Lock] = {}
        self.processed: list[str] = []  # dedup keys handled (diagnostics/tests)
        self.clock = time.time  # replaceable in tests

    @property
    def mode(self) -> str:
        return "encrypted" if self.crypto else "plain"

    def add_routes(self, app: web.Application, path: str) -> None:
        app.router.add_get(path, self.handle_get)
        app.router.add_post(path, self.handle_post)

    # ------------------------------------------------------------------ verify
    def _check_plain_signature(self, q: Mapping[str, str]) -> None:
        expected = sha1_signature(self.cfg.token, q.get("timestamp", ""), q.get("nonce", ""))
        if not _same(q.get("signature"), expected):
            raise Forbidden("bad signature")

    def _check_msg_signature(self, q: Mapping[str, str], encrypted: str) -> None:
        expected = sha1_signature(self.cfg.token, q.get("timestamp", ""), q.get("nonce", ""), encrypted)
        if not _same(q.get("msg_signature"), expected):
            raise Forbidden("bad msg_signature")

    def _decrypt(self, encrypted: str) -> str:
        try:
            if self.kind == MP:
                from wechatpy.crypto import PrpCrypto
            else:
                from wechatpy.enterprise.crypto import PrpCrypto
            return PrpCrypto(self.crypto.key).decrypt(encrypted, self.cfg.app_id)
        except InvalidSignatureException as exc:
            raise Forbidden("bad signature") from exc
        except Exception as exc:  # bad base64 / padding / wrong app id
            raise BadRequest(f"cannot decrypt: {type(exc).__name__}") from exc

    def _verify_echo(self, q: Mapping[str, str]) -> str:
        echostr = q.get("echostr", "")
        if not echostr:
            raise BadRequest("missing echostr")
        if self.kind == MP:
            self._check_plain_signature(q)
            return echostr
        if self.crypto:
            self._check_msg_signature(q, echostr)
            return self._decrypt(echostr)
        self._check_plain_signature(q)
        return echostr

    def _verify_post(self, q: Mapping[str, str], body: bytes) -> dict[str, Any]:
        """Return the (decrypted) message dict, or raise Forbidden / BadRequest."""
        if self.kind == MP:
            self._check_plain_signature(q)  # before even parsing the body
            outer = _parse_xml(body)
            if q.get("encrypt_type", "raw").lower() == "aes":
                if not self.crypto:
                    raise BadRequest("encrypted message but no WECHAT_AES_KEY configured")
                encrypted = outer.get("Encrypt")
                if not isinstance(encrypted, str):
                    raise BadRequest("missing Encrypt")
                self._check_msg_signature(q, encrypted)
                return _parse_xml(self._decrypt(encrypted).encode("utf-8"))
            return outer
        outer = _parse_xml(body)
        if self.crypto:
            encrypted = outer.get("Encrypt")
            if not isinstance(encrypted, str):
                raise BadRequest("missing Encrypt")
            self._check_msg_signature(q, encrypted)
            return _parse_xml(self._decrypt(encrypted).encode("utf-8"))
        self._check_plain_signature(q)
        return outer

    # ---------------------------------------------------------------- handlers
    async def handle_get(self, request: web.Request) -> web.Response:
        try:
            echo = self._verify_echo(request.query)
        except Forbidden:
            logger.warning("%s: URL verification with a bad signature from %s", self.kind, request.remote)
            return web.Response(status=403, text="forbidden")
        except BadRequest as exc:
            return web.Response(status=400, text=str(exc))
        return web.Response(text=echo)

    async def handle_post(self, request: web.Request) -> web.Response:
        if request.content_length is not None and request.content_length > self.max_body:
            return web.Response(status=413, text="request body too large")
        try:
            body = await read_limited(request, self.max_body)
        except web.HTTPRequestEntityTooLarge:
            return web.Response(status=413, text="request body too large")
        try:
            msg = self._verify_post(request.query, body)
            fresh = await self._check_fresh(request.query)
        except Forbidden as exc:
            logger.warning("%s: callback from %s rejected: %s", self.kind, request.remote, exc)
            return web.Response(status=403, text="forbidden")
        except BadRequest as exc:
            logger.info("%s: bad callback from %s: %s", self.kind, request.remote, exc)
            return web.Response(status=400, text="bad request")
        ack = web.Response(text="success" if self.kind == MP else "")
        if not fresh:
            logger.warning("%s: a replayed timestamp and nonce from %s: not processed", self.kind, request.remote)
            return ack

        msg_type = str(msg.get("MsgType") or "").lower()
        user = msg.get("FromUserName")
        if not msg_type or not isinstance(user, str) or not user:
            return web.Response(status=400, text="bad request")
        key = self._dedup_key(msg, msg_type, user)
        if not await self.dedup.first_time(key):
            logger.info("%s: duplicate delivery %s ignored", self.kind, key)
            return ack
        if self.limiter is not None and not self.limiter.allow(f"{self.kind}:{user}"):
            logger.warning("%s: rate limit exceeded for a user; message dropped", self.kind)
            return ack

        text: str | None = None
        if msg_type == "text":
            text = str(msg.get("Content") or "").strip()
        elif msg_type == "voice" and msg.get("Recognition"):
            text = str(msg["Recognition"]).strip()
        elif msg_type == "event":
            event = str(msg.get("Event") or "").lower()
            if event == "subscribe":
                text = self.cfg.subscribe_payload
            else:
                return ack  # unsubscribe, enter_agent, menu clicks...: nothing to say
        else:
            self._spawn(self._send_texts(user, [UNSUPPORTED_TEXT]))
            return ack
        if text:
            self.processed.append(key)
            self._spawn(self._answer(user, text))
        return ack

    async def _check_fresh(self, q: Mapping[str, str]) -> bool:
        """Forbidden for a stale timestamp; False for a (timestamp, nonce) seen
        before. Called after the signature check, so forged requests cannot
        fill the nonce cache."""
        raw = q.get("timestamp", "")
        if not raw.isdigit() or abs(self.clock() - int(raw)) > MAX_AGE_SECONDS:
            raise Forbidden("timestamp outside the 5-minute window")
        return await self.dedup.first_time(f"{self.kind}:nonce:{raw}:{q.get('nonce', '')}")

    def _dedup_key(self, msg: Mapping[str, Any], msg_type: str, user: str) -> str:
        msg_id = msg.get("MsgId")
        if msg_id:
            return f"{self.kind}:{msg_id}"
        return f"{self.kind}:{user}:{msg.get('CreateTime')}:{msg_type}:{msg.get('Event', '')}"

    # ------------------------------------------------------------- background
    def _spawn(self, coro) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def sender_id(self, user: str) -> str:
        return f"{MP}:{user}" if self.kind == MP else f"{WECOM}:{user}"

    async def _answer(self, user: str, text: str) -> None:
        lock = self._user_locks.setdefault(user, asyncio.Lock())
        try:
            async with lock:  # keep one user's replies in order
                button = self.buttons.resolve(user, text)
                message = button["payload"] if button else text
                try:
                    replies = await self.rasa.send(self.sender_id(user), message, metadata={"channel": self.kind})
                except RasaError as exc:
                    logger.error("%s: Rasa request failed: %s", self.kind, exc)
                    await self._send_texts(user, [BUSY_TEXT])
                    return
                rendered, buttons = render_replies(replies)
                self.buttons.remember(user, buttons)
                await self._send_texts(user, split_text(rendered))
        except Exception:  # never let a background task die silently
            logger.exception("%s: failed to answer a message", self.kind)
        finally:
            if not lock.locked() and not lock._waiters:  # type: ignore[attr-defined]
                self._user_locks.pop(user, None)

    async def _send_texts(self, user: str, chunks: list[str]) -> None:
        for chunk in chunks:
            try:
                await self.api.send_text(user, chunk)
            except Exception as exc:
                logger.error("%s: could not deliver a reply: %s", self.kind, exc)
                return

    async def drain(self, timeout: float = 10.0) -> None:
        """Wait for background tasks (tests, graceful shutdown)."""
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=timeout)

    async def close(self) -> None:
        await self.drain(timeout=5.0)
        for t in list(self._tasks):
            t.cancel()


def disabled_handler(cfg: WeChatConfig, reason: str):
    async def handler(request: web.Request) -> web.Response:
        return web.json_response(
            {"error": "channel_disabled", "channel": cfg.kind, "message": f"{cfg.label} channel is disabled: {reason}"},
            status=503,
        )

    return handler
