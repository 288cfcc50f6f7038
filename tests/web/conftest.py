"""Browser-test target: the real running assistant (``running_assistant`` from
tests/conftest.py), or with BROWSER_TARGET=standin a gateway started here in
front of a stand-in Rasa socket.io server (tests/web/standin_rasa.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    from tests.ports import free_port

    return free_port()


def _wait(url: str, timeout: float = 30) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except Exception:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


class _Standin:
    def __init__(self):
        rasa_port, gw_port = _free_port(), _free_port()
        self.rasa_url = f"http://127.0.0.1:{rasa_port}"
        self.gateway_url = f"http://127.0.0.1:{gw_port}"
        logs = ROOT / "test-artifacts" / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        env = dict(
            os.environ,
            RASA_URL=self.rasa_url,
            GATEWAY_PORT=str(gw_port),
            GATEWAY_HOST="127.0.0.1",
            GATEWAY_TEST_PAGES="1",
            PYTHONPATH=str(ROOT),
        )
        self.procs = [
            subprocess.Popen(
                [sys.executable, str(ROOT / "tests/web/standin_rasa.py"), "--port", str(rasa_port)],
                cwd=ROOT,
                env=env,
                stdout=open(logs / "standin-rasa.log", "w"),
                stderr=subprocess.STDOUT,
            ),
            subprocess.Popen(
                [sys.executable, "-m", "bot.gateway"],
                cwd=ROOT,
                env=env,
                stdout=open(logs / "standin-gateway.log", "w"),
                stderr=subprocess.STDOUT,
            ),
        ]
        _wait(self.rasa_url + "/")
        _wait(self.gateway_url + "/healthz")

    def stop(self):
        for p in self.procs:
            p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()


@pytest.fixture(scope="session")
def browser_target(request):
    if os.environ.get("BROWSER_TARGET", "").lower() == "standin":
        target = _Standin()
        try:
            yield target
        finally:
            target.stop()
    else:
        yield request.getfixturevalue("running_assistant")
