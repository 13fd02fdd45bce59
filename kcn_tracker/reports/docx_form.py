"""The administrative frame of the Word report (Nghị định 30/2020/NĐ-CP, Phụ lục I).

Page set-up (A4, margins 20/20/30/15 mm, Times New Roman 14 pt, page number centred
in the header from page 2), the header block (agency and superior | quốc hiệu and
tiêu ngữ, number, place and date), the title and "Kính gửi", and the closing block
("Nơi nhận" | signature). python-docx is imported inside the functions.
"""

from __future__ import annotations

from typing import Any

from kcn_tracker.reports.blocks import ReportContent

FONT = "Times New Roman"
BODY_PT = 14
#: Usable width of the portrait page: 21 cm - 3 cm - 1.5 cm.
PORTRAIT = {"width": 21.0, "height": 29.7, "top": 2.0, "bottom": 2.0, "left": 3.0, "right": 1.5}
#: The appendix is landscape (wide tables), margins turned with the page.
LANDSCAPE = {"width": 29.7, "height": 21.0, "top": 3.0, "bottom": 1.5, "left": 2.0, "right": 2.0}


def usable_cm(page: dict[str, float]) -> tuple[float, float]:
    """(width, height) inside the margins, in cm."""
    return page["width"] - page["left"] - page["right"], page["height"] - page["top"] - page["bottom"]


def set_font(style: Any, size: float | None = None, *, bold: bool | None = None, italic: bool | None = None) -> None:
    """Times New Roman on every script slot of a style (a theme font would override the face)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    style.font.name = FONT
    style.font.color.rgb = RGBColor(0, 0, 0)
    if size:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    if italic is not None:
        style.font.italic = italic
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)


def page_setup(section: Any, page: dict[str, float]) -> None:
    """Size, orientation and margins of a section."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    section.orientation = WD_ORIENT.LANDSCAPE if page["width"] > page["height"] else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(page["width"]), Cm(page["height"])
    section.top_margin, section.bottom_margin = Cm(page["top"]), Cm(page["bottom"])
    section.left_margin, section.right_margin = Cm(page["left"]), Cm(page["right"])
    section.header_distance = Cm(1.0)


def setup(document: Any) -> None:
    """A4 portrait, the styles (body 14 pt justified, first-line indent; headings kept with the next paragraph)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    section = document.sections[0]
    page_setup(section, PORTRAIT)
    styles = document.styles
    normal = styles["Normal"]
    set_font(normal, BODY_PT)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.0
    normal.paragraph_format.widow_control = True
    body = styles.add_style("Body Text Indent KCN", 1)
    body.base_style = normal
    body.paragraph_format.first_line_indent = Cm(1.0)
    for name in ("Heading 1", "Heading 2", "Caption"):
        style = styles[name]
        set_font(style, BODY_PT if name != "Caption" else 12, bold=True, italic=False)
        fmt = style.paragraph_format
        fmt.keep_with_next = True
        fmt.space_before = Pt(6 if name != "Caption" else 6)
        fmt.space_after = Pt(6 if name != "Caption" else 3)
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER if name == "Caption" else WD_ALIGN_PARAGRAPH.LEFT
        if name != "Caption":
            fmt.first_line_indent = Cm(1.0)
    page_number_header(section)


def _field(paragraph: Any, instruction: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"  # shown until the field is updated
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def page_number_header(section: Any) -> None:
    """The page number centred in the header, not on the first page (NĐ 30)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(paragraph, "PAGE")


def short_rule(container: Any, width_cm: float, column_cm: float) -> Any:
    """A thin centred line ``width_cm`` long under the previous paragraph (under agency name, tiêu ngữ, subject).

    Drawn as the bottom border of an empty 2 pt paragraph indented from both sides,
    so the text above keeps its full width.
    """
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    side = max(0.0, (column_cm - width_cm) / 2)
    fmt.left_indent, fmt.right_indent, fmt.first_line_indent = Cm(side), Cm(side), Cm(0)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(2)
    paragraph.add_run("").font.size = Pt(2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)
    return paragraph


