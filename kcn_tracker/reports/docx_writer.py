"""Render a ``ReportContent`` as a Word document (python-docx): the administrative report staff send.

The frame (page, header block, "Kính gửi", "Nơi nhận", signature) is ``docx_form``;
this module writes the body: headings kept with what follows, paragraphs with a
first-line indent, captioned tables with an STT column, a header row repeated on
every page and rows that never split across pages, pictures scaled to fit the
usable page (never cut), and the appendix in a landscape section after the
signature. The core properties carry the generation time, so two runs on the same
data differ only there.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
from pathlib import Path
from typing import Any

from kcn_tracker.reports.blocks import Closing, Figure, Heading, PageBreak, Paragraph, ReportContent, Table, show
from kcn_tracker.reports.docx_form import LANDSCAPE, PORTRAIT, closing_block, header_block, page_setup, setup, usable_cm

NUMERIC = ("number", "int", "percent")
#: The tallest a picture may be, as a share of the usable page height (room for its caption).
MAX_PICTURE_HEIGHT = 0.87
#: ... and never taller than this (the map picture is drawn 22 cm tall for a portrait page).
MAX_PICTURE_HEIGHT_CM = 22.0


def _table_row_flags(row: Any, *, header: bool) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))  # a row never breaks across pages
    if header:
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        properties.append(repeat)


def _cell(cell: Any, text: str, *, size: float, bold: bool = False, align: str = "left") -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.first_line_indent = Pt(0)
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT,
                           "center": WD_ALIGN_PARAGRAPH.CENTER}[align]
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold or None


def _shade(cell: Any, colour: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def column_widths(table: Table, usable: float, size: float = 11) -> list[float]:
    """Column widths in cm: STT 1.3 cm, dates 2.3 cm (dd/mm/yyyy on one line), the rest shared by the width
    hints, each at least as wide as the longest word of its header and of its numbers (never broken mid-word)."""
    from kcn_tracker.reports.pagination import CELL_PAD_CM, text_width_cm

    fixed = {i: 1.3 if c.header == "STT" else 2.3 for i, c in enumerate(table.columns) if c.header == "STT" or c.kind == "date"}
    weights = {i: max(c.width, 6) for i, c in enumerate(table.columns) if i not in fixed}
    rest = usable - sum(fixed.values())
    widths = {i: rest * weights[i] / sum(weights.values()) for i in weights}
    floor = {}
    for i in weights:
        column = table.columns[i]
        words = column.header.split() + ([show(row[i], column.kind) for row in table.rows] if column.kind in NUMERIC else [])
        floor[i] = max(text_width_cm(w, size, bold=True) for w in words) + CELL_PAD_CM + 0.15
    short = {i: floor[i] - widths[i] for i in widths if widths[i] < floor[i]}
    spare = {i: widths[i] - floor[i] for i in widths if widths[i] > floor[i]}
    if short and sum(spare.values()) > sum(short.values()):
        need, room = sum(short.values()), sum(spare.values())
        widths = {i: floor[i] if i in short else widths[i] - need * spare.get(i, 0) / room for i in widths}
    return [fixed.get(i) or widths[i] for i in range(len(table.columns))]


def _keep_with_next(paragraph: Any) -> None:
    paragraph.paragraph_format.keep_with_next = True


def _table(document: Any, table: Table, usable_width: float, size: float) -> None:
    from docx.shared import Cm

    caption = document.add_paragraph(table.title, style="Caption")
    if not table.rows:
        document.add_paragraph(table.empty_text, style="Body Text Indent KCN")
        return
    _keep_with_next(caption)
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.autofit = False
    widths = column_widths(table, usable_width, size)
    for column, width in zip(grid.columns, widths):
        column.width = Cm(width)
    for cell, column, width in zip(grid.rows[0].cells, table.columns, widths):
        cell.width = Cm(width)
        _cell(cell, column.header, size=size, bold=True, align="center")
        _shade(cell, "E7E6E6")
    _table_row_flags(grid.rows[0], header=True)
    for values in table.rows:
        row = grid.add_row()
        _table_row_flags(row, header=False)
        for cell, column, value, width in zip(row.cells, table.columns, values, widths):
            cell.width = Cm(width)
            align = "center" if column.header == "STT" else "right" if column.kind in NUMERIC else "left"
            _cell(cell, show(value, column.kind, table.missing_text), size=size, align=align)
    spacer = document.add_paragraph()
    spacer.paragraph_format.space_after = 0


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels from the PNG header."""
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def picture_width_cm(png: bytes, page: dict[str, float]) -> float:
    """The width that fits the picture inside the usable page: full width, or less for a tall picture."""
    usable_w, usable_h = usable_cm(page)
    width, height = png_size(png)
    return min(usable_w, min(usable_h * MAX_PICTURE_HEIGHT, MAX_PICTURE_HEIGHT_CM) * width / height)


