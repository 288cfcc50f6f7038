"""The replicated setup with real PostgreSQL, Redis and nginx (bot/cluster.py):
state across replicas, restarts, outages and concurrency."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

import aiohttp
import pytest

from bot.channels import session_token
from core.enterprise import credit_code
from core.standards import catalogue as std_mod
from tests.conftest import reply_text

pytestmark = [
    pytest.mark.cluster,
    pytest.mark.skipif(
        shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists(), reason="nginx not installed"
    ),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server not installed"),
]


def _free_block() -> int:
    """A base port p with p .. p+15 free (replica ports are derived from it)."""
    from tests.ports import free_block

    return free_block(16)


class ClusterClient:
    def __init__(self, cluster):
        self.cluster = cluster
        s = cluster.settings
        self.lb = f"http://127.0.0.1:{s.rasa_port}"
        self.replicas = [f"http://127.0.0.1:{p}" for p in cluster.rasa_ports]

    def say(self, text: str, sender: str, base: str | None = None, timeout: float = 60):
        signed = session_token.sign(sender, self.cluster.settings.session_secret.encode())
        req = urllib.request.Request(
            f"{base or self.lb}/webhooks/rest/webhook",
            data=json.dumps({"sender": signed, "message": text}).encode("utf-8"),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return json.loads(resp.read().decode("utf-8"))


@pytest.fixture(scope="module")
def cluster():
    from bot.cluster import Cluster

    if not list((Path(__file__).resolve().parents[1] / "models").glob("cca-*.tar.gz")):
        pytest.fail("no trained model: run make train")
    tmp = Path(tempfile.mkdtemp(prefix="cca-cluster-"))
    os.chmod(tmp, 0o755)
    base = _free_block()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TRACKER_DB_URL", "REDIS_URL")}
    env.update(
        # One free block: nginx base, proxy base+3, gateway base+4, PostgreSQL base+5,
        # replicas base+6.., action servers base+9.., Redis base+13.
        RASA_PORT=str(base),
        ACTION_PORT=str(base + 3),
        GATEWAY_PORT=str(base + 4),
        PG_PORT=str(base + 5),
        PG_DATA_DIR=str(tmp / "pg" / "data"),
        REDIS_PORT=str(base + 13),
        REDIS_DIR=str(tmp / "redis"),
        LOG_DIR=str(Path(__file__).resolve().parents[1] / "test-artifacts" / "logs" / "cluster"),
        REPLICAS="2",
        MODEL_PATH=str(sorted((Path(__file__).resolve().parents[1] / "models").glob("cca-*.tar.gz"))[-1]),
    )
    c = Cluster(env=env)
    try:
        c.start(progress=lambda m: print(m, flush=True))
        yield c
    finally:
        c.stop()


def start_quick(client: ClusterClient, sender: str, code: str, name: str, bases: list) -> str:
    steps = ["开始自我评估", "认证企业", name, code, "非生产型", "快速自查"]
    out = ""
    for i, text in enumerate(steps):
        out = reply_text(client.say(text, sender, bases[i % len(bases)]))
    return out


def progress_of(text: str) -> int:
    m = re.search(r"总进度 (\d+)/", text)
    assert m, text[:300]
    return int(m.group(1))


def test_turns_alternate_between_replicas_and_keep_state(cluster):
    c = ClusterClient(cluster)
    sender = f"alt-{uuid.uuid4().hex[:8]}"
    out = start_quick(c, sender, credit_code.generate(seed=301), "轮换测试公司", c.replicas)
    assert progress_of(out) == 0
    for i in range(4):
        out = reply_text(c.say("达标", sender, c.replicas[i % 2]))
        assert progress_of(out) == i + 1, out[:300]


def test_rasa_restart_mid_assessment_resumes_at_the_right_item(cluster):
    c = ClusterClient(cluster)
    sender = f"rst-{uuid.uuid4().hex[:8]}"
    start_quick(c, sender, credit_code.generate(seed=302), "重启测试公司", [c.lb])
    c.say("达标", sender)
    out = reply_text(c.say("基本达标", sender))
    item = re.findall(r"第(\d+)项：", out)[-1]  # the question now asked
    cluster.sup.restart([n for n in cluster.sup.specs if n.startswith("rasa-")])
    out = reply_text(c.say("达标", sender))
    assert f"已记录第{item}项：达标" in out and progress_of(out) == 3


def test_action_servers_down_gives_a_clear_message_then_recovers(cluster):
    c = ClusterClient(cluster)
    sender = f"act-{uuid.uuid4().hex[:8]}"
    start_quick(c, sender, credit_code.generate(seed=303), "故障测试公司", [c.lb])
    c.say("达标", sender)
    actions = [n for n in cluster.sup.specs if n.startswith("actions-")]
    cluster.sup.stop(actions)
    try:
        out = reply_text(c.say("达标", sender))
        assert "暂时不可用" in out
    finally:
        cluster.sup.start(only=actions)
        cluster.sup.wait_ready(only=actions, timeout=120)
    out = reply_text(c.say("达标", sender))
    assert "已记录第" in out and progress_of(out) == 2  # nothing recorded during the outage


def test_postgres_restart_fails_cleanly_and_recovers(cluster):
    c = ClusterClient(cluster)
    sender = f"pg-{uuid.uuid4().hex[:8]}"
    assert reply_text(c.say("现在海关企业信用分几个等级", sender))
    cluster.pg.stop(mode="fast")
    try:
        started = time.monotonic()
        try:
            out = reply_text(c.say("失信企业怎么修复信用", sender, timeout=45))
            assert "Traceback" not in out
        except Exception:
            pass
        assert time.monotonic() - started < 45, "a request hung while PostgreSQL was down"
    finally:
        cluster.pg.start(databases=())
    deadline = time.monotonic() + 60
    while True:
        try:
            out = reply_text(c.say("失信企业怎么修复信用", sender))
            if "来源" in out:
                break
        except Exception:
            pass
        assert time.monotonic() < deadline, "did not recover after PostgreSQL came back"
        time.sleep(2)


def test_fifty_concurrent_assessments_never_mix(cluster):
    from core.assessment import store as assessment_store

    c = ClusterClient(cluster)
    n_items = 3
    users = []
    for i in range(50):
        verdicts = [("达标", "基本达标", "不达标")[(i + k) % 3] for k in range(n_items)]
        users.append(
            {
                "sender": f"c50-{i}-{uuid.uuid4().hex[:6]}",
                "code": credit_code.generate(seed=4000 + i),
                "name": f"并发测试{i}号公司",
                "verdicts": verdicts,
            }
        )

    secret = cluster.settings.session_secret.encode()

    async def run_user(session, u):
        async def say(text):
            async with session.post(
                f"{c.lb}/webhooks/rest/webhook",
                json={"sender": session_token.sign(u["sender"], secret), "message": text},
            ) as r:
                assert r.status == 200
                return "\n".join(m.get("text") or "" for m in await r.json())

        for text in ["开始自我评估", "认证企业", u["name"], u["code"], "非生产型", "快速自查"]:
            await say(text)
        out = ""
        for v in u["verdicts"]:
            out = await say(v)
        u["last"] = out

    async def main():
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=300)) as session:
            await asyncio.gather(*(run_user(session, u) for u in users))

    asyncio.run(main())
    engine_url = cluster.env["DATABASE_URL"]
    from core.db import get_engine

    engine = get_engine(engine_url)
    for u in users:
        assert progress_of(u["last"]) == n_items
        hist = assessment_store.history(u["code"], engine=engine)
        assert len(hist) == 1
        answers = assessment_store.get_answers(u["code"], hist[0]["id"], engine=engine)
        scope = std_mod.quick_check_items("certified")[:n_items]
        assert [answers[n] for n in scope] == u["verdicts"], u["sender"]
