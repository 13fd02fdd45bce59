"""Periodic reports: the numbers in .docx, .xlsx and .md equal `kcn progress` and `kcn changes`;
charts have every Vietnamese glyph; two runs differ only in the generation timestamp."""

from __future__ import annotations

import datetime as dt
import json
import re
import warnings
import zipfile
from pathlib import Path

import pytest

from cli_helpers import kcn, json_data
from factories import add_project, add_technologies, add_zone, change
from kcn_tracker.db import make_engine, session_scope
from kcn_tracker.models import Obstacle, Target
from kcn_tracker.periods import parse_period
from kcn_tracker.reports.content import build_content, write_report
from kcn_tracker.text import parse_number

D = dt.date
STAMP = dt.datetime(2026, 7, 1, 8, 30, tzinfo=dt.timezone.utc)
OTHER_STAMP = dt.datetime(2026, 7, 2, 9, 45, 12, tzinfo=dt.timezone.utc)
TARGETS = [("T1", 3000.0, "ha"), ("T2", 8200.0, "MW"), ("T2a", 2300.0, "MW"), ("T2b", 1800.0, "MW"), ("T2c", 1500.0, "MW"),
           ("T2d", 2400.0, "MW"), ("T3", 14000.0, "MW"), ("T4", 70.0, "%"),
           ("T5", 100.0, "%"), ("T6", 5.0, "KCN")]


def build_tiny_register(url: str) -> None:
    """Q2/2026 on a tiny register: 40 MW of solar come online, a wind project gets a land obstacle,
    a KCN leases 10 more ha, another KCN enters operation with 200 ha, a planning obstacle is resolved."""
    engine = make_engine(url)
    with session_scope(engine, write=True) as s:
        add_technologies(s)
        for tid, value, unit in TARGETS:
            s.add(Target(target_id=tid, label_vi=f"Mục tiêu {tid}", label_en=tid, value=value, unit=unit,
                         period_start=D(2025, 1, 1), deadline=D(2030, 12, 31) if tid != "T5" else D(2026, 12, 31)))
        solar = add_project(s, "mt-a", name="Điện mặt trời A", capacity_mw=100.0, stage="construction", investor="Công ty A",
                            expected_cod=D(2026, 9, 30))
        change(s, solar, D(2026, 5, 10), capacity_operating_mw=40.0, stage="partly_operating")
        wind = add_project(s, "gio-b", name="Điện gió B", technology="onshore_wind", capacity_mw=50.0, stage="prefeasibility")
        change(s, wind, D(2026, 4, 20), stage="policy_decision")
        s.add(Obstacle(project=wind, category="land", description="Chưa giải phóng mặt bằng", opened_on=D(2026, 4, 15),
                       recorded_by="test", recorded_at=dt.datetime(2026, 4, 15, tzinfo=dt.timezone.utc)))
        s.add(Obstacle(project=solar, category="planning", description="Điều chỉnh quy hoạch", opened_on=D(2025, 10, 1),
                       resolved_on=D(2026, 6, 1), recorded_by="test", recorded_at=dt.datetime(2025, 10, 1, tzinfo=dt.timezone.utc)))
        ninh = add_zone(s, "kcn-x", name="KCN X", stage="operating", leasable_ha=100.0, leased_ha=50.0, fill_2026_t5=True)
        change(s, ninh, D(2026, 6, 1), leased_ha=60.0)
        new = add_zone(s, "kcn-y", name="KCN Y", stage="construction", total_area_ha=200.0, new_kcn_t6=True)
        change(s, new, D(2026, 6, 15), stage="operating")
        change(s, new, D(2026, 6, 20), high_tech=True, developer="Công ty Hạ tầng Y")  # "other" changes: a bool, a text
    engine.dispose()


def generate(url: str, period_key: str, out: Path, stamp: dt.datetime = STAMP, formats=("docx", "xlsx", "md", "html"),
             charts: bool = True) -> Path:
    engine = make_engine(url)
    with session_scope(engine) as s:
        content = build_content(s, parse_period(period_key), generated_at=stamp, with_charts=charts)
    write_report(content, out, formats)
    engine.dispose()
    return out


# ---- parsing the generated files back -------------------------------------------------------------

_VI_NUMBER = re.compile(r"^-?\d{1,3}(\.\d{3})*(,\d+)?( %)?$")
_VI_DATE = re.compile(r"^\d{2}/\d{2}/\d{4}$")


