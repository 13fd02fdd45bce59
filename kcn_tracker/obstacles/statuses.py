"""The statuses of an obstacle: keys to type, Vietnamese labels, which ones close it."""

from __future__ import annotations

from kcn_tracker.errors import InvalidValue
from kcn_tracker.text import fold

#: key -> (Vietnamese label, English label), in the order of an obstacle's life.
STATUSES: dict[str, tuple[str, str]] = {
    "new": ("Mới phát sinh", "New"),
    "in_progress": ("Đang xử lý", "In progress"),
    "waiting": ("Chờ cơ quan khác", "Waiting for another agency"),
    "resolved": ("Đã giải quyết", "Resolved"),
    "dropped": ("Không theo dõi nữa", "Dropped"),
}
CLOSED = ("resolved", "dropped")
OPEN = tuple(k for k in STATUSES if k not in CLOSED)


def status_label(key: str | None) -> str:
    """Vietnamese label of a status key ("—" when unknown)."""
    return STATUSES[key][0] if key in STATUSES else "—"


def parse_status(text: str) -> str:
    """A status key from its key or its Vietnamese/English label, accents optional."""
    wanted = fold(text).replace(" ", "_")
    for key, (vi, en) in STATUSES.items():
        if wanted in (key, fold(vi).replace(" ", "_"), fold(en).replace(" ", "_")):
            return key
    choices = "; ".join(f"{k} ({vi})" for k, (vi, _) in STATUSES.items())
    raise InvalidValue(f"trạng thái/status: “{text}” không hợp lệ; chọn / choose: {choices}")
