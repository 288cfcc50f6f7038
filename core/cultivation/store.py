"""Credit cultivation plans, tasks, consent and reminders (no Rasa import).

Every public function takes the enterprise's 统一社会信用代码 and only ever
reads or writes that enterprise's rows (``due_reminders`` and
``consenting_enterprises`` are the scheduler's / officer page's cross-enterprise
views and return each row with its own enterprise code).

All functions accept ``engine=`` (default: core.db.get_engine()).
Dates are ``datetime.date``; timestamps naive UTC.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.clock import as_date as _day
from core.clock import utcnow as _now
from core.cultivation.models import (
    PLAN_ACTIVE,
    PLAN_SUPERSEDED,
    SCOPE_SHARE,
    TASK_DONE,
    TASK_OPEN,
    Consent,
    CultivationPlan,
    CultivationTask,
    ReminderLog,
)
from core.db import session_scope
from core.enterprise import credit_code
from core.enterprise.models import Enterprise

# Days until a task is due, by the item's verdict (editable per task).
DUE_DAYS = {"不达标": 30, "基本达标": 60}
DEFAULT_DUE_DAYS = 90
_VERDICT_ALIASES = {
    "fail": "不达标",
    "failed": "不达标",
    "not_met": "不达标",
    "non_compliant": "不达标",
    "partial": "基本达标",
    "partially_met": "基本达标",
    "basically_met": "基本达标",
}
_NOT_GAPS = {"达标", "不适用", "met", "pass", "not_applicable", "n/a"}

# Which department usually owns an item, by dimension (a suggestion; editable).
OWNER_BY_DIMENSION = {
    "内部控制": {"zh": "关务部/管理层", "en": "Customs affairs / management"},
    "财务状况": {"zh": "财务部", "en": "Finance"},
    "守法规范": {"zh": "关务部/法务", "en": "Customs affairs / legal"},
    "贸易安全": {"zh": "安保/物流部", "en": "Security / logistics"},
    "附加标准": {"zh": "管理层", "en": "Management"},
}


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------
def _code(enterprise_code: Any) -> str:
    """The normalised, GB 32100-checked code (InvalidCreditCode, a ValueError, otherwise)."""
    return credit_code.validate(enterprise_code)


def _verdict(value: Any) -> str:
    text = str(value or "").strip()
    return _VERDICT_ALIASES.get(text.lower(), text)


def due_days_for(verdict: Any) -> int:
    return DUE_DAYS.get(_verdict(verdict), DEFAULT_DUE_DAYS)


def _item_ref(gap: dict) -> str:
    item = str(gap.get("item", "")).strip().strip("()（）第项 ")
    standard = str(gap.get("standard") or "advanced").strip().lower()
    if ":" in item:
        return item
    return f"{standard}:{item}"


def _history(task: CultivationTask) -> list:
    try:
        data = json.loads(task.history or "[]")
        return data if isinstance(data, list) else []
    except ValueError:
        return []


def _log(task: CultivationTask, event: str, **details: Any) -> None:
    hist = _history(task)
    hist.append({"at": _now().isoformat(timespec="seconds"), "event": event, **details})
    task.history = json.dumps(hist, ensure_ascii=False, default=str)


def _task_dict(task: CultivationTask, today: dt.date) -> dict:
    overdue = task.status == TASK_OPEN and task.due_date < today
    return {
        "id": task.id,
        "plan_id": task.plan_id,
        "enterprise_code": task.enterprise_code,
        "item_ref": task.item_ref,
        "title": {"zh": task.title_zh, "en": task.title_en},
        "dimension": task.dimension,
        "owner_department": task.owner_department,
        "severity": task.severity,
        "due_date": task.due_date.isoformat(),
        "days_left": (task.due_date - today).days,
        "evidence": task.evidence,
        "status": task.status,
        "overdue": overdue,
        "done_at": task.done_at.isoformat(timespec="seconds") if task.done_at else None,
        "history": _history(task),
    }


def _plan_dict(plan: CultivationPlan) -> dict:
    return {
        "id": plan.id,
        "enterprise_code": plan.enterprise_code,
        "created_at": plan.created_at.isoformat(timespec="seconds"),
        "source_assessment_id": plan.source_assessment_id,
        "status": plan.status,
    }


def _ensure_enterprise(session: Session, code: str) -> None:
    if session.get(Enterprise, code) is None:
        session.add(Enterprise(code=code, name=""))
        session.flush()


def _active_plan(session: Session, code: str) -> CultivationPlan | None:
    return (
        session.execute(
            select(CultivationPlan)
            .where(CultivationPlan.enterprise_code == code, CultivationPlan.status == PLAN_ACTIVE)
            .order_by(CultivationPlan.id.desc())
        )
        .scalars()
        .first()
    )


def _find_task(session: Session, code: str, task_ref: Any) -> CultivationTask | None:
    """A task of this enterprise by id (int or digits) or item ref ("advanced:18", active plan)."""
    ref = str(task_ref).strip()
    if ref.isdigit():
        return (
            session.execute(
                select(CultivationTask).where(CultivationTask.id == int(ref), CultivationTask.enterprise_code == code)
            )
            .scalars()
            .first()
        )
    plan = _active_plan(session, code)
    if plan is None:
        return None
    return (
        session.execute(
            select(CultivationTask).where(
                CultivationTask.plan_id == plan.id,
                CultivationTask.enterprise_code == code,
                CultivationTask.item_ref == ref,
            )
        )
        .scalars()
        .first()
    )


# ---------------------------------------------------------------------------
# plans and tasks
# ---------------------------------------------------------------------------
def plan_from_gaps(
    enterprise_code: str, gaps: Iterable[dict], today: Any = None, *, source_assessment_id: Any = None, engine=None
) -> dict:
    """Create the enterprise's active plan from assessment gaps.

    gaps: dicts {item, label, verdict, dimension, standard} (optional label_en,
    evidence, owner_department). Items judged 达标 / 不适用 are skipped. Due in
    30 days for 不达标, 60 for 基本达标, 90 otherwise. A previous active plan of
    the same enterprise is marked superseded. Returns {"plan": ..., "tasks": [...]}."""
    code = _code(enterprise_code)
    day = _day(today)
    with session_scope(engine) as session:
        _ensure_enterprise(session, code)
        for old in session.execute(
            select(CultivationPlan).where(
                CultivationPlan.enterprise_code == code, CultivationPlan.status == PLAN_ACTIVE
            )
        ).scalars():
            old.status = PLAN_SUPERSEDED
        plan = CultivationPlan(
            enterprise_code=code,
            status=PLAN_ACTIVE,
            source_assessment_id=None if source_assessment_id is None else str(source_assessment_id),
        )
        session.add(plan)
        session.flush()
        tasks = []
        seen = set()
        for gap in gaps or []:
            if not isinstance(gap, dict):
                continue
            verdict = _verdict(gap.get("verdict"))
            if verdict in _NOT_GAPS:
                continue
            ref = _item_ref(gap)
            if ref in seen:
                continue
            seen.add(ref)
            label = str(gap.get("label") or ref)
            dimension = gap.get("dimension")
            owner = gap.get("owner_department") or OWNER_BY_DIMENSION.get(str(dimension), {}).get("zh")
            task = CultivationTask(
                plan_id=plan.id,
                enterprise_code=code,
                item_ref=ref,
                title_zh=f"整改：{label}"[:300],
                title_en=f"Remediate {ref}: {gap.get('label_en') or label}"[:300],
                dimension=dimension,
                owner_department=owner,
                severity=verdict or None,
                due_date=day + dt.timedelta(days=due_days_for(verdict)),
                evidence=gap.get("evidence")
                or "按标准原文要求整改后，保存制度文件、执行记录等可供海关核查的证明材料。",
                status=TASK_OPEN,
            )
            _log(task, "created", verdict=verdict, due_date=task.due_date.isoformat())
            session.add(task)
            tasks.append(task)
        session.flush()
        return {"plan": _plan_dict(plan), "tasks": [_task_dict(t, day) for t in tasks]}


def get_plan(enterprise_code: str, today: Any = None, *, engine=None) -> dict | None:
    """The enterprise's active plan with all its tasks, or None."""
    code = _code(enterprise_code)
    day = _day(today)
    with session_scope(engine) as session:
        plan = _active_plan(session, code)
        if plan is None:
            return None
        tasks = (
            session.execute(
                select(CultivationTask)
                .where(CultivationTask.plan_id == plan.id, CultivationTask.enterprise_code == code)
                .order_by(CultivationTask.due_date, CultivationTask.id)
            )
            .scalars()
            .all()
        )
        return {"plan": _plan_dict(plan), "tasks": [_task_dict(t, day) for t in tasks]}


