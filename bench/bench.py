"""Benchmark (not a test): this assistant beside a stock `rasa init` bot, same run.

Measures for each bot: training time, start-up time (process start → model
loaded), server memory (RSS of the Rasa process, plus the action server for
ours), reply latency p50/p95/p99 through the REST channel with 1, 8 and 32
concurrent senders, and throughput. Also the scoring engine on 74 items.

    make bench              # or: .venv/bin/python bench/bench.py [--levels 1,8,32] [--seconds 20]

Writes results/bench.json and prints a Markdown table for the README.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RASA = str(ROOT / ".venv" / "bin" / "rasa")
OUT = ROOT / "results"

OUR_MESSAGES = [
    "现在海关企业信用分几个等级",
    "高级认证企业有哪些便利",
    "失信企业怎么修复信用",
    "和新加坡有AEO互认吗",
    "高认标准第18项是什么要求",
    "how do I apply for AEO certification",
    "认证企业标准有多少项",
    "什么是信用培育",
]
STOCK_MESSAGES = ["hello", "I am happy", "are you a bot?", "goodbye", "hi there", "very sad", "yes", "no"]


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB."""
    total = 0
    pids = [pid]
    try:
        kids = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
        pids += [int(k) for k in kids]
    except FileNotFoundError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return round(total / 1024, 1)


def wait_http(url: str, timeout: float = 400) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return time.monotonic() - start
        except Exception:
            pass
        time.sleep(0.5)
    raise TimeoutError(url)


async def load(url: str, messages: list, concurrency: int, seconds: float) -> dict:
    latencies: list = []
    errors = 0
    deadline = time.monotonic() + seconds

    async def sender(i: int, session: aiohttp.ClientSession):
        nonlocal errors
        n = 0
        while time.monotonic() < deadline:
            body = {"sender": f"bench-{concurrency}-{i}-{n // 20}", "message": messages[n % len(messages)]}
            t0 = time.perf_counter()
            try:
                async with session.post(url, json=body, timeout=aiohttp.ClientTimeout(total=60)) as resp:
                    await resp.read()
                    if resp.status != 200:
                        errors += 1
                    else:
                        latencies.append(time.perf_counter() - t0)
            except Exception:
                errors += 1
            n += 1

    started = time.monotonic()
    async with aiohttp.ClientSession() as session:
        await asyncio.gather(*(sender(i, session) for i in range(concurrency)))
    elapsed = time.monotonic() - started
    latencies.sort()

    def pct(p: float) -> float:
        return (
            round(1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1) if latencies else float("nan")
        )

    return {
        "concurrency": concurrency,
        "requests": len(latencies),
        "errors": errors,
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "throughput_rps": round(len(latencies) / elapsed, 2),
    }


def measure_server(
    name: str, cmd: list, cwd: Path, port: int, messages: list, levels: list, seconds: float, env: dict, extra_pids=()
) -> dict:
    log = open(OUT / f"bench-{name}.log", "w")
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_http(
            f"http://127.0.0.1:{port}/status?token=bench" if "--enable-api" in cmd else f"http://127.0.0.1:{port}/"
        )
        startup = time.monotonic() - t0
        url = f"http://127.0.0.1:{port}/webhooks/rest/webhook"
        # warm-up
        asyncio.run(load(url, messages, 1, 3))
        results = [asyncio.run(load(url, messages, c, seconds)) for c in levels]
        memory = rss_mb(proc.pid) + sum(rss_mb(p) for p in extra_pids)
        return {"startup_s": round(startup, 1), "memory_mb": memory, "load": results}
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(30)


def measure_cluster(levels: list, seconds: float, env: dict) -> dict:
    """The same load through nginx in front of two replicas (bot/cluster.py)."""
    from bot.cluster import Cluster

    tmp = Path(tempfile.mkdtemp(prefix="cca-bench-cluster-"))
    os.chmod(tmp, 0o755)
    cenv = {k: v for k, v in env.items() if k not in ("DATABASE_URL", "TRACKER_DB_URL", "REDIS_URL")}
    cenv.update(
        RASA_PORT="5805",
        ACTION_PORT="5855",
        GATEWAY_PORT="5880",
        PG_PORT="5833",
        REDIS_PORT="5879",
        PG_DATA_DIR=str(tmp / "pg" / "data"),
        REDIS_DIR=str(tmp / "redis"),
        REPLICAS="2",
        LOG_DIR=str(OUT / "bench-cluster-logs"),
    )
    cluster = Cluster(env=cenv)
    t0 = time.monotonic()
    try:
        cluster.start(progress=lambda m: None)
        startup = time.monotonic() - t0
        url = "http://127.0.0.1:5805/webhooks/rest/webhook"
        asyncio.run(load(url, OUR_MESSAGES, 1, 3))
        results = [asyncio.run(load(url, OUR_MESSAGES, c, seconds)) for c in levels]
        memory = {name: rss_mb(proc.pid) for name, proc in cluster.sup.procs.items()}
        return {"startup_s": round(startup, 1), "memory_mb_per_process": memory, "load": results}
    finally:
        cluster.stop()


