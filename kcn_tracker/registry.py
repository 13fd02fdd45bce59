"""Read the register: resolve names, list and filter zones and projects, on any date.

The reads themselves (``views``, ``parse_technology``, resolving a name) are plain SQL
in ``state``, re-exported here; this module adds what needs the ORM models.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kcn_tracker.stages import parse_stage
from kcn_tracker.state import RECORD_NOUN, parse_technology, resolve_id, views
from kcn_tracker.text import fold

if TYPE_CHECKING:  # the ORM is imported only by what needs model objects: list/show/summary skip ~100 ms
    from sqlalchemy.orm import Session

    from kcn_tracker.history import Record

__all__ = ["FILTER_FIELDS", "MODELS", "RECORD_NOUN", "Filters", "filter_views", "parse_technology", "resolve", "resolve_id", "views"]


def __getattr__(name: str) -> Any:
    # ``MODELS`` (record type -> ORM model) imports the models on first use only.
    if name == "MODELS":
        from kcn_tracker.models import Project, Zone

        return {"zone": Zone, "project": Project}
    raise AttributeError(name)


def resolve(session: Session, record_type: str, query: str) -> Record:
    """Find one record by code or by accent-insensitive name (see ``state.resolve_id``); the ORM object."""
    from kcn_tracker.models import Project, Zone

    record_id, _code, _name = resolve_id(session, record_type, query)
    return session.get(Zone if record_type == "zone" else Project, record_id)  # type: ignore[return-value]


@dataclass(frozen=True)
class Filters:
    """List filters; every given one must match."""

    kind: str | None = None
    technology: str | None = None
    stage: str | None = None
    commune: str | None = None
    text: str | None = None


#: The fields ``filter_views`` reads.
FILTER_FIELDS = ("kind", "technology", "stage", "commune", "address_as_written", "code", "name", "investor", "developer", "note")


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
