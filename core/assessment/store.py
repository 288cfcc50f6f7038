"""Self-assessments and their answers, stored as they are given (no Rasa import).

Every function takes the enterprise's 统一社会信用代码 and filters every query by it: an
enterprise never sees another's assessments (a wrong pair of code and id raises
:class:`AssessmentNotFound`). Every answer is committed in its own transaction the moment it
is recorded, so an interrupted conversation loses nothing.

Walk: ``start_or_resume`` -> repeat (``next_item`` -> ask -> ``record_answer`` | ``skip_item`` |
``previous_item`` | ``goto_item``) -> ``complete``. Skipped items come round again after the
last item. ``pause`` keeps the position for the next ``start_or_resume``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from core.assessment.models import Assessment, AssessmentAnswer
from core.clock import utcnow as _now
from core.db import session_scope
from core.enterprise import credit_code
from core.enterprise.models import Enterprise
from core.standards import catalogue as std_mod
from core.standards import scoring

MODES = ("quick", "full")
STATUSES = ("in_progress", "paused", "completed")
SOURCES = ("direct", "computed")


class AssessmentNotFound(LookupError):
    """No such assessment for this enterprise."""


class AnswerConflict(RuntimeError):
    """The item an answer was given for is no longer the open one (another tap, device or sender
    moved the assessment on); nothing was written. ``current`` is the open item now."""

    def __init__(self, item: int, current: int | None):
        self.item, self.current = item, current
        super().__init__(f"item {item} is not the open item (now {current})")


class AssessmentStateError(ValueError):
    """The operation does not fit the assessment's state (e.g. answering a completed one)."""

    def __init__(self, message: str, field: str = ""):
        self.field = field
        super().__init__(message)


# --------------------------------------------------------------------------- helpers


def _code(enterprise_code: str) -> str:
    return credit_code.validate(enterprise_code)


def _get(session, code: str, assessment_id: int) -> Assessment:
    a = session.execute(
        select(Assessment).where(Assessment.id == assessment_id, Assessment.enterprise_code == code)
    ).scalar_one_or_none()
    if a is None:
        raise AssessmentNotFound(f"assessment {assessment_id} not found for this enterprise")
    return a


def _answers(session, a: Assessment) -> dict:
    rows = (
        session.execute(
            select(AssessmentAnswer)
            .join(Assessment, Assessment.id == AssessmentAnswer.assessment_id)
            .where(AssessmentAnswer.assessment_id == a.id, Assessment.enterprise_code == a.enterprise_code)
        )
        .scalars()
        .all()
    )
    return {r.item_number: r for r in rows}


def scope_items(standard: str, mode: str = "full", business_types: Iterable[str] | None = None) -> list:
    """Item numbers asked, in order: the quick-check list, or every applicable item."""
    if mode == "quick":
        nums = std_mod.quick_check_items(standard)
        if nums:
            return nums
    bts = list(business_types) if business_types is not None else None
    if standard != "individual":
        bts = None
    return [i.number for i in std_mod.applicable_items(standard, bts)]


def _scope(a: Assessment) -> list:
    return scope_items(a.standard, a.mode, a.business_types)


def _next_unanswered(order: list, answered: set, after: int | None, include_after: bool = False) -> int | None:
    """First unanswered item after ``after`` in ``order``, wrapping round; None if all answered."""
    if not order:
        return None
    start = 0
    if after is not None and after in order:
        start = order.index(after) + (0 if include_after else 1)
    for n in order[start:] + order[:start]:
        if n not in answered:
            return n
    return None


def _state(session, a: Assessment) -> dict:
    ans = _answers(session, a)
    order = _scope(a)
    ent = session.get(Enterprise, a.enterprise_code)
    return {
        "id": a.id,
        "enterprise_code": a.enterprise_code,
        "name": (ent.name or "") if ent else "",
        "standard": a.standard,
        "rule_set": a.rule_set,
        "mode": a.mode,
        "production": a.production,
        "business_types": a.business_types or [],
        "status": a.status,
        "current_item": a.current_item,
        "answered": sum(1 for n in order if n in ans),
        "total": len(order),
        "created_at": a.created_at.isoformat() if a.created_at else None,
        "updated_at": a.updated_at.isoformat() if a.updated_at else None,
        "completed_at": a.completed_at.isoformat() if a.completed_at else None,
    }


# --------------------------------------------------------------------------- API


