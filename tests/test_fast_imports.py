"""``kcn progress`` and ``kcn energy summary`` never import the heavy libraries (issue 4, item 6).

Each command runs in a fresh interpreter through a small wrapper that prints the
loaded modules at exit. No timing here: benchmarks/bench_progress.py prints those.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("pandas", "geopandas", "folium", "matplotlib")
WRAPPER = """
import sys, runpy
sys.argv = ["kcn", *sys.argv[1:]]
try:
    runpy.run_module("kcn_tracker", run_name="__main__")
except SystemExit as exc:
    code = exc.code
else:
    code = 0
print("EXIT", code, file=sys.stderr)
print("MODULES", " ".join(sorted(sys.modules)), file=sys.stderr)
"""


def loaded_modules(db_url: str, *args: str) -> set[str]:
    result = subprocess.run([sys.executable, "-c", WRAPPER, "--db", db_url, *args], capture_output=True, text=True, timeout=120)
    lines = dict(line.split(" ", 1) for line in result.stderr.splitlines() if line.startswith(("EXIT ", "MODULES ")))
    assert lines.get("EXIT") in ("0", "None"), result.stderr
    return set(lines["MODULES"].split())


@pytest.mark.parametrize("args", [
    ("progress",), ("progress", "--format", "json"), ("progress", "--details", "--as-of", "30/06/2026"),
    ("energy", "summary"), ("energy", "summary", "--by", "year", "--format", "csv"),
    ("alerts",), ("alerts", "--format", "json", "--as-of", "02/12/2026"),
])
def test_no_heavy_imports(bundled_url, args):
    modules = loaded_modules(bundled_url, *args)
    assert {"kcn_tracker.progress", "kcn_tracker.alerts"} & modules  # the command really ran
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert heavy == [], f"kcn {' '.join(args)} imported {heavy}"


def test_progress_skips_the_orm(bundled_url):
    # The ORM and the models cost ~100 ms of the start-up budget; progress reads with plain SQL.
    modules = loaded_modules(bundled_url, "progress")
    assert "sqlalchemy.orm" not in modules and "kcn_tracker.models" not in modules


def test_alerts_skips_the_orm(bundled_url):
    # kcn alerts reads the same plain records as progress: no ORM, no models.
    modules = loaded_modules(bundled_url, "alerts")
    assert "kcn_tracker.alerts" in modules
    assert "sqlalchemy.orm" not in modules and "kcn_tracker.models" not in modules


@pytest.mark.parametrize("args", [("progress",), ("energy", "summary")])
def test_quick_commands_skip_the_orm(bundled_url, args):
    # Issue 15: quick commands read with plain SQL, without the ORM and the models. summary, list, show,
    # history and changes went back to the ORM when their data moved into interface.queries (shared with
    # the web API); moving those queries onto kcn_tracker.state / journal is the open part of issue 15.
    modules = loaded_modules(bundled_url, *args)
    assert "rich.table" in modules  # the command ran and printed its table
    unwanted = sorted(m for m in modules if m in ("sqlalchemy.orm", "kcn_tracker.models") or m.split(".")[0] in HEAVY)
    assert unwanted == [], f"kcn {' '.join(args)} imported {unwanted}"


def test_map_command_loads_nothing_heavy(bundled_url, tmp_path):
    # The page is written without folium (only a page skeleton came from it), pandas or Jinja (issue 15: memory, time).
    modules = loaded_modules(bundled_url, "map", "--out", str(tmp_path / "map.html"))
    assert (tmp_path / "map.html").stat().st_size > 10_000
    assert sorted(m for m in modules if m.split(".")[0] in (*HEAVY, "branca", "jinja2")) == []
