"""One validation layer for every input: CLI options and ``--set``, spreadsheet cells, GIS files, web forms.

Each field is declared once in ``kcn_tracker.fields`` (kind, unit, range or allowed set or
table, length matching its database column, required-ness, Vietnamese and English label);
this package applies those declarations:

* ``numeric``: numbers (Vietnamese vs English separators, rule in ``NUMBER_RULE_HELP``), finite, in range;
* ``dates``: dd/mm/yyyy or ISO dates, Excel serials only in 2000–2100, event-date rules;
* ``texts``: NFC, stripped, no control characters, within the column's size; choices; yes/no;
* ``shapes``: WKT geometry, valid, of a type the map draws, inside the province;
* ``fields``: one field value from raw input by its declaration (no database);
* ``records``: table references, the record's timeline, document and author; ``validate_update``
  for every writer and ``validate_form`` for the web app (problems keyed by field name).

Everything collects every problem and raises ``errors.ValidationFailed`` once, before any write.
The database CHECK constraints stay as the last line of defence. Only the light modules are
imported here; ``records`` and ``shapes`` (SQLAlchemy, shapely) load on first use.
"""

from __future__ import annotations

from typing import Any

from kcn_tracker.validation.dates import DATE_RULE_HELP, event_date_problems, parse_date
from kcn_tracker.validation.numeric import NUMBER_RULE_HELP, parse_decimal, parse_integer
from kcn_tracker.validation.texts import clean_text, parse_bool, parse_choice, printable

__all__ = ["DATE_RULE_HELP", "NUMBER_RULE_HELP", "clean_text", "event_date_problems", "parse_bool", "parse_choice",
           "parse_date", "parse_decimal", "parse_integer", "printable", "validate_form", "validate_update"]


def __getattr__(name: str) -> Any:
    if name in ("validate_form", "validate_update"):
        from kcn_tracker.validation import records

        return getattr(records, name)
    raise AttributeError(name)
