"""The replicated setup on one machine (``make run-cluster``).

Rasa's own scaling model: N stateless Rasa servers sharing a PostgreSQL
tracker store and a Redis lock store, behind nginx (sticky by client address,
which socket.io needs); N action servers behind the action proxy
(bot/action_proxy.py); the knowledge/assessment database on the same
PostgreSQL; the web gateway in front of it all.

    port 5005  nginx  ──▶ rasa-1 :5011, rasa-2 :5012 ...  (tracker: PostgreSQL, lock: Redis)
    port 5055  action proxy ──▶ actions-1 :5061, actions-2 :5062 ...
    port 8080  web gateway (WeChat de-duplication in Redis)
    PostgreSQL :5433 (var/pg), Redis :6380 — started here unless DATABASE_URL,
    TRACKER_DB_URL and REDIS_URL point at existing servers.

Environment: REPLICAS (2), RASA_PORT, ACTION_PORT, GATEWAY_PORT, PG_PORT (5433),
REDIS_PORT (6380), and the variables of bot/launcher.py.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from bot.launcher import (
    VAR,
    ProcSpec,
    Settings,
    Supervisor,
    action_command,
    endpoints_yaml,
    rasa_command,
    supervise,
    write_private,
)
from bot.services import INSTALL_HINT, PostgresServer, RedisServer, ServiceError

NGINX_CONF = """
worker_processes 2;
pid {var}/nginx-{port}.pid;
error_log {var}/log/nginx-{port}.error.log warn;
events {{ worker_connections 2048; }}
http {{
  access_log off;
  client_body_temp_path {var}/nginx-tmp/body;
  proxy_temp_path {var}/nginx-tmp/proxy;
  fastcgi_temp_path {var}/nginx-tmp/fastcgi;
  uwsgi_temp_path {var}/nginx-tmp/uwsgi;
  scgi_temp_path {var}/nginx-tmp/scgi;
  client_max_body_size 1m;
  # socket.io long-polling needs every request of a client on the same replica;
  # REST calls carry the sender id and may go anywhere (state is in PostgreSQL,
  # the Redis lock store orders each sender's turns).
  upstream rasa_sticky {{
    ip_hash;
{servers}
  }}
  upstream rasa {{
    least_conn;
{servers}
  }}
  map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
  server {{
    listen {host}:{port};
    location /socket.io/ {{
      proxy_pass http://rasa_sticky;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $host;
      proxy_read_timeout 120s;
    }}
    location / {{
      proxy_pass http://rasa;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $host;
      proxy_read_timeout 120s;
      proxy_next_upstream error timeout;
    }}
  }}
}}
"""


def nginx_conf(settings: Settings, replica_ports: list) -> str:
    servers = "\n".join(f"    server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;" for p in replica_ports)
    return NGINX_CONF.format(var=VAR, port=settings.rasa_port, host=settings.host, servers=servers)


class Cluster:
    def __init__(self, env: dict | None = None, replicas: int | None = None):
        env = dict(os.environ if env is None else env)
        self.replicas = replicas or int(env.get("REPLICAS", "2"))
        if self.replicas < 1:
            raise SystemExit("REPLICAS must be at least 1")
        self.pg: PostgresServer | None = None
        self.redis: RedisServer | None = None
        self.env = env
        self.settings: Settings | None = None
        self.sup: Supervisor | None = None

    # ---- backing services
    def start_services(self) -> None:
        env = self.env
        if not env.get("DATABASE_URL") or not env.get("TRACKER_DB_URL"):
            data_dir = Path(env.get("PG_DATA_DIR") or VAR / "pg" / "data")
            self.pg = PostgresServer(data_dir, int(env.get("PG_PORT", "5433"))).start()
            env.setdefault("DATABASE_URL", self.pg.url("cca"))
            env.setdefault("TRACKER_DB_URL", self.pg.url("cca_tracker"))
        if not env.get("REDIS_URL"):
            self.redis = RedisServer(
                int(env.get("REDIS_PORT", "6380")), Path(env["REDIS_DIR"]) if env.get("REDIS_DIR") else None
            ).start()
            env["REDIS_URL"] = self.redis.url

    def prepare_database(self) -> None:
        from core.db import create_schema, get_engine
        from core.knowledge.loader import load_knowledge

        engine = create_schema(get_engine(self.env["DATABASE_URL"]))
        report = load_knowledge(engine=engine)
        print(
            f"  knowledge in PostgreSQL: {'loaded' if report.changed else 'unchanged'} ({report.counts['policy_entries']} entries)"
        )

    # ---- processes
    def specs(self) -> dict:
        s = self.settings
        specs = {}
        action_ports = [s.action_port + 6 + i for i in range(self.replicas)]  # 5061, 5062, ...
        rasa_ports = [s.rasa_port + 6 + i for i in range(self.replicas)]  # 5011, 5012, ...
        for i, port in enumerate(action_ports, 1):
            specs[f"actions-{i}"] = ProcSpec(action_command(s, port), f"http://127.0.0.1:{port}/health")
        specs["action-proxy"] = ProcSpec(
            [sys.executable, "-m", "bot.action_proxy"],
            f"http://127.0.0.1:{s.action_port}/health",
            {
                "ACTION_BACKENDS": ",".join(f"http://127.0.0.1:{p}" for p in action_ports),
                "ACTION_PROXY_PORT": str(s.action_port),
            },
        )
        endpoints = VAR / f"endpoints.cluster.{s.rasa_port}.yml"
        write_private(endpoints, endpoints_yaml(s))
        for i, port in enumerate(rasa_ports, 1):
            specs[f"rasa-{i}"] = ProcSpec(
                rasa_command(s, port, "127.0.0.1", endpoints),
                f"http://127.0.0.1:{port}/status?token={s.rasa_token}",
            )
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(nginx).exists():
            raise ServiceError(f"nginx was not found. {INSTALL_HINT}")
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (VAR / "nginx-tmp" / sub).mkdir(parents=True, exist_ok=True)
        conf = VAR / f"nginx-{s.rasa_port}.conf"
        conf.write_text(nginx_conf(s, rasa_ports), encoding="utf-8")
        specs["nginx"] = ProcSpec([nginx, "-c", str(conf), "-g", "daemon off;"], f"http://127.0.0.1:{s.rasa_port}/")
        specs["gateway"] = ProcSpec([sys.executable, "-m", "bot.gateway"], f"http://127.0.0.1:{s.gateway_port}/healthz")
        self.rasa_ports, self.action_ports = rasa_ports, action_ports
        return specs

    def start(self, progress=print) -> None:
        (VAR / "log").mkdir(parents=True, exist_ok=True)
        self.start_services()
        self.prepare_database()
        self.settings = Settings.from_env(self.env)
        self.sup = Supervisor(self.settings, specs=self.specs())
        self.sup.start(only=[n for n in self.sup.specs if not n.startswith("rasa-") and n != "nginx"])
        self.sup.wait_ready(progress=progress)
        # Rasa replicas load their models in parallel (about 80 s each on 2 cores). nginx starts
        # once they answer: probed while they load, it would mark them failed (max_fails) and
        # answer 502 "no live upstreams" for fail_timeout after they are up.
        replicas = [n for n in self.sup.specs if n.startswith("rasa-")]
        self.sup.start(only=replicas)
        self.sup.wait_ready(timeout=600, progress=progress, only=replicas)
        self.sup.start(only=["nginx"])
        self.sup.wait_ready(timeout=60, progress=progress, only=["nginx"])

    def stop(self) -> None:
        if self.sup:
            self.sup.stop()
        if self.redis:
            self.redis.stop()
        if self.pg and not self.env.get("KEEP_POSTGRES"):
            self.pg.stop()


def main() -> int:
    cluster = Cluster()
    print(
        f"Starting the replicated assistant ({cluster.replicas} Rasa replicas, {cluster.replicas} action servers, PostgreSQL, Redis, nginx) ..."
    )

    def banner() -> str:
        s = cluster.settings
        return (
            "\nThe replicated assistant is running:\n"
            f"  web chat         http://localhost:{s.gateway_port}/\n"
            f"  REST (nginx)     http://localhost:{s.rasa_port}/webhooks/rest/webhook\n"
            f"  replicas         {', '.join(f':{p}' for p in cluster.rasa_ports)}; action servers {', '.join(f':{p}' for p in cluster.action_ports)} behind :{s.action_port}\n"
            f"  PostgreSQL       {cluster.env['DATABASE_URL'].rsplit('@', 1)[-1]}; Redis {cluster.env['REDIS_URL']}\n"
            "Press Ctrl-C to stop."
        )

    def start():
        try:
            cluster.start(progress=lambda m: print(m, flush=True))
        except ServiceError as exc:
            raise RuntimeError(str(exc)) from exc

    return supervise(lambda: cluster.sup.procs if cluster.sup else {}, cluster.stop, start, banner)


if __name__ == "__main__":
    raise SystemExit(main())
