"""Report charts (matplotlib, Agg): PNG at print resolution with Vietnamese labels.

Each chart has a ``*_figure`` builder (tests inspect its texts for missing glyphs)
and a PNG wrapper. The font is set explicitly to DejaVu Sans, which matplotlib
ships and which covers Vietnamese; PNG metadata carries no software version, so
the same data gives the same bytes.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

from kcn_tracker import style
from kcn_tracker.stages import label as stage_label
from kcn_tracker.text import format_number

DPI = 200
FONT = "DejaVu Sans"
NO_DATA = "chưa có số liệu"
OCCUPANCY_GOAL = 0.70
#: One colour per technology: the map's (kcn_tracker.style), so a chart and the map agree.
COLOURS = style.TECH_COLOURS


def _pyplot() -> Any:
    """pyplot on the Agg backend with DejaVu Sans (imported here: matplotlib is heavy)."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.family": FONT, "font.size": 9, "svg.hashsalt": "kcn", "axes.titlesize": 10})
    return plt


def to_png(fig: Any) -> bytes:
    """The figure as PNG bytes at ``DPI``, without a timestamp or software tag; closes the figure."""
    import io

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    _pyplot().close(fig)
    return buffer.getvalue()


def _n(value: float) -> str:
    return format_number(value, decimals=0)


def energy_path_figure(energy: Sequence[Mapping[str, Any]]) -> Any:
    """Small multiples, one per energy target: MW operating (cumulative) and expected vs the target.

    ``energy`` is ``ProgressReport.as_dict()["energy"]``. The straight "lộ trình đều"
    line is a reference only: the documents give no year-by-year path.
    """
    plt = _pyplot()
    fig, axes = plt.subplots(2, 3, figsize=(10, 6.2), sharex=True)
    flat = list(axes.flat)
    for ax, target in zip(flat, energy):
        years = sorted(target["cumulative_by_year"], key=int)
        xs = [int(y) for y in years]
        online, running = [], 0.0
        for y in years:
            running += target["online_by_year"].get(y, 0.0)
            online.append(running)
        total = [target["cumulative_by_year"][y] for y in years]
        goal = target["target_mw"]
        start = xs[0] - 1
        ax.bar(xs, online, color=style.CHART["operating"], label="Đã vận hành (lũy kế)")
        ax.bar(xs, [t - o for t, o in zip(total, online)], bottom=online, color=style.CHART["expected"], label="Dự kiến (lũy kế)")
        ax.plot([start, xs[-1]], [0, goal], color=style.CHART["target"], linestyle="--", linewidth=1, label="Lộ trình đều (tham chiếu)")
        ax.axhline(goal, color=style.CHART["target"], linewidth=1.2, label="Chỉ tiêu đến hạn")
        short = "tổng công suất mới" if target["target_id"] == "T2" else target["label_vi"].removeprefix("Trong đó: ")
        title = textwrap.shorten(f"{target['target_id']}: {short}", 80, placeholder="…")
        ax.set_title("\n".join(textwrap.wrap(title, 40)) + f"\nchỉ tiêu {_n(goal)} MW", fontsize=8.5)
        ax.set_xticks(xs)
        ax.tick_params(labelsize=7.5)
        ax.yaxis.set_major_formatter(_vi_formatter())
    for ax in flat[len(energy):]:
        ax.set_visible(False)
    handles, labels = flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=4, frameon=False, fontsize=8)
    fig.suptitle("Công suất vận hành lũy kế so với chỉ tiêu 2025–2030 (MW)", fontsize=11)
    fig.supylabel("MW", fontsize=9)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    return fig


def _vi_formatter() -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _pos: format_number(value, decimals=0))


