"""Dates typed by people: dd/mm/yyyy or ISO yyyy-mm-dd, and the rules every event date obeys.

Accepted: ``14/04/2025``, ``14/4/2025``, ``14-04-2025``, ``14.04.2025`` and ``2025-04-14``
(four-digit years only, one separator kind per date). Spreadsheet date cells arrive as
dates and are taken as they are. A bare number is a date only as an Excel serial
day between 01/01/2000 and 31/12/2100 (a 5-digit number such as 45930 = 30/09/2025,
what Excel shows in a "General" column); a typed year such as 2026 is refused, never
read as 18/07/1905.

Event dates (effective, opened, resolved, document dates) are not in the future
(``clock.today()``, Vietnam's date), not before 01/01/2000 unless the change is
flagged historic (``--historic``), and never before the record's first event.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

from kcn_tracker.errors import InvalidValue

#: Events before this day need ``--historic`` (the register covers 2000 onwards).
HISTORIC_BEFORE = dt.date(2000, 1, 1)
#: No date typed into the register lies outside these years (also bounds --as-of and --from).
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2100, 12, 31)
_EXCEL_EPOCH = dt.date(1899, 12, 30)
SERIAL_RANGE = ((HISTORIC_BEFORE - _EXCEL_EPOCH).days, (LATEST - _EXCEL_EPOCH).days)
_DMY = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_SERIAL = re.compile(r"^\d{5}$")
DATE_RULE_HELP = "Ngày dạng dd/mm/yyyy hoặc yyyy-mm-dd / dates as dd/mm/yyyy or yyyy-mm-dd"


def _invalid(label: str, raw: str, why: str = "") -> InvalidValue:
    extra = f"; {why}" if why else ""
    return InvalidValue(f"{label}: “{raw}” không phải ngày hợp lệ (dd/mm/yyyy hoặc yyyy-mm-dd) / "
                        f"is not a valid date (dd/mm/yyyy or yyyy-mm-dd){extra}")


def excel_serial_date(serial: float) -> dt.date:
    """An Excel serial day number (1900 date system) as a date."""
    return _EXCEL_EPOCH + dt.timedelta(days=int(serial))


def _from_serial(number: float, label: str, raw: str) -> dt.date:
    if number != int(number) or not SERIAL_RANGE[0] <= number <= SERIAL_RANGE[1]:
        raise _invalid(label, raw, "một con số không phải là ngày / a number is not a date")
    return excel_serial_date(number)


def parse_date(value: object, *, label: str = "ngày") -> dt.date | None:
    """A date from user input (rules in the module docstring); empty -> None; InvalidValue otherwise."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, bool):
        raise _invalid(label, str(value))
    elif isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise _invalid(label, str(value))
        return _from_serial(value, label, str(value))
    else:
        raw = unicodedata.normalize("NFC", str(value)).strip()
        if raw == "":
            return None
        if len(raw) > 40:
            raise _invalid(label, raw[:20] + "…")
        if _SERIAL.match(raw):
            return _from_serial(int(raw), label, raw)
        if (m := _DMY.match(raw)) is not None:
            parts = (int(m.group(4)), int(m.group(3)), int(m.group(1)))
        elif (m := _ISO.match(raw)) is not None:
            parts = (int(m.group(1)), int(m.group(2)), int(m.group(3)))
        else:
            raise _invalid(label, raw)
        try:
            day = dt.date(*parts)
        except ValueError:
            raise _invalid(label, raw) from None
    if not EARLIEST <= day <= LATEST:
        raise InvalidValue(f"{label}: ngày {day.isoformat()} ngoài khoảng {EARLIEST.year}–{LATEST.year} / "
                           f"outside the years {EARLIEST.year}–{LATEST.year}")
    return day


def event_date_problems(day: dt.date, *, label: str, today: dt.date, historic: bool = False,
                        first_event: dt.date | None = None) -> list[str]:
    """Why ``day`` cannot date an event (empty list when it can): future, before 2000, before the record."""
    problems = []
    if day > today:
        problems.append(f"{label}: {day:%d/%m/%Y} ở tương lai (hôm nay {today:%d/%m/%Y}): chỉ ghi điều đã xảy ra / "
                        "is in the future: record only what has happened")
    if day < HISTORIC_BEFORE and not historic:
        problems.append(f"{label}: {day:%d/%m/%Y} trước năm 2000; nếu đúng là dữ liệu lịch sử, thêm --historic / "
                        "before 2000: add --historic if this is really a historic record")
    if first_event is not None and day < first_event:
        problems.append(f"{label}: {day:%d/%m/%Y} trước ngày bản ghi được tạo ({first_event:%d/%m/%Y}) / "
                        "is before the record was created")
    return problems