def start_or_resume(
    enterprise_code: str,
    name: str = "",
    standard: str = "advanced",
    rule_set: str | None = None,
    mode: str = "full",
    production: bool | None = None,
    business_types: Iterable[str] | None = None,
    engine: Engine | None = None,
) -> dict:
    """Resume the enterprise's unfinished assessment of this standard and mode, or start one.
    Creates the enterprise row if needed (and fills its name if empty). Returns the state dict
    (``resumed`` tells which happened)."""
    code = _code(enterprise_code)
    std_mod.get_standard(standard)  # raises StandardsError for an unknown standard
    if mode not in MODES:
        raise AssessmentStateError(f"mode must be one of {MODES}", "mode")
    rs_id = scoring.get_rule_set(rule_set)["id"]
    bts = sorted(set(business_types)) if business_types is not None else None
    if bts is not None:
        std_mod.applicable_items(standard, bts)  # validates the business types
    with session_scope(engine) as s:
        ent = s.get(Enterprise, code)
        if ent is None:
            ent = Enterprise(code=code, name=name or "")
            s.add(ent)
            s.flush()
        elif name and not ent.name:
            ent.name = name
        a = (
            s.execute(
                select(Assessment)
                .where(
                    Assessment.enterprise_code == code,
                    Assessment.standard == standard,
                    Assessment.mode == mode,
                    Assessment.status.in_(("in_progress", "paused")),
                )
                .order_by(Assessment.updated_at.desc(), Assessment.id.desc())
            )
            .scalars()
            .first()
        )
        resumed = a is not None
        if a is None:
            a = Assessment(
                enterprise_code=code,
                standard=standard,
                rule_set=rs_id,
                mode=mode,
                production=production,
                business_types=bts,
                status="in_progress",
            )
            s.add(a)
            s.flush()
            order = _scope(a)
            a.current_item = order[0] if order else None
        else:
            a.status = "in_progress"
            if production is not None:
                a.production = production
            if rule_set:
                a.rule_set = rs_id
            if bts is not None:
                a.business_types = bts
        s.flush()
        st = _state(s, a)
        st["resumed"] = resumed
        return st


def get_state(enterprise_code: str, assessment_id: int, engine: Engine | None = None) -> dict:
    with session_scope(engine) as s:
        return _state(s, _get(s, _code(enterprise_code), assessment_id))


def get_answers(enterprise_code: str, assessment_id: int, engine: Engine | None = None) -> dict:
    """{item number: verdict}"""
    with session_scope(engine) as s:
        a = _get(s, _code(enterprise_code), assessment_id)
        return {n: r.verdict for n, r in sorted(_answers(s, a).items())}


def record_answer(
    enterprise_code: str,
    assessment_id: int,
    item_number: int,
    verdict: str,
    source: str = "direct",
    detail: dict | None = None,
    engine: Engine | None = None,
    expected_item: int | None = None,
    move: bool = True,
    reason: str | None = None,
) -> dict:
    """Store (or replace) one answer in its own transaction. The verdict is validated and
    normalised by scoring.normalize_verdict (raises InvalidAnswer); ``reason`` (why an item does
    not apply) is kept in the answer's detail.

    ``expected_item``: the answer is for the item the user was shown; it is written only if that
    is still the open item (a compare-and-set on ``current_item`` in the same transaction, so
    two taps, devices or senders cannot shift an answer onto another item), else
    :class:`AnswerConflict`. ``move``: advance the open item to the next unanswered one (the
    conversation); the checklist page answers any item without moving the conversation."""
    if source not in SOURCES:
        raise AssessmentStateError(f"source must be one of {SOURCES}", "source")
    code = _code(enterprise_code)
    with session_scope(engine) as s:
        a = _get(s, code, assessment_id)
        if a.status == "completed":
            raise AssessmentStateError("assessment already completed", "status")
        it = std_mod.get_standard(a.standard).by_number.get(int(item_number))
        if it is None:
            raise scoring.UnknownItem(f"no item {item_number} in standard {a.standard}", "item")
        if it.number not in _scope(a):
            raise scoring.UnknownItem(f"item {it.number} is not part of this assessment", "item")
        v = scoring.normalize_verdict(verdict, it, "verdict")
        ans = _answers(s, a)
        answered = set(ans) | {it.number}
        nxt = _next_unanswered(_scope(a), answered, it.number) if move else a.current_item
        if expected_item is not None:
            claimed = s.execute(
                update(Assessment)
                .where(Assessment.id == a.id, Assessment.current_item == int(expected_item))
                .values(current_item=nxt, updated_at=_now())
                .execution_options(synchronize_session=False)
            ).rowcount
            if claimed != 1 or int(expected_item) != it.number:
                s.rollback()
                s.refresh(a)
                raise AnswerConflict(it.number, a.current_item)
            s.refresh(a)
        row = ans.get(it.number)
        detail = dict(detail or {})
        if reason and reason.strip():
            detail["reason"] = reason.strip()[: scoring.MAX_REASON_CHARS]
        detail = json.loads(json.dumps(detail, ensure_ascii=False, default=str)) if detail else None
        if row is None:
            row = AssessmentAnswer(assessment_id=a.id, item_number=it.number, verdict=v, source=source, detail=detail)
            s.add(row)
        else:
            row.verdict, row.source, row.detail, row.answered_at = v, source, detail, _now()
        a.current_item = nxt
        a.status = "in_progress"
        a.updated_at = _now()
        s.flush()
        return _state(s, a)


