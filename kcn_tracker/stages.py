"""Investment stages of power projects and zones: order, labels, GEM mapping, allowed moves.

All rules about stage moves live here, so the CLI, importers and the bundled
loader apply the same ones.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Literal

from kcn_tracker.errors import InvalidTransition, InvalidValue
from kcn_tracker.text import fold

RecordType = Literal["project", "zone"]


@dataclass(frozen=True)
class Stage:
    """One stage: a short key to type, labels, order (None for side states) and GEM status."""

    key: str
    label_vi: str
    label_en: str
    order: int | None
    gem_status: str

    @property
    def is_side_state(self) -> bool:
        return self.order is None


PROJECT_STAGES: tuple[Stage, ...] = (
    Stage("in_plan", "Trong quy hoạch", "In the power plan", 1, "announced"),
    Stage("conformity_review", "Lấy ý kiến sự phù hợp quy hoạch", "Planning-conformity review", 2, "announced"),
    Stage("prefeasibility", "Tiền khả thi / đề xuất chủ trương đang thẩm định", "Pre-feasibility / policy proposal under appraisal", 3, "pre-construction"),
    Stage("policy_decision", "Đã có QĐ chủ trương đầu tư, đang lựa chọn nhà đầu tư", "Investment-policy decision, investor selection", 4, "pre-construction"),
    Stage("investor_approved", "Đã chấp thuận nhà đầu tư", "Investor approved", 5, "pre-construction"),
    Stage("site_clearance", "Đất đai, giải phóng mặt bằng", "Land and site clearance", 6, "pre-construction"),
    Stage("construction", "Đang thi công", "Under construction", 7, "construction"),
    Stage("partly_operating", "Vận hành một phần", "Partly operating", 8, "operating"),
    Stage("operating", "Vận hành thương mại", "In commercial operation", 9, "operating"),
    Stage("suspended", "Tạm dừng", "Suspended", None, "shelved"),
    Stage("cancelled", "Hủy bỏ / đưa ra khỏi quy hoạch", "Cancelled / removed from plan", None, "cancelled"),
)

ZONE_STAGES: tuple[Stage, ...] = (
    Stage("in_plan", "Trong quy hoạch", "In plan", 1, "announced"),
    Stage("policy_decision", "Đã thành lập / có QĐ chủ trương đầu tư", "Established / investment-policy decision", 2, "pre-construction"),
    Stage("site_clearance", "Giải phóng mặt bằng", "Site clearance", 3, "pre-construction"),
    Stage("construction", "Đang xây dựng hạ tầng", "Infrastructure under construction", 4, "construction"),
    Stage("operating", "Đang hoạt động", "Operating", 5, "operating"),
    Stage("suspended", "Tạm dừng", "Suspended", None, "shelved"),
    Stage("cancelled", "Hủy bỏ / đưa ra khỏi quy hoạch", "Cancelled / removed from plan", None, "cancelled"),
)

# A project without an investor may not reach these stages (it may reach
# investor_approved, which is the moment an investor comes to exist).
_NEEDS_INVESTOR_FROM = "construction"
SIDE_STATES = ("suspended", "cancelled")


def stages_for(record_type: RecordType) -> tuple[Stage, ...]:
    """The stages of a record type, in order, side states last."""
    return PROJECT_STAGES if record_type == "project" else ZONE_STAGES


def get_stage(record_type: RecordType, key: str) -> Stage:
    """The stage with this exact key (raises InvalidValue otherwise)."""
    for stage in stages_for(record_type):
        if stage.key == key:
            return stage
    raise InvalidValue(f"giai đoạn/stage: “{key}” không tồn tại / unknown")


def parse_stage(record_type: RecordType, text: str) -> Stage:
    """Resolve user input: the key, or the Vietnamese/English label (or the start of one,
    if only one stage starts so), with or without accents."""
    known = _stage_keys(record_type).get(text)
    if known is not None:  # a key, or a label exactly as written (a template's cell): no folding
        return known
    wanted = fold(text).replace(" ", "_")
    names = _stage_names(record_type)
    exact = [stage for stage, candidates in names.items() if wanted in candidates]
    prefix = [stage for stage, candidates in names.items() if len(wanted) >= 4 and any(c.startswith(wanted) for c in candidates)]
    for found in (exact, prefix):
        if len(found) == 1:
            return found[0]
    keys = ", ".join(s.key for s in stages_for(record_type))
    raise InvalidValue(f"giai đoạn/stage: “{text}” không tồn tại; chọn một trong / choose one of: {keys} (xem `kcn stages`)")


@functools.cache
def _stage_keys(record_type: RecordType) -> dict[str, Stage]:
    """Each stage by its key and by its labels exactly as written, where that text names one stage only."""
    index: dict[str, list[Stage]] = {}
    for stage in stages_for(record_type):
        for text in dict.fromkeys((stage.key, stage.label_vi, stage.label_en)):
            index.setdefault(text, []).append(stage)
    return {text: stages[0] for text, stages in index.items() if len(stages) == 1}


@functools.cache
def _stage_names(record_type: RecordType) -> dict[Stage, set[str]]:
    """Each stage's key and folded labels, folded once (an import parses a stage per row)."""
    return {stage: {stage.key, fold(stage.label_vi).replace(" ", "_"), fold(stage.label_en).replace(" ", "_")}
            for stage in stages_for(record_type)}


def label(record_type: RecordType, key: str | None) -> str:
    """Vietnamese label of a stage key ("—" when unknown)."""
    return get_stage(record_type, key).label_vi if key else "—"


def check_move(
    record_type: RecordType,
    current: str | None,
    new: str,
    *,
    reason: str | None,
    has_investor: bool,
    needs_investor: bool,
) -> None:
    """Raise InvalidTransition unless moving from ``current`` to ``new`` is allowed.

    Forward moves are normal (skipping stages is allowed: documents often report
    several steps at once). Moving back, into a side state, or out of one, needs a
    reason. A project that needs an investor cannot reach construction or beyond
    without one.
    """
    target = get_stage(record_type, new)
    if current is None or current == new:
        source_order = 0 if current is None else get_stage(record_type, current).order
    else:
        source_order = get_stage(record_type, current).order
    needs_reason = current is not None and current != new and (
        target.is_side_state or source_order is None or (target.order or 0) < (source_order or 0)
    )
    if needs_reason and not (reason and reason.strip()):
        raise InvalidTransition(
            f"Chuyển từ “{label(record_type, current)}” sang “{target.label_vi}” là lùi bước hoặc "
            "sang trạng thái đặc biệt: cần ghi lý do (--note) / moving back or into/out of a side "
            f"state ({current} → {new}) needs a reason (--note)."
        )
    if (
        record_type == "project"
        and needs_investor
        and not has_investor
        and not target.is_side_state
        and (target.order or 0) >= get_stage("project", _NEEDS_INVESTOR_FROM).order
    ):
        raise InvalidTransition(
            f"Không thể chuyển sang “{target.label_vi}” khi dự án chưa có nhà đầu tư: "
            "cần chấp thuận nhà đầu tư trước (--stage investor_approved, --investor TÊN) / "
            f"cannot move to {new} before an investor exists."
        )


def investor_exists(stage_history: list[str], investor: str | None) -> bool:
    """Whether a project has an investor: named, or it has passed the investor-approval stage."""
    if investor:
        return True
    approved = get_stage("project", "investor_approved").order or 0
    return any((get_stage("project", s).order or 0) >= approved for s in stage_history if s)
