"""Quick commands as a ratio to ``python -c "import sqlalchemy"``, in one interleaved run.

Every quick command (``--help``, summary, progress, energy list|show|summary, zones
list|show, history, changes, and alerts when the CLI has it) runs as a whole process
against the bundled register and a synthetic 10,000-project + 1,000-zone register
(``benchmarks/synthetic.py``), on SQLite and, with ``--pg-url`` (or KCN_BENCH_PG_URL),
on PostgreSQL. All commands of all configurations are interleaved round by round, so
machine load hits them alike; the figure is the median wall time divided by the median
of ``import sqlalchemy`` of the same run. Budget (issue 15): 1.2× on the bundled data,
2× at 10k. ``--baseline DIR`` times another checkout's code (e.g. ``git archive main``)
in the same rounds, for before/after tables.

Bytecode is cached in a temporary PYTHONPYCACHEPREFIX (as an installed wheel would have
it); checkouts stay clean.

    python benchmarks/bench_quick.py [--runs 7] [--pg-url postgresql+psycopg://...] [--baseline DIR]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
BUDGET = {"bundled": 1.2, "10k": 2.0}
#: What a PostgreSQL quick command loads besides Python and our code: the reader's driver (kcn_tracker/dbread.py).
DRIVER_IMPORT = "import psycopg2"


def pg_schema_url(base: str, schema: str) -> str:
    """A URL on the PostgreSQL server whose tables live in a fresh ``schema`` (created here)."""
    from sqlalchemy import create_engine

    admin = create_engine(base)
    with admin.begin() as connection:
        connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    admin.dispose()
    return f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema},public"


def drop_pg_schema(base: str, schema: str) -> None:
    from sqlalchemy import create_engine

    admin = create_engine(base)
    with admin.begin() as connection:
        connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    admin.dispose()


def schema_head(code: Path) -> str:
    """The newest migration of a checkout (its ``SCHEMA_HEAD``: in ``dbread.py``, in ``db.py`` before it existed)."""
    for name in ("dbread.py", "db.py"):
        source = code / "kcn_tracker" / name
        found = re.search(r'^SCHEMA_HEAD = "(\w+)"', source.read_text(), re.M) if source.is_file() else None
        if found:
            return found.group(1)
    raise SystemExit(f"no SCHEMA_HEAD in {code}")


def downgrade(url: str, revision: str) -> None:
    """Bring a database built by this checkout down to an older checkout's schema (for --baseline)."""
    from alembic import command
    from alembic.config import Config

    from kcn_tracker.db import MIGRATIONS_DIR, make_engine

    engine = make_engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
    engine.dispose()


def databases(folder: Path, pg_url: str | None, sizes: list[str],
              codes: dict[str, Path]) -> tuple[dict[tuple[str, str], str], list[tuple[str, str]]]:
    """((code, backend size) -> URL) per checkout, backend and size; and the PostgreSQL schemas to drop."""
    from benchmarks.synthetic import build_register

    urls, schemas = {}, []
    backends = [("sqlite", None)] + ([("postgres", pg_url)] if pg_url else [])
    for code, path in codes.items():
        for backend, base in backends:
            for size in sizes:
                if backend == "sqlite":
                    url = f"sqlite:///{folder / f'{code}-{size}.sqlite'}"
                else:
                    schema = f"bench_{code}_{size}_{uuid.uuid4().hex[:6]}"
                    url = pg_schema_url(base, schema)  # type: ignore[arg-type]
                    schemas.append((base, schema))  # type: ignore[arg-type]
                build_register(url, projects=10_000 if size == "10k" else 0, zones=1_000 if size == "10k" else 0)
                if schema_head(path) != schema_head(REPO):
                    downgrade(url, schema_head(path))
                urls[(code, f"{backend} {size}")] = url
    return urls, schemas


def commands(has_alerts: bool) -> dict[str, list[str]]:
    """Command name -> arguments after ``kcn --db URL`` ({project}/{zone} filled per database)."""
    out = {
        "--help": ["--help"],
        "summary": ["summary"],
        "progress": ["progress"],
        "energy list": ["energy", "list"],
        "energy show": ["energy", "show", "{project}"],
        "energy summary": ["energy", "summary"],
        "zones list": ["zones", "list"],
        "zones show": ["zones", "show", "{zone}"],
        "history": ["history", "{project}"],
        "changes": ["changes", "--from", "01/01/2025"],
    }
    if has_alerts:
        out["alerts"] = ["alerts"]
    return out


