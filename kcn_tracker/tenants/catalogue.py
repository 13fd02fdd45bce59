"""Reference tables of tenant projects: VSIC 2018 industries and investors' countries.

Shipped as data (inserted by migration 0005) and extendable by the office with
``kcn tenants industries add`` / ``kcn tenants countries add``. Every shipped row cites
its source. VSIC 2018 is the Vietnamese Standard Industrial Classification issued by
Decision 27/2018/QĐ-TTg of 06/07/2018 (Appendix I lists the levels); we ship the 21
sections (level 1, A–U) and the divisions (level 2) of section C (manufacturing),
which most tenants belong to, plus the few divisions outside C that KCN tenants and
target T11 name (electricity, waste, warehousing, telecommunications, IT, information
services/data centres). The Vietnamese wording was transcribed for this project and is
flagged as to be checked against the decision's text (docs/TENANTS.md).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kcn_tracker.errors import InvalidValue
from kcn_tracker.text import fold, nfc

VSIC_SOURCE = ("QĐ 27/2018/QĐ-TTg ngày 06/07/2018 (Hệ thống ngành kinh tế Việt Nam, VSIC 2018), Phụ lục I; "
               "tên ngành chép lại, cần đối chiếu nguyên văn")
COUNTRY_SOURCE = "Mã: ISO 3166-1 alpha-2; tên tiếng Việt theo cách gọi thông dụng"

#: (code, section, label_vi, label_en): sections A–U (level 1).
VSIC_SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("A", "Nông nghiệp, lâm nghiệp và thủy sản", "Agriculture, forestry and fishing"),
    ("B", "Khai khoáng", "Mining and quarrying"),
    ("C", "Công nghiệp chế biến, chế tạo", "Manufacturing"),
    ("D", "Sản xuất và phân phối điện, khí đốt, nước nóng, hơi nước và điều hòa không khí",
     "Electricity, gas, steam and air conditioning supply"),
    ("E", "Cung cấp nước; hoạt động quản lý và xử lý rác thải, nước thải",
     "Water supply; sewerage, waste management and remediation activities"),
    ("F", "Xây dựng", "Construction"),
    ("G", "Bán buôn và bán lẻ; sửa chữa ô tô, mô tô, xe máy và xe có động cơ khác",
     "Wholesale and retail trade; repair of motor vehicles and motorcycles"),
    ("H", "Vận tải kho bãi", "Transportation and storage"),
    ("I", "Dịch vụ lưu trú và ăn uống", "Accommodation and food service activities"),
    ("J", "Thông tin và truyền thông", "Information and communication"),
    ("K", "Hoạt động tài chính, ngân hàng và bảo hiểm", "Financial and insurance activities"),
    ("L", "Hoạt động kinh doanh bất động sản", "Real estate activities"),
    ("M", "Hoạt động chuyên môn, khoa học và công nghệ", "Professional, scientific and technical activities"),
    ("N", "Hoạt động hành chính và dịch vụ hỗ trợ", "Administrative and support service activities"),
    ("O", "Hoạt động của Đảng Cộng sản, tổ chức chính trị - xã hội, quản lý Nhà nước, an ninh quốc phòng; "
          "bảo đảm xã hội bắt buộc", "Public administration and defence; compulsory social security"),
    ("P", "Giáo dục và đào tạo", "Education"),
    ("Q", "Y tế và hoạt động trợ giúp xã hội", "Human health and social work activities"),
    ("R", "Nghệ thuật, vui chơi và giải trí", "Arts, entertainment and recreation"),
    ("S", "Hoạt động dịch vụ khác", "Other service activities"),
    ("T", "Hoạt động làm thuê các công việc trong các hộ gia đình, sản xuất sản phẩm vật chất và dịch vụ tự tiêu "
          "dùng của hộ gia đình", "Activities of households as employers; undifferentiated goods- and services-producing "
          "activities of households for own use"),
    ("U", "Hoạt động của các tổ chức và cơ quan quốc tế", "Activities of extraterritorial organizations and bodies"),
)

#: (code, section, label_vi): divisions (level 2).
VSIC_DIVISIONS: tuple[tuple[str, str, str], ...] = (
    ("10", "C", "Sản xuất, chế biến thực phẩm"),
    ("11", "C", "Sản xuất đồ uống"),
    ("12", "C", "Sản xuất sản phẩm thuốc lá"),
    ("13", "C", "Dệt"),
    ("14", "C", "Sản xuất trang phục"),
    ("15", "C", "Sản xuất da và các sản phẩm có liên quan"),
    ("16", "C", "Chế biến gỗ và sản xuất sản phẩm từ gỗ, tre, nứa (trừ giường, tủ, bàn, ghế); sản xuất sản phẩm "
                "từ rơm, rạ và vật liệu tết bện"),
    ("17", "C", "Sản xuất giấy và sản phẩm từ giấy"),
    ("18", "C", "In, sao chép bản ghi các loại"),
    ("19", "C", "Sản xuất than cốc, sản phẩm dầu mỏ tinh chế"),
    ("20", "C", "Sản xuất hóa chất và sản phẩm hóa chất"),
    ("21", "C", "Sản xuất thuốc, hóa dược và dược liệu"),
    ("22", "C", "Sản xuất sản phẩm từ cao su và plastic"),
    ("23", "C", "Sản xuất sản phẩm từ khoáng phi kim loại khác"),
    ("24", "C", "Sản xuất kim loại"),
    ("25", "C", "Sản xuất sản phẩm từ kim loại đúc sẵn (trừ máy móc, thiết bị)"),
    ("26", "C", "Sản xuất sản phẩm điện tử, máy vi tính và sản phẩm quang học"),
    ("27", "C", "Sản xuất thiết bị điện"),
    ("28", "C", "Sản xuất máy móc, thiết bị chưa được phân vào đâu"),
    ("29", "C", "Sản xuất xe có động cơ"),
    ("30", "C", "Sản xuất phương tiện vận tải khác"),
    ("31", "C", "Sản xuất giường, tủ, bàn, ghế"),
    ("32", "C", "Công nghiệp chế biến, chế tạo khác"),
    ("33", "C", "Sửa chữa, bảo dưỡng và lắp đặt máy móc và thiết bị"),
    ("35", "D", "Sản xuất và phân phối điện, khí đốt, nước nóng, hơi nước và điều hòa không khí"),
    ("38", "E", "Hoạt động thu gom, xử lý và tiêu hủy rác thải; tái chế phế liệu"),
    ("52", "H", "Kho bãi và các hoạt động hỗ trợ cho vận tải"),
    ("61", "J", "Viễn thông"),
    ("62", "J", "Lập trình máy vi tính, dịch vụ tư vấn và các hoạt động khác liên quan đến máy vi tính"),
    ("63", "J", "Hoạt động dịch vụ thông tin"),
)

#: (ISO 3166-1 alpha-2, Vietnamese name, English name): Viet Nam and the usual investors' countries.
COUNTRIES: tuple[tuple[str, str, str], ...] = (
    ("VN", "Việt Nam", "Viet Nam"), ("JP", "Nhật Bản", "Japan"), ("KR", "Hàn Quốc", "Korea, Republic of"),
    ("CN", "Trung Quốc", "China"), ("TW", "Đài Loan (Trung Quốc)", "Taiwan (Province of China)"),
    ("HK", "Hồng Kông (Trung Quốc)", "Hong Kong"), ("SG", "Singapore", "Singapore"), ("TH", "Thái Lan", "Thailand"),
    ("MY", "Malaysia", "Malaysia"), ("ID", "Indonesia", "Indonesia"), ("PH", "Philippines", "Philippines"),
    ("IN", "Ấn Độ", "India"), ("US", "Hoa Kỳ", "United States of America"), ("CA", "Canada", "Canada"),
    ("AU", "Australia", "Australia"), ("NZ", "New Zealand", "New Zealand"), ("GB", "Vương quốc Anh", "United Kingdom"),
    ("DE", "Đức", "Germany"), ("FR", "Pháp", "France"), ("NL", "Hà Lan", "Netherlands"), ("BE", "Bỉ", "Belgium"),
    ("CH", "Thụy Sĩ", "Switzerland"), ("IT", "Italia", "Italy"), ("ES", "Tây Ban Nha", "Spain"),
    ("DK", "Đan Mạch", "Denmark"), ("SE", "Thụy Điển", "Sweden"), ("NO", "Na Uy", "Norway"), ("FI", "Phần Lan", "Finland"),
    ("AT", "Áo", "Austria"), ("LU", "Luxembourg", "Luxembourg"), ("RU", "Liên bang Nga", "Russian Federation"),
    ("IL", "Israel", "Israel"), ("AE", "Các Tiểu vương quốc Ả Rập Thống nhất", "United Arab Emirates"),
    ("VG", "Quần đảo Virgin thuộc Anh", "Virgin Islands (British)"), ("KY", "Quần đảo Cayman", "Cayman Islands"),
    ("SA", "Ả Rập Xê Út", "Saudi Arabia"), ("LA", "Lào", "Lao People's Democratic Republic"),
    ("KH", "Campuchia", "Cambodia"),
)


def industry_rows() -> list[dict[str, str]]:
    """The shipped VSIC rows as dicts (for the migration's bulk insert)."""
    rows = [dict(code=c, level="section", section=c, label_vi=vi, label_en=en, source=VSIC_SOURCE) for c, vi, en in VSIC_SECTIONS]
    rows += [dict(code=c, level="division", section=s, label_vi=vi, label_en=None, source=VSIC_SOURCE) for c, s, vi in VSIC_DIVISIONS]
    return rows  # type: ignore[return-value]


def country_rows() -> list[dict[str, str]]:
    """The shipped country rows as dicts (for the migration's bulk insert)."""
    return [dict(code=c, label_vi=vi, label_en=en, source=COUNTRY_SOURCE) for c, vi, en in COUNTRIES]


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


def add_country(session: Session, code: str, label_vi: str, label_en: str, *, source: str = COUNTRY_SOURCE) -> object:
    """Add a country or territory by its ISO 3166-1 alpha-2 code."""
    from kcn_tracker.tenants.models import Country

    code = nfc(code).upper()
    if len(code) != 2 or not code.isalpha():
        raise InvalidValue(f"mã quốc gia “{code}”: cần 2 chữ cái ISO 3166-1 / two ISO letters")
    if session.get(Country, code) is not None:
        raise InvalidValue(f"mã quốc gia “{code}” đã có / already exists")
    row = Country(code=code, label_vi=nfc(label_vi), label_en=nfc(label_en), source=source)
    session.add(row)
    session.flush()
    Lookups.forget(session)
    return row
