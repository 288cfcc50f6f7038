"""Cohort insight over enterprises that consented to share with customs: score
distribution, the items most often 不达标 / 基本达标 (by item and dimension),
movement since the previous assessment, overdue cultivation tasks and the
enterprises within reach of a pass. No Rasa import.

Only enterprises with an active ``share_with_customs`` consent are counted; each
contributes its latest completed assessment of the chosen standard within the
period (and the one before it, for movement)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from core.assessment.models import Assessment, AssessmentAnswer
from core.cultivation import store as cs
from core.db import session_scope
from core.enterprise.models import Enterprise
from core.standards import catalogue

GAP_VERDICTS = ("不达标", "基本达标")
SCORE_BINS = [(0, 80), (80, 85), (85, 90), (90, 95), (95, 100), (100, 1000)]


@dataclass(frozen=True)
class CohortFilter:
    standard: str = "advanced"
    district: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    @classmethod
    def parse(cls, query: dict) -> CohortFilter:
        """From request parameters; raises ValueError naming the bad field."""
        standard = (query.get("standard") or "advanced").strip()
        if standard not in ("advanced", "certified"):
            raise ValueError("standard: advanced or certified")

        def day(name: str) -> dt.date | None:
            raw = (query.get(name) or "").strip()
            if not raw:
                return None
            try:
                return dt.date.fromisoformat(raw)
            except ValueError:
                raise ValueError(f"{name}: a date like 2026-01-31") from None

        f, t = day("from"), day("to")
        if f and t and f > t:
            raise ValueError("from: must not be after to")
        district = (query.get("district") or "").strip()[:100] or None
        return cls(standard, district, f, t)

    def query(self) -> dict:
        out = {"standard": self.standard}
        if self.district:
            out["district"] = self.district
        if self.date_from:
            out["from"] = self.date_from.isoformat()
        if self.date_to:
            out["to"] = self.date_to.isoformat()
        return out


def _label(standard: str, number: int) -> tuple[str, str]:
    try:
        it = catalogue.item(standard, number)
        return it.label, it.dimension
    except Exception:
        return f"第{number}项", "—"


def _condition_text(c: Any) -> str:
    if isinstance(c, dict):
        msg = c.get("message")
        return str(msg.get("zh") if isinstance(msg, dict) else c.get("code") or "")
    return str(c)


def _enterprises(session, codes: list, district: str | None) -> dict:
    if not codes:
        return {}
    q = select(Enterprise).where(Enterprise.code.in_(codes))
    if district:
        q = q.where(Enterprise.district == district)
    return {e.code: e for e in session.execute(q).scalars()}


def districts(*, engine=None) -> list[str]:
    """Districts of consenting enterprises (for the filter)."""
    codes = cs.consenting_enterprises(cs.SCOPE_SHARE, engine=engine)
    with session_scope(engine) as session:
        return sorted({e.district for e in _enterprises(session, codes, None).values() if e.district})


def cohort(flt: CohortFilter, today: dt.date | None = None, *, engine=None) -> dict[str, Any]:
    day = today or dt.date.today()
    codes = cs.consenting_enterprises(cs.SCOPE_SHARE, engine=engine)
    with session_scope(engine) as session:
        ents = _enterprises(session, codes, flt.district)
        rows = (
            session.execute(
                select(Assessment)
                .where(
                    Assessment.enterprise_code.in_(list(ents) or [""]),
                    Assessment.status == "completed",
                    Assessment.standard == flt.standard,
                )
                .order_by(Assessment.completed_at.desc(), Assessment.id.desc())
            )
            .scalars()
            .all()
        )
        by_ent: dict = {}
        for a in rows:
            by_ent.setdefault(a.enterprise_code, []).append(a)
        latest: dict = {}
        previous: dict = {}
        for code, lst in by_ent.items():
            in_period = [
                a
                for a in lst
                if a.completed_at
                and (flt.date_from is None or a.completed_at.date() >= flt.date_from)
                and (flt.date_to is None or a.completed_at.date() <= flt.date_to)
            ]
            if not in_period:
                continue
            latest[code] = in_period[0]
            older = lst[lst.index(in_period[0]) + 1 :]
            if older:
                previous[code] = older[0]
        ids = [a.id for a in latest.values()]
        answers = session.execute(
            select(AssessmentAnswer.assessment_id, AssessmentAnswer.item_number, AssessmentAnswer.verdict).where(
                AssessmentAnswer.assessment_id.in_(ids or [-1])
            )
        ).all()
        verdicts: dict = {}
        for aid, num, verdict in answers:
            verdicts.setdefault(aid, {})[num] = verdict

        def name(code: str) -> str:
            return ents[code].name if code in ents else ""

        def sample(code: str) -> bool:
            return bool(code in ents and ents[code].sample == "yes")

        # score distribution
        totals = {c: (a.result or {}).get("total") for c, a in latest.items()}
        dist = []
        for lo, hi in SCORE_BINS:
            label = f"≥{lo}" if hi >= 1000 else f"{lo}–{hi}"
            dist.append({"bin": label, "count": sum(1 for t in totals.values() if t is not None and lo <= t < hi)})

        # item failure frequencies
        fail: Counter = Counter()
        partial: Counter = Counter()
        for a in latest.values():
            for num, v in verdicts.get(a.id, {}).items():
                if v == "不达标":
                    fail[num] += 1
                elif v == "基本达标":
                    partial[num] += 1
        n = len(latest)
        items = []
        for num in sorted(set(fail) | set(partial)):
            label, dim = _label(flt.standard, num)
            items.append(
                {
                    "item": num,
                    "label": label,
                    "dimension": dim,
                    "fail": fail[num],
                    "partial": partial[num],
                    "gaps": fail[num] + partial[num],
                    "share": round((fail[num] + partial[num]) / n, 3) if n else 0.0,
                }
            )
        items.sort(key=lambda r: (-r["gaps"], -r["fail"], r["item"]))

        # movement
        movement = []
        for code, a in latest.items():
            p = previous.get(code)
            now_t = (a.result or {}).get("total")
            prev_t = (p.result or {}).get("total") if p else None
            movement.append(
                {
                    "code": code,
                    "name": name(code),
                    "sample": sample(code),
                    "district": ents[code].district if code in ents else None,
                    "latest": now_t,
                    "latest_date": a.completed_at.date().isoformat(),
                    "previous": prev_t,
                    "previous_date": p.completed_at.date().isoformat() if p and p.completed_at else None,
                    "change": round(now_t - prev_t, 2)
                    if isinstance(now_t, int | float) and isinstance(prev_t, int | float)
                    else None,
                    "passed": bool((a.result or {}).get("passed")),
                }
            )
        movement.sort(key=lambda r: (r["change"] is None, -(r["change"] or 0), r["code"]))

        # within reach: not passed, no 不达标 left
        reach = []
        for code, a in latest.items():
            res = a.result or {}
            v = verdicts.get(a.id, {})
            n_fail = sum(1 for x in v.values() if x == "不达标")
            n_partial = sum(1 for x in v.values() if x == "基本达标")
            if res.get("passed") or n_fail:
                continue
            reach.append(
                {
                    "code": code,
                    "name": name(code),
                    "sample": sample(code),
                    "total": res.get("total"),
                    "partial": n_partial,
                    "partial_items": sorted(num for num, x in v.items() if x == "基本达标"),
                    "failed_conditions": "; ".join(_condition_text(c) for c in res.get("failed_conditions") or []),
                }
            )
        reach.sort(key=lambda r: (r["partial"], r["code"]))

    # overdue cultivation tasks (every consenting enterprise in the district filter)
    overdue = []
    for code in sorted(ents):
        prog = cs.progress(code, day, engine=engine)
        for t in prog["overdue"]:
            std, _, num = (t["item_ref"] or "").partition(":")
            if std and std != flt.standard:
                continue
            overdue.append(
                {
                    "code": code,
                    "name": ents[code].name,
                    "sample": ents[code].sample == "yes",
                    "item": t["item_ref"],
                    "title": t["title"]["zh"],
                    "due_date": t["due_date"],
                    "days_overdue": -t["days_left"],
                    "severity": t["severity"],
                }
            )
    overdue.sort(key=lambda r: (-r["days_overdue"], r["code"]))

    dims = []
    try:
        dims = list(dict.fromkeys(it.dimension for it in catalogue.items(flt.standard)))
    except Exception:
        dims = sorted({r["dimension"] for r in items})
    return {
        "filter": flt.query(),
        "enterprises": n,
        "consenting": len(ents),
        "distribution": dist,
        "items": items,
        "dimensions": dims,
        "movement": movement,
        "overdue": overdue,
        "reach": reach,
    }


# Columns of each table's CSV.
TABLES = {
    "distribution": ["bin", "count"],
    "items": ["item", "label", "dimension", "fail", "partial", "gaps", "share"],
    "movement": [
        "code",
        "name",
        "sample",
        "district",
        "latest",
        "latest_date",
        "previous",
        "previous_date",
        "change",
        "passed",
    ],
    "overdue": ["code", "name", "sample", "item", "title", "due_date", "days_overdue", "severity"],
    "reach": ["code", "name", "sample", "total", "partial", "partial_items", "failed_conditions"],
}
