"""Simultaneous writers on one record: every update lands, on SQLite and on PostgreSQL.

Each writer does what ``kcn energy update`` does (one ``session_scope(write=True)`` that
resolves the name, locks the record and appends an event), many times over, at the
same moment as the others. A genuinely stale write (read, another writer commits,
then write from the old read) is still refused.
"""

import threading

import pytest
from sqlalchemy import func, select

from cli_helpers import kcn_process
from factories import D, add_project, add_technologies, add_zone
from kcn_tracker.db import session_scope
from kcn_tracker.errors import ConcurrentUpdate
from kcn_tracker.models import Event, Project, Zone
from kcn_tracker.workflow import HOLD_ENV, update_record

STALE = "changed since you read it"


def test_two_processes_updating_one_zone_both_land_in_history(engine, db_url):
    with session_scope(engine, write=True) as s:
        add_technologies(s)
        add_zone(s, "kcn-a", name="KCN Alpha", stage="operating", leasable_ha=100.0)
    # The first writer holds its transaction open for a while after locking the record;
    # the second starts meanwhile, waits for the lock and then builds on the first's change.
    first = kcn_process(db_url, "zones", "update", "kcn-a", "--leased", "40", "--date", "01/06/2025", "--by", "an",
                        env={HOLD_ENV: "2"})
    import time

    time.sleep(0.8)
    second = kcn_process(db_url, "zones", "update", "kcn-a", "--tenants-registered", "7", "--date", "02/06/2025", "--by", "binh")
    outcomes = [p.communicate(timeout=60) + (p.returncode,) for p in (first, second)]
    assert [code for _, _, code in outcomes] == [0, 0], outcomes
    with session_scope(engine) as s:
        zone = s.scalars(select(Zone).where(Zone.code == "kcn-a")).one()
        authors = sorted(e.recorded_by for e in zone.events[1:])
        state = (zone.leased_ha, zone.tenants_registered, zone.version)
    assert authors == ["an", "binh"]
    assert state == (40.0, 7, 3)


def _writer(engine, index: int, count: int, barrier: threading.Barrier, errors: list[BaseException]) -> None:
    barrier.wait()
    for n in range(count):
        try:
            with session_scope(engine, write=True) as session:
                update_record(session, "project", "Du An Dong Thoi", {"investor": f"writer {index}, update {n}"},
                              effective_on=D(2025, 6, 1), by=f"w{index}", today=D(2025, 12, 1))
        except BaseException as exc:  # collected: the test reports every refusal, not just the first
            errors.append(exc)


@pytest.mark.parametrize("writers", [2, 4])
def test_simultaneous_updates_all_land(engine, writers):
    per_writer = 20
    with session_scope(engine, write=True) as s:
        add_technologies(s)
        add_project(s, "du-an-dong-thoi", name="Du An Dong Thoi")
    barrier = threading.Barrier(writers)
    errors: list[BaseException] = []
    threads = [threading.Thread(target=_writer, args=(engine, i, per_writer, barrier, errors)) for i in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert errors == []
    with session_scope(engine) as s:
        project = s.scalars(select(Project).where(Project.code == "du-an-dong-thoi")).one()
        events = s.scalar(select(func.count()).select_from(Event).where(Event.project_id == project.id))
        by_writer = sorted(s.scalars(select(Event.recorded_by).where(Event.project_id == project.id)))
        assert events == 1 + writers * per_writer
        assert project.version == 1 + writers * per_writer
        assert by_writer == sorted(["test"] + [f"w{i}" for i in range(writers) for _ in range(per_writer)])


def test_stale_version_is_refused_not_overwritten(engine):
    from kcn_tracker.history import record_change

    with session_scope(engine, write=True) as s:
        add_technologies(s)
        add_zone(s, "kcn-b", name="KCN Beta", stage="operating")
    # Two sessions read version 1; the first commits; the second's write must be refused.
    with pytest.raises(ConcurrentUpdate) as refused:
        with session_scope(engine) as stale:
            zone_b = stale.scalars(select(Zone).where(Zone.code == "kcn-b")).one()
            _ = zone_b.events
            with session_scope(engine, write=True) as fresh:
                zone_f = fresh.scalars(select(Zone).where(Zone.code == "kcn-b")).one()
                record_change(fresh, zone_f, {"developer": "X"}, effective_on=D(2025, 1, 1), by="t", today=D(2025, 12, 1))
            record_change(stale, zone_b, {"developer": "Y"}, effective_on=D(2025, 1, 2), by="t", today=D(2025, 12, 1))
    assert refused.value.message == (
        "Bản ghi đã bị người khác thay đổi sau khi bạn đọc; không ghi gì. Hãy chạy lại lệnh. / "
        "The record changed since you read it; nothing was written. Run the command again.")
    assert refused.value.exit_code == 3
    with session_scope(engine) as s:
        zone = s.scalars(select(Zone).where(Zone.code == "kcn-b")).one()
        assert (zone.developer, zone.version, len(zone.events)) == ("X", 2, 2)
