"""Run ``kcn`` as a real process that file permissions apply to, even when the tests run as root.

Root ignores file modes, so a "no permission" test would prove nothing there: as root the
command runs under ``setpriv`` with the capabilities that bypass permissions
(CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER) removed; otherwise it runs as is.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def run_unprivileged(db_url: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``python -m kcn_tracker --db URL ARGS`` without permission-bypassing capabilities."""
    command = [sys.executable, "-m", "kcn_tracker", "--db", db_url, *args]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        assert setpriv, "running as root: util-linux setpriv is needed to drop CAP_DAC_OVERRIDE"
        command = [setpriv, "--bounding-set", "-dac_override,-dac_read_search,-fowner", *command]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=120, env=os.environ.copy())
