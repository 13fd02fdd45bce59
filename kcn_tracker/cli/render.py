"""Render rows for people (a Vietnamese table, drawn as rich draws it: ``cli.table``) or for tools (plain JSON / CSV)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kcn_tracker.interface.envelope import plain  # the one definition; CLI modules import it from here
from kcn_tracker.terminal import printable
from kcn_tracker.text import format_date, format_number


@dataclass(frozen=True)
class Column:
    """A column: the machine key, the Vietnamese header, and how the table shows a value.

    ``keep_whole`` marks text people copy (codes, stage keys) and numbers or dates:
    the column is at least as wide as its longest word, so no word is broken. ``in_table`` False leaves a
    column out of the table, so the terminal table stays readable at 80 columns. JSON and CSV do not
    read the columns: they have the keys the output's schema declares (``interface.published``).
    ``show`` is called once per distinct value of the column: equal values of one type must show alike.
    """

    key: str
    header: str
    show: Callable[[Any], str] | None = None
    justify: str = "left"
    keep_whole: bool = False
    in_table: bool = True
    #: The table shows this column only on a terminal at least this wide (0: always).
    min_console: int = 0


def human(value: Any) -> str:
    """Table cell: Vietnamese numbers and dates, "—" for unknown, stored text shown literally."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, (int, float, Decimal)):
        return format_number(value)
    if isinstance(value, dt.date):
        return format_date(value)
    return printable(value)


def mw(value: Any) -> str:
    return "—" if value is None else f"{format_number(value)}"


def console() -> Any:
    """The terminal console, as wide as the terminal (``COLUMNS``; 80 when not a terminal): tables wrap
    to fit it. Text is printed as given (no markup, emoji codes or highlighting).

    Stored names and sources such as "[seed 004]" must appear as typed, and markup
    parsing is also a third of the rendering time. Styles are given as ``style=``.
    ``cli.table.Console``: rich's output, drawn without rich where rich would print plain text.
    """
    from kcn_tracker.cli.table import Console

    return Console()


def new_table(**kwargs: Any) -> Any:
    """A table (``cli.table.Table``, rich's keywords) whose title, caption and cells are shown literally
    (control characters escaped; a ``cli.table.Text`` cell keeps its line breaks)."""
    from kcn_tracker.cli.table import Table

    return Table(**kwargs)


def compact_table(**kwargs: Any) -> Any:
    """A literal table drawn to fit 80 columns: a rule under the header only, one space between columns."""
    return new_table(box="SIMPLE_HEAD", pad_edge=False, collapse_padding=True, **kwargs)


def echo(text: Any = "", *, err: bool = False) -> None:
    """``click.echo`` for lines that carry stored text: control characters shown as escapes."""
    import click

    click.echo(printable(text, keep_newlines=True), err=err)


def output_name(schema: str | None = None) -> str:
    """The declared output of the running command: "energy list" -> "energy-list"."""
    if schema:
        return schema
    import click

    ctx = click.get_current_context()
    return "-".join(ctx.command_path.split()[1:])


def output_as_of(as_of: dt.date | None = None) -> dt.date | None:
    """The date the output describes: given, else the command's --as-of (default today), else none."""
    if as_of is not None:
        return as_of
    import click

    from kcn_tracker import clock
    from kcn_tracker.text import parse_date

    params = click.get_current_context().params
    if "as_of" not in params:
        return None
    return parse_date(params["as_of"], field="--as-of") or clock.today()


def emit_json(data: Any, *, schema: str | None = None, as_of: dt.date | None = None) -> None:
    """Print ``data`` published as its schema declares (``interface.published``: the keys, with units) inside the
    one envelope (kcn_tracker.interface.envelope)."""
    from kcn_tracker.interface.envelope import envelope
    from kcn_tracker.interface.published import publish

    name = output_name(schema)
    wrapped = envelope(publish(name, data), schema=name, as_of=output_as_of(as_of))
    print(json.dumps(wrapped, ensure_ascii=False, indent=2))


