"""Render rows for people (a Vietnamese terminal table) or for tools (plain JSON / CSV)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

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
    """Table cell: Vietnamese numbers and dates, "—" for unknown."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, (int, float)):
        return format_number(value)
    if isinstance(value, dt.date):
        return format_date(value)
    return str(value)


def mw(value: Any) -> str:
    return "—" if value is None else f"{format_number(value)}"


def console() -> Any:
    """The terminal printer (``cli.table``: rich's look without its import time)."""
    from kcn_tracker.cli.table import Console

    return Console(soft_wrap=False)


def emit_rows(rows: Sequence[dict[str, Any]], columns: Sequence[Column], fmt: str, *, title: str | None = None,
              caption: str | None = None) -> None:
    """Print rows as a table, JSON (all keys given by ``columns``) or CSV."""
    if fmt == "json":
        print(json.dumps([{c.key: plain(r.get(c.key)) for c in columns} for r in rows], ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow([c.key for c in columns])
        for r in rows:
            writer.writerow(["" if r.get(c.key) is None else _csv_cell(plain(r.get(c.key))) for c in columns])
        return
    from kcn_tracker.cli.table import Table

    table = Table(title=title, caption=caption, show_lines=False, header_style="bold")
    for c in columns:
        table.add_column(c.header, justify=c.justify, overflow="fold")  # type: ignore[arg-type]
    for r in rows:
        table.add_row(*[(c.show or human)(r.get(c.key)) for c in columns])
    console().print(table)


def _csv_cell(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value


def emit_mapping(data: dict[str, Any], fmt: str, *, title: str, labels: dict[str, str]) -> None:
    """Print one record/summary: a two-column table, or plain JSON / key,value CSV."""
    if fmt == "json":
        print(json.dumps(plain(data), ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["field", "value"])
        for key, value in data.items():
            writer.writerow([key, "" if value is None else _csv_cell(plain(value))])
        return
    from kcn_tracker.cli.table import Table

    table = Table(title=title, show_header=False)
    table.add_column("", style="bold")
    table.add_column("", overflow="fold")
    for key, value in data.items():
        table.add_row(labels.get(key, key), human(value) if not isinstance(value, str) else value)
    console().print(table)
