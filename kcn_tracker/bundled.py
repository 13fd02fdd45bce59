"""Load the bundled, cited register (``data/``) into the database, idempotently.

Every item loaded is remembered in ``loaded_bundle``: loading again skips it, so
running twice never duplicates records and never overwrites what users changed
since. Everything is validated first and written in the caller's transaction.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kcn_tracker.errors import KcnError, Problem, ValidationFailed
from kcn_tracker.fields import OBSTACLE_CATEGORIES, fields_for
from kcn_tracker.history import record_change
from kcn_tracker.models import Document, LoadedBundle, PlanFact, Project, Target, Technology, Zone
from kcn_tracker.obstacles.service import open_obstacle
from kcn_tracker.settings import bundled_data_dir
from kcn_tracker.text import nfc
from kcn_tracker import clock

BUNDLED_BY = "kcn-tracker (dữ liệu kèm theo / bundled data)"
_EVENT_FIELDS = {
    "project": ("stage", "capacity_operating_mw", "expected_cod", "expected_cod_precision", "actual_cod", "investor",
                "expected_construction_start", "expected_first_power", "construction_completed"),
    "zone": ("stage", "leasable_ha", "leased_ha", "tenants_registered", "tenants_operating", "developer",
             "expected_infrastructure_done"),
}
_DIRS = {"project": "energy_projects", "zone": "zones"}
_GEOJSON = {"project": "projects.geojson", "zone": "zones.geojson"}


@dataclass
class LoadReport:
    """What a load added (zero everywhere on a second run)."""

    documents: int = 0
    zones: int = 0
    projects: int = 0
    events: int = 0
    obstacles: int = 0
    skipped: int = 0
    details: list[str] = field(default_factory=list)

    @property
    def added(self) -> int:
        return self.documents + self.zones + self.projects + self.events + self.obstacles


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{k: nfc(v or "") for k, v in row.items() if k} for row in csv.DictReader(handle)]


def _read_features(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return list(data.get("features", []))


def _value(record_type: str, name: str, raw: Any) -> Any:
    """Convert a CSV/GeoJSON cell to the JSON value an event stores ("" -> None)."""
    from kcn_tracker.fields import field_spec

    if raw is None or raw == "":
        return None
    kind = field_spec(record_type, name).kind
    if kind == "float":
        return float(raw)
    if kind == "int":
        return int(float(raw))
    if kind == "bool":
        return raw if isinstance(raw, bool) else str(raw).strip().lower() in ("true", "1", "yes", "có")
    if kind == "date":
        return dt.date.fromisoformat(str(raw)).isoformat()
    return nfc(str(raw)) if isinstance(raw, str) else raw


def _wkt(geometry: dict[str, Any] | None) -> str | None:
    if not geometry:
        return None
    if geometry.get("type") != "Point":
        from shapely.geometry import shape  # polygons only: the bundled points need no shapely

        return shape(geometry).wkt
    lon, lat = geometry["coordinates"][:2]
    return f"POINT ({lon} {lat})"


def _item_key(*parts: str) -> str:
    text = "|".join(parts)
    return text if len(text) <= 200 else text[:150] + "#" + hashlib.sha1(text.encode()).hexdigest()[:16]


def load_bundled(session: Session, *, data_dir: Path | None = None, now: dt.datetime | None = None) -> LoadReport:
    """Load what is not loaded yet from ``data_dir``; raise ValidationFailed listing every problem."""
    root = data_dir or bundled_data_dir()
    now = now or clock.now()
    loaded = set(session.scalars(select(LoadedBundle.item)))
    report = LoadReport()
    problems: list[Problem] = []

    def mark(item: str) -> None:
        loaded.add(item)
        session.add(LoadedBundle(item=item, loaded_at=now))

    docs = {d.doc_id: d for d in session.scalars(select(Document))}
    for row in _read_csv(root / "documents.csv"):
        if row["doc_id"] not in docs:
            doc = Document(
                doc_id=row["doc_id"], number=row.get("number") or None,
                issued_on=dt.date.fromisoformat(row["issued_on"]) if row.get("issued_on") else None,
                issuer=row.get("issuer") or None, kind=row.get("kind") or None, title=row.get("title") or None,
                seed_file=row.get("seed_file") or None, note=row.get("note") or None,
            )
            session.add(doc)
            docs[doc.doc_id] = doc
            report.documents += 1
    _load_reference(session, root, loaded, mark)

    for record_type in ("zone", "project"):
        _load_records(session, root, record_type, docs, loaded, mark, report, problems, now)
    if problems:
        raise ValidationFailed(problems, title="Dữ liệu kèm theo không hợp lệ / bundled data is invalid")
    return report


def _load_reference(session: Session, root: Path, loaded: set[str], mark: Any) -> None:
    for row in _read_csv(root / "technologies.csv"):
        item = f"technology:{row['key']}"
        if item not in loaded and session.get(Technology, row["key"]) is None:
            session.add(Technology(key=row["key"], label_vi=row["label_vi"], label_en=row["label_en"],
                                   target_id=row.get("target_id") or None,
                                   plan_mw=float(row["plan_mw"]) if row.get("plan_mw") else None,
                                   source=row.get("source") or None))
            mark(item)
    for row in _read_csv(root / "targets.csv"):
        item = f"target:{row['target_id']}"
        if item not in loaded and session.get(Target, row["target_id"]) is None:
            session.add(Target(
                target_id=row["target_id"], label_vi=row["label_vi"], label_en=row["label_en"],
                value=float(row["value"]) if row.get("value") else None,
                value_max=float(row["value_max"]) if row.get("value_max") else None,
                unit=row.get("unit") or None, comparator=row.get("comparator") or None,
                period_start=dt.date.fromisoformat(row["period_start"]) if row.get("period_start") else None,
                deadline=dt.date.fromisoformat(row["deadline"]) if row.get("deadline") else None,
                source=row.get("source") or None, note=row.get("note") or None))
            mark(item)
    for row in _read_csv(root / "plan.csv"):
        item = f"plan:{row['key']}"
        if item not in loaded and session.get(PlanFact, row["key"]) is None:
            session.add(PlanFact(key=row["key"], value=float(row["value"]), source=row.get("source") or None))
            mark(item)
    session.flush()


def _load_records(session: Session, root: Path, record_type: str, docs: dict[str, Document],
                  loaded: set[str], mark: Any, report: LoadReport, problems: list[Problem], now: dt.datetime) -> None:
    model = Zone if record_type == "zone" else Project
    folder = root / _DIRS[record_type]
    geo_name = f"{_DIRS[record_type]}/{_GEOJSON[record_type]}"
    events_name = f"{_DIRS[record_type]}/events.csv"
    static_names = {f.name for f in fields_for(record_type)} - set(_EVENT_FIELDS[record_type])
    existing = {r.code: r for r in session.scalars(select(model))}
    events_by_code: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for number, row in enumerate(_read_csv(folder / "events.csv"), start=2):
        events_by_code.setdefault(row["record_code"], []).append((number, row))

    features = _read_features(folder / _GEOJSON[record_type])
    codes = {f["properties"]["code"] for f in features}
    for code in events_by_code.keys() - codes:
        problems.append(Problem(f"mã “{code}” không có trong {geo_name} / unknown record code", file=events_name, field="record_code"))

    for index, feature in enumerate(features, start=1):
        props = feature["properties"]
        code = props["code"]
        static = {k: _value(record_type, k, v) for k, v in props.items() if k in static_names}
        static["geometry"] = _wkt(feature.get("geometry"))
        record = existing.get(code)
        created = record is None and f"{record_type}:{code}" not in loaded
        if record is None and not created:
            continue  # loaded once and since removed by a migration: leave it alone
        if created:
            record = model(code=code, name=static.get("name") or code, name_key="", location_precision="none")
            session.add(record)
        rows = events_by_code.get(code, [])
        if created and not rows:
            problems.append(Problem(f"{code}: không có sự kiện nào đặt giai đoạn / no event sets its stage", file=events_name))
            continue
        for position, (number, row) in enumerate(rows):
            item = _item_key(f"{record_type}-event", code, json.dumps(row, sort_keys=True, ensure_ascii=False))
            if item in loaded or (not created and position == 0):
                report.skipped += 1
                continue
            changes = {k: _value(record_type, k, row.get(k)) for k in _EVENT_FIELDS[record_type] if row.get(k)}
            if not created and _has_event(record, row["effective_on"], changes):
                mark(item)  # loaded from an earlier version of the row (note, basis or document since corrected)
                report.skipped += 1
                continue
            if created and position == 0:
                changes = {**{k: v for k, v in static.items() if v is not None}, **changes}
            document = docs.get(row.get("document") or "")
            if row.get("document") and document is None:
                problems.append(Problem(f"văn bản “{row['document']}” không có trong documents.csv / unknown document",
                                        file=events_name, row=number, field="document"))
                continue
            try:
                effective_on = dt.date.fromisoformat(row["effective_on"])
                # The bundle states what its documents say; the "not in the future" rule guards
                # what people type, so a machine whose clock is behind the newest document
                # (or a test pinned to an earlier day) still loads the whole register.
                record_change(session, record, changes, effective_on=effective_on,
                              date_basis=row.get("date_basis") or "document", document=document,
                              note=row.get("note") or None, by=BUNDLED_BY, origin=f"bundled:{events_name}:{number}",
                              recorded_at=now, today=max(clock.today(), effective_on))
            except ValidationFailed as exc:
                problems.extend(Problem(p.message, file=events_name, row=number, field=p.field) for p in exc.problems)
                continue
            except (KcnError, ValueError) as exc:
                problems.append(Problem(str(exc), file=events_name, row=number))
                continue
            mark(item)
            report.events += 1
        if created:
            mark(f"{record_type}:{code}")
            setattr(report, "zones" if record_type == "zone" else "projects", getattr(report, "zones" if record_type == "zone" else "projects") + 1)
        session.flush()
    _load_obstacles(session, folder, record_type, docs, loaded, mark, report, problems, now)


def _load_obstacles(session: Session, folder: Path, record_type: str, docs: dict[str, Document],
                    loaded: set[str], mark: Any, report: LoadReport, problems: list[Problem], now: dt.datetime) -> None:
    name = f"{_DIRS[record_type]}/obstacles.csv"
    model = Zone if record_type == "zone" else Project
    records = {r.code: r for r in session.scalars(select(model))}
    for number, row in enumerate(_read_csv(folder / "obstacles.csv"), start=2):
        item = _item_key(f"{record_type}-obstacle", json.dumps(row, sort_keys=True, ensure_ascii=False))
        if item in loaded:
            report.skipped += 1
            continue
        record = records.get(row["record_code"])
        if record is None:
            problems.append(Problem(f"mã “{row['record_code']}” không tồn tại / unknown record", file=name, row=number, field="record_code"))
            continue
        if row["category"] not in OBSTACLE_CATEGORIES:
            problems.append(Problem(f"loại “{row['category']}” không hợp lệ / unknown category", file=name, row=number, field="category"))
            continue
        if any(ob.category == row["category"] and ob.opened_on.isoformat() == row["opened_on"]
               and ob.description == row["description"] for ob in record.obstacles):
            mark(item)  # the same obstacle from an earlier version of this file (its notes since corrected)
            report.skipped += 1
            continue
        try:
            obstacle = open_obstacle(
                session, record, category=row["category"], description=row["description"],
                opened_on=dt.date.fromisoformat(row["opened_on"]), opened_basis=row.get("opened_basis") or "document",
                document=docs.get(row.get("opened_document") or ""), note=row.get("note") or None, by=BUNDLED_BY,
                today=dt.date.max, agency=row.get("agency") or None, action=row.get("action_requested") or None,
                deadline=dt.date.fromisoformat(row["deadline"]) if row.get("deadline") else None,
                deadline_basis=row.get("deadline_basis") or None, status=row.get("status") or None,
                origin=f"bundled:{name}:{number}", recorded_at=now)
        except KcnError as exc:
            problems.append(Problem(exc.message, file=name, row=number))
            continue
        if row.get("resolved_on"):
            obstacle.resolved_on = dt.date.fromisoformat(row["resolved_on"])
            obstacle.resolved_document = docs.get(row.get("resolved_document") or "")
            obstacle.status = "resolved"
        mark(item)
        report.obstacles += 1


def _has_event(record: Any, effective_on: str, changes: dict[str, Any]) -> bool:
    """Whether the record already holds an event of this day that changed exactly these values."""
    return any(e.effective_on.isoformat() == effective_on and dict(e.changes or {}) == changes for e in record.events)


def load_bundled_data(engine: Any, *, only_if_empty: bool = False, data_dir: Path | None = None) -> LoadReport:
    """Load the bundled register in one transaction (nothing written if any row is invalid).

    ``only_if_empty`` skips the load on a database that already had a bundle loaded.
    """
    from kcn_tracker.db import session_scope

    with session_scope(engine, write=True) as session:
        if only_if_empty and session.scalar(select(LoadedBundle.item).limit(1)) is not None:
            return LoadReport()
        return load_bundled(session, data_dir=data_dir)