def progress(enterprise_code: str, today: Any = None, *, engine=None) -> dict:
    """{"plan", "done", "open", "overdue", "counts"} for the active plan.
    ``open`` = open and not yet overdue; ``overdue`` = open with due date before today."""
    day = _day(today)
    data = get_plan(enterprise_code, day, engine=engine)
    if data is None:
        return {
            "plan": None,
            "done": [],
            "open": [],
            "overdue": [],
            "counts": {"done": 0, "open": 0, "overdue": 0, "total": 0},
        }
    done = [t for t in data["tasks"] if t["status"] == TASK_DONE]
    overdue = [t for t in data["tasks"] if t["overdue"]]
    open_ = [t for t in data["tasks"] if t["status"] == TASK_OPEN and not t["overdue"]]
    return {
        "plan": data["plan"],
        "done": done,
        "open": open_,
        "overdue": overdue,
        "counts": {"done": len(done), "open": len(open_), "overdue": len(overdue), "total": len(data["tasks"])},
    }


def mark_done(
    enterprise_code: str, task_ref: Any, today: Any = None, *, note: str | None = None, engine=None
) -> dict | None:
    """Mark one of the enterprise's tasks done (by id or item ref). None if it has no such task."""
    return _set_status(enterprise_code, task_ref, today, TASK_DONE, "done", note, engine)


