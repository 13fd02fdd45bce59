"""Reading the register for a briefing map: options, the ``Briefing`` (plain data, no session), filters.

First step of the map pipeline (collect → payload → html | png): ``collect_briefing``
reads the register on a day into plain dicts; everything after it works without a session.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kcn_tracker import clock
from kcn_tracker.errors import InvalidValue
from kcn_tracker.text import fold

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

KINDS = ("KCN", "CCN", "KKT")
KIND_LABELS = {"KCN": "Khu công nghiệp", "CCN": "Cụm công nghiệp", "KKT": "Khu kinh tế"}


@dataclass(frozen=True)
class MapOptions:
    """What to draw: filters (keys already resolved), colouring, and the day."""

    as_of: dt.date | None = None
    color_by: str = "stage"  # stage | technology (projects) | occupancy (zones); the page can switch stage/technology
    technology: str | None = None
    stage: str | None = None
    kind: str | None = None
    zone: str | None = None  # a name or code; zooms to it and its projects
    title: str = "Khu công nghiệp và dự án điện tỉnh Khánh Hòa"


@dataclass
class Briefing:
    """Everything one map shows, as plain data (no session): views, progress, filters."""

    as_of: dt.date
    zones: list[dict[str, Any]]
    projects: list[dict[str, Any]]
    technologies: dict[str, str]  # key -> Vietnamese label
    progress: dict[str, Any] | None = None  # ProgressReport.as_dict() of the whole register
    options: MapOptions = field(default_factory=MapOptions)
    filters: list[str] = field(default_factory=list)  # human description of active filters
    focus_code: str | None = None
    latest_change: dt.date | None = None  # the newest recorded event on or before as_of (any record)


# --------------------------------------------------------------------------- reading the register


#: The parts of ``ProgressReport.as_dict`` that the map's progress panel shows.
PANEL_PROGRESS = ("verdicts", "energy", "land", "notes")


def collect_briefing(session: Session, options: MapOptions) -> Briefing:
    """Read the register on ``options.as_of`` (default today), apply the filters, compute progress."""
    from kcn_tracker import overdue
    from kcn_tracker.progress import compute_progress
    from kcn_tracker.progress_data import load_records
    from kcn_tracker.registry import views
    from kcn_tracker.state import technology_labels

    day = options.as_of or clock.today()
    # Progress first: its timelines are garbage before the views are read, so the
    # two never sit in memory together. The panel shows verdicts, energy, land and notes, not
    # the 10,000 project lines of a national register.
    records = load_records(session, as_of=day)
    tenants = records.tenants  # kept for the zones' occupancy from tenant leases
    progress = compute_progress(records, day).as_dict(only=PANEL_PROGRESS)
    del records
    zones, projects = views(session, "zone", as_of=day), views(session, "project", as_of=day)
    latest: dt.date | None = None
    for rows, record_type in ((zones, "zone"), (projects, "project")):
        last = last_changes(session, record_type, day)
        for row in rows:
            row["last_change"] = last.get(row["id"])
            # Expected dates passed without their event (issue 14): drawn with the style's overdue symbol.
            row["overdue"] = "; ".join(overdue.describe(item) for item in overdue.overdue_items(record_type, row, day)) or None
        latest = max([d for d in (latest, *(c["on"] for c in last.values())) if d], default=None)
    technologies = technology_labels(session)
    from kcn_tracker.tenants.derived import apply_derived_leases

    apply_derived_leases(zones, tenants, day)  # occupancy from tenant leases where tenants are entered
    briefing = Briefing(day, zones, projects, technologies, progress, options, latest_change=latest)
    return apply_filters(briefing, session=session)


def last_changes(session: Session, record_type: str, day: dt.date) -> dict[int, dict[str, Any]]:
    """Per record id: the date, date basis, document and note of its last event on or before ``day``
    (one query, the latest event of each record: ``journal.last_changes``)."""
    from kcn_tracker.journal import last_changes as read_last_changes

    return read_last_changes(session, record_type, day)


def apply_filters(briefing: Briefing, *, session: Session | None = None) -> Briefing:
    """Keep what the options ask for and describe the filters in Vietnamese.

    --technology keeps projects of that technology (zones stay for context); --kind keeps
    zones of that kind (projects stay); --stage keeps zones and projects at that stage (a
    stage zones do not have hides every zone); --zone keeps everything but zooms to the zone.
    """
    from kcn_tracker.stages import label, parse_stage

    opts = briefing.options
    if opts.technology:
        if session is not None:
            from kcn_tracker.registry import parse_technology

            key = parse_technology(session, opts.technology)
        else:
            key = _technology_key(opts.technology, briefing.technologies)
        briefing.projects = [p for p in briefing.projects if p.get("technology") == key]
        briefing.filters.append(f"công nghệ: {briefing.technologies.get(key, key)}")
    if opts.kind:
        kind = opts.kind.upper()
        if kind not in KINDS:
            raise InvalidValue(f"--kind: “{opts.kind}” không hợp lệ; chọn / choose: {', '.join(KINDS)}")
        briefing.zones = [z for z in briefing.zones if z.get("kind") == kind]
        briefing.filters.append(f"loại khu: {kind}")
    if opts.stage:
        keys = {}
        for record_type in ("project", "zone"):
            try:
                keys[record_type] = parse_stage(record_type, opts.stage).key  # type: ignore[arg-type]
            except InvalidValue:
                keys[record_type] = None
        if not any(keys.values()):
            parse_stage("project", opts.stage)  # raises the message listing the stages
        briefing.projects = [p for p in briefing.projects if keys["project"] and p.get("stage") == keys["project"]]
        briefing.zones = [z for z in briefing.zones if keys["zone"] and z.get("stage") == keys["zone"]]
        shown = keys["project"] or keys["zone"]
        briefing.filters.append(f"giai đoạn: {label('project' if keys['project'] else 'zone', shown)}")
    if opts.zone:
        briefing.focus_code = _focus_zone(briefing, opts.zone, session)
    return briefing


def _technology_key(text: str, technologies: dict[str, str]) -> str:
    wanted = fold(text)
    for key, label_vi in technologies.items():
        if wanted in (fold(key), fold(label_vi)):
            return key
    raise InvalidValue(f"--technology: “{text}” không tồn tại; chọn / choose: {', '.join(technologies)}")


def _focus_zone(briefing: Briefing, query: str, session: Session | None) -> str:
    if session is not None:
        from kcn_tracker.registry import resolve_id

        code = resolve_id(session, "zone", query)[1]
    else:
        matches = [z["code"] for z in briefing.zones if query in (z["code"], z.get("name")) or fold(query) == fold(z.get("name") or "")]
        if len(matches) != 1:
            raise InvalidValue(f"--zone: “{query}” không tìm thấy hoặc không rõ / not found or ambiguous")
        code = matches[0]
    zone = next((z for z in briefing.zones if z["code"] == code), None)
    name = zone.get("name") if zone else code
    briefing.filters.append(f"phóng tới: {name}")
    return code