def answer_rows(enterprise_code: str, assessment_id: int, engine: Engine | None = None) -> dict:
    """{item number: {"verdict", "source", "reason", "answered_at"}}"""
    with session_scope(engine) as s:
        a = _get(s, _code(enterprise_code), assessment_id)
        return {
            n: {
                "verdict": r.verdict,
                "source": r.source,
                "reason": (r.detail or {}).get("reason"),
                "answered_at": r.answered_at.isoformat() if r.answered_at else None,
            }
            for n, r in sorted(_answers(s, a).items())
        }


def enterprise_name(enterprise_code: str, engine: Engine | None = None) -> str:
    with session_scope(engine) as s:
        ent = s.get(Enterprise, _code(enterprise_code))
        return (ent.name or "") if ent else ""


def next_item(enterprise_code: str, assessment_id: int, engine: Engine | None = None) -> int | None:
    """The item to ask now (the current one if unanswered, else the next unanswered); None when done."""
    with session_scope(engine) as s:
        a = _get(s, _code(enterprise_code), assessment_id)
        answered = set(_answers(s, a))
        order = _scope(a)
        if a.current_item is not None and a.current_item in order and a.current_item not in answered:
            return a.current_item
        a.current_item = _next_unanswered(order, answered, a.current_item)
        return a.current_item


def current_item(enterprise_code: str, assessment_id: int, engine: Engine | None = None) -> int | None:
    """The current position as stored (may be an answered item after back/goto)."""
    with session_scope(engine) as s:
        return _get(s, _code(enterprise_code), assessment_id).current_item


def skip_item(enterprise_code: str, assessment_id: int, engine: Engine | None = None) -> int | None:
    """Leave the current item unanswered and move on; returns the new current item."""
    with session_scope(engine) as s:
        a = _get(s, _code(enterprise_code), assessment_id)
        answered = set(_answers(s, a))
        order = _scope(a)
        nxt = _next_unanswered(order, answered | ({a.current_item} if a.current_item else set()), a.current_item)
        a.current_item = nxt if nxt is not None else a.current_item
        return a.current_item


def previous_item(enterprise_code: str, assessment_id: int, engine: Engine | None = None) -> int | None:
    """Step back one item in order (answered or not); returns it (None at the first item)."""
    with session_scope(engine) as s:
        a = _get(s, _code(enterprise_code), assessment_id)
        order = _scope(a)
        if a.current_item is None:
            prev = order[-1] if order else None
        else:
            i = order.index(a.current_item) if a.current_item in order else 0
            prev = order[i - 1] if i > 0 else None
        if prev is not None:
            a.current_item = prev
        return prev


def goto_item(enterprise_code: str, assessment_id: int, item_number: int, engine: Engine | None = None) -> int:
    """Jump to an item (to change its answer); it must be in the assessment's scope."""
    with session_scope(engine) as s:
        a = _get(s, _code(enterprise_code), assessment_id)
        if int(item_number) not in _scope(a):
            raise scoring.UnknownItem(f"item {item_number} is not part of this assessment", "item")
        a.current_item = int(item_number)
        return a.current_item


def pause(enterprise_code: str, assessment_id: int, engine: Engine | None = None) -> dict:
    with session_scope(engine) as s:
        a = _get(s, _code(enterprise_code), assessment_id)
        if a.status != "completed":
            a.status = "paused"
        s.flush()
        return _state(s, a)


def progress(enterprise_code: str, assessment_id: int, engine: Engine | None = None) -> dict:
    """{"answered", "total", "dimensions": [{"dimension", "name_en", "answered", "total", "text"}]}
    where text reads e.g. "内部控制 3/11"."""
    with session_scope(engine) as s:
        a = _get(s, _code(enterprise_code), assessment_id)
        ans = _answers(s, a)
        std = std_mod.get_standard(a.standard)
        order = _scope(a)
        dims = []
        for d in std.dimensions:
            nums = [n for n in order if std.by_number[n].dimension == d]
            if not nums:
                continue
            done = sum(1 for n in nums if n in ans)
            dims.append(
                {
                    "dimension": d,
                    "name_en": std_mod.dimension_name(d, "en"),
                    "answered": done,
                    "total": len(nums),
                    "text": f"{d} {done}/{len(nums)}",
                }
            )
        return {
            "answered": sum(1 for n in order if n in ans),
            "total": len(order),
            "dimensions": dims,
            "current_item": a.current_item,
            "status": a.status,
        }


