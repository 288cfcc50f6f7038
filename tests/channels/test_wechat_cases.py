"""WeChat end to end with the trained assistant (issue 16): an answer ends with the
numbered 有帮助 / 没帮助 options, "2" asks for a reason, "转人工" opens a case, and the
officer's answer from the officer page is pushed to that WeChat user through the
(stand-in) customer-service API."""

from __future__ import annotations

import asyncio
import re

import pytest

from core.cases import store as cases
from core.db import create_schema, get_engine
from tests.channels.test_wechat_mp import encrypted_request, plain_xml
from tests.channels.test_wechat_real_assistant import _wait
from tests.channels.wechat_standins import real_gateway

pytestmark = pytest.mark.assistant
OFFICER = "wechat-case-officer-token"


async def test_wechat_feedback_and_case_answer_reach_the_user(running_assistant, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", running_assistant.db_url)  # the gateway's officer pages: same database
    monkeypatch.setenv("OFFICER_TOKEN", OFFICER)
    engine = create_schema(get_engine(running_assistant.db_url))
    client, api, api_server = await real_gateway(running_assistant.rasa_url, running_assistant.settings.session_secret)
    user = "oCaseUser1"
    try:

        async def say(text: str, msg_id: str) -> str:
            n = len(api.sent)
            q, body = encrypted_request(plain_xml(text, msg_id=msg_id, user=user))
            assert (await client.post("/wechat/mp", params=q, data=body)).status == 200
            await _wait(api, n + 1)
            count = -1
            while count != len(api.sent):  # a long reply comes in several messages
                count = len(api.sent)
                await asyncio.sleep(1.5)
            return "\n".join(m["text"]["content"] for m in api.sent[n:])

        answer = await say("失信企业怎么修复信用", "16001")
        assert "来源" in answer and "这个回答有帮助吗？" in answer, answer
        numbers = {t: n for n, t in re.findall(r"(\d+)\. (有帮助|没帮助)", answer)}
        reasons = await say(numbers["没帮助"], "16002")
        assert "答非所问" in reasons and "请人工解答" in reasons, reasons
        opened = await say("转人工", "16003")
        number = re.search(r"RG\d{6}-\d{4,}", opened).group(0)
        assert "答复会直接推送到本微信对话" in opened, opened
        case = next(c for c in cases.list_cases("open", engine=engine) if c["number"] == number)
        assert case["channel"] == "wechat_mp" and case["question"] == "失信企业怎么修复信用"
        n = len(api.sent)
        r = await client.post(
            f"/officer/cases/{case['id']}/answer",
            data={"answer": "请先完成整改，再向主管海关提出信用修复申请。"},
            headers={"Authorization": f"Bearer {OFFICER}"},
            allow_redirects=False,
        )
        assert r.status == 303
        sent = await _wait(api, n + 1)
        pushed = sent[n]
        assert pushed["touser"] == user
        assert number in pushed["text"]["content"] and "信用修复申请" in pushed["text"]["content"]
        assert cases.get_case(case["id"], engine=engine)["delivered_via"] == "wechat_mp"
    finally:
        await client.close()
        await api_server.close()
