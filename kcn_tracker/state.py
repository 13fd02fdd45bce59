"""Record states without the ORM: today's from the current-state columns, a past day's from one fold.

The write path (``history.record_change``) keeps every zone's and project's columns
equal to the fold of its whole event log, so a read on or after the last effective
date takes the columns as they are: one SELECT, no replay. A read as of an earlier
day replays with ``fold_states``: the events come in one query ordered by record,
effective date and id, and each record's changes are folded in that order. Both
paths end in ``finish``, the one place where JSON values become Python values and
absent fields take their defaults, which ``history.apply_state`` uses as well.

Plain SQL through ``exec_driver_sql`` (SQLite and PostgreSQL): importing the ORM and
the models costs about 100 ms that quick commands (``kcn summary``, ``kcn zones list``)
skip. Every function takes a Core ``Connection``, an ORM ``Session`` or a ``dbread.Reader`` (the quick
commands' connection on the driver itself) and only reads.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from kcn_tracker.db_errors import read_errors
from kcn_tracker.errors import AmbiguousName, InvalidValue, UnknownRecord
from kcn_tracker.fields import fields_for, is_approximate
from kcn_tracker.text import fold
from kcn_tracker import clock

TABLES = {"zone": "zones", "project": "projects"}
FOREIGN_KEYS = {"zone": "zone_id", "project": "project_id"}
RECORD_NOUN = {"zone": "khu/cụm công nghiệp (zone)", "project": "dự án điện (power project)"}


def day_value(value: Any) -> dt.date | None:
    """A date column's value (SQLite hands back ISO text, PostgreSQL a date)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def moment_value(value: Any) -> dt.datetime | None:
    """A timestamp column's value (text on SQLite, a datetime on PostgreSQL)."""
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def changes_value(value: Any) -> dict[str, Any]:
    """An event's ``changes``: JSON text on SQLite, already decoded by psycopg on PostgreSQL."""
    if isinstance(value, (str, bytes)):
        return json.loads(value)
    return dict(value or {})


def changes_values(values: list[Any]) -> list[dict[str, Any]]:
    """``changes_value`` of many events: JSON texts (SQLite's, or cast to text on PostgreSQL) decoded in one call
    (tens of thousands at 10k records)."""
    if values and all(isinstance(v, str) for v in values):
        return json.loads("[" + ",".join(values) + "]")
    return [changes_value(v) for v in values]


def _bool(value: Any) -> bool:
    return bool(value)


#: kind -> (from an event's JSON value, from a column's raw value); None never reaches them.
_CONVERT: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    "date": (dt.date.fromisoformat, day_value),
    "float": (float, float),
    "int": (int, int),
    "bool": (_bool, _bool),
}
_SAME = (lambda v: v, lambda v: v)


#: Per record type, precomputed once: (name, from JSON, from column, default) per field.
_STEPS: dict[str, tuple[tuple[str, Callable[[Any], Any], Callable[[Any], Any], Any], ...]] = {
    kind: tuple((f.name, *_CONVERT.get(f.kind, _SAME), f.default) for f in fields_for(kind)) for kind in TABLES}


def finish(record_type: str, state: Mapping[str, Any]) -> dict[str, Any]:
    """Every field of a folded state (JSON values) as Python values, absent or null ones as their default."""
    out = {}
    for name, from_json, _column, default in _STEPS[record_type]:
        value = state.get(name)
        out[name] = default if value is None else from_json(value)
    return out


#: Per record type: field name -> (from JSON, default), for ``finish_value``.
_FIELD_STEPS = {kind: {name: (from_json, default) for name, from_json, _column, default in steps} for kind, steps in _STEPS.items()}


def column_changes(record_type: str, changes: Iterable[Any]) -> dict[str, Any]:
    """Of ``FieldChange``s between two folded states (JSON values), the fields whose ``finish`` value
    differs, i.e. the current-state columns that change: field -> new Python value."""
    out = {}
    steps = _FIELD_STEPS[record_type]
    for change in changes:
        step = steps.get(change.field)
        if step is None:
            continue
        from_json, default = step
        old = default if change.old is None else from_json(change.old)
        new = default if change.new is None else from_json(change.new)
        if old != new:
            out[change.field] = new
    return out


def connection_of(bind: Any) -> Any:
    """The Core connection of a Connection or an ORM Session (pending ORM changes flushed first)."""
    if hasattr(bind, "exec_driver_sql"):
        return bind
    bind.flush()
    return bind.connection()


