"""Plain terminal tables for the quick commands: the small part of rich's Table/Console API they use.

Why not rich: importing ``rich.table`` and building a Console costs about a fifth of
``import sqlalchemy``, and quick commands (``kcn summary``, ``kcn zones list``) must start
within 1.2× of it (issue 15). This draws the same heavy-head box tables with a title,
a caption, left/right alignment and folded long cells. Text is printed literally (no
markup: "[seed 004]" stays as typed; ``render.new_table`` escapes control characters);
``style="bold"`` is bold on a terminal only. Long lines wrap to the terminal width
(``COLUMNS``; at least 100, as before).
"""

from __future__ import annotations

import shutil
import sys
import textwrap
import unicodedata
from dataclasses import dataclass, field
from typing import Any

_BOLD, _RESET = "\033[1m", "\033[0m"


def cell_width(text: str) -> int:
    """Columns a string takes on screen (combining accents take none)."""
    return sum(0 if unicodedata.combining(ch) else 1 for ch in text)


@dataclass
class _Column:
    header: str
    justify: str = "left"
    style: str | None = None


@dataclass
class Table:
    """A table to print with ``Console.print`` (keyword names as in ``rich.table.Table``)."""

    title: str | None = None
    caption: str | None = None
    header_style: str | None = None
    show_header: bool = True
    show_lines: bool = False
    columns: list[_Column] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    bold_rows: set[int] = field(default_factory=set)

    def add_column(self, header: str = "", *, justify: str = "left", style: str | None = None, **_ignored: Any) -> None:
        self.columns.append(_Column(header, justify, style))

    def add_row(self, *cells: Any, style: str | None = None) -> None:
        if style == "bold":
            self.bold_rows.add(len(self.rows))
        self.rows.append(["" if c is None else str(c) for c in cells])


class Console:
    """Prints strings and ``Table``s to stdout; ``width`` defaults to the terminal's, at least 100."""

    def __init__(self, *, width: int | None = None, soft_wrap: bool = False, **_ignored: Any) -> None:
        self.width = width or max(100, shutil.get_terminal_size((80, 24)).columns)
        self.soft_wrap = soft_wrap
        self.ansi = sys.stdout.isatty()

    def print(self, item: Any = "", *, style: str | None = None, soft_wrap: bool | None = None) -> None:
        if isinstance(item, Table):
            text = "\n".join(self._table(item))
        else:
            text = str(item)
            if not (self.soft_wrap if soft_wrap is None else soft_wrap):
                text = "\n".join(textwrap.fill(line, self.width) if cell_width(line) > self.width else line
                                 for line in text.split("\n"))
            if style == "bold" and self.ansi:
                text = f"{_BOLD}{text}{_RESET}"
        sys.stdout.write(text + "\n")

    def _table(self, table: Table) -> list[str]:
        plain = table.rows
        headers = [c.header for c in table.columns]
        widths = [max([cell_width(h) if table.show_header else 0, *(cell_width(r[i]) for r in plain if i < len(r))], default=0)
                  for i, h in enumerate(headers)]
        floors = [max([_longest_word(h) if table.show_header else 0, *(_longest_word(r[i]) for r in plain if i < len(r))], default=0)
                  for i, h in enumerate(headers)]
        widths = _fit(widths, floors, self.width - 3 * len(widths) - 1)
        top, head_rule, bottom = ("┏", "━", "┳", "┓"), ("┡", "━", "╇", "┩"), ("└", "─", "┴", "┘")
        out = []
        total = sum(widths) + 3 * len(widths) + 1
        if table.title:
            out += [self._bold(line.center(total).rstrip()) for line in textwrap.wrap(table.title, total)]
        out.append(_rule(top, widths))
        if table.show_header:
            out += [self._bold(line) if self.ansi and table.header_style else line
                    for line in _row(headers, widths, [c.justify for c in table.columns], "┃")]
            out.append(_rule(head_rule, widths))
        else:
            out[-1] = _rule(("┌", "─", "┬", "┐"), widths)
        for index, row in enumerate(plain):
            lines = _row(row, widths, [c.justify for c in table.columns], "│")
            out += [self._bold(line) for line in lines] if index in table.bold_rows else lines
            if table.show_lines and index < len(plain) - 1:
                out.append(_rule(("├", "─", "┼", "┤"), widths))
        out.append(_rule(bottom, widths))
        if table.caption:
            out += [line.center(total).rstrip() for line in textwrap.wrap(table.caption, total)]
        return out

    def _bold(self, text: str) -> str:
        return f"{_BOLD}{text}{_RESET}" if self.ansi else text


def _fit(widths: list[int], floors: list[int], room: int) -> list[int]:
    """Column widths within ``room``: each at least its longest word, the rest shared by what each lacks."""
    if sum(widths) <= room:
        return widths
    floors = [min(f, w) for f, w in zip(floors, widths)]
    if sum(floors) >= room:  # even the words do not fit: shrink the widest columns (no column below 6)
        out = list(floors)
        while sum(out) > room and max(out) > 6:
            out[out.index(max(out))] -= 1
        return out
    lacking = [w - f for w, f in zip(widths, floors)]
    spare = room - sum(floors)
    out = [f + spare * lack // sum(lacking) for f, lack in zip(floors, lacking)]
    for i in sorted(range(len(out)), key=lambda i: -lacking[i])[: room - sum(out)]:
        out[i] += 1
    return out


def _longest_word(text: str) -> int:
    return max((cell_width(word) for word in text.split()), default=0)


def _rule(chars: tuple[str, str, str, str], widths: list[int]) -> str:
    left, line, cross, right = chars
    return left + cross.join(line * (w + 2) for w in widths) + right


def _row(cells: list[str], widths: list[int], justify: list[str], bar: str) -> list[str]:
    wrapped = [_fold(cells[i] if i < len(cells) else "", w) for i, w in enumerate(widths)]
    height = max((len(w) for w in wrapped), default=1)
    lines = []
    for n in range(height):
        parts = []
        for i, width in enumerate(widths):
            text = wrapped[i][n] if n < len(wrapped[i]) else ""
            pad = " " * max(0, width - cell_width(text))
            parts.append(f" {pad}{text} " if justify[i] == "right" else f" {text}{pad} ")
        lines.append(bar + bar.join(parts) + bar)
    return lines


def _fold(text: str, width: int) -> list[str]:
    out: list[str] = []
    for line in text.split("\n") or [""]:
        out += textwrap.wrap(line, width, break_long_words=True, break_on_hyphens=False) or [""] if cell_width(line) > width else [line]
    return out or [""]
