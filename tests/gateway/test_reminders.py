"""Due-task reminders go out through the channel the enterprise last used."""

from __future__ import annotations

import datetime as dt

from bot.gateway import reminders
from core.cultivation import store as cs
from core.db import create_schema, get_engine
from core.enterprise import credit_code
from core.enterprise import session as enterprise_session


class FakeApi:
    def __init__(self, fail=False):
        self.sent, self.fail = [], fail

    async def send_text(self, user, text):
        if self.fail:
            raise RuntimeError("API down")
        self.sent.append((user, text))


class FakeChannel:
    def __init__(self, api):
        self.api = api


async def test_reminders_reach_wechat_users_once_a_day(tmp_path):
    engine = create_schema(get_engine(f"sqlite:///{tmp_path / 'r.db'}"))
    wechat_ent, web_ent = credit_code.generate(seed=501), credit_code.generate(seed=502)
    day0 = dt.date(2026, 1, 1)
    for code, sender, channel in ((wechat_ent, "wechat_mp:openid-1", "rest"), (web_ent, "web-session-9", "socketio")):
        cs.plan_from_gaps(
            code,
            [{"item": 18, "label": "单次处罚", "verdict": "不达标", "dimension": "守法规范", "standard": "advanced"}],
            day0,
            engine=engine,
        )
        assert enterprise_session.remember_channel(code, channel, sender, engine=engine)
    api = FakeApi()
    channels = {"wechat_mp": FakeChannel(api), "wecom": None}
    late = day0 + dt.timedelta(days=40)  # the 30-day task is overdue
    assert await reminders.send_due_reminders(channels, late, engine=engine) == 1
    assert api.sent and api.sent[0][0] == "openid-1" and "已逾期" in api.sent[0][1]
    # not twice on the same day
    assert await reminders.send_due_reminders(channels, late, engine=engine) == 0
    # a failed send is retried at the next run
    failing = {"wechat_mp": FakeChannel(FakeApi(fail=True))}
    assert await reminders.send_due_reminders(failing, late + dt.timedelta(days=1), engine=engine) == 0
    assert await reminders.send_due_reminders(channels, late + dt.timedelta(days=1), engine=engine) == 1
