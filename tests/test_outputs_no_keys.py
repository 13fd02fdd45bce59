"""No stored key of any enumeration reaches what people read (issue 13, req. 5).

Every human output of the bundled register is produced — terminal tables, the Excel export and
update templates, KML, the Word report, the QGIS value maps, the map page's lookups and panels —
and scanned for the keys of every enumeration: stages, technologies, plan roles, precisions,
bases, record types, obstacle categories and statuses. A table cell or a spreadsheet cell that
is exactly a key is a leak; so is a key with an underscore anywhere in running text. The machine
formats (CSV, GeoJSON, --format json) keep the keys and are not scanned. ``kcn stages`` lists the
keys to type on purpose, and record codes (``dmt-…``) are identifiers, not keys.
"""

from __future__ import annotations

import datetime as dt
import re
from xml.etree import ElementTree as ET

import openpyxl
import pytest

from cli_helpers import kcn
from kcn_tracker import fields
from kcn_tracker.labels import VALUE_LABELS
from kcn_tracker.obstacles.statuses import STATUSES
from kcn_tracker.stages import PROJECT_STAGES, ZONE_STAGES

AS_OF = "30/09/2025"


def enumeration_keys(technologies: set[str]) -> set[str]:
    """The keys of every enumeration the register stores."""
    keys = {s.key for s in (*PROJECT_STAGES, *ZONE_STAGES)} | technologies
    keys |= set(fields.PLAN_ROLES) | set(fields.LOCATION_PRECISIONS) | set(fields.COD_PRECISIONS)
    keys |= set(fields.TECHNOLOGY_BASES) | set(fields.T6_BASES) | set(fields.DATE_BASES)
    keys |= set(fields.OBSTACLE_CATEGORIES) | set(STATUSES) | {"project", "zone", "true", "false"}
    for labels in VALUE_LABELS.values():
        keys |= set(labels)
    return keys


@pytest.fixture(scope="module")
def keys(bundled_sqlite):
    from kcn_tracker.db import make_engine, session_scope
    from kcn_tracker.models import Technology

    engine = make_engine(f"sqlite:///{bundled_sqlite}")
    with session_scope(engine) as session:
        technologies = {t.key for t in session.query(Technology)}
    engine.dispose()
    assert {"onshore_wind", "solar"} <= technologies
    return enumeration_keys(technologies)


def leaks(cells, keys: set[str]) -> set[str]:
    """Cells that are a key, and underscore keys inside longer text."""
    found = set()
    underscored = [k for k in keys if "_" in k]
    for cell in cells:
        if cell is None or not isinstance(cell, str):
            continue
        text = cell.strip()
        if text in keys:
            found.add(text)
        found |= {k for k in underscored if re.search(rf"(?<![\w-]){re.escape(k)}(?![\w-])", text)}
    return found


def visible_text(html: str) -> list[str]:
    """The text of a page people see (scripts and styles left out), one string per text node."""
    from html.parser import HTMLParser

    class Visible(HTMLParser):
        def __init__(self):
            super().__init__()
            self.cells, self.skip = [], 0

        def handle_starttag(self, tag, attrs):
            self.skip += tag in ("script", "style")

        def handle_endtag(self, tag):
            self.skip -= tag in ("script", "style")

        def handle_data(self, data):
            if not self.skip and data.strip():
                self.cells.append(data.strip())

    parser = Visible()
    parser.feed(html)
    return parser.cells


def _xlsx_cells(path, *, skip_hidden: bool = False):
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        if skip_hidden and sheet.sheet_state == "hidden":
            continue
        for row in sheet.iter_rows(values_only=True):
            yield from row


def test_excel_export_and_templates_show_labels(bundled_url, tmp_path, keys, monkeypatch):
    monkeypatch.setenv("KCN_TODAY", "2025-10-01")
    export = tmp_path / "so.xlsx"
    assert kcn(bundled_url, "export", "--format", "xlsx", "--out", str(export), "--as-of", AS_OF).exit_code == 0
    assert leaks(_xlsx_cells(export), keys) == set()
    for kind in ("energy", "zones"):
        path = tmp_path / f"mau-{kind}.xlsx"
        assert kcn(bundled_url, "template", kind, "--out", str(path)).exit_code == 0
        assert leaks(_xlsx_cells(path), keys) == set()  # the hidden list sheet too: it is what the drop-downs show


def test_kml_descriptions_show_labels(bundled_url, tmp_path, keys):
    out = tmp_path / "so.kml"
    assert kcn(bundled_url, "export", "--format", "kml", "--out", str(out), "--as-of", AS_OF).exit_code == 0
    text = out.read_text(encoding="utf-8")
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    root = ET.fromstring(text)
    cells = [n.text for n in root.iter("{http://www.opengis.net/kml/2.2}name")]
    for description in root.iterfind(".//k:description", ns):
        cells += re.findall(r"<td>(.*?)</td>", description.text or "", re.S)
    assert len(cells) > 100
    assert leaks(cells, keys) == set()


