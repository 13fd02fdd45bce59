"""Excel and GIS interchange commands: `kcn template`, `kcn import updates|geometry`, `kcn export`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from kcn_tracker.cli.context import AS_OF_HELP, AppContext, date_option
from kcn_tracker.cli.render import echo
from kcn_tracker.output import atomic_output, check_output_dir, check_output_file
from kcn_tracker.text import format_date, format_number

pass_app = click.make_pass_decorator(AppContext)
#: Above this many rows a progress bar is shown (on stderr, so stdout stays clean).
PROGRESS_FROM_ROWS = 300
_RECORD_TYPES = {"energy": "project", "projects": "project", "project": "project", "zones": "zone", "zone": "zone"}


@contextmanager
def progress_bar(description: str) -> Iterator[Callable[[int, int], None]]:
    """A callback (done, total) that shows a rich progress bar once ``total`` exceeds PROGRESS_FROM_ROWS."""
    state: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if total <= PROGRESS_FROM_ROWS:
            return
        if "bar" not in state:
            from rich.console import Console
            from rich.progress import Progress

            state["bar"] = Progress(console=Console(stderr=True), transient=True)
            state["bar"].start()
            state["task"] = state["bar"].add_task(description, total=total)
        state["bar"].update(state["task"], completed=done)

    try:
        yield update
    finally:
        if "bar" in state:
            state["bar"].stop()


def _show(record_type: str, name: str, value: Any) -> str:
    from kcn_tracker.cli.render import human
    from kcn_tracker.fields import field_spec

    if value is None:
        return "—"
    if name == "stage":
        from kcn_tracker.stages import label

        return f"{label(record_type, value)} ({value})"  # type: ignore[arg-type]
    if name == "geometry":
        return str(value).split("(", 1)[0].strip() + " (…)"
    if field_spec(record_type, name).kind == "date" and isinstance(value, str):
        return format_date(dt.date.fromisoformat(value))
    return human(value)


def _doc(number: str | None, date: str | None) -> Any:
    if not number:
        return None
    from kcn_tracker.workflow import DocumentRef

    return DocumentRef(number=number, issued_on=date_option(date, field_name="--doc-date"))


@click.command("template")
@click.argument("kind", type=click.Choice(["energy", "zones"]))
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="Tệp .xlsx sẽ ghi.")
@pass_app
def template_cmd(app: AppContext, kind: str, out: Path) -> None:
    """Tạo mẫu Excel để cập nhật: tiêu đề tiếng Việt, dữ liệu hiện tại, danh sách chọn, sheet hướng dẫn.

    \b
    Write an Excel update template pre-filled with the current records.
    Ví dụ / example:
      kcn template energy --out cap-nhat-du-an.xlsx
      kcn import updates cap-nhat-du-an.xlsx --dry-run
    """
    from kcn_tracker.template import write_template

    out = check_output_file(out)
    with app.session() as session, atomic_output(out) as temp:
        count = write_template(session, _RECORD_TYPES[kind], temp)
    echo(f"Đã ghi mẫu {out} ({format_number(count)} bản ghi) / template written")


@click.group("import")
def import_group() -> None:
    """Nhập dữ liệu: cập nhật từ Excel/CSV, ranh giới từ tệp GIS / import updates and boundaries."""


@import_group.command("updates")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--sheet", help="Chỉ nhập sheet này (mặc định: sheet “Dự án điện” / “KCN-CCN” hoặc nhận theo cột).")
@click.option("--kind", type=click.Choice(["energy", "zones"]), help="Loại bản ghi khi không nhận ra từ sheet/cột.")
@click.option("--date", metavar="DATE", help="Ngày hiệu lực cho dòng không có cột ngày (mặc định hôm nay).")
@click.option("--date-basis", type=click.Choice(["document", "inferred", "unknown"]), default="document", show_default=True)
@click.option("--doc", "doc_number", metavar="SỐ_HIỆU", help="Văn bản căn cứ (mặc định: trích dẫn chính tệp này).")
@click.option("--doc-date", metavar="DATE", help="Ngày ban hành văn bản.")
@click.option("--by", metavar="NAME", help="Người ghi (mặc định: tên đăng nhập).")
@click.option("--historic", is_flag=True, help="Dữ liệu lịch sử: cho phép ngày trước 01/01/2000 / allow dates before 2000.")
@click.option("--dry-run", is_flag=True, help="Chỉ xem trước thay đổi (cũ → mới), không ghi / preview, write nothing.")
@pass_app
def import_updates_cmd(app: AppContext, file: Path, sheet: str | None, kind: str | None, date: str | None, date_basis: str,
                       doc_number: str | None, doc_date: str | None, by: str | None, historic: bool, dry_run: bool) -> None:
    """Cập nhật hàng loạt từ tệp .xlsx/.csv (mẫu `kcn template`); mỗi thay đổi là một sự kiện có căn cứ.

    \b
    Mọi dòng được kiểm tra trước; có lỗi thì không ghi gì và liệt kê mọi lỗi
    (sheet, dòng, cột, lý do). Nhập lại cùng tệp không thay đổi gì. Cột lạ
    (vd. đổi tên “Ngày hiệu lực”) làm tệp bị từ chối. Ô để nguyên như trong
    sổ không phải là thay đổi.
    Số: dấu phẩy là thập phân, dấu chấm ngăn nghìn (49,9; 1.200 = 1200;
    0.500 = 0,5; có cả hai thì dấu cuối là thập phân: 1,234.5). Ngày: dd/mm/yyyy; không ở tương lai,
    không trước ngày tạo bản ghi, trước 2000 cần --historic.
    Numbers: comma = decimal, dot = thousands (with both, the last is the decimal); dates dd/mm/yyyy.
    Ví dụ / examples:
      kcn import updates cap-nhat.xlsx --dry-run
      kcn import updates cap-nhat.csv --date 30/06/2026 --doc "45/BC-KKT"
    """
    from kcn_tracker.importers.tabular import import_updates

    with progress_bar("Đang nhập / importing") as progress, app.session(write=True) as session:
        report = import_updates(session, file, sheet=sheet, kind=_RECORD_TYPES[kind] if kind else None,
                                effective_on=date_option(date, field_name="--date"), date_basis=date_basis,
                                document=_doc(doc_number, doc_date), by=by, dry_run=dry_run, progress=progress,
                                historic=historic)
        from kcn_tracker.cli.workflow_cmds import print_changes, technology_labels

        technologies = technology_labels(session)
        if dry_run:
            session.rollback()
    head = "Chạy thử, chưa ghi gì / dry run, nothing written" if dry_run else "Đã ghi / written"
    echo(f"{head}: {report.file}: {len(report.results)} dòng thay đổi, {report.unchanged} dòng không đổi")
    for result in report.results:
        when = f", hiệu lực {format_date(result.effective_on)}" if result.effective_on else ""
        late = " (sự kiện chèn vào quá khứ / back-dated)" if result.late else ""
        echo(f"  {result.sheet} dòng {result.row}: {result.name} [{result.code}]{when}{late}")
        if result.changes or result.current_changes:
            print_changes(result.record_type, result.changes, result.current_changes, result.late, indent="    ",
                          technologies=technologies)
        if result.obstacle:
            echo(f"    mở vướng mắc / new obstacle: {result.obstacle}")
    if report.ignored_columns:
        echo("Cột bỏ qua / ignored columns: " + "; ".join(report.ignored_columns))


@import_group.command("geometry")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--match-field", default="code", show_default=True, help="Trường thuộc tính chứa mã hoặc tên bản ghi.")
@click.option("--crs", help="Hệ tọa độ khi tệp không có (vd. EPSG:9217 = VN-2000 / TM-3 108°15′, EPSG:3405/3406, chuỗi PROJ).")
@click.option("--kind", type=click.Choice(["energy", "zones"]), help="Chỉ đối chiếu với dự án điện hoặc KCN/CCN.")
@click.option("--layer", help="Lớp (GeoPackage/KML có nhiều lớp).")
@click.option("--date", metavar="DATE", help="Ngày hiệu lực (mặc định hôm nay).")
@click.option("--doc", "doc_number", metavar="SỐ_HIỆU", help="Văn bản căn cứ (mặc định: trích dẫn chính tệp này).")
@click.option("--doc-date", metavar="DATE", help="Ngày ban hành văn bản.")
@click.option("--by", metavar="NAME", help="Người ghi.")
@click.option("--dry-run", is_flag=True, help="Chỉ xem trước, không ghi.")
@pass_app
def import_geometry_cmd(app: AppContext, file: Path, match_field: str, crs: str | None, kind: str | None, layer: str | None,
                        date: str | None, doc_number: str | None, doc_date: str | None, by: str | None, dry_run: bool) -> None:
    """Nhập ranh giới/vị trí đo đạc từ GeoJSON, Shapefile (thư mục hoặc .zip), KML/KMZ, GeoPackage.

    \b
    Vị trí của bản ghi trở thành “surveyed” (đo đạc) và trích dẫn tệp.
    Ví dụ / examples:
      kcn import geometry ranh-gioi.zip --match-field TEN_KCN --crs EPSG:9217 --dry-run
      kcn import geometry ranh-gioi.kml --match-field Name
    """
    from kcn_tracker.importers.geometry import import_geometry

    with app.session(write=True) as session:
        report = import_geometry(session, file, match_field=match_field, crs=crs, kind=_RECORD_TYPES[kind] if kind else None,
                                 layer=layer, effective_on=date_option(date, field_name="--date"),
                                 document=_doc(doc_number, doc_date), by=by, dry_run=dry_run)
        if dry_run:
            session.rollback()
    head = "Chạy thử, chưa ghi gì / dry run, nothing written" if dry_run else "Đã ghi / written"
    echo(f"{head}: {report.file} (hệ tọa độ / CRS {report.crs}): {len(report.changed)} bản ghi thay đổi, "
               f"{report.unchanged} không đổi")
    for plan, changes in report.changed:
        area = f", {format_number(plan.area_ha)} ha" if plan.area_ha is not None else ""
        echo(f"  {plan.name} [{plan.code}]{area}")
        for change in changes:
            echo(f"    {change.field}: {_show(plan.record_type, change.field, change.old)} → "
                       f"{_show(plan.record_type, change.field, change.new)}")
    for warning in report.warnings:
        echo(f"Cảnh báo / warning: {warning}", err=True)


@click.command("export")
@click.option("--format", "fmt", required=True, type=click.Choice(["geojson", "gpkg", "kml", "xlsx", "csv"]),
              help="gpkg: QGIS; kml: Google Earth; xlsx: Excel; csv: một tệp mỗi bảng; geojson.")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="Tệp (hoặc thư mục với csv).")
@click.option("--what", metavar="TABLES", help="Bảng: zones,projects,history,obstacles (mặc định: tất cả; geojson/kml: zones,projects).")
@click.option("--as-of", help=AS_OF_HELP)
@pass_app
def export_cmd(app: AppContext, fmt: str, out: Path, what: str | None, as_of: str | None) -> None:
    """Xuất sổ theo dõi cho QGIS (gpkg), Google Earth (kml), Excel (xlsx) hoặc công cụ khác (csv, geojson).

    \b
    Ví dụ / examples:
      kcn export --format gpkg --out kcn.gpkg
      kcn export --format kml --out kcn.kml
      kcn export --format xlsx --out so-theo-doi.xlsx
      kcn export --format csv --out xuat-csv/ --what projects,obstacles
    """
    from kcn_tracker.exporters import export
    from kcn_tracker.exporters.tables import parse_what

    day = date_option(as_of)
    parse_what(what, fmt)  # refuse a bad --what before any folder is created
    if fmt == "csv" and out.suffix.lower() != ".csv":  # a folder with one file per table
        with progress_bar("Đang xuất / exporting") as progress, app.session() as session:
            counts = export(session, fmt, check_output_dir(out), what=what, as_of=day, progress=progress)
    else:
        out = check_output_file(out)
        with progress_bar("Đang xuất / exporting") as progress, app.session() as session, atomic_output(out) as temp:
            counts = export(session, fmt, temp, what=what, as_of=day, progress=progress)
    listing = ", ".join(f"{name} {format_number(n)}" for name, n in counts.items())
    echo(f"Đã xuất / exported {out} ({fmt}): {listing}")
