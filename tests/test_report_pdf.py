"""The Word report as people see it: converted to PDF by LibreOffice, then measured page by page.

A4 portrait body and landscape appendix; no word outside the margins (NĐ 30: top and
bottom 20 mm, left 30 mm, right 15 mm; the page number alone sits in the header);
pictures fit inside the usable page; no heading or table caption left alone at the
bottom of a page; "Nơi nhận" and the signature on the same page, before the appendix.
Needs LibreOffice (soffice) and poppler-utils (pdftotext), which scripts/test.sh installs.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from kcn_tracker.db import make_engine, session_scope
from kcn_tracker.periods import parse_period

PT_PER_CM = 72 / 2.54
TOLERANCE_PT = 3.0


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        message = f"{name} is needed to check the Word report's pages (scripts/test.sh installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@dataclass
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass
class Page:
    width: float
    height: float
    words: list[Word]

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def pdf_pages(pdf: Path) -> list[Page]:
    """Every page with its words and their boxes (pdftotext -bbox)."""
    out = subprocess.run([_tool("pdftotext"), "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for match in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        words = [Word(html.unescape(m.group(5)), *map(float, m.group(1, 2, 3, 4))) for m in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', match.group(3))]
        pages.append(Page(float(match.group(1)), float(match.group(2)), words))
    return pages


@pytest.fixture(scope="module")
def report(tmp_path_factory, bundled_sqlite):
    """The bundled register's 2025-Q3 report (charts and map included) as .docx and .pdf."""
    from kcn_tracker.reports.content import build_content, write_report

    soffice = _tool("soffice")
    folder = tmp_path_factory.mktemp("pdf")
    engine = make_engine(f"sqlite:///{bundled_sqlite}")
    with session_scope(engine) as session:
        content = build_content(session, parse_period("2025-Q3"), generated_at=dt.datetime(2025, 10, 5, 9, 0))
    engine.dispose()
    docx_path = write_report(content, folder, ("docx",))[0]
    profile = folder / "lo-profile"  # a private LibreOffice profile: parallel runs do not share a lock
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), str(docx_path)], capture_output=True, check=True, timeout=240)
    return content, docx_path, pdf_pages(docx_path.with_suffix(".pdf"))


def empty_share(pdf: Path, number: int, page: Page) -> float:
    """How much of the page's usable height is left white under its last mark (text, table rule or picture)."""
    import io

    from PIL import Image

    png = subprocess.run([_tool("pdftoppm"), "-f", str(number), "-l", str(number), "-r", "30", "-gray", str(pdf)],
                         capture_output=True, check=True).stdout
    image = Image.open(io.BytesIO(png)).convert("L")
    m = _margins(page)
    per_cm = image.height / m["height"]
    top, bottom = round(m["top"] * per_cm), round((m["height"] - m["bottom"]) * per_cm)
    width = image.width
    pixels = image.load()
    marked = [y for y in range(top, bottom) if any(pixels[x, y] < 200 for x in range(width))]
    last = max(marked) if marked else top
    return (bottom - last) / (bottom - top)


def _margins(page: Page) -> dict[str, float]:
    from kcn_tracker.reports.docx_form import LANDSCAPE, PORTRAIT

    return LANDSCAPE if page.landscape else PORTRAIT


def test_a4_portrait_body_and_landscape_appendix(report):
    _, _, pages = report
    a4 = sorted((round(p.width), round(p.height)) for p in pages[:1])
    assert a4 == [(595, 842)]
    first_appendix = next(i for i, p in enumerate(pages) if p.text().startswith("PHỤ LỤC I") or " PHỤ LỤC I. " in f" {p.text()}")
    assert all(not p.landscape for p in pages[:first_appendix]) and all(p.landscape for p in pages[first_appendix:])
    assert 3 <= first_appendix <= 12, f"body of {first_appendix} pages"
    assert len(pages) < 80


def test_no_word_outside_the_margins(report):
    _, _, pages = report
    for number, page in enumerate(pages, 1):
        m = _margins(page)
        left, right = m["left"] * PT_PER_CM - TOLERANCE_PT, (m["width"] - m["right"]) * PT_PER_CM + TOLERANCE_PT
        top, bottom = m["top"] * PT_PER_CM - TOLERANCE_PT, (m["height"] - m["bottom"]) * PT_PER_CM + TOLERANCE_PT
        for word in page.words:
            if word.y1 < top and word.text.isdigit():
                continue  # the page number, centred in the header
            assert left <= word.x0 and word.x1 <= right and top <= word.y0 and word.y1 <= bottom, (number, word)


def test_pictures_fit_the_page(report):
    """Every picture fits the usable area of the section it is in (portrait body, landscape appendix)."""
    from docx import Document
    from docx.oxml.ns import qn

    from kcn_tracker.reports.docx_form import LANDSCAPE, PORTRAIT, usable_cm

    _, docx_path, _ = report
    body = Document(str(docx_path)).element.body
    section, sizes = 0, []
    for child in body.iterchildren():
        for extent in child.iter(qn("wp:extent")):
            sizes.append((section, int(extent.get("cx")) / 360000, int(extent.get("cy")) / 360000))
        if child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            section += 1
    assert len(sizes) >= 3 and {s for s, _, _ in sizes} == {0, 1}  # charts in the body and the appendix
    for section, width, height in sizes:
        usable_w, usable_h = usable_cm(PORTRAIT if section == 0 else LANDSCAPE)
        assert width <= usable_w + 0.01 and height <= usable_h * 0.88, (section, width, height)
        if section == 0:
            assert width <= 16.5 and height <= 22.01


