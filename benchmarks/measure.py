"""Run a whole command as a user would and measure it: wall time, the process's peak RSS and CPU time.

Each run goes through a small wrapper process, so ``RUSAGE_CHILDREN`` holds exactly the
measured command (its largest process) and nothing else.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile

#: Runs a command and reports its exit code, wall time, peak RSS (KB) and CPU seconds (user + system) on stderr's last line.
WRAPPER = r'''
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
elapsed = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"MEASURE {code} {elapsed} {usage.ru_maxrss} {usage.ru_utime + usage.ru_stime}", file=sys.stderr)
'''


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one run of ``command``; exits with its stderr if it fails."""
    seconds, rss, _ = measure_cpu(command, env)
    return seconds, rss


def measure_cpu(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """(seconds, peak RSS in MB, CPU seconds) of one run of ``command``; exits with its stderr if it fails.

    The CPU time (user + system of the command's processes) follows the work, not the machine's load.

    Run from the temporary folder: ``python -m`` puts the current folder first on the path, so from
    a checkout every command would import that checkout instead of the one on its PYTHONPATH.
    """
    result = subprocess.run([sys.executable, "-c", WRAPPER, *command], env=env, capture_output=True, text=True,
                            cwd=tempfile.gettempdir())
    line = [x for x in result.stderr.splitlines() if x.startswith("MEASURE ")][-1].split()
    if line[1] != "0":
        raise SystemExit(f"{' '.join(command[:6])}… failed:\n{result.stderr[-2000:]}")
    return float(line[2]), int(line[3]) / 1024, float(line[4])
