"""Generated bad inputs for every command that takes input (used by test_bad_input_sweep.py).

Each case is the argument list of one ``kcn`` command and a word its refusal must
contain, naming the field, option, column, file or record at fault. Files for the
import cases are written by ``write_files``; "{dir}" in an argument is their folder.
The register is the bundled one (``kcn db load``) with the clock at TODAY.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

TODAY = "2026-03-01"
PROJECT = "dmt-phuoc-thai-2"      # 87 MW, under construction, created 15/04/2025
NO_INVESTOR = "lng-ca-na"         # 1500 MW, policy decision, no investor yet
ZONE = "kcn-ninh-thuy"            # operating
OPEN_OBSTACLE = "1"               # opened 31/07/2025


@dataclass(frozen=True)
class Case:
    """One bad input: ``kcn ARGS`` must be refused with a message containing ``names``."""

    id: str
    args: tuple[str, ...]
    names: str


BAD_NUMBERS = ["nan", "NaN", "inf", "-inf", "Infinity", "1e309", "1e27", "1e5", "+-5", "--5", "abc", "1,2,3", "1.2.3",
               "1.2,3", "12 34", ".5", "5.", "0x10", "١٢", "5 MW", "-1", "99999999999999999999", "1.000.000", "½"]
NUMBER_OPTIONS = {  # option -> (command, record, field key named in the message)
    "--capacity": ("energy", PROJECT, "capacity_mw"),
    "--capacity-operating": ("energy", PROJECT, "capacity_operating_mw"),
    "--leasable": ("zones", ZONE, "leasable_ha"),
    "--area": ("zones", ZONE, "total_area_ha"),
    "--tenants-registered": ("zones", ZONE, "tenants_registered"),
}
INTEGER_ONLY = ["2,9", "2.5", "0,5", "7,25", "1,234"]
LONG = "x" * 301


def _number_cases() -> list[Case]:
    cases = []
    for option, (group, record, field) in NUMBER_OPTIONS.items():
        for value in BAD_NUMBERS:
            cases.append(Case(f"{option}={value}", (group, "update", record, f"{option}={value}"), field))
    for value in INTEGER_ONLY:
        cases.append(Case(f"tenants-operating={value}", ("zones", "update", ZONE, "--tenants-operating", value), "tenants_operating"))
    for field, value in [("voltage_kv", "1e309"), ("voltage_kv", "5000"), ("voltage_kv", "-110"), ("capacity_mw", "10001"),
                         ("capacity_mw", "inf"), ("capacity_operating_mw", "87.0000000005"), ("capacity_operating_mw", "88"),
                         ("capacity_operating_mw", "87,01")]:
        cases.append(Case(f"set {field}={value}", ("energy", "update", PROJECT, "--set", f"{field}={value}"), field))
    for field, value in [("leased_ha", "1e27"), ("total_area_ha", "250.000"), ("tenants_registered", "1e3"),
                         ("tenants_registered", "2147483648"), ("tenants_operating", "-3")]:
        cases.append(Case(f"set {field}={value}", ("zones", "update", ZONE, "--set", f"{field}={value}"), field))
    cases.append(Case("leased above leasable", ("zones", "update", ZONE, "--leasable", "10", "--leased", "20"), "leased"))
    return cases


def _text_and_choice_cases() -> list[Case]:
    energy = [("name", ""), ("name", "  "), ("name", LONG), ("name", "Tên\x1b[31m đỏ"), ("name", "a\x00b"),
              ("investor", LONG), ("investor", "Công ty\x07"), ("commune", "x" * 201), ("note", "y" * 10_001),
              ("technology", "bogus"), ("technology", ""), ("zone_code", "bogus"), ("zone_code", "x" * 81),
              ("plan_role", "maybe"), ("technology_basis", "guess"), ("expected_cod_precision", "week"),
              ("location_precision", "exact"), ("in_plan_60", "maybe"), ("needs_investor", "2"), ("stage", "bogus"),
              ("stage", ""), ("kind", "XYZ"), ("code", "new-code"), ("foo", "1"), ("geometry", "garbage"),
              ("geometry", "POINT (0 0)"), ("geometry", "MULTIPOINT ((109.1 12.2), (109.2 12.3))"),
              ("geometry", "GEOMETRYCOLLECTION (POINT (109.1 12.2))"), ("geometry", "POINT EMPTY"),
              ("geometry", "POINT (nan nan)"), ("geometry", "POINT (12.2 109.1)"), ("geometry", "POINT (109.1 12.2"),
              ("geometry", "POLYGON ((109.1 12.2, 109.2 12.2, 109.1 12.3, 109.2 12.3, 109.1 12.2))"),
              ("geometry", "POINT (1e400 12)"), ("geometry", "LINESTRING (100 10, 101 11)"),
              ("expected_cod", "31/02/2030"), ("expected_cod", "2026"), ("expected_cod", "01/01/2200"),
              ("actual_cod", "01/01/2099"), ("actual_cod", "15/06/1990"), ("actual_cod", "soon")]
    zone = [("kind", "XYZ"), ("kind", ""), ("kind", "KCNN"), ("high_tech", "perhaps"), ("developer", LONG),
            ("phase", "p" * 81), ("area_note", "z" * 10_001), ("name", ""), ("technology", "solar"),
            ("geometry", "MULTIPOINT ((109.1 12.2))"), ("geometry", "POINT (0 0)")]
    cases = [Case(f"energy set {k}={v[:20]!r}", ("energy", "update", PROJECT, "--set", f"{k}={v}"), k) for k, v in energy]
    cases += [Case(f"zones set {k}={v[:20]!r}", ("zones", "update", ZONE, "--set", f"{k}={v}"), k) for k, v in zone]
    cases += [
        Case("set without =", ("energy", "update", PROJECT, "--set", "capacity_mw"), "--set"),
        Case("--investor too long", ("energy", "update", PROJECT, "--investor", LONG), "investor"),
        Case("--developer control", ("zones", "update", ZONE, "--developer", "A\x1b]0;x\x07"), "developer"),
        Case("--by too long", ("energy", "update", PROJECT, "--capacity", "90", "--by", "b" * 121), "--by"),
        Case("--doc too long", ("energy", "update", PROJECT, "--capacity", "90", "--doc", "d" * 81), "--doc"),
        Case("--note control", ("energy", "update", PROJECT, "--capacity", "90", "--note", "a\x1bb"), "--note"),
        Case("--doc-date without --doc", ("energy", "update", PROJECT, "--capacity", "90", "--doc-date", "01/01/2026"), "--doc-date"),
        Case("--doc-date future", ("energy", "update", PROJECT, "--capacity", "90", "--doc", "1/QĐ", "--doc-date", "01/01/2099"), "--doc-date"),
        Case("--doc-date 1985", ("energy", "update", PROJECT, "--capacity", "90", "--doc", "1/QĐ", "--doc-date", "01/01/1985"), "--doc-date"),
        Case("--stage bogus", ("energy", "update", PROJECT, "--stage", "almost"), "stage"),
        Case("--stage without investor", ("energy", "update", NO_INVESTOR, "--stage", "construction"), "nhà đầu tư"),
        Case("--stage back without note", ("energy", "update", PROJECT, "--stage", "in_plan"), "lý do"),
        Case("--stage contradicts MW", ("energy", "update", PROJECT, "--stage", "in_plan", "--capacity-operating", "40",
                                        "--note", "x"), "mâu thuẫn"),
        Case("zones --stage back", ("zones", "update", ZONE, "--stage", "in_plan"), "lý do"),
        Case("nothing to update", ("energy", "update", PROJECT), "nothing to update"),
        Case("unknown project", ("energy", "update", "no such plant", "--capacity", "5"), "no such plant"),
        Case("empty project name", ("energy", "update", "", "--capacity", "5"), "Tên trống"),
        Case("ambiguous zone", ("zones", "update", "ninh", "--leasable", "5"), "ninh"),
        Case("unknown zone", ("zones", "update", "\x1b[2J", "--leasable", "5"), "zone"),
    ]
    return cases


BAD_DATES = ["01/01/1900", "1985-06-01", "31/02/2025", "2025/13/45", "01/01/2099", "02/03/2026x", "yesterday", "2026",
             "00/01/2025", "01/01/0001", "1/1/25", "01/06/2000", "14/04/2025", "9999-12-31", "2025-02-30", "45930.5"]


def _date_cases() -> list[Case]:
    cases = []
    for value in BAD_DATES:
        cases.append(Case(f"energy --date {value}", ("energy", "update", PROJECT, "--capacity", "90", "--date", value), "--date"))
        cases.append(Case(f"zones --date {value}", ("zones", "update", ZONE, "--leasable", "90", "--date", value), "--date"))
        cases.append(Case(f"obstacle add --date {value}", ("obstacle", "add", PROJECT, "--category", "land", "--description",
                                                          "Thu hồi đất", "--date", value), "--date"))
    for value in ["31/31/2030", "2026", "01/01/2200", "tomorrow"]:
        cases.append(Case(f"--expected-cod {value}", ("energy", "update", PROJECT, "--expected-cod", value), "expected_cod"))
    for value in ["01/01/2099", "15/06/1990", "30/02/2025"]:
        cases.append(Case(f"--actual-cod {value}", ("energy", "update", PROJECT, "--actual-cod", value), "actual_cod"))
    cases.append(Case("--date tomorrow", ("energy", "update", PROJECT, "--capacity", "90", "--date", "02/03/2026"), "--date"))
    return cases


def _obstacle_cases() -> list[Case]:
    add = ("obstacle", "add", PROJECT)
    cases = [
        Case("category bogus", (*add, "--category", "weather", "--description", "x"), "category"),
        Case("category empty", (*add, "--category", "", "--description", "x"), "category"),
        Case("description empty", (*add, "--category", "land", "--description", "  "), "description"),
        Case("description control", (*add, "--category", "land", "--description", "a\x1b[31mb"), "description"),
        Case("description huge", (*add, "--category", "land", "--description", "d" * 10_001), "description"),
        Case("obstacle --by long", (*add, "--category", "land", "--description", "x", "--by", "b" * 121), "--by"),
        Case("obstacle --doc long", (*add, "--category", "land", "--description", "x", "--doc", "d" * 81), "--doc"),
        Case("obstacle unknown record", ("obstacle", "add", "nowhere at all", "--category", "land", "--description", "x"), "nowhere"),
        Case("obstacle zone unknown", ("obstacle", "add", "--zone", "nowhere", "--category", "land", "--description", "x"), "nowhere"),
    ]
    for value in ["99999999999999999999", "0", "999999", "2147483648", "-1"]:
        cases.append(Case(f"resolve {value}", ("obstacle", "resolve", "--", value), value))
    for value in ["01/01/2025", "01/01/2099", "31/02/2026", "abc", "01/01/1999"]:
        cases.append(Case(f"resolve --date {value}", ("obstacle", "resolve", OPEN_OBSTACLE, "--date", value), "--date"))
    cases.append(Case("resolve --note control", ("obstacle", "resolve", OPEN_OBSTACLE, "--note", "\x1b[2J"), "--note"))
    cases.append(Case("resolve --doc long", ("obstacle", "resolve", OPEN_OBSTACLE, "--doc", "d" * 81), "--doc"))
    return cases


def _read_cases() -> list[Case]:
    cases = []
    for value in ["abc", "31/02/2025", "0001-01-01", "01/01/2101", "2026", "13/13/2013"]:
        cases.append(Case(f"history --as-of {value}", ("history", PROJECT, "--as-of", value), "--as-of"))
        cases.append(Case(f"energy list --as-of {value}", ("energy", "list", "--as-of", value), "--as-of"))
        cases.append(Case(f"zones show --as-of {value}", ("zones", "show", ZONE, "--as-of", value), "--as-of"))
        cases.append(Case(f"changes --from {value}", ("changes", "--from", value), "--from"))
        cases.append(Case(f"changes --to {value}", ("changes", "--from", "01/01/2026", "--to", value), "--to"))
    for value in ["31/02/2026", "0001-01-01", "2026"]:
        cases += [
            Case(f"progress --as-of {value}", ("progress", "--as-of", value), "--as-of"),
            Case(f"summary --as-of {value}", ("summary", "--as-of", value), "--as-of"),
            Case(f"energy summary --as-of {value}", ("energy", "summary", "--as-of", value), "--as-of"),
            Case(f"map --as-of {value}", ("map", "--as-of", value, "--out", "{dir}/out/map.html"), "--as-of"),
            Case(f"export --as-of {value}", ("export", "--format", "xlsx", "--as-of", value, "--out", "{dir}/out/x.xlsx"), "--as-of"),
            Case(f"report --to {value}", ("report", "--from", "31/12/2025", "--to", value, "--format", "md",
                                          "--out", "{dir}/out"), "--to"),
        ]
    cases += [
        Case("map --stage bogus", ("map", "--stage", "bogus", "--out", "{dir}/out/map.html"), "bogus"),
        Case("map --technology bogus", ("map", "--technology", "steam", "--out", "{dir}/out/map.html"), "steam"),
        Case("map --zone unknown", ("map", "--zone", "nowhere at all", "--out", "{dir}/out/map.html"), "nowhere at all"),
        Case("export --what bogus", ("export", "--format", "csv", "--what", "bogus", "--out", "{dir}/out/csv"), "--what"),
        Case("report --period bogus", ("report", "--period", "2026-Q5", "--format", "md", "--out", "{dir}/out"), "2026-Q5"),
        Case("energy summary --by bogus", ("energy", "summary", "--by", "colour"), "--by"),
    ]
    cases += [
        Case("changes --from empty", ("changes", "--from", ""), "--from"),
        Case("changes --to before --from", ("changes", "--from", "01/01/2026", "--to", "01/01/2025"), "--to"),
        Case("history unknown", ("history", "no such thing"), "no such thing"),
        Case("history empty", ("history", ""), "Tên trống"),
        Case("show unknown", ("energy", "show", "nothing like it"), "nothing like it"),
        Case("show before creation", ("energy", "show", PROJECT, "--as-of", "01/01/2024"), "01/01/2024"),
        Case("zones list --kind", ("zones", "list", "--kind", "XYZ"), "--kind"),
        Case("zones list --stage", ("zones", "list", "--stage", "bogus"), "bogus"),
        Case("energy list --technology", ("energy", "list", "--technology", "steam"), "steam"),
        Case("energy list --text control", ("energy", "list", "--text", "a\x1b[31m"), "--text"),
        Case("zones list --commune long", ("zones", "list", "--commune", "c" * 201), "--commune"),
        Case("energy list --format", ("energy", "list", "--format", "xml"), "--format"),
    ]
    return cases


def _import_cases() -> list[Case]:
    cells = {  # file name -> word the message must contain
        "nan.csv": "Công suất (MW)", "ambiguous.csv": "“1,234”", "future.csv": "Ngày hiệu lực", "year.csv": "Ngày hiệu lực",
        "control.csv": "Nhà đầu tư", "renamed_date.csv": "Ngay hieu luc moi", "renamed_mw.csv": "MW vận hành",
        "no_key.csv": "Mã", "huge_cell.csv": "huge_cell.csv", "utf16_nobom.csv": "UTF-16", "duplicate.csv": "dòng 2",
        "conflict.csv": "mâu thuẫn", "unknown_code.csv": "zzz", "ambiguous_name.csv": "ninh", "obstacle_nodesc.csv": "mô tả",
        "bad_basis.csv": "Căn cứ ngày", "bad_category.csv": "Vướng mắc mới: loại", "long_note.csv": "Ghi chú cập nhật",
        "negative.csv": "Công suất đã vận hành (MW)", "above_capacity.csv": "capacity", "fraction.csv": "Dự án thứ cấp",
        "leased.csv": "leased", "no_date.csv": "Ngày hiệu lực", "before_creation.csv": "Ngày hiệu lực",
        "historic.csv": "--historic", "bad_stage.csv": "Giai đoạn", "bad_tech.csv": "Công nghệ", "six_problems.csv": "zzz",
        "binary.xlsx": "binary.xlsx", "old.xls": "old.xls", "empty.csv": "empty.csv", "blank_name.csv": "Tên",
        "inf_cell.csv": "Công suất (MW)", "long_name.csv": "Tên", "serial_2026.csv": "Ngày hiệu lực", "two_mw.csv": "trùng",
    }
    shared_columns_only = {"renamed_mw.csv", "obstacle_nodesc.csv", "bad_category.csv", "bad_stage.csv", "long_name.csv"}
    cases = [Case(f"import {name}", ("import", "updates", "{dir}/" + name, *(("--kind", "energy") if name in shared_columns_only else ())),
                  word) for name, word in cells.items()]
    cases.append(Case("import without --kind", ("import", "updates", "{dir}/bad_stage.csv"), "--kind"))
    cases += [
        Case("import missing file", ("import", "updates", "{dir}/nope.csv"), "nope.csv"),
        Case("import --date bad", ("import", "updates", "{dir}/good.csv", "--date", "31/02/2026"), "--date"),
        Case("import --date future", ("import", "updates", "{dir}/no_date.csv", "--date", "01/01/2099"), "Ngày hiệu lực"),
        Case("import --sheet missing", ("import", "updates", "{dir}/good.csv", "--sheet", "Không có"), "Không có"),
        Case("import --doc-date bad", ("import", "updates", "{dir}/good.csv", "--doc", "1/QĐ", "--doc-date", "x"), "--doc-date"),
    ]
    geo = {"multipoint.geojson": "MultiPoint", "zero.geojson": "ngoài tỉnh", "bowtie.geojson": "không hợp lệ",
           "unknown.geojson": "zzz", "nofeatures.geojson": "nofeatures.geojson", "nomatch.geojson": "code",
           "collection.geojson": "GeometryCollection", "broken.geojson": "broken.geojson"}
    cases += [Case(f"geometry {name}", ("import", "geometry", "{dir}/" + name), word) for name, word in geo.items()]
    cases += [
        Case("geometry --crs bogus", ("import", "geometry", "{dir}/good.geojson", "--crs", "EPSG:0"), "--crs"),
        Case("geometry --date future", ("import", "geometry", "{dir}/good.geojson", "--date", "01/01/2099"), "Ngày hiệu lực"),
        Case("geometry --date bad", ("import", "geometry", "{dir}/good.geojson", "--date", "1/1/1"), "--date"),
        Case("geometry missing file", ("import", "geometry", "{dir}/nope.geojson"), "nope.geojson"),
    ]
    return cases


def all_cases() -> list[Case]:
    """Every case, ids unique."""
    cases = _number_cases() + _text_and_choice_cases() + _date_cases() + _obstacle_cases() + _read_cases() + _import_cases()
    ids = [c.id for c in cases]
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1]
    return cases


def _csv(header: str, *rows: str) -> str:
    return "\n".join([header, *rows]) + "\n"


def _feature(geometry: dict, code: str = PROJECT) -> dict:
    return {"type": "Feature", "properties": {"code": code}, "geometry": geometry}


def write_files(folder: Path) -> None:
    """The bad files of the import cases (and two good ones used with bad options)."""
    key = "Mã,Công suất (MW),Ngày hiệu lực"
    texts = {
        "good.csv": _csv(key, f"{PROJECT},90,01/02/2026"),
        "nan.csv": _csv(key, f"{PROJECT},nan,01/02/2026"),
        "inf_cell.csv": _csv(key, f"{PROJECT},inf,01/02/2026"),
        "ambiguous.csv": _csv("Mã,Dự án thứ cấp hoạt động,Ngày hiệu lực", f"{ZONE},\"1,234\",01/02/2026"),
        "future.csv": _csv(key, f"{PROJECT},90,01/01/2099"),
        "year.csv": _csv(key, f"{PROJECT},90,2026"),
        "serial_2026.csv": _csv(key, f"{PROJECT},90,2026.0"),
        "before_creation.csv": _csv(key, f"{PROJECT},90,01/01/2025"),
        "historic.csv": _csv(key, f"{PROJECT},90,01/01/1995"),
        "control.csv": _csv("Mã,Nhà đầu tư,Ngày hiệu lực", f"{PROJECT},Công ty\x1b[31m,01/02/2026"),
        "renamed_date.csv": _csv("Mã,Công suất (MW),Ngay hieu luc moi", f"{PROJECT},90,01/02/2026"),
        "renamed_mw.csv": _csv("Mã,MW vận hành,Ngày hiệu lực", f"{PROJECT},40,01/02/2026"),
        "no_key.csv": _csv("Công suất (MW),Ngày hiệu lực", "90,01/02/2026"),
        "duplicate.csv": _csv(key, f"{PROJECT},90,01/02/2026", f"{PROJECT},91,01/02/2026"),
        "conflict.csv": _csv("Mã,Giai đoạn,Công suất đã vận hành (MW),Ngày hiệu lực,Ghi chú cập nhật",
                             f"{PROJECT},in_plan,40,01/02/2026,lùi"),
        "unknown_code.csv": _csv(key, "zzz,90,01/02/2026"),
        "ambiguous_name.csv": _csv("Tên,Đất CN cho thuê (ha),Ngày hiệu lực", "ninh,90,01/02/2026"),
        "obstacle_nodesc.csv": _csv("Mã,Vướng mắc mới: loại,Ngày hiệu lực", f"{PROJECT},land,01/02/2026"),
        "bad_basis.csv": _csv("Mã,Công suất (MW),Ngày hiệu lực,Căn cứ ngày", f"{PROJECT},90,01/02/2026,guess"),
        "bad_category.csv": _csv("Mã,Vướng mắc mới: loại,Vướng mắc mới: mô tả,Ngày hiệu lực", f"{PROJECT},weather,x,01/02/2026"),
        "long_note.csv": _csv("Mã,Công suất (MW),Ngày hiệu lực,Ghi chú cập nhật", f"{PROJECT},90,01/02/2026," + "n" * 10_001),
        "negative.csv": _csv("Mã,Công suất đã vận hành (MW),Ngày hiệu lực", f"{PROJECT},-5,01/02/2026"),
        "above_capacity.csv": _csv("Mã,Công suất đã vận hành (MW),Ngày hiệu lực", f"{PROJECT},\"87,0000001\",01/02/2026"),
        "fraction.csv": _csv("Mã,Dự án thứ cấp đăng ký,Ngày hiệu lực", f"{ZONE},\"2,9\",01/02/2026"),
        "leased.csv": _csv("Mã,Đất CN cho thuê (ha),Đã cho thuê (ha),Ngày hiệu lực", f"{ZONE},10,20,01/02/2026"),
        "no_date.csv": _csv("Mã,Công suất (MW)", f"{PROJECT},90"),
        "bad_stage.csv": _csv("Mã,Giai đoạn,Ngày hiệu lực", f"{PROJECT},almost done,01/02/2026"),
        "bad_tech.csv": _csv("Mã,Công nghệ,Ngày hiệu lực", f"{PROJECT},steam,01/02/2026"),
        "blank_name.csv": _csv("Tên,Công suất (MW),Ngày hiệu lực", "   ,90,01/02/2026", "\x1b,90,01/02/2026"),
        "long_name.csv": _csv("Mã,Tên,Ngày hiệu lực", f"{PROJECT},{LONG},01/02/2026"),
        "two_mw.csv": _csv("Mã,Công suất (MW),capacity_mw,Ngày hiệu lực", f"{PROJECT},90,91,01/02/2026"),
        # One run lists every planted problem: unknown code, text number, bad date, stage rule, MW above capacity, fraction.
        "six_problems.csv": _csv("Mã,Công suất (MW),Công suất đã vận hành (MW),Giai đoạn,Ngày hiệu lực",
                                 "zzz,90,,,01/02/2026", f"{PROJECT},abc,,,01/02/2026", f"{PROJECT},,,,31/02/2026",
                                 f"{NO_INVESTOR},,,construction,02/02/2026", f"{PROJECT},,100,,03/02/2026"),
        "empty.csv": "",
    }
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "out").mkdir()
    (folder / "huge_cell.csv").write_text(_csv("Mã,Ghi chú,Ngày hiệu lực", f"{PROJECT},\"{'h' * 5_000_000}\",01/02/2026"),
                                          encoding="utf-8")
    (folder / "utf16_nobom.csv").write_bytes(_csv(key, f"{PROJECT},90,01/02/2026").encode("utf-16-le"))
    (folder / "binary.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (folder / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0 old excel")
    square = {"type": "Polygon", "coordinates": [[[109.12, 12.49], [109.13, 12.49], [109.13, 12.5], [109.12, 12.5], [109.12, 12.49]]]}
    geo = {
        "good.geojson": [_feature(square)],
        "multipoint.geojson": [_feature({"type": "MultiPoint", "coordinates": [[109.12, 12.49], [109.13, 12.5]]})],
        "zero.geojson": [_feature({"type": "Point", "coordinates": [0, 0]})],
        "bowtie.geojson": [_feature({"type": "Polygon", "coordinates": [[[109.1, 12.2], [109.2, 12.2], [109.1, 12.3],
                                                                          [109.2, 12.3], [109.1, 12.2]]]})],
        "unknown.geojson": [_feature(square, code="zzz")],
        "nofeatures.geojson": [],
        "collection.geojson": [_feature({"type": "GeometryCollection", "geometries": [{"type": "Point", "coordinates": [109.12, 12.49]}]})],
    }
    for name, features in geo.items():
        (folder / name).write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    (folder / "nomatch.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"other": 1}, "geometry": square}]}), encoding="utf-8")
    (folder / "broken.geojson").write_text("{\"type\": \"FeatureCollection\", \"features\": [", encoding="utf-8")
