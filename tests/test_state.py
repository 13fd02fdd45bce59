"""Today's state read from the current-state columns equals the fold of the event log (issue 15, item 1).

Both paths of ``state.record_states`` are compared record by record and field by field:
on the bundled register and on a generated one whose events arrive late (effective
before events already recorded) and on the same day, on SQLite and PostgreSQL (geometry text included). The past-date path is checked against ``history.replay`` of each record's ORM events.
What the quick commands print from these states (``interface.queries``: summary, both lists, every
record's show, shared with the web API) is compared through both paths as well, as JSON text.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any

from sqlalchemy import select

from kcn_tracker import state
from kcn_tracker.db import session_scope
from kcn_tracker.interface import queries
from kcn_tracker.fields import field_spec, fields_for
from kcn_tracker.history import replay
from kcn_tracker.models import Project, Zone
from kcn_tracker.registry import views
from kcn_tracker.state import current_columns, finish, folded_states, last_effective_on, record_states
from tests.factories import add_project, add_technologies, add_zone, change

D = dt.date
FAR = D(2100, 1, 1)


def assert_same_states(left: dict[int, dict[str, Any]], right: dict[int, dict[str, Any]], *, some: bool = True) -> None:
    assert left.keys() == right.keys() and (left or not some)
    for record_id, row in left.items():
        other = right[record_id]
        assert row.keys() == other.keys()
        for name, value in row.items():
            # Geometry too: PostGIS's WKT is given in the spelling the events store (state.ogc_wkt;
            # shapely/GEOS writes numbers as their shortest text, as PostGIS does).
            assert value == other[name] and type(value) is type(other[name]), (record_id, name, value, other[name])


def _check_both_paths(engine: Any) -> int:
    """Columns vs fold for both record types; past days vs ``history.replay``; returns the states compared."""
    compared = 0
    with engine.connect() as connection:
        last = last_effective_on(connection)
        for record_type in ("zone", "project"):
            columns = current_columns(connection, record_type)
            assert_same_states(columns, folded_states(connection, record_type, FAR))
            assert_same_states(record_states(connection, record_type, as_of=last), columns)
            compared += len(columns)
    with session_scope(engine) as session:
        days = sorted({e.effective_on for m in (Zone, Project) for r in session.scalars(select(m)) for e in r.events})
        for model, record_type in ((Zone, "zone"), (Project, "project")):
            records = list(session.scalars(select(model)))
            for day in days[:: max(1, len(days) // 6)] + [days[-1] - dt.timedelta(days=1)]:
                expected = {}
                for record in records:
                    state = replay(record.events, until=day)
                    if state:
                        expected[record.id] = {**finish(record_type, state), "code": record.code}
                assert_same_states(record_states(session, record_type, as_of=day), expected, some=False)
                compared += len(expected)
    return compared


def _quick_reads(connection: Any, day: dt.date) -> str:
    """The data of ``kcn summary``, ``kcn zones|energy list`` and every record's ``show`` on ``day``, as JSON text."""
    out: dict[str, Any] = {"summary": queries.summary_data(queries.register_summary(connection, day))}
    for record_type in ("zone", "project"):
        out[record_type] = queries.list_data(connection, record_type, as_of=day)
        out[f"{record_type} show"] = [queries.show_data(connection, record_type, row["code"], day) for row in out[record_type]]
    return json.dumps(out, ensure_ascii=False, sort_keys=False)


def _check_quick_reads(engine: Any, monkeypatch: Any) -> int:
    """The quick commands' data from the columns (read on or after the last effective date) equals
    the same data with every state folded from the events; returns the records shown."""
    with engine.connect() as connection:
        last = last_effective_on(connection)
        days = [last, last + dt.timedelta(days=800)]  # the later day makes expectations overdue and news stale
        from_columns = [_quick_reads(connection, day) for day in days]
        with monkeypatch.context() as patch:
            patch.setattr(state, "last_effective_on", lambda bind: dt.date.max)  # every read now folds the events
            folded = [_quick_reads(connection, day) for day in days]
    for columns, fold in zip(from_columns, folded):
        assert columns == fold
    data = json.loads(from_columns[1])
    assert any(row["days_overdue"] for row in data["project"])  # the comparison covers overdue records
    return len(data["zone show"]) + len(data["project show"])


def test_bundled_register_both_paths_agree(engine, monkeypatch):
    from kcn_tracker.bundled import load_bundled_data

    load_bundled_data(engine)
    assert _check_both_paths(engine) >= 200
    assert _check_quick_reads(engine, monkeypatch) >= 80  # every zone and project of the register


def _generated_register(session: Any, seed: int = 15) -> None:
    """Forty records, each with 3–8 events in random effective order: late reports and same-day pairs."""
    rng = random.Random(seed)
    add_technologies(session)
    start = D(2024, 1, 1)
    for i in range(20):
        zone = add_zone(session, f"z{i}", on=start, total_area_ha=100.0 + i, high_tech=bool(i % 2),
                        geometry=f"POINT ({108.9013 + i / 100!r} {12.1 + i / 97!r})", location_precision="commune")
        project = add_project(session, f"p{i}", on=start, capacity_mw=50.0 + i, zone_code="z0" if i % 3 == 0 else None)
        for record, values in ((zone, lambda: {"developer": f"Công ty {rng.randint(1, 9)}",
                                               "tenants_registered": rng.randint(0, 40),
                                               "high_tech": rng.random() < 0.5}),
                               (project, lambda: {"investor": f"Nhà đầu tư {rng.randint(1, 9)}",
                                                  "expected_cod": D(2027, rng.randint(1, 12), 1),
                                                  "needs_investor": rng.random() < 0.5,
                                                  "capacity_mw": float(rng.randint(20, 300))})):
            for _ in range(rng.randint(3, 8)):
                day = start + dt.timedelta(days=rng.randint(1, 600))  # often before an event already recorded
                change(session, record, day, **values())
                if rng.random() < 0.4:
                    change(session, record, day, **values())  # a second event the same day: file order wins