def _time(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    # In a folder without kcn_tracker: ``python -m`` puts the working directory before PYTHONPATH on sys.path,
    # so run from a checkout, every "code" would time that checkout.
    result = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tempfile.gettempdir())
    elapsed = time.perf_counter() - start
    if result.returncode:
        raise SystemExit(f"{' '.join(command)} failed: {result.stderr.decode()[-400:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--pg-url", default=os.environ.get("KCN_BENCH_PG_URL"))
    parser.add_argument("--sizes", default="bundled,10k")
    parser.add_argument("--baseline", type=Path, help="another checkout to time in the same rounds (before/after)")
    parser.add_argument("--code", type=Path, default=REPO, help="the checkout to time (default: this one)")
    args = parser.parse_args()
    codes = {"now": args.code.resolve(), **({"before": args.baseline.resolve()} if args.baseline else {})}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        urls, schemas = databases(folder, args.pg_url, args.sizes.split(","), codes)
        try:
            return _run(args, folder, urls, codes)
        finally:
            for base, schema in schemas:
                drop_pg_schema(base, schema)


def _run(args: argparse.Namespace, folder: Path, urls: dict[tuple[str, str], str], codes: dict[str, Path]) -> int:
    base_env = {**os.environ, "COLUMNS": "120", "PYTHONPYCACHEPREFIX": str(folder / "pycache"), "KCN_TODAY": "2026-06-30"}
    base_env.pop("PYTHONDONTWRITEBYTECODE", None)
    envs = {name: {**base_env, "PYTHONPATH": str(path)} for name, path in codes.items()}
    has_alerts = subprocess.run([sys.executable, "-m", "kcn_tracker", "alerts", "--help"], env=envs["now"],
                                capture_output=True, cwd=tempfile.gettempdir()).returncode == 0
    names = {"bundled": {"project": "Phước Thái 2", "zone": "Dốc Đá Trắng"}, "10k": {"project": "syn-p00042", "zone": "syn-z00042"}}
    jobs: dict[tuple[str, str, str], tuple[list[str], dict[str, str]]] = {}
    for code, env in envs.items():
        jobs[(code, "", "import sqlalchemy")] = ([sys.executable, "-c", "import sqlalchemy"], env)
        # PostgreSQL commands also load a driver (the reader's psycopg2; psycopg 3 before it): what it adds to start-up.
        jobs[(code, "", "driver")] = ([sys.executable, "-c", DRIVER_IMPORT], env)
        for (url_code, config), url in urls.items():
            if url_code != code:
                continue
            fill = names[config.split()[1]]
            for name, argv in commands(has_alerts).items():
                jobs[(code, config, name)] = ([sys.executable, "-m", "kcn_tracker", "--db", url,
                                               *[a.format(**fill) for a in argv]], env)
    times: dict[tuple[str, str, str], list[float]] = {key: [] for key in jobs}
    for command, env in jobs.values():  # warm-up: bytecode and OS caches; checks every command works
        _time(command, env)
    for round_number in range(args.runs):
        for key, (command, env) in jobs.items():
            times[key].append(_time(command, env))
        print(f"round {round_number + 1}/{args.runs} done", file=sys.stderr, flush=True)
    _print(times, [config for code, config in urls if code == "now"], codes, args.runs)
    return 0


def _print(times: dict[tuple[str, str, str], list[float]], configs: list[str], codes: dict[str, Path], runs: int) -> None:
    """Per checkout: each command's median and fastest run, as ratios to the references of the same run.

    The fastest run is the steadier figure on a shared machine (load only ever adds time).
    """
    medians = {key: statistics.median(values) for key, values in times.items()}
    fastest = {key: min(values) for key, values in times.items()}
    print(f"{runs} interleaved rounds; ratio = command / import sqlalchemy (same code, same run): median (fastest)")
    for code in codes:
        print(f"\n[{code}: {codes[code]}]  import sqlalchemy: median {medians[(code, '', 'import sqlalchemy')] * 1000:.0f} ms, "
              f"fastest {fastest[(code, '', 'import sqlalchemy')] * 1000:.0f} ms; {DRIVER_IMPORT}: "
              f"fastest {fastest[(code, '', 'driver')] * 1000:.0f} ms")
        print(f"{'command':<16}" + "".join(f"{c:>26}" for c in configs))
        worst = {c: 0.0 for c in configs}
        names = [n for (c, cfg, n) in medians if c == code and cfg == configs[0]]
        for name in names:
            cells = []
            for config in configs:
                median = medians[(code, config, name)] / medians[(code, "", "import sqlalchemy")]
                best = fastest[(code, config, name)] / fastest[(code, "", "import sqlalchemy")]
                worst[config] = max(worst[config], best)
                cells.append(f"{fastest[(code, config, name)] * 1000:6.0f} ms {median:5.2f}× ({best:4.2f}×)")
            print(f"{name:<16}" + "".join(f"{cell:>26}" for cell in cells))
        verdicts = [f"{c}: worst {w:.2f}× fastest ({'within' if w <= BUDGET[c.split()[1]] else 'OVER'} {BUDGET[c.split()[1]]}×)"
                    for c, w in worst.items()]
        print("; ".join(verdicts))
        driver = fastest[(code, "", "driver")] / fastest[(code, "", "import sqlalchemy")]
        print(f"({DRIVER_IMPORT} alone = {driver:.2f}× import sqlalchemy: Python's start plus the driver, "
              "the floor of every PostgreSQL command)")


if __name__ == "__main__":
    raise SystemExit(main())
