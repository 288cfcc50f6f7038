"""Benchmark (not a test): this assistant beside a stock Rasa bot of the same
language and pipeline family, trained and served in the same run.

The floor (``bench/stock_bot.py``): a stock Rasa 3.6 bot generated from a subset
of the project's own Chinese policy intents: jieba tokens, count vectors
(words and character n-grams), DIET, Memoization + Rule + TED policies,
canned responses, Rasa's default in-memory tracker store.

Ours: the trained model in ``models/`` with the action server and the SQL
tracker store, started exactly as ``make run`` starts them
(``bot/launcher.py``), on private ports and temporary databases.

For each bot, through the REST channel:
  * CPU milliseconds per message for each process (Rasa; action server), read
    from /proc before and after the load: on a shared machine this is the
    figure to trust, wall-clock latencies move with the neighbours;
  * p50/p95/p99 latency and throughput with 1, 8 and 32 concurrent senders
    (fresh senders, policy questions);
  * latency and CPU per turn around turns 10, 100 and 250 of one long
    conversation (ours: a full 74-item advanced self-assessment with 详细 and
    返回上一题 on every item; stock: its questions in a row);
  * resident memory of each process after the load.

    make bench                         # full run, about 10-15 minutes
    make bench BENCH_ARGS=--quick      # shorter loads, about 6 minutes
    .venv/bin/python bench/bench.py --profile 30   # also py-spy profiles of ours

Writes bench/results-<date>.json, bench/results-latest.json and the
README-ready table bench/results-latest.md, and prints the table.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))
RASA = str(ROOT / ".venv" / "bin" / "rasa")
CLK_TCK = os.sysconf("SC_CLK_TCK")

# The same Chinese policy questions go to both bots.
MESSAGES = [
    "现在海关企业信用分几个等级",
    "高级认证企业有哪些便利",
    "失信企业怎么修复信用",
    "和新加坡有AEO互认吗",
    "高认标准第18项是什么要求",
    "认证要怎么申请",
    "认证企业标准有多少项",
    "什么是信用培育",
]
TURNS = (10, 100, 250)
WINDOW = 10  # turns averaged around each of TURNS


# ----------------------------------------------------------------- processes


def group_pids(pgid: int) -> list[int]:
    """All processes of a process group (the servers start their own)."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid:
                out.append(int(entry))
    return out


def cpu_seconds(pgid: int) -> float:
    """User + system CPU seconds of a process group (finished children included)."""
    total = 0
    for pid in group_pids(pgid):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # after the ")": state=0 ... utime=11 stime=12 cutime=13 cstime=14
        total += sum(int(fields[i]) for i in (11, 12, 13, 14))
    return total / CLK_TCK


def rss_mb(pgid: int) -> float:
    total = 0
    for pid in group_pids(pgid):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return round(total / 1024, 1)


def wait_http(url: str, timeout: float = 600) -> float:
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


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Bot:
    """A running bot: its REST URL and its processes by name (each the leader
    of its own process group)."""

    def __init__(self, name: str, port: int, procs: dict, stop, sign=None):
        self.name = name
        # Ours accepts only server-signed session ids (bot/channels/signed.py).
        self.sign = sign or (lambda sender: sender)
        self.url = f"http://127.0.0.1:{port}/webhooks/rest/webhook"
        self.port = port
        self.procs = procs
        self._stop = stop

    def cpu(self) -> dict:
        return {n: cpu_seconds(p.pid) for n, p in self.procs.items()}

    def memory(self) -> dict:
        return {n: rss_mb(p.pid) for n, p in self.procs.items()}

    def stop(self) -> None:
        self._stop()