def norm_text(cell: str):
    """A displayed cell as a comparable value: Vietnamese numbers -> float (percent -> ratio), dates -> date."""
    cell = cell.strip()
    if cell in ("—", "chưa có số liệu", ""):
        return None
    if _VI_DATE.match(cell):
        return dt.datetime.strptime(cell, "%d/%m/%Y").date()
    if _VI_NUMBER.match(cell):
        if cell.endswith(" %"):
            return round(parse_number(cell[:-2]) / 100, 3)
        return round(parse_number(cell), 1)
    return cell


def docx_tables(path: Path) -> dict[str, list[list]]:
    """{caption: rows (header first)} read from the .docx body in order."""
    import docx

    document = docx.Document(str(path))
    tables, caption = {}, None
    body = document.element.body
    by_element = {t._tbl: t for t in document.tables}
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = next(p for p in document.paragraphs if p._p is child)
            if paragraph.style.name == "Caption" and paragraph.text.startswith("Bảng"):
                caption = paragraph.text
        elif tag == "tbl" and caption:
            table = by_element[child]
            rows = [[c.text for c in r.cells] for r in table.rows]
            tables[caption] = [rows[0]] + [[norm_text(c) for c in r] for r in rows[1:]]
            caption = None
    return tables


def _md_unescape(cell: str) -> str:
    """A Markdown cell as the reader sees it (backslash escapes removed)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", cell)


def md_tables(path: Path) -> dict[str, list[list]]:
    tables, title, rows = {}, None, []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("**Bảng"):
            title = _md_unescape(line.strip("*"))
        elif line.startswith("|") and title:
            cells = [_md_unescape(c).strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            if not set(line) <= set("|-: "):
                rows.append(cells)
        elif rows:
            tables[title] = [rows[0]] + [[norm_text(c) for c in r] for r in rows[1:]]
            title, rows = None, []
    return tables


def xlsx_tables(path: Path) -> dict[str, list[list]]:
    import openpyxl

    book = openpyxl.load_workbook(str(path))
    titles = {row[0]: row[1] for row in book["Mục lục"].iter_rows(min_row=6, values_only=True)}
    tables = {}
    for name, title in titles.items():
        sheet = book[name]
        rows = list(sheet.iter_rows())
        out = [[c.value for c in rows[0]]]
        for row in rows[1:]:
            out.append([norm_cell(c) for c in row])
        tables[title] = out
    return tables


def norm_cell(cell):
    value = cell.value
    assert not (isinstance(value, str) and value.startswith("=")), f"formula in {cell.coordinate}"
    if isinstance(value, dt.datetime):
        return value.date()
    if value in ("chưa có số liệu", "—"):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return round(value, 3) if cell.number_format.endswith("%") else round(value, 1)
    return norm_text(value) if isinstance(value, str) else value


def all_formats(out: Path, key: str) -> dict[str, dict[str, list[list]]]:
    stem = out / f"bao-cao-{key}"
    return {"docx": docx_tables(stem.with_suffix(".docx")), "md": md_tables(stem.with_suffix(".md")),
            "xlsx": xlsx_tables(stem.with_suffix(".xlsx"))}


def table(tables, prefix):
    """The rows of the one table whose title starts with ``prefix`` ([] when the report says "none")."""
    matches = [t for t in tables if t.startswith(prefix)]
    assert len(matches) <= 1, (prefix, list(tables))
    return tables[matches[0]][1:] if matches else []


def same_in_every_format(formats):
    """docx, md and xlsx hold the same tables and cells (xlsx also keeps empty tables as a header-only sheet)."""
    xlsx = {title: rows for title, rows in formats["xlsx"].items() if len(rows) > 1}
    for title in formats["docx"]:
        assert formats["docx"][title] == formats["md"][title] == xlsx[title], title
    assert formats["docx"].keys() == formats["md"].keys() == xlsx.keys()


def r1(value):
    return None if value is None else round(value, 1)


# ---- consistency ----------------------------------------------------------------------------------

def check_against_cli(tables, url: str, key: str) -> None:
    """Every figure of the report equals `kcn progress --as-of <end>` / `kcn changes --from <after> --to <end>`."""
    period = parse_period(key)
    progress = json_data(kcn(url, "progress", "--as-of", period.end.isoformat(), "--format", "json"))
    changes = json_data(kcn(url, "changes", "--from", period.after.isoformat(), "--to", period.end.isoformat(),
                             "--format", "json"))
    order = ("T1", "T2", "T2a", "T2b", "T2c", "T2d", "T3", "T4", "T5", "T6", "T6-fund")
    expected_verdicts = [v["verdict_vi"] for v in sorted(progress["verdicts"], key=lambda v: order.index(v["target_id"]))]
    assert [row[2] for row in table(tables, "Bảng 3.")] == expected_verdicts
    assert [row[0] for row in table(tables, "Bảng 3.")] == list(range(1, len(expected_verdicts) + 1))  # STT
    energy = [row[2:7] for row in table(tables, "Bảng 1.")]
    assert energy == [[r1(e["target_mw"]), r1(e["counted_mw"]), r1(e["firm_mw"]), r1(e["possible_mw"]), r1(e["gap_mw_by_year"]["2030"])]
                      for e in progress["energy"]]
    occupancy = {row[1]: row[4] for row in table(tables, "Bảng 2.")}
    expected_occ = {f"{z['kind']} {z['name']}": None if z["occupancy_pct"] is None else pytest.approx(z["occupancy_pct"] / 100, abs=6e-4)
                    for z in progress["land"]["occupancy"] + progress["land"]["fill_2026"]}  # the report: a ratio to 3 decimals
    assert occupancy == expected_occ
    by_category = {}
    for item in changes:
        by_category.setdefault(item["category"], []).append(item)
    stage_rows = table(tables, "Bảng PL1.1.")
    moves = by_category.get("stage", []) + by_category.get("created", [])  # a record created in the period: "—" -> its stage
    assert sorted((r[2], r[1].isoformat()) for r in stage_rows) == sorted((c["code"], c["effective_on"]) for c in moves)
    online = [(r[2], r[5], r[6], r[7]) for r in table(tables, "Bảng PL1.2.")]
    assert online == [(c["code"], r1(c["old"]), r1(c["new"]), r1((c["new"] or 0) - (c["old"] or 0))) for c in by_category.get("mw_online", [])]
    occupancy_changes = [(r[2], r[6], r[7]) for r in table(tables, "Bảng PL1.4.")]
    assert occupancy_changes == [(c["code"], r1(c["old"]), r1(c["new"])) for c in by_category.get("occupancy", [])]
    assert [r[2] for r in table(tables, "Bảng PL1.5.")] == [c["code"] for c in by_category.get("obstacle_opened", [])]
    assert [r[2] for r in table(tables, "Bảng PL1.6.")] == [c["code"] for c in by_category.get("obstacle_resolved", [])]
    assert len(table(tables, "Bảng PL1.7.")) == len(by_category.get("other", []))
    stuck = sorted((r[1], r[6].isoformat(), r[7]) for r in table(tables, "Bảng PL1.8."))
    assert stuck == sorted((s["code"], s["opened_on"], s["days_open"]) for s in progress["stuck"])
    years = {(r[1], r[2]): r[3:] for r in table(tables, "Bảng PL1.9.")}
    for e in progress["energy"]:
        name = e["label_vi"].removeprefix("Trong đó: ")
        assert years[(name, "Đã vận hành trong năm")] == [r1(v) for v in e["online_mw_by_year"].values()]
        assert years[(name, "Dự kiến vận hành trong năm")] == [r1(v) for v in e["expected_mw_by_year"].values()]
        assert years[(name, "Lũy kế (đã + dự kiến)")] == [r1(v) for v in e["cumulative_mw_by_year"].values()]
        assert years[(name, "Còn thiếu so với chỉ tiêu")] == [r1(v) for v in e["gap_mw_by_year"].values()]
    assert [(r[1], r[5]) for r in table(tables, "Bảng PL1.10.")] == [(l["code"], r1(l["remaining_mw"])) for l in progress["late_or_undated"]]
    projects = json_data(kcn(url, "energy", "list", "--as-of", period.end.isoformat(), "--format", "json"))
    assert sorted(r[1] for r in table(tables, "Bảng PL2.1.")) == sorted(p["code"] for p in projects)


def test_tiny_register_report_matches_progress_and_changes(engine, tmp_path):
    url = engine.url.render_as_string(hide_password=False)
    build_tiny_register(url)
    formats = all_formats(generate(url, "2026-Q2", tmp_path / "out", charts=False), "2026-Q2")
    same_in_every_format(formats)
    tables = formats["docx"]
    check_against_cli(tables, url, "2026-Q2")
    # Hand-computed: 40 MW of solar came online on 10/05/2026 and count toward T2a and T2.
    assert table(tables, "Bảng PL1.2.") == [[1, D(2026, 5, 10), "mt-a", "Điện mặt trời A", "Dự án điện", None, 40.0, 40.0, None]]
    energy = {row[1]: row for row in table(tables, "Bảng 1.")}
    assert energy["Mục tiêu T2a"][3] == 40.0 and energy["Mục tiêu T2a"][4] == 60.0  # 60 MW more expected 30/09/2026
    assert table(tables, "Bảng PL1.3.")[0][2] == "kcn-y" and table(tables, "Bảng PL1.3.")[0][5] == 200.0
    assert table(tables, "Bảng PL1.4.")[0][6:8] == [50.0, 60.0]
    assert {row[1]: row[4] for row in table(tables, "Bảng 2.")}["KCN KCN X"] == 0.6
    assert [(r[1], r[7]) for r in table(tables, "Bảng PL1.8.")] == [("gio-b", 76)]  # 15/04 -> 30/06/2026
    assert [r[2] for r in table(tables, "Bảng PL1.6.")] == ["mt-a"]
    assert sorted((r[5], r[6], r[7]) for r in table(tables, "Bảng PL1.7.")) == [
        ("Chủ đầu tư hạ tầng", None, "Công ty Hạ tầng Y"), ("Định hướng công nghệ cao", None, "có")]


def test_bundled_report_matches_progress_and_changes(bundled_url, tmp_path):
    formats = all_formats(generate(bundled_url, "2025-Q3", tmp_path / "out", charts=False), "2025-Q3")
    same_in_every_format(formats)
    check_against_cli(formats["docx"], bundled_url, "2025-Q3")
    assert len(table(formats["docx"], "Bảng PL1.1.")) > 10  # 004's vantage point (31/07/2025) moves many projects


def test_docx_has_page_number_field_headings_and_pictures(bundled_url, tmp_path):
    import docx

    out = generate(bundled_url, "2026-Q2", tmp_path, formats=("docx",))
    document = docx.Document(str(out / "bao-cao-2026-Q2.docx"))
    header = document.sections[0].header._element.xml
    assert 'w:instr=" PAGE "' in header and document.sections[0].different_first_page_header_footer
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert [h.split(".")[0] for h in headings] == ["I", "1", "2", "3", "II", "III", "1", "2", "IV", "1", "2", "PHỤ LỤC I", "PHỤ LỤC II",
                                                   "PHỤ LỤC III", "PHỤ LỤC IV"]  # IV: tenant projects (issue 16)
    import importlib.util

    from kcn_tracker.reports.content import PICTURE_MODULES, has_module

    has_map = any(has_module(m) for m in PICTURE_MODULES)  # the map issue's module
    assert len(document.inline_shapes) == 3 + has_map  # three charts (+ the map)
    assert any("Không có bản đồ" in p.text for p in document.paragraphs) is not has_map
    assert document.core_properties.created == STAMP


def test_report_without_the_map_module_says_so(bundled_url, tmp_path, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    from kcn_tracker.reports.content import PICTURE_MODULES

    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name in PICTURE_MODULES else real(name, *a))
    out = generate(bundled_url, "2026-Q2", tmp_path, formats=("md",), charts=False)
    text = (out / "bao-cao-2026-Q2.md").read_text(encoding="utf-8")
    assert "_Không có bản đồ trong báo cáo này: bản cài đặt này chưa có chức năng vẽ bản đồ tĩnh._" in text


# ---- charts ---------------------------------------------------------------------------------------

def test_charts_have_every_vietnamese_glyph_and_print_resolution(bundled_url, tmp_path):
    from kcn_tracker.reports import charts
    from kcn_tracker.progress import compute_progress
    from kcn_tracker.progress_data import load_records

    engine = make_engine(bundled_url)
    with engine.connect() as connection:
        records = load_records(connection)
    engine.dispose()
    data = compute_progress(records, D(2026, 6, 30)).as_dict()
    labels = {t.key: t.label_vi for t in records.technologies}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)" when it lays text out
        figures = [charts.energy_path_figure(data["energy"]), charts.stage_figure(data["mw_by_stage_technology"], labels),
                   charts.occupancy_figure([("KCN Dốc Đá Trắng", None), ("CCN Trảng É", 0.725)])]
    for figure in figures:
        assert charts.missing_glyphs(figure) == {}
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            png = charts.to_png(figure)
        assert png.startswith(b"\x89PNG")
        from PIL import Image
        import io

        image = Image.open(io.BytesIO(png))
        assert round(image.info["dpi"][0]) >= 200
        assert "Software" not in image.info
    texts = [t.get_text() for t in charts.occupancy_figure([("KCN A", None)]).findobj(lambda a: hasattr(a, "get_text"))]
    assert "chưa có số liệu" in texts and "0 %" not in texts


def test_missing_glyph_check_can_fail():
    from kcn_tracker.reports import charts

    with pytest.warns(UserWarning, match="Glyph"):
        figure = charts.occupancy_figure([("KCN 工業", 0.5)])
    assert charts.missing_glyphs(figure) == {"KCN 工業": "工業"}
    charts._pyplot().close(figure)


# ---- determinism ----------------------------------------------------------------------------------

def _zip_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _without_stamp(data: bytes, *stamps: dt.datetime) -> bytes:
    text = data.decode("utf-8")
    for stamp in stamps:
        text = text.replace(f"{stamp:%d/%m/%Y %H:%M:%S}", "STAMP")
        month = f"{stamp.month:02d}" if stamp.month < 3 else str(stamp.month)
        text = text.replace(f"ngày {stamp:%d} tháng {month} năm {stamp:%Y}", "DATE-LINE")  # the place and date line
    return text.encode("utf-8")


def test_two_runs_differ_only_in_the_generation_timestamp(bundled_url, tmp_path):
    first = generate(bundled_url, "2026-Q2", tmp_path / "a", STAMP)
    second = generate(bundled_url, "2026-Q2", tmp_path / "b", OTHER_STAMP)
    for suffix in (".docx", ".xlsx"):
        a, b = _zip_parts(first / f"bao-cao-2026-Q2{suffix}"), _zip_parts(second / f"bao-cao-2026-Q2{suffix}")
        assert a.keys() == b.keys()
        differing = sorted(name for name in a if a[name] != b[name])
        assert "docProps/core.xml" in differing
        for name in differing:
            if name != "docProps/core.xml":
                assert _without_stamp(a[name], STAMP) == _without_stamp(b[name], OTHER_STAMP), name
    for suffix in (".md", ".html"):
        a = (first / f"bao-cao-2026-Q2{suffix}").read_bytes()
        b = (second / f"bao-cao-2026-Q2{suffix}").read_bytes()
        assert a != b and _without_stamp(a, STAMP) == _without_stamp(b, OTHER_STAMP)
    for png in (first / "bao-cao-2026-Q2-hinh").iterdir():
        assert png.read_bytes() == (second / "bao-cao-2026-Q2-hinh" / png.name).read_bytes()


# ---- CLI and safety -------------------------------------------------------------------------------

def test_cli_writes_every_format(bundled_url, tmp_path):
    out = tmp_path / "bao-cao"
    result = kcn(bundled_url, "report", "--period", "2026-H1", "--format", "all", "--out", str(out), "--no-charts")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir() if p.is_file())
    pictures = out / "bao-cao-2026-H1-hinh"  # with --no-charts only the map (once the map module is installed)
    assert not pictures.exists() or [p.name for p in pictures.iterdir()] == ["ban-do.png"]
    assert names == ["bao-cao-2026-H1.docx", "bao-cao-2026-H1.html", "bao-cao-2026-H1.md", "bao-cao-2026-H1.xlsx"]
    assert "6 tháng đầu năm 2026" in result.stdout


def test_html_escapes_user_text(engine, tmp_path):
    url = engine.url.render_as_string(hide_password=False)
    build_tiny_register(url)
    bad = make_engine(url)
    with session_scope(bad, write=True) as s:
        from kcn_tracker.models import Project

        project = s.query(Project).filter_by(code="gio-b").one()
        change(s, project, D(2026, 6, 2), name="<img src=x onerror=alert(1)> | gió")
    bad.dispose()
    out = generate(url, "2026-Q2", tmp_path, formats=("html", "md"), charts=False)
    page = (out / "bao-cao-2026-Q2.html").read_text(encoding="utf-8")
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    tables = md_tables(out / "bao-cao-2026-Q2.md")
    assert "<img src=x onerror=alert(1)> | gió" in [r[2] for r in table(tables, "Bảng PL2.1.")]
