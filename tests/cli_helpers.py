"""Run ``kcn`` in-process (click's CliRunner) or as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from click.testing import CliRunner, Result

from kcn_tracker.cli import cli


def kcn(db_url: str, *args: str) -> Result:
    """Invoke ``kcn --db URL ARGS...`` in-process; stdout and stderr kept apart."""
    return CliRunner().invoke(cli, ["--db", db_url, *args], catch_exceptions=False)


def kcn_process(db_url: str, *args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.Popen:
    """Start ``python -m kcn_tracker --db URL ARGS...`` as a separate OS process."""
    return subprocess.Popen([sys.executable, "-m", "kcn_tracker", "--db", db_url, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})


def json_data(result: Result) -> Any:
    """The ``data`` of a ``--format json`` output, after checking the envelope around it."""
    payload = json.loads(result.stdout)
    assert set(payload) == {"schema", "schema_version", "as_of", "generated_at", "data"}, payload.keys()
    return payload["data"]
