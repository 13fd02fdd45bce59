"""Names of investors' countries and territories: the Unicode CLDR names of the ``vi`` and ``en`` locales,
as the Babel library ships them (Babel: BSD-3-Clause; CLDR data: Unicode License v3).

They fill the ``countries`` table (migration 0005 for a new register, 0007 for an existing one, and
``kcn tenants countries add CODE`` without names), so pages, terminal tables and reports read a
cited name from the table and never import Babel themselves: only writing the catalogue does.

Why CLDR and not pycountry's Debian iso-codes translations: their Vietnamese names are dated or
wrong for an official register (pycountry 26.2.16: JP "Nhật", KR "Cộng hoà Nam Hàn", ID "Nam
Dương", KH "Căm Bốt", IL "Do Thái", AT "Ao"), where CLDR gives the names of current usage
("Nhật Bản", "Hàn Quốc", "Indonesia", "Campuchia", "Israel", "Áo").
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=2)
def _territories(locale: str) -> dict[str, str]:
    from babel import Locale

    return dict(Locale.parse(locale).territories)


def cldr_names(code: str) -> tuple[str, str] | None:
    """(Vietnamese, English) CLDR name of an ISO 3166-1 alpha-2 code, None if CLDR has no such territory."""
    code = code.upper()
    if len(code) != 2 or not code.isalpha():
        return None
    vi, en = _territories("vi").get(code), _territories("en").get(code)
    return (vi, en) if vi and en else None


def cldr_source() -> str:
    """The ``source`` of a row named from CLDR: which CLDR and Babel versions."""
    import babel
    from babel.core import get_cldr_version

    return f"Mã: ISO 3166-1 alpha-2; tên: Unicode CLDR {get_cldr_version()} (vi, en), thư viện Babel {babel.__version__}"
