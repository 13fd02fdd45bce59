"""Benchmark: wall time of ``kcn progress`` and ``kcn alerts`` on the bundled data vs ``python -c "import sqlalchemy"``.

The issue's budget: median(progress) / median(import sqlalchemy) <= 1.5, both
measured in the same run. The bundled register is loaded into a temporary
SQLite database (KCN_DATABASE_URL) before timing; runs of the commands are
interleaved so machine load hits all alike.

Bytecode: sqlalchemy's ``.pyc`` files sit in site-packages, and a wheel install
of kcn-tracker compiles ours too. A checkout run with PYTHONDONTWRITEBYTECODE=1
instead recompiles every kcn_tracker module on every start, so the headline
figure lets Python cache our bytecode (in a temporary PYTHONPYCACHEPREFIX, the
checkout stays clean); the no-cache figure is printed as well.

    python benchmarks/bench_progress.py [--runs 21] [--format table|json]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUDGET_RATIO = 1.5
REPO = Path(__file__).resolve().parent.parent


def _prepare(database: Path) -> dict[str, str]:
    env = {**os.environ, "KCN_DATABASE_URL": f"sqlite:///{database}", "PYTHONPATH": str(REPO), "COLUMNS": "120"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(database.parent / "pycache")
    # The first run migrates and loads the bundled register; it is not timed.
    subprocess.run([sys.executable, "-m", "kcn_tracker", "progress", "--format", "json"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return env


def _time(command: list[str], env: dict[str, str]) -> float:
    """Wall time of one run."""
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = _prepare(Path(tmp) / "bench.sqlite")
        no_cache = {**env, "PYTHONDONTWRITEBYTECODE": "1"}
        no_cache.pop("PYTHONPYCACHEPREFIX")
        progress = [sys.executable, "-m", "kcn_tracker", "progress"]
        commands = {
            "import sqlalchemy": ([sys.executable, "-c", "import sqlalchemy"], env),
            "kcn progress": (progress, env),
            "kcn progress --format json": ([*progress, "--format", "json"], env),
            "kcn energy summary": ([sys.executable, "-m", "kcn_tracker", "energy", "summary"], env),
            "kcn alerts": ([sys.executable, "-m", "kcn_tracker", "alerts"], env),
            "kcn alerts --format json": ([sys.executable, "-m", "kcn_tracker", "alerts", "--format", "json"], env),
            "kcn progress (no .pyc cache)": (progress, no_cache),
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for command, command_env in commands.values():  # warm the OS file cache and the bytecode cache
            _time(command, command_env)
        for _ in range(args.runs):
            for name, (command, command_env) in commands.items():
                times[name].append(_time(command, command_env))
    base = statistics.median(times["import sqlalchemy"])
    print(f"runs per command: {args.runs} (interleaved)")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<30} median {median:.3f} s   min {min(values):.3f} s   ratio {median / base:.2f}")
    ratio = statistics.median(times["kcn progress"]) / base
    verdict = "within" if ratio <= BUDGET_RATIO else "OVER"
    print(f"kcn progress / import sqlalchemy = {ratio:.2f} ({verdict} the {BUDGET_RATIO} budget)")
    alerts = statistics.median(times["kcn alerts"]) / base
    print(f"kcn alerts / import sqlalchemy = {alerts:.2f} ({'within' if alerts <= BUDGET_RATIO else 'OVER'} the {BUDGET_RATIO} budget)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
