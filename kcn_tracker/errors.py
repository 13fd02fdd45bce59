"""Errors a user can cause: each carries a plain message and a CLI exit code."""

from __future__ import annotations

from dataclasses import dataclass


class KcnError(Exception):
    """Base of every error that is the user's input, not a bug. Never shown as a traceback."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnknownRecord(KcnError):
    """No zone or project matches the given name or code."""

    exit_code = 2


class AmbiguousName(KcnError):
    """Several records match; the message lists them."""

    exit_code = 2


class InvalidValue(KcnError):
    """A value (stage, number, date...) is not acceptable."""

    exit_code = 2


class InvalidTransition(KcnError):
    """A stage move that the workflow does not allow."""

    exit_code = 2


class ConcurrentUpdate(KcnError):
    """The record changed since it was read; nothing was written."""

    exit_code = 3


class DatabaseError(KcnError):
    """The database cannot be opened or migrated."""

    exit_code = 4


class SchemaTooNew(DatabaseError):
    """The database was migrated by a newer kcn-tracker than this one."""


class OutputError(KcnError):
    """An output file or folder cannot be written (missing folder, a directory, no permission, disk full...)."""

    exit_code = 5


@dataclass(frozen=True)
class Problem:
    """One validation problem, located as precisely as the input allows."""

    message: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.sheet:
            where.append(f"sheet {self.sheet}")
        if self.row is not None:
            where.append(f"dòng/row {self.row}")
        if self.field:
            where.append(f"cột/field {self.field}")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


class ValidationFailed(KcnError):
    """Several problems found before writing; nothing was written."""

    exit_code = 2

    def __init__(self, problems: list[Problem], *, title: str = "Dữ liệu không hợp lệ, không ghi gì vào cơ sở dữ liệu / invalid input, nothing written") -> None:
        self.problems = list(problems)
        lines = [title + ":"] + [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))
