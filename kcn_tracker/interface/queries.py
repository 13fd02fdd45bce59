"""The data of the machine-readable outputs, built once: ``kcn … --format json`` and the web API
(``/api/v1/…``) call these functions, so the same query gives the same data in both.

Each function returns the ``data`` part of one declared output (kcn_tracker/interface/schemas/):
plain rows or mappings, ISO dates, plain numbers. The envelope is added by the caller
(``cli.render.emit_json`` or the web route), with ``interface.envelope.envelope``.
Light on purpose (quick commands import it): no pandas, SQLAlchemy only inside functions.
Every read is plain SQL through ``state`` / ``journal`` (today's state from the current-state
columns, a past day's from the one fold): ``bind`` is a Core ``Connection`` (the CLI) or an ORM
``Session`` (the web app); nothing here imports ``sqlalchemy.orm`` or ``kcn_tracker.models``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from kcn_tracker.interface.envelope import plain
from kcn_tracker.interface.published import publish

#: Declared output of each record type's list and show.
LIST_OUTPUT = {"zone": "zones-list", "project": "energy-list"}
#: The fields a list shows (its declared keys, its table's columns): the only ones ``record_rows`` reads,
#: with what ``days_overdue`` and the filters read (a test checks them against the outputs).
LIST_FIELDS = {"zone": ("code", "kind", "name", "phase", "commune", "total_area_ha", "leasable_ha", "leased_ha", "stage"),
               "project": ("code", "name", "technology", "capacity_mw", "capacity_operating_mw", "stage", "expected_cod",
                           "plan_role")}
SHOW_OUTPUT = {"zone": "zones-show", "project": "energy-show"}


def rows_of(output: str, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` reduced to the keys a row of ``output`` declares, published (``interface.published``) as plain values."""
    return publish(output, list(rows))


def record_rows(bind: Any, record_type: str, *, as_of: dt.date | None = None, kind: str | None = None,
                technology: str | None = None, stage: str | None = None, commune: str | None = None,
                text: str | None = None, overdue: bool = False) -> list[dict[str, Any]]:
    """``kcn zones|energy list``: the records on ``as_of`` (default today) matching every given filter,
    each with ``days_overdue`` (``overdue.max_days_overdue``; None when nothing is overdue).

    The filters are read as the command's options are (kind among KCN/CCN/KKT, technology by key
    or label, stage by key or Vietnamese label, commune and text accent-insensitive); ``overdue``
    keeps only overdue records, most overdue first.
    """
    from kcn_tracker import clock
    from kcn_tracker.fields import KINDS
    from kcn_tracker.overdue import FIELDS as OVERDUE_FIELDS
    from kcn_tracker.registry import FILTER_FIELDS, Filters, filter_views, parse_technology, views
    from kcn_tracker.validation.texts import clean_text, parse_choice

    kind = parse_choice(kind, KINDS, label="--kind") if kind is not None else None
    commune = clean_text(commune, label="--commune", max_length=200)
    text = clean_text(text, label="--text", max_length=200)
    technology = parse_technology(bind, technology) if technology else None
    filters = Filters(kind=kind, technology=technology, stage=stage or None, commune=commune, text=text)
    fields = {*LIST_FIELDS[record_type], *OVERDUE_FIELDS[record_type], *(FILTER_FIELDS if filters != Filters() else ())}
    rows = filter_views(views(bind, record_type, as_of=as_of, geometry=False, fields=fields), record_type, filters)
    return with_overdue(rows, record_type, as_of or clock.today(), only=overdue)


def with_overdue(rows: Sequence[dict[str, Any]], record_type: str, as_of: dt.date, *, only: bool = False) -> list[dict[str, Any]]:
    """Copies of ``rows`` with ``days_overdue`` (``overdue.max_days_overdue``, None when nothing is overdue);
    with ``only``, just the overdue ones, most overdue first."""
    from kcn_tracker.overdue import max_days_overdue

    rows = [{**r, "days_overdue": max_days_overdue(record_type, r, as_of)} for r in rows]
    if only:
        rows = sorted((r for r in rows if r["days_overdue"] is not None), key=lambda r: -r["days_overdue"])
    return rows


def list_data(bind: Any, record_type: str, **filters: Any) -> list[dict[str, Any]]:
    """The JSON data of ``kcn zones|energy list`` (same arguments as ``record_rows``)."""
    return rows_of(LIST_OUTPUT[record_type], record_rows(bind, record_type, **filters))


def record_view(bind: Any, record_type: str, name: str, as_of: dt.date) -> tuple[tuple[int, str, str], dict[str, Any]]:
    """((id, code, name) of the record, its ``state.views`` row on ``as_of``) for a code or accent-insensitive name."""
    from kcn_tracker.errors import UnknownRecord
    from kcn_tracker.state import resolve_id, views
    from kcn_tracker.text import format_date

    found = resolve_id(bind, record_type, name)
    row = next(iter(views(bind, record_type, as_of=as_of, only=found[0])), None)
    if row is None:
        raise UnknownRecord(f"“{found[2]}” chưa có trong sổ vào ngày {format_date(as_of)} / did not exist yet on that date.")
    return found, row


