"""``kcn map``: the briefing map (HTML, or a PNG picture with --png), and the one ``kcn run`` writes."""

from __future__ import annotations

from pathlib import Path

import click

from kcn_tracker.cli.context import AS_OF_HELP, AppContext, date_option
from kcn_tracker.cli.render import echo
from kcn_tracker.output import atomic_output, check_output_file

pass_app = click.make_pass_decorator(AppContext)
DEFAULT_OUT = Path("maps") / "briefing.html"


@click.command("map")
@click.option("--out", "out", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True,
              help="Tệp kết quả / output file (.html; .png với --png).")
@click.option("--png", is_flag=True, help="Vẽ ảnh tĩnh PNG cho báo cáo/slide (không cần internet) / static picture.")
@click.option("--page", type=click.Choice(["portrait", "landscape"]), default="portrait", show_default=True,
              help="Với --png: cỡ ảnh vừa trang A4 dọc hoặc ngang / picture sized for an A4 page.")
@click.option("--cdn", is_flag=True,
              help="Tải Leaflet từ internet (tệp nhỏ hơn, cần mạng) thay vì nhúng sẵn / load Leaflet from a CDN.")
@click.option("--offline", is_flag=True, hidden=True, help="Mặc định từ nay (giữ để lệnh cũ vẫn chạy) / now the default.")
@click.option("--color-by", type=click.Choice(["stage", "technology", "occupancy"]), default="stage", show_default=True,
              help="Màu ban đầu: theo giai đoạn, theo công nghệ (dự án) hoặc tỷ lệ lấp đầy (khu/cụm); "
                   "trên bản đồ có nút chuyển giai đoạn/công nghệ.")
@click.option("--technology", help="Chỉ dự án công nghệ này / only projects of this technology (vd. solar, 'điện gió').")
@click.option("--stage", help="Chỉ dự án và khu ở giai đoạn này / only records at this stage (xem `kcn stages`).")
@click.option("--kind", type=click.Choice(["KCN", "CCN", "KKT"], case_sensitive=False),
              help="Chỉ khu loại này / only zones of this kind.")
@click.option("--as-of", help=AS_OF_HELP)
@click.option("--zone", "zone", metavar="NAME", help="Phóng tới khu/cụm này và các dự án của nó / zoom to this zone.")
@pass_app
def map_cmd(app: AppContext, out: Path, png: bool, page: str, cdn: bool, offline: bool, color_by: str, technology: str | None,
            stage: str | None, kind: str | None, as_of: str | None, zone: str | None) -> None:
    """Bản đồ giao ban: KCN/CCN/KKT và dự án điện, giai đoạn, tiến độ so với mục tiêu / briefing map.

    \b
    Ví dụ / examples:
      kcn map                                   ghi maps/briefing.html (một tệp, không cần internet)
      kcn map --out may-chieu.html --color-by technology
      kcn map --png                             ảnh maps/briefing.png cho Word/slide
      kcn map --png --page landscape --out slide.png
      kcn map --technology solar --as-of 31/12/2025
      kcn map --zone "Nam Cam Ranh" --color-by occupancy
    """
    from kcn_tracker.maps import MapOptions

    is_png = png or out.suffix.lower() == ".png"
    target = (out.with_suffix(".png") if out != DEFAULT_OUT else DEFAULT_OUT.with_suffix(".png")) if is_png else out
    target = check_output_file(target, create_parent=out == DEFAULT_OUT)
    options = MapOptions(as_of=date_option(as_of), color_by=color_by, technology=technology, stage=stage, kind=kind,
                         zone=zone)
    if is_png:
        _write_png(app, target, options, page)
    else:
        _write_html(app, target, options, cdn=cdn and not offline)


def _write_html(app: AppContext, out: Path, options: object, *, cdn: bool) -> None:
    from kcn_tracker.maps import write_briefing_map

    with app.connection() as session, atomic_output(out) as temp:
        write_briefing_map(session, temp, options, cdn=cdn)  # type: ignore[arg-type]
    echo(f"Đã ghi bản đồ / map written: {out}")


def _write_png(app: AppContext, out: Path, options: object, page: str) -> None:
    from kcn_tracker.maps import collect_briefing
    from kcn_tracker.maps.picture import picture_size_for, render_png

    with app.connection() as session:  # plain SQL reads: no ORM needed
        briefing = collect_briefing(session, options)  # type: ignore[arg-type]
    width_cm, height_cm = picture_size_for(page)
    with atomic_output(out) as temp:
        render_png(briefing, temp, width_cm=width_cm, height_cm=height_cm)
    echo(f"Đã ghi ảnh bản đồ / picture written: {out}")


def check_default_map() -> Path:
    """Refuse early (before ``kcn run`` loads anything) when maps/briefing.html cannot be written."""
    return check_output_file(DEFAULT_OUT, create_parent=True)


def write_default_map(app: AppContext) -> Path:
    """Write maps/briefing.html for ``kcn run`` and print its path."""
    from kcn_tracker.maps import MapOptions, write_briefing_map

    path = check_default_map()
    with app.connection() as session, atomic_output(path) as temp:
        write_briefing_map(session, temp, MapOptions())
    echo(f"Bản đồ giao ban / briefing map: {path.resolve()}")
    return path
