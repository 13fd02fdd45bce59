"""The plain terminal tables of the quick commands (``cli.table``)."""

from __future__ import annotations

from kcn_tracker.cli.table import Console, Table, cell_width


def render(table: Table, width: int, capsys) -> list[str]:
    Console(width=width).print(table)
    return capsys.readouterr().out.splitlines()


def test_table_aligns_wraps_and_prints_text_literally(capsys):
    table = Table(title="Dự án [seed 004]", caption="2 bản ghi", header_style="bold")
    table.add_column("Tên")
    table.add_column("MW", justify="right")
    table.add_row("Nhà máy điện mặt trời Phước Thái 2 rất dài rất dài", "100")
    table.add_row("Hanbaram", "1.200,5")
    lines = render(table, 40, capsys)
    assert lines[0].strip() == "Dự án [seed 004]" and lines[-1].strip() == "2 bản ghi"
    body = [line for line in lines if line.startswith("│")]
    assert all(cell_width(line) == cell_width(body[0]) <= 40 for line in body)
    assert body[0].rstrip("│").rstrip().endswith("100") and "Hanbaram" in body[-1] and "1.200,5 │" in body[-1]
    assert sum("Phước" in line or "Thái" in line for line in body) >= 1 and len(body) >= 3  # the long name wrapped


def test_bold_rows_only_on_a_terminal(capsys, monkeypatch):
    table = Table()
    table.add_column("a")
    table.add_row("Tổng", style="bold")
    console = Console(width=100)
    console.print(table)
    assert "\033[" not in capsys.readouterr().out  # captured output is not a terminal
    console.ansi = True
    console.print(table)
    assert "\033[1m│ Tổng │\033[0m" in capsys.readouterr().out
