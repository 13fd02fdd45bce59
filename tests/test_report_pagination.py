"""The Word report's figure placement (reports.pagination): measured blocks, figures where they fit.

LibreOffice and Word move a picture that does not fit to the next page and leave the rest of
the page white; the report places its figures itself. These tests run without LibreOffice;
tests/test_report_pdf.py checks the pages LibreOffice draws."""

from __future__ import annotations

import io

from PIL import Image

from kcn_tracker.reports.blocks import Closing, Figure, Heading, Paragraph, Table, Column
from kcn_tracker.reports.docx_form import LANDSCAPE, PORTRAIT, usable_cm
from kcn_tracker.reports.pagination import (Cursor, SLACK_CM, block_units, figure_height, line_count, place_figures,
                                            text_width_cm)

TEXT = "Công suất điện đưa vào khai thác giai đoạn 2025 - 2030 đã đạt một phần chỉ tiêu của tỉnh; " * 3


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, "PNG")
    return out.getvalue()


def _at(blocks, key):
    """Where the figure ``key`` is (a shrunk figure is a copy with another scale)."""
    return next(i for i, b in enumerate(blocks) if isinstance(b, Figure) and b.key == key)


def _kinds(blocks):
    return ["F" if isinstance(b, Figure) else "H" if isinstance(b, Heading) else "P" if isinstance(b, Paragraph) else "C"
            for b in blocks]


def test_text_is_measured_in_times_new_roman():
    assert 0.2 < text_width_cm("m", 14) < 0.4 and text_width_cm("mm", 14) > text_width_cm("ii", 14)
    assert line_count("một hai ba", 100, 14) == 1 and line_count(TEXT, 16.5, 14) >= 4
    assert line_count("a\nb", 100, 14) == 2
    assert line_count("Khánhhòaaaaaaaaaaaaaaaaaaaaaaaaa", 1.0, 11) > 3  # a word wider than the column breaks


def test_a_figure_that_fits_stays_in_place():
    figure = Figure("f", "Hình 1. x", _png(1600, 800))
    blocks = [Paragraph(TEXT), figure, Paragraph(TEXT), Closing()]
    assert place_figures(blocks, PORTRAIT) == blocks


def test_a_figure_that_does_not_fit_follows_the_text_after_it():
    """Near the page's end, a map-sized picture waits: the paragraphs after it fill the page, it opens the next."""
    usable = usable_cm(PORTRAIT)[1]
    figure = Figure("ban-do", "Hình 2. Bản đồ", _png(750, 1000), min_scale=0.8)
    blocks = [Paragraph(TEXT), figure, *[Paragraph(TEXT) for _ in range(12)], Closing()]
    placed = place_figures(blocks, PORTRAIT, start_cm=usable - 8)
    at = _at(placed, "ban-do")
    assert 1 < at < 13 and _kinds(placed).count("F") == 1 and isinstance(placed[-1], Closing)
    cursor = Cursor(usable, used=usable - 8)  # replay: the figure starts near the top of a page
    for block in placed[:at]:
        cursor.add(block_units(block, PORTRAIT))
    cursor.flush()
    assert cursor.page == 2 and cursor.used < 8 and cursor.used + figure_height(figure, PORTRAIT) <= usable


def test_a_chart_shrinks_to_the_rest_of_its_page():
    usable = usable_cm(PORTRAIT)[1]
    chart = Figure("bieu-do", "Hình 1. Biểu đồ", _png(1600, 1000), min_scale=0.6)
    full = figure_height(chart, PORTRAIT)
    start = usable - SLACK_CM - full * 0.8  # 80 % of the chart fits
    placed = place_figures([Paragraph("x"), chart, Paragraph(TEXT), Closing()], PORTRAIT, start_cm=start)
    shrunk = next(b for b in placed if isinstance(b, Figure))
    assert placed.index(shrunk) == 1 and 0.6 <= shrunk.scale < 0.9


def test_a_figure_never_leaves_its_section():
    """Waiting figures go before the next level-1 heading (each PHỤ LỤC starts a page), on a page of their own."""
    usable = usable_cm(LANDSCAPE)[1]
    figures = [Figure(k, f"Hình {k}", _png(1600, 1100), min_scale=0.6) for k in ("PL1", "PL2")]
    rows = [[f"ma-{i}", "Nhà máy điện mặt trời", 12.5] for i in range(8)]
    table = Table("t", "Bảng PL1.10. Dự án", [Column("Mã", width=20), Column("Tên", width=30), Column("MW", "number", 10)], rows)
    blocks = [Heading("PHỤ LỤC I. SỐ LIỆU"), table, *figures, table, Heading("PHỤ LỤC II. DANH MỤC"), table]
    placed = place_figures(blocks, LANDSCAPE, start_cm=usable - 4, appendix=True)
    assert sorted(_kinds(placed)) == sorted(_kinds(blocks))
    assert placed.index(blocks[1]) < _at(placed, "PL1") < _at(placed, "PL2") < placed.index(blocks[-2])
