"""The fields of a tenant project, declared once as data, with their parsing and the timeline rules.

Values are read by the one validation layer (``kcn_tracker.validation``: numbers, dates,
yes/no, text) and checked against the ranges declared here. Every entry point (``kcn tenants add|update`` options, ``--set``, spreadsheet cells) parses
through ``parse_tenant_values`` and gets every problem at once (``ValidationFailed``);
``tenant_timeline_problems`` re-checks the whole timeline with the new event before
anything is written. Money is ``Decimal`` and stored in events as text, so it stays exact.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from kcn_tracker.errors import InvalidTransition, InvalidValue, KcnError, Problem, ValidationFailed
from kcn_tracker.text import nfc


@dataclass(frozen=True)
class TenantField:
    """One tracked field of a tenant project."""

    name: str
    kind: str  # str, decimal, float, int, date, bool, stage, country, industry, zone, certificate
    label_vi: str
    label_en: str
    max_length: int | None = None
    unit: str | None = None
    minimum: float | None = None
    maximum: float | None = None

    @property
    def label(self) -> str:
        """ "Vietnamese label (name)", as messages show it."""
        return f"{self.label_vi} ({self.name})"


#: Plausible upper bounds: a typing error (extra zeros, wrong unit) is refused, never stored.
MAX_CAPITAL_USD = 100_000_000_000  # USD 100 bn: above the largest single FDI project in Viet Nam by far
MAX_CAPITAL_VND = 2_500_000_000_000_000  # VND 2.5 million bn (~USD 100 bn)
MAX_FX_RATE = 100_000  # VND per USD (about 25,000-26,000 in 2025)
MAX_LEASED_HA = 5_000  # one tenant's lease; the largest park in the province is ~1,000 ha
MAX_WORKERS = 200_000
_MONEY = dict(kind="decimal", minimum=0)

TENANT_FIELDS: tuple[TenantField, ...] = (
    TenantField("certificate_no", "certificate", "Số GCNĐKĐT (mã số dự án)", "Investment registration certificate no.", 20),
    TenantField("certificate_on", "date", "Ngày cấp GCNĐKĐT lần đầu", "Certificate first issued on"),
    TenantField("name", "str", "Tên dự án", "Project name", 300),
    TenantField("investor", "str", "Nhà đầu tư", "Investor", 300),
    TenantField("country", "country", "Quốc tịch nhà đầu tư", "Investor's country"),
    TenantField("fdi", "bool", "Dự án FDI", "Foreign-invested (FDI)"),
    TenantField("zone_code", "zone", "Thuộc KCN/CCN (mã)", "Zone (code)", 80),
    TenantField("industry", "industry", "Ngành (VSIC 2018)", "Industry (VSIC 2018)"),
    TenantField("stage", "stage", "Giai đoạn", "Stage"),
    TenantField("capital_usd", label_vi="Vốn đăng ký (USD)", label_en="Registered capital (USD)", unit="USD",
                maximum=MAX_CAPITAL_USD, **_MONEY),  # type: ignore[arg-type]
    TenantField("capital_vnd", label_vi="Vốn đăng ký (đồng)", label_en="Registered capital (VND)", unit="đồng",
                maximum=MAX_CAPITAL_VND, **_MONEY),  # type: ignore[arg-type]
    TenantField("fx_rate", label_vi="Tỷ giá quy đổi (đồng/USD)", label_en="Exchange rate (VND per USD)", unit="đồng/USD",
                maximum=MAX_FX_RATE, **_MONEY),  # type: ignore[arg-type]
    TenantField("fx_rate_on", "date", "Ngày tỷ giá", "Exchange rate date"),
    TenantField("realised_capital", label_vi="Vốn đã thực hiện lũy kế (USD nếu FDI, đồng nếu trong nước)",
                label_en="Realised capital to date (USD if FDI, VND if domestic)", maximum=MAX_CAPITAL_VND,
                **_MONEY),  # type: ignore[arg-type]
    TenantField("leased_ha", "float", "Diện tích đất thuê (ha)", "Leased land (ha)", unit="ha", minimum=0, maximum=MAX_LEASED_HA),
    TenantField("workers_vn", "int", "Lao động Việt Nam", "Vietnamese workers", unit="người", minimum=0, maximum=MAX_WORKERS),
    TenantField("workers_foreign", "int", "Lao động nước ngoài", "Foreign workers", unit="người", minimum=0, maximum=MAX_WORKERS),
    TenantField("high_tech", "bool", "Công nghệ cao (T11)", "High-tech (T11)"),
    TenantField("digital_tech", "bool", "Ứng dụng công nghệ số, tự động hóa, AI (T9)", "Applies digital tech / automation / AI (T9)"),
    TenantField("note", "str", "Ghi chú", "Note", 10_000),
)
FIELDS_BY_NAME = {f.name: f for f in TENANT_FIELDS}
#: Needed when a project is first entered.
REQUIRED_ON_ADD = ("certificate_no", "certificate_on", "name", "zone_code", "stage")
#: GCNĐKĐT numbers: the 10-digit project code of certificates issued since the 2014 Investment Law,
#: or the 12-digit number of older investment certificates (spaces and dots are ignored).
CERTIFICATE_PATTERN = re.compile(r"^\d{10}(\d{2})?$")
#: Two amounts given in USD and VND must agree with the rate within this share (documents round).
FX_TOLERANCE = Decimal("0.005")


def tenant_field(name: str) -> TenantField:
    """The declaration of one field (InvalidValue listing the fields otherwise)."""
    try:
        return FIELDS_BY_NAME[name]
    except KeyError:
        raise InvalidValue(f"trường “{name}” không có; chọn / choose: {', '.join(FIELDS_BY_NAME)}") from None


def parse_certificate(text: str) -> str:
    """A certificate number as stored: digits only (spaces, dots, dashes removed), format checked."""
    digits = re.sub(r"[\s.\-]", "", nfc(str(text)))
    if not CERTIFICATE_PATTERN.match(digits):
        raise InvalidValue(f"số GCNĐKĐT “{text}”: cần 10 chữ số (mã số dự án) hoặc 12 chữ số (giấy chứng nhận đầu tư cũ) / "
                           "certificate number must be 10 or 12 digits")
    return digits


def parse_decimal(text: Any, *, label: str) -> Decimal | None:
    """An exact amount ("1.234.567,5", "2500000" or a number cell), by the one validation layer's rule."""
    from kcn_tracker.validation.numeric import parse_decimal as exact

    return exact(text, label=label)


