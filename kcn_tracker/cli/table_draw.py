"""Drawing of ``cli.table``: text wrapped and aligned in its cells, the rows joined with the box's lines.

rich's rendering (``Text.wrap``, ``rich._wrap.divide_line``, ``Padding``, ``Table._render``, the
boxes) rewritten for one-cell plain strings. A 10,000-row list is drawn in bulk: rows whose every
cell is one line that fits are formatted by one ``str.format`` call each (the padding and the
alignment done in C); only the other rows (a long name, a cell of several lines) go cell by cell
through the wrapping. Both give the same characters; ``tests/test_cli_table.py`` compares them
with rich.
"""

from __future__ import annotations

import re
from itertools import starmap
from typing import Any

from kcn_tracker.cli.table_layout import longest_line, one_cell, padding, widths

#: rich.box boxes (the eight lines of ``rich.box.Box``) and the box rich uses when the header is hidden.
BOXES = {
    "HEAVY_HEAD": "┏━┳┓\n┃ ┃┃\n┡━╇┩\n│ ││\n├─┼┤\n├─┼┤\n│ ││\n└─┴┘\n",
    "SQUARE": "┌─┬┐\n│ ││\n├─┼┤\n│ ││\n├─┼┤\n├─┼┤\n│ ││\n└─┴┘\n",
    "SIMPLE_HEAD": "    \n    \n ── \n    \n    \n    \n    \n    \n",
}
PLAIN_HEADED = {"HEAVY_HEAD": "SQUARE"}
_WORD = re.compile(r"\s*\S+\s*")
_TRAILING_SPACE = re.compile(r"\s+$")
#: A line of a column (its cells joined by "\n") that ends in a space: rich strips it before aligning right.
_SPACE_AT_LINE_END = re.compile(r"[^\S\n](?:\n|\Z)")


def text_lines(text: str, width: int) -> list[str] | None:
    """``Console.print(text)``: wrapped at ``width`` ("default" justify, "fold" overflow), cropped."""
    if not one_cell(text.replace("\n", "")) or width < 1:
        return None
    return [line[:width] for line in wrap(text, width, "default", "fold", False)]


def wrap(text: str, width: int, justify: str, overflow: str, no_wrap: bool) -> list[str]:
    """``rich.text.Text.wrap`` for one-cell characters."""
    out = []
    for line in text.split("\n"):
        if no_wrap or len(line) <= width:
            pieces = [line]
        elif justify in ("left", "right") and _spaced_words(line, width):
            # The usual long cell: each line ends at the last space within reach (``_breaks``), the space dropped.
            align = str.ljust if justify == "left" else str.rjust
            start, end = 0, len(line)
            while end - start > width:
                stop = line.rfind(" ", start, start + width + 1)
                out.append(align(line[start:stop], width))
                start = stop + 1
            out.append(align(line[start:], width))
            continue
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


def _spaced_words(text: str, width: int) -> bool:
    """Whether ``text`` is words one space apart (no space at either end), none longer than ``width``."""
    return " ".join(text.split()) == text and max(map(len, text.split(" "))) <= width


def _breaks(text: str, width: int, *, fold: bool) -> list[int]:
    """``rich._wrap.divide_line`` for one-cell characters: where ``text`` breaks to fit ``width``."""
    if _spaced_words(text, width):
        # Words that fit, one space apart (the usual cell): a word stays on the line while it ends within
        # ``width``, so each line ends at the last space within reach (the same greedy breaks, found in C).
        breaks, start, end = [], 0, len(text)
        while end - start > width:
            start = text.rfind(" ", start, start + width + 1) + 1
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


def table_lines(table: Any, console_width: int) -> list[str] | None:
    """``Console.print(table)`` as lines, or None where rich must draw it."""
    text = table_text(table, console_width)
    return None if text is None else text.split("\n")


