"""Text, choices and yes/no values: NFC, stripped, no control characters, within the column's size."""

from __future__ import annotations

import re
import unicodedata

from kcn_tracker.errors import InvalidValue

#: C0/C1 control characters (tab, CR and LF included: single-line fields) and Unicode bidi overrides.
_CONTROL = re.compile("[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]")
#: Multi-line text keeps line breaks (notes) but still refuses every other control character.
_CONTROL_MULTILINE = re.compile("[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"[ \t\u00a0]+")
TRUE_WORDS = ("true", "1", "yes", "y", "co", "x", "dung")
FALSE_WORDS = ("false", "0", "no", "n", "khong", "sai")


def printable(value: object, limit: int = 60) -> str:
    """``value`` safe to quote in a message: control characters as escapes (``terminal.printable``), cut at ``limit``."""
    from kcn_tracker.terminal import printable as escape

    text = escape(unicodedata.normalize("NFC", str(value)))
    return text if len(text) <= limit else text[:limit] + "…"


def clean_text(value: object, *, label: str, max_length: int | None = None, multiline: bool = False) -> str | None:
    """NFC text with spaces collapsed and ends stripped; empty -> None; control characters and overlong text refused."""
    if value is None:
        return None
    text = unicodedata.normalize("NFC", str(value))
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    pattern = _CONTROL_MULTILINE if multiline else _CONTROL
    if (bad := pattern.search(text)) is not None:
        raise InvalidValue(f"{label}: có ký tự điều khiển không in được (U+{ord(bad.group()):04X}) / "
                           "contains a control character")
    if multiline:
        text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n")).strip()
    elif "  " in text or "\t" in text or "\u00a0" in text:  # else every run of _SPACES is one space already
        text = _SPACES.sub(" ", text).strip()
    else:
        text = text.strip()
    if text == "":
        return None
    if max_length is not None and len(text) > max_length:
        raise InvalidValue(f"{label}: dài {len(text)} ký tự, tối đa {max_length} / "
                           f"is {len(text)} characters long, at most {max_length} allowed")
    return text


def parse_choice(value: object, choices: tuple[str, ...], *, label: str, labels: dict[str, str] | None = None) -> str | None:
    """One of ``choices`` (returned as declared) from the key or its Vietnamese label in ``labels``
    (``kcn_tracker.labels``), case and accents optional; empty -> None."""
    from kcn_tracker.labels import key_for

    text = clean_text(value, label=label, max_length=200)
    if text is None:
        return None
    key = key_for(text, choices, labels or {})
    if key is not None:
        return key
    offered = ", ".join(f"“{labels[c]}” ({c})" if labels and c in labels else c for c in choices)
    raise InvalidValue(f"{label}: “{text}” không hợp lệ; chọn một trong / choose one of: {offered}")


def parse_bool(value: object, *, label: str) -> bool | None:
    """Yes/no from true/false, 1/0, có/không, x; anything else is refused (never silently False)."""
    from kcn_tracker.text import fold

    if isinstance(value, bool) or value is None:
        return value
    text = clean_text(value, label=label, max_length=20)
    if text is None:
        return None
    word = fold(text)
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise InvalidValue(f"{label}: “{text}” không phải có/không / is not yes/no (có, không, true, false, 1, 0)")