def show_record(bind: Any, record_type: str, name: str, as_of: dt.date) -> tuple[dict[str, Any], dict[str, Any]]:
    """``kcn zones|energy show``: (the fields it prints, the record's views row) as the record stood on ``as_of``.

    The fields: every declared field, the location flag, the open obstacles, what is overdue
    (``overdue.overdue_items``) and the last confirmation (``confirmation.news_from_dates``).
    """
    from kcn_tracker.confirmation import news_from_dates
    from kcn_tracker.fields import fields_for
    from kcn_tracker.journal import news_dates
    from kcn_tracker.overdue import overdue_items

    (record_id, _code, _name), row = record_view(bind, record_type, name, as_of)
    data = {f.name: row.get(f.name) for f in fields_for(record_type)}
    data["approximate"] = row["approximate"]
    data["open_obstacles"] = row["open_obstacles"]
    data["overdue"] = overdue_items(record_type, row, as_of)
    data["last_confirmed"] = news_from_dates(*news_dates(bind, record_type, record_id), as_of)
    if record_type == "zone":
        from kcn_tracker.tenants.zone_basis import figure_rows

        data["figures"] = figure_rows(bind, record_id, row["code"], as_of)
    return data, row


def show_data(bind: Any, record_type: str, name: str, as_of: dt.date) -> dict[str, Any]:
    """The JSON data of ``kcn zones|energy show NAME --as-of``."""
    return publish(SHOW_OUTPUT[record_type], show_record(bind, record_type, name, as_of)[0])


def find_record(bind: Any, name: str, record_types: Sequence[str] = ("project", "zone")) -> tuple[str, tuple[int, str, str]]:
    """(record type, (id, code, name)) of the first type in ``record_types`` having a record called ``name``."""
    from kcn_tracker.errors import UnknownRecord
    from kcn_tracker.state import resolve_id

    for candidate in record_types:
        try:
            return candidate, resolve_id(bind, candidate, name)
        except UnknownRecord:
            if candidate == record_types[-1]:
                raise
    raise UnknownRecord(name)  # no types given


def history_entries(bind: Any, record_type: str, record_id: int, as_of: dt.date | None) -> list[Any]:
    """``journal.history_entries`` of one record up to ``as_of`` (all of it without a date)."""
    from kcn_tracker.journal import history_entries as entries

    return [e for e in entries(bind, record_type, record_id) if as_of is None or e.effective_on <= as_of]


def history_rows(entries: Sequence[Any]) -> list[dict[str, Any]]:
    """The rows of ``kcn history``: one per event or obstacle entry, changes as field -> new (plain) value."""
    return [{"effective_on": e.effective_on, "kind": e.kind, "date_basis": e.date_basis, "document": e.document,
             "changes": {c.field: plain(c.new) for c in e.changes}, "obstacle_id": e.obstacle_id,
             "category": e.category, "note": e.note, "recorded_by": e.recorded_by} for e in entries]


def history_data(bind: Any, name: str, record_types: Sequence[str], as_of: dt.date | None) -> list[dict[str, Any]]:
    """``kcn history NAME [--zone] [--as-of]`` as JSON data."""
    record_type, (record_id, _code, _name) = find_record(bind, name, record_types)
    return rows_of("history", history_rows(history_entries(bind, record_type, record_id, as_of)))


def change_rows(session: Any, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """``kcn changes --from --to``: what changed after ``start`` up to ``end``, one row per change
    (``session``: a Connection or a Session, read with ``journal.changes_between``)."""
    from kcn_tracker.journal import changes_between

    scalar = (str, float, int, bool, type(None))  # plain already (most values: JSON's)
    return [{**i.__dict__, "old": i.old if type(i.old) in scalar else plain(i.old),
             "new": i.new if type(i.new) in scalar else plain(i.new)} for i in changes_between(session, start, end)]


def changes_data(bind: Any, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """The JSON data of ``kcn changes``."""
    return rows_of("changes", change_rows(bind, start, end))


def progress_data(report: Any) -> dict[str, Any]:
    """The JSON data of ``kcn progress``: the report without its date (the envelope carries it)."""
    data = report.as_dict()
    del data["as_of"]
    return publish("progress", data)


def progress_report(connection: Any, day: dt.date) -> Any:
    """``progress.compute_progress`` on a database connection (plain SQL, no ORM) for ``day``."""
    from kcn_tracker.progress import compute_progress
    from kcn_tracker.progress_data import load_records

    return compute_progress(load_records(connection, as_of=day), day)


def register_summary(bind: Any, day: dt.date) -> Any:
    """``kcn summary``: the register as it stood on ``day`` (``summary.RegisterSummary``)."""
    from kcn_tracker.state import run, views
    from kcn_tracker.summary import FIELDS, summarize

    facts = dict(run(bind, "SELECT key, value FROM plan_facts"))
    plan_mw = dict(run(bind, "SELECT key, plan_mw FROM technologies"))
    zones, projects = (views(bind, record_type, as_of=day, geometry=False, fields=FIELDS[record_type]) for record_type in ("zone", "project"))
    return summarize(zones, projects, plan_facts=facts, plan_mw=plan_mw, as_of=day)


def summary_data(summary: Any) -> dict[str, Any]:
    """The JSON data of ``kcn summary``: the summary without its date (the envelope carries it)."""
    data = summary.as_dict()
    del data["as_of"]
    return publish("summary", data)


def energy_summary_output(by: str) -> str:
    """The declared output of ``kcn energy summary --by BY``."""
    return "energy-summary-year" if by == "year" else "energy-summary"


def energy_summary_data(connection: Any, day: dt.date, by: str) -> list[dict[str, Any]]:
    """The JSON data of ``kcn energy summary --by BY --as-of``."""
    from kcn_tracker.energy_summary import energy_summary
    from kcn_tracker.progress_data import load_records

    return rows_of(energy_summary_output(by), energy_summary(load_records(connection, as_of=day), day, by=by).rows)
