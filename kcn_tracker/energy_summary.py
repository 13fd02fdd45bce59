"""``kcn energy summary``: MW per technology, stage, year, zone or investor on a day, from the
same project lines and parts as ``progress.compute_progress`` (so both show the same numbers)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from kcn_tracker.progress import _Context, _projects
from kcn_tracker.progress_report import Part, ProjectLine, _plain
from kcn_tracker.progress_records import EPS, ProgressRecords
from kcn_tracker.quantities import plus, total

SUMMARY_BY = ("technology", "stage", "year", "zone", "investor")
#: The MW columns of a group's row, in their order.
SUMMED = ("capacity_mw", "operating_mw", "online_in_period_mw", "not_counted_mw", "remaining_mw", "expected_by_deadline_mw")


@dataclass(eq=False)
class EnergySummary:
    """``kcn energy summary``: one row per group (per year and technology for ``by="year"``)."""

    as_of: dt.date
    by: str
    rows: list[dict[str, Any]]
    not_counted: list[Part]

    def as_dict(self) -> dict[str, Any]:
        return _plain(asdict(self))


def _group_key(ctx: _Context, line: ProjectLine, by: str, zone_names: Mapping[str, str]) -> tuple[str, str]:
    from kcn_tracker.stages import label

    if by == "technology":
        tech = ctx.tech.get(line.technology)
        return line.technology, tech.label_vi if tech else line.technology
    if by == "stage":
        return line.stage or "unknown", label("project", line.stage) if line.stage else "—"
    if by == "zone":
        return line.zone_code or "", zone_names.get(line.zone_code or "", line.zone_code or "ngoài KCN/CCN")
    return line.investor or "", line.investor or "chưa có / không nêu nhà đầu tư"


def energy_summary(records: ProgressRecords, as_of: dt.date, *, by: str = "technology") -> EnergySummary:
    """MW per group on ``as_of``: capacity, operating, brought online in the period (known dates),
    not counted (unknown start date), remaining, and remaining expected by the deadline."""
    if by not in SUMMARY_BY:
        raise ValueError(f"by must be one of {SUMMARY_BY}")
    ctx = _Context(records, as_of)
    parts, lines = _projects(records, ctx)
    lines = [line for line in lines if line.capacity_mw is not None]  # transmission and nuclear carry no MW
    if by == "year":
        return EnergySummary(as_of, by, _by_year(ctx, parts, lines), [p for p in parts if p.status == "unknown_date"])
    zone_names = {z.code: z.state(as_of).get("name") or z.code for z in records.zones}  # the name on that day
    groups: dict[str, dict[str, Any]] = {}
    terms: dict[str, dict[str, list[float]]] = {}  # per group and column, summed once (``total``: exact)
    key_of: dict[str, str] = {}
    for line in lines:
        key, label_vi = _group_key(ctx, line, by, zone_names)
        key_of[line.code] = key
        if key not in groups:
            groups[key] = {"key": key, "label": label_vi, "projects": 0}
            terms[key] = {column: [] for column in SUMMED}
        groups[key]["projects"] += 1
        cell = terms[key]
        cell["capacity_mw"].append(line.capacity_mw)
        cell["operating_mw"].append(line.operating_mw)
        cell["remaining_mw"].append(line.remaining_mw)
        if line.expected_cod and line.expected_cod <= ctx.end and as_of <= ctx.end:
            cell["expected_by_deadline_mw"].append(line.remaining_mw)
    for part in parts:
        if part.code in key_of:
            column = {"counted": "online_in_period_mw", "unknown_date": "not_counted_mw"}.get(part.status)
            if column:
                terms[key_of[part.code]][column].append(part.mw)
    for key, row in groups.items():
        row.update({column: total(values) for column, values in terms[key].items()})
    rows = sorted(groups.values(), key=lambda r: -r["capacity_mw"])
    return EnergySummary(as_of, by, rows, [p for p in parts if p.status == "unknown_date"])


def _by_year(ctx: _Context, parts: list[Part], lines: list[ProjectLine]) -> list[dict[str, Any]]:
    """Rows (year, technology): MW brought online that year (known dates) and remaining MW expected that year."""
    cells: dict[tuple[int, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for part in parts:
        if part.status in ("counted", "before_period", "after_deadline"):
            cell = cells[(part.started_on.year, part.technology)]
            cell[0] = plus(cell[0], part.mw)
    for line in lines:
        if line.expected_year is not None and line.remaining_mw > EPS:
            cell = cells[(line.expected_year, line.technology)]
            cell[1] = plus(cell[1], line.remaining_mw)
    rows = []
    for (year, tech), (online, expected) in sorted(cells.items()):
        label_vi = ctx.tech[tech].label_vi if tech in ctx.tech else tech
        rows.append({"key": year, "technology": tech, "label": label_vi, "online_mw": online, "expected_mw": expected})
    return rows
