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

import re
import shutil
import sys
import textwrap
from collections.abc import Callable
from typing import Any

_BOLD, _RESET = "\033[1m", "\033[0m"


#: Combining marks (they take no column): a regex counts them at C speed; NFC text rarely has any.
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def cell_width(text: str) -> int:
    """Columns a string takes on screen (combining accents take none)."""
    return len(text) if text.isascii() else len(text) - len(_COMBINING.findall(text))


class _Column:
    """A column: its header, alignment and (ignored) style."""

    __slots__ = ("header", "justify", "style")

    def __init__(self, header: str, justify: str = "left", style: str | None = None) -> None:
        self.header, self.justify, self.style = header, justify, style


class Table:
    """A table to print with ``Console.print`` (keyword names as in ``rich.table.Table``).

    Plain classes, not dataclasses: generating a dataclass costs import time.
    """

    def __init__(self, title: str | None = None, caption: str | None = None, header_style: str | None = None,
                 show_header: bool = True, show_lines: bool = False, **_ignored: Any) -> None:
        self.title, self.caption, self.header_style = title, caption, header_style
        self.show_header, self.show_lines = show_header, show_lines
        self.columns: list[_Column] = []
        self.rows: list[list[str]] = []
        self.bold_rows: set[int] = set()

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
        """The table's lines; each cell is measured once (a 10,000-row list must print quickly)."""
        n = len(table.columns)
        rows = [(row + [""] * n)[:n] for row in table.rows]
        headers = [c.header for c in table.columns] if table.show_header else [""] * n
        # Without combining marks (NFC text nearly always), a width is len(): one C call per cell.
        width = cell_width if _COMBINING.search("\x00".join(headers + [c for row in rows for c in row])) else len
        sizes = [list(map(width, row)) for row in rows]
        header_sizes = list(map(width, headers))
        natural = [max([header_sizes[i], *(r[i] for r in sizes)]) for i in range(n)]
        room = self.width - 3 * n - 1
        widths = natural
        if sum(natural) > room:
            floors = [max([_longest_word(headers[i], width), *(_longest_word(r[i], width) for r in rows)]) for i in range(n)]
            widths = _fit(natural, floors, room)
        justify = [c.justify == "right" for c in table.columns]
        out = []
        total = sum(widths) + 3 * n + 1
        if table.title:
            out += [self._bold(line.center(total).rstrip()) for line in textwrap.wrap(table.title, total)]
        if table.show_header:
            out.append(_rule(("┏", "━", "┳", "┓"), widths))
            lines = _row(headers, header_sizes, widths, justify, "┃", width)
            out += [self._bold(line) for line in lines] if table.header_style else lines
            out.append(_rule(("┡", "━", "╇", "┩"), widths))
        else:
            out.append(_rule(("┌", "─", "┬", "┐"), widths))
        between = _rule(("├", "─", "┼", "┤"), widths)
        for index, (row, size) in enumerate(zip(rows, sizes)):
            lines = _row(row, size, widths, justify, "│", width)
            out += [self._bold(line) for line in lines] if index in table.bold_rows else lines
            if table.show_lines and index < len(rows) - 1:
                out.append(between)
        out.append(_rule(("└", "─", "┴", "┘"), widths))
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


def _longest_word(text: str, width: Callable[[str], int]) -> int:
    return max(map(width, text.split()), default=0)


def _rule(chars: tuple[str, str, str, str], widths: list[int]) -> str:
    left, line, cross, right = chars
    return left + cross.join(line * (w + 2) for w in widths) + right


def _row(cells: list[str], sizes: list[int], widths: list[int], right: list[bool], bar: str,
         width_of: Callable[[str], int]) -> list[str]:
    """One table row: one line when every cell fits (the common case), else its cells folded."""
    if all(size <= width and "\n" not in cell for cell, size, width in zip(cells, sizes, widths)):
        return [bar + bar.join(f" {' ' * (w - size)}{cell} " if r else f" {cell}{' ' * (w - size)} "
                               for cell, size, w, r in zip(cells, sizes, widths, right)) + bar]
    wrapped = [[cell] if size <= width and "\n" not in cell else _fold(cell, width, width_of)
               for cell, size, width in zip(cells, sizes, widths)]
    lines = []
    for n in range(max(map(len, wrapped))):
        texts = [col[n] if n < len(col) else "" for col in wrapped]
        if width_of is len:  # str.ljust/rjust pad by len(): C speed
            parts = [f" {t.rjust(w)} " if r else f" {t.ljust(w)} " for t, w, r in zip(texts, widths, right)]
        else:
            parts = [f" {' ' * max(0, w - width_of(t))}{t} " if r else f" {t}{' ' * max(0, w - width_of(t))} "
                     for t, w, r in zip(texts, widths, right)]
        lines.append(bar + bar.join(parts) + bar)
    return lines


def _fold(text: str, width: int, width_of: Callable[[str], int]) -> list[str]:
    """A cell's lines within ``width``: words wrapped, words longer than the column cut."""
    out: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0
        for word in paragraph.split() or [""]:
            size = width_of(word)
            while size > width:  # a long code or URL: cut it
                if line:
                    out.append(line)
                    line, used = "", 0
                out.append(word[:width])
                word = word[width:]
                size = width_of(word)
            if not line:
                line, used = word, size
            elif used + 1 + size <= width:
                line, used = f"{line} {word}", used + 1 + size
            else:
                out.append(line)
                line, used = word, size
        out.append(line)
    return out or [""]