def reopen(
    enterprise_code: str, task_ref: Any, today: Any = None, *, note: str | None = None, engine=None
) -> dict | None:
    """Open a done task again. None if the enterprise has no such task."""
    return _set_status(enterprise_code, task_ref, today, TASK_OPEN, "reopened", note, engine)


def _set_status(code: str, task_ref: Any, today: Any, status: str, event: str, note: str | None, engine) -> dict | None:
    code = _code(code)
    day = _day(today)
    with session_scope(engine) as session:
        task = _find_task(session, code, task_ref)
        if task is None:
            return None
        if task.status != status:
            task.status = status
            task.done_at = _now() if status == TASK_DONE else None
            _log(task, event, note=note)
        return _task_dict(task, day)


def edit_due(
    enterprise_code: str, task_ref: Any, new_due: Any, *, note: str | None = None, today: Any = None, engine=None
) -> dict | None:
    """Change a task's due date (date or ISO string). None if the enterprise has no such task."""
    code = _code(enterprise_code)
    due = _day(new_due)
    day = _day(today)
    with session_scope(engine) as session:
        task = _find_task(session, code, task_ref)
        if task is None:
            return None
        old = task.due_date
        task.due_date = due
        _log(task, "due_changed", old=old.isoformat(), new=due.isoformat(), note=note)
        return _task_dict(task, day)


def edit_task(
    enterprise_code: str,
    task_ref: Any,
    *,
    owner_department: str | None = None,
    evidence: str | None = None,
    today: Any = None,
    engine=None,
) -> dict | None:
    code = _code(enterprise_code)
    day = _day(today)
    with session_scope(engine) as session:
        task = _find_task(session, code, task_ref)
        if task is None:
            return None
        changes = {}
        if owner_department is not None:
            task.owner_department = owner_department
            changes["owner_department"] = owner_department
        if evidence is not None:
            task.evidence = evidence
            changes["evidence"] = evidence
        if changes:
            _log(task, "edited", **changes)
        return _task_dict(task, day)


# ---------------------------------------------------------------------------
# reminders
# ---------------------------------------------------------------------------
def due_reminders(today: Any = None, *, within_days: int = 3, engine=None) -> list:
    """Open tasks of active plans due within ``within_days`` or overdue, not yet
    reminded today, grouped per enterprise with its last channel and sender:
    [{"enterprise_code", "channel", "sender", "tasks": [...]}]."""
    day = _day(today)
    horizon = day + dt.timedelta(days=within_days)
    with session_scope(engine) as session:
        rows = session.execute(
            select(CultivationTask, Enterprise)
            .join(CultivationPlan, CultivationPlan.id == CultivationTask.plan_id)
            .join(Enterprise, Enterprise.code == CultivationTask.enterprise_code)
            .where(
                CultivationPlan.status == PLAN_ACTIVE,
                CultivationTask.status == TASK_OPEN,
                CultivationTask.due_date <= horizon,
                CultivationPlan.enterprise_code == CultivationTask.enterprise_code,
            )
            .order_by(CultivationTask.enterprise_code, CultivationTask.due_date, CultivationTask.id)
        ).all()
        reminded = set(session.execute(select(ReminderLog.task_id).where(ReminderLog.sent_on == day)).scalars())
        groups: dict = {}
        for task, ent in rows:
            if task.id in reminded:
                continue
            g = groups.setdefault(
                ent.code,
                {"enterprise_code": ent.code, "channel": ent.last_channel, "sender": ent.last_sender, "tasks": []},
            )
            g["tasks"].append(_task_dict(task, day))
        return list(groups.values())


