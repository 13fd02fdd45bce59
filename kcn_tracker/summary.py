"""The register summary: counts and MW per kind, stage and technology, and the 33 + 27 = 60 check."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from kcn_tracker import quantities


@dataclass
class RegisterSummary:
    """Plain numbers for the terminal table and for json/csv."""

    as_of: dt.date
    zones_by_kind: dict[str, int] = field(default_factory=dict)
    zones_by_stage: dict[str, int] = field(default_factory=dict)
    zone_area_known_ha: float = 0.0
    zones_without_area: int = 0
    projects_by_stage: dict[str, int] = field(default_factory=dict)
    mw_by_technology: dict[str, float] = field(default_factory=dict)
    plan_mw_by_technology: dict[str, float | None] = field(default_factory=dict)
    plan_total_mw: float = 0.0
    named_projects: int = 0
    unnamed_projects: int | None = None
    plan_projects: int | None = None
    unallocated_mw: float = 0.0
    operating_mw: float = 0.0
    open_obstacles: int = 0
    approximate_locations: int = 0
    without_location: int = 0

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready dict with plain numbers and ISO dates."""
        data = dict(self.__dict__)
        data["as_of"] = self.as_of.isoformat()
        return data


#: The fields of the record views ``summarize`` reads (besides ``approximate`` and ``open_obstacles``).
FIELDS = {"zone": ("kind", "stage", "total_area_ha", "geometry"),
          "project": ("plan_role", "stage", "capacity_mw", "capacity_operating_mw", "technology", "in_plan_60", "geometry")}


def summarize(zones: list[dict[str, Any]], projects: list[dict[str, Any]], *, plan_facts: dict[str, float],
              plan_mw: dict[str, float | None], as_of: dt.date) -> RegisterSummary:
    """Summarise record views (see ``registry.views``); MW and ha sums are exact (``quantities.total``)."""
    s = RegisterSummary(as_of=as_of)
    s.zones_by_kind = dict(Counter(z["kind"] for z in zones))
    s.zones_by_stage = dict(Counter(z.get("stage") or "unknown" for z in zones))
    s.zone_area_known_ha = quantities.total(z.get("total_area_ha") for z in zones)
    s.zones_without_area = sum(1 for z in zones if z.get("total_area_ha") is None)
    plan = [p for p in projects if p.get("plan_role") in ("named", "unnamed", "unallocated")]
    s.projects_by_stage = dict(Counter(p.get("stage") or "unknown" for p in plan if p.get("plan_role") != "unallocated"))
    by_technology: dict[str, list[float]] = defaultdict(list)
    for p in plan:
        if p.get("capacity_mw") is not None:
            by_technology[p["technology"]].append(p["capacity_mw"])
    mw = {tech: quantities.total(values) for tech, values in by_technology.items()}
    s.mw_by_technology = dict(sorted(mw.items(), key=lambda kv: -kv[1]))
    s.plan_mw_by_technology = plan_mw
    s.plan_total_mw = quantities.total(p.get("capacity_mw") for p in plan)
    s.named_projects = sum(1 for p in plan if p.get("plan_role") == "named" and p.get("in_plan_60"))
    # The list of 60 is a fact of the register only from the day its records exist: before that, claiming
    # "0 named + 60 unnamed" would date the list earlier than any document does (issue 14).
    listed = any(p.get("in_plan_60") or p.get("plan_role") in ("unnamed", "unallocated") for p in plan)
    s.plan_projects = int(plan_facts["plan_projects"]) if "plan_projects" in plan_facts and listed else None
    s.unnamed_projects = s.plan_projects - s.named_projects if s.plan_projects is not None else None
    s.unallocated_mw = quantities.total(p["capacity_mw"] for p in plan if p.get("plan_role") == "unallocated")
    s.operating_mw = quantities.total(p.get("capacity_operating_mw") for p in plan)
    s.open_obstacles = sum(len(r["open_obstacles"]) for r in [*zones, *projects])
    located = [*zones, *projects]
    s.approximate_locations = sum(1 for r in located if r.get("geometry") and r["approximate"])
    s.without_location = sum(1 for r in located if not r.get("geometry"))
    return s
