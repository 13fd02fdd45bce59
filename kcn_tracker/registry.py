"""Read the register: resolve names, list and filter zones and projects, on any date."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kcn_tracker.errors import AmbiguousName, InvalidValue, UnknownRecord
from kcn_tracker.fields import is_approximate
from kcn_tracker.history import Record, from_json, states_as_of
from kcn_tracker.models import Obstacle, Project, Technology, Zone
from kcn_tracker.stages import parse_stage
from kcn_tracker.text import fold
from kcn_tracker import clock

MODELS: dict[str, type[Record]] = {"zone": Zone, "project": Project}
RECORD_NOUN = {"zone": "khu/cụm công nghiệp (zone)", "project": "dự án điện (power project)"}


def resolve(session: Session, record_type: str, query: str) -> Record:
    """Find one record by code or by accent-insensitive name.

    Exact code or exact folded name wins; otherwise every record whose folded
    name contains the folded query. Several -> AmbiguousName listing them.
    """
    model = MODELS[record_type]
    key = fold(query)
    if not key:
        raise InvalidValue("Tên trống / empty name")
    # Fast path for an exact code (imports resolve thousands of rows): one indexed lookup.
    by_code = session.scalars(select(model).where(model.code == query.strip())).first()
    if by_code is not None:
        return by_code
    rows = session.execute(select(model.id, model.code, model.name, model.name_key)).all()
    exact = [r for r in rows if r.code.lower() == query.strip().lower() or r.name_key == key]
    matches = exact or [r for r in rows if key in r.name_key or key in fold(r.code)]
    if len(matches) == 1:
        return session.get(model, matches[0].id)  # type: ignore[return-value]
    if not matches:
        suggestions = difflib.get_close_matches(key, [r.name_key for r in rows], n=3, cutoff=0.5)
        names = [r.name for r in rows if r.name_key in suggestions]
        hint = f" Có phải / did you mean: {'; '.join(names)}?" if names else ""
        raise UnknownRecord(f"Không tìm thấy {RECORD_NOUN[record_type]} “{query}” / not found.{hint}")
    listing = "\n".join(f"  - {r.name} [{r.code}]" for r in matches)
    raise AmbiguousName(
        f"“{query}” khớp {len(matches)} bản ghi; hãy nói rõ hơn hoặc dùng mã / matches several "
        f"records, be more specific or use the code:\n{listing}"
    )


@dataclass(frozen=True)
class Filters:
    """List filters; every given one must match."""

    kind: str | None = None
    technology: str | None = None
    stage: str | None = None
    commune: str | None = None
    text: str | None = None


def views(session: Session, record_type: str, *, as_of: dt.date | None = None) -> list[dict[str, Any]]:
    """Every record as a plain dict of its state on ``as_of`` (default: today), plus derived fields.

    Derived: ``id``, ``approximate`` (location not surveyed/site), ``open_obstacles``
    (list of dicts open on that day), and for projects ``technology_label``.
    """
    day = as_of or clock.today()
    model = MODELS[record_type]
    states = states_as_of(session, model, day)
    codes = dict(session.execute(select(model.id, model.code)).all())
    obstacles = _open_obstacles(session, record_type, day)
    labels = dict(session.execute(select(Technology.key, Technology.label_vi)).all()) if record_type == "project" else {}
    out = []
    for record_id, state in states.items():
        row = {name: from_json(record_type, name, value) for name, value in state.items()}
        row["id"] = record_id
        row["code"] = codes[record_id]
        row["approximate"] = is_approximate(row.get("location_precision"))
        row["open_obstacles"] = obstacles.get(record_id, [])
        if record_type == "project":
            row["technology_label"] = labels.get(row.get("technology"), row.get("technology"))
        out.append(row)
    out.sort(key=lambda r: (r.get("kind", ""), fold(r.get("name") or "")))
    return out


def _open_obstacles(session: Session, record_type: str, day: dt.date) -> dict[int, list[dict[str, Any]]]:
    fk = Obstacle.zone_id if record_type == "zone" else Obstacle.project_id
    result: dict[int, list[dict[str, Any]]] = {}
    for ob in session.scalars(select(Obstacle).where(fk.is_not(None)).order_by(Obstacle.opened_on, Obstacle.id)):
        if ob.is_open_on(day):
            result.setdefault(ob.zone_id or ob.project_id, []).append({  # type: ignore[arg-type]
                "id": ob.id,
                "category": ob.category,
                "description": ob.description,
                "opened_on": ob.opened_on,
                "days_open": (day - ob.opened_on).days,
            })
    return result


def filter_views(rows: list[dict[str, Any]], record_type: str, filters: Filters) -> list[dict[str, Any]]:
    """Rows matching every given filter (text and commune accent-insensitively)."""
    stage = parse_stage(record_type, filters.stage).key if filters.stage else None  # type: ignore[arg-type]
    out = []
    for row in rows:
        if filters.kind and (row.get("kind") or "").lower() != filters.kind.lower():
            continue
        if filters.technology and fold(filters.technology) not in (fold(row.get("technology") or ""), fold(row.get("technology_label") or "")):
            continue
        if stage and row.get("stage") != stage:
            continue
        if filters.commune and fold(filters.commune) not in fold(f"{row.get('commune') or ''} {row.get('address_as_written') or ''}"):
            continue
        if filters.text:
            haystack = fold(" ".join(str(row.get(k) or "") for k in ("code", "name", "investor", "developer", "note", "commune")))
            if fold(filters.text) not in haystack:
                continue
        out.append(row)
    return out


def parse_technology(session: Session, text: str) -> str:
    """A technology key from its key or Vietnamese/English label (accents optional), or the start of
    one label when only one technology starts so ("điện gió" -> onshore_wind)."""
    wanted = fold(text).strip()
    technologies = list(session.scalars(select(Technology).order_by(Technology.key)))
    for tech in technologies:
        if wanted in (fold(tech.key), fold(tech.label_vi), fold(tech.label_en)):
            return tech.key
    starts = [t for t in technologies if wanted and any(fold(name).startswith(wanted) or fold(name).replace("_", " ").startswith(wanted)
                                                          for name in (t.key, t.label_vi, t.label_en))]
    if len(starts) == 1:
        return starts[0].key
    choices = ", ".join(f"{t.key} ({t.label_vi})" for t in (starts or technologies))
    if starts:
        raise InvalidValue(f"công nghệ/technology: “{text}” khớp nhiều công nghệ, hãy nói rõ hơn / ambiguous: {choices}")
    raise InvalidValue(f"công nghệ/technology: “{text}” không tồn tại; chọn / choose: {choices}")