def _terminal_cells(output: str) -> list[str]:
    cells = []
    for line in output.splitlines():
        cells += [c for c in re.split(r"\s{2,}|│", line) if c.strip()]
    return cells


@pytest.mark.parametrize("args", [
    ("energy", "show", "phuoc thai 2"), ("energy", "show", "hanbaram"), ("zones", "show", "doc da trang"),
    ("energy", "list"), ("zones", "list"), ("summary",), ("progress", "--details"),
    ("changes", "--from", "01/01/2025", "--to", AS_OF), ("history", "phuoc thai 2"), ("obstacle", "list"),
    ("alerts",),
])
def test_terminal_tables_show_labels(bundled_url, keys, monkeypatch, args):
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("KCN_TODAY", "2025-10-01")
    extra = () if args[0] in ("changes", "history", "obstacle", "alerts") else ("--as-of", AS_OF)
    result = kcn(bundled_url, *args, *extra)
    assert result.exit_code == 0, result.output
    assert leaks(_terminal_cells(result.stdout), keys) == set(), args


def test_word_report_shows_labels(bundled_sqlite, tmp_path, keys):
    from docx import Document

    from kcn_tracker.db import make_engine, session_scope
    from kcn_tracker.periods import parse_period
    from kcn_tracker.reports.content import build_content, write_report

    engine = make_engine(f"sqlite:///{bundled_sqlite}")
    with session_scope(engine) as session:
        content = build_content(session, parse_period("2025-Q3"), generated_at=dt.datetime(2025, 10, 5), with_charts=False,
                                static_map=False)
    engine.dispose()
    document = Document(str(write_report(content, tmp_path, ("docx",))[0]))
    cells = [p.text for p in document.paragraphs]
    for table in document.tables:
        header = [c.text for c in table.rows[0].cells]
        code_columns = {i for i, h in enumerate(header) if h == "Mã"}  # the appendix may carry codes
        cells += [c.text for row in table.rows for i, c in enumerate(row.cells) if i not in code_columns]
    assert len(cells) > 500
    assert leaks(cells, keys) == set()


def test_geopackage_value_maps_cover_every_labelled_column(bundled_url, tmp_path):
    """QGIS shows the labels in attribute tables: every enumerated column carries a value map."""
    import sqlite3

    out = tmp_path / "so.gpkg"
    assert kcn(bundled_url, "export", "--format", "gpkg", "--out", str(out), "--as-of", AS_OF).exit_code == 0
    styles = dict(sqlite3.connect(out).execute("SELECT f_table_name, styleQML FROM layer_styles"))
    expected = {"projects_points": ("stage", "technology", "plan_role", "location_precision", "expected_cod_precision",
                                    "technology_basis"),
                "zones_points": ("stage", "location_precision", "new_kcn_t6_basis"),
                "history": ("record_type", "date_basis"), "obstacles": ("record_type", "category", "opened_basis")}
    for layer, columns in expected.items():
        for column in columns:
            assert re.search(rf'<field name="{column}"><editWidget type="ValueMap">', styles[layer]), (layer, column)
    assert "điện gió trên bờ" in styles["projects_points"] and "chưa rõ (vào hoặc trước ngày này)" in styles["history"]


def test_map_page_panels_and_lookups_are_labels(bundled_url, tmp_path, keys):
    """What the map shows comes from labelled lookups; the panels' visible text carries no key."""
    from kcn_tracker.maps import read_payload

    out = tmp_path / "ban-do.html"
    assert kcn(bundled_url, "map", "--out", str(out), "--as-of", AS_OF).exit_code == 0
    html = out.read_text(encoding="utf-8")
    payload = read_payload(html)
    lookups = payload["lookups"]
    labels = [v["label"] for name in ("pstage", "zstage", "tech") for v in lookups[name].values()]
    labels += list(lookups["obst"].values())
    assert leaks(labels, keys) == set()

    cells = visible_text(html)
    assert len(cells) > 50
    assert leaks(cells, keys) == set()



def test_web_record_and_edit_pages_show_labels(bundled_url, tmp_path, keys, monkeypatch):
    """The web app's record pages and edit forms: visible text and the options people choose carry labels."""
    from kcn_tracker.labels import labels_for
    from tests.web_helpers import TODAY, client, login, make_app

    monkeypatch.setenv("KCN_TODAY", TODAY)
    c = client(make_app(bundled_url, tmp_path / "files"))
    login(c, "editor")

    texts = []
    for path in ("/projects/dmt-phuoc-thai-2", "/zones/kcn-doc-da-trang", "/sua/projects/dmt-phuoc-thai-2"):
        page = c.get(path)
        assert page.status_code == 200, path
        texts += visible_text(page.text)
    assert leaks([t for t in texts if t not in ("dmt-phuoc-thai-2", "kcn-doc-da-trang")], keys) == set()
    assert all(label in texts for label in labels_for("date_basis").values())  # the edit form's date-basis choices
