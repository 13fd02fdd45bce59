"""The four exported tables (zones, projects, history, obstacles) as typed columns and plain rows.

Every format writer (``exporters.gis``, ``exporters.tabular``) takes these tables,
so all formats carry the same columns: machine keys for GIS/CSV, the Vietnamese
labels as spreadsheet headers. Values stay Python values (dates, floats, ints).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kcn_tracker.errors import InvalidValue
from kcn_tracker.fields import OBSTACLE_CATEGORIES, field_spec, fields_for
from kcn_tracker import clock

TABLES = ("zones", "projects", "history", "obstacles")
SPATIAL = ("zones", "projects")
RECORD_TYPE = {"zones": "zone", "projects": "project"}
#: Vietnamese sheet names (the zones/projects ones are the template's, so an export re-imports).
SHEET_TITLES = {"zones": "KCN-CCN", "projects": "Dự án điện", "history": "Lịch sử", "obstacles": "Vướng mắc"}


@dataclass(frozen=True)
class ExportColumn:
    """A column: machine key, Vietnamese header and type (str, float, int, date, datetime, bool)."""

    key: str
    label_vi: str
    kind: str


@dataclass
class Table:
    """One exported table; ``geometries`` (WKT or None per row) only for zones and projects."""

    name: str
    columns: list[ExportColumn]
    rows: list[dict[str, Any]]
    geometries: list[str | None] | None = None
    record_type: str | None = field(default=None)
    #: technology key -> Vietnamese label, for the people's formats (xlsx, KML, QGIS value maps).
    technologies: dict[str, str] = field(default_factory=dict)


def parse_what(text: str | None, fmt: str) -> tuple[str, ...]:
    """The tables asked for with --what (default: all, or zones+projects for GeoJSON/KML)."""
    if not text:
        return SPATIAL if fmt in ("geojson", "kml") else TABLES
    wanted = tuple(dict.fromkeys(part.strip().lower() for part in text.split(",") if part.strip()))
    unknown = [w for w in wanted if w not in TABLES]
    if unknown or not wanted:
        raise InvalidValue(f"--what: “{text}” không hợp lệ; chọn trong / choose from: {','.join(TABLES)}")
    if fmt in ("geojson", "kml") and set(wanted) - set(SPATIAL):
        raise InvalidValue(f"--format {fmt} chỉ chứa zones,projects; lịch sử và vướng mắc: dùng gpkg, xlsx hoặc csv / "
                           f"{fmt} carries only zones and projects")
    return wanted


def _record_columns(record_type: str) -> list[ExportColumn]:
    kinds = {"stage": "str", "geometry": "str"}
    cols = [ExportColumn(f.name, f.label_vi, kinds.get(f.kind, f.kind)) for f in fields_for(record_type) if f.name != "geometry"]
    extra = [ExportColumn("stage_label", "Tên giai đoạn", "str")]
    if record_type == "project":
        extra += [ExportColumn("technology_label", "Tên công nghệ", "str"),
                  ExportColumn("gem_status", "Trạng thái GEM (GEM status)", "str")]
    else:
        extra += [ExportColumn("occupancy_pct", "Tỷ lệ lấp đầy (%)", "float")]
    extra += [ExportColumn("approximate", "Vị trí gần đúng", "bool"),
              ExportColumn("open_obstacles", "Số vướng mắc đang mở", "int"),
              ExportColumn("lon", "Kinh độ (điểm đại diện)", "float"),
              ExportColumn("lat", "Vĩ độ (điểm đại diện)", "float")]
    return cols + extra


def record_table(session: Session, name: str, *, as_of: dt.date | None = None) -> Table:
    """Zones or projects with their state on ``as_of`` (default today) and derived columns."""
    import shapely

    from kcn_tracker.registry import views
    from kcn_tracker.stages import get_stage

    record_type = RECORD_TYPE[name]
    columns = _record_columns(record_type)
    rows, geometries = [], []
    for view in views(session, record_type, as_of=as_of):
        stage = get_stage(record_type, view["stage"]) if view.get("stage") else None  # type: ignore[arg-type]
        row = {c.key: view.get(c.key) for c in columns}
        row["stage_label"] = stage.label_vi if stage else None
        row["open_obstacles"] = len(view.get("open_obstacles") or [])
        if record_type == "project":
            row["gem_status"] = stage.gem_status if stage else None
        else:
            leasable, leased = view.get("leasable_ha"), view.get("leased_ha")
            row["occupancy_pct"] = round(100.0 * leased / leasable, 2) if leasable and leased is not None else None
        wkt = view.get("geometry")
        if wkt:
            point = shapely.from_wkt(wkt).representative_point()
            row["lon"], row["lat"] = round(point.x, 7), round(point.y, 7)
        rows.append(row)
        geometries.append(wkt or None)
    return Table(name, columns, rows, geometries, record_type)


HISTORY_COLUMNS = [
    ExportColumn("event_id", "Số sự kiện", "int"), ExportColumn("record_type", "Loại bản ghi", "str"),
    ExportColumn("code", "Mã", "str"), ExportColumn("name", "Tên", "str"),
    ExportColumn("effective_on", "Ngày hiệu lực", "date"), ExportColumn("date_basis", "Căn cứ ngày", "str"),
    ExportColumn("field", "Trường", "str"), ExportColumn("field_label", "Tên trường", "str"),
    ExportColumn("old", "Giá trị cũ", "str"), ExportColumn("new", "Giá trị mới", "str"),
    ExportColumn("document", "Văn bản", "str"), ExportColumn("note", "Ghi chú", "str"),
    ExportColumn("recorded_by", "Người ghi", "str"), ExportColumn("recorded_at", "Thời điểm ghi", "datetime"),
    ExportColumn("origin", "Nguồn ghi", "str"),
]


def _text(value: Any, name: str) -> str | None:
    if value is None:
        return None
    if name == "geometry":
        return str(value).split("(", 1)[0].strip() + " (…)"  # WKT is long: the full geometry is in the layers
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def history_table(session: Session, *, as_of: dt.date | None = None) -> Table:
    """One row per field changed by each event, in time order (creation events included)."""
    from kcn_tracker.history import diff_states
    from kcn_tracker.models import Event, Project, Zone

    rows = []
    for record_type, model in (("zone", Zone), ("project", Project)):
        for record in session.scalars(select(model).order_by(model.code)):
            state: dict[str, Any] = {}
            for event in sorted(record.events, key=lambda e: (e.effective_on, e.id)):
                if as_of is not None and event.effective_on > as_of:
                    break
                before = dict(state)
                state.update(event.changes or {})
                base = {"event_id": event.id, "record_type": record_type, "code": record.code, "name": record.name,
                        "effective_on": event.effective_on, "date_basis": event.date_basis,
                        "document": event.document.citation() if event.document else None, "note": event.note,
                        "recorded_by": event.recorded_by, "recorded_at": _naive(event.recorded_at), "origin": event.origin}
                changes = diff_states(before, state) or [None]
                for change in changes:
                    rows.append({**base, "field": change.field if change else None,
                                 "field_label": field_spec(record_type, change.field).label_vi if change else None,
                                 "old": _text(change.old, change.field) if change else None,
                                 "new": _text(change.new, change.field) if change else None})
    del Event
    rows.sort(key=lambda r: (r["effective_on"], r["event_id"]))
    return Table("history", HISTORY_COLUMNS, rows)


def _naive(moment: dt.datetime | None) -> dt.datetime | None:
    """UTC without tzinfo: Excel and GeoPackage have no time zones."""
    if moment is None:
        return None
    return moment.astimezone(dt.timezone.utc).replace(tzinfo=None) if moment.tzinfo else moment


OBSTACLE_COLUMNS = [
    ExportColumn("id", "Số vướng mắc", "int"), ExportColumn("record_type", "Loại bản ghi", "str"),
    ExportColumn("code", "Mã", "str"), ExportColumn("name", "Tên", "str"),
    ExportColumn("category", "Loại vướng mắc", "str"), ExportColumn("category_label", "Tên loại vướng mắc", "str"),
    ExportColumn("description", "Mô tả", "str"), ExportColumn("opened_on", "Ngày phát sinh", "date"),
    ExportColumn("opened_basis", "Căn cứ ngày phát sinh", "str"), ExportColumn("opened_document", "Văn bản phát sinh", "str"),
    ExportColumn("resolved_on", "Ngày giải quyết", "date"), ExportColumn("resolved_document", "Văn bản giải quyết", "str"),
    ExportColumn("resolution_note", "Ghi chú giải quyết", "str"), ExportColumn("is_open", "Đang mở", "bool"),
    ExportColumn("agency", "Cơ quan chịu trách nhiệm", "str"), ExportColumn("action_requested", "Việc đề nghị", "str"),
    ExportColumn("deadline", "Hạn xử lý", "date"), ExportColumn("overdue_days", "Quá hạn (ngày)", "int"),
    ExportColumn("status", "Trạng thái", "str"), ExportColumn("note", "Ghi chú", "str"),
]


def obstacle_table(session: Session, *, as_of: dt.date | None = None) -> Table:
    """Every obstacle opened on or before ``as_of``, open or resolved."""
    from kcn_tracker.models import Obstacle
    from kcn_tracker.obstacles.statuses import status_label
    from kcn_tracker.obstacles.work import assess

    day = as_of or clock.today()
    rows = []
    for ob in session.scalars(select(Obstacle).order_by(Obstacle.opened_on, Obstacle.id)):
        if ob.opened_on > day:
            continue
        record = ob.zone or ob.project
        resolved = ob.resolved_on if ob.resolved_on and ob.resolved_on <= day else None
        rows.append({
            "id": ob.id, "record_type": "zone" if ob.zone_id else "project", "code": record.code, "name": record.name,
            "category": ob.category, "category_label": OBSTACLE_CATEGORIES.get(ob.category, (ob.category,))[0],
            "description": ob.description, "opened_on": ob.opened_on, "opened_basis": ob.opened_basis,
            "opened_document": ob.opened_document.citation() if ob.opened_document else None,
            "resolved_on": resolved,
            "resolved_document": ob.resolved_document.citation() if resolved and ob.resolved_document else None,
            "resolution_note": ob.resolution_note if resolved else None, "is_open": ob.is_open_on(day), "note": ob.note,
            "agency": ob.agency.name_vi if ob.agency else None, "action_requested": ob.action_requested,
            "deadline": ob.deadline, "status": status_label(_status_on(ob, day)),
            "overdue_days": assess({"opened_on": ob.opened_on, "resolved_on": ob.resolved_on, "deadline": ob.deadline}, day)["overdue_days"],
        })
    return Table("obstacles", OBSTACLE_COLUMNS, rows)


def _status_on(obstacle: Any, day: dt.date) -> str:
    """The obstacle's status on ``day``: the last status its dated history had set by then."""
    status = "new"
    for update in sorted(obstacle.updates, key=lambda u: (u.effective_on, u.id)):
        if update.effective_on <= day and "status" in (update.changes or {}):
            status = update.changes["status"]
    return status


def build_tables(session: Session, what: tuple[str, ...], *, as_of: dt.date | None = None) -> list[Table]:
    """The requested tables, in the order asked, each knowing the technologies' Vietnamese labels."""
    from kcn_tracker.models import Technology

    technologies = {t.key: t.label_vi for t in session.scalars(select(Technology))}
    out = []
    for name in what:
        if name in SPATIAL:
            out.append(record_table(session, name, as_of=as_of))
        elif name == "history":
            out.append(history_table(session, as_of=as_of))
        else:
            out.append(obstacle_table(session, as_of=as_of))
    for table in out:
        table.technologies = technologies
    return out
