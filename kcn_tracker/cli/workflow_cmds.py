"""Workflow commands: update zones and projects, obstacles, history, changes in a period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import click

from kcn_tracker.cli.context import AS_OF_HELP, FORMAT_OPTION, AppContext, date_option
from kcn_tracker.cli.render import Column, echo, emit_rows, human, plain
from kcn_tracker.fields import OBSTACLE_CATEGORIES, field_spec, fields_for
from kcn_tracker.text import format_date
from kcn_tracker import clock

pass_app = click.make_pass_decorator(AppContext)
_DOC_HELP = "Số hiệu văn bản căn cứ, vd. “215/QĐ-UBND” (có thể bỏ qua với chỉnh sửa nhỏ)."


DOC_OPTIONS: list[tuple[tuple[str, ...], dict[str, Any]]] = [
    (("--doc", "doc_number"), dict(metavar="SỐ_HIỆU", help=_DOC_HELP)),
    (("--doc-date",), dict(metavar="DATE", help="Ngày ban hành văn bản (dd/mm/yyyy).")),
    (("--doc-title",), dict(metavar="TEXT", help="Trích yếu văn bản (khi văn bản mới).")),
    (("--note",), dict(metavar="TEXT", help="Ghi chú; bắt buộc khi lùi giai đoạn hoặc tạm dừng/hủy (lý do).")),
    (("--by",), dict(metavar="NAME", help="Người ghi (mặc định: tên đăng nhập hệ điều hành).")),
]


def _doc_options(func: Callable[..., Any]) -> Callable[..., Any]:
    for decls, kwargs in reversed(DOC_OPTIONS):
        func = click.option(*decls, **kwargs)(func)
    return func


def _doc_ref(doc_number: str | None, doc_date: str | None, doc_title: str | None) -> Any:
    from kcn_tracker.workflow import DocumentRef

    if not doc_number:
        if doc_date:
            from kcn_tracker.errors import InvalidValue

            raise InvalidValue("--doc-date cần có --doc (số hiệu) / --doc-date needs --doc")
        return None
    return DocumentRef(number=doc_number, issued_on=date_option(doc_date, field_name="--doc-date"), title=doc_title)


def _print_preview(preview: Any, record_type: str) -> None:
    verb = "Sẽ thay đổi (chạy thử, chưa ghi)" if not preview.written else "Đã ghi"
    echo(f"{verb}: {preview.record_name} [{preview.record_code}], hiệu lực {format_date(preview.effective_on)}")
    if preview.late:
        echo("  (báo cáo đến muộn: sự kiện được chèn đúng thời điểm, trạng thái hiện tại được tính lại)")
    if not preview.changes:
        echo("  Trạng thái hiện tại không đổi (sự kiện vẫn được ghi vào lịch sử).")
    for change in preview.changes:
        spec = field_spec(record_type, change.field)
        echo(f"  {spec.label_vi}: {_show(record_type, change.field, change.old)} → {_show(record_type, change.field, change.new)}")


def _show(record_type: str, name: str, value: Any) -> str:
    if name == "stage" and value:
        from kcn_tracker.stages import label

        return f"{label(record_type, value)} ({value})"  # type: ignore[arg-type]
    if field_spec(record_type, name).kind == "date" and isinstance(value, str):
        return format_date(dt.date.fromisoformat(value))
    return human(value)


def _update_command(record_type: str, options: list[tuple[str, str, str]], example: str) -> click.Command:
    """Build ``kcn energy update`` / ``kcn zones update`` from (option, field, help) triples."""

    def command(app: AppContext, name: str, date: str | None, date_basis: str, set_values: tuple[str, ...],
                doc_number: str | None, doc_date: str | None, doc_title: str | None, note: str | None,
                by: str | None, dry_run: bool, **field_values: Any) -> None:
        from kcn_tracker.workflow import update_record

        raw = {field: field_values[opt.replace("-", "_")] for opt, field, _ in options if field_values.get(opt.replace("-", "_")) is not None}
        for item in set_values:
            key, sep, value = item.partition("=")
            if not sep:
                from kcn_tracker.errors import InvalidValue

                raise InvalidValue(f"--set cần dạng TRƯỜNG=GIÁ_TRỊ / --set needs FIELD=VALUE, got “{item}”")
            raw[key.strip()] = value
        with app.session(write=True) as session:
            preview = update_record(session, record_type, name, raw, effective_on=date_option(date, field_name="--date"),
                                    date_basis=date_basis, document=_doc_ref(doc_number, doc_date, doc_title),
                                    note=note, by=by, dry_run=dry_run)
            if dry_run:
                session.rollback()
        _print_preview(preview, record_type)

    params: list[click.Parameter] = [
        click.Argument(["name"]),
        click.Option(["--date"], metavar="DATE", help="Ngày hiệu lực (dd/mm/yyyy); mặc định hôm nay. Không được ở tương lai."),
        click.Option(["--date-basis"], type=click.Choice(["document", "inferred", "unknown"]), default="document", show_default=True,
                     help="document: ngày ghi trong văn bản; inferred: suy ra; unknown: xảy ra chậm nhất vào ngày này."),
        click.Option(["--set", "set_values"], multiple=True, metavar="FIELD=VALUE",
                     help="Sửa trường bất kỳ: " + ", ".join(f.name for f in fields_for(record_type) if f.name != "code")),
        click.Option(["--dry-run"], is_flag=True, help="Chỉ cho xem sẽ thay đổi gì, không ghi / show, write nothing."),
    ]
    params += [click.Option([f"--{opt}"], metavar="VALUE", help=text) for opt, _, text in options]
    params += [click.Option(list(decls), **kwargs) for decls, kwargs in DOC_OPTIONS]
    return click.Command("update", callback=pass_app(command), params=params,
                         help=f"Ghi một thay đổi (có căn cứ văn bản) thành sự kiện trong lịch sử; không ghi đè.\n\n"
                              f"Record a change as an event in the history; nothing is overwritten.\n\n\b\nVí dụ:\n  {example}")


energy_update_cmd = _update_command("project", [
    ("stage", "stage", "Giai đoạn mới (mã hoặc tên tiếng Việt; `kcn stages`)."),
    ("capacity-operating", "capacity_operating_mw", "MW đã vận hành tính đến ngày hiệu lực (phần mới bắt đầu phát điện từ ngày này)."),
    ("capacity", "capacity_mw", "Công suất dự án (MW)."),
    ("expected-cod", "expected_cod", "Ngày dự kiến vận hành thương mại."),
    ("actual-cod", "actual_cod", "Ngày vận hành thương mại thực tế."),
    ("investor", "investor", "Nhà đầu tư."),
], 'kcn energy update "phuoc thai 2" --capacity-operating 40 --date 15/10/2025 --doc "123/QĐ-UBND" --doc-date 10/10/2025')

zones_update_cmd = _update_command("zone", [
    ("stage", "stage", "Giai đoạn mới (mã hoặc tên tiếng Việt; `kcn stages`)."),
    ("leasable", "leasable_ha", "Diện tích đất công nghiệp cho thuê (ha)."),
    ("leased", "leased_ha", "Diện tích đã cho thuê (ha), không vượt diện tích cho thuê."),
    ("tenants-registered", "tenants_registered", "Số dự án thứ cấp đã đăng ký."),
    ("tenants-operating", "tenants_operating", "Số dự án thứ cấp đang hoạt động."),
    ("developer", "developer", "Chủ đầu tư hạ tầng."),
    ("area", "total_area_ha", "Tổng diện tích (ha)."),
], 'kcn zones update "ninh thuy" --leasable 150 --leased 90,5 --date 30/06/2026 --doc "45/BC-KKT"')


@click.group("obstacle")
def obstacle_group() -> None:
    """Vướng mắc: mở và giải quyết / open and resolve obstacles."""


@obstacle_group.command("add")
@click.argument("name")
@click.option("--category", required=True, help="Loại: " + ", ".join(f"{k} ({v[0]})" for k, v in OBSTACLE_CATEGORIES.items()))
@click.option("--description", required=True, help="Mô tả vướng mắc.")
@click.option("--date", metavar="DATE", help="Ngày phát sinh (mặc định hôm nay).")
@click.option("--zone", "is_zone", is_flag=True, help="NAME là khu/cụm công nghiệp (mặc định: dự án điện).")
@click.option("--dry-run", is_flag=True, help="Chỉ xem, không ghi.")
@_doc_options
@pass_app
def obstacle_add_cmd(app: AppContext, name: str, category: str, description: str, date: str | None, is_zone: bool,
                     dry_run: bool, doc_number: str | None, doc_date: str | None, doc_title: str | None,
                     note: str | None, by: str | None) -> None:
    """Mở một vướng mắc cho dự án (hoặc khu/cụm với --zone).

    \b
    Ví dụ: kcn obstacle add "bac ai" --category land --description "Thu hồi đất còn vướng" --date 31/07/2025
    """
    from kcn_tracker.workflow import open_obstacle

    with app.session(write=True) as session:
        ob = open_obstacle(session, "zone" if is_zone else "project", name, category=category, description=description,
                           opened_on=date_option(date, field_name="--date"), document=_doc_ref(doc_number, doc_date, doc_title),
                           note=note, by=by)
        record = ob.zone or ob.project
        summary = f"vướng mắc [{ob.category}] “{ob.description}” cho {record.name} từ {format_date(ob.opened_on)}"
        if dry_run:
            session.rollback()
    echo(("Sẽ mở (chạy thử, chưa ghi): " if dry_run else f"Đã mở #{ob.id}: ") + summary)


@obstacle_group.command("resolve")
@click.argument("obstacle_id", type=int)
@click.option("--date", metavar="DATE", help="Ngày giải quyết (mặc định hôm nay).")
@click.option("--dry-run", is_flag=True, help="Chỉ xem, không ghi.")
@_doc_options
@pass_app
def obstacle_resolve_cmd(app: AppContext, obstacle_id: int, date: str | None, dry_run: bool, doc_number: str | None,
                         doc_date: str | None, doc_title: str | None, note: str | None, by: str | None) -> None:
    """Đánh dấu vướng mắc số OBSTACLE_ID đã giải quyết (số xem bằng `kcn history TÊN`)."""
    from kcn_tracker.workflow import resolve_obstacle

    with app.session(write=True) as session:
        ob = resolve_obstacle(session, obstacle_id, resolved_on=date_option(date, field_name="--date"),
                              document=_doc_ref(doc_number, doc_date, doc_title), note=note)
        summary = f"vướng mắc #{ob.id} [{ob.category}] “{ob.description}” ngày {format_date(ob.resolved_on)}"
        if dry_run:
            session.rollback()
    echo(("Sẽ giải quyết (chạy thử, chưa ghi): " if dry_run else "Đã giải quyết: ") + summary)


@click.command("history")
@click.argument("name")
@click.option("--zone", "is_zone", is_flag=True, help="NAME là khu/cụm công nghiệp (mặc định: tìm cả hai).")
@click.option("--as-of", help=AS_OF_HELP)
@click.option("--format", "fmt", **FORMAT_OPTION)
@pass_app
def history_cmd(app: AppContext, name: str, is_zone: bool, as_of: str | None, fmt: str) -> None:
    """Lịch sử đầy đủ của một dự án hoặc khu/cụm: mọi thay đổi, văn bản, vướng mắc."""
    from kcn_tracker.errors import UnknownRecord
    from kcn_tracker.journal import history_entries
    from kcn_tracker.state import resolve_id

    day = date_option(as_of)
    with app.connection() as connection:
        record_type, found = "zone", None
        for candidate in (("zone",) if is_zone else ("project", "zone")):
            try:
                found, record_type = resolve_id(connection, candidate, name), candidate
                break
            except UnknownRecord:
                if candidate == "zone" or is_zone:
                    raise
        record_id, code, record_name = found  # type: ignore[misc]
        entries = [e for e in history_entries(connection, record_type, record_id) if day is None or e.effective_on <= day]
        title = f"Lịch sử: {record_name} [{code}]"
    rows = [{
        "effective_on": e.effective_on, "kind": e.kind, "date_basis": e.date_basis, "document": e.document,
        "changes": {c.field: plain(c.new) for c in e.changes} if fmt != "table" else "; ".join(
            f"{field_spec(record_type, c.field).label_vi}: {_show(record_type, c.field, c.old)} → {_show(record_type, c.field, c.new)}"
            for c in e.changes if c.field not in ("location_source", "location_licence")),
        "obstacle_id": e.obstacle_id, "category": e.category, "note": e.note, "recorded_by": e.recorded_by,
    } for e in entries]
    kinds = {"event": "thay đổi", "obstacle_opened": "mở vướng mắc", "obstacle_resolved": "giải quyết vướng mắc"}
    emit_rows(rows, [Column("effective_on", "Ngày hiệu lực"), Column("kind", "Loại", lambda v: kinds.get(v, v)),
                     Column("changes", "Thay đổi"), Column("document", "Văn bản"), Column("note", "Ghi chú"),
                     Column("obstacle_id", "Số VM"), Column("date_basis", "Căn cứ ngày"), Column("recorded_by", "Người ghi"),
                     Column("category", "Loại VM")], fmt, title=title)


@click.command("changes")
@click.option("--from", "start", required=True, metavar="DATE", help="Từ ngày (không tính ngày này), dd/mm/yyyy.")
@click.option("--to", "end", metavar="DATE", help="Đến ngày (tính cả ngày này); mặc định hôm nay.")
@click.option("--format", "fmt", **FORMAT_OPTION)
@pass_app
def changes_cmd(app: AppContext, start: str, end: str | None, fmt: str) -> None:
    """Những gì thay đổi trong kỳ: giai đoạn, MW mới vận hành, lấp đầy, vướng mắc mở/giải quyết.

    \b
    Ví dụ (quý 2/2026): kcn changes --from 31/03/2026 --to 30/06/2026
    """
    from kcn_tracker.journal import changes_between

    begin = date_option(start, field_name="--from")
    finish = date_option(end, field_name="--to") or clock.today()
    with app.connection() as connection:
        items = changes_between(connection, begin, finish)  # type: ignore[arg-type]
    categories = {"created": "bản ghi mới", "stage": "giai đoạn", "mw_online": "MW vận hành", "occupancy": "lấp đầy", "obstacle_opened": "mở vướng mắc",
                  "obstacle_resolved": "giải quyết vướng mắc", "other": "khác"}
    rows = [{**i.__dict__, "old": plain(i.old), "new": plain(i.new)} for i in items]
    if fmt == "table":
        for row in rows:
            if row["field"] and row["category"] not in ("obstacle_opened", "obstacle_resolved"):
                row["old"] = _show(row["record_type"], row["field"], row["old"])
                row["new"] = _show(row["record_type"], row["field"], row["new"])
    emit_rows(rows, [Column("effective_on", "Ngày"), Column("name", "Tên"), Column("category", "Nhóm", lambda v: categories.get(v, v)),
                     Column("field", "Trường"), Column("old", "Trước"), Column("new", "Sau"), Column("document", "Văn bản"),
                     Column("note", "Ghi chú"), Column("record_type", "record_type"), Column("code", "Mã")], fmt,
              title=f"Thay đổi từ {format_date(begin)} đến {format_date(finish)}", caption=f"{len(rows)} thay đổi", as_of=finish)