def test_headings_and_captions_are_never_last_on_a_page(report):
    content, docx_path, pages = report
    from docx import Document

    document = Document(str(docx_path))
    starts = [p.text for p in document.paragraphs if p.style.name.startswith("Heading") or
              (p.style.name == "Caption" and p.text.startswith("Bảng"))]
    assert len(starts) > 15
    for text in starts:
        first_words = text.split()[:3]
        found = False
        for number, page in enumerate(pages, 1):
            words = [w.text for w in page.words]
            for i in range(len(words) - len(first_words) + 1):
                if words[i:i + len(first_words)] == first_words:
                    found = True
                    heading_bottom = page.words[i].y1
                    below = [w for w in page.words if w.y0 > heading_bottom + 1]
                    # Below the heading's first line: its wrapped rest and at least one line of what follows.
                    lines_below = {round(w.y0) for w in below}
                    assert len(lines_below) >= 2, (text, number)
        assert found, text


def test_recipients_and_signature_together_before_the_appendix(report):
    content, _, pages = report
    texts = [p.text() for p in pages]
    closing = [i for i, t in enumerate(texts) if "Nơi nhận:" in t]
    assert len(closing) == 1
    page = texts[closing[0]]
    assert content.settings.signer_title in page and "Lưu: VT, VP." in page
    assert "PHỤ LỤC I" in texts[closing[0] + 1]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in texts[0] and "Độc lập - Tự do - Hạnh phúc" in texts[0]
    assert "Số: /BC-KKTKCN" in texts[0] and "Kính gửi: Ủy ban nhân dân tỉnh Khánh Hòa." in texts[0]
    assert "Khánh Hòa, ngày 05 tháng 10 năm 2025" in texts[0]


def test_body_has_no_codes_commands_or_english(report):
    content, _, pages = report
    closing = next(i for i, p in enumerate(pages) if "Nơi nhận:" in p.text())
    body = " ".join(p.text() for p in pages[:closing + 1])
    from kcn_tracker.reports.blocks import Closing

    for banned in ("kcn ", "--", "`", "unnamed-", "T6-fund", "T2a", "on track", "off track", "onshore_wind", "in_plan"):
        assert banned not in body, banned
    codes = set()
    for table in content.tables:
        if table.columns[1].header == "Mã":
            codes |= {row[1] for row in table.rows}
    assert codes and not [c for c in codes if re.search(rf"(?<![\w-]){re.escape(c)}(?![\w-])", body)]
    assert Closing in {type(b) for b in content.blocks}


def test_tables_repeat_their_header_and_never_split_a_row(report):
    """In the file: every data table's first row repeats and no row may break; on the pages: a table that runs
    over several pages shows its header again at the top of each continuation page."""
    from docx import Document
    from docx.oxml.ns import qn

    _, docx_path, pages = report
    tables = [t for t in Document(str(docx_path)).tables if t.rows[0].cells[0].text == "STT"]
    assert len(tables) > 10
    for table in tables:
        rows = table._tbl.findall(qn("w:tr"))
        assert rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
        assert all(r.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for r in rows)
    first = next(i for i, p in enumerate(pages) if "Bảng PL2.1." in p.text())
    last = next(i for i, p in enumerate(pages) if "Bảng PL2.2." in p.text())
    assert last - first >= 2  # the project list runs over several pages
    for page in pages[first + 1:last]:
        top = sorted(page.words, key=lambda w: (round(w.y0), w.x0))
        body = [w.text for w in top if not w.text.isdigit() or w.y0 > 60][:4]  # skip the page number
        assert body[:3] == ["STT", "Mã", "Tên"], body


def test_no_page_is_left_half_empty(report):
    """Figures are placed where they fit (reports.pagination): no page but the last of a part (the body, each
    PHỤ LỤC) is more than 40 % white below its content; a picture that did not fit used to leave half a page."""
    _, docx_path, pages = report
    pdf = docx_path.with_suffix(".pdf")
    starts = [i for i, p in enumerate(pages) if p.text().lstrip("0123456789 ").startswith("PHỤ LỤC")]
    closing = next(i for i, p in enumerate(pages) if "Nơi nhận:" in p.text())
    assert len(starts) >= 3
    last_of_part = {closing, len(pages) - 1} | {i - 1 for i in starts}
    measured = {i: empty_share(pdf, i + 1, page) for i, page in enumerate(pages) if i not in last_of_part}
    assert len(measured) > 20
    assert {i + 1: round(share, 2) for i, share in measured.items() if share > 0.40} == {}
    # the body's figures share their pages with text, not pages of their own
    figure_pages = [i for i, p in enumerate(pages[:closing]) if "Hình 1." in p.text() or "Hình 2." in p.text()]
    assert len(figure_pages) == 2 and all(len(pages[i].words) > 40 for i in figure_pages)
