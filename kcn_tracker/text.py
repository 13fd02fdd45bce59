"""Vietnamese text: NFC, accent-folded matching, Vietnamese number and date formats."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal


_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """Return ``text`` in NFC with runs of whitespace collapsed and ends stripped."""
    # str.split() splits on exactly the characters r"\s" matches (str.isspace) and drops the ends:
    # the same result as _SPACES.sub(" ", ...).strip(), at a fraction of the cost (every cell of an import)
    return " ".join(unicodedata.normalize("NFC", text).split())


def fold(text: str) -> str:
    """Accent- and case-insensitive key: "Dốc Đá Trắng" -> "doc da trang"."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = re.sub(r"[^0-9a-zA-Z]+", " ", stripped)
    return _SPACES.sub(" ", stripped).strip().lower()


def format_number(value: float | int | Decimal | None, *, decimals: int = 1, missing: str = "—") -> str:
    """Vietnamese number format: 8517.4 -> "8.517,4"; 1500 -> "1.500"; trailing zeros dropped."""
    if value is None:
        return missing
    quant = Decimal(1).scaleb(-decimals)
    number = Decimal(str(value)).quantize(quant, rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    whole, _, frac = f"{abs(number):f}".partition(".")
    frac = frac.rstrip("0")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = ".".join(groups)
    return f"{sign}{text},{frac}" if frac else f"{sign}{text}"


def format_percent(ratio: float | None, *, decimals: int = 1, missing: str = "chưa có số liệu") -> str:
    """A ratio (0.7) as a Vietnamese percentage ("70 %"); unknown says so instead of 0 %."""
    if ratio is None:
        return missing
    return f"{format_number(ratio * 100, decimals=decimals)} %"


def format_date(value: dt.date | None, *, missing: str = "—") -> str:
    """Vietnamese date format dd/mm/yyyy."""
    # Fields, not strftime (a third of the time: lists and alerts format a date per row of a national register).
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}" if value else missing


def parse_number(text: str | float | int | None, *, field: str = "số") -> float | None:
    """Parse "1.200", "49,9", "8.517,4", "43.5" or a number; empty -> None.

    The rule (Vietnamese first, ``validation.numeric``): the comma is the decimal
    separator and a dot groups thousands, unless it cannot ("43.5", "0.500" = 0.5);
    with both, the last is the decimal; "1,234" is refused as ambiguous; never nan,
    inf, exponents or two signs.
    """
    from kcn_tracker.validation.numeric import parse_decimal

    number = parse_decimal(text, label=field)
    return None if number is None else float(number)


def parse_date(text: str | dt.date | None, *, field: str = "ngày") -> dt.date | None:
    """Parse dd/mm/yyyy or ISO yyyy-mm-dd (also a date/datetime object); empty -> None (``validation.dates``)."""
    if text is None:  # an option not given: nothing to import (quick commands)
        return None
    from kcn_tracker.validation.dates import parse_date as parse

    return parse(text, label=field)
