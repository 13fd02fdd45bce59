"""The plain terminal tables of the quick commands (``cli.table``)."""

from __future__ import annotations

from kcn_tracker.cli.table import Console, Table, cell_width, markup


def render(table: Table, width: int, capsys) -> list[str]:
    Console(width=width).print(table)
    return capsys.readouterr().out.splitlines()


def test_table_aligns_wraps_and_strips_markup(capsys):
    table = Table(title="[bold]Dự án[/bold]", caption="2 bản ghi", header_style="bold")
    table.add_column("Tên")
    table.add_column("MW", justify="right")
    table.add_row("Nhà máy điện mặt trời Phước Thái 2 rất dài rất dài", "100")
    table.add_row("Hanbaram", "1.200,5")
    lines = render(table, 40, capsys)
    assert lines[0].strip() == "Dự án" and lines[-1].strip() == "2 bản ghi"
    body = [line for line in lines if line.startswith("│")]
    assert all(cell_width(line) == cell_width(body[0]) <= 40 for line in body)
    assert body[0].rstrip("│").rstrip().endswith("100") and "Hanbaram" in body[-1] and "1.200,5 │" in body[-1]
    assert sum("Phước" in line or "Thái" in line for line in body) >= 1 and len(body) >= 3  # the long name wrapped


def test_markup_on_a_terminal_is_ansi_bold():
    assert markup("[bold]A[/bold] b", ansi=True) == "\033[1mA\033[0m b"
    assert markup("[bold]A[/bold] [land] b", ansi=False) == "A [land] b"