def emit_rows(rows: Sequence[dict[str, Any]], columns: Sequence[Column], fmt: str, *, title: str | None = None,
              caption: str | None = None, schema: str | None = None, as_of: dt.date | None = None) -> None:
    """Print rows as a table (``columns``), or JSON (in the envelope) / CSV with the keys the output's schema
    declares, published (``interface.published``)."""
    if fmt == "json":
        emit_json(list(rows), schema=schema, as_of=as_of)
        return
    if fmt == "csv":
        from kcn_tracker.interface.catalogue import csv_columns
        from kcn_tracker.interface.published import publish

        name = output_name(schema)
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(csv_columns(name))
        for r in publish(name, list(rows)):
            writer.writerow(["" if v is None else _csv_cell(v) for v in r.values()])
        return
    out = console()
    shown = [c for c in columns if c.in_table and out.width >= c.min_console]
    cells = [_cells(c.show or human, [r.get(c.key) for r in rows]) for c in shown]  # column by column
    table = compact_table(title=title, caption=caption, show_lines=False, header_style="bold")
    for c, column in zip(shown, cells):
        table.add_column(c.header, justify=c.justify, overflow="fold",  # type: ignore[arg-type]
                         width=_whole_words_width(column, c.header, out.width, figures=c.justify == "right" and not c.keep_whole)
                         if c.keep_whole or c.justify == "right" else None)  # right-aligned = figures: never folded
    table.add_text_rows(zip(*map(_printable_lines, cells)))
    out.print(table)


def _cells(show: Callable[[Any], str], values: list[Any]) -> list[str]:
    """A column's cells: ``show`` of each value, called once per distinct value (a column of 10,000 rows
    repeats its labels and its "—")."""
    try:
        if len(set(map(type, values)) - {type(None)}) <= 1:  # values of one type: equal ones show alike
            shown = {value: show(value) for value in dict.fromkeys(values)}
            return list(map(shown.__getitem__, values))
        memo: dict[tuple[type, Any], str] = {}  # mixed types: 1, 1.0 and True are equal keys but shown apart
        return [memo[key] if key in memo else memo.setdefault(key, show(value))
                for value in values for key in ((value.__class__, value),)]
    except TypeError:  # unhashable values (lists of obstacles): each on its own
        return [show(value) for value in values]


def _printable_lines(cells: list[str]) -> list[str]:
    """Each line of each cell made printable: lines a cell is composed of (name, then code) stay lines."""
    if "".join(cells).isprintable():
        return cells
    return [cell if cell.isprintable() else "\n".join(printable(line) for line in cell.split("\n")) for cell in cells]


def _whole_words_width(texts: list[str], header: str, console_width: int, *, figures: bool = False) -> int:
    """A width that never breaks a word (codes and keys people copy) and leaves room for the other columns.

    ``figures``: a column of numbers, exactly as wide as its longest figure or header word.
    """
    longest_word = max(map(len, " ".join([*texts, header]).split()), default=1)
    if figures:
        return longest_word
    longest_line = max(map(len, "\n".join(texts).splitlines()), default=0)
    if not longest_line:  # no text at all: as the text's own lines say (none: 1)
        longest_line = max((len(line) for text in texts for line in text.splitlines()), default=1)
    return max(longest_word, (len(header) + 1) // 2, min(longest_line, int(console_width * 0.35)))


def _csv_cell(value: Any) -> Any:
    from kcn_tracker.inert import csv_cell

    return csv_cell(json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value)


def emit_mapping(data: dict[str, Any], fmt: str, *, title: str, labels: dict[str, str], schema: str | None = None,
                 as_of: dt.date | None = None) -> None:
    """Print one record/summary: a two-column table, or plain JSON (in the envelope) / key,value CSV."""
    if fmt == "json":
        emit_json(data, schema=schema, as_of=as_of)
        return
    if fmt == "csv":
        from kcn_tracker.interface.published import publish

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["field", "value"])
        for key, value in publish(output_name(schema), data).items():
            writer.writerow([key, "" if value is None else _csv_cell(value)])
        return
    table = new_table(title=title, show_header=False)
    table.add_column("", style="bold")
    table.add_column("", overflow="fold")
    for key, value in data.items():
        table.add_row(labels.get(key, key), human(value))
    console().print(table)
