"""Reminders of due and overdue cultivation tasks, pushed through the channel
the enterprise last used, where that channel can send unprompted messages
(WeChat Official Account customer-service messages, WeCom application
messages). Web chat and the kiosk cannot reach a user who is not connected;
their tasks show up the next time the user asks for progress.

The gateway runs :func:`run_once` every REMINDER_INTERVAL_SECONDS (3600; 0
disables). Each task is reminded at most once a day (ReminderLog), and with
several gateway replicas only one of them runs at a time (``cluster_lock``:
Redis when REDIS_URL is set, else the shared database), so a task is not
reminded once per replica.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
from collections.abc import Mapping

from bot.gateway import cluster_lock
from core.cultivation import store as cs

logger = logging.getLogger(__name__)


def reminder_text(tasks: list, lang: str = "zh") -> str:
    lines = [
        "【信用培育提醒】以下任务即将到期或已逾期："
        if lang == "zh"
        else "[Credit cultivation] Tasks due soon or overdue:"
    ]
    for t in tasks:
        num = (t.get("item_ref") or "").split(":")[-1]
        title = (t.get("title") or {}).get(lang) or (t.get("title") or {}).get("zh", "")
        state = (
            ("已逾期" if lang == "zh" else "overdue")
            if t.get("overdue")
            else (("截止" if lang == "zh" else "due ") + t.get("due_date", ""))
        )
        lines.append(f"· 第{num}项 {title}（{state}）" if lang == "zh" else f"· Item {num} {title} ({state})")
    lines.append(
        "回复“我的培育进度”查看详情，完成后回复“第N项已完成”。"
        if lang == "zh"
        else "Reply “my progress” for details, “item N done” when finished."
    )
    return "\n".join(lines)


async def send_due_reminders(channels: Mapping[str, object], today: dt.date | None = None, engine=None) -> int:
    """Send today's reminders; returns how many enterprises were reminded."""
    sent = 0
    for group in await asyncio.to_thread(cs.due_reminders, today, engine=engine):
        sender = group.get("sender") or ""
        kind, _, user = sender.partition(":")
        channel = channels.get(kind)
        if channel is None or not user:
            continue  # web/kiosk, or a channel not configured: nothing can be pushed
        try:
            await channel.api.send_text(user, reminder_text(group["tasks"]))
        except Exception as exc:
            logger.warning("reminder to %s failed: %s", group["enterprise_code"], exc)
            continue
        await asyncio.to_thread(
            cs.record_reminder,
            group["enterprise_code"],
            [t["id"] for t in group["tasks"]],
            today,
            channel=kind,
            sender=sender,
            engine=engine,
        )
        sent += 1
    return sent


async def run_once(
    channels: Mapping[str, object], *, redis_url: str | None = None, today: dt.date | None = None, engine=None
) -> int | None:
    """One reminder run for the whole cluster; None when another gateway is running it."""
    async with cluster_lock.exclusive("reminders", redis_url=redis_url, engine=engine) as held:
        if not held:
            logger.info("another gateway is sending the reminders")
            return None
        return await send_due_reminders(channels, today, engine=engine)


async def reminder_loop(channels: Mapping[str, object], interval: float, redis_url: str | None = None) -> None:
    while True:
        try:
            n = await run_once(channels, redis_url=redis_url)
            if n:
                logger.info("sent cultivation reminders to %d enterprise(s)", n)
        except Exception:
            logger.exception("reminder run failed")
        await asyncio.sleep(interval)


def interval_from_env() -> float:
    try:
        return float(os.environ.get("REMINDER_INTERVAL_SECONDS", "3600"))
    except ValueError:
        return 3600.0
