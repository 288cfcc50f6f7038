"""Office hours (Asia/Shanghai by default) and the expected reply time of a case.

Configured by CASE_OFFICE_HOURS ("09:00-17:00"), CASE_OFFICE_DAYS ("1-5",
ISO weekdays, Monday = 1), CASE_REPLY_HOURS (office hours until a reply, 4)
and CASE_TIMEZONE ("Asia/Shanghai"). Public holidays are not known: the
message says "working days" and an officer may answer later on a holiday."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

WEEKDAYS_ZH = "一二三四五六日"


def _hm(text: str) -> dt.time:
    h, _, m = text.strip().partition(":")
    return dt.time(int(h), int(m or 0))


def _days(text: str) -> frozenset:
    out: set = set()
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        a, _, b = part.partition("-")
        lo, hi = int(a), int(b or a)
        if not (1 <= lo <= hi <= 7):
            raise ValueError("CASE_OFFICE_DAYS: weekdays 1 (Monday) to 7 (Sunday), e.g. 1-5")
        out.update(range(lo, hi + 1))
    if not out:
        raise ValueError("CASE_OFFICE_DAYS is empty")
    return frozenset(out)


@dataclass(frozen=True)
class OfficeHours:
    start: dt.time = dt.time(9, 0)
    end: dt.time = dt.time(17, 0)
    days: frozenset = frozenset({1, 2, 3, 4, 5})
    reply_hours: float = 4.0
    tz: str = "Asia/Shanghai"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> OfficeHours:
        env = os.environ if env is None else env
        hours = (env.get("CASE_OFFICE_HOURS") or "09:00-17:00").strip()
        try:
            a, _, b = hours.partition("-")
            start, end = _hm(a), _hm(b)
        except ValueError:
            raise ValueError("CASE_OFFICE_HOURS must look like 09:00-17:00") from None
        if end <= start:
            raise ValueError("CASE_OFFICE_HOURS: the end must be after the start")
        try:
            reply = float(env.get("CASE_REPLY_HOURS") or 4)
        except ValueError:
            raise ValueError("CASE_REPLY_HOURS must be a number") from None
        tz = (env.get("CASE_TIMEZONE") or "Asia/Shanghai").strip()
        try:
            ZoneInfo(tz)
        except (KeyError, ValueError):
            raise ValueError(f"CASE_TIMEZONE: unknown time zone {tz!r}") from None
        return cls(start, end, _days(env.get("CASE_OFFICE_DAYS") or "1-5"), max(0.5, reply), tz)

    def local(self, now: dt.datetime | None = None) -> dt.datetime:
        now = now or dt.datetime.now(dt.timezone.utc)
        if now.tzinfo is None:
            now = now.replace(tzinfo=dt.timezone.utc)
        return now.astimezone(ZoneInfo(self.tz))

    def is_open(self, now: dt.datetime | None = None) -> bool:
        t = self.local(now)
        return t.isoweekday() in self.days and self.start <= t.time() < self.end

    def next_open(self, now: dt.datetime | None = None) -> dt.datetime:
        """The next moment office hours begin (local time); ``now`` itself when open."""
        t = self.local(now)
        if self.is_open(t):
            return t
        day = t.date()
        for i in range(8):
            d = day + dt.timedelta(days=i)
            opening = dt.datetime.combine(d, self.start, tzinfo=t.tzinfo)
            if d.isoweekday() in self.days and opening > t:
                return opening
        raise AssertionError("no office day in a week")  # _days never allows that

    def expected_reply(self, now: dt.datetime | None = None) -> dt.datetime:
        """Counting ``reply_hours`` of office time from now (or from the next opening)."""
        t = self.next_open(now)
        left = dt.timedelta(hours=self.reply_hours)
        while True:
            close = dt.datetime.combine(t.date(), self.end, tzinfo=t.tzinfo)
            if t + left <= close:
                return t + left
            left -= close - t
            t = self.next_open(close + dt.timedelta(seconds=1))


def _when(t: dt.datetime, lang: str, now: dt.datetime) -> str:
    same_day = t.date() == now.date()
    if lang == "zh":
        day = "今天" if same_day else f"{t.month}月{t.day}日（周{WEEKDAYS_ZH[t.isoweekday() - 1]}）"
        return f"{day}{t:%H:%M}"
    day = "today" if same_day else f"{t:%A} {t.day} {t:%B}"
    return f"{day} at {t:%H:%M}"


def reply_time_text(hours: OfficeHours, lang: str, now: dt.datetime | None = None) -> str:
    """One sentence: when to expect an answer, and the office hours when closed."""
    local_now = hours.local(now)
    expected = hours.expected_reply(now)
    span = f"{hours.start:%H:%M}–{hours.end:%H:%M}"
    if hours.is_open(now):
        if lang == "zh":
            return f"关员一般会在{hours.reply_hours:g}个工作小时内答复，预计{_when(expected, lang, local_now)}前（北京时间）。"
        return f"An officer usually answers within {hours.reply_hours:g} office hours: expect a reply by {_when(expected, lang, local_now)} (Beijing time)."
    opening = hours.next_open(now)
    if lang == "zh":
        return (
            f"现在是非工作时间（工作日 {span}，北京时间）。关员将在{_when(opening, lang, local_now)}上班后处理，"
            f"预计{_when(expected, lang, local_now)}前答复（节假日顺延）。"
        )
    return (
        f"It is outside office hours now (working days {span}, Beijing time). An officer will pick this up "
        f"{_when(opening, lang, local_now)}; expect a reply by {_when(expected, lang, local_now)} (later on public holidays)."
    )
