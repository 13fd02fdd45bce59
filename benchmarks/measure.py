"""Run a whole command as a user would and measure it: wall time and the process's peak RSS.

Each run goes through a small wrapper process, so ``RUSAGE_CHILDREN`` holds exactly the
measured command (its largest process) and nothing else.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile

#: Runs a command and reports its exit code, wall time and peak RSS (KB) on stderr's last line.
WRAPPER = r'''
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
elapsed = time.perf_counter() - start
print(f"MEASURE {code} {elapsed} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}", file=sys.stderr)
'''


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one run of ``command``; exits with its stderr if it fails.

    Run from the temporary folder: ``python -m`` puts the current folder first on the path, so from
    a checkout every command would import that checkout instead of the one on its PYTHONPATH.
    """
    result = subprocess.run([sys.executable, "-c", WRAPPER, *command], env=env, capture_output=True, text=True,
                            cwd=tempfile.gettempdir())
    line = [x for x in result.stderr.splitlines() if x.startswith("MEASURE ")][-1].split()
    if line[1] != "0":
        raise SystemExit(f"{' '.join(command[:6])}… failed:\n{result.stderr[-2000:]}")
    return float(line[2]), int(line[3]) / 1024
