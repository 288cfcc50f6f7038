"""Fixtures for the WeChat / WeCom channel tests (stand-ins in wechat_standins.py)."""

import pytest_asyncio
from wechat_standins import close_env, make_env


@pytest_asyncio.fixture
async def env_aes():
    env = await make_env(aes=True)
    yield env
    await close_env(env)


@pytest_asyncio.fixture
async def env_plain():
    env = await make_env(aes=False)
    yield env
    await close_env(env)


@pytest_asyncio.fixture
async def env_slow():
    env = await make_env(aes=True, rasa_delay=6.0)
    yield env
    await close_env(env)
