"""``cli.table`` prints exactly what rich prints (issue 15: the quick commands' tables without rich).

Thousands of generated tables (the boxes, paddings, column options and cell shapes the
commands use, long words, line breaks, empty cells, Vietnamese text, narrow and wide
consoles) and strings are printed by both and compared character for character.
"""

from __future__ import annotations

import io
import random
import sys
from contextlib import redirect_stdout

import pytest
from rich.cells import cell_len
from rich.console import Console as RichConsole

from kcn_tracker.cli import table as fast
from kcn_tracker.cli.table import Console, Table, Text, one_cell_characters

WORDS = ("Phước", "Thái", "2", "điện", "mặt", "trời", "KCN", "Dốc", "Đá", "Trắng", "1.200,5", "—", "(suy", "luận)",
         "tdtn-bac-ai-2", "Nhà", "máy", "“Hanbaram”", "8.517,4", "MW", "30/06/2026", "x" * 23, "ngày…", "≥", "70 %")


@pytest.fixture(autouse=True)
def plain_output(monkeypatch):
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)


def _text(rng: random.Random, *, lines: bool) -> str:
    if rng.random() < 0.1:
        return ""
    parts = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 9))) for _ in range(rng.randint(1, 3) if lines else 1)]
    text = "\n".join(parts)
    if rng.random() < 0.1:
        text = " " * rng.randint(1, 3) + text + " " * rng.randint(0, 3)
    return text


def _table(rng: random.Random) -> Table:
    compact = rng.random() < 0.6
    table = Table(title=_text(rng, lines=False) if rng.random() < 0.7 else None,
                  caption=_text(rng, lines=False) if rng.random() < 0.5 else None,
                  box="SIMPLE_HEAD" if compact else "HEAVY_HEAD", show_header=rng.random() < 0.85,
                  header_style="bold", pad_edge=not compact, collapse_padding=compact)
    for _ in range(rng.randint(1, 7)):
        table.add_column(_text(rng, lines=False), justify=rng.choice(("left", "left", "right", "center")),
                         overflow=rng.choice(("fold", "ellipsis")), no_wrap=rng.random() < 0.15,
                         width=rng.randint(1, 25) if rng.random() < 0.2 else None, style=rng.choice((None, "bold")))
    for _ in range(rng.randint(0, 8)):
        cells = [Text(_text(rng, lines=True)) if rng.random() < 0.3 else _text(rng, lines=False)
                 for _ in range(rng.randint(1, len(table.columns)))]
        table.add_row(*cells, style=rng.choice((None, "bold")))
    return table


def _ours(item: object, width: int | None) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        Console(width=width).print(item)
    return out.getvalue()


def _rich(item: object, width: int) -> str:
    out = io.StringIO()
    console = RichConsole(file=out, width=width, soft_wrap=False, markup=False, emoji=False, highlight=False)
    console.print(item.to_rich() if isinstance(item, Table) else item)
    return out.getvalue()


def test_generated_tables_print_as_rich_prints_them():
    rng = random.Random(15)
    drawn_here = roomy = 0
    for _ in range(3000):
        table = _table(rng)
        width = rng.choice((20, 33, 50, 80, 100, 120, 160))
        expected = _rich(table, width)
        assert _ours(table, width) == expected, (width, table)
        here = fast.table_lines(table, width) is not None
        drawn_here += here
        if (width >= 80 and len(table.columns) <= 4 and (table.rows or table.show_header)
                and all(c.width is None and not c.no_wrap for c in table.columns)):  # room for every column
            assert here, (width, table)
            roomy += 1
    # Most by cli.table itself; rich only where fixed widths leave a column no room at all.
    assert drawn_here > 1800 and roomy > 300


def test_long_tables_print_as_rich_prints_them():
    """Lists of many rows (drawn in bulk, a row per ``str.format`` where every cell fits on one line):
    mostly short cells, some to wrap, some of several lines, right-aligned ones ending in spaces."""
    rng = random.Random(10_000)
    for round_number in range(150):
        table = _table(rng)
        table.rows.clear()
        short = [w for w in WORDS if len(w) < 12]
        rows = []
        for _ in range(rng.randint(3, 60)):
            row = [" ".join(rng.choice(short) for _ in range(rng.randint(1, 2))) for _ in table.columns]
            if rng.random() < 0.2:
                index = rng.randrange(len(row))
                row[index] = _text(rng, lines=True)
            if rng.random() < 0.1:
                row[rng.randrange(len(row))] += rng.choice((" ", "\xa0"))
            rows.append(row)
        if round_number % 2:
            table.add_text_rows(rows)
        else:
            for row in rows:
                table.add_row(*[Text(cell) for cell in row])
        width = rng.choice((50, 80, 120, 200))
        assert _ours(table, width) == _rich(table, width), (width, table)


def test_strings_print_as_rich_prints_them():
    rng = random.Random(4)
    for _ in range(1000):
        text = _text(rng, lines=rng.random() < 0.3)
        width = rng.choice((10, 20, 80, 120))
        assert fast.text_lines(text, width) is not None
        assert _ours(text, width) == _rich(text, width), (width, text)


def test_console_width_is_riches(monkeypatch):
    monkeypatch.setenv("COLUMNS", "137")
    assert Console().width == RichConsole().width == 137
    monkeypatch.delenv("COLUMNS")
    assert Console().width == RichConsole().width


def test_other_characters_and_terminals_go_to_rich(monkeypatch):
    table = Table(title="宽字符")  # wide characters: rich measures them
    table.add_column("a")
    table.add_row("b")
    assert fast.table_lines(table, 80) is None
    assert _ours(table, 80) == _rich(table, 80)
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert fast._rich_styles()
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    monkeypatch.delenv("FORCE_COLOR")
    assert not fast._rich_styles()


def test_one_cell_characters_are_one_cell_for_rich():
    accepted = one_cell_characters()
    assert all(cell_len(ch) == 1 for ch in accepted)
    assert {"ạ", "ữ", "Đ", "–", "—", "“", "…", "≥", "•", "→", "×", "²"} <= accepted
    assert all(fast.one_cell(ch) for ch in accepted)  # the expression accepts exactly these
    assert not any(fast.one_cell(chr(c)) for c in range(0x30000) if chr(c) not in accepted)


def test_stored_text_is_printed_literally():
    table = Table(title="[bold]x\x1b[31m")
    table.add_column("Tên")
    table.add_row("a\nb [seed 004]")
    table.add_row(Text("dòng 1\ndòng 2"))
    printed = _ours(table, 60)
    assert "[bold]x\\x1b[31m" in printed and "a b [seed 004]" in printed and "\x1b" not in printed
    assert "dòng 1" in printed.splitlines()[-3] and "dòng 2" in printed.splitlines()[-2]
