"""Column layout of ``cli.table``: which characters it draws itself, and how wide each column is.

rich's rules (``rich.cells``, ``Table._calculate_column_widths``, ``rich._ratio``) rewritten for
plain strings whose every character takes one terminal cell. Widths are computed from each
column's longest line, measured once (a 10,000-row list is measured in one pass per column).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

#: Characters that take exactly one terminal cell in rich (``rich.cells``; checked by the tests):
#: printable ASCII, Latin-1 and Latin Extended, Vietnamese, Greek, Cyrillic, common punctuation.
_RANGES = ((0x20, 0x7E), (0xA0, 0xAC), (0xAE, 0x2FF), (0x370, 0x482), (0x1E00, 0x1EFF), (0x2010, 0x2027),
           (0x2030, 0x205E), (0x2190, 0x21FF), (0x2200, 0x22FF), (0x2500, 0x25FC))
_OTHER_CELLS = re.compile("[^" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in _RANGES) + "]")


def one_cell(text: str) -> bool:
    """Whether every character of ``text`` takes one cell (a regular expression: fast on 10,000 rows).

    The only line break such text can hold is "\\n" (every control character is outside the ranges),
    so its lines are ``text.split("\\n")``.
    """
    return _OTHER_CELLS.search(text) is None


def one_cell_characters() -> frozenset[str]:
    """The characters ``one_cell`` accepts (for the tests)."""
    return frozenset(chr(c) for start, end in _RANGES for c in range(start, end + 1))


def longest_line(cells: Sequence[str]) -> int:
    """The longest line of any of ``cells`` (one-cell text; at least one cell): one pass over the column."""
    joined = "\n".join(cells)
    if joined.count("\n") == len(cells) - 1:  # one line each (the usual column)
        return max(map(len, cells))
    return max(map(len, joined.split("\n")))


def padding(table: Any, index: int) -> tuple[int, int]:
    """(left, right) padding of column ``index`` (``Table._get_cells``, padding (0, 1))."""
    left = right = 1
    if table.collapse_padding and index:
        left = 0
    if not table.pad_edge:
        left = 0 if index == 0 else left
        right = 0 if index == len(table.columns) - 1 else right
    return left, right


def _padding_width(table: Any, index: int) -> int:
    """``Table._get_padding_width`` (which counts collapsed padding its own way)."""
    left, right = 1, 1
    if table.collapse_padding:
        left, right = 0, 1
    if not table.pad_edge:
        left = 0 if index == 0 else left
        right = 0 if index == len(table.columns) - 1 else right
    return left + right


def _measure(table: Any, longest: int, index: int, max_width: int) -> int:
    """The maximum of ``Table._measure_column`` (the minimum never decides a width); ``longest``: the
    column's longest line."""
    if max_width < 1:
        return 0
    column = table.columns[index]
    if column.width is not None:
        return min(column.width + _padding_width(table, index), max_width)
    left, right = padding(table, index)
    if max_width - left - right < 1:
        return max_width
    # A cell's text measures at most max_width (0 when empty); its padding is added to that.
    return min(min(longest, max_width) + left + right, max_width)


def _ratio_reduce(total: int, ratios: list[int], maximums: list[int], values: list[int]) -> list[int]:
    """``rich._ratio.ratio_reduce``."""
    ratios = [ratio if maximum else 0 for ratio, maximum in zip(ratios, maximums)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    remaining, out = total, []
    for ratio, maximum, value in zip(ratios, maximums, values):
        if ratio and total_ratio > 0:
            distributed = min(maximum, round(ratio * remaining / total_ratio))
            out.append(value - distributed)
            remaining -= distributed
            total_ratio -= ratio
        else:
            out.append(value)
    return out


def _collapse(widths: list[int], wrapable: list[bool], max_width: int) -> list[int]:
    """``Table._collapse_widths``: shrink the widest wrapable columns first."""
    total = sum(widths)
    excess = total - max_width
    if any(wrapable):
        while total and excess > 0:
            widest = max(w for w, ok in zip(widths, wrapable) if ok)
            second = max(w if ok and w != widest else 0 for w, ok in zip(widths, wrapable))
            ratios = [1 if (w == widest and ok) else 0 for w, ok in zip(widths, wrapable)]
            if not any(ratios) or not widest - second:
                break
            widths = _ratio_reduce(excess, ratios, [min(excess, widest - second)] * len(widths), widths)
            total = sum(widths)
            excess = total - max_width
    return widths


def widths(table: Any, longest: list[int], max_width: int) -> list[int]:
    """``Table._calculate_column_widths`` (no expand, no minimum width), from each column's longest line."""
    out = [_measure(table, longest[i], i, max_width) or 1 for i in range(len(table.columns))]
    if sum(out) > max_width:
        out = _collapse(out, [c.width is None and not c.no_wrap for c in table.columns], max_width)
        if sum(out) > max_width:
            out = _ratio_reduce(sum(out) - max_width, [1] * len(out), out, out)
        out = [_measure(table, longest[i], i, width) for i, width in enumerate(out)]
    return out
