"""Reference tables of tenant projects: VSIC 2018 industries and investors' countries.

Shipped as data (inserted by migration 0005, brought up to date by 0007) and extendable by the office
with ``kcn tenants industries add`` / ``kcn tenants countries add``. Every shipped row cites its
source: the 21 sections and 88 divisions of VSIC 2018 (Decision 27/2018/QĐ-TTg, Appendix I) in
``vsic2018``, countries by ISO 3166-1 code with their CLDR names (``country_names``).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kcn_tracker.errors import InvalidValue
from kcn_tracker.text import fold, nfc

#: The source of the VSIC rows shipped before they were checked against a copy of the decision (0007 replaces them).
UNCHECKED_VSIC_SOURCE = ("QĐ 27/2018/QĐ-TTg ngày 06/07/2018 (Hệ thống ngành kinh tế Việt Nam, VSIC 2018), Phụ lục I; "
                         "tên ngành chép lại, cần đối chiếu nguyên văn")
#: The source of the country rows shipped before their names came from CLDR (migration 0007 renames those rows).
HAND_TYPED_COUNTRY_SOURCE = "Mã: ISO 3166-1 alpha-2; tên tiếng Việt theo cách gọi thông dụng"

#: ISO 3166-1 alpha-2 codes shipped: Viet Nam and the usual investors' countries and territories (names from
#: CLDR, ``country_names``; the office adds others with ``kcn tenants countries add``).
COUNTRY_CODES: tuple[str, ...] = (
    "VN", "JP", "KR", "CN", "TW", "HK", "SG", "TH", "MY", "ID", "PH", "IN", "US", "CA", "AU", "NZ", "GB", "DE", "FR", "NL",
    "BE", "CH", "IT", "ES", "DK", "SE", "NO", "FI", "AT", "LU", "RU", "IL", "AE", "VG", "KY", "SA", "LA", "KH",
)


def industry_rows() -> list[dict[str, str | None]]:
    """The shipped VSIC 2018 rows (21 sections, 88 divisions) as dicts, for the migrations."""
    from kcn_tracker.tenants.vsic2018 import DIVISIONS, SECTIONS, VSIC_SOURCE

    rows: list[dict[str, str | None]] = [dict(code=c, level="section", section=c, label_vi=vi, label_en=None, source=VSIC_SOURCE)
                                         for c, vi in SECTIONS]
    rows += [dict(code=c, level="division", section=s, label_vi=vi, label_en=None, source=VSIC_SOURCE) for c, s, vi in DIVISIONS]
    return rows


def country_rows() -> list[dict[str, str]]:
    """The shipped country rows as dicts (for the migrations), named from CLDR (``country_names``)."""
    from kcn_tracker.tenants.country_names import cldr_names, cldr_source

    source = cldr_source()
    rows = []
    for code in COUNTRY_CODES:
        vi, en = cldr_names(code) or (code, code)
        rows.append(dict(code=code, label_vi=vi, label_en=en, source=source))
    return rows


class Lookups:
    """Countries, industries and zones read once per session (an import parses thousands of rows)."""

    KEY = "kcn_tenant_lookups"

    def __init__(self, session: Session) -> None:
        from kcn_tracker.models import Zone
        from kcn_tracker.tenants.models import Country, Industry

        self.countries: dict[str, str] = {}
        for row in session.scalars(select(Country)):
            for text in (row.code, row.label_vi, row.label_en):
                self.countries[fold(text)] = row.code
        self.industries = {r.code.upper(): r.code for r in session.scalars(select(Industry))}
        self.industry_labels = {r.code: (fold(r.label_vi), fold(r.label_en or "")) for r in session.scalars(select(Industry))}
        self.zones: dict[str, list[str]] = {}
        for code, name_key in session.execute(select(Zone.code, Zone.name_key)):
            self.zones.setdefault(code.lower(), []).append(code)
            self.zones.setdefault(name_key, []).append(code)

    @classmethod
    def of(cls, session: Session) -> Lookups:
        """The session's lookups (built on first use; ``forget`` after adding catalogue rows)."""
        if cls.KEY not in session.info:
            session.info[cls.KEY] = cls(session)
        return session.info[cls.KEY]

    @classmethod
    def forget(cls, session: Session) -> None:
        session.info.pop(cls.KEY, None)


def parse_industry(session: Session, text: str) -> str:
    """An industry code from a VSIC code ("26", "2610" -> its division if known, "C") or a label."""
    lookups = Lookups.of(session)
    raw = nfc(str(text))
    upper = raw.upper().replace(" ", "")
    if upper in lookups.industries:
        return lookups.industries[upper]
    if upper.isdigit() and len(upper) > 2 and upper[:2] in lookups.industries:
        return lookups.industries[upper[:2]]  # a 3-5 digit VSIC code counts in its division
    wanted = fold(raw)
    by_label = [code for code, labels in lookups.industry_labels.items() if wanted and wanted in labels]
    if len(by_label) == 1:
        return by_label[0]
    raise InvalidValue(f"ngành (VSIC 2018) “{raw}” không có trong danh mục; xem `kcn tenants industries` hoặc thêm bằng "
                       "`kcn tenants industries add` / unknown industry code")