def check_range(spec: TenantField, number: Any) -> Any:
    """``number`` itself, or InvalidValue when it is outside the field's declared range."""
    if number is None:
        return None
    unit = f" {spec.unit}" if spec.unit else ""
    if spec.minimum is not None and number < spec.minimum:
        raise InvalidValue(f"{spec.label}: không được âm / must not be negative ({number}{unit})")
    if spec.maximum is not None and number > spec.maximum:
        from kcn_tracker.text import format_number

        raise InvalidValue(f"{spec.label}: {format_number(number, decimals=2)}{unit} vượt quá mức hợp lý "
                           f"{format_number(spec.maximum, decimals=0)}{unit} / above the plausible maximum")
    return number


def parse_tenant_values(session: Session, raw: Mapping[str, Any]) -> dict[str, Any]:
    """User input (strings, Vietnamese numbers and dates, labels) to field values; every problem at once."""
    from kcn_tracker.tenants.catalogue import parse_country, parse_industry, parse_zone
    from kcn_tracker.validation.dates import parse_date
    from kcn_tracker.validation.numeric import parse_integer
    from kcn_tracker.validation.texts import clean_text, parse_bool
    from kcn_tracker.tenants.stages import parse_tenant_stage

    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, text in raw.items():
        spec = FIELDS_BY_NAME.get(name)
        if spec is None:
            problems.append(Problem(f"trường “{name}” không có; chọn / choose: {', '.join(FIELDS_BY_NAME)}", field=name))
            continue
        try:
            if text is None or (isinstance(text, str) and nfc(text) == ""):
                values[name] = None
            elif spec.kind == "decimal":
                values[name] = check_range(spec, parse_decimal(text, label=spec.label))
            elif spec.kind == "int":
                values[name] = check_range(spec, parse_integer(text, label=spec.label))
            elif spec.kind == "float":
                number = parse_decimal(text, label=spec.label)
                values[name] = check_range(spec, None if number is None else float(number))
            elif spec.kind == "date":
                values[name] = parse_date(text, label=spec.label)
            elif spec.kind == "bool":
                values[name] = parse_bool(text, label=spec.label)
            elif spec.kind == "stage":
                values[name] = parse_tenant_stage(str(text))
            elif spec.kind == "country":
                values[name] = parse_country(session, text)
            elif spec.kind == "industry":
                values[name] = parse_industry(session, text)
            elif spec.kind == "zone":
                values[name] = parse_zone(session, text)
            elif spec.kind == "certificate":
                values[name] = parse_certificate(text)
            else:
                values[name] = clean_text(text, label=spec.label, max_length=spec.max_length,
                                          multiline=spec.name == "note")
        except KcnError as exc:
            problems.append(Problem(exc.message, field=name))
    if problems:
        raise ValidationFailed(problems)
    return values


def to_json(name: str, value: Any) -> Any:
    """A field value as stored in an event: dates ISO, money as exact text."""
    if value is None:
        return None
    kind = FIELDS_BY_NAME[name].kind
    if kind == "date":
        return value.isoformat()
    if kind == "decimal":
        return format(Decimal(value).normalize(), "f")
    return value