def complete(enterprise_code: str, assessment_id: int, engine: Engine | None = None) -> dict:
    """Score with scoring.score (the assessment's rule set and scope), store and return the result
    dict (unanswered items make it incomplete: passed is then false with condition "incomplete")."""
    with session_scope(engine) as s:
        a = _get(s, _code(enterprise_code), assessment_id)
        rows = _answers(s, a)
        res = scoring.score(
            a.standard,
            {n: r.verdict for n, r in rows.items()},
            a.rule_set,
            business_types=a.business_types if a.standard == "individual" else None,
            scope=_scope(a),
            reasons={n: str((r.detail or {})["reason"]) for n, r in rows.items() if (r.detail or {}).get("reason")},
            mode=a.mode,
        ).to_dict()
        res["assessment_id"] = a.id
        res["mode"] = a.mode
        a.result = res
        a.status = "completed"
        a.completed_at = _now()
        a.current_item = None
        return res


def history(enterprise_code: str, standard: str | None = None, engine: Engine | None = None) -> list:
    """This enterprise's assessments, newest first: [{id, standard, mode, status, total, passed, ...}]."""
    code = _code(enterprise_code)
    with session_scope(engine) as s:
        q = select(Assessment).where(Assessment.enterprise_code == code)
        if standard:
            q = q.where(Assessment.standard == standard)
        rows = s.execute(q.order_by(Assessment.created_at.desc(), Assessment.id.desc())).scalars().all()
        out = []
        for a in rows:
            r = a.result or {}
            out.append(
                {
                    "id": a.id,
                    "enterprise_code": a.enterprise_code,
                    "result": a.result,
                    "standard": a.standard,
                    "mode": a.mode,
                    "rule_set": a.rule_set,
                    "status": a.status,
                    "total": r.get("total"),
                    "passed": r.get("passed"),
                    "created_at": a.created_at.isoformat(),
                    "completed_at": a.completed_at.isoformat() if a.completed_at else None,
                }
            )
        return out


def compare(
    enterprise_code: str, assessment_id: int | None = None, previous_id: int | None = None, engine: Engine | None = None
) -> dict | None:
    """Compare a completed assessment (default: the latest) with the previous completed one of the
    same standard (or ``previous_id``). None when there is nothing to compare with.
    {"current", "previous", "total_change", "passed": [prev, now], "items": [{item, label, before, after}]}"""
    code = _code(enterprise_code)
    with session_scope(engine) as s:
        done = (
            s.execute(
                select(Assessment)
                .where(Assessment.enterprise_code == code, Assessment.status == "completed")
                .order_by(Assessment.completed_at.desc(), Assessment.id.desc())
            )
            .scalars()
            .all()
        )
        cur: Assessment | None
        prev: Assessment | None
        if assessment_id is not None:
            cur = _get(s, code, assessment_id)
            if cur.status != "completed":
                raise AssessmentStateError("assessment not completed", "assessment_id")
        else:
            cur = done[0] if done else None
        if cur is None:
            return None
        if previous_id is not None:
            prev = _get(s, code, previous_id)
            if prev.standard != cur.standard:
                raise AssessmentStateError("assessments are of different standards", "previous_id")
        else:
            older = [
                a
                for a in done
                if a.standard == cur.standard and a.id != cur.id and (a.completed_at, a.id) < (cur.completed_at, cur.id)
            ]
            prev = older[0] if older else None
        if prev is None:
            return None
        now_ans = {n: r.verdict for n, r in _answers(s, cur).items()}
        old_ans = {n: r.verdict for n, r in _answers(s, prev).items()}
        std = std_mod.get_standard(cur.standard)
        rank = {"不达标": 0, "不符合": 0, "基本达标": 1, "达标": 2, "符合": 2}
        items = []
        for n in sorted(set(now_ans) | set(old_ans)):
            b, af = old_ans.get(n), now_ans.get(n)
            if b == af:
                continue
            trend = "changed"
            if b in rank and af in rank:
                trend = "improved" if rank[af] > rank[b] else "worse" if rank[af] < rank[b] else "changed"
            items.append(
                {
                    "item": n,
                    "label": std.by_number[n].label,
                    "dimension": std.by_number[n].dimension,
                    "before": b,
                    "after": af,
                    "trend": trend,
                }
            )
        tn, tp = (cur.result or {}).get("total"), (prev.result or {}).get("total")
        return {
            "current": cur.id,
            "previous": prev.id,
            "standard": cur.standard,
            "total": [tp, tn],
            "total_change": (tn - tp) if tn is not None and tp is not None else None,
            "passed": [(prev.result or {}).get("passed"), (cur.result or {}).get("passed")],
            "items": items,
        }
