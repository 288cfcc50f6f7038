"""Rasa input channels that accept only server-signed session ids
(session_token.py). Configured in credentials.yml in place of Rasa's ``rest``
and ``socketio``; the URLs stay the same (/webhooks/rest/webhook, /socket.io).

* REST: ``sender`` must be a signed token (the web gateway signs its WeChat /
  WeCom senders; tests sign theirs); anything else gets 401. Rasa sees only
  the sender id part. ``input_channel`` can no longer be chosen by the caller.
* socket.io: ``session_request`` with a valid token joins that conversation;
  without one (first visit, or a client-chosen / altered id) the server issues
  a new signed session in ``session_confirm``, so a second socket cannot join a
  conversation by naming its id. Every ``user_uttered`` is checked the same way.
  ``session_end`` (the widget's "新对话", the kiosk's idle reset) ends the
  conversation's enterprise binding on the server.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic.exceptions import Unauthorized

from bot.channels import session_token

logger = logging.getLogger(__name__)


def _end_binding(sender: str) -> None:
    from core.enterprise import binding

    binding.unbind(sender)


class SignedRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def __init__(self) -> None:
        self.secret = session_token.secret_from_env()

    async def _extract_sender(self, req) -> str | None:
        body = req.json if isinstance(req.json, dict) else {}
        sender = session_token.verify(body.get("sender"), self.secret)
        if sender is None:
            raise Unauthorized("sender must be a session id signed by the server")
        return sender

    def _extract_input_channel(self, req) -> str:
        return self.name()


class SignedSocketIOInput(SocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.secret = session_token.secret_from_env()
        self.session_persistence = True  # rooms are keyed by the signed session

    def blueprint(self, on_new_message):
        bp = super().blueprint(on_new_message)
        sio = self.sio
        ns = self.namespace

        @sio.on("session_request", namespace=ns)
        async def session_request(sid: str, data: dict | None) -> None:
            token = (data or {}).get("session_id") if isinstance(data, dict) else None
            sender = session_token.verify(token, self.secret)
            if sender is None:
                if token:
                    logger.info("socket.io: an unsigned or altered session id was refused; issuing a new session")
                token = session_token.new_session(self.secret)
                sender = session_token.verify(token, self.secret)
            for room in sio.rooms(sid, namespace=ns):
                if room != sid:
                    sio.leave_room(sid, room, namespace=ns)
            sio.enter_room(sid, sender, namespace=ns)
            await sio.emit("session_confirm", token, room=sid, namespace=ns)

        @sio.on(self.user_message_evt, namespace=ns)
        async def handle_message(sid: str, data: dict) -> None:
            if not isinstance(data, dict):
                return
            sender = session_token.verify(data.get("session_id"), self.secret)
            if sender is None or sender not in sio.rooms(sid, namespace=ns):
                logger.info(
                    "socket.io: a message with an unsigned session id, or one this socket did not join, was ignored"
                )
                await sio.emit("session_invalid", {}, room=sid, namespace=ns)
                return
            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            message = UserMessage(
                str(data.get("message") or ""),
                SocketIOOutput(sio, self.bot_message_evt),
                sender,
                input_channel=self.name(),
                metadata=metadata if isinstance(metadata, dict) else {},
            )
            await on_new_message(message)

        @sio.on("session_end", namespace=ns)
        async def session_end(sid: str, data: dict | None) -> None:
            sender = session_token.verify(
                (data or {}).get("session_id") if isinstance(data, dict) else None, self.secret
            )
            if sender is None:
                return
            try:
                await asyncio.to_thread(_end_binding, sender)
            except Exception:
                logger.exception("socket.io: could not end the session's enterprise binding")
            sio.leave_room(sid, sender, namespace=ns)

        return bp
