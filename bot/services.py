"""Local PostgreSQL and Redis servers from Debian's packages, for the
replicated setup on one machine and for the tests that need real servers.

Each server lives in its own folder under ``var/`` on its own port, so it does
not disturb a system instance. PostgreSQL refuses to run as root; when run as
root, the data folder is owned by the ``postgres`` user and the server runs as
that user (``runuser``).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

INSTALL_HINT = (
    "Install them with: sudo apt-get install postgresql redis-server nginx-light "
    "(Debian/Ubuntu), then run the command again."
)


class ServiceError(RuntimeError):
    pass


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _wait_port(port: int, timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if _port_open(port):
            return
        time.sleep(0.2)
    raise ServiceError(f"nothing listens on port {port} after {timeout:.0f} s")


def pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if found:
        return found[-1]
    path = shutil.which(name)
    if path:
        return path
    raise ServiceError(f"PostgreSQL's {name} was not found. {INSTALL_HINT}")


class PostgresServer:
    def __init__(self, data_dir: Path, port: int = 5433, user: str = "cca", password: str = "cca"):  # noqa: S107 - local test database started by us
        self.data_dir = Path(data_dir)
        self.port = port
        self.user = user
        self.password = password
        self.as_root = os.geteuid() == 0
        self.log = self.data_dir.parent / f"postgres-{port}.log"

    def _run(self, args: list, check: bool = True, **kw) -> subprocess.CompletedProcess:
        if self.as_root:
            args = ["runuser", "-u", "postgres", "--", *args]
        return subprocess.run(args, check=check, capture_output=True, text=True, **kw)

    def url(self, db: str) -> str:
        return f"postgresql://{self.user}:{self.password}@127.0.0.1:{self.port}/{db}"

    def start(self, databases: tuple = ("cca", "cca_tracker")) -> PostgresServer:
        initdb, pg_ctl = pg_bin("initdb"), pg_bin("pg_ctl")
        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        if not (self.data_dir / "PG_VERSION").exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            if self.as_root:
                shutil.chown(self.data_dir, "postgres", "postgres")
                os.chmod(self.data_dir, 0o700)
            pwfile = self.data_dir.parent / f".pgpass-{self.port}"
            pwfile.write_text(self.password)
            if self.as_root:
                shutil.chown(pwfile, "postgres", "postgres")
            self._run(
                [
                    initdb,
                    "-D",
                    str(self.data_dir),
                    "-U",
                    self.user,
                    "--pwfile",
                    str(pwfile),
                    "-A",
                    "scram-sha-256",
                    "-E",
                    "UTF8",
                    "--locale",
                    "C.UTF-8",
                ]
            )
            pwfile.unlink()
        if self.as_root:
            self.log.touch()
            shutil.chown(self.log, "postgres", "postgres")
        if not _port_open(self.port):
            self._run(
                [
                    pg_ctl,
                    "-D",
                    str(self.data_dir),
                    "-l",
                    str(self.log),
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    f"-p {self.port} -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=200",
                    "start",
                ]
            )
        _wait_port(self.port)
        for db in databases:
            self.create_database(db)
        return self

    def create_database(self, db: str) -> None:
        import sqlalchemy as sa

        engine = sa.create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT", future=True)
        with engine.connect() as conn:
            exists = conn.execute(sa.text("select 1 from pg_database where datname = :d"), {"d": db}).scalar()
            if not exists:
                conn.execute(sa.text(f'create database "{db}"'))
        engine.dispose()

    def stop(self, mode: str = "fast") -> None:
        if (self.data_dir / "postmaster.pid").exists():
            self._run([pg_bin("pg_ctl"), "-D", str(self.data_dir), "-m", mode, "-w", "stop"], check=False)

    def restart(self) -> None:
        self.stop()
        self.start(databases=())


class RedisServer:
    def __init__(self, port: int = 6380, work_dir: Path | None = None):
        self.port = port
        self.work_dir = Path(work_dir or ROOT / "var" / "redis")
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        binary = shutil.which("redis-server")
        if binary is None:
            raise ServiceError(f"redis-server was not found. {INSTALL_HINT}")
        self.work_dir.mkdir(parents=True, exist_ok=True)
        if not _port_open(self.port):
            self.proc = subprocess.Popen(
                [
                    binary,
                    "--port",
                    str(self.port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--dir",
                    str(self.work_dir),
                ],
                stdout=open(self.work_dir / f"redis-{self.port}.log", "ab"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        _wait_port(self.port)
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
