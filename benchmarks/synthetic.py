"""A synthetic national-scale register for the benchmarks (never for a user's database).

``build_register(url, projects=10_000, zones=1_000)`` migrates a fresh database, loads the
bundled register (technologies, targets, the province's 86 records) and adds imaginary
power projects (points over Viet Nam) and zones (polygons of 20–400 vertices), each with
a creation event and 0–3 later events (stage moves forward, MW, investor), some of them
on the same day, about a tenth with an open obstacle. Rows go in with bulk Core inserts;
the current-state columns are written as the fold of each record's events, exactly as
the write path leaves them (``state.finish``), so reads of today and of past days agree.

    python benchmarks/synthetic.py sqlite:///big.sqlite --projects 10000 --zones 1000
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TECHS = ("solar", "onshore_wind", "lng", "pumped_storage", "small_hydro", "waste_to_energy")
PROJECT_PATH = ("in_plan", "prefeasibility", "policy_decision", "investor_approved", "construction", "operating")
ZONE_PATH = ("in_plan", "policy_decision", "site_clearance", "construction", "operating")
START = dt.date(2024, 1, 1)
BY = "benchmark (synthetic)"


def point(rng: random.Random) -> tuple[float, float]:
    """A point in Viet Nam's bounding box (lon, lat)."""
    return rng.uniform(102.5, 109.3), rng.uniform(8.7, 23.2)


def polygon_wkt(rng: random.Random, lon: float, lat: float, vertices: int) -> str:
    """An irregular star-shaped polygon, 0.5–2.5 km across."""
    radius = rng.uniform(0.005, 0.022)
    phase = rng.uniform(0, math.tau)
    ring = []
    for i in range(vertices):
        a = math.tau * i / vertices
        r = radius * (1 + 0.25 * math.sin(3 * a + phase) + rng.uniform(-0.05, 0.05))
        ring.append(f"{lon + r * math.cos(a) / math.cos(math.radians(lat)):.6f} {lat + r * math.sin(a):.6f}")
    ring.append(ring[0])
    return f"POLYGON (({', '.join(ring)}))"


def _timeline(rng: random.Random, path: tuple[str, ...], created: dict[str, Any],
              later: Any) -> list[tuple[dt.date, dict[str, Any]]]:
    """Creation plus 0–3 forward moves, each with extra field changes; a third share a day with the previous."""
    events = [(START + dt.timedelta(days=rng.randint(0, 300)), created)]
    step = 0
    for _ in range(rng.randint(0, 3)):
        step = min(len(path) - 1, step + rng.randint(1, 2))
        day = events[-1][0] if rng.random() < 0.3 else events[-1][0] + dt.timedelta(days=rng.randint(1, 200))
        events.append((day, {"stage": path[step], **later(path[step])}))
    return events


def _project(rng: random.Random, i: int) -> tuple[dict[str, Any], list[tuple[dt.date, dict[str, Any]]]]:
    lon, lat = point(rng)
    tech = rng.choice(TECHS)
    mw = round(rng.uniform(2, 1500) if rng.random() < 0.05 else rng.uniform(2, 200), 1)
    created = {"code": f"syn-p{i:05d}", "name": f"Dự án điện thử nghiệm số {i}", "technology": tech, "capacity_mw": mw,
               "plan_role": "named", "in_plan_60": False, "stage": "in_plan", "geometry": f"POINT ({lon:.6f} {lat:.6f})",
               "location_precision": rng.choice(("site", "commune")), "location_basis": "tọa độ tổng hợp (benchmark)",
               "source": f"Văn bản thử nghiệm {i}", "expected_cod": f"{rng.randint(2026, 2032)}-12-31"}

    def later(stage: str) -> dict[str, Any]:
        extra: dict[str, Any] = {}
        if stage in ("investor_approved", "construction", "operating"):
            extra["investor"] = f"Công ty thử nghiệm {rng.randint(1, 500)}"
        if stage == "operating":
            extra["capacity_operating_mw"] = mw
        return extra

    return created, _timeline(rng, PROJECT_PATH, created, later)


