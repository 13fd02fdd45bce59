"""``clock.today()`` is Vietnam's date (UTC+7) whatever the machine's time zone, and KCN_TODAY pins it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from kcn_tracker import clock

UTC = dt.timezone.utc


@pytest.fixture(autouse=True)
def _unpinned(monkeypatch):
    monkeypatch.delenv(clock.TODAY_ENV, raising=False)  # the suite also runs with KCN_TODAY set


@pytest.mark.parametrize("utc_instant, vietnam_day", [
    (dt.datetime(2026, 2, 28, 17, 30, tzinfo=UTC), dt.date(2026, 3, 1)),  # 00:30 on 1 March in Khánh Hòa
    (dt.datetime(2026, 2, 28, 16, 59, 59, tzinfo=UTC), dt.date(2026, 2, 28)),  # 23:59:59 on 28 February
    (dt.datetime(2025, 12, 31, 17, 0, tzinfo=UTC), dt.date(2026, 1, 1)),  # New Year at midnight, Vietnam time
    (dt.datetime(2031, 1, 1, 6, 59, tzinfo=UTC), dt.date(2031, 1, 1)),
])
@pytest.mark.parametrize("machine_zone", ["UTC", "America/Los_Angeles", "Asia/Ho_Chi_Minh"])
def test_today_is_vietnams_date_on_any_server(utc_instant, vietnam_day, machine_zone):
    with time_machine.travel(utc_instant, tick=False):
        import os
        import time

        old = os.environ.get("TZ")
        os.environ["TZ"] = machine_zone
        time.tzset()
        try:
            assert clock.today() == vietnam_day
            assert clock.now() == utc_instant
            assert clock.now_vietnam() == utc_instant.astimezone(clock.VIETNAM).replace(microsecond=0)
        finally:
            if old is None:
                del os.environ["TZ"]
            else:
                os.environ["TZ"] = old
            time.tzset()


def test_a_server_on_utc_accepts_todays_vietnamese_date_before_7am(engine, db_url):
    """00:30 on 1 March in Vietnam is still 28 February in UTC: an update dated 01/03/2026 is not "in the future"."""
    from cli_helpers import kcn
    from factories import add_technologies, add_zone
    from kcn_tracker.db import session_scope

    url = db_url
    with session_scope(engine, write=True) as s:
        add_technologies(s)
        add_zone(s, "kcn-a", name="KCN A", stage="operating", leasable_ha=100.0)
    with time_machine.travel(dt.datetime(2026, 2, 28, 17, 30, tzinfo=UTC), tick=False):
        result = kcn(url, "zones", "update", "kcn-a", "--leased", "10", "--date", "01/03/2026")
        tomorrow = kcn(url, "zones", "update", "kcn-a", "--leased", "11", "--date", "02/03/2026")
    assert result.exit_code == 0, result.output
    assert tomorrow.exit_code == 2
    assert "effective date (--date): 02/03/2026 ở tương lai" in tomorrow.stderr and "is in the future" in tomorrow.stderr


def test_kcn_today_pins_the_date(monkeypatch):
    monkeypatch.setenv(clock.TODAY_ENV, "2025-12-01")
    with time_machine.travel(dt.datetime(2031, 6, 1, tzinfo=UTC), tick=False):
        assert clock.today() == dt.date(2025, 12, 1)
