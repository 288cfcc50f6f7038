"""Due-task reminders go out through the channel the enterprise last used."""

from __future__ import annotations

import datetime as dt

import pytest

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


class SlowApi(FakeApi):
    """A send that takes a while, so two gateways' runs overlap."""

    async def send_text(self, user, text):
        import asyncio

        await asyncio.sleep(0.3)
        await super().send_text(user, text)


def _due_plan(tmp_path, seed, engine=None):
    engine = engine or create_schema(get_engine(f"sqlite:///{tmp_path / 'shared.db'}"))
    code = credit_code.generate(seed=seed)
    gap = {"item": 18, "label": "单次处罚", "verdict": "不达标", "dimension": "守法规范", "standard": "advanced"}
    cs.plan_from_gaps(code, [gap], dt.date(2026, 1, 1), engine=engine)
    assert enterprise_session.remember_channel(code, "rest", "wechat_mp:openid-7", engine=engine)
    return engine, dt.date(2026, 2, 15)


async def test_two_gateways_on_one_database_remind_once(tmp_path):
    import asyncio

    engine, late = _due_plan(tmp_path, 601)
    # Two gateway replicas, each with its own channel clients, run their reminder loop at the same time.
    apis = [SlowApi(), SlowApi()]
    runs = [reminders.run_once({"wechat_mp": FakeChannel(api)}, today=late, engine=engine) for api in apis]
    results = await asyncio.gather(*runs)
    assert sorted(results, key=str) == [1, None]
    assert sum(len(api.sent) for api in apis) == 1
    # Later runs (either replica) find the task already reminded today.
    assert await reminders.run_once({"wechat_mp": FakeChannel(apis[0])}, today=late, engine=engine) == 0


async def test_without_the_lock_both_replicas_would_send(tmp_path):
    """The situation the lock prevents, so the test above can fail."""
    import asyncio

    engine, late = _due_plan(tmp_path, 602)
    apis = [SlowApi(), SlowApi()]
    await asyncio.gather(
        *(reminders.send_due_reminders({"wechat_mp": FakeChannel(api)}, late, engine=engine) for api in apis)
    )
    assert sum(len(api.sent) for api in apis) == 2


@pytest.fixture
def redis_url(tmp_path):
    from bot.services import RedisServer, ServiceError
    from tests.ports import free_port

    port = free_port()
    try:
        server = RedisServer(port, tmp_path / "redis").start()
    except ServiceError as exc:
        pytest.skip(str(exc))
    try:
        yield server.url
    finally:
        server.stop()


async def test_two_gateways_sharing_redis_remind_once(tmp_path, redis_url):
    import asyncio

    engine, late = _due_plan(tmp_path, 603)
    apis = [SlowApi(), SlowApi()]
    runs = [
        reminders.run_once({"wechat_mp": FakeChannel(api)}, redis_url=redis_url, today=late, engine=engine)
        for api in apis
    ]
    assert sorted(await asyncio.gather(*runs), key=str) == [1, None]
    assert sum(len(api.sent) for api in apis) == 1
    # The lock is released after the run.
    assert await reminders.run_once({}, redis_url=redis_url, today=late, engine=engine) == 0


@pytest.mark.cluster
async def test_two_gateways_on_postgresql_remind_once(tmp_path, postgres_server):
    import asyncio

    if postgres_server is None:
        pytest.skip("PostgreSQL not installed")
    postgres_server.create_database("cca_reminders")
    engine = create_schema(get_engine(postgres_server.url("cca_reminders")))
    engine, late = _due_plan(tmp_path, 604, engine)
    apis = [SlowApi(), SlowApi()]
    runs = [reminders.run_once({"wechat_mp": FakeChannel(api)}, today=late, engine=engine) for api in apis]
    assert sorted(await asyncio.gather(*runs), key=str) == [1, None]
    assert sum(len(api.sent) for api in apis) == 1
    assert await reminders.run_once({}, today=late, engine=engine) == 0
