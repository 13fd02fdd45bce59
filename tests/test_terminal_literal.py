"""Stored text reaches the terminal literally: no escape sequences run, no rich markup read.

The records are written straight into the event log (as an old database or a file
import could have them), then every command that prints them is checked.
"""

from __future__ import annotations

import pytest

from cli_helpers import kcn, json_data
from factories import D, add_project, add_technologies, add_zone, change
from kcn_tracker.db import session_scope
from kcn_tracker.terminal import printable

ESC_NAME = "KCN \x1b[31mĐỏ\x1b[0m\x07"
SHOWN_NAME = "KCN \\x1b[31mĐỏ\\x1b[0m\\x07"
MARKUP = "[bold]đậm[/bold] [seed 004]"


@pytest.fixture
def hostile_url(engine, db_url, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")  # wide enough that no cell is folded over two lines
    with session_scope(engine, write=True) as s:
        add_technologies(s)
        zone = add_zone(s, "kcn-esc", name=ESC_NAME, stage="operating", leasable_ha=10.0, leased_ha=5.0,
                        source=MARKUP, note="\x1b]0;tiêu đề bị đổi\x07" + MARKUP)
        change(s, zone, D(2025, 6, 1), note="ghi chú \x1b[2J" + MARKUP, leased_ha=6.0)
        add_project(s, "da-esc", name="Điện \x1b[1mgió\x1b[0m", investor=MARKUP, source=MARKUP)
    return db_url


def _plain(output: str) -> None:
    assert "\x1b" not in output and "\x07" not in output


@pytest.mark.parametrize("args", [
    ("zones", "show", "kcn-esc", "--as-of", "30/06/2025"),
    ("zones", "list", "--as-of", "30/06/2025"),
    ("history", "kcn-esc", "--zone"),
    ("changes", "--from", "01/01/2025", "--to", "30/06/2025"),
])
def test_zone_name_is_shown_literally(hostile_url, args):
    result = kcn(hostile_url, *args)
    assert result.exit_code == 0, result.output
    _plain(result.output)
    assert "\\x1b[31mĐỏ" in result.output


def test_markup_and_sources_are_not_swallowed(hostile_url):
    show = kcn(hostile_url, "zones", "show", "kcn-esc", "--as-of", "30/06/2025")
    assert show.exit_code == 0
    _plain(show.output)
    assert MARKUP in show.output
    assert "\\x1b]0;tiêu đề bị đổi\\x07[bold]đậm[/bold] [seed 004]" in show.output
    energy = kcn(hostile_url, "energy", "show", "da-esc", "--as-of", "30/06/2025")
    assert energy.exit_code == 0
    _plain(energy.output)
    assert "Điện \\x1b[1mgió\\x1b[0m" in energy.output
    assert energy.output.count(MARKUP) == 2  # investor and source


def test_history_notes_and_update_preview(hostile_url):
    history = kcn(hostile_url, "history", "kcn-esc", "--zone", "--format", "table")
    _plain(history.output)
    assert "ghi chú \\x1b[2J[bold]đậm[/bold] [seed 004]" in history.output
    preview = kcn(hostile_url, "zones", "update", "kcn-esc", "--leased", "7", "--date", "01/07/2025", "--dry-run")
    assert preview.exit_code == 0, preview.output
    assert preview.output.splitlines()[0] == f"Sẽ thay đổi (chạy thử, chưa ghi): {SHOWN_NAME} [kcn-esc], hiệu lực 01/07/2025"


def test_progress_table_shows_names_literally(hostile_url):
    result = kcn(hostile_url, "progress", "--as-of", "30/06/2025")
    assert result.exit_code == 0, result.output
    _plain(result.output)
    assert "\\x1b[31mĐỏ" in result.output


def test_json_keeps_the_stored_text_exactly(hostile_url):
    from cli_helpers import json_data

    result = kcn(hostile_url, "zones", "show", "kcn-esc", "--as-of", "30/06/2025", "--format", "json")
    _plain(result.output)  # JSON escapes control characters itself (\u001b)
    assert json_data(result)["name"] == ESC_NAME


def test_printable_escapes_controls_and_keeps_vietnamese():
    assert printable("Đà Nẵng\tKhánh Hòa") == "Đà Nẵng Khánh Hòa"
    assert printable("a\x1b[2Jb\x9bc\u202ed") == "a\\x1b[2Jb\\x9bc\\u202ed"
    assert printable("dòng 1\ndòng 2") == "dòng 1 dòng 2"
    assert printable("dòng 1\r\ndòng 2\x00", keep_newlines=True) == "dòng 1\ndòng 2\\x00"
