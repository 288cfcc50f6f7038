"""Kiosk voice endpoints: read-aloud (espeak-ng) and optional Vosk speech input,
plus the QR code that hands a kiosk conversation to a phone."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import re
import shutil
import wave
from typing import Any

from aiohttp import web

from .security import read_limited

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


def add_voice_routes(
    app: web.Application, *, tts: TTS, asr: ASR, max_body: int, max_audio: int, public_url: str = ""
) -> None:
    async def post_tts(request: web.Request) -> web.Response:
        raw = await read_limited(request, max_body)
        try:
            body = json.loads(raw.decode("utf-8") or "{}")
        except (ValueError, UnicodeDecodeError):
            return web.json_response({"error": "bad_request", "message": "expected JSON {text, lang}"}, status=400)
        text = body.get("text") if isinstance(body, dict) else None
        if not isinstance(text, str) or not text.strip():
            return web.json_response({"error": "bad_request", "message": "text is required"}, status=400)
        lang = body.get("lang")
        if not tts.path:
            return web.json_response(
                {
                    "error": "tts_unavailable",
                    "message": "语音播报不可用：未安装 espeak-ng / text-to-speech unavailable: espeak-ng is not installed",
                },
                status=503,
            )
        try:
            wav = await tts.synthesize(text, lang if lang in ("zh", "en") else None)
        except Exception as exc:
            logger.error("TTS failed: %s", exc)
            return web.json_response(
                {"error": "tts_failed", "message": "语音合成失败 / speech synthesis failed"}, status=500
            )
        return web.Response(body=wav, content_type="audio/wav", headers={"Cache-Control": "no-store"})

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
        import qrcode
        import qrcode.image.svg

        session = request.query.get("session", "")
        if not SESSION_RE.match(session):
            return web.json_response({"error": "bad_request", "message": "invalid session id"}, status=400)
        base = public_url or f"{request.scheme}://{request.host}"
        link = f"{base}/?session={session}"
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
