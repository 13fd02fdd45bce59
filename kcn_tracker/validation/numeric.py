"""Numbers typed by people (Vietnamese or English separators) and by machines (plain decimals).

The rule, stated in every update command's ``--help`` (``NUMBER_RULE_HELP``):

* Vietnamese first: the comma is the decimal separator and the dot groups thousands:
  ``49,9`` = 49.9, ``8.517,4`` = 8517.4, ``1.200`` = 1200, ``1.234.567`` = 1234567.
* A dot that cannot be a thousands separator is a decimal point: ``43.5``, ``1234.5``,
  and ``0.500`` = 0.5 (no thousands group starts with 0).
* With both separators the last one is the decimal separator: ``1,234.5`` = ``1.234,5`` = 1234.5;
  the other one must then group exactly three digits.
* A single comma is always the decimal separator (``1,234`` = 1.234, as ``format_number``
  writes it); several commas can only group thousands (``1,234,567``). So an integer field
  refuses ``1,234`` like ``2,9``: it has a fraction.
* At most one leading sign; no exponent, ``nan``, ``inf`` or other text; spaces may group
  thousands (``1 200``). Magnitudes of 10^15 and above are refused before any range check.

Machine input (CSV with English column keys, JSON) is a plain decimal with a dot: ``1.234`` = 1.234.
Every result is a finite ``Decimal``; integer fields also refuse a fraction (``2,9``).
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from kcn_tracker.errors import InvalidValue

NUMBER_RULE_HELP = ("Số: dấu phẩy là dấu thập phân, dấu chấm ngăn nghìn (49,9; 1.200 = 1200; 8.517,4); "
                    "“0.500” = 0,5; có cả hai thì dấu cuối là thập phân (1,234.5). / Numbers: comma = decimal, dot = "
                    "thousands (1.200 = 1200; 0.500 = 0.5); with both, the last is the decimal (1,234.5).")
#: Refused before any field range: no field of the register comes near it, and floats stay exact-ish.
MAX_MAGNITUDE = Decimal(10) ** 15

_SPACES = "\u0020\u00a0\u202f\u2009"
_GROUPED_SPACES = re.compile(r"^\d{1,3}([\u0020\u00a0\u202f\u2009]\d{3})+([.,]\d+)?$", re.ASCII)
_BODY = re.compile(r"^\d[\d.,]*$", re.ASCII)
_GROUPS = {".": re.compile(r"^\d{1,3}(\.\d{3})+$", re.ASCII), ",": re.compile(r"^\d{1,3}(,\d{3})+$", re.ASCII)}
_VN_THOUSANDS = re.compile(r"^[1-9]\d{0,2}\.\d{3}$", re.ASCII)
_MACHINE = re.compile(r"^[+-]?\d+(\.\d+)?$", re.ASCII)


def _not_a_number(label: str, raw: str, why: str = "") -> InvalidValue:
    extra = f" ({why})" if why else ""
    return InvalidValue(f"{label}: “{raw}” không phải là số / is not a number{extra}")


def _finite(value: Decimal, label: str, raw: str) -> Decimal:
    if not value.is_finite():
        raise _not_a_number(label, raw, "không hữu hạn / not finite")
    if abs(value) >= MAX_MAGNITUDE:
        raise InvalidValue(f"{label}: “{raw}” quá lớn / is far too large")
    return value


def _human_body(body: str, label: str, raw: str) -> str:
    """The digits of ``body`` with one optional "." as decimal point (Vietnamese rule above)."""
    if not _BODY.match(body) or body[-1] not in "0123456789":
        raise _not_a_number(label, raw)
    dots, commas = body.count("."), body.count(",")
    if dots and commas:
        decimal_sep = "," if body.rfind(",") > body.rfind(".") else "."
        thousands = "." if decimal_sep == "," else ","
        whole, _, frac = body.rpartition(decimal_sep)
        if decimal_sep in whole or not _GROUPS[thousands].match(whole):
            raise _not_a_number(label, raw, "dấu ngăn nghìn sai chỗ / misplaced thousands separator")
        return whole.replace(thousands, "") + "." + frac
    if commas == 1:
        whole, _, frac = body.partition(",")
        return whole + "." + frac
    if commas > 1 or dots > 1:
        sep = "," if commas else "."
        if not _GROUPS[sep].match(body):
            raise _not_a_number(label, raw, "dấu ngăn nghìn sai chỗ / misplaced thousands separator")
        return body.replace(sep, "")
    if dots == 1 and _VN_THOUSANDS.match(body):
        return body.replace(".", "")
    return body


def parse_decimal(value: object, *, label: str = "số", machine: bool = False) -> Decimal | None:
    """A finite ``Decimal`` from user input (rule in the module docstring); empty -> None.

    ``machine=True`` accepts only plain decimals with a dot (``-12.5``). Python numbers
    (from spreadsheet cells) are accepted when finite; ``bool`` is not a number.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise _not_a_number(label, str(value))
    if isinstance(value, int):
        return _finite(Decimal(value), label, str(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _not_a_number(label, str(value), "không hữu hạn / not finite")
        return _finite(Decimal(repr(value)), label, repr(value))
    if isinstance(value, Decimal):
        return _finite(value, label, str(value))
    raw = unicodedata.normalize("NFC", str(value)).strip(_SPACES + "\t\r\n")
    if raw == "":
        return None
    if len(raw) > 60:
        raise _not_a_number(label, raw[:20] + "…", "quá dài / too long")
    if machine:
        if not _MACHINE.match(raw):
            raise _not_a_number(label, raw, "cần số thập phân dạng 12.5 / a plain decimal like 12.5 is expected")
        return _finite(Decimal(raw), label, raw)
    sign = ""
    body = raw
    if body[:1] in "+-":
        sign, body = ("-" if body[0] == "-" else ""), body[1:]
    if _GROUPED_SPACES.match(body):
        body = "".join(c for c in body if c not in _SPACES)
    try:
        return _finite(Decimal(sign + _human_body(body, label, raw)), label, raw)
    except InvalidOperation:
        raise _not_a_number(label, raw) from None


def parse_integer(value: object, *, label: str = "số", machine: bool = False) -> int | None:
    """A whole number (``2.000`` = 2000); a fraction such as ``2,9`` is refused, never truncated."""
    number = parse_decimal(value, label=label, machine=machine)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise InvalidValue(f"{label}: “{value}” phải là số nguyên / must be a whole number")
    return int(number)
