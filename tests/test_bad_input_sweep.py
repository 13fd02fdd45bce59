"""Sweep: hundreds of generated bad inputs over every command that takes input, on SQLite and PostgreSQL.

For each case (tests/sweep_cases.py): a non-zero exit, no traceback (any exception other
than click's exit is one), a message naming the field/option/column/file at fault, and a
dump of every table identical before and after. One loaded register per backend; the
dump is plain SQL. The figures (cases, refusals, tracebacks) are printed at the end
(run with ``-s`` to see them).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from conftest import postgres_schema
from kcn_tracker.bundled import load_bundled_data
from kcn_tracker.cli import cli
from kcn_tracker.db import make_engine, upgrade
from kcn_tracker.models import Base
from sweep_cases import TODAY, all_cases, write_files

CASES = all_cases()
FIGURES: dict[str, dict[str, int]] = {}


class Register:
    """A loaded register on one backend: its URL, an engine for dumps, the dump it must keep."""

    def __init__(self, backend: str, url: str, files: Path) -> None:
        self.backend, self.url, self.files = backend, url, files
        self.engine = make_engine(url)
        upgrade(self.engine)
        load_bundled_data(self.engine)
        self.baseline = self.dump()

    def dump(self) -> list[tuple[str, list[str]]]:
        """Every row of every table (and the schema revision), sorted: equal dumps mean nothing changed."""
        tables = [t.name for t in Base.metadata.sorted_tables] + ["alembic_version"]
        with self.engine.connect() as conn:
            return [(name, sorted(repr(tuple(row)) for row in conn.execute(text(f"SELECT * FROM {name}"))))
                    for name in tables]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sweep-files")
    write_files(folder)
    return folder


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def register(request: pytest.FixtureRequest, files: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Register]:
    """The bundled register, loaded once per backend, with the clock pinned to TODAY."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KCN_TODAY", TODAY)
        mp.setenv("USER", "sweep")
        if request.param == "sqlite":
            reg = Register("sqlite", f"sqlite:///{tmp_path_factory.mktemp('sweep-db') / 'kcn.sqlite'}", files)
            yield reg
            reg.engine.dispose()
        else:
            with postgres_schema() as url:
                reg = Register("postgres", url, files)
                yield reg
                reg.engine.dispose()
    figures = FIGURES.get(request.param, {})
    print(f"\n[sweep {request.param}] cases: {figures.get('cases', 0)}, refused: {figures.get('refused', 0)}, "
          f"tracebacks: {figures.get('tracebacks', 0)}, unchanged database: {figures.get('unchanged', 0)}")


def test_there_are_at_least_300_cases_over_every_command():
    assert len(CASES) >= 300
    commands = {" ".join(c.args[:2]) for c in CASES}
    for command in ("energy update", "zones update", "obstacle add", "obstacle resolve", "import updates", "import geometry",
                    "energy list", "zones list", "zones show", "energy show", "changes --from", "history"):
        assert any(c.startswith(command.split()[0]) and command.split()[-1] in c for c in commands), command


@pytest.mark.parametrize("case", CASES, ids=[c.id[:80] for c in CASES])
def test_bad_input_is_refused_cleanly(register: Register, case):
    args = [a.replace("{dir}", str(register.files)) for a in case.args]
    result = CliRunner().invoke(cli, ["--db", register.url, *args], catch_exceptions=True)
    figures = FIGURES.setdefault(register.backend, {"cases": 0, "refused": 0, "tracebacks": 0, "unchanged": 0})
    figures["cases"] += 1
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    figures["tracebacks"] += crashed
    figures["refused"] += result.exit_code != 0
    unchanged = register.dump() == register.baseline
    figures["unchanged"] += unchanged
    output = result.output
    assert not crashed, f"traceback: {result.exc_info!r}\n{output}"
    assert "Traceback" not in output
    assert result.exit_code != 0, output
    assert case.names.lower() in output.lower(), output
    assert unchanged, f"the database changed: {output}"
    assert not any((register.files / "out").iterdir()), "a refused command left an output file"
