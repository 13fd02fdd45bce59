"""Reporting periods (``2026-Q2``, ``2026-H1``, ``2026`` or a date range) and the reporting rhythm.

A period is stored the way ``workflow.changes_between`` reads it: ``after`` is the
last day of the previous period (exclusive) and ``end`` the period's last day
(inclusive), so a quarter's report lists exactly what ``kcn changes --from
<after> --to <end>`` lists, and its figures are those of ``kcn progress --as-of <end>``.

The rhythm (FACTS.md §4) is data: who reports, what, before which day, and the
document that says so.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from kcn_tracker.errors import InvalidValue
from kcn_tracker.text import format_date, nfc

D = dt.date


@dataclass(frozen=True)
class Period:
    """A reporting period: changes after ``after`` up to and including ``end``."""

    key: str  # "2026-Q2", "2026-H1", "2026", "2026-04-01_2026-05-15"
    kind: str  # quarter | half | year | custom
    after: dt.date
    end: dt.date

    @property
    def first_day(self) -> dt.date:
        """The first day inside the period."""
        return self.after + dt.timedelta(days=1)

    @property
    def label_vi(self) -> str:
        """ "Quý 2/2026", "6 tháng đầu năm 2026", "Năm 2026" or "Từ 01/04/2026 đến 15/05/2026"."""
        year = self.end.year
        if self.kind == "quarter":
            return f"Quý {(self.end.month - 1) // 3 + 1}/{year}"
        if self.kind == "half":
            return f"6 tháng {'đầu' if self.end.month == 6 else 'cuối'} năm {year}"
        if self.kind == "year":
            return f"Năm {year}"
        return f"Từ {format_date(self.first_day)} đến {format_date(self.end)}"

    @property
    def range_vi(self) -> str:
        """ "01/04/2026 – 30/06/2026"."""
        return f"{format_date(self.first_day)} – {format_date(self.end)}"


def _month_end(year: int, month: int) -> dt.date:
    return D(year, month, calendar.monthrange(year, month)[1])


def quarter(year: int, number: int) -> Period:
    """Quarter ``number`` (1-4) of ``year``."""
    first = D(year, 3 * number - 2, 1)
    return Period(f"{year}-Q{number}", "quarter", first - dt.timedelta(days=1), _month_end(year, 3 * number))


def half(year: int, number: int) -> Period:
    """Half-year ``number`` (1-2) of ``year``."""
    first = D(year, 1 if number == 1 else 7, 1)
    return Period(f"{year}-H{number}", "half", first - dt.timedelta(days=1), _month_end(year, 6 if number == 1 else 12))


def year_period(year: int) -> Period:
    """The calendar year."""
    return Period(str(year), "year", D(year - 1, 12, 31), D(year, 12, 31))


_PATTERN = re.compile(r"^(\d{4})(?:[-_ /]?(q|h)([1-4]))?$", re.IGNORECASE)


def parse_period(text: str) -> Period:
    """Parse ``2026-Q2``, ``2026-H1`` or ``2026`` (also ``Q2/2026``-style ``2026q2``)."""
    raw = nfc(text).replace("Quý", "Q").replace("quý", "q")
    match = _PATTERN.match(raw.replace(" ", ""))
    if match:
        year, letter, number = int(match.group(1)), (match.group(2) or "").lower(), match.group(3)
        if 1990 <= year <= 2100:
            if not letter:
                return year_period(year)
            if letter == "q":
                return quarter(year, int(number))
            if int(number) <= 2:
                return half(year, int(number))
    raise InvalidValue(
        f"--period: “{text}” không hợp lệ; dùng 2026-Q2 (quý), 2026-H1 (6 tháng) hoặc 2026 (năm) / "
        "invalid period; use 2026-Q2, 2026-H1 or 2026"
    )


def period_between(after: dt.date, end: dt.date) -> Period:
    """A custom period: changes after ``after`` (exclusive, as ``kcn changes --from``) up to ``end``."""
    if end < after:
        raise InvalidValue("--to phải sau --from / --to must not be before --from")
    for candidate in (year_period(end.year), half(end.year, 1 if end.month <= 6 else 2), quarter(end.year, (end.month - 1) // 3 + 1)):
        if candidate.after == after and candidate.end == end:
            return candidate  # a range that is exactly a quarter reads as that quarter
    return Period(f"{after.isoformat()}_{end.isoformat()}", "custom", after, end)


@dataclass(frozen=True)
class ReportingRule:
    """One recurring report: who sends it to whom, for which period kind, due before which day."""

    key: str
    body_vi: str
    report_vi: str
    period_kind: str  # quarter | half | year
    due_month: int | None  # None: the last month of each quarter
    due_day: int
    citation: str
    alternative: str | None = None  # another source giving another day, kept side by side


#: FACTS.md §4. "Trước ngày X" = the report must arrive before day X (the day is shown).
REPORTING_RULES: tuple[ReportingRule, ...] = (
    ReportingRule("kkt-quarter", "Ban Quản lý KKT và KCN", "Báo cáo quý", "quarter", None, 20,
                  "001 §IV.3: định kỳ hàng quý (trước ngày 20 hàng quý), tính là tháng cuối quý"),
    ReportingRule("kkt-half", "Ban Quản lý KKT và KCN", "Báo cáo 6 tháng", "half", 6, 5,
                  "001 §IV.3: 6 tháng (trước ngày 05 tháng 6)"),
    ReportingRule("kkt-year", "Ban Quản lý KKT và KCN", "Báo cáo năm", "year", 12, 1,
                  "001 §IV.3: báo cáo năm (trước ngày 01 tháng 12 hàng năm)"),
    ReportingRule("sct-half", "Sở Công Thương (tổng hợp, báo cáo UBND tỉnh)", "Báo cáo 6 tháng", "half", 6, 25,
                  "003 §IV: định kỳ 6 tháng trước ngày 25 tháng 6; 004 §III: 6 tháng (trước ngày 25/6)"),
    ReportingRule("sct-year", "Sở Công Thương (tổng hợp, báo cáo UBND tỉnh)", "Báo cáo năm", "year", 12, 20,
                  "003 §IV: hàng năm trước ngày 20 tháng 12",
                  alternative="004 §III ghi trước ngày 25/12; hạn sớm hơn (20/12) được dùng để không trễ"),
)


@dataclass(frozen=True)
class Deadline:
    """The next occurrence of a reporting rule, with the period it covers."""

    due_before: dt.date
    rule: ReportingRule
    period: Period


def _occurrences(rule: ReportingRule, year: int) -> list[Deadline]:
    if rule.period_kind == "quarter":
        return [Deadline(D(year, 3 * q, rule.due_day), rule, quarter(year, q)) for q in range(1, 5)]
    if rule.period_kind == "half":
        # The half-year report is due in June: it covers the first half of that year.
        return [Deadline(D(year, rule.due_month or 6, rule.due_day), rule, half(year, 1))]
    return [Deadline(D(year, rule.due_month or 12, rule.due_day), rule, year_period(year))]


def next_deadlines(today: dt.date, *, rules: tuple[ReportingRule, ...] = REPORTING_RULES) -> list[Deadline]:
    """For every rule, its next deadline on or after ``today``, soonest first."""
    found = []
    for rule in rules:
        upcoming = [d for y in (today.year, today.year + 1) for d in _occurrences(rule, y) if d.due_before >= today]
        found.append(min(upcoming, key=lambda d: d.due_before))
    return sorted(found, key=lambda d: (d.due_before, d.rule.key))


#: How long a passed deadline stays listed by ``kcn report --due`` (marked overdue).
OVERDUE_WINDOW_DAYS = 45


def recent_overdue(today: dt.date, *, within_days: int = OVERDUE_WINDOW_DAYS,
                   rules: tuple[ReportingRule, ...] = REPORTING_RULES) -> list[Deadline]:
    """For every rule, its latest deadline that passed less than ``within_days`` days before ``today``, oldest first.

    The register does not know whether a report was sent, so a passed deadline stays
    listed (as overdue) for a while instead of vanishing the day after it passes.
    """
    found = []
    for rule in rules:
        passed = [d for y in (today.year - 1, today.year) for d in _occurrences(rule, y)
                  if d.due_before < today and (today - d.due_before).days <= within_days]
        if passed:
            found.append(max(passed, key=lambda d: d.due_before))
    return sorted(found, key=lambda d: (d.due_before, d.rule.key))

