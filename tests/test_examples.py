"""Every example people are shown runs as written: the README's command block and every `--help` text.

Each example runs on its own copy of the bundled register, in an empty folder, with
the files it reads prepared by the test (an update sheet, a boundary shapefile in
VN-2000 / TM-3, a KML). "Today" is pinned, so the dates in the examples are never
in the future whatever the machine's clock says.
"""

from __future__ import annotations

import datetime as dt

import shlex
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from examples_helper import argv, help_examples, readme_examples

TODAY = "2026-12-01"
#: Commands whose examples start a long-running web server: their arguments are parsed and checked by click
#: (every option exists and its value is valid), but the server is not started.
PARSE_ONLY = {"serve"}
#: What a prompted password is answered with (typed twice when asked to confirm).
PASSWORD_INPUT = "Mat-khau-vi-du-2026!\n" * 3
README = readme_examples()
HELP = help_examples()


def test_the_examples_are_found():
    assert len(README) >= 15 and len(HELP) >= 30
    assert 'kcn energy list --technology "điện gió" --format csv' in README
    assert any(e.startswith("kcn obstacle add") for _, e in HELP)


def _zone_point(url: str, name: str) -> tuple[float, float]:
    import shapely
    from sqlalchemy import select

    from kcn_tracker.db import make_engine, session_scope
    from kcn_tracker.models import Zone

    engine = make_engine(url)
    with session_scope(engine) as session:
        wkt = session.scalars(select(Zone.geometry).where(Zone.name == name)).first()
    engine.dispose()
    point = shapely.from_wkt(wkt).representative_point()
    return point.x, point.y


def prepare_inputs(url: str, folder: Path) -> None:
    """The files the examples read, named as in the examples."""
    import geopandas as gpd
    from shapely.geometry import box

    x, y = _zone_point(url, "Dốc Đá Trắng")
    shape = folder / "shp"
    shape.mkdir()
    gpd.GeoDataFrame({"ten": ["Doc Da Trang"], "TEN_KCN": ["Doc Da Trang"]},
                     geometry=[box(x - 0.01, y - 0.01, x + 0.01, y + 0.01)], crs="EPSG:4326").to_crs("EPSG:9217").to_file(
        shape / "ranh-gioi.shp")
    with zipfile.ZipFile(folder / "ranh-gioi.zip", "w") as archive:
        for part in shape.iterdir():
            archive.write(part, part.name)
    (folder / "ranh-gioi.kml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark>'
        f"<name>Dốc Đá Trắng</name><Point><coordinates>{x},{y},0</coordinates></Point></Placemark></Document></kml>",
        encoding="utf-8")
    (folder / "cap-nhat.csv").write_text("Mã,Công suất đã vận hành (MW)\ndmt-phuoc-thai-2,40\n", encoding="utf-8")
    _add_tenant(url)


def _add_tenant(url: str) -> None:
    """The tenant project the `kcn tenants update` examples name (4321000123)."""
    from kcn_tracker.db import make_engine, session_scope
    from kcn_tracker.tenants.register import add_tenant

    engine = make_engine(url)
    with session_scope(engine, write=True) as session:
        add_tenant(session, {"certificate_no": "4321000123", "certificate_on": "15/03/2025", "name": "Nhà máy ABC",
                             "zone_code": "ninh thuy", "stage": "registered", "country": "JP", "capital_usd": "12.500.000"},
                   by="test", today=dt.date(2026, 12, 1))
    engine.dispose()


def run_example(url: str, folder: Path, example: str, monkeypatch) -> None:
    """Run ``example`` in ``folder``; a "> file" redirection writes the output there."""
    from kcn_tracker.cli import cli

    monkeypatch.chdir(folder)
    monkeypatch.setenv("KCN_TODAY", TODAY)
    monkeypatch.setenv("KCN_CONFIG_DIR", str(folder / "cfg"))
    command, _, redirect = example.partition(" > ")
    args = argv(command)
    if args[:2] == ["import", "updates"] and not (folder / args[2]).exists():
        template = {"cap-nhat.xlsx": ["template", "energy", "--out", "cap-nhat.xlsx"],
                    "cap-nhat-du-an.xlsx": ["template", "energy", "--out", "cap-nhat-du-an.xlsx"]}[args[2]]
        assert CliRunner().invoke(cli, ["--db", url, *template], catch_exceptions=False).exit_code == 0
    if PARSE_ONLY & set(args):
        _parse_only(cli, ["--db", url, *args])
        return
    result = CliRunner().invoke(cli, ["--db", url, *args], input=PASSWORD_INPUT, catch_exceptions=False)
    assert result.exit_code == 0, f"{example}\n{result.output}"
    assert "Traceback" not in result.output
    if redirect:
        target = folder / shlex.split(redirect)[0]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(result.stdout, encoding="utf-8")


def _parse_only(cli, args: list[str]) -> None:
    """Parse ``args`` down to the last subcommand as click would (unknown options and bad values raise)."""
    import click

    def remaining(ctx: click.Context) -> list[str]:  # click 8.2 keeps the subcommand's words apart
        return [*getattr(ctx, "_protected_args", []), *ctx.args]

    ctx = cli.make_context("kcn", list(args))
    command, rest = cli, remaining(ctx)
    while isinstance(command, click.Group) and rest:
        name, sub, rest = command.resolve_command(ctx, rest)
        ctx = sub.make_context(name, rest, parent=ctx)
        command, rest = sub, remaining(ctx)
    assert not rest, rest


@pytest.mark.parametrize("example", README)
def test_readme_example_runs(example, bundled_url, tmp_path, monkeypatch):
    prepare_inputs(bundled_url, tmp_path)
    run_example(bundled_url, tmp_path, example, monkeypatch)


@pytest.mark.parametrize("where, example", HELP, ids=[f"{w}: {e}" for w, e in HELP])
def test_help_example_runs(where, example, bundled_url, tmp_path, monkeypatch):
    prepare_inputs(bundled_url, tmp_path)
    run_example(bundled_url, tmp_path, example, monkeypatch)
