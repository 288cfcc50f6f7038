"""A stand-in for Rasa's socketio + rest channels (for developing the browser
tests without a trained model). Mimics rasa/core/channels/socketio.py with
session_persistence: session_request -> session_confirm + enter_room; replies
emitted as bot_uttered to the session's room.

    python tests/web/standin_rasa.py --port 5005
"""

from __future__ import annotations

import argparse
import re
import uuid
from collections import defaultdict

import socketio
from aiohttp import web

sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins="*")
turns = defaultdict(int)
CJK = re.compile(r"[\u3400-\u9fff]")


def reply_for(sender: str, msg: str):
    turns[sender] += 1
    n = turns[sender]
    if msg in ("/greet", "你好", "hello") or msg.startswith("/greet"):
        return [
            {
                "text": "您好！我是海关信用培育智能助手。",
                "quick_replies": [
                    {"content_type": "text", "title": "政策问答", "payload": "/ask_policy"},
                    {"content_type": "text", "title": "自我评估", "payload": "/start_assessment"},
                ],
            }
        ]
    if msg.startswith("/"):
        return [{"text": f"已选择 {msg}（第{n}轮）"}]
    if not CJK.search(msg) and len(re.findall(r"[A-Za-z]{2,}", msg)) >= 2:
        # English in, English out; some real English answers quote a Chinese term like this one
        return [{"text": f"You asked: {msg} (turn {n}). Certified enterprises (认证企业) meet the general standards."}]
    if any(k in msg for k in ("政策", "标准", "认证", "policy")):
        return [
            {"text": "高级认证企业应当符合通用标准和相应的单项标准。"},
            {"text": "来源：《海关注册登记和备案企业信用管理办法》"},
        ]
    if "报告" in msg:
        return [{"text": "报告已生成"}, {"type": "link", "url": "http://127.0.0.1/report.pdf", "title": "评估报告"}]
    return [{"text": f"您说：{msg}（第{n}轮）"}]


@sio.on("session_request")
async def session_request(sid, data):
    data = data or {}
    session_id = data.get("session_id") or uuid.uuid4().hex
    sio.enter_room(sid, session_id)  # sync in python-socketio 5.9
    await sio.emit("session_confirm", session_id, room=sid)


@sio.on("user_uttered")
async def user_uttered(sid, data):
    sender = (data or {}).get("session_id")
    if not sender:
        return
    for m in reply_for(sender, str(data.get("message", ""))):
        await sio.emit("bot_uttered", m, room=sender)


async def rest(request):
    body = await request.json()
    out = []
    for m in reply_for(body["sender"], body.get("message", "")):
        m = dict(m)
        if "quick_replies" in m:
            m["buttons"] = [{"title": b["title"], "payload": b["payload"]} for b in m.pop("quick_replies")]
        out.append({"recipient_id": body["sender"], **m})
    return web.json_response(out)


def make_app() -> web.Application:
    app = web.Application()
    sio.attach(app, socketio_path="/socket.io/")
    app.router.add_post("/webhooks/rest/webhook", rest)
    app.router.add_get("/", lambda r: web.json_response({"standin": True}))
    return app


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=5005)
    args = ap.parse_args()
    web.run_app(make_app(), host="127.0.0.1", port=args.port, print=None)
