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
@click.option("--offline", is_flag=True,
              help="Một tệp duy nhất, nhúng sẵn script và style: mở được khi không có internet (nền bản đồ trơn).")
@click.option("--color-by", type=click.Choice(["stage", "occupancy"]), default="stage", show_default=True,
              help="Tô màu khu/cụm theo giai đoạn hoặc tỷ lệ lấp đầy / colour zones by stage or occupancy.")
@click.option("--technology", help="Chỉ dự án công nghệ này / only projects of this technology (vd. solar, 'điện gió').")
@click.option("--stage", help="Chỉ dự án và khu ở giai đoạn này / only records at this stage (xem `kcn stages`).")
@click.option("--kind", type=click.Choice(["KCN", "CCN", "KKT"], case_sensitive=False),
              help="Chỉ khu loại này / only zones of this kind.")
@click.option("--as-of", help=AS_OF_HELP)
@click.option("--zone", "zone", metavar="NAME", help="Phóng tới khu/cụm này và các dự án của nó / zoom to this zone.")
@pass_app
def map_cmd(app: AppContext, out: Path, png: bool, offline: bool, color_by: str, technology: str | None,
            stage: str | None, kind: str | None, as_of: str | None, zone: str | None) -> None:
    """Bản đồ giao ban: KCN/CCN/KKT và dự án điện, giai đoạn, tiến độ so với mục tiêu / briefing map.

    \b
    Ví dụ / examples:
      kcn map                                   ghi maps/briefing.html
      kcn map --offline --out may-chieu.html    một tệp, không cần internet
      kcn map --png                             ảnh maps/briefing.png cho Word/slide
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
        _write_png(app, target, options)
    else:
        _write_html(app, target, options, offline=offline)


def _write_html(app: AppContext, out: Path, options: object, *, offline: bool) -> None:
    from kcn_tracker.maps import write_briefing_map

    with app.session() as session, atomic_output(out) as temp:
        write_briefing_map(session, temp, options, offline=offline)  # type: ignore[arg-type]
    echo(f"Đã ghi bản đồ / map written: {out}")


def _write_png(app: AppContext, out: Path, options: object) -> None:
    from kcn_tracker.maps import collect_briefing
    from kcn_tracker.static_map import write_static_map

    with app.session() as session:
        briefing = collect_briefing(session, options)  # type: ignore[arg-type]
    with atomic_output(out) as temp:
        write_static_map(briefing, temp)
    echo(f"Đã ghi ảnh bản đồ / picture written: {out}")


def check_default_map() -> Path:
    """Refuse early (before ``kcn run`` loads anything) when maps/briefing.html cannot be written."""
    return check_output_file(DEFAULT_OUT, create_parent=True)


def write_default_map(app: AppContext) -> Path:
    """Write maps/briefing.html for ``kcn run`` and print its path."""
    from kcn_tracker.maps import MapOptions, write_briefing_map

    path = check_default_map()
    with app.session() as session, atomic_output(path) as temp:
        write_briefing_map(session, temp, MapOptions())
    echo(f"Bản đồ giao ban / briefing map: {path.resolve()}")
    return path
