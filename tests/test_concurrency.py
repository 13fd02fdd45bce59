"""Two real processes update the same record at the same moment: no update is silently lost."""

import time

from sqlalchemy import select

from cli_helpers import kcn_process
from factories import D, add_technologies, add_zone
from kcn_tracker.db import session_scope
from kcn_tracker.models import Zone
from kcn_tracker.workflow import HOLD_ENV


def test_two_processes_updating_one_zone_both_land_in_history(engine, db_url):
    with session_scope(engine, write=True) as s:
        add_technologies(s)
        add_zone(s, "kcn-a", name="KCN Alpha", stage="operating", leasable_ha=100.0)
    # The first writer holds its transaction open for a while after reading the record;
    # the second starts meanwhile. Neither may overwrite the other's change.
    first = kcn_process(db_url, "zones", "update", "kcn-a", "--leased", "40", "--date", "01/06/2026", "--by", "an",
                        env={HOLD_ENV: "2"})
    time.sleep(0.8)
    second = kcn_process(db_url, "zones", "update", "kcn-a", "--tenants-registered", "7", "--date", "02/06/2026", "--by", "binh")
    outcomes = [p.communicate(timeout=60) + (p.returncode,) for p in (first, second)]
    codes = [code for _, _, code in outcomes]
    with session_scope(engine) as s:
        zone = s.scalars(select(Zone).where(Zone.code == "kcn-a")).one()
        authors = [e.recorded_by for e in zone.events[1:]]
        state = (zone.leased_ha, zone.tenants_registered, zone.version)
    if codes == [0, 0]:
        assert sorted(authors) == ["an", "binh"]
        assert state == (40.0, 7, 3)
    else:  # the only other acceptable outcome: the second is refused, clearly, and nothing of it is written
        assert codes == [0, 3], outcomes
        assert "changed since you read it" in outcomes[1][1] or "busy" in outcomes[1][1]
        assert authors == ["an"] and state[0] == 40.0


def test_stale_version_is_refused_not_overwritten(engine):
    from kcn_tracker.errors import ConcurrentUpdate
    from kcn_tracker.history import record_change

    with session_scope(engine, write=True) as s:
        add_technologies(s)
        add_zone(s, "kcn-b", name="KCN Beta", stage="operating")
    # Two sessions read version 1; the first commits; the second's write must be refused.
    import pytest

    with pytest.raises(ConcurrentUpdate, match="changed since you read it|busy with another write"):
        with session_scope(engine) as stale:
            zone_b = stale.scalars(select(Zone).where(Zone.code == "kcn-b")).one()
            _ = zone_b.events
            with session_scope(engine, write=True) as fresh:
                zone_f = fresh.scalars(select(Zone).where(Zone.code == "kcn-b")).one()
                record_change(fresh, zone_f, {"developer": "X"}, effective_on=D(2026, 1, 1), by="t")
            record_change(stale, zone_b, {"developer": "Y"}, effective_on=D(2026, 1, 2), by="t")
    with session_scope(engine) as s:
        assert s.scalars(select(Zone).where(Zone.code == "kcn-b")).one().developer == "X"