def _zone(rng: random.Random, i: int) -> tuple[dict[str, Any], list[tuple[dt.date, dict[str, Any]]]]:
    lon, lat = point(rng)
    area = round(rng.uniform(20, 1000), 1)
    created = {"code": f"syn-z{i:05d}", "name": f"Khu công nghiệp thử nghiệm số {i}", "kind": rng.choice(("KCN", "CCN", "KKT")),
               "stage": "in_plan", "total_area_ha": area, "leasable_ha": round(area * 0.7, 1),
               "geometry": polygon_wkt(rng, lon, lat, rng.randint(20, 400)), "location_precision": "surveyed",
               "source": f"Quy hoạch thử nghiệm {i}"}

    def later(stage: str) -> dict[str, Any]:
        return {"leased_ha": round(area * 0.7 * rng.uniform(0, 1), 1)} if stage == "operating" else {}

    return created, _timeline(rng, ZONE_PATH, created, later)


def build_register(url: str, *, projects: int = 10_000, zones: int = 1_000, seed: int = 15) -> dict[str, int]:
    """Create the database at ``url`` with the bundled and the synthetic records; returns counts."""
    from kcn_tracker.bundled import load_bundled_data
    from kcn_tracker.db import make_engine, upgrade
    from kcn_tracker.models import Document, Event, Obstacle, Project, Zone
    from kcn_tracker.state import finish
    from kcn_tracker.text import fold

    rng = random.Random(seed)
    engine = make_engine(url)
    upgrade(engine)
    load_bundled_data(engine)
    now = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    counts = {"projects": projects, "zones": zones, "events": 0, "obstacles": 0}
    with engine.begin() as connection:
        doc_ids = []
        for d in range(50):
            doc_ids.append(connection.execute(Document.__table__.insert().returning(Document.id), {
                "doc_id": f"syn-doc-{d}", "number": f"{d + 1}/QĐ-TN", "issued_on": START, "kind": "decision",
                "title": "Văn bản thử nghiệm (benchmark)"}).scalar_one())
        for record_type, model, make, n in (("zone", Zone, _zone, zones), ("project", Project, _project, projects)):
            made = [make(rng, i) for i in range(n)]
            if not made:
                continue
            rows = []
            for created, events in made:
                state: dict[str, Any] = {}
                for _day, changes in events:
                    state.update(changes)
                row = finish(record_type, state)
                row["name_key"] = fold(row["name"])
                rows.append(row)
            ids = [r.id for r in connection.execute(model.__table__.insert().returning(model.id, sort_by_parameter_order=True), rows)]
            fk = "zone_id" if record_type == "zone" else "project_id"
            event_rows, obstacle_rows = [], []
            for record_id, (_created, events) in zip(ids, made):
                for day, changes in events:
                    event_rows.append({fk: record_id, "effective_on": day, "date_basis": "document", "changes": changes,
                                       "document_id": rng.choice(doc_ids), "recorded_by": BY, "recorded_at": now,
                                       "origin": "benchmark"})
                if rng.random() < 0.1:
                    obstacle_rows.append({fk: record_id, "category": "land", "description": f"Vướng mắc thử nghiệm {record_id}",
                                          "opened_on": events[-1][0], "opened_basis": "document", "recorded_by": BY,
                                          "recorded_at": now, "origin": "benchmark"})
            connection.execute(Event.__table__.insert(), event_rows)
            if obstacle_rows:
                connection.execute(Obstacle.__table__.insert(), obstacle_rows)
            counts["events"] += len(event_rows)
            counts["obstacles"] += len(obstacle_rows)
    if engine.dialect.name == "postgresql":
        # What autovacuum does within a minute or so of a bulk load: statistics, and the visibility map that lets
        # index-only scans (the last effective date per record) skip the table. Timing before it measures a moment.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM (ANALYZE)")
    engine.dispose()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--zones", type=int, default=1_000)
    args = parser.parse_args()
    start = time.perf_counter()
    counts = build_register(args.url, projects=args.projects, zones=args.zones)
    print(f"{counts} in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