def run(bind: Any, sql: str, *params: Any) -> list[Any]:
    """Rows of one portable SQL statement with ``?`` placeholders; dates given as ``dt.date``."""
    connection = connection_of(bind)
    postgres = connection.dialect.name == "postgresql"
    if postgres:
        sql = sql.replace("?", "%s")
    else:
        params = tuple(p.isoformat() if isinstance(p, dt.date) else p for p in params)
    with read_errors():
        return connection.exec_driver_sql(sql, params).all()


def _is_postgres(bind: Any) -> bool:
    return connection_of(bind).dialect.name == "postgresql"


def fold_json(rows: Iterable[tuple[int, Any]]) -> dict[int, dict[str, Any]]:
    """The fold of (record id, changes) rows ordered by record, effective date, id: JSON state per record."""
    rows = list(rows)
    states: dict[int, dict[str, Any]] = {}
    for record_id, group in groupby(zip([r[0] for r in rows], changes_values([r[1] for r in rows])), key=lambda r: r[0]):
        state: dict[str, Any] = {}
        for _id, changes in group:
            state.update(changes)
        states[record_id] = state
    return states


def json_states(bind: Any, record_type: str, day: dt.date, *, only: int | None = None) -> dict[int, dict[str, Any]]:
    """Each record's folded events (JSON values) effective on or before ``day``, from one ordered query."""
    fk = FOREIGN_KEYS[record_type]
    where = f" AND {fk} = ?" if only is not None else ""
    # The changes as text, decoded together (psycopg would decode each row's JSON on its own: 4× slower at 10,000
    # records), cast outside the ordered rows: sorting the cast text, whose width PostgreSQL guesses at 32 bytes, looked
    # cheaper to it than walking the timeline index (at 10,000 projects a sort of every event, 47 ms against 19 ms).
    timeline = (f"SELECT {fk}, changes, effective_on, id FROM events WHERE {fk} IS NOT NULL AND effective_on <= ?{where} "
                f"ORDER BY {fk}, effective_on, id")
    rows = run(bind, f"SELECT {fk}, CAST(changes AS TEXT) FROM ({timeline}) AS timeline ORDER BY {fk}, effective_on, id",
               day, *(() if only is None else (only,)))
    return fold_json(rows)


_WKT_TYPE = re.compile(r"^([A-Z]+(?: [ZM]+)?)\(")


def ogc_wkt(text: str) -> str:
    """PostGIS's WKT ("POINT(1 2)", "POLYGON((0 0,1 0,...))") in the spelling the events store
    (GEOS/shapely: "POINT (1 2)", "POLYGON ((0 0, 1 0, ...))"), so both backends print the same text."""
    return _WKT_TYPE.sub(r"\1 (", text).replace(",", ", ")


def same_wkt(stored: str | None, value: str | None) -> bool:
    """Whether a geometry column's text (in PostGIS's spelling on PostgreSQL) is the shape ``value``
    as the events store it: the write path then leaves the column alone."""
    if stored == value:
        return True
    return stored is not None and value is not None and _WKT_TYPE.match(stored) is not None and ogc_wkt(stored) == value


def current_columns(bind: Any, record_type: str, *, only: int | None = None, geometry: bool = True,
                    fields: Collection[str] | None = None, by_code: bool = False) -> dict[int, dict[str, Any]]:
    """Each record's current-state columns as Python values (the state after its last event);
    without ``geometry`` only whether there is one (``True`` or None), not its text; with ``fields``,
    only those columns (a list reads what it shows: half the columns, half the reading at 10,000 records);
    ``by_code``: in the order of the codes (``ORDER BY code``), else in the database's order."""
    steps = [step for step in _STEPS[record_type] if fields is None or step[0] in fields]
    postgres = _is_postgres(bind)
    shape = ("ST_AsText(geometry)" if postgres else "geometry") if geometry else "geometry IS NOT NULL"
    columns = "".join(f", {shape if step[0] == 'geometry' else step[0]}" for step in steps)
    where = " WHERE id = ?" if only is not None else ""
    order = " ORDER BY code" if by_code else ""
    rows = run(bind, f"SELECT id{columns} FROM {TABLES[record_type]}{where}{order}", *(() if only is None else (only,)))
    if not rows:
        return {}
    # Column by column (a 10,000-record list reads fast): only the columns that need a conversion or a default.
    ids, *values = zip(*rows)
    for i, (name, _json, column, default) in enumerate(steps):
        if name == "geometry":
            if not geometry:
                values[i] = [True if value else None for value in values[i]]
            elif postgres:
                values[i] = [ogc_wkt(value) if value else value for value in values[i]]
        elif column is day_value:  # dates repeat (ends of years, quarters): each distinct one parsed once
            days: dict[Any, Any] = {None: default}
            values[i] = [days[value] if value in days else days.setdefault(value, day_value(value)) for value in values[i]]
        elif column is not _SAME[1] or default is not None:
            values[i] = [default if value is None else column(value) for value in values[i]]
    names = [step[0] for step in steps]
    return {record_id: dict(zip(names, row)) for record_id, row in zip(ids, zip(*values) if values else [()] * len(ids))}


