"""The static picture (kcn map --png, the report's map): sized to the page, names without overlaps, scale
bar, north arrow, neighbours, full legend, data credits, imported polygons drawn."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kcn_tracker import style
from kcn_tracker.db import make_engine, session_scope
from kcn_tracker.maps import MapOptions, briefing_payload, collect_briefing


def _briefing(url: str, **options: object):
    engine = make_engine(url)
    with session_scope(engine) as session:
        briefing = collect_briefing(session, MapOptions(as_of=dt.date(2026, 1, 1), **options))  # type: ignore[arg-type]
    engine.dispose()
    return briefing


@pytest.fixture(scope="module")
def picture(bundled_sqlite: str):
    import matplotlib.pyplot as plt

    from kcn_tracker.maps.picture import picture_figure

    briefing = _briefing(f"sqlite:///{bundled_sqlite}")
    fig = picture_figure(briefing, width_cm=15.5, height_cm=22)
    fig.canvas.draw()
    yield fig, briefing
    plt.close(fig)


def _texts(fig) -> list:
    from matplotlib.text import Text

    return [t for t in fig.findobj(Text) if t.get_text() and t.get_visible()]


@pytest.mark.parametrize("page", ["portrait", "landscape"])
def test_picture_is_exactly_the_size_asked_for(bundled_url: str, tmp_path: Path, page: str) -> None:
    from matplotlib.image import imread

    from kcn_tracker.maps.picture import picture_size_for, render_png

    width_cm, height_cm = picture_size_for(page)
    out = render_png(_briefing(bundled_url), tmp_path / f"{page}.png", width_cm=width_cm, height_cm=height_cm, dpi=100)
    height, width = imread(out).shape[:2]
    assert (width, height) == (int(width_cm / 2.54 * 100), int(height_cm / 2.54 * 100))  # matplotlib rounds down
    # an A4 text block under Nghị định 30/2020 margins: at least 15.5 x 24.7 cm (portrait), 24.2 x 16 cm (landscape)
    assert (width_cm <= 15.5 and height_cm <= 24.7) if page == "portrait" else (width_cm <= 24.2 and height_cm <= 16)


def test_nothing_is_cut_and_every_glyph_exists(picture) -> None:
    from kcn_tracker.reports.charts import missing_glyphs

    fig, _briefing = picture
    renderer = fig.canvas.get_renderer()
    width, height = fig.bbox.width, fig.bbox.height
    for text in _texts(fig):
        box = text.get_window_extent(renderer)
        assert box.x0 >= -0.5 and box.y0 >= -0.5 and box.x1 <= width + 0.5 and box.y1 <= height + 0.5, text.get_text()
    assert missing_glyphs(fig) == {}


def test_names_do_not_overlap_and_are_counted(picture) -> None:
    fig, briefing = picture
    renderer = fig.canvas.get_renderer()
    names = [t for t in _texts(fig) if t.get_gid() == "kcn-name"]
    boxes = [t.get_window_extent(renderer) for t in names]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b), (names[i].get_text(), b)
    counts = briefing_payload(briefing)["counts"]
    assert len(names) + fig.kcn_unplaced_names == counts["zones"] + counts["projects"] == 46
    assert len(names) >= 36  # most names fit on a portrait page
    shown = {t.get_text().replace("\n", " ") for t in names}
    assert {"KKT Vân Phong", "KCN Dốc Đá Trắng", "Dự án điện khí LNG Cà Ná"} <= shown


def test_scale_north_neighbours_legend_and_credits(picture) -> None:
    fig, _briefing = picture
    texts = [t.get_text() for t in _texts(fig)]
    joined = "\n".join(texts)
    assert "km" in texts and "B" in texts and "0" in texts  # scale bar and north arrow
    for neighbour in ("ĐẮK LẮK", "LÂM ĐỒNG", "Biển Đông", "Việt Nam"):
        assert neighbour in texts, neighbour
    for label in (*style.STAGE_GROUP_LABELS.values(), "Ô vuông: khu chưa có diện tích", style.OBSTACLE.label,
                  style.OVERDUE.label, "50 MW", "1.500 MW"):
        assert label in joined.replace("\n", " "), label
    for outline in style.KIND_OUTLINES.values():
        assert outline.legend in joined.replace("\n", " ")
    footer = joined.replace("\n", " ")
    for source in ("geoBoundaries", "Global Energy Monitor", "WRI Global Power Plant Database", "GeoNames", "Natural Earth"):
        assert source in footer, source
    assert "kcn-tracker" not in footer  # the software is not a data source
    assert "Số liệu đến ngày 01/01/2026" in joined and "thay đổi mới nhất được ghi nhận: 18/12/2025" in joined


def test_imported_polygons_are_drawn(bundled_url: str) -> None:
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_hex
    from matplotlib.patches import Polygon

    from factories import add_zone
    from kcn_tracker.maps.picture import picture_figure

    engine = make_engine(bundled_url)
    with session_scope(engine, write=True) as session:
        add_zone(session, "poly-zone", name="Ranh Giới Thử", kind="KCN", total_area_ha=300.0,
                 geometry="POLYGON ((109.0 12.0, 109.05 12.0, 109.05 12.04, 109.0 12.04, 109.0 12.0))",
                 location_precision="surveyed", on=dt.date(2025, 5, 1))
    engine.dispose()
    fig = picture_figure(_briefing(bundled_url), width_cm=15.5, height_cm=22, dpi=72)
    drawn = [p for p in fig.axes[0].patches if isinstance(p, Polygon)
             and to_hex(p.get_edgecolor()).upper() == style.KIND_OUTLINES["KCN"].colour.upper() and len(p.get_xy()) == 5]
    assert len(drawn) == 1
    fig.canvas.draw()
    assert any(t.get_text() == "KCN Ranh Giới Thử" for t in _texts(fig) if t.get_gid() == "kcn-name")
    plt.close(fig)