def table_text(table: Any, console_width: int) -> str | None:
    """``Console.print(table)`` as one text (its lines joined by "\\n", no final line break), or None where
    rich must draw it."""
    columns = table.columns
    data = [cells for cells, _style in table.rows]
    if (not columns or table.show_lines or table.box not in BOXES or (not data and not table.show_header)
            or (data and max(map(len, data)) > len(columns))
            or any(c.justify not in ("left", "right", "center") for c in columns)):
        return None
    if data and min(map(len, data)) == len(columns):
        body = [list(cells) for cells in zip(*data)]  # column by column
    else:
        body = [[row[i] for row in data] for i in range(len(columns))]
    cells = [[c.header] + column if table.show_header else column for c, column in zip(columns, body)]
    texts = "".join([table.title or "", table.caption or "", *("".join(column) for column in cells)])
    if not one_cell(texts.replace("\n", "")):
        return None
    extra = 2 + len(columns) - 1  # the edges and the dividers
    sizes = widths(table, [longest_line(column) for column in cells], console_width - extra)
    pads = [padding(table, i) for i in range(len(columns))]
    if any(width - left - right < 0 or (width - left - right < 1 and any(c.strip() for c in column_cells))
           for width, (left, right), column_cells in zip(sizes, pads, cells)):
        return None  # no room for a column's text: rich decides (or fails)
    box = BOXES[table.box if table.show_header else PLAIN_HEADED.get(table.box, table.box)].splitlines()
    top, head, head_row, mid, _row, _foot_row, foot, bottom = box
    table_width = sum(sizes) + extra
    out = _annotation(table.title, table_width)
    out.append(top[0] + top[2].join(top[1] * w for w in sizes) + top[3])
    draw = _RowDrawer(table, sizes, pads)
    rows = ([[c.header for c in columns]] if table.show_header else []) + data
    last = len(rows) - 1
    out += draw.row(rows[0], head, header=table.show_header)  # the header, if shown, else the first row
    if table.show_header:
        out.append(head_row[0] + head_row[2].join(head_row[1] * w for w in sizes) + head_row[3])
    if last > 1:
        out += draw.middle(rows, body, 1 if table.show_header else 0, mid)
    if last > 0:
        out += draw.row(rows[last], foot, header=False)
    out.append(bottom[0] + bottom[2].join(bottom[1] * w for w in sizes) + bottom[3])
    out += _annotation(table.caption, table_width)
    text = "\n".join(out)  # a row's lines may be one item already (``_RowDrawer.middle``)
    # Every line is exactly as wide as the table, unless a column lets its text overflow.
    if table_width > console_width or any(c.overflow == "ignore" for c in columns):
        text = "\n".join([line[:console_width] for line in text.split("\n")])
    return text