def last_effective_on(bind: Any) -> dt.date | None:
    """The latest effective date in the event log (an index lookup)."""
    return day_value(run(bind, "SELECT max(effective_on) FROM events")[0][0])


def record_states(bind: Any, record_type: str, *, as_of: dt.date | None = None,
                  only: int | None = None) -> dict[int, dict[str, Any]]:
    """Every record's state on ``as_of`` (default today) as Python values; records not yet created are absent.

    On or after the last effective date the current columns are the answer; before it,
    the events are folded. ``only`` restricts the read to one record id.
    """
    return _states(bind, record_type, as_of or clock.today(), only)[0]


def _states(bind: Any, record_type: str, day: dt.date, only: int | None, geometry: bool = True,
            fields: Collection[str] | None = None) -> tuple[dict[int, dict[str, Any]], bool]:
    last = last_effective_on(bind)
    if last is None or day >= last:
        return current_columns(bind, record_type, only=only, geometry=geometry, fields=fields), True
    return folded_states(bind, record_type, day, only=only), False


def folded_states(bind: Any, record_type: str, day: dt.date, *, only: int | None = None) -> dict[int, dict[str, Any]]:
    """Every record's state on ``day`` by folding its events (the path for past dates), as Python values."""
    table = TABLES[record_type]
    codes = dict(run(bind, f"SELECT id, code FROM {table}" + (" WHERE id = ?" if only is not None else ""),
                     *(() if only is None else (only,))))
    out = {}
    for record_id, state in json_states(bind, record_type, day, only=only).items():
        row = finish(record_type, state)
        row["code"] = codes[record_id]
        out[record_id] = row
    return out


def open_obstacles(bind: Any, record_type: str, day: dt.date) -> dict[int, list[dict[str, Any]]]:
    """Per record id: the obstacles open on ``day`` (opened on or before it, not yet resolved)."""
    fk = FOREIGN_KEYS[record_type]
    rows = run(bind, f"SELECT id, {fk}, category, description, opened_on FROM obstacles WHERE {fk} IS NOT NULL "
                     "AND opened_on <= ? AND (resolved_on IS NULL OR resolved_on > ?) ORDER BY opened_on, id", day, day)
    result: dict[int, list[dict[str, Any]]] = {}
    for obstacle_id, record_id, category, description, opened_on in rows:
        opened = day_value(opened_on)
        result.setdefault(record_id, []).append({"id": obstacle_id, "category": category, "description": description,
                                                 "opened_on": opened, "days_open": (day - opened).days})
    return result


def technology_labels(bind: Any) -> dict[str, str]:
    """Technology key -> Vietnamese label."""
    return dict(run(bind, "SELECT key, label_vi FROM technologies"))


#: The fields ``views`` reads for what it derives (the code and name of every row, the sort, ``approximate``,
#: ``technology_label``) whatever the caller asks for.
VIEW_FIELDS = {"zone": ("code", "name", "kind", "location_precision"),
               "project": ("code", "name", "technology", "location_precision")}


def views(bind: Any, record_type: str, *, as_of: dt.date | None = None, only: int | None = None,
          geometry: bool = True, fields: Collection[str] | None = None) -> list[dict[str, Any]]:
    """Every record as a plain dict of its state on ``as_of`` (default: today), plus derived fields.

    Derived: ``id``, ``approximate`` (location not surveyed/site), ``open_obstacles``
    (list of dicts open on that day), and for projects ``technology_label``. Sorted by
    kind, then accent-folded name. ``only`` keeps one record id. Without ``geometry``,
    ``geometry`` only says whether the record has one (``True`` or None): lists and the
    summary never print the shape, whose text is most of a 10,000-record register.
    ``fields``: the fields the caller reads (besides ``VIEW_FIELDS``); today's state then
    comes with only those (a past day's, folded from the events, has every field).
    """
    day = as_of or clock.today()
    if fields is not None:
        fields = {*fields, *VIEW_FIELDS[record_type]}
    states, current = _states(bind, record_type, day, only, geometry, fields)
    # Today's names are folded already (name_key, kept by the write path); a past name is folded here.
    name_keys = dict(run(bind, f"SELECT id, name_key FROM {TABLES[record_type]}")) if current and only is None else {}
    obstacles = open_obstacles(bind, record_type, day)
    labels = technology_labels(bind) if record_type == "project" else {}
    out = []
    for record_id, row in states.items():
        row["id"] = record_id
        row["approximate"] = is_approximate(row.get("location_precision"))
        row["open_obstacles"] = obstacles.get(record_id, [])
        if not geometry and "geometry" in row:
            row["geometry"] = True if row["geometry"] else None
        if record_type == "project":
            row["technology_label"] = labels.get(row.get("technology"), row.get("technology"))
        out.append(row)
    out.sort(key=lambda r: (r.get("kind") or "", name_keys.get(r["id"]) or fold(r.get("name") or "")))
    return out


