"""Vietnamese text: NFC, accent-folded matching, Vietnamese number and date formats."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from kcn_tracker.errors import InvalidValue

_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """Return ``text`` in NFC with runs of whitespace collapsed and ends stripped."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


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
    return value.strftime("%d/%m/%Y") if value else missing


_THOUSANDS_DOT = re.compile(r"^\d{1,3}(\.\d{3})+$")
_THOUSANDS_COMMA = re.compile(r"^\d{1,3}(,\d{3}){2,}$")


def parse_number(text: str | float | int | None, *, field: str = "số") -> float | None:
    """Parse "1.200", "49,9", "8.517,4", "43.5" or a number; empty -> None.

    Vietnamese uses the comma for decimals; a dot followed by groups of exactly
    three digits is a thousands separator, otherwise a decimal point.
    """
    if text is None:
        return None
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return float(text)
    raw = nfc(str(text)).replace(" ", "").replace("\u00a0", "")
    if raw == "":
        return None
    cleaned = raw.lstrip("+-")
    sign = -1.0 if raw.startswith("-") else 1.0
    if "." in cleaned and "," in cleaned:
        decimal_sep = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        thousands = "." if decimal_sep == "," else ","
        cleaned = cleaned.replace(thousands, "").replace(decimal_sep, ".")
    elif "," in cleaned:
        cleaned = cleaned.replace(",", "") if _THOUSANDS_COMMA.match(cleaned) else cleaned.replace(",", ".")
    elif _THOUSANDS_DOT.match(cleaned):
        cleaned = cleaned.replace(".", "")
    try:
        return sign * float(Decimal(cleaned))
    except (InvalidOperation, ValueError):
        raise InvalidValue(f"{field}: “{raw}” không phải là số / is not a number") from None


_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


def parse_date(text: str | dt.date | None, *, field: str = "ngày") -> dt.date | None:
    """Parse dd/mm/yyyy or ISO yyyy-mm-dd (also a date/datetime object); empty -> None."""
    if text is None:
        return None
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    raw = nfc(str(text))
    if raw == "":
        return None
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise InvalidValue(
        f"{field}: “{raw}” không phải ngày hợp lệ (dd/mm/yyyy hoặc yyyy-mm-dd) / "
        "is not a valid date (dd/mm/yyyy or yyyy-mm-dd)"
    )