def picture_size_cm(figure: Figure, page: dict[str, float]) -> tuple[float, float]:
    """(width, height) the figure's picture is drawn at: fitted to the page, times its scale."""
    width = picture_width_cm(figure.png, page) * figure.scale  # type: ignore[arg-type]
    w, h = png_size(figure.png)  # type: ignore[arg-type]
    return width, width * h / w


def _figure(document: Any, figure: Figure, page: dict[str, float]) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    if figure.png is None:
        document.add_paragraph(figure.missing_text, style="Body Text Indent KCN").runs[0].italic = True
        return
    document.add_picture(io.BytesIO(figure.png), width=Cm(picture_size_cm(figure, page)[0]))
    holder = document.paragraphs[-1]
    holder.alignment = WD_ALIGN_PARAGRAPH.CENTER
    holder.paragraph_format.first_line_indent = Cm(0)
    _keep_with_next(holder)
    caption = document.add_paragraph(figure.caption, style="Caption")
    # The Caption style keeps a table's caption with its table; a figure's caption, below the figure, must
    # not chain the figure to what follows (two figures in a row would move as one block and leave a page empty).
    caption.paragraph_format.keep_with_next = False


def _paragraph(document: Any, block: Paragraph) -> None:
    from docx.shared import Pt

    text = f"- {block.text}" if block.style == "bullet" else block.text
    paragraph = document.add_paragraph(text, style="Body Text Indent KCN")
    if block.style == "note":
        paragraph.runs[0].italic = True
        paragraph.runs[0].font.size = Pt(12)


def _appendix_section(document: Any) -> dict[str, float]:
    from docx.enum.section import WD_SECTION

    section = document.add_section(WD_SECTION.NEW_PAGE)
    page_setup(section, LANDSCAPE)
    section.different_first_page_header_footer = False
    return LANDSCAPE


def build_docx(content: ReportContent) -> Any:
    """The python-docx ``Document`` of ``content``."""
    import docx

    from kcn_tracker.reports.pagination import arrange, starts_page

    document = docx.Document()
    setup(document)
    header_block(document, content)
    page, appendix, previous = PORTRAIT, False, None
    for block in arrange(content):  # figures placed where they fit (reports.pagination)
        if isinstance(block, Heading):
            paragraph = document.add_heading(block.text, level=block.level)
            if appendix and block.level == 1:
                from docx.enum.text import WD_ALIGN_PARAGRAPH

                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            # each part of the appendix starts a page (the first one starts the landscape section)
            paragraph.paragraph_format.page_break_before = starts_page(block, appendix=appendix) and not isinstance(
                previous, PageBreak) or None
        elif isinstance(block, Paragraph):
            _paragraph(document, block)
        elif isinstance(block, Table):
            _table(document, block, usable_cm(page)[0], 11 if not appendix else 10)
        elif isinstance(block, Figure):
            _figure(document, block, page)
        elif isinstance(block, Closing):
            closing_block(document, content)
        elif isinstance(block, PageBreak):
            page, appendix = _appendix_section(document), True
        previous = block
    _properties(document, content)
    return document


def _properties(document: Any, content: ReportContent) -> None:
    props = document.core_properties
    stamp = content.generated_at.astimezone(dt.timezone.utc).replace(tzinfo=None) if content.generated_at.tzinfo else content.generated_at
    props.title = content.title
    props.subject = f"Kỳ báo cáo {content.period.key}"
    props.author = props.last_modified_by = "kcn-tracker"
    props.created = props.modified = props.last_printed = stamp
    props.revision = 1
    props.comments = ""
    props.keywords = "KCN; CCN; QHĐ VIII; Khánh Hòa"


def write_docx(content: ReportContent, path: Path) -> list[Path]:
    """Write the .docx; returns the files written."""
    build_docx(content).save(str(path))
    return [path]