def resolve_id(bind: Any, record_type: str, query: str) -> tuple[int, str, str]:
    """(id, code, name) of one record by code or by accent-insensitive name.

    Exact code or exact folded name wins; otherwise every record whose folded name
    contains the folded query. None -> UnknownRecord with suggestions; several ->
    AmbiguousName listing them.
    """
    table = TABLES[record_type]
    key = fold(query)
    if not key:
        raise InvalidValue("Tên trống / empty name")
    # Fast path for an exact code (imports resolve thousands of rows): one indexed lookup.
    by_code = run(bind, f"SELECT id, code, name FROM {table} WHERE code = ?", query.strip())
    if by_code:
        return tuple(by_code[0])  # type: ignore[return-value]
    rows = run(bind, f"SELECT id, code, name, name_key FROM {table}")
    exact = [r for r in rows if r[1].lower() == query.strip().lower() or r[3] == key]
    matches = exact or [r for r in rows if key in r[3] or key in fold(r[1])]
    if len(matches) == 1:
        return tuple(matches[0][:3])  # type: ignore[return-value]
    if not matches:
        import difflib

        suggestions = difflib.get_close_matches(key, [r[3] for r in rows], n=3, cutoff=0.5)
        names = [r[2] for r in rows if r[3] in suggestions]
        hint = f" Có phải / did you mean: {'; '.join(names)}?" if names else ""
        raise UnknownRecord(f"Không tìm thấy {RECORD_NOUN[record_type]} “{query}” / not found.{hint}")
    listing = "\n".join(f"  - {r[2]} [{r[1]}]" for r in matches)
    raise AmbiguousName(
        f"“{query}” khớp {len(matches)} bản ghi; hãy nói rõ hơn hoặc dùng mã / matches several "
        f"records, be more specific or use the code:\n{listing}"
    )


def parse_technology(bind: Any, text: str) -> str:
    """A technology key from its key or Vietnamese/English label (accents optional), or the start of
    one label when only one technology starts so ("điện gió" -> onshore_wind)."""
    wanted = fold(text).strip()
    technologies = run(bind, "SELECT key, label_vi, label_en FROM technologies ORDER BY key")
    for key, label_vi, label_en in technologies:
        if wanted in (fold(key), fold(label_vi), fold(label_en)):
            return key
    starts = [t for t in technologies if wanted and any(fold(name).startswith(wanted) or fold(name).replace("_", " ").startswith(wanted)
                                                        for name in t)]
    if len(starts) == 1:
        return starts[0][0]
    choices = ", ".join(f"{t[0]} ({t[1]})" for t in (starts or technologies))
    if starts:
        raise InvalidValue(f"công nghệ/technology: “{text}” khớp nhiều công nghệ, hãy nói rõ hơn / ambiguous: {choices}")
    raise InvalidValue(f"công nghệ/technology: “{text}” không tồn tại; chọn / choose: {choices}")


@dataclass(frozen=True)
class FieldChange:
    """One field's change in the current state: old -> new."""

    field: str
    old: Any
    new: Any


def diff_states(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[FieldChange]:
    """Fields whose value differs between two states, in field order."""
    names = list(dict.fromkeys([*before, *after]))
    return [FieldChange(n, before.get(n), after.get(n)) for n in names if before.get(n) != after.get(n)]


def citation(number: str | None, title: str | None, doc_id: str | None, issued_on: Any) -> str | None:
    """Short Vietnamese citation of a document: "215/QĐ-UBND ngày 14/04/2025" (None without one)."""
    head = number or title or doc_id
    day = day_value(issued_on)
    return f"{head} ngày {day:%d/%m/%Y}" if head and day else head