def stage_figure(by_stage: Mapping[str, Mapping[str, float]], tech_labels: Mapping[str, str]) -> Any:
    """Horizontal bars, one per stage, stacked by technology (``mw_by_stage_technology``)."""
    plt = _pyplot()
    stages = list(by_stage)
    technologies = sorted({t for row in by_stage.values() for t in row}, key=lambda t: list(COLOURS).index(t) if t in COLOURS else 99)
    fig, ax = plt.subplots(figsize=(9, 0.45 * max(len(stages), 3) + 1.6))
    left = [0.0] * len(stages)
    positions = list(range(len(stages)))[::-1]
    for tech in technologies:
        values = [by_stage[s].get(tech, 0.0) for s in stages]
        ax.barh(positions, values, left=left, color=style.tech_colour(tech), label=tech_labels.get(tech, tech))
        left = [a + b for a, b in zip(left, values)]
    for y, total in zip(positions, left):
        ax.text(total, y, f" {format_number(total)}", va="center", fontsize=7.5)
    ax.set_yticks(positions, [stage_label("project", s) if s != "unknown" else "Chưa rõ" for s in stages], fontsize=8)
    ax.xaxis.set_major_formatter(_vi_formatter())
    ax.set_xlabel("MW")
    ax.set_title("Công suất theo giai đoạn và công nghệ (MW)")
    ax.set_xlim(0, max(left + [1.0]) * 1.15)
    ax.legend(loc="lower right", fontsize=7.5, frameon=False)
    fig.tight_layout()
    return fig


def occupancy_figure(points: Sequence[tuple[str, float | None]]) -> Any:
    """One bar per zone against 70 %; zones without data say so instead of showing 0 %."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 0.42 * max(len(points), 3) + 1.4))
    positions = list(range(len(points)))[::-1]
    for y, (name, ratio) in zip(positions, points):
        if ratio is None:
            ax.text(1, y, NO_DATA, va="center", fontsize=8, color=style.CHART["note"], style="italic")
            continue
        ax.barh(y, ratio * 100, color=style.CHART["operating"] if ratio >= OCCUPANCY_GOAL else style.CHART["below_goal"])
        ax.text(ratio * 100, y, f" {format_number(ratio * 100)} %", va="center", fontsize=8)
    ax.axvline(OCCUPANCY_GOAL * 100, color=style.CHART["target"], linestyle="--", linewidth=1.2, label="Mục tiêu T4: 70 %")
    ax.set_yticks(positions, [name for name, _ in points], fontsize=8)
    ax.set_xlim(0, 110)
    ax.set_ylim(-0.7, max(len(points), 1) - 0.3)
    ax.set_xlabel("Tỷ lệ lấp đầy (%)")
    ax.set_title("Tỷ lệ lấp đầy KCN/CCN đang hoạt động")
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    if not points:
        ax.text(0.5, 0.5, "Chưa có KCN/CCN đang hoạt động", transform=ax.transAxes, ha="center")
    fig.tight_layout()
    return fig


def energy_path_chart(energy: Sequence[Mapping[str, Any]]) -> bytes:
    """PNG of ``energy_path_figure``."""
    return to_png(energy_path_figure(energy))


def stage_chart(by_stage: Mapping[str, Mapping[str, float]], tech_labels: Mapping[str, str]) -> bytes:
    """PNG of ``stage_figure``."""
    return to_png(stage_figure(by_stage, tech_labels))


def occupancy_chart(points: Sequence[tuple[str, float | None]]) -> bytes:
    """PNG of ``occupancy_figure``."""
    return to_png(occupancy_figure(points))


def missing_glyphs(fig: Any) -> dict[str, str]:
    """Every text of ``fig`` whose characters DejaVu Sans lacks: {text: missing characters} (empty = fine)."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font
    from matplotlib.text import Text

    font = FT2Font(font_manager.findfont(FONT, fallback_to_default=False))
    found = {}
    for artist in fig.findobj(Text):
        text = artist.get_text()
        missing = "".join(sorted({c for c in text if not c.isspace() and font.get_char_index(ord(c)) == 0}))
        if missing:
            found[text] = missing
    return found
