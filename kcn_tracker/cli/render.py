"""Render rows for people (a Vietnamese rich table) or for tools (plain JSON / CSV)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kcn_tracker.terminal import printable
from kcn_tracker.text import format_date, format_number


@dataclass(frozen=True)
class Column:
    """A column: the machine key, the Vietnamese header, and how the table shows a value."""

    key: str
    header: str
    show: Callable[[Any], str] | None = None
    justify: str = "left"


def plain(value: Any) -> Any:
    """JSON/CSV value: ISO dates, plain numbers, lists of plain values."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


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
    """The terminal printer: text is printed as given (no markup, emoji codes or highlighting).

    Stored names and sources such as "[seed 004]" must appear as typed. ``cli.table``
    draws rich's tables without rich's import time (quick commands, issue 15); styles
    are given as ``style=``.
    """
    from kcn_tracker.cli.table import Console

    return Console(soft_wrap=False)


def new_table(*args: Any, **kwargs: Any) -> Any:
    """A table whose title, caption and cells are shown literally (control characters escaped)."""
    from kcn_tracker.cli.table import Table

    class LiteralTable(Table):
        """A table that makes every text it is given printable."""

        def add_row(self, *cells: Any, **kw: Any) -> None:
            super().add_row(*[printable(c) if isinstance(c, str) else c for c in cells], **kw)

    for key in ("title", "caption"):
        if isinstance(kwargs.get(key), str):
            kwargs[key] = printable(kwargs[key])
    return LiteralTable(*args, **kwargs)


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
    """Print ``data`` as plain JSON inside the one envelope (kcn_tracker.interface.envelope)."""
    from kcn_tracker.interface.envelope import envelope

    wrapped = envelope(plain(data), schema=output_name(schema), as_of=output_as_of(as_of))
    print(json.dumps(wrapped, ensure_ascii=False, indent=2))


def emit_rows(rows: Sequence[dict[str, Any]], columns: Sequence[Column], fmt: str, *, title: str | None = None,
              caption: str | None = None, schema: str | None = None, as_of: dt.date | None = None) -> None:
    """Print rows as a table, JSON (all keys given by ``columns``, in the envelope) or CSV."""
    if fmt == "json":
        emit_json([{c.key: r.get(c.key) for c in columns} for r in rows], schema=schema, as_of=as_of)
        return
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow([c.key for c in columns])
        for r in rows:
            writer.writerow(["" if r.get(c.key) is None else _csv_cell(plain(r.get(c.key))) for c in columns])
        return
    table = new_table(title=title, caption=caption, show_lines=False, header_style="bold")
    for c in columns:
        table.add_column(c.header, justify=c.justify, overflow="fold")  # type: ignore[arg-type]
    for r in rows:
        table.add_row(*[(c.show or human)(r.get(c.key)) for c in columns])
    console().print(table)


def _csv_cell(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value


def emit_mapping(data: dict[str, Any], fmt: str, *, title: str, labels: dict[str, str], schema: str | None = None,
                 as_of: dt.date | None = None) -> None:
    """Print one record/summary: a two-column table, or plain JSON (in the envelope) / key,value CSV."""
    if fmt == "json":
        emit_json(data, schema=schema, as_of=as_of)
        return
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["field", "value"])
        for key, value in data.items():
            writer.writerow([key, "" if value is None else _csv_cell(plain(value))])
        return
    table = new_table(title=title, show_header=False)
    table.add_column("", style="bold")
    table.add_column("", overflow="fold")
    for key, value in data.items():
        table.add_row(labels.get(key, key), human(value))
    console().print(table)