def record_reminder(
    enterprise_code: str,
    task_ids: Iterable[int],
    today: Any = None,
    *,
    channel: str | None = None,
    sender: str | None = None,
    engine=None,
) -> int:
    """Log that reminders for these tasks (of this enterprise only) were sent today."""
    code = _code(enterprise_code)
    day = _day(today)
    count = 0
    with session_scope(engine) as session:
        for tid in task_ids or []:
            task = (
                session.execute(
                    select(CultivationTask).where(
                        CultivationTask.id == int(tid), CultivationTask.enterprise_code == code
                    )
                )
                .scalars()
                .first()
            )
            if task is None:
                continue
            session.add(
                ReminderLog(
                    enterprise_code=code,
                    task_id=task.id,
                    sent_on=day,
                    channel=channel,
                    sender=sender,
                    kind="overdue" if task.due_date < day else "due",
                )
            )
            count += 1
    return count


# ---------------------------------------------------------------------------
# consent
# ---------------------------------------------------------------------------
def grant_consent(
    enterprise_code: str,
    scope: str = SCOPE_SHARE,
    *,
    via: str | None = None,
    now: dt.datetime | None = None,
    engine=None,
) -> dict:
    """Record consent (idempotent while a grant is active)."""
    code = _code(enterprise_code)
    with session_scope(engine) as session:
        _ensure_enterprise(session, code)
        active = _active_consent(session, code, scope)
        if active is None:
            active = Consent(enterprise_code=code, scope=scope, granted_at=now or _now(), granted_via=via)
            session.add(active)
            session.flush()
        return _consent_dict(active)


def revoke_consent(
    enterprise_code: str, scope: str = SCOPE_SHARE, *, now: dt.datetime | None = None, engine=None
) -> bool:
    """Revoke the active consent; True if there was one."""
    code = _code(enterprise_code)
    with session_scope(engine) as session:
        active = _active_consent(session, code, scope)
        if active is None:
            return False
        active.revoked_at = now or _now()
        return True


def has_consent(enterprise_code: str, scope: str = SCOPE_SHARE, *, engine=None) -> bool:
    code = _code(enterprise_code)
    with session_scope(engine) as session:
        return _active_consent(session, code, scope) is not None


def consent_history(enterprise_code: str, *, engine=None) -> list:
    code = _code(enterprise_code)
    with session_scope(engine) as session:
        rows = (
            session.execute(select(Consent).where(Consent.enterprise_code == code).order_by(Consent.id)).scalars().all()
        )
        return [_consent_dict(c) for c in rows]


def consenting_enterprises(scope: str = SCOPE_SHARE, *, engine=None) -> list:
    """Codes of enterprises with an active consent (officer page only)."""
    with session_scope(engine) as session:
        return sorted(
            set(
                session.execute(
                    select(Consent.enterprise_code).where(Consent.scope == scope, Consent.revoked_at.is_(None))
                ).scalars()
            )
        )


def _active_consent(session: Session, code: str, scope: str) -> Consent | None:
    return (
        session.execute(
            select(Consent)
            .where(Consent.enterprise_code == code, Consent.scope == scope, Consent.revoked_at.is_(None))
            .order_by(Consent.id.desc())
        )
        .scalars()
        .first()
    )


def _consent_dict(c: Consent) -> dict:
    return {
        "enterprise_code": c.enterprise_code,
        "scope": c.scope,
        "granted_at": c.granted_at.isoformat(timespec="seconds"),
        "revoked_at": c.revoked_at.isoformat(timespec="seconds") if c.revoked_at else None,
    }
