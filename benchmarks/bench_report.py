"""Benchmark: wall time of ``kcn report`` on the bundled data (budget: under 10 s).

Each run is a fresh process (imports included, as a user pays them) writing every
format (docx, xlsx, md, html) with charts, for a period given with --period. The
bundled register is loaded into a temporary SQLite database first (not timed).
In-process figures for each step (content with charts, then each renderer) are
printed too, to show where the time goes.

    python benchmarks/bench_report.py [--runs 5] [--period 2026-Q2]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUDGET_SECONDS = 10.0
REPO = Path(__file__).resolve().parent.parent


def _process_runs(env: dict[str, str], period: str, out: Path, runs: int) -> list[float]:
    times = []
    for index in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "kcn_tracker", "report", "--period", period, "--format", "all",
                        "--out", str(out / str(index))], env=env, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return times


def _steps(url: str, period_key: str, out: Path) -> dict[str, float]:
    sys.path.insert(0, str(REPO))
    from kcn_tracker.db import make_engine, session_scope
    from kcn_tracker.periods import parse_period
    from kcn_tracker.reports.content import build_content, write_report

    figures = {}
    engine = make_engine(url)
    start = time.perf_counter()
    with session_scope(engine) as session:
        content = build_content(session, parse_period(period_key), generated_at=dt.datetime.now(dt.timezone.utc))
    figures["content + charts"] = time.perf_counter() - start
    for fmt in ("docx", "xlsx", "md", "html"):
        start = time.perf_counter()
        write_report(content, out / "steps", (fmt,))
        figures[fmt] = time.perf_counter() - start
    engine.dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--period", default="2026-Q2")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'kcn.sqlite'}"
        env = {**os.environ, "KCN_DATABASE_URL": url, "PYTHONPATH": str(REPO)}
        subprocess.run([sys.executable, "-m", "kcn_tracker", "info"], env=env, check=True, stdout=subprocess.DEVNULL)
        times = _process_runs(env, args.period, folder, args.runs)
        steps = _steps(url, args.period, folder)
    median = statistics.median(times)
    print(f"kcn report --period {args.period} --format all (bundled data), {args.runs} runs, fresh process each:")
    print(f"  median {median:.2f} s, min {min(times):.2f} s, max {max(times):.2f} s; budget {BUDGET_SECONDS:.0f} s: "
          f"{'OK' if median < BUDGET_SECONDS else 'OVER BUDGET'}")
    print("In-process steps (imports already paid by the first step):")
    for name, seconds in steps.items():
        print(f"  {name:<18} {seconds:.2f} s")


if __name__ == "__main__":
    main()