def train_stock(workdir: Path, env: dict) -> float:
    subprocess.run(
        [RASA, "init", "--no-prompt", "--init-dir", str(workdir)],
        cwd=workdir.parent,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # `rasa init` trains a model already; train again to time it on this machine.
    shutil.rmtree(workdir / "models", ignore_errors=True)
    t0 = time.monotonic()
    subprocess.run(
        [RASA, "train", "--num-threads", "2"],
        cwd=workdir,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return round(time.monotonic() - t0, 1)


def scoring_bench() -> dict:
    from core.standards import catalogue as std_mod
    from core.standards import scoring

    answers = {i.number: ("符合" if i.additional else "达标") for i in std_mod.items("advanced")}
    scoring.score("advanced", answers)  # load and cache the data
    n = 2000
    t0 = time.perf_counter()
    for _ in range(n):
        scoring.score("advanced", answers)
    return {"score_74_items_ms": round(1000 * (time.perf_counter() - t0) / n, 3)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--levels", default="1,8,32")
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--skip-stock", action="store_true")
    ap.add_argument("--only-cluster", action="store_true", help="measure only the replicated setup")
    ap.add_argument(
        "--replicas", type=int, default=2, help="also measure the replicated setup with this many replicas (0: skip)"
    )
    args = ap.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    OUT.mkdir(exist_ok=True)
    env = dict(os.environ, SQLALCHEMY_SILENCE_UBER_WARNING="1", TF_CPP_MIN_LOG_LEVEL="2", PYTHONPATH=str(ROOT))
    report: dict = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB, {platform.python_version()}",
    }
    if args.only_cluster:
        report["two_replicas"] = measure_cluster(levels, args.seconds, env)
        print("two replicas:", json.dumps(report["two_replicas"]), flush=True)
        (OUT / "bench-cluster.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
        return 0
    report["scoring"] = scoring_bench()
    print("scoring:", report["scoring"], flush=True)

    # Ours: training time from scripts/train.sh's own log is not reused: retrain into a temp dir.
    tmp = Path(tempfile.mkdtemp(prefix="cca-bench-"))
    t0 = time.monotonic()
    subprocess.run(
        [RASA, "train", "--num-threads", "2", "--out", str(tmp), "--fixed-model-name", "bench"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    ours_train = round(time.monotonic() - t0, 1)
    actions = subprocess.Popen(
        [RASA, "run", "actions", "--port", "5955", "--actions", "actions"],
        cwd=ROOT,
        env=env,
        stdout=open(OUT / "bench-actions.log", "w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    endpoints = tmp / "endpoints.yml"
    endpoints.write_text('action_endpoint:\n  url: "http://127.0.0.1:5955/webhook"\n')
    try:
        wait_http("http://127.0.0.1:5955/health")
        ours = measure_server(
            "ours",
            [
                RASA,
                "run",
                "--model",
                str(tmp / "bench.tar.gz"),
                "--port",
                "5905",
                "--endpoints",
                str(endpoints),
                "--credentials",
                str(ROOT / "credentials.yml"),
                "--enable-api",
                "--auth-token",
                "bench",
            ],
            ROOT,
            5905,
            OUR_MESSAGES,
            levels,
            args.seconds,
            env,
            extra_pids=[actions.pid],
        )
    finally:
        os.killpg(actions.pid, 15)
    ours["train_s"] = ours_train
    report["ours"] = ours
    print("ours:", json.dumps(ours), flush=True)

    if args.replicas >= 2:
        report["two_replicas"] = measure_cluster(levels, args.seconds, env)
        print("two replicas:", json.dumps(report["two_replicas"]), flush=True)

    if not args.skip_stock:
        stock_dir = Path(tempfile.mkdtemp(prefix="rasa-stock-")) / "stock"
        stock_dir.mkdir()
        stock_train = train_stock(stock_dir, env)
        model = sorted((stock_dir / "models").glob("*.tar.gz"))[-1]
        stock = measure_server(
            "stock",
            [RASA, "run", "--model", str(model), "--port", "5906", "--enable-api", "--auth-token", "bench"],
            stock_dir,
            5906,
            STOCK_MESSAGES,
            levels,
            args.seconds,
            env,
        )
        stock["train_s"] = stock_train
        report["stock"] = stock
        print("stock:", json.dumps(stock), flush=True)

    (OUT / "bench.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print_table(report)
    return 0


def print_table(r: dict) -> None:
    print(f"\nMachine: {r['machine']}; date {r['date']}\n")
    print("| metric | ours | stock `rasa init` | ratio |\n|---|---|---|---|")
    o, s = r["ours"], r.get("stock")
    rows = [
        ("training (s)", o["train_s"], s and s["train_s"]),
        ("start-up (s)", o["startup_s"], s and s["startup_s"]),
        ("memory (MB)", o["memory_mb"], s and s["memory_mb"]),
    ]
    for i, lo in enumerate(o["load"]):
        ls = s["load"][i] if s else None
        c = lo["concurrency"]
        rows += [
            (f"p50 ms @{c}", lo["p50_ms"], ls and ls["p50_ms"]),
            (f"p95 ms @{c}", lo["p95_ms"], ls and ls["p95_ms"]),
            (f"p99 ms @{c}", lo["p99_ms"], ls and ls["p99_ms"]),
            (f"throughput msg/s @{c}", lo["throughput_rps"], ls and ls["throughput_rps"]),
        ]
    two = r.get("two_replicas")
    if two:
        for i, lo in enumerate(o["load"]):
            lt = two["load"][i]
            rows.append(
                (f"throughput msg/s @{lo['concurrency']}: 2 replicas vs 1", lt["throughput_rps"], lo["throughput_rps"])
            )
    for name, a, b in rows:
        ratio = f"{a / b:.2f}" if (b not in (None, 0) and a == a and b == b) else "-"
        print(f"| {name} | {a} | {b if b is not None else '-'} | {ratio} |")
    print(f"| scoring 74 items (ms) | {r['scoring']['score_74_items_ms']} | - | - |")


if __name__ == "__main__":
    raise SystemExit(main())