class _RowDrawer:
    """Rows of one table: each cell aligned to its column and padded (``Padding`` around ``Text``)."""

    def __init__(self, table: Any, sizes: list[int], pads: list[tuple[int, int]]) -> None:
        self.columns = table.columns
        self.sizes = sizes
        self.layout = [(left, width - left - right, right) for width, (left, right) in zip(sizes, pads)]

    def lines(self, index: int, cell: str) -> list[str]:
        """One cell's lines in column ``index``, without the padding."""
        column = self.columns[index]
        inner = self.layout[index][1]
        justify = column.justify
        if justify != "center" and len(cell) <= inner and "\n" not in cell:  # a single line that fits
            return [cell.ljust(inner) if justify == "left" else cell.rstrip().rjust(inner)]
        return wrap(cell, inner, justify, column.overflow, column.no_wrap)

    def row(self, cells: list[str], edges: str, *, header: bool) -> list[str]:
        """The lines of one row (a header's cells are aligned to its bottom, the others' to their top)."""
        left, divider, right = edges[0], edges[2], edges[3]
        column_lines = [[" " * pad_left + line + " " * pad_right for line in self.lines(i, cell)]
                        for i, (cell, (pad_left, _inner, pad_right)) in enumerate(zip(cells, self.layout))]
        height = max(map(len, column_lines))
        if height == 1:
            return [left + divider.join([lines[0] for lines in column_lines]) + right]
        blanks = [" " * w for w in self.sizes]
        column_lines = [([b] * (height - len(lines)) + lines) if header else lines + [b] * (height - len(lines))
                        for lines, b in zip(column_lines, blanks)]
        return [left + divider.join([lines[n] for lines in column_lines]) + right for n in range(height)]

    def middle(self, rows: list[list[str]], body: list[list[str]], offset: int, edges: str) -> list[str]:
        """The rows between the first and the last (``rows[1:-1]``; ``body``: the data column by column,
        ``rows[i]`` being data row ``i - offset``), one text per row (its lines joined by "\\n"), formatted in C:
        each row's first line by one ``str.format`` of its cells, a cell that does not fit on one line giving
        its first line there (cells are wrapped once per distinct text); the lines under it follow."""
        left, divider, right = edges[0], edges[2], edges[3]
        first, stop = 1, len(rows) - 1
        specs, columns = [], []  # per column: the format of its cells, and its cells (first lines of the wrapped ones)
        wrapped: dict[int, list[tuple[int, list[str]]]] = {}  # row (from 0 = ``first``) -> (column, lines) of its wrapped cells
        for index, ((pad_left, inner, pad_right), column, cells) in enumerate(zip(self.layout, self.columns, body)):
            part = cells[first - offset:stop - offset]
            right_aligned = column.justify == "right"
            joined = "\n".join(part)
            if column.justify == "center":
                odd: Any = range(len(part))
            elif (joined.count("\n") != len(part) - 1 or max(map(len, part)) > inner
                    or (right_aligned and _SPACE_AT_LINE_END.search(joined))):
                odd = [i for i, cell in enumerate(part) if "\n" in cell or len(cell) > inner or (right_aligned and cell[-1:].isspace())]
            else:
                odd = ()
            if odd:
                part = part[:]
                memo: dict[str, list[str]] = {}  # a column repeats its labels (stages, technologies)
                for i in odd:
                    cell = part[i]
                    lines = memo.get(cell)
                    if lines is None:
                        lines = memo[cell] = self.lines(index, cell)
                    part[i] = lines[0]  # as wide as the column already: the format leaves it as it is
                    wrapped.setdefault(i, []).append((index, lines))
            columns.append(part)
            specs.append(f"{' ' * pad_left}{{:{'>' if right_aligned else '<'}{inner}}}{' ' * pad_right}")
        template = (left + divider.join(specs) + right).format
        out = list(starmap(template, zip(*columns)))
        if not wrapped:
            return out
        under = [""] * len(out)  # per row: its lines after the first ("\n" before each)
        blank = [""] * len(specs)
        tails: dict[tuple[int, int], str] = {}  # under a row where one cell wraps: one per (column, text)
        for i, cells_lines in wrapped.items():
            if len(cells_lines) == 1:
                index, lines = cells_lines[0]
                if len(lines) > 1:
                    tail = tails.get((index, id(lines)))  # ``lines``: the column's one list for that text
                    if tail is None:
                        tail = tails[(index, id(lines))] = "".join(
                            "\n" + template(*[line if n == index else "" for n in range(len(specs))]) for line in lines[1:])
                    under[i] = tail
                continue
            tail_lines = []
            for n in range(1, max(len(lines) for _column, lines in cells_lines)):
                line = blank[:]
                for index, lines in cells_lines:
                    if n < len(lines):
                        line[index] = lines[n]
                tail_lines.append("\n" + template(*line))
            under[i] = "".join(tail_lines)
        return list(map(str.__add__, out, under))


def _annotation(text: str | None, width: int) -> list[str]:
    """A title or caption: centred over the table's width (``render_annotation``)."""
    return wrap(text, width, "center", "fold", False) if text else []
