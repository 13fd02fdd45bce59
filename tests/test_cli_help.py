"""``kcn --help`` lists every command from ``cli.SHORT_HELP`` without importing the command modules."""

from __future__ import annotations

import re

from click.testing import CliRunner

from kcn_tracker.cli import COMMANDS, SHORT_HELP, _load, cli
from tests.test_fast_imports import loaded_modules


def test_every_command_has_its_own_first_help_line():
    for name, target in COMMANDS.items():
        command = _load(target)
        first_line = (command.help or "").strip().splitlines()[0]
        assert SHORT_HELP.get(name) == first_line, f"set SHORT_HELP[{name!r}] = {first_line!r} in kcn_tracker/cli/__init__.py"


def test_help_listing_equals_clicks_own(monkeypatch):
    fast = CliRunner().invoke(cli, ["--help"], prog_name="kcn")
    monkeypatch.setattr("kcn_tracker.cli.SHORT_HELP", {})
    slow = CliRunner().invoke(cli, ["--help"], prog_name="kcn")
    assert fast.exit_code == slow.exit_code == 0
    # the padding follows the longest command name (indicators, since tenants landed)
    assert fast.output == slow.output and re.search(r"\n  summary +Tóm tắt sổ đăng ký", fast.output)


def test_help_imports_no_command_module(tmp_path):
    modules = loaded_modules(f"sqlite:///{tmp_path / 'unused.sqlite'}", "--help")
    assert "kcn_tracker.cli" in modules
    assert not [m for m in modules if m.startswith("kcn_tracker.cli.") and m != "kcn_tracker.cli.context"]
    assert "sqlalchemy" not in modules
