"""Early warning: one list, in order of severity, of what is late, stale, unplaced or undated.

``compute_alerts(records, as_of, stale_months=...)`` takes the plain records of
``progress_records`` (loaded without the ORM by ``progress_data.load_records``) and
returns plain rows, most severe first:

1. cao (high): expected dates passed without the event (``overdue``), obstacle
   deadlines passed while the obstacle is still open;
2. trung bình (medium): records with no news for 2 years ("có thể đã dừng", a
   suggestion only), records not confirmed for more than ``stale_months`` months;
3. thấp (low): records without a location (aggregate placeholders excepted),
   projects whose stage calls for an expected date that they do not have.

``findings`` and ``rows`` are its two halves: what is found on every record, then
sorted and worded. ``kcn alerts`` words only the rows it prints (``rows(found,
limit=40)``): a national register has an alert for most of its records.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from operator import itemgetter
from typing import Any

from kcn_tracker import overdue, staleness
from kcn_tracker.obstacles.statuses import status_label
from kcn_tracker.obstacles.work import assess as assess_obstacle
from kcn_tracker.progress_records import ProgressRecords, RecordTimeline
from kcn_tracker.text import format_date

SEVERITY_VI = {1: "cao", 2: "trung bình", 3: "thấp"}
#: kind -> (severity, order within the severity, Vietnamese heading)
KINDS: dict[str, tuple[int, int, str]] = {
    "overdue": (1, 0, "Quá hạn so với dự kiến"),
    "obstacle_overdue": (1, 1, "Vướng mắc quá hạn xử lý"),
    "maybe_stopped": (2, 0, "Có thể đã dừng (gợi ý)"),
    "stale": (2, 1, "Lâu chưa xác nhận"),
    "no_location": (3, 0, "Chưa có vị trí"),
    "no_expected_date": (3, 1, "Thiếu ngày dự kiến"),
}
#: Stages whose projects should carry an expected date, and which.
NEEDS_DATE = {"construction": ("expected_cod",), "partly_operating": ("expected_cod",),
              "investor_approved": ("expected_construction_start", "expected_cod"),
              "site_clearance": ("expected_construction_start", "expected_cod")}
AGGREGATES = ("unnamed", "unallocated")


def _state(timeline: RecordTimeline, as_of: dt.date) -> dict[str, Any]:
    state = timeline.state(as_of)
    if state:
        state["code"] = timeline.code
        if state.get("kind"):  # zones: "KCN Cà Ná (giai đoạn 1)", not just "Cà Ná"
            state["display_name"] = f"{state['kind']} {state.get('name')}" + (f" ({state['phase']})" if state.get("phase") else "")
    return state


def _news_dates(timeline: RecordTimeline) -> list[dt.date | None]:
    dates: list[dt.date | None] = [e.effective_on for e in timeline.events]
    for ob in timeline.obstacles:
        dates += [ob.opened_on, ob.last_update_on, ob.resolved_on]
    return dates


#: An alert before it becomes a row: (sort key, kind, record type, state, what its message says). A national
#: register has an alert for most records; the terminal shows forty, so only those are worded (``rows``).
Finding = tuple[tuple[int, int, int, str], str, str, dict[str, Any], Any]
_ORDER = {kind: (severity, position) for kind, (severity, position, _) in KINDS.items()}
_by_key = itemgetter(0)


def findings(records: ProgressRecords, as_of: dt.date, *, stale_months: int = staleness.DEFAULT_STALE_MONTHS,
             kinds: Collection[str] = ()) -> list[Finding]:
    """Every alert on ``as_of`` (only of ``kinds``, if given), unsorted and not yet worded: see ``rows``."""
    agencies = dict(records.agencies)
    out: list[Finding] = []
    for record_type, timelines in (("project", records.projects), ("zone", records.zones)):
        for timeline in timelines:
            state = _state(timeline, as_of)
            if state:  # else not yet in the register on that day
                _record_findings(out, record_type, state, timeline, as_of, stale_months, agencies)
    return [f for f in out if f[1] in kinds] if kinds else out


def rows(found: list[Finding], *, limit: int = 0) -> list[dict[str, Any]]:
    """The alerts as rows, most severe first (then most days, then name); with ``limit``, only the first ones."""
    ordered = heapq.nsmallest(limit, found, key=_by_key) if limit else sorted(found, key=_by_key)
    return [_row(*finding[1:]) for finding in ordered]


def compute_alerts(records: ProgressRecords, as_of: dt.date, *, stale_months: int = staleness.DEFAULT_STALE_MONTHS) -> list[dict[str, Any]]:
    """Every alert on ``as_of`` as rows, most severe first (then most days, then name)."""
    return rows(findings(records, as_of, stale_months=stale_months))


def _add(out: list[Finding], kind: str, record_type: str, state: dict[str, Any], days: int | None, detail: Any = None) -> None:
    out.append(((*_ORDER[kind], -(days or 0), state.get("display_name") or state.get("name") or ""),
                kind, record_type, state, detail))


def _record_findings(out: list[Finding], record_type: str, state: dict[str, Any], timeline: RecordTimeline, as_of: dt.date,
                     stale_months: int, agencies: Mapping[str, str]) -> None:
    for item in overdue.overdue_items(record_type, state, as_of):
        _add(out, "overdue", record_type, state, item["days_overdue"], item)
    for ob in timeline.obstacles:
        row = assess_obstacle({"opened_on": ob.opened_on, "resolved_on": ob.resolved_on, "deadline": ob.deadline,
                               "status": ob.status}, as_of)
        if row["overdue_days"] is not None:
            _add(out, "obstacle_overdue", record_type, state, row["overdue_days"],
                 (ob, row["overdue_days"], agencies.get(ob.agency_key or "", "chưa rõ cơ quan")))
    if state.get("stage") != "cancelled":
        news = staleness.assess(state, staleness.last_confirmed(_news_dates(timeline), as_of), as_of, months=stale_months)
        if news["maybe_stopped"]:
            _add(out, "maybe_stopped", record_type, state, news["days_since"], (news["last_confirmed"], news["days_since"]))
        elif news["stale"]:
            _add(out, "stale", record_type, state, news["days_since"], (news["last_confirmed"], news["days_since"]))
    if not state.get("geometry") and state.get("plan_role") not in AGGREGATES:
        _add(out, "no_location", record_type, state, None)
    wanted = NEEDS_DATE.get(state.get("stage") or "") if record_type == "project" else None
    if wanted and not any(state.get(f) for f in wanted) and state.get("plan_role") not in AGGREGATES:
        _add(out, "no_expected_date", record_type, state, None, wanted)


def _row(kind: str, record_type: str, state: Mapping[str, Any], detail: Any) -> dict[str, Any]:
    """A finding worded: its row (the message in Vietnamese, the figures behind it)."""
    if kind == "maybe_stopped":
        last, days = detail
        return _alert(kind, record_type, state,
                      f"Không có tin mới từ {format_date(last)} ({days} ngày): {staleness.MAYBE_STOPPED_VI}? "
                      "Cần người có thẩm quyền xác nhận, có văn bản.", days=days, date=last)
    if kind == "stale":
        last, days = detail
        return _alert(kind, record_type, state, f"Xác nhận lần cuối {format_date(last)} ({days} ngày trước)",
                      days=days, date=last)
    if kind == "overdue":
        return _alert(kind, record_type, state, overdue.describe(detail), days=detail["days_overdue"], date=detail["expected_on"],
                      expectation=detail["expectation"], remaining_mw=detail["remaining_mw"])
    if kind == "obstacle_overdue":
        ob, overdue_days, who = detail
        return _alert(kind, record_type, state,
                      f"#{ob.obstacle_id} {ob.description} — {who}: {ob.action_requested or 'chưa ghi việc cần làm'}; "
                      f"hạn {format_date(ob.deadline)}, quá hạn {overdue_days} ngày ({status_label(ob.status)})",
                      days=overdue_days, date=ob.deadline, obstacle_id=ob.obstacle_id, agency_key=ob.agency_key)
    if kind == "no_location":
        return _alert(kind, record_type, state, "Chưa có vị trí trên bản đồ")
    return _alert(kind, record_type, state, "Giai đoạn này cần ngày dự kiến ("
                  + " hoặc ".join({"expected_cod": "vận hành", "expected_construction_start": "khởi công"}[f] for f in detail)
                  + ") nhưng sổ chưa có")


def _alert(kind: str, record_type: str, state: Mapping[str, Any], message: str, *, days: int | None = None,
           date: dt.date | None = None, **extra: Any) -> dict[str, Any]:
    severity, _, heading = KINDS[kind]
    return {"severity": severity, "severity_vi": SEVERITY_VI[severity], "kind": kind, "kind_vi": heading,
            "record_type": record_type, "code": state.get("code"), "name": state.get("display_name") or state.get("name"),
            "message": message,
            "days": days, "date": date, **extra}


def counts(alerts: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Number of alerts (rows) per kind, in severity order."""
    return count_kinds(a["kind"] for a in alerts)


def count_kinds(kinds: Iterable[str]) -> dict[str, int]:
    """Number of each kind in ``kinds`` (of rows or findings), in severity order."""
    found = Counter(kinds)
    return {kind: found[kind] for kind in KINDS}
