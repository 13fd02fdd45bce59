"""Stages of a tenant project and the moves between them, declared as data (as ``kcn_tracker.stages``).

registered → land handed over → construction → operating, with the side states
suspended (ngừng hoạt động, Investment Law 2020 Art. 47) and revoked (chấm dứt hoạt
động / thu hồi GCNĐKĐT, Art. 48). Revoked is final; every move that is not forward
in ``ALLOWED_MOVES`` needs a reason.
"""

from __future__ import annotations

from functools import cache

from kcn_tracker.errors import InvalidTransition, InvalidValue
from kcn_tracker.stages import Stage
from kcn_tracker.text import fold

TENANT_STAGES: tuple[Stage, ...] = (
    Stage("registered", "Đã cấp GCNĐKĐT", "Registered (investment certificate issued)", 1, "pre-construction"),
    Stage("land_handed_over", "Đã bàn giao đất", "Land handed over", 2, "pre-construction"),
    Stage("construction", "Đang xây dựng", "Under construction", 3, "construction"),
    Stage("operating", "Đang hoạt động", "Operating", 4, "operating"),
    Stage("suspended", "Tạm ngừng hoạt động", "Suspended", None, "shelved"),
    Stage("revoked", "Chấm dứt hoạt động (thu hồi GCNĐKĐT)", "Terminated (certificate revoked)", None, "cancelled"),
)
#: A project counts as valid (còn hiệu lực) in every stage except these.
ENDED = ("revoked",)

_FORWARD = {"registered": ("land_handed_over", "construction", "operating"),
            "land_handed_over": ("construction", "operating"),
            "construction": ("operating",),
            "operating": ()}
_WITH_REASON = {"registered": ("suspended", "revoked"),
                "land_handed_over": ("registered", "suspended", "revoked"),
                "construction": ("land_handed_over", "suspended", "revoked"),
                "operating": ("construction", "suspended", "revoked"),
                "suspended": ("registered", "land_handed_over", "construction", "operating", "revoked"),
                "revoked": ()}
#: from-stage -> {to-stage: needs a reason}. A new project starts in any of the four main stages.
ALLOWED_MOVES: dict[str | None, dict[str, bool]] = {
    None: {s.key: False for s in TENANT_STAGES if not s.is_side_state},
    **{source: {**{t: False for t in _FORWARD.get(source, ())}, **{t: True for t in _WITH_REASON[source]}}
       for source in _WITH_REASON},
}


def tenant_stage(key: str) -> Stage:
    """The stage with this exact key (InvalidValue otherwise)."""
    for stage in TENANT_STAGES:
        if stage.key == key:
            return stage
    raise InvalidValue(f"giai đoạn/stage: “{key}” không tồn tại / unknown")


def parse_tenant_stage(text: str) -> str:
    """A stage key from its key or Vietnamese/English label (accents optional, a unique prefix is enough)."""
    wanted = fold(text).replace(" ", "_")
    names = _stage_names()
    exact = [k for k, c in names.items() if wanted in c]
    prefix = [k for k, c in names.items() if len(wanted) >= 4 and any(x.startswith(wanted) for x in c)]
    for found in (exact, prefix):
        if len(found) == 1:
            return found[0]
    raise InvalidValue(f"giai đoạn/stage: “{text}” không tồn tại; chọn / choose: {', '.join(s.key for s in TENANT_STAGES)}")


@cache
def _stage_names() -> dict[str, set[str]]:
    return {s.key: {s.key, fold(s.label_vi).replace(" ", "_"), fold(s.label_en).replace(" ", "_")} for s in TENANT_STAGES}


def stage_label(key: str | None) -> str:
    """Vietnamese label of a stage key ("—" when unknown)."""
    return tenant_stage(key).label_vi if key else "—"


def check_tenant_move(current: str | None, new: str, *, reason: str | None) -> None:
    """Raise InvalidTransition unless ``current`` → ``new`` is declared (and has its reason when needed)."""
    if current == new:
        return
    allowed = ALLOWED_MOVES.get(current, {})
    if new not in allowed:
        raise InvalidTransition(
            f"Không thể chuyển dự án thứ cấp từ “{stage_label(current) if current else 'chưa có'}” sang "
            f"“{stage_label(new)}” / move {current} → {new} is not allowed"
            + (" (dự án đã chấm dứt hoạt động là trạng thái cuối / revoked is final)" if current == "revoked" else ""))
    if allowed[new] and not (reason and reason.strip()):
        raise InvalidTransition(
            f"Chuyển từ “{stage_label(current)}” sang “{stage_label(new)}” cần ghi lý do (--note) / "
            f"{current} → {new} needs a reason (--note)")
