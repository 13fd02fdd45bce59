"""The pieces a report is made of (headings, paragraphs, tables, figures, header, closing).

Plain dataclasses that every renderer (docx, xlsx, md, html) formats alike, plus
``show``: how a value reads in a cell (Vietnamese numbers, dd/mm/yyyy, "—").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kcn_tracker.periods import Period
from kcn_tracker.text import format_date, format_number

if TYPE_CHECKING:
    from kcn_tracker.reports.settings import ReportSettings

NO_DATA = "chưa có số liệu"
#: Column kinds: how a renderer shows (and Excel stores) a value.
KINDS = ("text", "number", "int", "percent", "date", "auto")


@dataclass(frozen=True)
class Column:
    """A table column: Vietnamese header, value kind, and a width hint (characters)."""

    header: str
    kind: str = "text"
    width: int = 14


STT = Column("STT", "int", 5)


@dataclass
class Table:
    """One table: ``key`` names its Excel sheet; rows hold plain values (None = unknown).

    Every table is numbered (an "STT" first column, as Vietnamese administrative
    tables are) unless ``numbered`` is False.
    """

    key: str
    title: str
    columns: list[Column]
    rows: list[list[Any]]
    empty_text: str = "Không có."
    missing_text: str = "—"  # how an unknown cell reads ("chưa có số liệu" for occupancy)
    numbered: bool = True

    def __post_init__(self) -> None:
        if self.numbered and (not self.columns or self.columns[0] is not STT):
            self.columns = [STT, *self.columns]
            self.rows = [[index, *row] for index, row in enumerate(self.rows, 1)]


@dataclass
class Heading:
    """A section heading: level 1 "I. KẾT QUẢ …", level 2 "1. Về nguồn điện"."""

    text: str
    level: int = 1


@dataclass
class Paragraph:
    text: str
    style: str = "normal"  # normal | note | bullet


@dataclass
class Figure:
    """A picture (PNG bytes), or None with the sentence saying why it is missing."""

    key: str
    caption: str
    png: bytes | None = field(repr=False)
    missing_text: str = ""
    #: The Word report draws the picture at ``scale`` of the size that fits its page; it may shrink it down
    #: to ``min_scale`` to fit what is left of a page (``reports.pagination``).
    scale: float = 1.0
    min_scale: float = 1.0


@dataclass
class Closing:
    """Where the body ends: "Nơi nhận" and the signature block; what follows is the appendix."""


@dataclass
class PageBreak:
    """Start the next block on a new page (docx; other formats ignore it)."""


Block = Heading | Paragraph | Table | Figure | Closing | PageBreak


@dataclass
class ReportContent:
    """Everything a report shows, in order; ``generated_at`` is its only timestamp."""

    period: Period
    title: str
    generated_at: dt.datetime
    settings: ReportSettings
    subject: str = ""
    blocks: list[Block] = field(default_factory=list)

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def figures(self) -> list[Figure]:
        return [b for b in self.blocks if isinstance(b, Figure)]

    @property
    def generated_line(self) -> str:
        """The one line that differs between two runs on the same data."""
        return f"Thời điểm tạo báo cáo: {self.generated_at:%d/%m/%Y %H:%M:%S}"

    @property
    def number_line(self) -> str:
        """"Số:      /BC-KKTKCN": the number is given by the records office when the report is issued."""
        return f"Số:        /{self.settings.number_suffix}"

    @property
    def place_date_line(self) -> str:
        """"Khánh Hòa, ngày 01 tháng 7 năm 2026" (NĐ 30: day below 10 and months 1–2 written with a leading 0)."""
        day = self.generated_at.date()
        month = f"{day.month:02d}" if day.month < 3 else str(day.month)
        return f"{self.settings.place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def show(value: Any, kind: str, missing: str = "—") -> str:
    """A cell as people read it: Vietnamese numbers (8.517,4), dates dd/mm/yyyy, "—" for unknown."""
    if value is None or value == "":
        return missing
    if kind == "percent":
        return f"{format_number(value * 100, decimals=1)} %"
    if kind == "date" or isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, bool):
        return "có" if value else "không"
    if kind in ("number", "int", "auto") and isinstance(value, (int, float)):
        return format_number(value, decimals=0 if kind == "int" else 1)
    return str(value)
