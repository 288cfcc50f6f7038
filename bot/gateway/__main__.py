"""python -m bot.gateway: run the web gateway (GATEWAY_HOST / GATEWAY_PORT)."""

import logging
import os

from aiohttp import web

from .app import create_app
from .config import GatewayConfig
from .security import PathOnlyAccessLogger


def main() -> None:
    logging.basicConfig(
        level=os.environ.get("GATEWAY_LOG_LEVEL", "INFO").upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    cfg = GatewayConfig.from_env()
    app = create_app(cfg)
    logging.getLogger("bot.gateway").info("listening on http://%s:%d", cfg.host, cfg.port)
    web.run_app(app, host=cfg.host, port=cfg.port, print=None, access_log_class=PathOnlyAccessLogger)


if __name__ == "__main__":
    main()
