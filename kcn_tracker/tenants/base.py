"""Figures the office enters for indicators' denominators: dated (a year), cited, never constants in code."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from kcn_tracker import clock
from kcn_tracker.errors import InvalidValue
from kcn_tracker.history import current_user
from kcn_tracker.tenants.fields import parse_decimal
from kcn_tracker.tenants.indicators import BASE_KEYS
from kcn_tracker.tenants.models import BaseFigure
from kcn_tracker.workflow import DocumentRef, find_or_add_document


def set_base_figure(session: Session, key: str, value: str | Decimal, *, year: int, document: DocumentRef | None,
                    note: str | None = None, by: str | None = None, replace: bool = False) -> tuple[BaseFigure, Decimal | None]:
    """Enter (or correct) the figure ``key`` for ``year``; returns it and the value it replaced, if any.

    A document is required: the figure is only as good as its source. An existing
    figure for the year is replaced only with ``replace`` (a correction, said so).
    """
    if key not in BASE_KEYS:
        raise InvalidValue(f"chỉ số nền “{key}” không có; chọn / choose: {', '.join(BASE_KEYS)}")
    if document is None:
        raise InvalidValue("--doc: cần văn bản nguồn (vd. niên giám thống kê, báo cáo của Cục Thống kê) / a source document is required")
    if not 1990 <= year <= clock.today().year + 1:
        raise InvalidValue(f"--year {year}: năm không hợp lệ / invalid year")
    amount = parse_decimal(value, label=BASE_KEYS[key][0])
    if amount is None or amount <= 0:
        raise InvalidValue(f"{BASE_KEYS[key][0]}: cần số dương / needs a positive number")
    row = session.scalars(select(BaseFigure).where(BaseFigure.key == key, BaseFigure.year == year)).first()
    previous = row.value if row is not None else None
    if row is not None and not replace:
        raise InvalidValue(f"đã có số năm {year}: {previous} (dùng --replace để sửa) / a figure for {year} exists, use --replace")
    doc = find_or_add_document(session, document)
    if row is None:
        row = BaseFigure(key=key, year=year)
    row.value, row.note, row.document = amount, note, doc
    row.recorded_by, row.recorded_at = current_user(by), clock.now()
    session.add(row)
    session.flush()
    return row, previous
