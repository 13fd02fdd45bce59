"""The report's sentences, written from the numbers: results, changes, obstacles, tasks and recommendations.

Each function returns blocks for one part of the body. Only names, Vietnamese
labels and numbers appear here, never record codes or commands: the appendix
carries the codes.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from kcn_tracker.fields import OBSTACLE_CATEGORIES
from kcn_tracker.quantities import minus, total
from kcn_tracker.reports.blocks import NO_DATA, Block, Heading, Paragraph, ReportContent
from kcn_tracker.reports.content import Inputs, category_label, field_label, ha, mw, percent, stage_vi
from kcn_tracker.text import format_date, format_number

#: How many items a bullet list in the body names before referring to the appendix.
MAX_LISTED = 10


def _names(names: list[str], limit: int = 6, noun: str = "dự án, khu") -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" và {len(names) - limit} {noun} khác" if len(names) > limit else "")


def energy_paragraphs(ctx: Inputs) -> list[Block]:
    """One sentence per energy target: operating against the target, what is expected, the verdict."""
    blocks: list[Block] = []
    for e in ctx.progress["energy"]:
        name = e["label_vi"].removeprefix("Trong đó: ")
        name = name[0].upper() + name[1:]
        sentence = (f"{name}: đã đưa vào vận hành {mw(e['counted_mw'])}/{mw(e['target_mw'])}, đạt "
                    f"{percent(e['counted_mw'], e['target_mw'])} chỉ tiêu; dự kiến thêm {mw(e['firm_mw'])} từ các dự án "
                    f"đang thi công trở lên và {mw(e['possible_mw'])} từ các dự án ở giai đoạn chuẩn bị đầu tư có ngày vận "
                    f"hành dự kiến trước hạn; đánh giá: {ctx.verdict_vi(e['target_id']) or NO_DATA}.")
        blocks.append(Paragraph(sentence, "normal" if e["target_id"] == "T2" else "bullet"))
    if ctx.progress.get("t3_target_mw") is not None:
        blocks.append(Paragraph(
            f"Tổng công suất nguồn điện vận hành trên địa bàn đến năm 2030 (chỉ tiêu {mw(ctx.progress['t3_target_mw'])}): "
            f"đã biết {mw(ctx.progress['t3_known_operating_mw'])} đang vận hành, dự kiến thêm "
            f"{mw(ctx.progress['t3_expected_by_deadline_mw'])} trước hạn; {ctx.verdict_vi('T3') or NO_DATA} "
            "do chưa có số liệu công suất đã vận hành trước năm 2025."))
    overall = next((e["target_mw"] for e in ctx.progress["energy"] if e["target_id"] == "T2"), None)
    parts = total(e["target_mw"] for e in ctx.progress["energy"] if e["target_id"] != "T2")
    if overall and parts and overall != parts:
        blocks.append(Paragraph(f"Ghi chú: các chỉ tiêu theo nhóm nguồn điện cộng lại {mw(parts)}, chênh lệch "
                                f"{mw(minus(overall, parts))} so với chỉ tiêu chung {mw(overall)}; văn bản giao chỉ tiêu không nêu "
                                "phần chênh lệch thuộc nhóm nào.", "note"))
    unknown = total(e["unknown_date_mw"] for e in ctx.progress["energy"] if e["target_id"] == "T2")
    if unknown:
        blocks.append(Paragraph(f"Ghi chú: {mw(unknown)} đang vận hành nhưng chưa rõ ngày bắt đầu phát điện (có thể trước "
                                "năm 2025) nên chưa được tính vào kết quả.", "note"))
    return blocks


def land_paragraphs(ctx: Inputs) -> list[Block]:
    """Industrial land: new land in operation, pipeline, occupancy, the 100 % zones, new KCN and the land fund."""
    land = ctx.progress["land"]
    target = ctx.targets.get("T1")
    pipeline = total(land["pipeline_ha_by_stage"].values())
    firm = land["pipeline_ha_by_stage"].get("construction", 0.0)
    blocks: list[Block] = [Paragraph(
        f"Đất công nghiệp mới đưa vào khai thác (tính từ ngày 01/01/2026): {ha(land['new_land_ha'])}"
        + (f"/{ha(target)}, đạt {percent(land['new_land_ha'], target)} chỉ tiêu" if target else "")
        + f" ({len(land['new_zones'])} khu); đang xây dựng hạ tầng {ha(firm)}; tổng diện tích các khu, cụm đang triển khai "
        f"ở mọi giai đoạn {ha(pipeline)}; đánh giá: {ctx.verdict_vi('T1') or NO_DATA}.")]
    occupancy = land.get("t4_occupancy")
    with_data = [z for z in land["occupancy"] if z["occupancy"] is not None]
    blocks.append(Paragraph(
        "Tỷ lệ lấp đầy chung các khu công nghiệp đang hoạt động: "
        + (f"{format_number(occupancy * 100, decimals=1)} % (tính trên {len(with_data)} khu có số liệu), mục tiêu trên 70 %."
           if occupancy is not None else f"{NO_DATA} ({len(land['occupancy'])} khu đang hoạt động chưa báo cáo diện tích cho thuê).")))
    fill = [z for z in land["fill_2026"]]
    if fill:
        parts = [f"{z['kind']} {z['name']} {NO_DATA if z['occupancy'] is None else format_number(z['occupancy'] * 100, decimals=1) + ' %'}"
                 for z in fill]
        blocks.append(Paragraph(f"Các khu phải lấp đầy 100 % trong năm 2026: {'; '.join(parts)}; đánh giá: "
                                f"{ctx.verdict_vi('T5') or NO_DATA}."))
    fund = ctx.verdict("T6-fund")
    blocks.append(Paragraph(
        f"Khu công nghiệp mới hoàn thành hạ tầng: {land['new_kcn_operating']}/5 khu ({land['new_kcn_firm']} khu đang xây dựng "
        f"hạ tầng, {land['new_kcn_total']} khu đang triển khai; {land['new_kcn_high_tech']} khu định hướng công nghệ cao); "
        f"đánh giá: {ctx.verdict_vi('T6') or NO_DATA}. Tổng quỹ đất khu công nghiệp {ha(land['land_fund_ha'])}"
        + (f" ({land['land_fund_without_area']} khu chưa có số liệu diện tích)" if land["land_fund_without_area"] else "")
        + f", so với yêu cầu trên 3.500 ha: {fund['verdict_vi'] if fund else NO_DATA}."))
    return blocks


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _change_sentences(items: list[Any]) -> list[str]:
    """The period's changes as sentences, most telling first: MW online, zones opening, stage moves grouped by the
    stage reached (most advanced first), obstacles resolved and opened, leasing."""
    from kcn_tracker.stages import get_stage

    sentences = []
    for i in (i for i in items if i.category == "mw_online"):
        sentences.append(f"{_capital(i.name)}: công suất vận hành tăng từ {mw(i.old)} lên {mw(i.new)} "
                         f"(ngày {format_date(i.effective_on)}).")
    moves: dict[tuple[str, str], list[Any]] = {}
    for i in (i for i in items if i.category in ("stage", "created") and i.new):
        moves.setdefault((i.record_type, i.new), []).append(i)

    def rank(key: tuple[str, str]) -> tuple[int, int]:
        order = get_stage(key[0], key[1]).order  # type: ignore[arg-type]
        return (0 if key[0] == "zone" else 1, -(order if order is not None else 0))

    for (record_type, stage), group in sorted(moves.items(), key=lambda kv: rank(kv[0])):
        noun = "dự án" if record_type == "project" else "khu, cụm công nghiệp"
        names = list(dict.fromkeys(i.name for i in group))
        sentences.append(f"{len(group)} {noun} chuyển sang giai đoạn “{stage_vi(record_type, stage)}”: {_names(names, noun=noun)}.")
    for category, verb in (("obstacle_resolved", "đã giải quyết"), ("obstacle_opened", "phát sinh")):
        for i in (i for i in items if i.category == category):
            sentences.append(f"{_capital(i.name)}: {verb} vướng mắc về {category_label(i.field).lower()} "
                             f"(ngày {format_date(i.effective_on)}).")
    for i in (i for i in items if i.category == "occupancy"):
        old = format_number(i.old) if i.old is not None else NO_DATA
        sentences.append(f"{_capital(i.name)}: {field_label(i.record_type, i.field).lower()} từ {old} lên "
                         f"{format_number(i.new) if i.new is not None else NO_DATA} (ngày {format_date(i.effective_on)}).")
    return sentences


def changes_section(content: ReportContent, ctx: Inputs) -> None:
    """II. What changed in the period, in sentences; the full list is in the appendix."""
    items = ctx.changes
    count = Counter(i.category for i in items)
    online = total(minus(i.new, i.old) for i in items if i.category == "mw_online")
    entered = [i for i in items if i.category in ("stage", "created") and i.record_type == "zone" and i.new == "operating"]
    content.blocks.append(Heading(f"II. TÌNH HÌNH THAY ĐỔI TRONG KỲ ({ctx.period.range_vi})"))
    if not items:
        content.blocks.append(Paragraph("Trong kỳ không có thay đổi nào được ghi nhận trong sổ theo dõi."))
        return
    content.blocks.append(Paragraph(
        f"Trong kỳ ghi nhận {len(items)} thay đổi: {count['created']} dự án, khu mới được đưa vào sổ theo dõi; "
        f"{count['stage']} lượt chuyển giai đoạn; {mw(online)} công suất mới "
        f"đưa vào vận hành; {len(entered)} khu, cụm công nghiệp đi vào hoạt động; {count['occupancy']} thay đổi về cho thuê "
        f"đất, lấp đầy; {count['obstacle_opened']} vướng mắc mới phát sinh và {count['obstacle_resolved']} vướng mắc được "
        "giải quyết. Các thay đổi chính:"))
    sentences = _change_sentences(items)
    content.blocks += [Paragraph(s, "bullet") for s in sentences[:MAX_LISTED]]
    content.blocks.append(Paragraph("Danh sách đầy đủ các thay đổi, kèm văn bản căn cứ, tại Phụ lục I kèm theo báo cáo này."))


def obstacles_section(content: ReportContent, ctx: Inputs) -> None:
    """III. Open obstacles by kind, the oldest first, and what is asked of whom."""
    stuck = ctx.progress["stuck"]
    content.blocks.append(Heading("III. KHÓ KHĂN, VƯỚNG MẮC"))
    if not stuck:
        content.blocks.append(Paragraph(f"Đến ngày {format_date(ctx.period.end)} không có vướng mắc nào đang mở."))
        return
    records = {s["code"] for s in stuck}
    mw_blocked = total(s["size"] for s in stuck if s["record_type"] == "project")
    content.blocks.append(Paragraph(
        f"Đến ngày {format_date(ctx.period.end)} còn {len(stuck)} vướng mắc chưa được giải quyết tại {len(records)} dự án, "
        f"khu, liên quan đến {mw(mw_blocked)} công suất chưa vận hành (chi tiết tại Phụ lục I):"))
    categories = sorted({s["category"] for s in stuck}, key=lambda k: list(OBSTACLE_CATEGORIES).index(k) if k in OBSTACLE_CATEGORIES else 99)
    for number, key in enumerate(categories, 1):
        group = sorted((s for s in stuck if s["category"] == key), key=lambda s: -s["days_open"])
        names = list(dict.fromkeys(s["name"] for s in group))
        content.blocks.append(Paragraph(
            f"{number}. Về {category_label(key).lower()}: {len(group)} vướng mắc tại {_names(names)}; "
            f"vướng mắc lâu nhất đã kéo dài {group[0]['days_open']} ngày ({group[0]['name']}: {group[0]['description'].rstrip('.')})."))


def _overdue(ctx: Inputs) -> list[dict[str, Any]]:
    end = ctx.period.end
    return [p for p in ctx.projects if p.get("expected_cod") and _date(p["expected_cod"]) <= end
            and p.get("stage") not in ("operating", "cancelled", "suspended")]


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def tasks_section(content: ReportContent, ctx: Inputs) -> None:
    """IV. Tasks for the next period and recommendations ("kiến nghị") to the recipients."""
    end = ctx.period.end
    horizon = end + dt.timedelta(days=183)
    coming = [p for p in ctx.projects if p.get("expected_cod") and end < _date(p["expected_cod"]) <= horizon
              and p.get("stage") not in ("operating", "cancelled", "suspended")]
    overdue = _overdue(ctx)
    content.blocks += [Heading("IV. NHIỆM VỤ TRỌNG TÂM VÀ KIẾN NGHỊ"), Heading("1. Nhiệm vụ trọng tâm kỳ tới", 2)]
    tasks = []
    if coming:
        tasks.append(f"Đôn đốc {len(coming)} dự án dự kiến vận hành đến ngày {format_date(horizon)} "
                     f"({mw(total(minus(p.get('capacity_mw'), p.get('capacity_operating_mw')) for p in coming))}): "
                     f"{_names([p['name'] for p in coming])}.")
    if overdue:
        tasks.append(f"Làm việc với chủ đầu tư {len(overdue)} dự án đã quá ngày vận hành dự kiến mà chưa vận hành: "
                     f"{_names([p['name'] for p in overdue])}; cập nhật tiến độ mới có văn bản xác nhận.")
    fill = [z for z in ctx.progress["land"]["fill_2026"] if not z["occupancy"] or z["occupancy"] < 1]
    if fill:
        tasks.append("Xúc tiến đầu tư, lấp đầy các khu phải đạt 100 % trong năm 2026: "
                     + ", ".join(f"{z['kind']} {z['name']}" for z in fill) + ".")
    missing = [z for z in ctx.progress["land"]["occupancy"] if z["occupancy"] is None]
    if missing:
        tasks.append(f"Thu thập số liệu diện tích cho thuê, lấp đầy của {len(missing)} khu, cụm đang hoạt động chưa có số liệu.")
    tasks.append("Tiếp tục cập nhật sổ theo dõi khi có văn bản mới, bảo đảm mỗi thay đổi có văn bản căn cứ.")
    content.blocks += [Paragraph(t, "bullet") for t in tasks]
    content.blocks.append(Heading("2. Kiến nghị", 2))
    stuck = ctx.progress["stuck"]
    asks = []
    for key in sorted({s["category"] for s in stuck}, key=lambda k: list(OBSTACLE_CATEGORIES).index(k) if k in OBSTACLE_CATEGORIES else 99):
        names = list(dict.fromkeys(s["name"] for s in stuck if s["category"] == key))
        asks.append(f"Chỉ đạo {ctx.settings.asks.get(key) or ctx.settings.asks['other']} đối với {_names(names, 4)}.")
    if ctx.verdict_vi("T3") == "chưa đủ số liệu":
        asks.append("Giao Sở Công Thương cung cấp số liệu tổng công suất nguồn điện đã vận hành trên địa bàn trước năm 2025 "
                    "để đánh giá được mục tiêu tổng công suất đến năm 2030.")
    if not asks:
        asks.append("Không có kiến nghị mới trong kỳ.")
    recipients = ", ".join(ctx.settings.recipients)
    content.blocks.append(Paragraph(f"Kính đề nghị {recipients} xem xét:"))
    content.blocks += [Paragraph(a, "bullet") for a in asks]
