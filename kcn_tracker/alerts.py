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
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
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


def _alert(kind: str, record_type: str, state: Mapping[str, Any], message: str, *, days: int | None = None,
           date: dt.date | None = None, **extra: Any) -> dict[str, Any]:
    severity, _, heading = KINDS[kind]
    return {"severity": severity, "severity_vi": SEVERITY_VI[severity], "kind": kind, "kind_vi": heading,
            "record_type": record_type, "code": state.get("code"), "name": state.get("display_name") or state.get("name"),
            "message": message,
            "days": days, "date": date, **extra}


def compute_alerts(records: ProgressRecords, as_of: dt.date, *, stale_months: int = staleness.DEFAULT_STALE_MONTHS) -> list[dict[str, Any]]:
    """Every alert on ``as_of``, most severe first (then most days, then name)."""
    agencies = dict(records.agencies)
    alerts: list[dict[str, Any]] = []
    for record_type, timelines in (("project", records.projects), ("zone", records.zones)):
        for timeline in timelines:
            state = _state(timeline, as_of)
            if not state:
                continue  # not yet in the register on that day
            alerts.extend(_record_alerts(record_type, state, timeline, as_of, stale_months, agencies))
    order = {kind: (sev, pos) for kind, (sev, pos, _) in KINDS.items()}
    alerts.sort(key=lambda a: (*order[a["kind"]], -(a["days"] or 0), a["name"] or ""))
    return alerts


def _record_alerts(record_type: str, state: dict[str, Any], timeline: RecordTimeline, as_of: dt.date,
                   stale_months: int, agencies: Mapping[str, str]) -> list[dict[str, Any]]:
    out = []
    for item in overdue.overdue_items(record_type, state, as_of):
        out.append(_alert("overdue", record_type, state, overdue.describe(item), days=item["days_overdue"],
                          date=item["expected_on"], expectation=item["expectation"], remaining_mw=item["remaining_mw"]))
    for ob in timeline.obstacles:
        row = assess_obstacle({"opened_on": ob.opened_on, "resolved_on": ob.resolved_on, "deadline": ob.deadline,
                               "status": ob.status}, as_of)
        if row["overdue_days"] is not None:
            who = agencies.get(ob.agency_key or "", "chưa rõ cơ quan")
            out.append(_alert("obstacle_overdue", record_type, state,
                              f"#{ob.obstacle_id} {ob.description} — {who}: {ob.action_requested or 'chưa ghi việc cần làm'}; "
                              f"hạn {format_date(ob.deadline)}, quá hạn {row['overdue_days']} ngày ({status_label(ob.status)})",
                              days=row["overdue_days"], date=ob.deadline, obstacle_id=ob.obstacle_id, agency_key=ob.agency_key))
    if state.get("stage") != "cancelled":
        news = staleness.assess(state, staleness.last_confirmed(_news_dates(timeline), as_of), as_of, months=stale_months)
        last = news["last_confirmed"]
        if news["maybe_stopped"]:
            out.append(_alert("maybe_stopped", record_type, state,
                              f"Không có tin mới từ {format_date(last)} ({news['days_since']} ngày): {staleness.MAYBE_STOPPED_VI}? "
                              "Cần người có thẩm quyền xác nhận, có văn bản.", days=news["days_since"], date=last))
        elif news["stale"]:
            out.append(_alert("stale", record_type, state,
                              f"Xác nhận lần cuối {format_date(last)} ({news['days_since']} ngày trước)",
                              days=news["days_since"], date=last))
    if not state.get("geometry") and state.get("plan_role") not in AGGREGATES:
        out.append(_alert("no_location", record_type, state, "Chưa có vị trí trên bản đồ"))
    wanted = NEEDS_DATE.get(state.get("stage") or "") if record_type == "project" else None
    if wanted and not any(state.get(f) for f in wanted) and state.get("plan_role") not in AGGREGATES:
        out.append(_alert("no_expected_date", record_type, state, "Giai đoạn này cần ngày dự kiến ("
                          + " hoặc ".join({"expected_cod": "vận hành", "expected_construction_start": "khởi công"}[f] for f in wanted)
                          + ") nhưng sổ chưa có"))
    return out


def counts(alerts: list[dict[str, Any]]) -> dict[str, int]:
    """Number of alerts per kind, in severity order."""
    return {kind: sum(1 for a in alerts if a["kind"] == kind) for kind in KINDS}
