"""The action server, closed: rasa-sdk's app with a shared secret on every call.

rasa-sdk 3.6's action server has no authentication and listens on 0.0.0.0 by
default. This wrapper builds the same Sanic app (``rasa_sdk.endpoint.create_app``),
answers 401 to any call to /webhook or /actions without
``Authorization: Bearer <ACTION_SECRET>`` (Rasa sends it: see the
action_endpoint headers in the endpoints file the launcher writes; the action
proxy passes it on), binds 127.0.0.1 unless ACTION_HOST says otherwise, and
allows no browser origin. /health stays open (it says only "ok").

    ACTION_SECRET=... python -m bot.action_server --port 5055 [--host 127.0.0.1]
"""

from __future__ import annotations

import argparse
import hmac
import logging
import os

HEADER = "Authorization"


def authorised(header_value: str | None, secret: str) -> bool:
    scheme, _, value = (header_value or "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(value.strip().encode(), secret.encode())


def auth_headers(secret: str) -> dict:
    return {HEADER: f"Bearer {secret}"}


def create_app(secret: str, package: str = "actions"):
    from rasa_sdk.endpoint import create_app as sdk_app
    from sanic import response

    if len(secret) < 16:
        raise SystemExit(
            "ACTION_SECRET is not set (or shorter than 16 characters): refusing to start an open action server"
        )
    app = sdk_app(package, cors_origins=None)

    @app.on_request
    async def check_secret(request):
        if request.path == "/health":
            return None
        if not authorised(request.headers.get(HEADER), secret):
            return response.json({"error": "unauthorised"}, status=401)
        return None

    return app


def main(argv: list | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("ACTION_PORT", "5055")))
    parser.add_argument("--host", default=os.environ.get("ACTION_HOST", "127.0.0.1"))
    parser.add_argument("--actions", default="actions")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    app = create_app(os.environ.get("ACTION_SECRET", "").strip(), args.actions)
    logging.getLogger("action_server").info("action server on http://%s:%d (secret required)", args.host, args.port)
    app.run(args.host, args.port, workers=1, access_log=False)


if __name__ == "__main__":
    main()
