"""Collect the example commands people are shown: the README's command block and every `--help` text."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click

REPO = Path(__file__).resolve().parent.parent
_EXAMPLE = re.compile(r"^\s*(kcn\s.+?)(?:\s{2,}\S.*)?$")


def readme_examples(path: Path = REPO / "README.md") -> list[str]:
    """Every ``kcn ...`` line of the README's shell blocks (continuation lines joined, comments dropped)."""
    examples, block, pending = [], False, ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            block = not block
            continue
        if not block:
            continue
        text = pending + " " + line.strip() if pending else line.strip()
        if text.endswith("\\"):
            pending = text[:-1].strip()
            continue
        pending = ""
        text = re.sub(r"\s+#\s.*$", "", text).strip()
        if text.startswith("kcn "):
            examples.append(text)
    return examples


def _commands(group: click.Command, ctx: click.Context, path: list[str]):
    yield path, group
    if isinstance(group, click.Group):
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            if command is not None and not command.hidden:
                yield from _commands(command, click.Context(command, parent=ctx, info_name=name), [*path, name])


def help_examples() -> list[tuple[str, str]]:
    """(command path, example) for every ``kcn ...`` line in every command's help text."""
    from kcn_tracker.cli import cli

    found = []
    root = click.Context(cli, info_name="kcn")
    for path, command in _commands(cli, root, []):
        for line in (command.help or "").splitlines():
            line = re.sub(r"^\s*Ví dụ(?: \([^)]*\))?(?: / examples)?:\s*", "", line)
            match = _EXAMPLE.match(line)
            if match:
                found.append((" ".join(path) or "kcn", match.group(1).strip()))
    return found


def argv(example: str) -> list[str]:
    """The arguments after ``kcn`` (or ``python3 -m kcn_tracker``)."""
    words = shlex.split(example)
    return words[1:] if words[0] == "kcn" else words[3:]
