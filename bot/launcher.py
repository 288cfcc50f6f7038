"""Start the whole assistant: action server, Rasa server and web gateway.

``python -m bot.launcher`` (what ``make run`` calls) starts the three processes
in their own process groups, waits until each answers, prints where to talk to
the assistant and stops everything on Ctrl-C or SIGTERM (no orphans).

Environment (all optional):
  RASA_PORT 5005, ACTION_PORT 5055, GATEWAY_PORT 8080, BIND_HOST 127.0.0.1
  DATABASE_URL       knowledge/assessment database (default SQLite var/assistant.db)
  TRACKER_DB_URL     Rasa tracker store (default SQLite var/rasa_tracker.db)
  REDIS_URL          redis://host:port/db -> Redis lock store (default in-memory)
  RASA_TOKEN         token for Rasa's HTTP API (default: generated per start)
  SESSION_SECRET     signs session ids (default: generated once, var/secrets/)
  ACTION_SECRET      what Rasa shows the action server (default: generated once, var/secrets/)
  ACTION_HOST        interface the action server binds (default 127.0.0.1)
  MODEL_PATH         model file or folder (default models/)
  MAX_SESSION_EVENTS events in a Rasa session before a new one starts with the
                     state carried over (default 60; 0 = never; bot/tracker_store.py)
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bot import shared_secrets

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var"


@dataclass
class Settings:
    rasa_port: int = 5005
    action_port: int = 5055
    gateway_port: int = 8080
    host: str = "127.0.0.1"
    model: str = str(ROOT / "models")
    tracker_db_url: str = ""
    redis_url: str = ""
    rasa_token: str = ""
    session_secret: str = ""
    action_secret: str = ""
    action_host: str = "127.0.0.1"
    max_session_events: int = 60
    log_dir: Path = VAR / "log"
    env: dict = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: dict | None = None) -> Settings:
        env = dict(os.environ if env is None else env)

        def count(name: str, default: int) -> int:
            raw = env.get(name, "").strip()
            if not raw:
                return default
            if not raw.isdigit():
                raise SystemExit(f"{name}={raw!r} is not a whole number.")
            return int(raw)

        def port(name: str, default: int) -> int:
            raw = env.get(name, "").strip()
            if not raw:
                return default
            if not raw.isdigit() or not 0 < int(raw) < 65536:
                raise SystemExit(f"{name}={raw!r} is not a port number (1-65535).")
            return int(raw)

        return cls(
            rasa_port=port("RASA_PORT", 5005),
            action_port=port("ACTION_PORT", 5055),
            gateway_port=port("GATEWAY_PORT", 8080),
            host=env.get("BIND_HOST", "127.0.0.1"),
            model=env.get("MODEL_PATH", str(ROOT / "models")),
            tracker_db_url=env.get("TRACKER_DB_URL", ""),
            redis_url=env.get("REDIS_URL", ""),
            rasa_token=env.get("RASA_TOKEN", "") or secrets.token_hex(24),
            session_secret=shared_secrets.ensure("SESSION_SECRET", env, VAR),
            action_secret=shared_secrets.ensure("ACTION_SECRET", env, VAR),
            action_host=env.get("ACTION_HOST", "127.0.0.1"),
            max_session_events=count("MAX_SESSION_EVENTS", 60),
            log_dir=Path(env.get("LOG_DIR", str(VAR / "log"))),
            env=env,
        )


def endpoints_yaml(s: Settings) -> str:
    """Rasa endpoints for these settings (action server, tracker store, lock store).
    The tracker store is Rasa's SQL store keeping access keys out and sessions
    short (bot/tracker_store.py)."""
    # The secret itself stays out of the file: Rasa reads ${ACTION_SECRET} from its environment.
    lines = [
        "action_endpoint:",
        f'  url: "http://127.0.0.1:{s.action_port}/webhook"',
        "  headers:",
        "    Authorization: Bearer ${ACTION_SECRET}",
    ]
    store = [
        "tracker_store:",
        "  type: bot.tracker_store.BoundedSQLTrackerStore",
        f"  max_session_events: {s.max_session_events}",
    ]
    if s.tracker_db_url:
        u = urllib.parse.urlsplit(s.tracker_db_url)
        dialect = u.scheme.split("+")[0]
        if dialect == "sqlite":
            # sqlite:///relative.db or sqlite:////absolute.db (SQLAlchemy's form)
            lines += [*store, "  dialect: sqlite", f'  db: "{u.path[1:] or "rasa.db"}"']
        else:
            lines += [
                *store,
                f"  dialect: {dialect}",
                f'  url: "{u.hostname or "localhost"}"',
                f"  port: {u.port or 5432}",
                f'  db: "{u.path.lstrip("/")}"',
                f'  username: "{urllib.parse.unquote(u.username or "")}"',
                f'  password: "{urllib.parse.unquote(u.password or "")}"',
            ]
    else:
        lines += [*store, "  dialect: sqlite", f'  db: "{VAR / "rasa_tracker.db"}"']
    if s.redis_url:
        u = urllib.parse.urlsplit(s.redis_url)
        lines += [
            "lock_store:",
            "  type: redis",
            f'  url: "{u.hostname or "localhost"}"',
            f"  port: {u.port or 6379}",
            f"  db: {(u.path.lstrip('/') or '0')}",
            "  key_prefix: cca",
        ]
        if u.password:
            lines.append(f'  password: "{urllib.parse.unquote(u.password)}"')
    return "\n".join(lines) + "\n"


def write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read (it may hold a database password)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.chmod(path, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)


def action_command(s: Settings, port: int) -> list:
    return [sys.executable, "-m", "bot.action_server", "--port", str(port), "--host", s.action_host]


def rasa_command(s: Settings, port: int, host: str, endpoints_file: Path) -> list:
    return [
        sys.executable,
        "-m",
        "bot.rasa_main",
        "run",
        "--model",
        s.model,
        "--port",
        str(port),
        "--interface",
        host,
        "--endpoints",
        str(endpoints_file),
        "--credentials",
        str(ROOT / "credentials.yml"),
        "--enable-api",
        "--cors",
        "*",
    ]


def commands(s: Settings, endpoints_file: Path) -> dict:
    # No secret on a command line: RASA_TOKEN, ACTION_SECRET and SESSION_SECRET
    # reach the processes through their environment (bot/rasa_main.py).
    return {
        "actions": action_command(s, s.action_port),
        "rasa": rasa_command(s, s.rasa_port, s.host, endpoints_file),
        "gateway": [sys.executable, "-m", "bot.gateway"],
    }


def _get(url: str, timeout: float = 2.0) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 - loopback only
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except Exception:
        return None


def health_urls(s: Settings) -> dict:
    return {
        "actions": f"http://127.0.0.1:{s.action_port}/health",
        "rasa": f"http://127.0.0.1:{s.rasa_port}/status?token={s.rasa_token}",
        "gateway": f"http://127.0.0.1:{s.gateway_port}/healthz",
    }


@dataclass
class ProcSpec:
    cmd: list
    health: str
    env: dict = field(default_factory=dict)


class Supervisor:
    """Starts named processes in their own process groups, waits for their
    health URLs and stops them all (SIGTERM, then SIGKILL) — no orphans."""

    def __init__(self, settings: Settings, specs: dict | None = None):
        self.s = settings
        self.procs: dict[str, subprocess.Popen] = {}
        self.specs: dict[str, ProcSpec] = specs if specs is not None else self.single_node_specs()

    def base_env(self) -> dict:
        env = dict(self.s.env)
        env.update(
            {
                "PYTHONPATH": str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
                "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
                "RASA_URL": f"http://127.0.0.1:{self.s.rasa_port}",
                "RASA_TOKEN": self.s.rasa_token,
                "SESSION_SECRET": self.s.session_secret,
                "ACTION_SECRET": self.s.action_secret,
                "GATEWAY_PORT": str(self.s.gateway_port),
                "GATEWAY_HOST": env.get("GATEWAY_HOST") or self.s.host,
                "TF_CPP_MIN_LOG_LEVEL": "2",
            }
        )
        return env

    def single_node_specs(self) -> dict:
        VAR.mkdir(exist_ok=True)
        endpoints_file = VAR / f"endpoints.{self.s.rasa_port}.yml"
        write_private(endpoints_file, endpoints_yaml(self.s))
        urls = health_urls(self.s)
        return {name: ProcSpec(cmd, urls[name]) for name, cmd in commands(self.s, endpoints_file).items()}

    def log_path(self, name: str) -> Path:
        return self.s.log_dir / f"{name}.{self.s.rasa_port}.log"

    def start(self, only: list | None = None) -> None:
        shared_secrets.restrict_permissions(VAR)
        self.s.log_dir.mkdir(parents=True, exist_ok=True)
        base = self.base_env()
        for name, spec in self.specs.items():
            if only and name not in only:
                continue
            log = open(self.log_path(name), "ab")
            os.chmod(self.log_path(name), 0o600)
            self.procs[name] = subprocess.Popen(
                spec.cmd,
                cwd=ROOT,
                env={**base, **spec.env},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                # our processes create databases, logs and secrets: owner only (nginx keeps its own)
                umask=0o077 if spec.cmd[0] == sys.executable else -1,
            )

    def wait_ready(self, timeout: float = 300.0, progress=None, only: list | None = None) -> None:
        pending = {n for n in self.procs if not only or n in only}
        deadline = time.monotonic() + timeout
        started = time.monotonic()
        last = 0.0
        while pending:
            for name in list(pending):
                proc = self.procs[name]
                if proc.poll() is not None:
                    raise RuntimeError(f"{name} exited with code {proc.returncode}; see {self.log_path(name)}")
                if _get(self.specs[name].health) == 200:
                    pending.discard(name)
                    if progress:
                        progress(f"  {name} ready after {time.monotonic() - started:.0f} s")
            if not pending:
                break
            if time.monotonic() > deadline:
                raise TimeoutError(f"not ready after {timeout:.0f} s: {', '.join(sorted(pending))}")
            if progress and time.monotonic() - last > 15:
                last = time.monotonic()
                progress(
                    f"  waiting for {', '.join(sorted(pending))} ({time.monotonic() - started:.0f} s; a Rasa server usually needs about 80 s to load its model)"
                )
            time.sleep(1.0)

    def stop(self, names: list | None = None, timeout: float = 15.0) -> None:
        chosen = {n: p for n, p in self.procs.items() if not names or n in names}
        for proc in chosen.values():
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + timeout
        for proc in chosen.values():
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait()
        for n in chosen:
            self.procs.pop(n, None)

    def restart(self, names: list, timeout: float = 400.0) -> None:
        self.stop(names)
        self.start(only=names)
        self.wait_ready(timeout=timeout, only=names)


def supervise(get_procs, stop, start, banner) -> int:
    """Run ``start()``, print ``banner``, then watch the processes ``get_procs()``
    returns until Ctrl-C, SIGTERM or a process dying; always ``stop()``."""

    def on_signal(_signum, _frame):
        raise KeyboardInterrupt

    # SIGINT too: a shell that starts the launcher in the background sets SIGINT
    # to "ignore", which Python would otherwise inherit, and Ctrl-C or
    # `kill -INT` would leave everything running.
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        start()
        print(banner() if callable(banner) else banner, flush=True)
        while True:
            for name, proc in list(get_procs().items()):
                if proc.poll() is not None:
                    print(f"{name} stopped unexpectedly (exit {proc.returncode}); stopping the rest.", file=sys.stderr)
                    return 1
            time.sleep(1.0)
    except KeyboardInterrupt:
        print("\nStopping ...")
        return 0
    except (RuntimeError, TimeoutError) as exc:
        print(f"Start-up failed: {exc}", file=sys.stderr)
        return 1
    finally:
        stop()


def main() -> int:
    settings = Settings.from_env()
    sup = Supervisor(settings)
    print(
        f"Starting action server (:{settings.action_port}), Rasa (:{settings.rasa_port}) and web gateway (:{settings.gateway_port}); logs in {settings.log_dir}/"
    )
    g, r = settings.gateway_port, settings.rasa_port
    banner = (
        "\nThe assistant is running:\n"
        f"  web chat        http://localhost:{g}/\n"
        f"  kiosk           http://localhost:{g}/kiosk\n"
        f"  REST webhook    http://localhost:{r}/webhooks/rest/webhook   (POST {{\"sender\": SIGNED_ID, \"message\": \"你好\"}}; SIGNED_ID from: python -m bot.channels.session_token me)\n"
        f"  socket.io       http://localhost:{r}/socket.io\n"
        f"  officer page    http://localhost:{g}/officer   (needs OFFICER_TOKEN)\n"
        "Press Ctrl-C to stop."
    )

    def start():
        sup.start()
        sup.wait_ready(progress=lambda m: print(m, flush=True))

    return supervise(lambda: sup.procs, sup.stop, start, banner)


if __name__ == "__main__":
    raise SystemExit(main())
