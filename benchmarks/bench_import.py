"""Import at national scale: ``kcn import updates`` of 10,000 changed template rows, each citing its own document.

On a synthetic register (``benchmarks/synthetic.py``: bundled + 10,000 projects), the
Excel template is written with ``kcn template energy`` and every row is changed as a
user would: a stage moved forward or a new MW figure, an effective date, and its own
document number and date. Timed as whole processes started the same way, in one run,
each on its own copy of the database:

- ``kcn import updates FILE --dry-run`` (read, validate, preview; nothing written);
- ``kcn import updates FILE`` (one transaction);
- the reference: pandas reads the same sheet, SQLAlchemy bulk-inserts the same number
  of documents and events (``REFERENCE_SCRIPT``).

Printed: seconds, CPU seconds and peak RSS of each, and the ratios to the reference. Budget (issue
15): ≤ 10 s each and ≤ 5× the reference.

    python benchmarks/bench_import.py [--rows 10000] [--projects 10000] [--pg-url URL] [--baseline DIR]

Figures (2 CPUs shared with other work, load average 0.5–1 during the run; ``--baseline`` =
``git archive 62080d5``, the batch importer reading with openpyxl, in the same run; wall
seconds, ratio to the reference, CPU seconds, peak RSS):

    backend   command    before (openpyxl)            now (calamine)               reference
    sqlite    dry run    3.8 s 0.9×  3.9 s  166 MB    2.8 s 0.6×  2.8 s  154 MB    4.3 s  4.4 s  125 MB
    sqlite    import     4.2 s 1.0×  4.3 s  177 MB    2.8 s 0.6×  2.8 s  163 MB
    postgres  dry run    4.4 s 1.0×  4.4 s  217 MB    3.0 s 0.7×  2.9 s  200 MB    4.4 s  4.3 s  132 MB
    postgres  import     6.1 s 1.4×  5.4 s  228 MB    4.6 s 1.1×  3.5 s  210 MB

The first command of each checkout also compiles its bytecode (a fresh ``PYTHONPYCACHEPREFIX``).
Wall times follow the machine's load (a run an hour earlier with the calamine reader alone,
3338b8a, the machine busier: SQLite dry run/import before 5.6/5.9 s, now 3.3/3.8 s, reference
5.0 s; PostgreSQL before 6.4/8.3 s, now 5.1/5.7 s, reference 5.8 s); CPU time does not. Of the SQLite dry run's 2.8 s CPU (``process_time`` around each
step): interpreter and imports ~0.6 s, reading the workbook 0.3 s (openpyxl took 1.9 s;
calamine reads it in Rust, ``importers/reading.py``), matching and parsing the rows 0.8 s
(0.25 s of it reading 10,000 records and 35,000 events), checking each row on its record's
timeline 0.9 s, printing the preview 0.15 s; the import adds the three bulk writes, 0.5 s.
PostgreSQL reads the changed records' timelines a second time under the lock (0.3 s).
The per-row work is spread over some twenty functions, none above ~5 % of the CPU by itself.
Before the batch (``git archive 00d2459``, row by row, load 4–6) the same workbook took
105–224 s, ~88 % of it in a flush, a name lookup, a lock query and lazy loads per row.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.bench_quick import downgrade, drop_pg_schema, pg_schema_url, schema_head  # noqa: E402
from benchmarks.measure import measure_cpu  # noqa: E402
from benchmarks.synthetic import build_register  # noqa: E402

REFERENCE_SCRIPT = r'''
import datetime as dt, json, sys
import pandas as pd
from sqlalchemy import create_engine, text

url, path = sys.argv[1], sys.argv[2]
frame = pd.read_excel(path, sheet_name="Dự án điện", dtype=str)
frame = frame[frame["Văn bản căn cứ (số hiệu)"].notna()]
engine = create_engine(url)
now = dt.datetime.now(dt.timezone.utc)
day = lambda text: dt.datetime.strptime(text, "%d/%m/%Y").date()
with engine.begin() as c:
    ids = dict(c.execute(text("SELECT code, id FROM projects")).all())
    docs = [{"doc_id": f"ref:{n}", "number": n, "issued_on": day(d)}
            for n, d in zip(frame["Văn bản căn cứ (số hiệu)"], frame["Ngày văn bản"])]
    c.execute(text("INSERT INTO documents (doc_id, number, issued_on) VALUES (:doc_id, :number, :issued_on)"), docs)
    doc_ids = dict(c.execute(text("SELECT number, id FROM documents WHERE doc_id LIKE 'ref:%'")).all())
    events = [{"project_id": ids[code], "effective_on": day(on), "changes": json.dumps({"capacity_mw": float(mw)}),
               "document_id": doc_ids[number], "by": "reference", "at": now}
              for code, mw, on, number in zip(frame["Mã"], frame["Công suất (MW)"], frame["Ngày hiệu lực"],
                                              frame["Văn bản căn cứ (số hiệu)"])]
    c.execute(text("INSERT INTO events (project_id, effective_on, date_basis, changes, document_id, recorded_by, recorded_at, origin) "
                   "VALUES (:project_id, :effective_on, 'document', :changes, :document_id, :by, :at, 'reference')"), events)
'''


def write_workbook(template: Path, out: Path, rows: int) -> int:
    """Change ``rows`` project rows of the template: stage forward or new MW, a date, a document each."""
    from openpyxl import load_workbook

    from kcn_tracker.stages import PROJECT_STAGES, label

    book = load_workbook(template)
    sheet = book["Dự án điện"]
    header = [c.value for c in sheet[1]]
    col = {name: header.index(name) + 1 for name in ("Mã", "Công suất (MW)", "Giai đoạn", "Ngày hiệu lực",
                                                     "Văn bản căn cứ (số hiệu)", "Ngày văn bản")}
    forward = {"in_plan": "prefeasibility", "prefeasibility": "policy_decision"}
    labels = {label("project", s.key): s.key for s in PROJECT_STAGES}  # type: ignore[arg-type]
    changed = 0
    for row in range(2, sheet.max_row + 1):
        code = sheet.cell(row, col["Mã"]).value
        if changed >= rows or not str(code or "").startswith("syn-p"):
            continue
        stage = sheet.cell(row, col["Giai đoạn"]).value
        key = labels.get(stage, stage)
        if changed % 2 and key in forward:
            sheet.cell(row, col["Giai đoạn"]).value = label("project", forward[key])  # type: ignore[arg-type]
        else:
            cell = sheet.cell(row, col["Công suất (MW)"])
            mw = cell.value if isinstance(cell.value, (int, float)) else float(str(cell.value).replace(".", "").replace(",", "."))
            cell.value = round(mw + 1.5, 1)
        day = dt.date(2026, 3, 1) + dt.timedelta(days=changed % 90)
        sheet.cell(row, col["Ngày hiệu lực"]).value = day.strftime("%d/%m/%Y")
        sheet.cell(row, col["Văn bản căn cứ (số hiệu)"]).value = f"{changed + 1}/QĐ-BENCH"
        sheet.cell(row, col["Ngày văn bản"]).value = day.strftime("%d/%m/%Y")
        changed += 1
    book.save(out)
    return changed


def copies(url: str, folder: Path, names: list[str], pg_url: str | None, projects: int) -> dict[str, str]:
    """One database per measured command (a write must not change what the next one sees)."""
    out = {}
    for name in names:
        if url.startswith("sqlite"):
            target = folder / f"{name}.sqlite"
            shutil.copy(url.removeprefix("sqlite:///"), target)
            out[name] = f"sqlite:///{target}"
        else:
            out[name] = pg_schema_url(pg_url, f"bench_import_{name}")  # type: ignore[arg-type]
            build_register(out[name], projects=projects, zones=0)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--pg-url", default=os.environ.get("KCN_BENCH_PG_URL"))
    parser.add_argument("--baseline", type=Path, help="another checkout whose import is timed in the same run")
    args = parser.parse_args()
    codes = {"now": REPO, **({"before": args.baseline.resolve()} if args.baseline else {})}
    folder = Path(tempfile.mkdtemp(prefix="kcn-bench-import-"))
    # ``python -m kcn_tracker`` puts the working directory first on sys.path: run from a checkout,
    # every command would import that checkout's code whatever PYTHONPATH says (--baseline too).
    os.chdir(folder)
    env = {**os.environ, "PYTHONPATH": str(REPO), "KCN_TODAY": "2026-06-30", "PYTHONPYCACHEPREFIX": str(folder / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    names = [f"{what}_{code}" for code in codes for what in ("dry_run", "import")] + ["reference"]
    try:
        base = f"sqlite:///{folder / 'base.sqlite'}"
        build_register(base, projects=args.projects, zones=0)
        template, book = folder / "template.xlsx", folder / "updates.xlsx"
        subprocess.run([sys.executable, "-m", "kcn_tracker", "--db", base, "template", "energy", "--out", str(template)],
                       env=env, check=True, stdout=subprocess.DEVNULL)
        changed = write_workbook(template, book, args.rows)
        print(f"register: bundled + {args.projects:,} projects; workbook: {changed:,} changed rows, each its own document")
        backends = [("sqlite", base)] + ([("postgres", "postgresql")] if args.pg_url else [])
        for backend, url in backends:
            dbs = copies(url, folder, names, args.pg_url, args.projects)
            for name, url_of in dbs.items():
                code = name.rsplit("_", 1)[1] if name != "reference" else "now"
                if schema_head(codes[code]) != schema_head(REPO):
                    downgrade(url_of, schema_head(codes[code]))
            commands = {}
            for code, path in codes.items():
                kcn = [sys.executable, "-m", "kcn_tracker", "--db"]
                commands[f"dry_run_{code}"] = ([*kcn, dbs[f"dry_run_{code}"], "import", "updates", str(book), "--dry-run"], path)
                commands[f"import_{code}"] = ([*kcn, dbs[f"import_{code}"], "import", "updates", str(book)], path)
            commands["reference"] = ([sys.executable, "-c", REFERENCE_SCRIPT, dbs["reference"], str(book)], REPO)
            figures = {name: measure_cpu(command, {**env, "PYTHONPATH": str(path)}) for name, (command, path) in commands.items()}
            ref = figures["reference"][0]
            for name, (seconds, rss, cpu) in figures.items():
                ratio = f", {seconds / ref:.1f}× reference" if name != "reference" else ""
                print(f"{backend:8} {name:15} {seconds:7.1f} s  CPU {cpu:5.1f} s  peak RSS {rss:5.0f} MB{ratio}", flush=True)
    finally:
        if args.pg_url:
            for name in names:
                drop_pg_schema(args.pg_url, f"bench_import_{name}")
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
