"""Spreadsheet outputs are inert: text that a spreadsheet would run as a formula is written as text.

One rule for every .xlsx and .csv the tool writes (OWASP "CSV injection"): a text
value starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return could be
taken for a formula (``=HYPERLINK(...)``, ``@SUM(...)``, ``-2+3``) when the file is
opened. In xlsx such a value is stored as a string cell with Excel's "quote prefix"
(shown as typed, still text after editing); in CSV it gets a leading apostrophe, as
OWASP recommends. Numbers stay numbers: only ``str`` values are touched, so -5.0 is
written as the number -5.
"""

from __future__ import annotations

from typing import Any

#: First characters that make a spreadsheet read text as a formula (OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: Any) -> bool:
    """True for text a spreadsheet would evaluate (numbers and dates never)."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def csv_cell(value: Any) -> Any:
    """A CSV value with formula-like text neutralised by a leading apostrophe."""
    return "'" + value if looks_like_formula(value) else value


def inert_cell(cell: Any) -> Any:
    """Make an openpyxl cell (normal or write-only) hold formula-like text as text; returns the cell."""
    if looks_like_formula(cell.value) or cell.data_type == "f":
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def inert_workbook(book: Any) -> Any:
    """Apply ``inert_cell`` to every cell of a (not write-only) workbook before saving it; returns it."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    inert_cell(cell)
    return book
