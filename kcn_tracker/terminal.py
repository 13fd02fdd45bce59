"""Stored text shown literally on a terminal: no escape sequences, no rich markup.

Names, notes and sources come from users and files. Printed raw, an ESC sequence
in a note would recolour, move or clear the terminal (or retitle it), and rich
would read "[seed 004]" as markup and swallow it. ``printable`` makes control
characters visible as ``\\x1b``-style escapes; ``literal`` wraps text in a rich
``Text`` object, which rich prints as is (no markup, no emoji codes).
"""

from __future__ import annotations

import re
from typing import Any

#: C0 and C1 control characters, DEL, and the Unicode bidirectional overrides/isolates
#: (they reorder what the reader sees: "Trojan source").
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_OR_NEWLINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    if char == "\t":
        return " "
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: Any, *, keep_newlines: bool = False) -> str:
    """``text`` as a string with every control character shown as an escape (``\\x1b``).

    Newlines become spaces in a table cell; ``keep_newlines`` keeps them (messages).
    """
    value = str(text)
    if value.isprintable():  # no control, format or line-separator character: nothing to show (the common case)
        return value
    if keep_newlines:
        return _CONTROL.sub(_visible, value.replace("\r\n", "\n"))
    spaced = value.replace("\n", " ")
    if spaced.isprintable():  # line breaks only (a table cell of lines): spaces
        return spaced
    return _CONTROL_OR_NEWLINE.sub(lambda m: " " if m.group() in "\n\r" else _visible(m), value)


def literal(text: Any, style: str = "") -> Any:
    """A rich ``Text`` of ``text`` made printable: rich shows it exactly, markup included."""
    from rich.text import Text

    return Text(printable(text), style=style)
