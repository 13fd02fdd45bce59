"""Terminal tables for people, drawn exactly as rich draws them, without importing rich.

Why: importing ``rich.table`` costs about a tenth of ``import sqlalchemy`` and rich lays out
a 10,000-row list in about ten seconds, against a budget of 1.2× (2× at 10,000 records)
``import sqlalchemy`` for the quick commands (issue 15). ``Table`` and ``Console`` record
what the commands ask for (the part of rich's API they use) and print it:

* here, when rich would print plain text (not a terminal: pipes, files, tests) and every
  character is one terminal cell (Latin, Vietnamese, common punctuation): rich's layout
  (column measurement, shrinking, word wrapping and folding, alignment, title and caption,
  the boxes), rewritten for plain strings;
* with rich otherwise (a terminal, where rich adds styles; wide or combining characters;
  a non-UTF-8 output), from the same recorded calls.

``tests/test_cli_table.py`` compares both with rich on generated tables and strings.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from typing import Any

from kcn_tracker.terminal import printable

#: Characters that take exactly one terminal cell in rich (``rich.cells``; checked by the tests):
#: printable ASCII, Latin-1 and Latin Extended, Vietnamese, Greek, Cyrillic, common punctuation.
_RANGES = ((0x20, 0x7E), (0xA0, 0xAC), (0xAE, 0x2FF), (0x370, 0x482), (0x1E00, 0x1EFF), (0x2010, 0x2027),
           (0x2030, 0x205E), (0x2190, 0x21FF), (0x2200, 0x22FF), (0x2500, 0x25FC))
_OTHER_CELLS = re.compile("[^" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in _RANGES) + "]")


def _one_cell(text: str) -> bool:
    """Whether every character of ``text`` takes one cell (a regular expression: fast on 10,000 rows)."""
    return _OTHER_CELLS.search(text) is None


def one_cell_characters() -> frozenset[str]:
    """The characters ``_one_cell`` accepts (for the tests)."""
    return frozenset(chr(c) for start, end in _RANGES for c in range(start, end + 1))

#: rich.box boxes (the eight lines of ``rich.box.Box``) and the box rich uses when the header is hidden.
BOXES = {
    "HEAVY_HEAD": "┏━┳┓\n┃ ┃┃\n┡━╇┩\n│ ││\n├─┼┤\n├─┼┤\n│ ││\n└─┴┘\n",
    "SQUARE": "┌─┬┐\n│ ││\n├─┼┤\n│ ││\n├─┼┤\n├─┼┤\n│ ││\n└─┴┘\n",
    "SIMPLE_HEAD": "    \n    \n ── \n    \n    \n    \n    \n    \n",
}
PLAIN_HEADED = {"HEAVY_HEAD": "SQUARE"}
_WORD = re.compile(r"\s*\S+\s*")
_TRAILING_SPACE = re.compile(r"\s+$")


class Text(str):
    """A cell that is printable already and keeps its line breaks (rich's ``Text``, unstyled)."""


@dataclass
class _Column:
    header: str
    justify: str = "left"
    overflow: str = "ellipsis"
    width: int | None = None
    no_wrap: bool = False
    style: str | None = None


@dataclass
class Table:
    """The table of ``rich.table.Table`` (its keywords), with ``literal`` text: stored text is made
    printable (control characters shown as escapes, line breaks as spaces) except ``Text`` cells."""

    title: str | None = None
    caption: str | None = None
    box: str = "HEAVY_HEAD"
    show_header: bool = True
    header_style: str | None = None
    show_lines: bool = False
    pad_edge: bool = True
    collapse_padding: bool = False
    literal: bool = True
    columns: list[_Column] = field(default_factory=list)
    rows: list[tuple[list[str], str | None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.literal:
            self.title = printable(self.title) if isinstance(self.title, str) else self.title
            self.caption = printable(self.caption) if isinstance(self.caption, str) else self.caption

    def add_column(self, header: str = "", *, justify: str = "left", overflow: str = "ellipsis",
                   width: int | None = None, no_wrap: bool = False, style: str | None = None) -> None:
        self.columns.append(_Column(header, justify, overflow, width, no_wrap, style))

    def add_row(self, *cells: Any, style: str | None = None) -> None:
        literal = self.literal
        row = [c if type(c) is Text else "" if c is None else printable(c) if literal else c for c in cells]
        if len(row) < len(self.columns):
            row += [""] * (len(self.columns) - len(row))
        self.rows.append((row, style))

    def to_rich(self) -> Any:
        """The same table as a ``rich.table.Table``."""
        from rich import box
        from rich.table import Table as RichTable
        from rich.text import Text as RichText

        table = RichTable(title=self.title, caption=self.caption, box=getattr(box, self.box), show_header=self.show_header,
                          header_style=self.header_style, show_lines=self.show_lines, pad_edge=self.pad_edge,
                          collapse_padding=self.collapse_padding)
        for c in self.columns:
            table.add_column(c.header, justify=c.justify, overflow=c.overflow, width=c.width, no_wrap=c.no_wrap,  # type: ignore[arg-type]
                             style=c.style)
        for cells, style in self.rows:
            table.add_row(*[RichText(str(cell)) for cell in cells], style=style)
        return table


class Console:
    """``rich.console.Console(soft_wrap=False, markup=False, emoji=False, highlight=False, width=width)``."""

    def __init__(self, *, width: int | None = None) -> None:
        self._width = width

    @property
    def width(self) -> int:
        """rich's console width: ``width``, else ``COLUMNS``, else the terminal's, else 80."""
        if self._width is not None:
            return self._width
        columns = os.environ.get("COLUMNS")
        if columns is not None and columns.isdigit():
            return int(columns)
        for descriptor in (0, 1, 2):
            try:
                width = os.get_terminal_size(descriptor)[0]
            except (AttributeError, ValueError, OSError):
                continue
            return width or 80
        return 80

    def print(self, item: Any = "", *, style: str | None = None) -> None:
        """Print a ``Table`` or a string (wrapped at the console width), as rich prints them."""
        lines = None if _rich_styles() else (_table_lines(item, self.width) if isinstance(item, Table)
                                              else _text_lines(str(item), self.width))
        if lines is None:
            self._rich().print(item.to_rich() if isinstance(item, Table) else item, style=style)
            return
        sys.stdout.write("".join(line + "\n" for line in lines))

    def _rich(self) -> Any:
        from rich.console import Console as RichConsole

        return RichConsole(soft_wrap=False, markup=False, emoji=False, highlight=False, width=self._width)


def _rich_styles() -> bool:
    """Whether rich would write escape codes (a terminal, ``FORCE_COLOR``...) or substitute
    characters (an output that is not UTF-8): then rich prints."""
    tty_compatible = os.environ.get("TTY_COMPATIBLE", "")
    if tty_compatible in ("0", "1"):
        terminal = tty_compatible == "1"
    elif os.environ.get("FORCE_COLOR") is not None:
        terminal = os.environ["FORCE_COLOR"] != ""
    else:
        isatty = getattr(sys.stdout, "isatty", None)
        try:
            terminal = bool(isatty and isatty())
        except ValueError:
            terminal = False
    encoding = (getattr(sys.stdout, "encoding", "utf-8") or "utf-8").lower()
    return terminal or not encoding.startswith("utf")


def _text_lines(text: str, width: int) -> list[str] | None:
    """``Console.print(text)``: wrapped at ``width`` ("default" justify, "fold" overflow), cropped."""
    if not _one_cell(text.replace("\n", "")) or width < 1:
        return None
    return [line[:width] for line in _wrap(text, width, "default", "fold", False)]


def _wrap(text: str, width: int, justify: str, overflow: str, no_wrap: bool) -> list[str]:
    """``rich.text.Text.wrap`` for one-cell characters."""
    out = []
    for line in text.split("\n"):
        if no_wrap or len(line) <= width:
            pieces = [line]
        else:
            starts = [0, *_breaks(line, width, fold=overflow == "fold"), len(line)]
            pieces = [_rstrip_end(line[a:b], width) for a, b in zip(starts, starts[1:])]
        for piece in pieces:
            if justify == "left":
                piece = _truncate(piece, width, overflow).ljust(width)
            elif justify == "right":
                piece = _truncate(piece.rstrip(), width, overflow).rjust(width)
            elif justify == "center":
                piece = _truncate(piece.rstrip(), width, overflow)
                piece = (" " * ((width - len(piece)) // 2) + piece).ljust(width)
            out.append(_truncate(piece, width, overflow))
    return out


def _breaks(text: str, width: int, *, fold: bool) -> list[int]:
    """``rich._wrap.divide_line`` for one-cell characters: where ``text`` breaks to fit ``width``."""
    words = text.split(" ")
    if max(map(len, words)) <= width and " ".join(text.split()) == text:
        # Words that fit, one space apart (the usual cell): the same greedy breaks without the expression.
        breaks, offset, start = [], 0, 0
        for word in words[:-1]:
            if offset and width - offset < len(word):
                breaks.append(start)
                offset = 0
            offset += len(word) + 1
            start += len(word) + 1
        if offset and width - offset < len(words[-1]):
            breaks.append(start)
        return breaks
    breaks = []
    offset = 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group()
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:
            if fold:
                chunks = [word[i:i + width] for i in range(0, len(word), width)]
                for index, chunk in enumerate(chunks):
                    if start:
                        breaks.append(start)
                    if index == len(chunks) - 1:
                        offset = len(chunk)
                    else:
                        start += len(chunk)
            else:
                if start:
                    breaks.append(start)
                offset = len(word)
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    return breaks


def _rstrip_end(text: str, width: int) -> str:
    if len(text) > width:
        space = _TRAILING_SPACE.search(text)
        if space is not None:
            return text[:len(text) - min(len(space.group()), len(text) - width)]
    return text


def _truncate(text: str, width: int, overflow: str) -> str:
    if len(text) <= width or overflow == "ignore":
        return text
    return text[:max(0, width - 1)] + "…" if overflow == "ellipsis" else text[:width]


def _padding(table: Table, index: int) -> tuple[int, int]:
    """(left, right) padding of column ``index`` (``Table._get_cells``, padding (0, 1))."""
    left = right = 1
    if table.collapse_padding and index:
        left = 0
    if not table.pad_edge:
        left = 0 if index == 0 else left
        right = 0 if index == len(table.columns) - 1 else right
    return left, right


def _padding_width(table: Table, index: int) -> int:
    """``Table._get_padding_width`` (which counts collapsed padding its own way)."""
    left, right = 1, 1
    if table.collapse_padding:
        left, right = 0, 1
    if not table.pad_edge:
        left = 0 if index == 0 else left
        right = 0 if index == len(table.columns) - 1 else right
    return left + right


def _measure(table: Table, cells: list[list[str]], index: int, max_width: int) -> int:
    """The maximum of ``Table._measure_column`` (the minimum never decides a width)."""
    if max_width < 1:
        return 0
    column = table.columns[index]
    if column.width is not None:
        return min(column.width + _padding_width(table, index), max_width)
    left, right = _padding(table, index)
    if max_width - left - right < 1:
        return max_width
    longest = max((_longest_line(cell) for cell in cells[index]), default=None)
    if longest is None:
        return max_width
    # A cell's text measures at most max_width (0 when empty); its padding is added to that.
    return min(min(longest, max_width) + left + right, max_width)


def _longest_line(text: str) -> int:
    return max(map(len, text.splitlines()), default=0) if "\n" in text else len(text)


def _ratio_reduce(total: int, ratios: list[int], maximums: list[int], values: list[int]) -> list[int]:
    """``rich._ratio.ratio_reduce``."""
    ratios = [ratio if maximum else 0 for ratio, maximum in zip(ratios, maximums)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    remaining, out = total, []
    for ratio, maximum, value in zip(ratios, maximums, values):
        if ratio and total_ratio > 0:
            distributed = min(maximum, round(ratio * remaining / total_ratio))
            out.append(value - distributed)
            remaining -= distributed
            total_ratio -= ratio
        else:
            out.append(value)
    return out


def _collapse(widths: list[int], wrapable: list[bool], max_width: int) -> list[int]:
    """``Table._collapse_widths``: shrink the widest wrapable columns first."""
    total = sum(widths)
    excess = total - max_width
    if any(wrapable):
        while total and excess > 0:
            widest = max(w for w, ok in zip(widths, wrapable) if ok)
            second = max(w if ok and w != widest else 0 for w, ok in zip(widths, wrapable))
            ratios = [1 if (w == widest and ok) else 0 for w, ok in zip(widths, wrapable)]
            if not any(ratios) or not widest - second:
                break
            widths = _ratio_reduce(excess, ratios, [min(excess, widest - second)] * len(widths), widths)
            total = sum(widths)
            excess = total - max_width
    return widths


def _widths(table: Table, cells: list[list[str]], max_width: int) -> list[int]:
    """``Table._calculate_column_widths`` (no expand, no minimum width)."""
    widths = [_measure(table, cells, i, max_width) or 1 for i in range(len(table.columns))]
    if sum(widths) > max_width:
        widths = _collapse(widths, [c.width is None and not c.no_wrap for c in table.columns], max_width)
        if sum(widths) > max_width:
            widths = _ratio_reduce(sum(widths) - max_width, [1] * len(widths), widths, widths)
        widths = [_measure(table, cells, i, width) for i, width in enumerate(widths)]
    return widths


def _table_lines(table: Table, console_width: int) -> list[str] | None:
    """``Console.print(table)`` as lines, or None where rich must draw it."""
    columns = table.columns
    texts = [table.title or "", table.caption or "", *(c.header for c in columns if table.show_header)]
    texts += [cell for cells, _style in table.rows for cell in cells]
    if (not columns or table.show_lines or table.box not in BOXES or (not table.rows and not table.show_header)
            or any(len(cells) > len(columns) for cells, _style in table.rows)
            or any(c.justify not in ("left", "right", "center") for c in columns)
            or not _one_cell("".join(texts).replace("\n", ""))):
        return None
    cells = [[c.header for c in ([columns[i]] if table.show_header else [])] + [row[i] for row, _style in table.rows]
             for i in range(len(columns))]
    extra = 2 + len(columns) - 1  # the edges and the dividers
    widths = _widths(table, cells, console_width - extra)
    pads = [_padding(table, i) for i in range(len(columns))]
    if any(width - left - right < 0 or (width - left - right < 1 and any(c.strip() for c in column_cells))
           for width, (left, right), column_cells in zip(widths, pads, cells)):
        return None  # no room for a column's text: rich decides (or fails)
    box = BOXES[table.box if table.show_header else PLAIN_HEADED.get(table.box, table.box)].splitlines()
    top, head, head_row, mid, _row, _foot_row, foot, bottom = box
    table_width = sum(widths) + extra
    out = _annotation(table.title, table_width)
    out.append(top[0] + top[2].join(top[1] * w for w in widths) + top[3])
    rendered = [_column_lines(column, column_cells, width, pad)
                for column, column_cells, width, pad in zip(columns, cells, widths, pads)]
    last = len(cells[0]) - 1
    for index, column_lines in enumerate(zip(*rendered)):
        edges = head if index == 0 else foot if index == last else mid
        left, divider, right = edges[0], edges[2], edges[3]
        height = max(map(len, column_lines))
        header = index == 0 and table.show_header
        if height == 1:
            out.append(left + divider.join([lines[0] for lines in column_lines]) + right)
        else:
            blanks = [" " * w for w in widths]
            column_lines = tuple((([b] * (height - len(lines)) + lines) if header else lines + [b] * (height - len(lines)))
                                 for lines, b in zip(column_lines, blanks))
            out += [left + divider.join([lines[n] for lines in column_lines]) + right for n in range(height)]
        if header:
            out.append(head_row[0] + head_row[2].join(head_row[1] * w for w in widths) + head_row[3])
    out.append(bottom[0] + bottom[2].join(bottom[1] * w for w in widths) + bottom[3])
    out += _annotation(table.caption, table_width)
    return [line[:console_width] for line in out]


def _annotation(text: str | None, width: int) -> list[str]:
    """A title or caption: centred over the table's width (``render_annotation``)."""
    return _wrap(text, width, "center", "fold", False) if text else []


def _column_lines(column: _Column, cells: list[str], width: int, pad: tuple[int, int]) -> list[list[str]]:
    """Each cell of a column as its lines, padded to the column's width (``Padding`` around ``Text``)."""
    left, right = pad
    inner = width - left - right
    before, after = " " * left, " " * right
    justify, overflow, no_wrap = column.justify, column.overflow, column.no_wrap

    def wrapped(cell: str) -> list[str]:
        return [before + line + after for line in _wrap(cell, inner, justify, overflow, no_wrap)]

    # The common case first, a single line that fits (``_wrap`` gives the same): a 10,000-row list prints fast.
    if justify == "left":
        return [[before + cell.ljust(inner) + after] if len(cell) <= inner and "\n" not in cell else wrapped(cell)
                for cell in cells]
    if justify == "right":
        return [[before + cell.rstrip().rjust(inner) + after] if len(cell) <= inner and "\n" not in cell else wrapped(cell)
                for cell in cells]
    return [wrapped(cell) for cell in cells]
