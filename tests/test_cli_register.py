"""CLI of the register: exit codes and messages, formats, help texts."""

import csv
import io
import json

import click
import pytest

from cli_helpers import kcn, json_data
from kcn_tracker.cli import cli


def test_unknown_name_exits_2_with_suggestion(bundled_url):
    result = kcn(bundled_url, "zones", "show", "doc da trng")
    assert result.exit_code == 2
    assert "Không tìm thấy" in result.stderr and "Dốc Đá Trắng" in result.stderr
    assert "Traceback" not in result.output


def test_ambiguous_name_lists_candidates_and_exits_2(bundled_url):
    result = kcn(bundled_url, "zones", "show", "ca na")
    assert result.exit_code == 2
    assert "giai đoạn 1" in result.stderr.lower() or "cà ná" in result.stderr.lower()
    assert result.stderr.count("  - ") >= 2


def test_show_finds_without_accents_and_prints_vietnamese(bundled_url):
    result = kcn(bundled_url, "energy", "show", "lng ca na")
    assert result.exit_code == 0, result.output
    assert "1.500" in result.stdout and "Đã có QĐ chủ trương đầu tư" in result.stdout


def test_list_filters_and_machine_formats(bundled_url):
    result = kcn(bundled_url, "energy", "list", "--technology", "điện gió trên bờ", "--stage", "Tien kha thi", "--format", "json")
    rows = json_data(result)
    assert rows and {r["technology_label"] for r in rows} == {"điện gió trên bờ"}
    assert {r["stage"] for r in rows} == {"prefeasibility"}
    assert all(isinstance(r["capacity_mw"], float) for r in rows)
    table = list(csv.DictReader(io.StringIO(kcn(bundled_url, "zones", "list", "--kind", "CCN", "--format", "csv").stdout)))
    assert table and {r["kind"] for r in table} == {"CCN"}


def test_bad_date_and_unknown_stage_are_clean_errors(bundled_url):
    bad_date = kcn(bundled_url, "zones", "list", "--as-of", "31/02/2026")
    assert bad_date.exit_code == 2 and "--as-of" in bad_date.stderr
    bad_stage = kcn(bundled_url, "zones", "list", "--stage", "flying")
    assert bad_stage.exit_code == 2 and "kcn stages" in bad_stage.stderr


def test_summary_json_reconciles(bundled_url):
    data = json_data(kcn(bundled_url, "summary", "--format", "json"))
    assert data["named_projects"] == 33 and data["unnamed_projects"] == 27 and data["plan_projects"] == 60
    assert round(data["plan_total_mw"], 1) == 8517.4


def test_run_on_an_empty_database_loads_and_summarises(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    result = kcn(url, "run", "--no-map")
    assert result.exit_code == 0, result.output
    assert "33 dự án có tên + 27 chưa nêu tên = 60" in result.stdout.replace("\n", " ")
    again = kcn(url, "run", "--no-map")
    assert "Đã nạp" not in again.stdout
    info = kcn(url, "info")
    assert str(tmp_path / "fresh.sqlite") in info.stdout


def test_every_command_has_help_text():
    def walk(command: click.Command, ctx: click.Context, path: str) -> None:
        assert command.help or command.short_help, f"{path} has no help"
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                walk(sub, click.Context(sub, parent=ctx, info_name=name), f"{path} {name}")

    walk(cli, click.Context(cli, info_name="kcn"), "kcn")


@pytest.mark.parametrize("args", [["zones", "list"], ["energy", "list"], ["stages"], ["summary"]])
def test_table_output_is_vietnamese(bundled_url, args):
    result = kcn(bundled_url, *args)
    assert result.exit_code == 0
    assert any(word in result.stdout for word in ("Giai đoạn", "Tên", "Công nghệ"))