def line(cell_or_doc: Any, text: str, *, size: float = BODY_PT, bold: bool = False, italic: bool = False,
         center: bool = True, first: bool = False, after: float = 0) -> Any:
    """One formatted line (in a table cell or the document); returns the paragraph."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = cell_or_doc.paragraphs[0] if first else cell_or_doc.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(after)
    paragraph.paragraph_format.first_line_indent = Pt(0)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold or None
    run.italic = italic or None
    return paragraph


def borderless(document: Any, widths_cm: tuple[float, float]) -> Any:
    """A two-column table without borders (header and signature blocks)."""
    from docx.shared import Cm

    table = document.add_table(rows=1, cols=2)
    table.autofit = False
    for cell, width in zip(table.rows[0].cells, widths_cm):
        cell.width = Cm(width)
    for column, width in zip(table.columns, widths_cm):
        column.width = Cm(width)
    return table


def header_block(document: Any, content: ReportContent) -> None:
    """Agency | quốc hiệu, tiêu ngữ; number | place and date; then the title, subject and "Kính gửi"."""
    from docx.shared import Cm, Pt

    settings = content.settings
    width = usable_cm(PORTRAIT)[0]
    left_w, right_w = 6.8, width - 6.8
    table = borderless(document, (left_w, right_w))
    left, right = table.rows[0].cells
    line(left, settings.superior.upper(), size=13, first=True)
    line(left, settings.agency.upper(), size=13, bold=True)
    short_rule(left, 2.5, left_w)
    line(left, content.number_line, size=13).paragraph_format.space_before = Pt(6)
    line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12.5, bold=True, first=True)
    line(right, "Độc lập - Tự do - Hạnh phúc", size=13.5, bold=True)
    short_rule(right, 5.9, right_w)
    line(right, content.place_date_line, size=14, italic=True).paragraph_format.space_before = Pt(6)
    title = line(document, "BÁO CÁO", size=14, bold=True)
    title.paragraph_format.space_before = Pt(18)
    title.paragraph_format.keep_with_next = True
    subject = line(document, content.subject, size=14, bold=True)
    subject.paragraph_format.keep_with_next = True
    short_rule(document, 3.5, width)
    recipients = content.settings.recipients
    if len(recipients) == 1:
        line(document, f"Kính gửi: {recipients[0]}.", after=12).paragraph_format.space_before = Pt(12)
    else:
        line(document, "Kính gửi:", after=0).paragraph_format.space_before = Pt(12)
        for index, name in enumerate(recipients):
            item = line(document, f"- {name}{'.' if index == len(recipients) - 1 else ';'}", center=False,
                        after=12 if index == len(recipients) - 1 else 0)
            item.paragraph_format.left_indent = Cm(4.5)


def closing_block(document: Any, content: ReportContent) -> None:
    """"Nơi nhận" (left, 12/11 pt) and the signature block (right): authority, title, space to sign, name."""
    settings = content.settings
    width = usable_cm(PORTRAIT)[0]
    table = borderless(document, (width / 2, width / 2))
    left, right = table.rows[0].cells
    line(left, "Nơi nhận:", size=12, bold=True, italic=True, center=False, first=True)
    copies = settings.copies or ["Lưu: VT"]
    for index, copy in enumerate(copies):
        line(left, f"- {copy}{'.' if index == len(copies) - 1 else ';'}", size=11, center=False)
    first = True
    for text in (settings.signer_authority, settings.signer_title):
        if text:
            line(right, text.upper(), size=14, bold=True, first=first)
            first = False
    for _ in range(4):
        line(right, "", size=14)
    line(right, settings.signer_name or "", size=14, bold=True)
    row = table.rows[0]._tr
    _cant_split(row)


def _cant_split(tr: Any) -> None:
    from docx.oxml import OxmlElement

    tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
