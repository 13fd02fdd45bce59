"""Where the Word report's pages will break, estimated, so that a figure goes where it fits.

Word and LibreOffice keep an inline picture whole: one that does not fit under the text
moves to the next page and leaves the rest of the page empty, and neither lets the text
after a floating picture fill that gap (LibreOffice moves the anchor paragraph with the
picture). So the report places its figures itself, as typesetters do: the blocks are
measured (Times New Roman metrics, the widths and sizes ``docx_writer`` uses), pages are
filled in order, and a figure that does not fit in what is left of its page is either
shrunk to that space (down to its ``Figure.min_scale``) or moved after the text that
follows it, at the latest to the top of the next page, so that text fills the gap.

The measure is an estimate (line breaks of justified text, cell wrapping), so every
decision keeps ``SLACK_CM`` in reserve. Pillow measures the text with Liberation Serif
or Times New Roman when one is installed, an average glyph width otherwise.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from typing import Any

from kcn_tracker.reports.blocks import Closing, Figure, Heading, PageBreak, Paragraph, Table, show

PT_CM = 2.54 / 72
#: Line height of Times New Roman "single" spacing, as a multiple of the font size (ascent + descent + gap).
LINE_EM = 1.15
#: The share of a narrow table cell's width that wrapping fills on average (measured on LibreOffice's PDF).
CELL_FILL = 0.92
#: Cell padding of a Word table (left + right, cm) and its borders' share of a row's height.
CELL_PAD_CM, ROW_EXTRA_CM = 0.38, 0.02
#: Kept in reserve for the estimate's error when deciding that something fits.
SLACK_CM = 1.2
#: Average advance of a Times New Roman glyph (em) when no font file is found.
AVERAGE_EM = 0.47
_FONTS = {False: ("LiberationSerif-Regular.ttf", "times.ttf", "Times New Roman.ttf"),
          True: ("LiberationSerif-Bold.ttf", "timesbd.ttf", "Times New Roman Bold.ttf")}


@functools.cache
def _font(bold: bool) -> Any:
    try:
        from PIL import ImageFont
    except ImportError:
        return None
    for name in _FONTS[bold]:
        try:
            return ImageFont.truetype(name, 100)
        except OSError:
            continue
    for folder in ("/usr/share/fonts/truetype/liberation2", "/usr/share/fonts/truetype/liberation", "C:/Windows/Fonts"):
        for name in _FONTS[bold]:
            try:
                return ImageFont.truetype(f"{folder}/{name}", 100)
            except OSError:
                continue
    return None


def text_width_cm(text: str, size_pt: float, *, bold: bool = False) -> float:
    """The printed width of ``text`` in Times New Roman at ``size_pt``."""
    font = _font(bold)
    em = font.getlength(text) / 100 if font is not None else AVERAGE_EM * len(text)
    return em * size_pt * PT_CM


def line_count(text: str, width_cm: float, size_pt: float, *, bold: bool = False, first_indent_cm: float = 0.0,
               fill: float = 1.0) -> int:
    """Lines ``text`` takes when wrapped at word boundaries in ``width_cm`` (explicit line breaks kept); a line
    of several words is taken as full at ``fill`` of the width."""
    total = 0
    space = text_width_cm(" ", size_pt, bold=bold)
    for part in (text or "").split("\n"):
        lines, used, room = 1, 0.0, width_cm - first_indent_cm
        for word in part.split():
            w = text_width_cm(word, size_pt, bold=bold)
            if used and used + space + w > room * fill:
                lines, used, room = lines + 1, 0.0, width_cm
            while w > room:  # a word wider than the column is broken across lines
                lines, w, room = lines + 1, w - room, width_cm
            used += (space if used else 0) + w
        total += lines
    return total


def line_cm(size_pt: float) -> float:
    return size_pt * LINE_EM * PT_CM


@dataclass(frozen=True)
class Unit:
    """A piece that cannot be cut by a page break: a line of text, a table row, a picture.

    ``keep`` chains the unit to the next (a heading to its text, a caption to its table's
    first row, the first line of a paragraph to its second); ``repeat`` is the height of a
    table's header row, drawn again at the top of a continuation page.
    """

    height: float
    keep: bool = False
    repeat: float = 0.0


def _paragraph_units(text: str, width: float, size: float, *, indent: float, before: float, after: float,
                     keep_with_next: bool = False, bold: bool = False) -> list[Unit]:
    n = line_count(text, width, size, bold=bold, first_indent_cm=indent)
    h = line_cm(size)
    units = [Unit(h + (before if i == 0 else 0) + (after if i == n - 1 else 0),
                  keep=keep_with_next or i == 0 and n > 1 or i == n - 2) for i in range(n)]
    return units  # widow/orphan control: two lines at least on each side of a break


def _row_height(cells: list[str], widths: list[float], size: float, *, bold: bool = False) -> float:
    lines = max(line_count(text, max(0.5, w - CELL_PAD_CM), size, bold=bold, fill=CELL_FILL) for text, w in zip(cells, widths))
    return lines * line_cm(size) + ROW_EXTRA_CM


def block_units(block: Any, page: dict[str, float], *, appendix: bool = False) -> list[Unit]:
    """The units of one report block as ``docx_writer`` writes it on ``page``."""
    from kcn_tracker.reports.docx_form import BODY_PT, usable_cm
    from kcn_tracker.reports.docx_writer import column_widths, picture_size_cm

    width = usable_cm(page)[0]
    if isinstance(block, Heading):
        # its 6 pt above merge with the 6 pt under the paragraph before it (the larger of the two is used)
        return _paragraph_units(block.text, width, BODY_PT, indent=1.0, before=0, after=6 * PT_CM,
                                keep_with_next=True, bold=True)
    if isinstance(block, Paragraph):
        size = 12 if block.style == "note" else BODY_PT
        text = f"- {block.text}" if block.style == "bullet" else block.text
        return _paragraph_units(text, width, size, indent=1.0, before=0, after=6 * PT_CM)
    if isinstance(block, Table):
        caption = _paragraph_units(block.title, width, 12, indent=0, before=6 * PT_CM, after=3 * PT_CM,
                                   keep_with_next=True, bold=True)
        if not block.rows:
            return caption + _paragraph_units(block.empty_text, width, BODY_PT, indent=1.0, before=0, after=6 * PT_CM)
        size = 10 if appendix else 11
        widths = column_widths(block, width, size)
        header = _row_height([c.header for c in block.columns], widths, size, bold=True)
        rows = [Unit(header, keep=True)]
        rows += [Unit(_row_height([show(v, c.kind, block.missing_text) for c, v in zip(block.columns, values)], widths, size),
                      repeat=header) for values in block.rows]
        return caption + rows + [Unit(line_cm(BODY_PT))]  # the spacer paragraph after the table
    if isinstance(block, Figure):
        if block.png is None:
            return _paragraph_units(block.missing_text, width, BODY_PT, indent=1.0, before=0, after=6 * PT_CM)
        _w, h = picture_size_cm(block, page)
        caption = _paragraph_units(block.caption, width, 12, indent=0, before=6 * PT_CM, after=3 * PT_CM, bold=True)
        return [Unit(h + 6 * PT_CM + sum(u.height for u in caption))]
    return []


@dataclass
class Cursor:
    """The fill of the current page (cm of the usable height), fed unit by unit.

    Units chained by ``keep`` are held back until the chain ends, then moved to a new page
    together when they do not fit (a chain taller than a page breaks where it must).
    """

    height: float
    used: float = 0.0
    page: int = 1
    pending: list[Unit] = field(default_factory=list)

    @property
    def left(self) -> float:
        return self.height - self.used - sum(u.height for u in self.pending)

    def add(self, units: list[Unit]) -> None:
        for unit in units:
            self.pending.append(unit)
            if not unit.keep:
                self.flush()

    def flush(self) -> None:
        chain, self.pending = self.pending, []
        if not chain:
            return
        total = sum(u.height for u in chain)
        if self.used > chain[0].repeat and total > self.height - self.used:
            if total <= self.height - chain[0].repeat:
                self.new_page(chain[0].repeat)
        for unit in chain:
            if self.used > unit.repeat and unit.height > self.height - self.used:
                self.new_page(unit.repeat)
            self.used += unit.height

    def new_page(self, used: float = 0.0) -> None:
        self.page, self.used = self.page + 1, used


def figure_height(figure: Figure, page: dict[str, float]) -> float:
    return sum(u.height for u in block_units(figure, page))


def starts_page(block: Any, *, appendix: bool) -> bool:
    """Each part of the appendix (PHỤ LỤC I, II…) starts on a new page; ``docx_writer`` breaks the page there."""
    return appendix and isinstance(block, Heading) and block.level == 1


def place_figures(blocks: list[Any], page: dict[str, float], *, start_cm: float = 0.0, appendix: bool = False) -> list[Any]:
    """``blocks`` (up to a page break or the closing; the rest follows unchanged) with each figure where it fits:
    in place, shrunk to the rest of its page, or after the text that follows it (at the latest at the top of
    the next page), so that text, not white space, fills the page under the block before it. A figure of the
    appendix never leaves its part: it is placed before the next PHỤ LỤC, on a page of its own if need be."""
    from kcn_tracker.reports.docx_form import usable_cm

    cursor = Cursor(usable_cm(page)[1], used=start_cm)
    out: list[Any] = []
    waiting: list[Figure] = []
    for index, block in enumerate(blocks):
        if isinstance(block, (PageBreak, Closing)):
            _release(waiting, cursor, out, page, force=True)
            return out + blocks[index:]
        if isinstance(block, Figure) and block.png is not None:
            waiting = _release([*waiting, block], cursor, out, page)
            continue
        units = block_units(block, page, appendix=appendix)
        if isinstance(block, Heading) and waiting:
            cursor.flush()
            part_ends = starts_page(block, appendix=appendix)
            if part_ends or sum(u.height for u in units) + 2 * line_cm(14) > cursor.left:
                if cursor.left - SLACK_CM < min(figure_height(f, page) * f.min_scale for f in waiting):
                    cursor.new_page()  # the heading would open the next page: the figures go first
                waiting = _release(waiting, cursor, out, page, force=part_ends)
        if starts_page(block, appendix=appendix) and out:
            cursor.flush()
            cursor.new_page()
        out.append(block)
        cursor.add(units)
        waiting = _release(waiting, cursor, out, page)
    _release(waiting, cursor, out, page, force=True)
    return out


def _release(waiting: list[Figure], cursor: Cursor, out: list[Any], page: dict[str, float], *,
             force: bool = False) -> list[Figure]:
    """Place the waiting figures, in order, while they fit what is left of the page (shrunk if they may be);
    ``force``: all of them, each that does not fit at the top of a new page."""
    if not waiting:
        return waiting
    cursor.flush()
    while waiting:
        figure, height = waiting[0], figure_height(waiting[0], page)
        room = cursor.left - SLACK_CM
        if height > room and figure.min_scale * height <= room:
            figure = replace(figure, scale=figure.scale * room / height)
            height = figure_height(figure, page)
        elif height > room:
            if not force and cursor.used > 0.1:
                return waiting
            if cursor.used > 0.1:
                cursor.new_page()
        out.append(figure)
        cursor.add([Unit(height)])
        waiting = waiting[1:]
    return waiting


def header_cm(content: Any) -> float:
    """The height of ``docx_form.header_block``: agency | quốc hiệu table, title, subject, "Kính gửi"."""
    from kcn_tracker.reports.docx_form import BODY_PT, PORTRAIT, usable_cm

    width = usable_cm(PORTRAIT)[0]
    settings = content.settings
    cells = (width - 6.8, 6.8)

    def lines(text: str, size: float, column: float, bold: bool = False) -> float:
        return line_count(text, column - CELL_PAD_CM, size, bold=bold) * line_cm(size)

    left = lines(settings.superior.upper(), 13, cells[1]) + lines(settings.agency.upper(), 13, cells[1], True) \
        + 0.1 + 6 * PT_CM + lines(content.number_line, 13, cells[1])
    right = lines("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12.5, cells[0], True) + lines("Độc lập - Tự do - Hạnh phúc", 13.5, cells[0], True) \
        + 0.1 + 6 * PT_CM + lines(content.place_date_line, 14, cells[0])
    recipients = settings.recipients
    greeting = (12 + 12) * PT_CM + (line_cm(BODY_PT) * (1 + len(recipients)) if len(recipients) > 1 else
                                    line_count(f"Kính gửi: {recipients[0] if recipients else ''}.", width, BODY_PT) * line_cm(BODY_PT))
    return max(left, right) + 18 * PT_CM + line_cm(BODY_PT) + lines(content.subject, BODY_PT, width, True) + 0.1 + greeting


def arrange(content: Any) -> list[Any]:
    """The report's blocks in the order the Word document draws them: figures placed in the portrait body
    (after the header block) and in the landscape appendix (after the page break)."""
    from kcn_tracker.reports.docx_form import LANDSCAPE, PORTRAIT

    blocks = content.blocks
    cut = next((i for i, b in enumerate(blocks) if isinstance(b, PageBreak)), len(blocks))
    body = place_figures(blocks[:cut], PORTRAIT, start_cm=header_cm(content))
    return body + blocks[cut:cut + 1] + place_figures(blocks[cut + 1:], LANDSCAPE, appendix=True)
