"""Render a ``ReportContent`` as a Word document (python-docx): the format reports are sent in.

A4 landscape (the register tables are wide), Times New Roman (the usual face of
Vietnamese administrative documents, with every Vietnamese letter), headings,
captioned tables with a repeated header row, the charts and the map, and the page
number in the footer as a PAGE field so Word keeps it right after edits. The core
properties carry the generation time, so two runs on the same data differ only there.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from kcn_tracker.reports.content import Figure, Heading, Paragraph, ReportContent, Table, show

FONT = "Times New Roman"
NUMERIC = ("number", "int", "percent")


def _set_font(style: Any, size: float | None = None, *, bold: bool | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    style.font.name = FONT
    style.font.color.rgb = RGBColor(0, 0, 0)
    if size:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)  # a theme font would override the face on some styles


def _setup(document: Any) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    section.top_margin = section.bottom_margin = Cm(1.8)
    styles = document.styles
    _set_font(styles["Normal"], 12)
    for name, size in (("Title", 16), ("Heading 1", 14), ("Heading 2", 13), ("Caption", 11)):
        _set_font(styles[name], size, bold=True)
    styles["Caption"].font.italic = False
    _page_number_footer(section)


def _page_number_footer(section: Any) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("Trang ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"  # shown until Word updates the field
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def _cell(cell: Any, text: str, *, bold: bool = False, right: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.font.size = Pt(9.5)
    run.bold = bold or None
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _table(document: Any, table: Table) -> None:
    document.add_paragraph(table.title, style="Caption")
    if not table.rows:
        document.add_paragraph(table.empty_text)
        return
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    for cell, column in zip(grid.rows[0].cells, table.columns):
        _cell(cell, column.header, bold=True)
    _repeat_header(grid.rows[0])
    for values in table.rows:
        cells = grid.add_row().cells
        for cell, column, value in zip(cells, table.columns, values):
            _cell(cell, show(value, column.kind, table.missing_text), right=column.kind in NUMERIC)
    document.add_paragraph()


def _figure(document: Any, figure: Figure) -> None:
    from docx.shared import Cm

    if figure.png is None:
        document.add_paragraph(figure.missing_text).runs[0].italic = True
        return
    document.add_picture(io.BytesIO(figure.png), width=Cm(22))
    document.add_paragraph(figure.caption, style="Caption")


def build_docx(content: ReportContent) -> Any:
    """The python-docx ``Document`` of ``content``."""
    import docx

    document = docx.Document()
    _setup(document)
    document.add_paragraph(content.title, style="Title")
    for block in content.blocks:
        if isinstance(block, Heading):
            document.add_heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            paragraph = document.add_paragraph(block.text, style="List Bullet" if block.style == "bullet" else None)
            if block.style == "note":
                paragraph.runs[0].italic = True
        elif isinstance(block, Table):
            _table(document, block)
        elif isinstance(block, Figure):
            _figure(document, block)
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