def from_json(name: str, value: Any) -> Any:
    """A stored event value as the Python value of the column."""
    if value is None:
        return None
    kind = FIELDS_BY_NAME[name].kind if name in FIELDS_BY_NAME else "str"
    if kind == "date":
        return dt.date.fromisoformat(value)
    if kind == "decimal":
        return Decimal(str(value))
    return value


def implied_tenant_changes(current: Mapping[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """What an entry implies: FDI from the country; the other currency from the rate; a stale conversion dropped."""
    out = dict(values)
    if "country" in out and "fdi" not in out and current.get("fdi") is None and out["country"]:
        out["fdi"] = out["country"] != "VN"
    fdi = out.get("fdi", current.get("fdi"))
    native, other = ("capital_usd", "capital_vnd") if fdi else ("capital_vnd", "capital_usd")
    rate = out.get("fx_rate")
    if native in out and other not in out:
        if rate and out.get(native) is not None:
            converted = out[native] * rate if fdi else out[native] / rate
            out[other] = converted.quantize(Decimal(1) if fdi else Decimal("0.01"))
        elif current.get(other) is not None:
            out.update({other: None, "fx_rate": None, "fx_rate_on": None})  # the old conversion no longer holds
    return out


def state_problems(state: Mapping[str, Any], *, label: str) -> list[Problem]:
    """Rules on one state (JSON values): signs, capital in the right currency, a conversion with its rate and date."""
    problems = []
    for spec in TENANT_FIELDS:
        value = state.get(spec.name)
        if spec.kind in ("decimal", "float", "int") and value is not None and Decimal(str(value)) < 0:
            problems.append(Problem(f"{label}: {spec.label_vi} không được âm / must not be negative", field=spec.name))
    usd, vnd = (None if state.get(k) is None else Decimal(str(state[k])) for k in ("capital_usd", "capital_vnd"))
    rate = None if state.get("fx_rate") is None else Decimal(str(state["fx_rate"]))
    fdi = state.get("fdi")
    if fdi is True and vnd is not None and usd is None:
        problems.append(Problem(f"{label}: dự án FDI ghi vốn đăng ký bằng USD / FDI capital is registered in USD", field="capital_usd"))
    if fdi is False and usd is not None and vnd is None:
        problems.append(Problem(f"{label}: dự án trong nước ghi vốn đăng ký bằng đồng / domestic capital is registered in VND",
                                field="capital_vnd"))
    if usd is not None and vnd is not None:
        if rate is None or state.get("fx_rate_on") is None:
            problems.append(Problem(f"{label}: có vốn cả USD và đồng thì cần tỷ giá và ngày tỷ giá / both currencies need the "
                                    "exchange rate and its date", field="fx_rate"))
        elif rate > 0 and abs(vnd - usd * rate) > FX_TOLERANCE * max(vnd, Decimal(1)):
            problems.append(Problem(f"{label}: {vnd} đồng không khớp {usd} USD × tỷ giá {rate} / the two amounts do not agree "
                                    "with the rate", field="capital_vnd"))
    if rate is not None and state.get("fx_rate_on") is None:
        problems.append(Problem(f"{label}: tỷ giá cần ngày tỷ giá / the rate needs its date", field="fx_rate_on"))
    return problems


def tenant_timeline_problems(events: Iterable[Any], *, label: str) -> list[Problem]:
    """Every rule the timeline breaks (stage moves, state rules after each event), in time order."""
    from kcn_tracker.tenants.stages import check_tenant_move

    problems: list[Problem] = []
    state: dict[str, Any] = {}
    ordered = sorted(events, key=lambda e: (e.effective_on, e.id if e.id is not None else 10**18))
    registered_on = next((e.changes.get("certificate_on") for e in ordered if (e.changes or {}).get("certificate_on")), None)
    for index, event in enumerate(ordered):
        when = event.effective_on.strftime("%d/%m/%Y")
        if (index == 0 and "certificate_no" not in (event.changes or {})) or (
                registered_on and event.effective_on.isoformat() < registered_on):
            problems.append(Problem(f"{label}, {when}: trước khi dự án được cấp GCNĐKĐT ({registered_on or 'chưa rõ'}) / "
                                    "before the project was registered", field="effective_on"))
        new_stage = (event.changes or {}).get("stage")
        if new_stage is not None:
            try:
                check_tenant_move(state.get("stage"), new_stage, reason=event.note)
            except (InvalidTransition, InvalidValue) as exc:
                problems.append(Problem(f"{label}, {when}: {exc.message}", field="stage"))
        state.update(event.changes or {})
        problems.extend(state_problems(state, label=f"{label}, {when}"))
    return problems
