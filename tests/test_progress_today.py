"""Today's progress records (``progress_data.load_records(..., as_of=day)``: current-state columns,
whole timelines only for operating projects and zones) give exactly what every event folded gives:
``kcn progress``, ``kcn energy summary`` (every grouping) and ``kcn alerts``, as JSON text, on
the bundled register and on a generated one with late and same-day events, operating MW that
rises in parts and is corrected down, unknown start dates, zones entering operation, renamed
zones and obstacles; SQLite and PostgreSQL (issue 15, item 1)."""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any

from kcn_tracker.alerts import compute_alerts
from kcn_tracker.db import session_scope
from kcn_tracker.energy_summary import SUMMARY_BY, energy_summary
from kcn_tracker.history import record_change
from kcn_tracker.models import Obstacle
from kcn_tracker.progress import compute_progress
from kcn_tracker.progress_data import load_records
from kcn_tracker.state import last_effective_on
from tests.factories import add_project, add_technologies, add_zone, change

D = dt.date


def _outputs(records: Any, day: dt.date) -> str:
    """Everything the three commands compute on ``day``, as JSON text (types included: 50 is not 50.0)."""
    out = {"progress": compute_progress(records, day).as_dict(),
           "summary": {by: energy_summary(records, day, by=by).as_dict() for by in SUMMARY_BY},
           "alerts": compute_alerts(records, day)}
    return json.dumps(out, ensure_ascii=False, default=str)


def _assert_same(left: str, right: str) -> None:
    """Equal texts; on a difference, only the first differing place is shown."""
    at = next((i for i, (a, b) in enumerate(zip(left, right)) if a != b), min(len(left), len(right)))
    assert left == right, (left[max(0, at - 200):at + 100], right[max(0, at - 200):at + 100])


def _check(engine: Any) -> dict[str, Any]:
    """Today's records against the whole fold, on the last effective date and 800 days later;
    returns the later day's progress (for the callers' checks that the comparison covers something)."""
    with engine.connect() as connection:
        last = last_effective_on(connection)
        for day in (last, last + dt.timedelta(days=800)):  # the later day: overdue expectations, stale news
            today = load_records(connection, as_of=day)
            whole = load_records(connection)
            assert sum(len(t.events) for t in today.projects) < sum(len(t.events) for t in whole.projects)
            _assert_same(_outputs(today, day), _outputs(whole, day))
            # The alerts' records: no history at all, the same alerts.
            latest = load_records(connection, as_of=day, history=False)
            assert max(len(t.events) for t in latest.projects + latest.zones) == 1
            _assert_same(json.dumps(compute_alerts(latest, day), ensure_ascii=False, default=str),
                         json.dumps(compute_alerts(whole, day), ensure_ascii=False, default=str))
        # Before the last effective date the whole timelines are read: the one fold of past days.
        earlier = load_records(connection, as_of=last - dt.timedelta(days=1))
        assert [t.events for t in earlier.projects] == [t.events for t in whole.projects]
    return compute_progress(whole, day).as_dict()


def test_bundled_register_today_equals_the_fold(engine):
    from kcn_tracker.bundled import load_bundled_data

    load_bundled_data(engine)
    report = _check(engine)
    assert report["parts"] and report["overdue"] and report["stuck"]


def _generated(session: Any, seed: int = 15) -> None:
    """Thirty projects and ten zones whose events arrive out of order and on the same day."""
    rng = random.Random(seed)
    add_technologies(session)
    start = D(2024, 1, 1)
    techs = ("solar", "onshore_wind", "lng", "pumped_storage")
    for i in range(10):
        zone = add_zone(session, f"z{i}", on=start, total_area_ha=100.0 + i, leasable_ha=80.0 + i, fill_2026_t5=i == 3)
        for _ in range(rng.randint(2, 5)):
            day = start + dt.timedelta(days=rng.randint(1, 1000))
            values = rng.choice([{"stage": "operating", "leased_ha": float(rng.randint(0, 80))},
                                 {"stage": "construction"}, {"name": f"Khu đổi tên {rng.randint(1, 9)}"},
                                 {"leased_ha": float(rng.randint(0, 80)), "new_kcn_t6": True}])
            change(session, zone, day, "báo cáo / report", **values)
    for i in range(30):
        capacity = float(rng.randint(20, 300))
        project = add_project(session, f"p{i}", on=start, capacity_mw=capacity, technology=techs[i % 4],
                              investor=f"Nhà đầu tư {i % 5}", zone_code=f"z{i % 10}" if i % 3 else None)
        for _ in range(rng.randint(3, 7)):
            day = start + dt.timedelta(days=rng.randint(1, 1000))  # often before an event already recorded
            roll = rng.random()
            if roll < 0.35:
                values: dict[str, Any] = {"stage": "partly_operating",
                                          "capacity_operating_mw": float(rng.randint(0, int(capacity)))}
            elif roll < 0.5:
                values = {"stage": "operating"}
            elif roll < 0.7:
                values = {"stage": rng.choice(["construction", "investor_approved"]),
                          "expected_cod": D(2026, rng.randint(1, 12), 1)}
            else:
                values = {"investor": f"Nhà đầu tư {rng.randint(1, 9)}"}
            basis = "unknown" if rng.random() < 0.1 else "document"
            record_change(session, project, values, effective_on=day, date_basis=basis, by="test", origin="test", today=day,
                          note="báo cáo đến muộn / late report")
            if rng.random() < 0.3:  # a second event the same day: file order wins
                change(session, project, day, "cùng ngày / same day", capacity_operating_mw=float(rng.randint(0, int(capacity))))
        if i % 4 == 0:
            session.add(Obstacle(project=project, category="land", description=f"Vướng {i}", opened_on=D(2025, 1 + i % 12, 1),
                                 deadline=D(2025, 6, 1), recorded_by="test", recorded_at=dt.datetime(2025, 1, 1)))
    # Operating without an operating-MW figure: the whole capacity, from the day of the stage.
    whole = add_project(session, "p-whole", on=start, capacity_mw=120.0, technology="solar", investor="Nhà đầu tư 1")
    change(session, whole, D(2025, 5, 1), stage="operating")
    change(session, whole, D(2026, 2, 1), investor="Nhà đầu tư 2")  # a later event: the part still starts in 2025
    session.flush()


def test_generated_register_today_equals_the_fold(engine):
    with session_scope(engine, write=True) as session:
        _generated(session)
    report = _check(engine)
    # The generator produced what the comparison must cover.
    assert len(report["parts"]) > 10 and report["overdue"] and report["stuck"]
    assert any(p["date_basis"] == "unknown" for p in report["parts"])
    assert report["land"]["occupancy"]
