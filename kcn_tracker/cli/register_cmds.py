"""Register commands: run, info, db, stages, and browsing zones and energy projects."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from kcn_tracker.cli import GROUP_EXTRAS, LazyGroup
from kcn_tracker.cli.context import AS_OF_HELP, FORMAT_OPTION, AppContext, date_option
from kcn_tracker.cli.render import Column, echo, emit_mapping, emit_rows, human, mw
from kcn_tracker.fields import fields_for
from kcn_tracker.stages import label, stages_for
from kcn_tracker.text import format_date, format_number
from kcn_tracker import clock

pass_app = click.make_pass_decorator(AppContext)


def _stage(record_type: str) -> Any:
    return lambda key: label(record_type, key)  # type: ignore[arg-type]


def _with_code(row: dict[str, Any]) -> dict[str, Any]:
    """The row (a fresh copy from ``record_rows``, changed in place) with a table-only cell: the name,
    its phase, and the code to type on its own line."""
    name = row.get("name") or ""
    if row.get("phase"):
        name += f" – {row['phase']}"
    row["name_code"] = f"{name}\n{row.get('code')}"
    return row


ZONE_COLUMNS = [
    Column("name_code", "Tên / mã", keep_whole=True),
    Column("code", "Mã", in_table=False), Column("kind", "Loại"), Column("name", "Tên", in_table=False),
    Column("phase", "Giai đoạn (phân kỳ)", in_table=False),
    Column("commune", "Xã/phường", min_console=100), Column("total_area_ha", "Diện tích (ha)", justify="right", keep_whole=True),
    Column("leasable_ha", "Đất CN cho thuê (ha)", justify="right", keep_whole=True),
    Column("leased_ha", "Đã cho thuê (ha)", justify="right", in_table=False),
    Column("stage", "Giai đoạn", _stage("zone")),
    Column("open_obstacles", "VM", lambda v: str(len(v)) if v else "—", justify="right"),
    Column("approximate", "Vị trí gần đúng", in_table=False),
    Column("days_overdue", "Quá hạn (ngày)", justify="right", keep_whole=True),
]
PROJECT_COLUMNS = [
    Column("name_code", "Tên dự án / mã", keep_whole=True),
    Column("code", "Mã", in_table=False), Column("name", "Tên dự án", in_table=False), Column("technology_label", "Công nghệ"),
    Column("capacity_mw", "MW", mw, justify="right", keep_whole=True),
    Column("capacity_operating_mw", "MW vận hành", mw, justify="right", in_table=False),
    Column("stage", "Giai đoạn", _stage("project")), Column("expected_cod", "Dự kiến COD", keep_whole=True, min_console=100),
    Column("plan_role", "QHĐ VIII", lambda v: {"named": "có tên", "unnamed": "chưa nêu tên", "unallocated": "chưa phân bổ", "outside": "ngoài 60"}.get(v, human(v)),
           in_table=False),
    Column("open_obstacles", "VM", lambda v: str(len(v)) if v else "—", justify="right"),
    Column("days_overdue", "Quá hạn (ngày)", justify="right", keep_whole=True),
]


@click.command("run")
@click.option("--no-map", is_flag=True, help="Không vẽ bản đồ / skip the briefing map.")
@pass_app
def run_cmd(app: AppContext, no_map: bool) -> None:
    """Việc chính: tạo CSDL từ dữ liệu kèm theo (nếu trống), in tóm tắt, vẽ bản đồ.

    Main job: create the database from the bundled data if it is empty, print the
    register summary and write the briefing map.
    """
    from kcn_tracker.bundled import load_bundled_data

    if not no_map:
        _check_map()  # an unwritable maps/ folder is refused before anything is loaded
    report = load_bundled_data(app.engine(), only_if_empty=True)
    if report.added:
        echo(f"Đã nạp dữ liệu kèm theo: {report.zones} khu/cụm, {report.projects} dự án, "
                   f"{report.events} sự kiện, {report.obstacles} vướng mắc.")
    _print_summary(app, clock.today(), "table")
    if not no_map:
        _write_map(app)


def _check_map() -> None:
    try:
        from kcn_tracker.cli.map_cmds import check_default_map
    except ImportError:
        return
    check_default_map()


def _write_map(app: AppContext) -> None:
    """Write the briefing map when the map module is available (it lands with the map issue)."""
    try:
        from kcn_tracker.cli.map_cmds import write_default_map
    except ImportError:
        return
    write_default_map(app)


@click.command("info")
@pass_app
def info_cmd(app: AppContext) -> None:
    """Cơ sở dữ liệu đang dùng / which database is in use, and what it holds."""
    from kcn_tracker.db import describe
    from kcn_tracker.models import Event, Project, Zone

    engine = app.engine()
    facts = describe(engine)
    with app.session() as session:
        from sqlalchemy import func, select

        counts = {name: session.scalar(select(func.count()).select_from(model)) for name, model in
                  (("zones", Zone), ("projects", Project), ("events", Event))}
    echo(f"Cơ sở dữ liệu / database: {facts['url']}")
    if facts["file"]:
        echo(f"Tệp / file: {facts['file']}")
    echo(f"Loại / backend: {facts['backend']}, phiên bản lược đồ / schema revision: {facts['schema_revision']}")
    echo(f"Khu/cụm: {counts['zones']}, dự án điện: {counts['projects']}, sự kiện: {counts['events']}")


@click.group("db")
def db_group() -> None:
    """Quản lý cơ sở dữ liệu / database maintenance."""


@db_group.command("upgrade")
@pass_app
def db_upgrade_cmd(app: AppContext) -> None:
    """Nâng cấp lược đồ lên mới nhất / apply pending schema migrations."""
    app.engine()
    from kcn_tracker.db import current_revision

    echo(f"Lược đồ / schema: {current_revision(app.engine())}")


@db_group.command("downgrade")
@click.argument("revision")
@click.option("--yes", is_flag=True, help="Xác nhận: đã sao lưu, chấp nhận mất dữ liệu của các phiên bản mới hơn / confirm.")
@pass_app
def db_downgrade_cmd(app: AppContext, revision: str, yes: bool) -> None:
    """Hạ lược đồ về phiên bản REVISION (vd. 0001; base = xóa hết) để dùng bản kcn-tracker cũ hơn.

    Downgrade the schema to REVISION so an older kcn-tracker can open the database.
    What later revisions added (columns, tables) is removed with its data: back up first.
    """
    from kcn_tracker.db import current_revision, downgrade, make_engine
    from kcn_tracker.errors import InvalidValue

    engine = make_engine(app.url)
    if not yes:
        extra = " (base: xóa mọi bảng và toàn bộ sổ)" if revision == "base" else ""
        extra_en = " (base: every table and the whole register)" if revision == "base" else ""
        raise InvalidValue(f"Hạ cấp lược đồ về {revision} có thể xóa dữ liệu{extra}. Hãy sao lưu trước, rồi chạy lại với --yes. / "
                           f"Downgrading the schema to {revision} may delete data{extra_en}. Back up first, then run again with --yes.")
    before = current_revision(engine)
    downgrade(engine, revision)
    echo(f"Lược đồ / schema: {before} → {current_revision(engine) or 'base'}")


@db_group.command("load")
@pass_app
def db_load_cmd(app: AppContext) -> None:
    """Nạp dữ liệu kèm theo còn thiếu (không ghi đè) / load missing bundled records, never overwriting."""
    from kcn_tracker.bundled import load_bundled_data

    report = load_bundled_data(app.engine())
    echo(f"Thêm / added: {report.zones} khu/cụm, {report.projects} dự án, {report.events} sự kiện, "
               f"{report.obstacles} vướng mắc, {report.documents} văn bản; bỏ qua (đã có) / skipped: {report.skipped}.")


@click.command("stages")
@click.option("--format", "fmt", **FORMAT_OPTION)
def stages_cmd(fmt: str) -> None:
    """Các giai đoạn và mã để gõ / stages with the keys to type (e.g. --stage construction)."""
    rows = []
    for record_type, noun in (("project", "Dự án điện"), ("zone", "KCN/CCN")):
        for s in stages_for(record_type):  # type: ignore[arg-type]
            rows.append({"record_type": record_type, "applies_to": noun, "order": s.order, "key": s.key,
                         "label_vi": s.label_vi, "label_en": s.label_en, "gem_status": s.gem_status})
    emit_rows(rows, [Column("applies_to", "Áp dụng cho"), Column("order", "Thứ tự", lambda v: "đặc biệt" if v is None else str(v)),
                     Column("key", "Mã gõ lệnh", keep_whole=True), Column("label_vi", "Tiếng Việt"),
                     Column("label_en", "English", in_table=False), Column("gem_status", "GEM status", keep_whole=True),
                     Column("record_type", "record_type", in_table=False)], fmt,
              title="Giai đoạn đầu tư / investment stages")


def _list_command(record_type: str, columns: list[Column], title: str) -> click.Command:
    @click.command("list")
    @click.option("--kind", help="KCN, CCN hoặc KKT." if record_type == "zone" else "(chỉ cho zones)", hidden=record_type != "zone")
    @click.option("--technology", hidden=record_type != "project", help="Công nghệ, vd. solar, onshore_wind, “điện gió”.")
    @click.option("--stage", help="Giai đoạn (mã hoặc tên tiếng Việt; xem `kcn stages`).")
    @click.option("--commune", help="Xã/phường (không cần dấu).")
    @click.option("--text", "text_", metavar="TEXT", help="Tìm trong mã, tên, nhà đầu tư, ghi chú (không cần dấu).")
    @click.option("--overdue", is_flag=True, help="Chỉ bản ghi có ngày dự kiến đã qua mà chưa thực hiện / only overdue ones.")
    @click.option("--as-of", help=AS_OF_HELP)
    @click.option("--format", "fmt", **FORMAT_OPTION)
    @pass_app
    def list_cmd(app: AppContext, kind: str | None, technology: str | None, stage: str | None, commune: str | None,
                 text_: str | None, overdue: bool, as_of: str | None, fmt: str) -> None:
        from kcn_tracker.interface.queries import record_rows
        from kcn_tracker.overdue import RULE_VI

        day = date_option(as_of)
        with app.connection() as connection:
            rows = record_rows(connection, record_type, as_of=day, kind=kind, technology=technology, stage=stage,
                               commune=commune, text=text_, overdue=overdue)
        when = format_date(day or clock.today())
        late = sum(1 for r in rows if r["days_overdue"] is not None)
        emit_rows([_with_code(r) for r in rows], columns, fmt, title=f"{title} (đến ngày {when})",
                  caption=f"{len(rows)} bản ghi; VM: số vướng mắc đang mở" + (f"; {late} quá hạn. {RULE_VI}" if late else ""))

    list_cmd.help = f"Danh sách {title.lower()} với bộ lọc / list with filters.\n\n\b\nVí dụ: kcn {'zones' if record_type == 'zone' else 'energy'} list --stage operating --format csv"
    return list_cmd


def _show_command(record_type: str) -> click.Command:
    @click.command("show")
    @click.argument("name")
    @click.option("--as-of", help=AS_OF_HELP)
    @click.option("--format", "fmt", **FORMAT_OPTION)
    @pass_app
    def show_cmd(app: AppContext, name: str, as_of: str | None, fmt: str) -> None:
        from kcn_tracker.confirmation import describe_news
        from kcn_tracker.interface.queries import show_record
        from kcn_tracker.overdue import describe

        day = date_option(as_of) or clock.today()
        with app.connection() as connection:
            data, row = show_record(connection, record_type, name, day)
            figures = []
            if fmt == "table" and record_type == "zone":
                from kcn_tracker.tenants.zone_basis import basis_lines

                figures = basis_lines(connection, row["id"], row["code"], day)
        news = data["last_confirmed"]
        labels = {f.name: f.label_vi for f in fields_for(record_type)}
        labels.update(approximate="Vị trí gần đúng", open_obstacles="Vướng mắc đang mở", technology_label="Công nghệ",
                      overdue="Quá hạn so với dự kiến", last_confirmed="Xác nhận lần cuối")
        if fmt == "table":
            from kcn_tracker.labels import value_label

            data.pop("figures", None)  # printed below, one line per figure with its basis

            for key in list(data):
                data[key] = value_label(key, data[key], record_type=record_type,
                                        technologies={row.get("technology"): row.get("technology_label")})
            data["open_obstacles"] = "; ".join(f"{value_label('category', o['category'])}: {o['description']} "
                                               f"(mở {o['days_open']} ngày)" for o in row["open_obstacles"]) or "—"
            data["overdue"] = "; ".join(describe(item) for item in data["overdue"]) or "không"
            data["last_confirmed"] = describe_news(news)
            for key in ("capacity_mw", "capacity_operating_mw", "total_area_ha", "leasable_ha", "leased_ha"):
                if key in data and data[key] is not None:
                    data[key] = format_number(data[key])
            for key, heading, text in figures:  # leased land, tenant counts, capital: the figure used and its basis
                data[key], labels[key] = text, heading
        emit_mapping(data, fmt, title=f"{row.get('name')} — đến ngày {format_date(day)}", labels=labels)

    example = 'kcn zones show "doc da trang"' if record_type == "zone" else 'kcn energy show "lng ca na"'
    show_cmd.help = f"Chi tiết một bản ghi (tên không cần dấu hoặc mã) / one record by name or code.\n\n\b\nVí dụ: {example}"
    return show_cmd


@click.group("zones", cls=LazyGroup, lazy=GROUP_EXTRAS["zones"])
def zones_group() -> None:
    """Khu công nghiệp, cụm công nghiệp, khu kinh tế / industrial zones."""


@click.group("energy", cls=LazyGroup, lazy=GROUP_EXTRAS["energy"])
def energy_group() -> None:
    """Dự án điện (60 dự án QHĐ VIII, điện hạt nhân, truyền tải) / power projects."""


zones_group.add_command(_list_command("zone", ZONE_COLUMNS, "Khu/cụm công nghiệp"))
zones_group.add_command(_show_command("zone"))
energy_group.add_command(_list_command("project", PROJECT_COLUMNS, "Dự án điện"))
energy_group.add_command(_show_command("project"))


def _print_summary(app: AppContext, day: dt.date, fmt: str) -> None:
    from kcn_tracker.cli.summary_view import print_summary

    with app.connection() as connection:
        print_summary(connection, day, fmt)


@click.command("summary")
@click.option("--as-of", help=AS_OF_HELP)
@click.option("--format", "fmt", **FORMAT_OPTION)
@pass_app
def summary_cmd(app: AppContext, as_of: str | None, fmt: str) -> None:
    """Tóm tắt sổ đăng ký: số khu/cụm, MW theo công nghệ, 33 + 27 = 60 dự án / register summary."""
    _print_summary(app, date_option(as_of) or clock.today(), fmt)
