"""One record as its page shows it: state on a day, timeline with documents and attachments,
obstacles, and its geometry as GeoJSON for the small map."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kcn_tracker.attachments import attachments_by_document
from kcn_tracker.editing import record_by_code
from kcn_tracker.fields import fields_for
from kcn_tracker.history import Record, diff_states, from_json, replay
from kcn_tracker.models import Document, Obstacle, Technology


@dataclass
class TimelineItem:
    """One event: what it changed, its document (with attachments), who recorded it."""

    effective_on: dt.date
    date_basis: str
    changes: list[Any]
    document: Document | None
    attachments: list[Any]
    note: str | None
    recorded_by: str
    recorded_at: dt.datetime | None
    origin: str
    first: bool = False


@dataclass
class RecordPage:
    """Everything the record page shows for ``as_of``."""

    record_type: str
    record: Record
    as_of: dt.date
    exists: bool
    state: dict[str, Any]
    timeline: list[TimelineItem]
    open_obstacles: list[Obstacle]
    resolved_obstacles: list[Obstacle]
    obstacle_attachments: dict[int, list[Any]] = field(default_factory=dict)
    geojson: dict[str, Any] | None = None
    technology_label: str | None = None
    #: ``overdue.describe`` of each expectation past its date on ``as_of`` (most overdue first).
    overdue: list[str] = field(default_factory=list)
    #: ``confirmation.describe_news``: the last confirmation and whether it is stale.
    last_confirmed: str = ""
    stale: bool = False
    #: agency key -> Vietnamese name (the obstacles' steps name agencies by key).
    agencies: dict[str, str] = field(default_factory=dict)
    #: A zone's leased land, tenant counts and capital on ``as_of`` with their basis (``tenants.zone_basis``).
    figures: Any = None


def geometry_geojson(wkt: str | None) -> dict[str, Any] | None:
    """A WKT geometry as a GeoJSON geometry dict (None if absent or unreadable)."""
    if not wkt:
        return None
    try:
        from shapely import wkt as shapely_wkt
        from shapely.geometry import mapping

        return dict(mapping(shapely_wkt.loads(wkt)))
    except Exception:  # a broken stored geometry must not break the page
        return None


def record_page(session: Session, record_type: str, code: str, as_of: dt.date) -> RecordPage:
    """The record with ``code`` as it stood on ``as_of`` (events after that day are left out)."""
    record = record_by_code(session, record_type, code)
    events = sorted(record.events, key=lambda e: (e.effective_on, e.id))
    shown = [e for e in events if e.effective_on <= as_of]
    raw_state = replay(shown)
    names = {f.name for f in fields_for(record_type)}
    state = {k: from_json(record_type, k, v) for k, v in raw_state.items() if k in names}
    documents = {e.document_id for e in shown if e.document_id}
    obstacles = [o for o in record.obstacles if o.opened_on <= as_of]
    for ob in obstacles:
        documents.update(d for d in (ob.opened_document_id, ob.resolved_document_id) if d)
    attached = attachments_by_document(session, sorted(documents))
    timeline, before = [], {}
    for index, event in enumerate(shown):
        after = {**before, **(event.changes or {})}
        timeline.append(TimelineItem(event.effective_on, event.date_basis, diff_states(before, after), event.document,
                                     attached.get(event.document_id or -1, []), event.note, event.recorded_by,
                                     event.recorded_at, event.origin, first=index == 0))
        before = after
    timeline.reverse()  # newest first
    open_obs = [o for o in obstacles if o.is_open_on(as_of)]
    resolved = [o for o in obstacles if not o.is_open_on(as_of)]
    technology = session.get(Technology, state["technology"]) if state.get("technology") else None
    from kcn_tracker.confirmation import describe_news, record_news
    from kcn_tracker.overdue import describe, overdue_items

    from kcn_tracker.models import Agency

    news = record_news(record, as_of)
    agencies = {a.key: a.name_vi for a in session.scalars(select(Agency))} if record.obstacles else {}
    return RecordPage(record_type, record, as_of, bool(shown), state, timeline, open_obs, resolved,
                      obstacle_attachments=attached, geojson=geometry_geojson(state.get("geometry")),
                      technology_label=technology.label_vi if technology else None,
                      overdue=[describe(item) for item in overdue_items(record_type, state, as_of)] if shown else [],
                      last_confirmed=describe_news(news), stale=bool(news.get("stale") or news.get("maybe_stopped")),
                      agencies=agencies, figures=_zone_figures(session, record_type, record, as_of) if shown else None)


def _zone_figures(session: Session, record_type: str, record: Record, as_of: dt.date) -> Any:
    if record_type != "zone":
        return None
    from kcn_tracker.tenants.zone_basis import zone_basis

    return zone_basis(session, record.id, record.code, as_of)
