"""Quick commands never import the heavy libraries (issue 4, item 6), nor the ORM and the models (issue 15).

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
import gc
print("GC", gc.isenabled(), file=sys.stderr)
"""


def _run(db_url: str, *args: str) -> tuple[dict[str, str], str]:
    """(what the wrapper reports on ``kcn --db db_url ARGS``, what it printed); it must succeed."""
    result = subprocess.run([sys.executable, "-c", WRAPPER, "--db", db_url, *args], capture_output=True, text=True, timeout=120)
    lines = dict(line.split(" ", 1) for line in result.stderr.splitlines() if line.startswith(("EXIT ", "MODULES ", "GC ")))
    assert lines.get("EXIT") in ("0", "None"), result.stderr
    return lines, result.stdout


def run_wrapped(db_url: str, *args: str) -> tuple[set[str], str]:
    """(the modules loaded by ``kcn --db db_url ARGS``, what it printed); it must succeed."""
    lines, printed = _run(db_url, *args)
    return set(lines["MODULES"].split()), printed


def loaded_modules(db_url: str, *args: str) -> set[str]:
    return run_wrapped(db_url, *args)[0]


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


#: Every quick command of issue 15 (items 1, 4, 5), with a module (or, for --help, a text) that shows it really ran.
QUICK_COMMANDS = [
    (("--help",), "indicators"),
    (("summary",), "kcn_tracker.summary"),
    (("summary", "--format", "json", "--as-of", "31/12/2025"), "kcn_tracker.summary"),
    (("progress",), "kcn_tracker.progress"),
    (("energy", "list"), "kcn_tracker.interface.queries"),
    (("energy", "list", "--technology", "điện gió", "--overdue", "--format", "csv"), "kcn_tracker.interface.queries"),
    (("energy", "show", "phuoc thai 2"), "kcn_tracker.journal"),
    (("energy", "show", "phuoc thai 2", "--format", "json", "--as-of", "01/06/2025"), "kcn_tracker.journal"),
    (("energy", "summary"), "kcn_tracker.progress"),
    (("zones", "list", "--kind", "KCN", "--as-of", "30/06/2025"), "kcn_tracker.interface.queries"),
    (("zones", "show", "doc da trang"), "kcn_tracker.journal"),
    (("history", "phuoc thai 2"), "kcn_tracker.journal"),
    (("history", "doc da trang", "--zone", "--format", "json"), "kcn_tracker.journal"),
    (("changes", "--from", "01/01/2025", "--to", "30/06/2026"), "kcn_tracker.journal"),
    (("changes", "--from", "01/01/2025", "--to", "30/06/2026", "--format", "json"), "kcn_tracker.journal"),
    (("alerts",), "kcn_tracker.alerts"),
]


@pytest.mark.parametrize("args,ran", QUICK_COMMANDS, ids=[" ".join(args) for args, _ in QUICK_COMMANDS])
def test_quick_commands_skip_sqlalchemy_and_the_orm(bundled_url, args, ran):
    # Issue 15: quick commands read with plain SQL (kcn_tracker.state / journal, also through
    # interface.queries, which the web API shares) on the driver itself (kcn_tracker.dbread): without
    # SQLAlchemy at all, Alembic, the models or the heavy libraries.
    modules, printed = run_wrapped(bundled_url, *args)
    assert ran in (printed if args == ("--help",) else modules)  # the command really ran
    unwanted = sorted(m for m in modules if m == "kcn_tracker.models" or m.split(".")[0] in (*HEAVY, "sqlalchemy", "alembic"))
    assert unwanted == [], f"kcn {' '.join(args)} imported {unwanted}"


def test_map_command_loads_nothing_heavy(bundled_url, tmp_path):
    # The page is written without folium (only a page skeleton came from it), pandas or Jinja (issue 15: memory, time).
    modules = loaded_modules(bundled_url, "map", "--out", str(tmp_path / "map.html"))
    assert (tmp_path / "map.html").stat().st_size > 10_000
    assert sorted(m for m in modules if m.split(".")[0] in (*HEAVY, "branca", "jinja2")) == []


def test_quick_commands_run_without_the_garbage_collector_and_others_with_it(bundled_url, tmp_path):
    """``python -m kcn_tracker`` starts with the cyclic collector off; a command not in ``cli.QUICK_COMMANDS``
    turns it back on (a long import or report collects as usual)."""
    from kcn_tracker.cli import COMMANDS, GROUP_EXTRAS, QUICK_COMMANDS

    assert {name.split()[0] for name in QUICK_COMMANDS} <= set(COMMANDS)
    assert {name.split()[1] for name in QUICK_COMMANDS if " " in name} <= {"list", "show", *GROUP_EXTRAS["energy"]}
    for args in (("summary",), ("zones", "list"), ("changes", "--from", "01/01/2025")):
        assert _run(bundled_url, *args)[0]["GC"] == "False", args
    for args in (("stages",), ("info",), ("export", "--format", "csv", "--out", str(tmp_path / "out.csv"))):
        assert _run(bundled_url, *args)[0]["GC"] == "True", args
