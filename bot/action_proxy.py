"""Action-server load balancer with a graceful "temporarily unavailable" reply.

Rasa calls one action endpoint. In the replicated setup that endpoint is this
proxy: it forwards each call to the next healthy action server (round robin,
trying the others on connection errors, timeouts and 5xx) and, when none
answers, returns a valid action response that tells the user the service is
temporarily unavailable, instead of Rasa's silence. For form validation
actions the reply also clears the requested slot, so the form asks again and
the user's progress (stored in the database) is untouched.

Every call must carry ``Authorization: Bearer <ACTION_SECRET>`` (401 without
it), which is passed on to the action servers; /health stays open.

    ACTION_SECRET=... ACTION_BACKENDS=http://127.0.0.1:5061,http://127.0.0.1:5062 ACTION_PROXY_PORT=5055 python -m bot.action_proxy
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os

import aiohttp
from aiohttp import web

from bot.action_server import HEADER, auth_headers, authorised

logger = logging.getLogger("action_proxy")

UNAVAILABLE = {
    "zh": "抱歉，服务暂时不可用，您的已答内容都已保存。请稍后再发一次；急事可拨打海关12360服务热线。",
    "en": "Sorry, the service is temporarily unavailable; everything you have answered is saved. Please try again shortly; for urgent matters call the customs 12360 hotline.",
}


def unavailable_response(body: dict | None) -> dict:
    """A valid action-server response: a message, and for validation actions a
    reset of the requested slot so an active form keeps asking."""
    body = body or {}
    tracker = body.get("tracker") or {}
    slots = tracker.get("slots") or {}
    lang = slots.get("language") if slots.get("language") in ("zh", "en") else "zh"
    events = []
    action = str(body.get("next_action") or "")
    requested = slots.get("requested_slot")
    if action.startswith("validate_") and requested:
        events.append({"event": "slot", "name": requested, "value": None, "timestamp": None})
    return {"events": events, "responses": [{"text": UNAVAILABLE[lang]}]}


class Balancer:
    def __init__(self, backends: list[str], secret: str, timeout: float = 30.0):
        if not backends:
            raise ValueError("ACTION_BACKENDS is empty")
        if len(secret) < 16:
            raise ValueError("ACTION_SECRET is not set (or shorter than 16 characters)")
        self.headers = auth_headers(secret)
        self.secret = secret
        self.backends = [b.rstrip("/") for b in backends]
        self._cycle = itertools.cycle(range(len(self.backends)))
        self.timeout = aiohttp.ClientTimeout(total=timeout, connect=2)
        self.session: aiohttp.ClientSession | None = None

    async def start(self, _app=None):
        self.session = aiohttp.ClientSession(timeout=self.timeout)

    async def close(self, _app=None):
        if self.session:
            await self.session.close()

    def order(self) -> list[str]:
        first = next(self._cycle)
        return self.backends[first:] + self.backends[:first]

    def refused(self, request: web.Request) -> web.Response | None:
        if authorised(request.headers.get(HEADER), self.secret):
            return None
        return web.json_response({"error": "unauthorised"}, status=401)

    async def webhook(self, request: web.Request) -> web.Response:
        if (denied := self.refused(request)) is not None:
            return denied
        raw = await request.read()
        try:
            body = await request.json()
        except Exception:
            return web.json_response({"error": "body is not JSON"}, status=400)
        for backend in self.order():
            try:
                async with self.session.post(
                    f"{backend}/webhook", data=raw, headers={"Content-Type": "application/json", **self.headers}
                ) as resp:
                    payload = await resp.read()
                    if resp.status >= 500:
                        logger.warning("%s answered %s; trying the next action server", backend, resp.status)
                        continue
                    return web.Response(body=payload, status=resp.status, content_type="application/json")
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                logger.warning("%s unreachable (%s); trying the next action server", backend, type(exc).__name__)
        logger.error("no action server answered; replying 'temporarily unavailable'")
        return web.json_response(unavailable_response(body))

    async def health(self, _request: web.Request) -> web.Response:
        status = {}
        for backend in self.backends:
            try:
                async with self.session.get(f"{backend}/health", timeout=aiohttp.ClientTimeout(total=2)) as resp:
                    status[backend] = resp.status == 200
            except Exception:
                status[backend] = False
        ok = any(status.values())
        return web.json_response(
            {"status": "ok" if ok else "unavailable", "backends": status}, status=200 if ok else 503
        )

    async def actions(self, request: web.Request) -> web.Response:
        if (denied := self.refused(request)) is not None:
            return denied
        for backend in self.order():
            try:
                async with self.session.get(f"{backend}/actions", headers=self.headers) as resp:
                    return web.Response(body=await resp.read(), status=resp.status, content_type="application/json")
            except Exception as exc:  # try the next action server
                logger.debug("action server %s did not answer /actions: %s", backend, exc)
                continue
        return web.json_response([], status=503)


def create_app(backends: list[str], secret: str | None = None) -> web.Application:
    bal = Balancer(backends, secret if secret is not None else os.environ.get("ACTION_SECRET", "").strip())
    app = web.Application(client_max_size=8 * 1024 * 1024)
    app.on_startup.append(bal.start)
    app.on_cleanup.append(bal.close)
    app.router.add_post("/webhook", bal.webhook)
    app.router.add_get("/health", bal.health)
    app.router.add_get("/actions", bal.actions)
    return app


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    backends = [b for b in os.environ.get("ACTION_BACKENDS", "").split(",") if b.strip()]
    port = int(os.environ.get("ACTION_PROXY_PORT", "5055"))
    web.run_app(create_app(backends), host="127.0.0.1", port=port, print=None)


if __name__ == "__main__":
    main()
