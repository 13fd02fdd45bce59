"""Today's progress records: whole timelines only where progress reads the history.

On or after the last effective date, the current-state columns are the fold of every
event (the write path keeps them so). Progress reads a record's history for two things
only: when each operating MW of a project started (its parts) and when a zone entered
operation. So the projects with operating MW (a figure, or the stage "operating") and
the operating zones come with every event, and every other record with one event: its
current-state columns, on its last effective date (the alerts' last news). A national
register's timelines are then a few thousand events, not tens of thousands folded.
"""

from __future__ import annotations

from typing import Any

from kcn_tracker.progress_data import QUERIES, _day, _records
from kcn_tracker.progress_records import EventRecord, ProgressRecords
from kcn_tracker.state import FOREIGN_KEYS, current_columns

#: The events of the records whose history progress reads; a superset is harmless (a whole timeline
#: folds to the same state), a record missing here would lose its parts.
WHOLE_EVENTS = ("SELECT id, zone_id, project_id, effective_on, date_basis, CAST(changes AS TEXT) FROM events "
                "WHERE project_id IN (SELECT id FROM projects WHERE capacity_operating_mw IS NOT NULL OR stage = 'operating') "
                "OR zone_id IN (SELECT id FROM zones WHERE stage = 'operating') ORDER BY effective_on, id")


#: The project fields that progress, the energy summary and the alerts read (half of a 10,000-project
#: table's columns: reading all of them was the largest cost); zones, a thousand, come with every field.
PROJECT_FIELDS = ("code", "name", "technology", "stage", "capacity_mw", "capacity_operating_mw", "expected_cod",
                  "expected_first_power", "expected_construction_start", "investor", "zone_code", "construction_completed",
                  "geometry", "plan_role")


def today_records(connection: Any, *, history: bool = True) -> ProgressRecords:
    """The records for a day on or after the last effective date (the caller checks it); without ``history``,
    every record as its current state on its last effective date (enough for the alerts)."""
    # In code order, as QUERIES["projects"] and QUERIES["zones"] list them: the ids and codes come with the columns.
    states = {"project": current_columns(connection, "project", geometry=False, fields=PROJECT_FIELDS, by_code=True),
              "zone": current_columns(connection, "zone", geometry=False, by_code=True)}
    days: dict[Any, Any] = {}  # each distinct date parsed once (SQLite hands back text)
    last = {kind: {record_id: days[day] if day in days else days.setdefault(day, _day(day))
                   for record_id, day in connection.exec_driver_sql(f"SELECT {fk}, max(effective_on) FROM events WHERE "
                                                                    f"{fk} IS NOT NULL GROUP BY {fk}").all()}
            for kind, fk in FOREIGN_KEYS.items()}

    def single(kind: str, record_id: int) -> tuple[EventRecord, ...]:
        day = last[kind].get(record_id)
        # A record without events is not in the register yet (its fold is empty).
        return (EventRecord(day, states[kind][record_id]),) if day is not None else ()

    def read(name: str) -> Any:
        if name == "events":
            return connection.exec_driver_sql(WHOLE_EVENTS).partitions(1000) if history else ()
        if name in ("projects", "zones"):
            return [[(record_id, state["code"]) for record_id, state in states[name[:-1]].items()]]
        return connection.exec_driver_sql(QUERIES[name]).partitions(1000)

    return _records(read, single)
