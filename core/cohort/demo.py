"""Demo cohort for trying the officers' cohort view (``make demo-data``): a few
clearly labelled demo enterprises （演示数据）, each with two completed
self-assessments of the advanced standard, consent to share with customs and a
cultivation plan with some overdue tasks. Deterministic (seeded); re-running
replaces the demo enterprises' assessments and plans and touches nothing else."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import delete, select

from core.assessment import store as assessments
from core.assessment.models import Assessment, AssessmentAnswer
from core.cultivation import store as cs
from core.db import session_scope
from core.enterprise import credit_code
from core.enterprise.models import Enterprise

DEMO = [
    # (seed, name, district, customs office, how good: share of items 达标 in the older / newer assessment)
    (9001, "示例电子科技有限公司（演示数据）", "上海关区", "上海海关", 0.80, 0.92),
    (9002, "示例纺织品进出口有限公司（演示数据）", "上海关区", "上海海关", 0.85, 0.90),
    (9003, "示例机电设备有限公司（演示数据）", "深圳关区", "深圳海关", 0.88, 0.97),
    (9004, "示例跨境电商有限公司（演示数据）", "深圳关区", "深圳海关", 0.75, 0.82),
    (9005, "示例化工原料有限公司（演示数据）", "宁波关区", "宁波海关", 0.90, 0.86),
    (9006, "示例食品贸易有限公司（演示数据）", "宁波关区", "宁波海关", 0.82, 0.95),
]
# Items many real enterprises find hard (internal audit, information systems, trade security):
# demo answers fail these more often so the heat map has a shape.
HARD_ITEMS = {5, 6, 9, 10, 13, 14, 52, 53, 60, 61, 65}


def demo_codes() -> list[str]:
    return [credit_code.generate(seed=seed) for seed, *_ in DEMO]


def _verdict(rng: random.Random, number: int, good: float) -> str:
    p_ok = good - (0.35 if number in HARD_ITEMS else 0.0)
    x = rng.random()
    if x < p_ok:
        return "达标"
    if good >= 0.95:
        return "基本达标"  # the nearly-ready demo enterprises have only 基本达标 gaps left
    return "基本达标" if x < p_ok + (1 - p_ok) * 0.6 else "不达标"


def _assess(code: str, name: str, good: float, seed: int, when: dt.datetime, engine) -> dict:
    state = assessments.start_or_resume(code, name, "advanced", engine=engine, production=True)
    aid = state["id"]
    rng = random.Random(seed)
    for number in assessments.scope_items("advanced"):
        try:
            assessments.record_answer(code, aid, number, _verdict(rng, number, good), engine=engine)
        except assessments.scoring.InvalidAnswer:
            assessments.record_answer(code, aid, number, "达标", engine=engine)
    result = assessments.complete(code, aid, engine=engine)
    with session_scope(engine) as s:
        a = s.get(Assessment, aid)
        a.created_at = a.completed_at = when
    return result


def load_demo_cohort(today: dt.date | None = None, *, engine=None) -> list[str]:
    """Create or refresh the demo cohort; returns the enterprise codes."""
    day = today or dt.date.today()
    codes = []
    for (seed, name, district, office, older, newer), code in zip(DEMO, demo_codes(), strict=True):
        codes.append(code)
        with session_scope(engine) as s:
            ent = s.get(Enterprise, code)
            if ent is None:
                ent = Enterprise(code=code, name=name)
                s.add(ent)
            ent.name, ent.district, ent.customs_office, ent.sample = name, district, office, "yes"
            ent.credit_level = "常规企业"
            ids = list(s.execute(select(Assessment.id).where(Assessment.enterprise_code == code)).scalars())
            if ids:
                s.execute(delete(AssessmentAnswer).where(AssessmentAnswer.assessment_id.in_(ids)))
                s.execute(delete(Assessment).where(Assessment.id.in_(ids)))
        start = dt.datetime.combine(day, dt.time(10, 0))
        _assess(code, name, older, seed, start - dt.timedelta(days=200), engine)
        latest = _assess(code, name, newer, seed + 1, start - dt.timedelta(days=70), engine)
        # A plan made when the latest assessment was done: 不达标 tasks (30 days) are overdue now.
        cs.plan_from_gaps(code, latest.get("gaps") or [], day - dt.timedelta(days=70), engine=engine)
        cs.grant_consent(code, via="demo-data", engine=engine)
    return codes
