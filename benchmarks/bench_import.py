"""Time the import of a 10,000-row update workbook (``kcn import updates``) into a fresh SQLite register.

Usage: python benchmarks/bench_import.py [--rows 10000] [--records N]

Builds a register of N projects (default: one per row), writes a workbook whose
every row changes one project's investor and expected COD, then times reading +
validating (a dry run) and the real import in one transaction. Prints figures only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def build_register(url: str, records: int) -> None:
    """``records`` solar projects in stage in_plan, written directly as creation events."""
    from kcn_tracker.db import make_engine, session_scope, upgrade
    from kcn_tracker.history import record_change
    from kcn_tracker.models import Project, Technology

    engine = make_engine(url)
    upgrade(engine)
    with session_scope(engine, write=True) as session:
        session.add(Technology(key="solar", label_vi="Điện mặt trời tập trung", label_en="Solar", target_id="T2a"))
        session.flush()  # the projects refer to it
        for index in range(records):
            project = Project(code=f"p{index:05d}", name=f"Dự án điện mặt trời số {index}", name_key="", location_precision="none")
            session.add(project)
            record_change(session, project, {"name": project.name, "technology": "solar", "capacity_mw": 50.0,
                                             "stage": "in_plan", "plan_role": "named"},
                          effective_on=dt.date(2025, 1, 1), by="bench", origin="bench")
    engine.dispose()


def write_workbook(path: Path, rows: int, records: int) -> None:
    """The update workbook: code, investor, expected COD (dd/mm/yyyy text), effective date.

    With fewer records than rows, a record's rows get successive effective dates
    (one record may not have two rows for the same day).
    """
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Dự án điện")
    sheet.append(["Mã", "Nhà đầu tư", "Dự kiến vận hành (COD)", "Ngày hiệu lực"])
    for index in range(rows):
        sheet.append([f"p{index % records:05d}", f"Công ty {index}", f"{1 + index % 28:02d}/12/2029",
                      (dt.date(2025, 1, 2) + dt.timedelta(days=index // records)).strftime("%d/%m/%Y")])
    book.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--records", type=int, default=None)
    args = parser.parse_args()
    records = args.records or args.rows
    from kcn_tracker.db import make_engine, session_scope
    from kcn_tracker.importers.tabular import import_updates

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite"
        start = time.perf_counter()
        build_register(url, records)
        built = time.perf_counter() - start
        book = Path(folder) / "updates.xlsx"
        write_workbook(book, args.rows, records)
        engine = make_engine(url)
        timings = {}
        for label, dry_run in (("dry run (read + validate + preview)", True), ("import (one transaction)", False)):
            start = time.perf_counter()
            with session_scope(engine, write=True) as session:
                report = import_updates(session, book, dry_run=dry_run, by="bench")
                if dry_run:
                    session.rollback()
            timings[label] = (time.perf_counter() - start, len(report.results))
        start = time.perf_counter()
        with session_scope(engine, write=True) as session:
            again = import_updates(session, book, by="bench")
        timings["second import (no changes)"] = (time.perf_counter() - start, len(again.results))
        engine.dispose()
    print(f"register: {records} projects built in {built:.1f} s")
    for label, (seconds, changed) in timings.items():
        print(f"{label}: {args.rows} rows, {changed} changed, {seconds:.1f} s ({args.rows / seconds:,.0f} rows/s)")


if __name__ == "__main__":
    main()