def start_ours(tmp: Path, env: dict) -> Bot:
    """Action server and Rasa server as `make run` starts them (bot/launcher.py),
    with the SQL tracker store and a private knowledge database."""
    from bot.launcher import Settings, Supervisor
    from core.db import get_engine
    from core.knowledge.loader import load_knowledge

    models = sorted((ROOT / "models").glob("cca-*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise SystemExit("no trained model in models/: run `make train` (make bench does it)")
    tmp.mkdir(parents=True, exist_ok=True)
    db_url = f"sqlite:///{tmp / 'assistant.db'}"
    load_knowledge(engine=get_engine(db_url))
    env = dict(env)
    env.update(
        DATABASE_URL=db_url,
        TRACKER_DB_URL=f"sqlite:///{tmp / 'tracker.db'}",
        RASA_PORT=str(free_port()),
        ACTION_PORT=str(free_port()),
        GATEWAY_PORT=str(free_port()),
        LOG_DIR=str(tmp / "logs"),
        MODEL_PATH=str(models[-1]),
        RASA_TOKEN="bench",
    )
    settings = Settings.from_env(env)
    sup = Supervisor(settings)
    sup.start(only=["actions", "rasa"])
    try:
        sup.wait_ready(timeout=600, only=["actions", "rasa"])
    except Exception:
        sup.stop()
        raise
    from bot.channels import session_token

    secret = settings.session_secret.encode()
    procs = {"rasa": sup.procs["rasa"], "actions": sup.procs["actions"]}
    return Bot("ours", settings.rasa_port, procs, sup.stop, sign=lambda s: session_token.sign(s, secret))


def train_stock(workdir: Path, env: dict, diet_epochs: int, ted_epochs: int) -> tuple[Path, float]:
    import stock_bot

    stock_bot.write(workdir, diet_epochs=diet_epochs, ted_epochs=ted_epochs)
    t0 = time.monotonic()
    with open(workdir / "train.log", "w") as log:
        subprocess.run(
            [RASA, "train", "--num-threads", "2", "--out", "models", "--fixed-model-name", "stock"],
            cwd=workdir,
            env=env,
            check=True,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return workdir / "models" / "stock.tar.gz", round(time.monotonic() - t0, 1)


def start_stock(workdir: Path, model: Path, env: dict) -> Bot:
    port = free_port()
    log = open(workdir / "rasa.log", "w")
    proc = subprocess.Popen(
        [RASA, "run", "--model", str(model), "--port", str(port), "--enable-api", "--auth-token", "bench"],
        cwd=workdir,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )

    def stop():
        try:
            os.killpg(proc.pid, 15)
            proc.wait(30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, 9)

    try:
        wait_http(f"http://127.0.0.1:{port}/status?token=bench")
    except Exception:
        stop()
        raise
    return Bot("stock", port, {"rasa": proc}, stop)


# ---------------------------------------------------------------------- load


def _pct(values: list, p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return round(1000 * values[min(len(values) - 1, int(p * len(values)))], 1)


async def _load(bot: Bot, concurrency: int, seconds: float) -> dict:
    latencies: list = []
    errors = 0
    deadline = time.monotonic() + seconds
    run = uuid.uuid4().hex[:6]

    async def sender(i: int, session: aiohttp.ClientSession):
        nonlocal errors
        n = 0
        while time.monotonic() < deadline:
            # A fresh sender every 20 messages: short conversations, as most are.
            sender_id = bot.sign(f"bench-{run}-{concurrency}-{i}-{n // 20}")
            body = {"sender": sender_id, "message": MESSAGES[n % len(MESSAGES)]}
            t0 = time.perf_counter()
            try:
                async with session.post(bot.url, json=body, timeout=aiohttp.ClientTimeout(total=120)) as resp:
                    await resp.read()
                    if resp.status == 200:
                        latencies.append(time.perf_counter() - t0)
                    else:
                        errors += 1
            except Exception:
                errors += 1
            n += 1

    started = time.monotonic()
    async with aiohttp.ClientSession() as session:
        await asyncio.gather(*(sender(i, session) for i in range(concurrency)))
    elapsed = time.monotonic() - started
    return {
        "concurrency": concurrency,
        "requests": len(latencies),
        "errors": errors,
        "p50_ms": _pct(latencies, 0.50),
        "p95_ms": _pct(latencies, 0.95),
        "p99_ms": _pct(latencies, 0.99),
        "throughput_rps": round(len(latencies) / elapsed, 2),
    }


def load(bot: Bot, concurrency: int, seconds: float) -> dict:
    before = bot.cpu()
    result = asyncio.run(_load(bot, concurrency, seconds))
    after = bot.cpu()
    n = max(1, result["requests"])
    result["cpu_ms_per_msg"] = {k: round(1000 * (after[k] - before[k]) / n, 1) for k in before}
    return result


def assessment_script(turns: int) -> list[str]:
    """A full advanced self-assessment, every item with 详细 (details) and
    返回上一题 (back) then the answer again: about 300 turns."""
    from core.enterprise import credit_code
    from core.standards import catalogue

    code = credit_code.generate(seed=int(time.time()))
    script = ["我想做AEO自评", "高级认证企业", "基准测试贸易有限公司", code, "生产型", "都不涉及", "完整评估"]
    for item in catalogue.items("advanced"):
        verdict = ("符合" if item.number % 2 else "不符合") if item.additional else "达标"
        script += ["详细", verdict, "返回上一题", verdict]
    if len(script) < turns:
        raise SystemExit(f"assessment script has {len(script)} turns, fewer than {turns}")
    return script[:turns]


def conversation(bot: Bot, script: list[str]) -> dict:
    """One sender through ``script``; latency and CPU per turn, summarised
    around each of TURNS, and the replies' failure count."""
    sender = f"bench-long-{uuid.uuid4().hex[:8]}"
    lat, cpu, empty = [], [], 0
    for text in script:
        before = bot.cpu()
        t0 = time.perf_counter()
        req = urllib.request.Request(
            bot.url,
            data=json.dumps({"sender": bot.sign(sender), "message": text}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=120) as resp:
            replies = json.loads(resp.read())
        lat.append(time.perf_counter() - t0)
        after = bot.cpu()
        cpu.append({k: after[k] - before[k] for k in before})
        empty += not replies
    out: dict = {"turns": len(script), "empty_replies": empty, "sender": sender, "at": {}}
    for t in TURNS:
        lo, hi = max(0, t - WINDOW // 2), min(len(script), t + WINDOW // 2)
        if hi <= lo:
            continue
        window = slice(lo, hi)
        out["at"][str(t)] = {
            "turns": f"{lo + 1}-{hi}",
            "median_ms": round(1000 * statistics.median(lat[window]), 1),
            "cpu_ms_per_turn": {k: round(1000 * sum(c[k] for c in cpu[window]) / (hi - lo), 1) for k in cpu[0]},
        }
    return out


def tracker_events(bot: Bot, sender: str) -> dict:
    """Events of the conversation in Rasa's store, all sessions and the
    current one (what Rasa loads for each turn)."""
    url = f"http://127.0.0.1:{bot.port}/conversations/{sender}/tracker?token=bench"
    with urllib.request.urlopen(url, timeout=60) as resp:
        events = json.loads(resp.read())["events"]
    starts = [i for i, e in enumerate(events) if e.get("event") == "session_started"]
    return {"all_sessions": len(events), "current_session": len(events) - (starts[-1] if starts else 0)}


def measure(bot: Bot, levels: list, seconds: float, script: list[str], profile: float = 0) -> dict:
    load(bot, 1, 3)  # warm-up
    result: dict = {"load": [load(bot, c, seconds) for c in levels]}
    if profile:
        result["profile"] = run_profile(bot, profile)
    result["conversation"] = conversation(bot, script)
    result["conversation"]["tracker_events"] = tracker_events(bot, result["conversation"]["sender"])
    result["memory_mb"] = bot.memory()
    total_msgs = sum(r["requests"] for r in result["load"])
    result["cpu_ms_per_msg"] = {
        k: round(sum(r["cpu_ms_per_msg"][k] * r["requests"] for r in result["load"]) / max(1, total_msgs), 1)
        for k in bot.procs
    }
    return result


def measure_cluster(replicas: int, levels: list, seconds: float, env: dict) -> dict:
    """The same load through nginx in front of ``replicas`` Rasa replicas
    (bot/cluster.py: PostgreSQL tracker store, Redis lock store, action proxy)."""
    from bot.cluster import Cluster

    tmp = Path(tempfile.mkdtemp(prefix="cca-bench-cluster-"))
    os.chmod(tmp, 0o755)
    cenv = {k: v for k, v in env.items() if k not in ("DATABASE_URL", "TRACKER_DB_URL", "REDIS_URL")}
    port = free_port()
    cenv.update(
        RASA_PORT=str(port),
        ACTION_PORT=str(free_port()),
        GATEWAY_PORT=str(free_port()),
        PG_PORT=str(free_port()),
        REDIS_PORT=str(free_port()),
        PG_DATA_DIR=str(tmp / "pg" / "data"),
        REDIS_DIR=str(tmp / "redis"),
        REPLICAS=str(replicas),
        LOG_DIR=str(tmp / "logs"),
    )
    cluster = Cluster(env=cenv)
    t0 = time.monotonic()
    try:
        cluster.start(progress=lambda m: None)
        startup = round(time.monotonic() - t0, 1)
        from bot.channels import session_token

        secret = cluster.settings.session_secret.encode()
        bot = Bot("cluster", port, dict(cluster.sup.procs), cluster.stop, sign=lambda s: session_token.sign(s, secret))
        load(bot, 1, 3)
        results = [load(bot, c, seconds) for c in levels]
        return {"replicas": replicas, "startup_s": startup, "memory_mb": bot.memory(), "load": results}
    finally:
        cluster.stop()
        shutil.rmtree(tmp, ignore_errors=True)


# ------------------------------------------------------------------- profile


def run_profile(bot: Bot, seconds: float) -> dict:
    """py-spy (sampling, 100 Hz, only while a thread holds the GIL: Python
    work, not waits for the disk or the network) on each process while 8
    senders load the bot;
    the stacks go to bench/profile-<bot>-<process>.txt and are summarised by
    stage (bench/profile_summary.py)."""
    import profile_summary

    spy = str(ROOT / ".venv" / "bin" / "py-spy")
    if not Path(spy).exists():
        spy = shutil.which("py-spy") or ""
    if not spy:
        return {"error": "py-spy not installed (pip install py-spy)"}
    out: dict = {}
    spies = {}
    for name, proc in bot.procs.items():
        raw = BENCH / f"profile-{bot.name}-{name}.txt"
        spies[name] = (
            subprocess.Popen(
                [
                    spy,
                    "record",
                    "--pid",
                    str(proc.pid),
                    "--duration",
                    str(int(seconds)),
                    "--rate",
                    "100",
                    "--gil",
                    "--format",
                    "raw",
                    "--output",
                    str(raw),
                    "--nonblocking",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            ),
            raw,
        )
    time.sleep(1)
    out["load"] = load(bot, 8, seconds - 2)
    for name, (p, raw) in spies.items():
        p.wait(60)
        if raw.exists():
            out[name] = profile_summary.summarise(raw.read_text())
    return out


# -------------------------------------------------------------------- report


def _ratio(a, b) -> str:
    try:
        return f"{a / b:.2f}"
    except (TypeError, ZeroDivisionError):
        return "-"


def table(r: dict) -> str:
    o, s = r["ours"], r.get("stock") or {}
    lines = [
        f"Measured {r['date']} on {r['machine']}{' (' + r['note'] + ')' if r.get('note') else ''}.",
        "",
        "| metric | ours | stock zh bot | ratio | target |",
        "|---|---|---|---|---|",
    ]

    def row(name, a, b, target=""):
        ratio = _ratio(a, b)
        lines.append(f"| {name} | {a} | {b if b is not None else '-'} | {ratio} | {target} |")

    oc, sc = o["cpu_ms_per_msg"], s.get("cpu_ms_per_msg", {})
    row("CPU ms/msg, Rasa process", oc["rasa"], sc.get("rasa"), "≤ 1.0")
    row("CPU ms/msg, Rasa + action server", round(oc["rasa"] + oc["actions"], 1), sc.get("rasa"), "≤ 1.2")
    for i, lo in enumerate(o["load"]):
        ls = s["load"][i] if s.get("load") else {}
        c = lo["concurrency"]
        senders = f"{c} sender{'s' if c > 1 else ''}"
        pcts = lambda r: f"{r['p50_ms']} / {r['p95_ms']} / {r['p99_ms']}" if r else "-"  # noqa: E731
        lines.append(
            f"| p50 / p95 / p99 ms, {senders} | {pcts(lo)} | {pcts(ls)} | "
            f"p95 {_ratio(lo['p95_ms'], ls.get('p95_ms'))} | {'p95 ≤ 1.2' if c == 8 else ''} |"
        )
        row(f"throughput msg/s, {senders}", lo["throughput_rps"], ls.get("throughput_rps"), "≥ 0.9" if c == 8 else "")
    oconv, sconv = o["conversation"]["at"], (s.get("conversation") or {}).get("at", {})
    for t in TURNS:
        a, b = oconv[str(t)], sconv.get(str(t), {})
        row(f"turn {t} of one conversation (turns {a['turns']}): median ms", a["median_ms"], b.get("median_ms"))
    for t in TURNS:
        a, b = oconv[str(t)], sconv.get(str(t), {})
        row(f"turn {t}: Rasa CPU ms/turn", a["cpu_ms_per_turn"]["rasa"], (b.get("cpu_ms_per_turn") or {}).get("rasa"))
    first, last = oconv[str(TURNS[0])], oconv[str(TURNS[-1])]
    sf, sl = sconv.get(str(TURNS[0])), sconv.get(str(TURNS[-1]))
    lines.append(
        f"| turn {TURNS[-1]} ÷ turn {TURNS[0]}, median latency | {_ratio(last['median_ms'], first['median_ms'])} | "
        f"{_ratio(sl['median_ms'], sf['median_ms']) if sf else '-'} | - | ours ≤ 1.3 |"
    )
    lines.append(
        f"| turn {TURNS[-1]} ÷ turn {TURNS[0]}, Rasa CPU | "
        f"{_ratio(last['cpu_ms_per_turn']['rasa'], first['cpu_ms_per_turn']['rasa'])} | "
        f"{_ratio(sl['cpu_ms_per_turn']['rasa'], sf['cpu_ms_per_turn']['rasa']) if sf else '-'} | - | ours ≤ 1.3 |"
    )
    te = o["conversation"].get("tracker_events") or {}
    ste = (s.get("conversation") or {}).get("tracker_events") or {}
    lines.append(
        f"| tracker events after {o['conversation']['turns']} turns (current session / stored) | "
        f"{te.get('current_session')} / {te.get('all_sessions')} | {ste.get('current_session')} / {ste.get('all_sessions')} | - | bounded |"
    )
    om, sm = o["memory_mb"], s.get("memory_mb", {})
    row("memory MB, Rasa process", om["rasa"], sm.get("rasa"), "no higher than before")
    row("memory MB, action server", om["actions"], None)
    row("training s", o.get("train_s", "-"), s.get("train_s"))
    row("start-up s (process start → answering)", o["startup_s"], s.get("startup_s"))
    rep = r.get("replicated")
    if rep:
        for i, lo in enumerate(o["load"]):
            lr = rep["load"][i]
            lines.append(
                f"| throughput msg/s, {lo['concurrency']} senders: {rep['replicas']} replicas vs 1 | "
                f"{lr['throughput_rps']} | {lo['throughput_rps']} (1 replica) | {_ratio(lr['throughput_rps'], lo['throughput_rps'])} | |"
            )
    if "scoring" in r:
        lines.append(f"| scoring 74 items (ms) | {r['scoring']['score_74_items_ms']} | - | - | < 5 |")
    return "\n".join(lines) + "\n"


def scoring_bench() -> dict:
    from core.standards import catalogue, scoring

    answers = {i.number: ("符合" if i.additional else "达标") for i in catalogue.items("advanced")}
    scoring.score("advanced", answers)
    n = 2000
    t0 = time.perf_counter()
    for _ in range(n):
        scoring.score("advanced", answers)
    return {"score_74_items_ms": round(1000 * (time.perf_counter() - t0) / n, 3)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--levels", default="1,8,32", help="concurrent senders, comma-separated")
    ap.add_argument("--seconds", type=float, default=20, help="seconds of load per level")
    ap.add_argument("--turns", type=int, default=260, help="turns of the long conversation (at least 255)")
    ap.add_argument("--quick", action="store_true", help="8 s per level, DIET/TED 10/5 epochs")
    ap.add_argument("--skip-stock", action="store_true")
    ap.add_argument("--skip-ours", action="store_true")
    ap.add_argument("--stock-model", help="reuse a trained stock model (.tar.gz)")
    ap.add_argument("--profile", type=float, default=0, help="also profile ours with py-spy for this many seconds")
    ap.add_argument("--replicas", type=int, default=0, help="also load the replicated setup with N replicas")
    ap.add_argument("--note", default="", help="a note printed with the date (e.g. 'machine shared')")
    args = ap.parse_args()
    if args.quick:
        args.seconds = min(args.seconds, 8)
    if args.turns < TURNS[-1] + WINDOW // 2:
        ap.error(f"--turns must be at least {TURNS[-1] + WINDOW // 2}")
    levels = [int(x) for x in args.levels.split(",")]
    env = dict(os.environ, SQLALCHEMY_SILENCE_UBER_WARNING="1", TF_CPP_MIN_LOG_LEVEL="2", PYTHONPATH=str(ROOT))
    report: dict = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"{round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB, "
        f"Python {platform.python_version()}",
        "load_average_at_start": os.getloadavg()[0],
        "note": args.note,
        "levels": levels,
        "seconds_per_level": args.seconds,
    }
    report["scoring"] = scoring_bench()
    tmp = Path(tempfile.mkdtemp(prefix="cca-bench-"))
    try:
        if not args.skip_stock:
            stock_dir = tmp / "stock"
            if args.stock_model:
                model, train_s = Path(args.stock_model).resolve(), None
            else:
                print("[bench] training the stock bot ...", flush=True)
                epochs = (10, 5) if args.quick else (25, 15)
                model, train_s = train_stock(stock_dir, env, *epochs)
            stock_dir.mkdir(parents=True, exist_ok=True)
            print("[bench] starting the stock bot ...", flush=True)
            t0 = time.monotonic()
            bot = start_stock(stock_dir, model, env)
            startup = round(time.monotonic() - t0, 1)
            try:
                print("[bench] measuring the stock bot ...", flush=True)
                script = [MESSAGES[i % len(MESSAGES)] for i in range(args.turns)]
                report["stock"] = {
                    **measure(bot, levels, args.seconds, script),
                    "startup_s": startup,
                    "train_s": train_s,
                }
            finally:
                bot.stop()
        if not args.skip_ours:
            print("[bench] starting ours ...", flush=True)
            t0 = time.monotonic()
            bot = start_ours(tmp / "ours", env)
            startup = round(time.monotonic() - t0, 1)
            try:
                print("[bench] measuring ours ...", flush=True)
                report["ours"] = {
                    **measure(bot, levels, args.seconds, assessment_script(args.turns), args.profile),
                    "startup_s": startup,
                }
            finally:
                bot.stop()
        if args.replicas >= 2:
            print(f"[bench] the replicated setup with {args.replicas} replicas ...", flush=True)
            report["replicated"] = measure_cluster(args.replicas, levels, args.seconds, env)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    stamp = time.strftime("%Y-%m-%d-%H%M", time.gmtime())
    text = json.dumps(report, indent=2, ensure_ascii=False)
    (BENCH / f"results-{stamp}.json").write_text(text)
    (BENCH / "results-latest.json").write_text(text)
    md = table(report) if "ours" in report else ""
    (BENCH / "results-latest.md").write_text(md)
    print("\n" + md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
