"""CLI of the workflow: update with --dry-run, refused input, history, changes, obstacles."""

import json

import pytest
from sqlalchemy import func, select

from cli_helpers import kcn, json_data
from kcn_tracker.db import make_engine, session_scope
from kcn_tracker.models import Event, Obstacle


def _counts(url):
    engine = make_engine(url)
    with session_scope(engine) as s:
        counts = (s.scalar(select(func.count()).select_from(Event)), s.scalar(select(func.count()).select_from(Obstacle)))
    engine.dispose()
    return counts


def test_dry_run_shows_old_to_new_and_writes_nothing(bundled_url):
    before = _counts(bundled_url)
    result = kcn(bundled_url, "energy", "update", "phuoc thai 2", "--capacity-operating", "40", "--date", "15/10/2025",
                 "--doc", "123/QĐ-UBND", "--doc-date", "10/10/2025", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "chạy thử" in result.stdout and "— → 40" in result.stdout
    assert "Vận hành một phần" in result.stdout
    assert _counts(bundled_url) == before


def test_update_then_history_and_changes(bundled_url):
    result = kcn(bundled_url, "energy", "update", "phuoc thai 2", "--capacity-operating", "40", "--date", "15/10/2025",
                 "--doc", "123/QĐ-UBND", "--doc-date", "10/10/2025", "--by", "lan")
    assert result.exit_code == 0 and "Đã ghi" in result.stdout
    history = json_data(kcn(bundled_url, "history", "phuoc thai 2", "--format", "json"))
    last = [h for h in history if h["kind"] == "event"][-1]
    assert last["changes"] == {"capacity_operating_mw": 40.0, "stage": "partly_operating"}
    assert last["recorded_by"] == "lan" and last["document"].startswith("123/QĐ-UBND")
    assert any(h["kind"] == "obstacle_opened" and h["category"] == "land" for h in history)
    changes = json_data(kcn(bundled_url, "changes", "--from", "30/09/2025", "--to", "31/12/2025", "--format", "json"))
    online = [c for c in changes if c["category"] == "mw_online"]
    assert [(c["code"], c["old"], c["new"]) for c in online] == [(last_code(changes), None, 40.0)]
    before = json_data(kcn(bundled_url, "energy", "show", "phuoc thai 2", "--as-of", "14/10/2025", "--format", "json"))
    assert before["stage"] == "construction"


def last_code(changes):
    return next(c["code"] for c in changes if c["category"] == "mw_online")


@pytest.mark.parametrize("args, message", [
    (["energy", "update", "lng ca na", "--stage", "almost"], "kcn stages"),
    (["energy", "update", "lng ca na", "--stage", "operating"], "nhà đầu tư"),
    (["energy", "update", "phuoc thai 3", "--stage", "in_plan"], "lý do"),
    (["energy", "update", "phuoc thai 3", "--capacity-operating", "-1"], "âm"),
    (["energy", "update", "phuoc thai 3", "--capacity-operating", "50"], "lớn hơn công suất"),
    (["zones", "update", "ninh thuy", "--leasable", "10", "--leased", "20"], "lớn hơn diện tích cho thuê"),
    (["energy", "update", "phuoc thai 3", "--stage", "operating", "--date", "01/01/2099"], "tương lai"),
    (["energy", "update", "phuoc thai 3", "--stage", "operating", "--date", "2025/13/45"], "--date"),
    (["energy", "update", "no such plant", "--stage", "operating"], "Không tìm thấy"),
])
def test_bad_input_clear_message_nonzero_exit_database_untouched(bundled_url, args, message):
    before = _counts(bundled_url)
    result = kcn(bundled_url, *args)
    assert result.exit_code != 0
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert _counts(bundled_url) == before


def test_obstacle_add_and_resolve_via_cli(bundled_url):
    added = kcn(bundled_url, "obstacle", "add", "lng ca na", "--category", "investor", "--description", "Chưa chọn được nhà đầu tư",
                "--date", "01/09/2025")
    assert added.exit_code == 0, added.output
    number = int(added.stdout.split("#")[1].split(":")[0])
    resolved = kcn(bundled_url, "obstacle", "resolve", str(number), "--date", "01/11/2025", "--doc", "77/QĐ-UBND")
    assert resolved.exit_code == 0 and "Đã giải quyết" in resolved.stdout
    again = kcn(bundled_url, "obstacle", "resolve", str(number))
    assert again.exit_code == 2 and "đã giải quyết" in again.stderr and "first resolution is kept" in again.stderr
    rows = json_data(kcn(bundled_url, "energy", "show", "lng ca na", "--as-of", "01/10/2025", "--format", "json"))
    assert [o["category"] for o in rows["open_obstacles"]] == ["investor"]
