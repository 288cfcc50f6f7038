"""Active-send clients for the WeChat Official Account customer-service API and
the WeCom application-message API, on aiohttp.

* access_token fetched on demand and cached until shortly before it expires;
  invalidated and refetched when the API answers 40001 / 40014 / 42001;
* failed sends (network errors, HTTP 5xx, errcode -1 "system busy" / 45009...)
  retried with exponential backoff.
Tokens and secrets never appear in logs.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import aiohttp

logger = logging.getLogger(__name__)

TOKEN_ERRORS = {40001, 40014, 42001}
RETRYABLE_ERRORS = {-1, 45009, 45011, 45047}


class WeChatAPIError(RuntimeError):
    def __init__(self, errcode: int, errmsg: str = ""):
        super().__init__(f"errcode={errcode} errmsg={errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


class _BaseClient:
    token_path = ""
    name = "wechat"

    def __init__(
        self,
        session: aiohttp.ClientSession,
        api_base: str,
        *,
        max_attempts: int = 4,
        backoff: float = 0.5,
        timeout: float = 10.0,
    ):
        self.session = session
        self.api_base = api_base.rstrip("/")
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = asyncio.Lock()
        self.token_fetches = 0

    def _token_params(self) -> dict[str, str]:
        raise NotImplementedError

    async def get_token(self, force: bool = False) -> str:
        async with self._lock:
            if not force and self._token and time.monotonic() < self._expires_at:
                return self._token
            url = self.api_base + self.token_path
            async with self.session.get(url, params=self._token_params(), timeout=self.timeout) as resp:
                data = await resp.json(content_type=None)
            self.token_fetches += 1
            if not isinstance(data, dict) or not data.get("access_token"):
                errcode = int(data.get("errcode", -1)) if isinstance(data, dict) else -1
                raise WeChatAPIError(errcode, str(data.get("errmsg", "")) if isinstance(data, dict) else "")
            self._token = str(data["access_token"])
            expires_in = int(data.get("expires_in", 7200))
            # refresh a little early so a token never expires in flight
            self._expires_at = time.monotonic() + max(30, expires_in - 300)
            logger.info("%s: access token refreshed (valid %ss)", self.name, expires_in)
            return self._token

    def invalidate_token(self) -> None:
        self._token = None
        self._expires_at = 0.0

    async def post(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        """POST `payload` to `path` with the access token; retry as documented above."""
        delay = self.backoff
        last_exc: Exception | None = None
        for attempt in range(1, self.max_attempts + 1):
            try:
                token = await self.get_token()
                async with self.session.post(
                    self.api_base + path,
                    params={"access_token": token},
                    json=payload,
                    timeout=self.timeout,
                ) as resp:
                    if resp.status >= 500:
                        raise WeChatAPIError(-1, f"HTTP {resp.status}")
                    data = await resp.json(content_type=None)
                errcode = int(data.get("errcode", 0)) if isinstance(data, dict) else -1
                if errcode == 0:
                    return data
                errmsg = str(data.get("errmsg", "")) if isinstance(data, dict) else ""
                if errcode in TOKEN_ERRORS:
                    logger.info("%s: access token rejected (errcode %s), refreshing", self.name, errcode)
                    self.invalidate_token()
                    last_exc = WeChatAPIError(errcode, errmsg)
                    continue  # retry at once with a fresh token
                if errcode not in RETRYABLE_ERRORS:
                    raise WeChatAPIError(errcode, errmsg)
                last_exc = WeChatAPIError(errcode, errmsg)
            except WeChatAPIError as exc:
                if exc.errcode not in RETRYABLE_ERRORS and exc.errcode not in TOKEN_ERRORS:
                    raise
                last_exc = exc
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
                last_exc = exc
            if attempt < self.max_attempts:
                logger.warning(
                    "%s: send failed (attempt %d/%d: %s), retrying in %.1fs",
                    self.name,
                    attempt,
                    self.max_attempts,
                    type(last_exc).__name__,
                    delay,
                )
                await asyncio.sleep(delay)
                delay *= 2
        assert last_exc is not None
        raise last_exc


class OfficialAccountClient(_BaseClient):
    """WeChat Official Account (公众号) customer-service messages."""

    token_path = "/cgi-bin/token"  # noqa: S105 - a URL path, not a secret
    name = "wechat_mp"

    def __init__(self, session, api_base, appid: str, secret: str, **kw):
        super().__init__(session, api_base, **kw)
        self.appid = appid
        self.secret = secret

    def _token_params(self) -> dict[str, str]:
        return {"grant_type": "client_credential", "appid": self.appid, "secret": self.secret}

    async def send_text(self, openid: str, content: str) -> dict[str, Any]:
        return await self.post(
            "/cgi-bin/message/custom/send",
            {"touser": openid, "msgtype": "text", "text": {"content": content}},
        )


class WeComClient(_BaseClient):
    """WeCom (企业微信) application messages."""

    token_path = "/cgi-bin/gettoken"  # noqa: S105 - a URL path, not a secret
    name = "wecom"

    def __init__(self, session, api_base, corp_id: str, secret: str, agent_id: str, **kw):
        super().__init__(session, api_base, **kw)
        self.corp_id = corp_id
        self.secret = secret
        self.agent_id = agent_id

    def _token_params(self) -> dict[str, str]:
        return {"corpid": self.corp_id, "corpsecret": self.secret}

    async def send_text(self, userid: str, content: str) -> dict[str, Any]:
        agent: Any = int(self.agent_id) if str(self.agent_id).isdigit() else self.agent_id
        return await self.post(
            "/cgi-bin/message/send",
            {"touser": userid, "msgtype": "text", "agentid": agent, "text": {"content": content}},
        )
