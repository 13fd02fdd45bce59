"""Time `kcn tenants import` (5,000 generated tenant projects in 40 zones) and `kcn indicators`, as whole commands.

Usage: python benchmarks/bench_tenants.py [--tenants 5000] [--zones 40] [--postgres BASE_URL]

With ``--postgres postgresql+psycopg://user@host/db`` the same runs in a temporary schema
of that database (created and dropped here) instead of a SQLite file.

Builds a throw-away SQLite register with N generated zones (nothing touches a user's
register), writes two CSV files (the projects as registered in 2025, then a second
file moving every second project to operating and adjusting every fifth one's
capital in 2026) and runs each command in a fresh process, next to `kcn progress`
on the same database as a reference. Prints figures only.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
COUNTRIES = ("VN", "JP", "KR", "CN", "SG", "TW", "US", "DE")
INDUSTRIES = ("10", "13", "16", "22", "23", "25", "26", "27", "28", "31")


def build_zones(url: str, zones: int) -> None:
    """``zones`` generated operating zones (every fourth a CCN), 200 ha leasable each."""
    from kcn_tracker.db import make_engine, session_scope, upgrade
    from kcn_tracker.history import record_change
    from kcn_tracker.models import Zone

    engine = make_engine(url)
    upgrade(engine)
    with session_scope(engine, write=True) as session:
        for index in range(zones):
            kind = "CCN" if index % 4 == 3 else "KCN"
            zone = Zone(code=f"z{index:02d}", name=f"{kind} thử nghiệm {index}", name_key="", kind=kind, location_precision="none")
            session.add(zone)
            record_change(session, zone, {"name": zone.name, "kind": kind, "stage": "operating", "leasable_ha": 200.0},
                          effective_on=dt.date(2024, 1, 1), by="bench", origin="bench")
    engine.dispose()


def write_files(folder: Path, tenants: int, zones: int) -> tuple[Path, Path]:
    """The registration file and the 2026 update file."""
    first, second = folder / "dang-ky.csv", folder / "cap-nhat.csv"
    with first.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["certificate_no", "certificate_on", "name", "investor", "country", "zone_code", "industry", "stage",
                    "capital_usd", "capital_vnd", "leased_ha", "workers_vn"])
        for i in range(tenants):
            country = COUNTRIES[i % len(COUNTRIES)]
            day = dt.date(2025, 1, 1) + dt.timedelta(days=i % 360)
            w.writerow([f"{4300000000 + i}", day.strftime("%d/%m/%Y"), f"Dự án thứ cấp {i}", f"Công ty {i}", country,
                        f"z{i % zones:02d}", INDUSTRIES[i % len(INDUSTRIES)], "registered",
                        "" if country == "VN" else f"{1_000_000 + i * 1000}", f"{20_000_000_000 + i * 1_000_000}" if country == "VN" else "",
                        f"{0.5 + (i % 7) * 0.25}", f"{10 + i % 300}"])
    with second.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["certificate_no", "stage", "capital_usd", "workers_vn", "effective_on"])
        for i in range(0, tenants, 2):
            adjust = i % 5 == 0 and COUNTRIES[i % len(COUNTRIES)] != "VN"
            w.writerow([f"{4300000000 + i}", "operating", f"{2_000_000 + i * 1000}" if adjust else "", f"{20 + i % 400}",
                        (dt.date(2026, 4, 1) + dt.timedelta(days=i % 90)).strftime("%d/%m/%Y")])
    return first, second


def run(url: str, *args: str) -> float:
    """Seconds for one whole `kcn` process (the exit code must be 0)."""
    env = {**os.environ, "KCN_TODAY": "2026-12-31", "PYTHONPATH": str(REPO)}
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "kcn_tracker", "--db", url, *args], capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"kcn {' '.join(args)} failed:\n{result.stderr[-2000:]}")
    return elapsed


@contextmanager
def database(postgres: str | None, folder: Path) -> Iterator[str]:
    """A SQLite file in ``folder``, or a temporary schema on ``postgres`` (dropped afterwards)."""
    if not postgres:
        yield f"sqlite:///{folder / 'bench.sqlite'}"
        return
    from sqlalchemy import text

    from kcn_tracker.db import make_engine

    schema = "bench_" + uuid.uuid4().hex[:10]
    admin = make_engine(postgres)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{postgres}{'&' if '?' in postgres else '?'}options=-csearch_path%3D{schema},public"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenants", type=int, default=5000)
    parser.add_argument("--zones", type=int, default=40)
    parser.add_argument("--postgres", metavar="BASE_URL", help="run on a temporary schema of this PostgreSQL database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, database(args.postgres, Path(tmp)) as url:
        folder = Path(tmp)
        build_zones(url, args.zones)
        first, second = write_files(folder, args.tenants, args.zones)
        backend = "PostgreSQL" if args.postgres else "SQLite"
        print(f"{args.tenants} dự án thứ cấp, {args.zones} khu; {backend}; mỗi lệnh là một tiến trình mới")
        timings = [
            ("kcn progress (tham chiếu, sổ chưa có dự án thứ cấp)", run(url, "progress")),
            (f"kcn tenants import ({args.tenants} dự án mới) --dry-run", run(url, "tenants", "import", str(first), "--dry-run")),
            (f"kcn tenants import ({args.tenants} dự án mới)", run(url, "tenants", "import", str(first))),
            ("kcn tenants import (lần 2, không đổi)", run(url, "tenants", "import", str(first))),
            (f"kcn tenants import ({args.tenants // 2} cập nhật 2026)", run(url, "tenants", "import", str(second))),
            ("kcn progress (tham chiếu, có dự án thứ cấp)", run(url, "progress")),
            ("kcn indicators --period 2026-Q2", run(url, "indicators", "--period", "2026-Q2")),
            ("kcn indicators --period 2026-Q2 --format json", run(url, "indicators", "--period", "2026-Q2", "--format", "json")),
            ("kcn indicators --period 2026 --format xlsx", run(url, "indicators", "--period", "2026", "--format", "xlsx",
                                                            "--out", str(folder / "chi-so.xlsx"))),
            ("kcn tenants list --format csv", run(url, "tenants", "list", "--format", "csv")),
        ]
        width = max(len(name) for name, _ in timings)
        for name, seconds in timings:
            print(f"  {name:<{width}}  {seconds:7.2f} s")


if __name__ == "__main__":
    main()