def test_generated_register_with_late_and_same_day_events(engine, monkeypatch):
    with session_scope(engine, write=True) as session:
        _generated_register(session)
        late = same_day = 0
        for record in session.scalars(select(Project)):
            ids = [e.id for e in sorted(record.events, key=lambda e: (e.effective_on, e.id))]
            late += ids != sorted(ids)
            days = [e.effective_on for e in record.events]
            same_day += len(days) != len(set(days))
    assert late > 5 and same_day > 3  # the generator really produced both cases
    assert _check_both_paths(engine) >= 200
    assert _check_quick_reads(engine, monkeypatch) == 40


def test_views_on_a_past_day_hide_later_records_and_values(engine):
    with session_scope(engine, write=True) as session:
        add_technologies(session)
        project = add_project(session, "p1", on=D(2025, 1, 1), capacity_mw=10.0)
        change(session, project, D(2025, 6, 1), capacity_mw=20.0)
        add_project(session, "p2", on=D(2025, 3, 1))
        change(session, project, D(2025, 2, 1), investor="Công ty A")  # late: lands before 2025-06-01
    with engine.connect() as connection:
        early = {r["code"]: r for r in views(connection, "project", as_of=D(2025, 2, 15))}
        today = {r["code"]: r for r in views(connection, "project", as_of=D(2025, 7, 1))}
    assert set(early) == {"p1"} and early["p1"]["capacity_mw"] == 10.0 and early["p1"]["investor"] == "Công ty A"
    assert set(today) == {"p1", "p2"} and today["p1"]["capacity_mw"] == 20.0
    assert today["p2"]["technology_basis"] == field_spec("project", "technology_basis").default == "stated"


def test_field_lookups_are_tables():
    assert fields_for("zone") is fields_for("zone")
    assert field_spec("project", "expected_cod").kind == "date"
    assert [f.name for f in fields_for("project")][:2] == ["code", "name"]
    try:
        field_spec("zone", "capacity_mw")
    except KeyError:
        pass
    else:
        raise AssertionError("zones have no capacity_mw")


def test_lists_and_summary_read_only_their_columns_with_the_same_result(engine, monkeypatch):
    """``record_rows`` and ``register_summary`` read a few columns (``views(fields=...)``); with every filter,
    their data equals the data from every column."""
    from kcn_tracker.bundled import load_bundled_data

    load_bundled_data(engine)
    cases = [("zone", {}), ("zone", {"kind": "KCN"}), ("zone", {"commune": "cam ranh"}), ("zone", {"text": "nam"}),
             ("zone", {"stage": "operating"}), ("project", {}), ("project", {"technology": "solar"}),
             ("project", {"text": "phuoc"}), ("project", {"commune": "thuan"}), ("project", {"overdue": True})]
    day = D(2026, 6, 30)

    def reads() -> list[str]:
        with engine.connect() as connection:
            out = [json.dumps(queries.list_data(connection, record_type, as_of=day, **filters), ensure_ascii=False)
                   for record_type, filters in cases]
            out.append(json.dumps(queries.summary_data(queries.register_summary(connection, day))))
        return out

    selected: list[list[str]] = []
    full = state.current_columns
    monkeypatch.setattr(state, "current_columns", lambda *args, **kwargs: selected.append(kwargs.get("fields")) or full(*args, **kwargs))
    few = reads()
    assert selected and all(fields and len(fields) < 20 for fields in selected)  # really fewer columns
    monkeypatch.setattr(state, "current_columns", lambda *args, fields=None, **kwargs: full(*args, **kwargs))
    assert few == reads()
    assert all(json.loads(text) for text in few)  # every case lists something


def test_last_changes_are_each_records_latest_event(engine):
    """``journal.last_changes`` (the map's "last change" of every record, one ranked query) names each
    record's latest event on or before the day, in timeline order (a late report before a later event,
    the second of two same-day events), with its date basis and note."""
    from kcn_tracker.journal import last_changes

    with session_scope(engine, write=True) as session:
        _generated_register(session)
        first, second = (session.scalars(select(Project).where(Project.code == code)).one() for code in ("p1", "p2"))
        change(session, first, D(2026, 1, 5), "thứ nhất / first", investor="Công ty X")
        change(session, first, D(2026, 1, 5), "thứ hai cùng ngày / second, same day", investor="Công ty Y")
        change(session, second, D(2024, 1, 2), "báo cáo muộn / late report", investor="Công ty Z")  # before its other events
    with session_scope(engine) as session:
        records = {"zone": list(session.scalars(select(Zone))), "project": list(session.scalars(select(Project)))}
        assert last_changes(session, "project", D(2026, 1, 5))[first.id]["note"] == "thứ hai cùng ngày / second, same day"
        assert last_changes(session, "project", D(2024, 1, 2))[second.id]["note"] == "báo cáo muộn / late report"
        days = sorted({e.effective_on for rows in records.values() for r in rows for e in r.events})
        checked = 0
        for day in days[:: max(1, len(days) // 5)] + [days[-1]]:
            for record_type, rows in records.items():
                expected = {}
                for record in rows:
                    events = [e for e in record.events if e.effective_on <= day]
                    if events:
                        latest = max(events, key=lambda e: (e.effective_on, e.id))
                        expected[record.id] = {"on": latest.effective_on, "basis": latest.date_basis, "document": None,
                                               "note": latest.note}
                assert last_changes(session, record_type, day) == expected
                checked += len(expected)
    assert checked > 100
