"""Import surveyed boundaries (or sites) of zones and projects from GIS files, as ordinary events.

Every feature is matched to a record by a chosen attribute, repaired only where
the repair is unambiguous, reprojected to WGS 84 and checked to lie in the
province; all problems are collected before anything is written. The record's
location becomes "surveyed" with the file cited; a recorded area more than 10 %
away from the measured one is reported as a warning.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kcn_tracker.errors import KcnError, Problem, UnknownRecord, ValidationFailed
from kcn_tracker.fields import DOCUMENT_NUMBER_MAX
from kcn_tracker.text import fold, format_number, nfc

AREA_WARNING_RATIO = 0.10
#: Geometries closer than this (degrees, ~1 cm) count as the same: re-importing changes nothing.
SAME_GEOMETRY_DEG = 1e-7


@dataclass
class GeometryPlan:
    """A feature matched to a record, in WGS 84, with its measured area."""

    feature: int
    label: str
    record_type: str
    code: str
    name: str
    wkt: str
    area_ha: float | None
    note: str | None = None


@dataclass
class GeometryReport:
    """What a geometry import changed, skipped and warned about."""

    file: str
    crs: str
    changed: list[tuple[GeometryPlan, list[Any]]] = field(default_factory=list)
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)
    written: bool = False


def _match_column(columns: list[str], wanted: str, file: str) -> str:
    for column in columns:
        if fold(column) == fold(wanted):
            return column
    raise KcnError(f"{file}: không có trường “{wanted}” để đối chiếu; các trường / fields: {', '.join(columns) or '—'} "
                   "(--match-field)")


def _find_record(session: Session, kind: str | None, value: str) -> tuple[str, Any]:
    from kcn_tracker.registry import resolve

    kinds = (kind,) if kind else ("zone", "project")
    for record_type in kinds:
        try:
            return record_type, resolve(session, record_type, value)
        except UnknownRecord:
            if record_type == kinds[-1]:
                raise
    raise AssertionError("unreachable")


def _file_crs(layer_crs: Any, crs_text: str | None, file: str) -> Any:
    from kcn_tracker.geometry import CRS_HELP, parse_crs

    if crs_text:
        return parse_crs(crs_text)
    if layer_crs is None:
        raise KcnError(f"{file}: tệp không có hệ tọa độ (Shapefile thiếu .prj?); hãy cho --crs, vd. --crs EPSG:9217 / "
                       f"the file has no CRS (Shapefile without .prj?): give --crs ({CRS_HELP})")
    return layer_crs


def plan_geometries(session: Session, path: Path, *, match_field: str, crs: str | None = None, kind: str | None = None,
                    layer: str | None = None) -> tuple[list[GeometryPlan], list[Problem], str]:
    """Read, match, repair, reproject and check every feature; return (plans, problems, CRS name)."""
    import shapely

    from kcn_tracker.geometry import area_ha, repair, reproject
    from kcn_tracker.validation.shapes import check_shape
    from kcn_tracker.validation.texts import printable
    from kcn_tracker.importers.gis_files import open_gis

    file = path.name
    layer_data = open_gis(path, layer=layer)
    if not layer_data.geometries:
        raise KcnError(f"{file}: không có đối tượng nào / the file has no features (empty file)")
    source_crs = _file_crs(layer_data.crs, crs, file)
    column = _match_column(layer_data.columns, match_field, file)
    plans: list[GeometryPlan] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for number, (attrs, geom) in enumerate(zip(layer_data.attributes, layer_data.geometries), start=1):
        value = printable(nfc(str(attrs.get(column) or "")), limit=300)
        where = dict(file=file, row=number, field=column)
        label = f"đối tượng/feature {number} “{value}”"
        try:
            if not value:
                raise KcnError("trường đối chiếu trống / the match field is empty")
            record_type, record = _find_record(session, kind, value)
            fixed, note = repair(geom)
            # Same checks as any typed geometry: a type the map draws (no MultiPoint), finite, in the province.
            wgs84 = check_shape(reproject(fixed, source_crs), label="hình học / geometry")
        except KcnError as exc:
            problems.append(Problem(f"{label}: {exc.message}", **where))
            continue
        if record.code in seen:
            problems.append(Problem(f"{label}: cùng bản ghi {record.name} với đối tượng {seen[record.code]} / "
                                    "two features for one record", **where))
            continue
        seen[record.code] = number
        measured = area_ha(wgs84) if wgs84.geom_type in ("Polygon", "MultiPolygon") else None
        plans.append(GeometryPlan(number, value, record_type, record.code, record.name,
                                  shapely.to_wkt(wgs84, rounding_precision=8, trim=True), measured, note))
    return plans, problems, getattr(source_crs, "name", str(source_crs))


def _same_geometry(current_wkt: str | None, new_wkt: str) -> bool:
    import shapely

    if not current_wkt:
        return False
    return bool(shapely.from_wkt(current_wkt).equals_exact(shapely.from_wkt(new_wkt), SAME_GEOMETRY_DEG))


def area_warning(plan: GeometryPlan, recorded_ha: float | None) -> str | None:
    """A warning when the measured area differs from the recorded one by more than 10 %."""
    if plan.area_ha is None or not recorded_ha:
        return None
    ratio = abs(plan.area_ha - recorded_ha) / recorded_ha
    if ratio <= AREA_WARNING_RATIO:
        return None
    return (f"{plan.name}: diện tích theo ranh giới {format_number(plan.area_ha)} ha khác diện tích ghi nhận "
            f"{format_number(recorded_ha)} ha ({format_number(ratio * 100)} %) / measured area differs by more than 10 %")


def import_geometry(session: Session, path: Path, *, match_field: str = "code", crs: str | None = None,
                    kind: str | None = None, layer: str | None = None, effective_on: dt.date | None = None,
                    document: Any = None, by: str | None = None, dry_run: bool = False,
                    today: dt.date | None = None) -> GeometryReport:
    """Validate every feature, then write each changed geometry as an event in the caller's transaction."""
    from kcn_tracker.registry import MODELS
    from kcn_tracker.workflow import DocumentRef, update_record

    plans, problems, crs_name = plan_geometries(session, path, match_field=match_field, crs=crs, kind=kind, layer=layer)
    if problems:
        raise ValidationFailed(problems)
    file = path.name
    report = GeometryReport(file=file, crs=crs_name, written=not dry_run)
    doc = document or DocumentRef(number=file[:DOCUMENT_NUMBER_MAX], title=f"Tệp ranh giới / boundary file {file}")
    for plan in plans:
        model = MODELS[plan.record_type]
        record = session.scalars(select(model).where(model.code == plan.code)).one()
        if plan.note:
            report.warnings.append(f"{plan.name}: {plan.note}")
        if (warning := area_warning(plan, getattr(record, "total_area_ha", None))) is not None:
            report.warnings.append(warning)
        if _same_geometry(record.geometry, plan.wkt) and record.location_precision == "surveyed":
            report.unchanged += 1
            continue
        values = {"geometry": plan.wkt, "location_precision": "surveyed",
                  "location_basis": f"Ranh giới/vị trí đo đạc từ tệp {file} (hệ tọa độ {crs_name}) / surveyed geometry from the file",
                  "location_source": f"{file}; {plan.label}"}
        try:
            preview = update_record(session, plan.record_type, plan.code, values, effective_on=effective_on,
                                    document=doc, by=by, origin=f"import:{file}"[:300], dry_run=dry_run, today=today)
        except ValidationFailed as exc:
            problems.extend(Problem(p.message, file=file, row=plan.feature, field=p.field) for p in exc.problems)
            continue
        report.changed.append((plan, preview.event_changes))  # what the event writes, on its date
    if problems:
        raise ValidationFailed(problems)
    return report
