"""The briefing map's content, read back from the generated page (no browser needed).

Expected values are worked out by hand from the bundled register (data/) or from the
tiny records each test adds.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from html import escape
from pathlib import Path

import pytest

from cli_helpers import kcn, json_data
from kcn_tracker import style
from kcn_tracker.db import make_engine, session_scope
from kcn_tracker.maps import decode_geometry, encode_geometry, read_payload
from kcn_tracker.text import format_number

XSS = "<img src=x onerror=alert(1)>"


def _map(db_url: str, tmp_path: Path, *args: str, name: str = "m.html") -> tuple[str, dict]:
    out = tmp_path / name
    if "--as-of" not in args:  # after every bundled event, whatever day the suite runs on (KCN_TODAY)
        args = (*args, "--as-of", "30/06/2026")
    result = kcn(db_url, "map", "--out", str(out), *args)
    assert result.exit_code == 0, result.output
    assert str(out) in result.output
    html = out.read_text(encoding="utf-8")
    return html, read_payload(html)


def _features(payload: dict, group: str) -> list[dict]:
    return [f for layer in payload[group].values() for f in layer]


def _by_code(payload: dict, code: str) -> dict:
    for f in [*_features(payload, "zones"), *_features(payload, "projects"), *payload["unlocated"]["zones"],
              *payload["unlocated"]["projects"]]:
        if f["p"]["code"] == code:
            return f
    raise KeyError(code)


def add_xss_records(db_url: str) -> None:
    """A located and an unlocated project, and a zone, all named like an HTML attack."""
    from factories import add_project, add_zone

    engine = make_engine(db_url)
    with session_scope(engine, write=True) as session:
        add_project(session, "xss-located", name=XSS, technology="solar", capacity_mw=50.0,
                    geometry="POINT (109.1 12.3)", location_precision="district", location_basis=f"gần {XSS}",
                    on=dt.date(2025, 5, 1))
        add_project(session, "xss-unlocated", name=XSS + " 2", technology="onshore_wind", capacity_mw=10.0, on=dt.date(2025, 5, 1))
        add_zone(session, "xss-zone", name=XSS + " KCN", kind="KCN", total_area_ha=100.0, geometry="POINT (109.0 12.1)",
                 location_precision="district")
    engine.dispose()


def test_every_record_is_drawn_or_listed_with_its_facts(bundled_url: str, tmp_path: Path) -> None:
    html, payload = _map(bundled_url, tmp_path, "--as-of", "01/01/2026")
    # data/: 34 zones (9 without a point), 52 projects (31 without a point).
    assert payload["counts"] == {"zones": 25, "projects": 21, "unlocated_zones": 9, "unlocated_projects": 31, "obstacles": 3}
    assert payload["meta"]["as_of_vi"] == "01/01/2026"
    assert "Số liệu đến ngày 01/01/2026" in html
    # the newest event on or before 01/01/2026 in data/ (not "today"): shown beside the as-of date
    assert payload["meta"]["latest_change"] == "2025-12-18" and "thay đổi mới nhất được ghi nhận: 18/12/2025" in html
    pt2 = _by_code(payload, "dmt-phuoc-thai-2")["p"]
    assert pt2["mw"] == 87 and pt2["tech"] == "solar" and pt2["stage"] == "construction"
    assert pt2["approx"] == 1 and "huyện" in pt2["loc"]
    assert pt2["obst"][0][0] == "land" and pt2["obst"][0][2] == "2025-07-31"
    assert pt2["last"][0] == "2025-07-31" and pt2["last"][1] == "unknown"  # construction completed, on or before 004
    assert pt2["src"].startswith("KH phát triển CN-NL")
    # Cà Ná phase 1: 378 ha drawn as a circle of that area: r = sqrt(378e4 / pi) = 1096.9 m.
    ca_na = _by_code(payload, "kcn-ca-na-gd1")["p"]
    assert ca_na["radius_m"] == pytest.approx(1096.9, abs=0.1)
    # Unplaced records are listed in the side panel, not dropped.
    assert 'data-code="kcn-du-long"' in html and 'Chưa có vị trí<span class="kcn-long">: 31 dự án, 9 khu/cụm' in html


def test_records_sharing_a_point_are_spread(bundled_url: str, tmp_path: Path) -> None:
    _html, payload = _map(bundled_url, tmp_path)
    at_ninh_hoa = [f["p"]["sp"] for f in [*_features(payload, "zones"), *_features(payload, "projects")]
                   if f["g"]["c"] == [109.12495, 12.49187]]
    # 9 records sit on the Ninh Hòa district-seat point (data/): one spiral index each.
    assert sorted(i for i, _n in at_ninh_hoa) == list(range(9)) and {n for _i, n in at_ninh_hoa} == {9}
    assert style.spread_offset(0, 1) == (0.0, 0.0)
    dx, dy = style.spread_offset(1, 9)
    assert (dx ** 2 + dy ** 2) ** 0.5 == pytest.approx(style.SPREAD_PX * 1.5 ** 0.5)


def test_legend_matches_the_drawn_layers(bundled_url: str, tmp_path: Path) -> None:
    html, payload = _map(bundled_url, tmp_path)
    legend = html[html.index('id="kcn-legend"'):html.index('id="kcn-unlocated"')]
    found = re.findall(r'data-tech="([^"]+)" data-color="([^"]+)"><svg.*?</svg><span>[^<]*\((\d+)\)', legend)
    rows = {tech: (colour, int(n)) for tech, colour, n in found}
    assert rows == {tech: (payload["lookups"]["tech"][tech]["color"], len(f)) for tech, f in payload["projects"].items()}
    assert rows["solar"] == (style.TECH_COLOURS["solar"], 6)
    for group, colour in style.STAGE_GROUP_COLOURS.items():  # colour by stage: every group, from the style
        assert f'data-group="{group}" data-color="{colour}"' in legend
    for kind in ("KCN", "CCN", "KKT"):
        assert f'data-kind="{kind}" data-color="{style.KIND_OUTLINES[kind].colour}"' in legend
    for mark in ("obstacle", "overdue", "approximate"):
        assert f'data-mark="{mark}"' in legend
    assert "OpenStreetMap" in html and "Esri" in html


def test_every_data_source_is_credited(bundled_url: str, tmp_path: Path) -> None:
    from kcn_tracker.credits import MAP_CREDITS, full_line

    html, _payload = _map(bundled_url, tmp_path)
    sources = html[html.index('id="kcn-sources"'):]
    for credit in MAP_CREDITS:  # the full attribution, escaped like any text
        assert escape(full_line(credit)) in sources, credit.key
    for name in ("geoBoundaries", "Global Energy Monitor", "World Resources Institute", "GeoNames"):
        assert name in sources
    config = json.loads(re.search(r'id="kcn-config">(.*?)</script>', html).group(1))
    assert "GeoNames (CC BY 4.0)" in config["attribution"] and "CC BY-SA 4.0" in config["attribution"]
    assert "kcn-tracker" not in config["attribution"]  # the software is not a data source


def test_user_text_is_escaped(bundled_url: str, tmp_path: Path) -> None:
    add_xss_records(bundled_url)
    html, payload = _map(bundled_url, tmp_path)
    assert XSS not in html  # nowhere raw: JSON has \u003c, panels have &lt;
    assert "&lt;img src=x onerror=alert(1)&gt; 2" in html  # the side panel shows it as text
    assert _by_code(payload, "xss-located")["p"]["name"] == XSS
    assert _by_code(payload, "xss-zone")["p"]["name"] == XSS + " KCN"
    assert _by_code(payload, "xss-located")["p"]["loc"] == f"gần {XSS}"


def test_filters(bundled_url: str, tmp_path: Path) -> None:
    _html, solar = _map(bundled_url, tmp_path, "--technology", "điện mặt trời tập trung", name="a.html")
    assert list(solar["projects"]) == ["solar"] and solar["counts"]["unlocated_projects"] == 4  # 4 unplaced solar records
    assert solar["counts"]["zones"] == 25  # zones stay for context
    _html, ccn = _map(bundled_url, tmp_path, "--kind", "ccn", name="b.html")
    assert set(ccn["zones"]) == {"CCN"} and ccn["counts"]["zones"] + ccn["counts"]["unlocated_zones"] == 17
    _html, building = _map(bundled_url, tmp_path, "--stage", "construction", name="c.html")
    assert {f["p"]["stage"] for f in _features(building, "projects")} == {"construction"}
    assert {f["p"]["code"] for f in _features(building, "zones")} == {"kcn-nam-cam-ranh", "ccn-ninh-xuan"}
    html, focus = _map(bundled_url, tmp_path, "--zone", "nam cam ranh", name="d.html")
    assert focus["meta"]["focus"] == "kcn-nam-cam-ranh" and focus["view"]["focus"] is True
    (south, west), (north, east) = focus["view"]["bounds"]
    assert (south, west, north, east) == (11.92144, 109.15913, 11.92144, 109.15913)
    assert "phóng tới: Nam Cam Ranh" in html


def test_as_of_shows_the_state_then(bundled_url: str, tmp_path: Path) -> None:
    _html, before = _map(bundled_url, tmp_path, "--as-of", "2025-04-14", name="a.html")
    _html, mid = _map(bundled_url, tmp_path, "--as-of", "2025-05-01", name="b.html")
    _html, after = _map(bundled_url, tmp_path, "--as-of", "2025-08-01", name="c.html")
    # Bác Ái pumped storage: in the plan from 15/04/2025 (QĐ 768), under construction 31/07/2025 (inferred).
    with pytest.raises(KeyError):
        _by_code(before, "tdtn-bac-ai")
    assert _by_code(mid, "tdtn-bac-ai")["p"]["stage"] == "in_plan"
    assert _by_code(after, "tdtn-bac-ai")["p"]["stage"] == "construction"
    # LNG Cà Ná: decided 14/04/2025; its last change by 01/05/2025 is QĐ 287 of 26/04/2025.
    assert _by_code(before, "lng-ca-na")["p"]["stage"] == "policy_decision"
    last = _by_code(mid, "lng-ca-na")["p"]["last"]
    assert last[0] == "2025-04-26" and "287/QĐ-UBND" in last[2]
    assert after["counts"]["projects"] + after["counts"]["unlocated_projects"] == 52


def test_bad_filters_are_refused(bundled_url: str, tmp_path: Path) -> None:
    result = kcn(bundled_url, "map", "--out", str(tmp_path / "x.html"), "--zone", "khong co khu nay")
    assert result.exit_code == 2 and "Không tìm thấy" in result.stderr and not (tmp_path / "x.html").exists()
    result = kcn(bundled_url, "map", "--out", str(tmp_path / "x.html"), "--technology", "than")
    assert result.exit_code == 2 and "công nghệ/technology" in result.stderr
    result = kcn(bundled_url, "map", "--out", str(tmp_path / "x.html"), "--as-of", "31/02/2026")
    assert result.exit_code == 2 and "--as-of" in result.stderr


def test_progress_panel_shows_the_numbers_of_kcn_progress(bundled_url: str, tmp_path: Path) -> None:
    update = kcn(bundled_url, "energy", "update", "dmt-phuoc-thai-2", "--stage", "operating", "--date", "15/10/2025",
                 "--doc", "123/QĐ-UBND")
    assert update.exit_code == 0, update.output
    progress = json_data(kcn(bundled_url, "progress", "--as-of", "01/11/2025", "--format", "json"))
    html, _payload = _map(bundled_url, tmp_path, "--as-of", "01/11/2025")
    panel = html[html.index('id="kcn-progress"'):html.index('id="kcn-legend"')]
    energy = {e["target_id"]: e for e in progress["energy"]}
    assert energy["T2a"]["counted_mw"] == 87  # Phước Thái 2, operating from 15/10/2025
    for target_id, e in energy.items():
        row = re.search(rf'data-target="{target_id}"><td>.*?</td><td>([^<]*)</td><td>([^<]*)</td>', panel)
        assert row, target_id
        assert row.groups() == (f"{format_number(e['counted_mw'])} MW", f"{format_number(e['target_mw'])} MW")
    assert "87 MW" in panel and "8.200 MW" in panel and "3.000 ha" in panel
    assert "8.000 MW" in panel  # the sub-target gap note of kcn progress


def test_geometry_encoding_round_trip() -> None:
    wkt = "POLYGON ((109.123456 12.1, 109.2 12.1, 109.2 12.200004, 109.123456 12.1))"
    encoded = encode_geometry(wkt)
    assert encoded["q"] == [[10912346, 1210000, 7654, 0, 0, 10000, -7654, -10000]]
    assert decode_geometry(encoded)["coordinates"][0][2] == [109.2, 12.2]
    assert encode_geometry("POINT (109.123456 12.654321)") == {"t": "Point", "c": [109.12346, 12.65432]}
    assert encode_geometry(None) is None


def test_page_is_offline_by_default_and_cdn_on_request(bundled_url: str, tmp_path: Path) -> None:
    for args in ((), ("--offline",)):  # --offline is the default now, still accepted
        html, payload = _map(bundled_url, tmp_path, *args)
        assert "<script src=" not in html and 'rel="stylesheet"' not in html
        assert "Leaflet (XStatic-Leaflet)" in html and "data:image/png;base64," in html
        assert json.loads(re.search(r'id="kcn-config">(.*?)</script>', html).group(1))["default_base"] == "plain"
        assert payload["counts"]["projects"] == 21
    cdn, _payload = _map(bundled_url, tmp_path, "--cdn", name="cdn.html")
    assert re.search(r'<script src="https://[^"]*leaflet[^"]*\.js"', cdn) and len(cdn) < len(html) - 100_000


def test_png_picture_for_a4(bundled_url: str, tmp_path: Path) -> None:
    from matplotlib.image import imread

    out = tmp_path / "pic.png"
    result = kcn(bundled_url, "map", "--png", "--out", str(out))
    assert result.exit_code == 0, result.output
    pixels = imread(out)
    height, width = pixels.shape[:2]
    assert (width, height) == (1220, 1732)  # 15.5 x 22 cm (a portrait A4 text block) at 200 dpi
    r, g, b = (c / 255 for c in style.rgb(style.STAGE_GROUP_COLOURS["construction"]))
    orange = (abs(pixels[..., 0] - r) < 0.02) & (abs(pixels[..., 1] - g) < 0.02) & (abs(pixels[..., 2] - b) < 0.02)
    assert orange.sum() > 50  # the construction colour (legend + Bác Ái) is drawn
    wide = tmp_path / "slide.png"
    assert kcn(bundled_url, "map", "--png", "--page", "landscape", "--out", str(wide)).exit_code == 0
    assert imread(wide).shape[:2] == (1141, 1889)  # 24 x 14.5 cm: an A4 landscape text block


def test_run_writes_the_default_map(bundled_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = kcn(bundled_url, "run")
    assert result.exit_code == 0, result.output
    written = tmp_path / "maps" / "briefing.html"
    html = written.read_text(encoding="utf-8")
    assert str(written) in result.output and read_payload(html)["counts"]["projects"] == 21
    assert "<script src=" not in html and "Leaflet (XStatic-Leaflet)" in html  # kcn run's map works offline too
