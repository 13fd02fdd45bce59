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

The layout lives in ``cli.table_layout`` (column widths), the drawing in ``cli.table_draw``.
``tests/test_cli_table.py`` compares both with rich on generated tables and strings.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from kcn_tracker.cli.table_draw import BOXES, table_lines, table_text, text_lines
from kcn_tracker.cli.table_layout import one_cell, one_cell_characters
from kcn_tracker.terminal import printable

__all__ = ["BOXES", "Console", "Table", "Text", "one_cell", "one_cell_characters", "table_lines", "table_text", "text_lines"]


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

    def add_text_rows(self, rows: Iterable[Sequence[str]]) -> None:
        """Rows of ``Text`` cells (printable already, line breaks kept), unstyled, in one call (a 10,000-row list)."""
        width = len(self.columns)
        for cells in rows:
            row = list(cells)
            if len(row) < width:
                row += [""] * (width - len(row))
            self.rows.append((row, None))

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
        text = None
        if not _rich_styles():
            if isinstance(item, Table):
                drawn = table_text(item, self.width)
                text = None if drawn is None else drawn + "\n"
            else:
                lines = text_lines(str(item), self.width)
                text = None if lines is None else "".join(line + "\n" for line in lines)
        if text is None:
            self._rich().print(item.to_rich() if isinstance(item, Table) else item, style=style)
            return
        sys.stdout.write(text)  # one write

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
