"""Outputs are inert (issue 11, req. 4): formula-like text is text in every xlsx and CSV, and the
Markdown / HTML reports carry user text literally (no raw HTML once rendered by a CommonMark renderer)."""

from __future__ import annotations

import csv
import datetime as dt
from html.parser import HTMLParser
from pathlib import Path

import pytest

from factories import add_project, add_technologies, add_zone, change
from kcn_tracker.db import make_engine, session_scope
from kcn_tracker.inert import FORMULA_TRIGGERS, csv_cell, looks_like_formula
from kcn_tracker.models import Obstacle
from kcn_tracker.periods import parse_period

D = dt.date
FORMULA = '=HYPERLINK("http://example.invalid","bấm")'
HOSTILE = {
    "zone_name": FORMULA,
    "investor": "@SUM(1+1)*cmd|' /C calc'!A0",
    "developer": "+1+2",
    "note": "-2+3",
    "project_name": "<img src=x onerror=alert(1)> [a](javascript:alert(2))",
    "obstacle": "<script>alert(3)</script> &lt;b&gt; | *đậm*",
    "tabbed": "\t=1+1",
}


def hostile_register(url: str) -> None:
    engine = make_engine(url)
    with session_scope(engine, write=True) as s:
        add_technologies(s)
        project = add_project(s, "p-hostile", name=HOSTILE["project_name"], investor=HOSTILE["investor"], stage="construction",
                              capacity_mw=50.0, note=HOSTILE["note"])
        change(s, project, D(2026, 5, 1), capacity_operating_mw=20.0, stage="partly_operating", note=HOSTILE["tabbed"])
        zone = add_zone(s, "z-hostile", name=HOSTILE["zone_name"], stage="operating", leasable_ha=100.0, leased_ha=40.0,
                        developer=HOSTILE["developer"])
        change(s, zone, D(2026, 6, 1), leased_ha=50.0, note=HOSTILE["note"])
        s.add(Obstacle(project=project, category="land", description=HOSTILE["obstacle"], opened_on=D(2026, 4, 15),
                       recorded_by="test", recorded_at=dt.datetime(2026, 4, 15, tzinfo=dt.timezone.utc)))
    engine.dispose()


def test_the_shared_rule():
    for trigger in FORMULA_TRIGGERS:
        assert looks_like_formula(trigger + "x") and csv_cell(trigger + "x") == "'" + trigger + "x"
    assert csv_cell(-5.0) == -5.0 and csv_cell(-5) == -5  # a negative number stays a number
    assert csv_cell("Điện gió - giai đoạn 2") == "Điện gió - giai đoạn 2"  # only the first character counts
    assert not looks_like_formula(None) and not looks_like_formula(dt.date(2026, 1, 1))


def _xlsx_cells(path: Path):
    import openpyxl

    book = openpyxl.load_workbook(str(path))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            yield from row


def assert_xlsx_inert(path: Path, expected_texts: set[str]) -> None:
    seen = set()
    for cell in _xlsx_cells(path):
        assert cell.data_type != "f", f"{path.name} {cell.parent.title}!{cell.coordinate} is a formula: {cell.value!r}"
        if looks_like_formula(cell.value):
            assert cell.data_type == "s" and cell.quotePrefix, (path.name, cell.coordinate, cell.value)
            seen.add(cell.value)
        if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
            assert cell.data_type == "n"
    assert expected_texts <= seen, (path.name, expected_texts - seen)


def test_report_workbook_export_and_template_hold_formulas_as_text(engine, tmp_path):
    from kcn_tracker.exporters import export
    from kcn_tracker.reports.content import build_content, write_report
    from kcn_tracker.template import write_template

    url = engine.url.render_as_string(hide_password=False)
    hostile_register(url)
    with session_scope(engine) as s:
        content = build_content(s, parse_period("2026-Q2"), generated_at=dt.datetime(2026, 7, 1), with_charts=False,
                                static_map=False)
        export(s, "xlsx", tmp_path / "export.xlsx", as_of=D(2026, 6, 30))
        export(s, "csv", tmp_path / "csv", as_of=D(2026, 6, 30))
        write_template(s, "project", tmp_path / "mau-du-an.xlsx")
        write_template(s, "zone", tmp_path / "mau-kcn.xlsx")
    write_report(content, tmp_path / "bc", ("xlsx",))
    assert_xlsx_inert(tmp_path / "bc" / "bao-cao-2026-Q2.xlsx", {FORMULA, HOSTILE["investor"]})
    assert_xlsx_inert(tmp_path / "export.xlsx", {FORMULA, HOSTILE["investor"], HOSTILE["developer"], HOSTILE["note"]})
    assert_xlsx_inert(tmp_path / "mau-du-an.xlsx", {HOSTILE["investor"], HOSTILE["note"]})
    assert_xlsx_inert(tmp_path / "mau-kcn.xlsx", {FORMULA, HOSTILE["developer"]})
    values = []
    for path in sorted((tmp_path / "csv").glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            values += [v for row in list(csv.reader(handle))[1:] for v in row]
    assert "'" + FORMULA in values and "'" + HOSTILE["investor"] in values and "'" + HOSTILE["tabbed"] in values
    assert not [v for v in values if looks_like_formula(v)]
    assert "50.0" in values  # numbers stay plain numbers


def test_cli_csv_is_neutralised(engine):
    from cli_helpers import kcn

    url = engine.url.render_as_string(hide_password=False)
    hostile_register(url)
    out = kcn(url, "zones", "list", "--format", "csv", "--as-of", "30/06/2026").stdout
    rows = list(csv.reader(out.splitlines()))
    assert "'" + FORMULA in rows[1] and not [v for r in rows for v in r if looks_like_formula(v)]


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def elements(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(page)
    return parser.found


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_markdown_and_html_reports_carry_user_text_literally(engine, tmp_path, fmt):
    from markdown_it import MarkdownIt

    from kcn_tracker.reports.content import build_content, write_report

    url = engine.url.render_as_string(hide_password=False)
    hostile_register(url)
    with session_scope(engine) as s:
        content = build_content(s, parse_period("2026-Q2"), generated_at=dt.datetime(2026, 7, 1), with_charts=False,
                                static_map=False)
    write_report(content, tmp_path, (fmt,))
    text = (tmp_path / f"bao-cao-2026-Q2.{fmt}").read_text(encoding="utf-8")
    page = MarkdownIt("commonmark").render(text) if fmt == "md" else text
    found = elements(page)
    tags = {tag for tag, _ in found}
    assert not tags & {"script", "img", "iframe", "object", "embed", "a"}, tags
    assert not [(t, a) for t, a in found if any(name.startswith("on") for name in a)]
    assert "<em>đậm</em>" not in page
    # The text itself is there, shown as typed (escaped once by the renderer).
    assert "&lt;script&gt;alert(3)&lt;/script&gt; &amp;lt;b&amp;gt; | *đậm*" in page
    assert "&lt;img src=x onerror=alert(1)&gt; [a](javascript:alert(2))" in page