def parse_country(session: Session, text: str) -> str:
    """An ISO country code from the code or the Vietnamese/English name (accents optional)."""
    raw = nfc(str(text))
    found = Lookups.of(session).countries.get(fold(raw))
    if found is None:
        raise InvalidValue(f"quốc gia “{raw}” không có trong danh mục; xem `kcn tenants countries` hoặc thêm bằng "
                           "`kcn tenants countries add` / unknown country")
    return found


def parse_zone(session: Session, text: str) -> str:
    """A zone code from its code or exact name (cached), else by ``registry.resolve`` (partial names, suggestions)."""
    found = Lookups.of(session).zones.get(nfc(str(text)).lower()) or Lookups.of(session).zones.get(fold(str(text)))
    if found and len(found) == 1:
        return found[0]
    from kcn_tracker.registry import resolve

    return resolve(session, "zone", str(text)).code


def add_industry(session: Session, code: str, label_vi: str, *, section: str | None = None, label_en: str | None = None,
                 source: str) -> object:
    """Add a VSIC row (a division, group or class under a known section); the source is required."""
    from kcn_tracker.tenants.models import Industry

    code = nfc(code).upper().replace(" ", "")
    if not nfc(source or ""):
        raise InvalidValue("--source: cần ghi căn cứ (văn bản VSIC) / the source is required")
    if session.get(Industry, code) is not None:
        raise InvalidValue(f"mã ngành “{code}” đã có / already exists")
    if len(code) == 1 and code.isalpha():
        row = Industry(code=code, level="section", section=code, label_vi=nfc(label_vi), label_en=label_en, source=source)
    elif code.isdigit() and 2 <= len(code) <= 5:
        parent = session.get(Industry, code[:2]) if len(code) > 2 else None
        letter = (section or (parent.section if parent else "")).upper()
        if session.get(Industry, letter) is None:
            raise InvalidValue("--section: cần chữ cái ngành cấp 1 (A–U) đã có / a known section letter is required")
        row = Industry(code=code, level="division" if len(code) == 2 else "detail", section=letter, label_vi=nfc(label_vi),
                       label_en=label_en, source=source)
    else:
        raise InvalidValue(f"mã ngành “{code}”: chữ cái (cấp 1) hoặc 2–5 chữ số / a letter or 2-5 digits")
    session.add(row)
    session.flush()
    Lookups.forget(session)
    return row


def add_country(session: Session, code: str, label_vi: str | None = None, label_en: str | None = None, *,
                source: str | None = None) -> object:
    """Add a country or territory by its ISO 3166-1 alpha-2 code; without names, CLDR's are taken (and cited)."""
    from kcn_tracker.tenants.country_names import cldr_names, cldr_source
    from kcn_tracker.tenants.models import Country

    code = nfc(code).upper()
    if len(code) != 2 or not code.isalpha():
        raise InvalidValue(f"mã quốc gia “{code}”: cần 2 chữ cái ISO 3166-1 / two ISO letters")
    if session.get(Country, code) is not None:
        raise InvalidValue(f"mã quốc gia “{code}” đã có / already exists")
    if not (label_vi and label_en):
        cldr = cldr_names(code)
        if cldr is None:
            raise InvalidValue(f"mã “{code}” không có trong CLDR: ghi tên tiếng Việt và tiếng Anh / not a CLDR territory: give both names")
        label_vi, label_en = label_vi or cldr[0], label_en or cldr[1]
        source = source or cldr_source()
    row = Country(code=code, label_vi=nfc(label_vi), label_en=nfc(label_en), source=source or "Văn phòng nhập / entered by the office")
    session.add(row)
    session.flush()
    Lookups.forget(session)
    return row


def catalogue_labels(session: Session) -> dict[str, dict[str, str]]:
    """Vietnamese names of the countries, industries and zones by code, for human outputs (machine outputs keep the codes)."""
    from kcn_tracker.models import Zone
    from kcn_tracker.tenants.models import Country, Industry

    return {"country": dict(session.execute(select(Country.code, Country.label_vi)).tuples().all()),
            "industry": dict(session.execute(select(Industry.code, Industry.label_vi)).tuples().all()),
            "zone_code": dict(session.execute(select(Zone.code, Zone.name)).tuples().all())}


def coded_label(kind: str, code: str, labels: dict[str, dict[str, str]]) -> str:
    """A country as "Nhật Bản (JP)", an industry as "26 — Sản xuất sản phẩm điện tử, ...", a zone by its name;
    the code alone if unknown."""
    name = labels.get(kind, {}).get(code)
    if not name:
        return code
    if kind == "zone_code":
        return name
    return f"{name} ({code})" if kind == "country" else f"{code} — {name}"
