"""Workflow commands: update zones and projects, obstacles, history, changes in a period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import click

from kcn_tracker.cli.context import AS_OF_HELP, FORMAT_OPTION, AppContext, date_option
from kcn_tracker.cli.render import Column, echo, emit_rows, human
from kcn_tracker.fields import field_spec, fields_for
from kcn_tracker.state import technology_labels  # {technology key: Vietnamese label}, plain SQL (also for interchange_cmds)
from kcn_tracker.text import format_date
from kcn_tracker.validation.numeric import NUMBER_RULE_HELP
from kcn_tracker import clock

pass_app = click.make_pass_decorator(AppContext)
_DOC_HELP = "Số hiệu văn bản căn cứ, vd. “215/QĐ-UBND” (có thể bỏ qua với chỉnh sửa nhỏ)."


DOC_OPTIONS: list[tuple[tuple[str, ...], dict[str, Any]]] = [
    (("--doc", "doc_number"), dict(metavar="SỐ_HIỆU", help=_DOC_HELP)),
    (("--doc-date",), dict(metavar="DATE", help="Ngày ban hành văn bản (dd/mm/yyyy).")),
    (("--doc-title",), dict(metavar="TEXT", help="Trích yếu văn bản (khi văn bản mới).")),
    (("--note",), dict(metavar="TEXT", help="Ghi chú; bắt buộc khi lùi giai đoạn hoặc tạm dừng/hủy (lý do).")),
    (("--by",), dict(metavar="NAME", help="Người ghi (mặc định: tên đăng nhập hệ điều hành).")),
    (("--historic",), dict(is_flag=True, help="Dữ liệu lịch sử: cho phép ngày trước 01/01/2000 / allow dates before 2000.")),
]
#: The input rules every update command states in its --help.
INPUT_RULES = (NUMBER_RULE_HELP + " Số dự án phải là số nguyên (“2,9” bị từ chối) / counts are "
               "whole numbers; no nan/inf/1e5.\n\n"
               "Ngày / dates: dd/mm/yyyy hoặc yyyy-mm-dd; không ở tương lai, không trước ngày bản ghi được tạo, "
               "không trước 2000 trừ khi có --historic / not in the future, not before the record's creation, "
               "not before 2000 unless --historic.")


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


def _print_preview(preview: Any, record_type: str, technologies: dict[str, str] | None = None) -> None:
    verb = "Sẽ thay đổi (chạy thử, chưa ghi)" if not preview.written else "Đã ghi"
    echo(f"{verb}: {preview.record_name} [{preview.record_code}], hiệu lực {format_date(preview.effective_on)}")
    if preview.late:
        echo("  (báo cáo đến muộn: sự kiện được chèn đúng thời điểm, trạng thái hiện tại được tính lại)")
    print_changes(record_type, preview.event_changes, preview.changes, preview.late, indent="  ", technologies=technologies)


def print_changes(record_type: str, event_changes: list[Any], current_changes: list[Any], late: bool, *, indent: str,
                  technologies: dict[str, str] | None = None) -> None:
    """What the event records (old on its date → new), and for a late event also what changes today."""
    if not event_changes:
        echo(f"{indent}Không thay đổi giá trị nào (sự kiện vẫn được ghi vào lịch sử) / no value changes.")
    for change in event_changes:
        spec = field_spec(record_type, change.field)
        echo(f"{indent}{spec.label_vi}: {_show(record_type, change.field, change.old, technologies)} → "
             f"{_show(record_type, change.field, change.new, technologies)}")
    if late and [(c.field, c.new) for c in current_changes] != [(c.field, c.new) for c in event_changes]:
        echo(f"{indent}Trạng thái hiện tại / current state:" + ("" if current_changes else " không đổi / unchanged"))
        for change in current_changes:
            spec = field_spec(record_type, change.field)
            echo(f"{indent}  {spec.label_vi}: {_show(record_type, change.field, change.old, technologies)} → "
                 f"{_show(record_type, change.field, change.new, technologies)}")


def _show(record_type: str, name: str, value: Any, technologies: dict[str, str] | None = None) -> str:
    """A field's value for people: Vietnamese labels for keys, dd/mm/yyyy dates, Vietnamese numbers."""
    from kcn_tracker.labels import value_label

    if field_spec(record_type, name).kind == "date" and isinstance(value, str):
        return format_date(dt.date.fromisoformat(value))
    return human(value_label(name, value, record_type=record_type, technologies=technologies))


def raw_field_values(values: dict[str, Any], set_values: tuple[str, ...], *,
                     options: list[tuple[str, str, str]]) -> dict[str, Any]:
    """field -> raw text from the field options given (``--leased 5`` ...) and every ``--set FIELD=VALUE``."""
    raw = {field: values[opt.replace("-", "_")] for opt, field, _ in options if values.get(opt.replace("-", "_")) is not None}
    for item in set_values:
        key, sep, value = item.partition("=")
        if not sep:
            from kcn_tracker.errors import InvalidValue

            raise InvalidValue(f"--set cần dạng TRƯỜNG=GIÁ_TRỊ / --set needs FIELD=VALUE, got “{item}”")
        raw[key.strip()] = value
    return raw


def _update_command(record_type: str, options: list[tuple[str, str, str]], example: str) -> click.Command:
    """Build ``kcn energy update`` / ``kcn zones update`` from (option, field, help) triples."""

    def command(app: AppContext, name: str, date: str | None, date_basis: str, set_values: tuple[str, ...],
                doc_number: str | None, doc_date: str | None, doc_title: str | None, note: str | None,
                by: str | None, historic: bool, dry_run: bool, **field_values: Any) -> None:
        from kcn_tracker.workflow import update_record

        raw = raw_field_values(field_values, set_values, options=options)
        with app.session(write=True) as session:
            preview = update_record(session, record_type, name, raw, effective_on=date_option(date, field_name="--date"),
                                    date_basis=date_basis, document=_doc_ref(doc_number, doc_date, doc_title),
                                    note=note, by=by, dry_run=dry_run, historic=historic)
            technologies = technology_labels(session) if record_type == "project" else None
            if dry_run:
                session.rollback()
        _print_preview(preview, record_type, technologies)

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
                              f"Record a change as an event in the history; nothing is overwritten.\n\n{INPUT_RULES}\n\n"
                              f"\b\nVí dụ:\n  {example}")


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


@click.command("history")
@click.argument("name")
@click.option("--zone", "is_zone", is_flag=True, help="NAME là khu/cụm công nghiệp (mặc định: tìm cả hai).")
@click.option("--as-of", help=AS_OF_HELP)
@click.option("--format", "fmt", **FORMAT_OPTION)
@pass_app
def history_cmd(app: AppContext, name: str, is_zone: bool, as_of: str | None, fmt: str) -> None:
    """Lịch sử đầy đủ của một dự án hoặc khu/cụm: mọi thay đổi, văn bản, vướng mắc."""
    from kcn_tracker.interface.queries import find_record, history_entries, history_rows

    day = date_option(as_of)
    with app.connection() as connection:
        record_type, (record_id, code, record_name) = find_record(connection, name, ("zone",) if is_zone else ("project", "zone"))
        entries = history_entries(connection, record_type, record_id, day)
        title = f"Lịch sử: {record_name} [{code}]"
        technologies = technology_labels(connection)
    rows = history_rows(entries)
    if fmt == "table":  # the changes in words, old → new
        for row, e in zip(rows, entries):
            row["changes"] = "\n".join(
                f"{field_spec(record_type, c.field).label_vi}: {_show(record_type, c.field, c.old, technologies)} → "
                f"{_show(record_type, c.field, c.new, technologies)}"
                for c in e.changes if c.field not in ("location_source", "location_licence"))
    if fmt == "table":
        _history_cells(rows)
    emit_rows(rows, [Column("when", "Ngày", keep_whole=True), Column("what", "Nội dung"),
                     Column("effective_on", "Ngày hiệu lực", in_table=False), Column("kind", "Loại", in_table=False),
                     Column("changes", "Thay đổi", in_table=False), Column("document", "Văn bản", min_console=100),
                     Column("note", "Ghi chú", min_console=130), Column("obstacle_id", "Số VM", in_table=False),
                     Column("date_basis", "Căn cứ ngày", in_table=False), Column("recorded_by", "Người ghi", min_console=160),
                     Column("category", "Loại VM", in_table=False)], fmt, title=title)


_KINDS = {"event": "Thay đổi", "confirmed": "Xác nhận không thay đổi", "obstacle_opened": "Mở vướng mắc",
          "obstacle_update": "Cập nhật vướng mắc", "obstacle_resolved": "Giải quyết vướng mắc",
          "obstacle_dropped": "Ngừng theo dõi vướng mắc"}


def _history_cells(rows: list[dict[str, Any]]) -> None:
    """Table-only cells of `kcn history`: the date with its basis, and what happened in words."""
    from kcn_tracker.labels import value_label

    for row in rows:
        basis = row["date_basis"]
        short = {"inferred": "(suy luận)", "unknown": "(vào/trước)"}
        row["when"] = format_date(row["effective_on"]) + (f"\n{short[basis]}" if basis in short else "")
        head = _KINDS.get(row["kind"], row["kind"])
        if row["obstacle_id"] is not None:
            head += f" số {row['obstacle_id']} ({value_label('category', row['category'])})"
            if row["note"] and row["kind"] == "obstacle_opened":
                head += f": {row['note']}"
        row["what"] = "\n".join(part for part in (head + ":" if row["changes"] else head, row["changes"]) if part)


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
    from kcn_tracker.interface.queries import change_rows

    begin = date_option(start, field_name="--from", required=True)
    finish = date_option(end, field_name="--to") or clock.today()
    with app.connection() as connection:
        rows = change_rows(connection, begin, finish)  # type: ignore[arg-type]
        technologies = technology_labels(connection)
    categories = {"created": "bản ghi mới", "stage": "giai đoạn", "mw_online": "MW vận hành", "occupancy": "lấp đầy",
                  "obstacle_opened": "mở vướng mắc",
                  "obstacle_resolved": "giải quyết vướng mắc", "other": "khác"}
    if fmt == "table":
        from kcn_tracker.labels import RECORD_TYPES, value_label

        shown: dict[tuple[Any, ...], str] = {}

        def show(record_type: str, name: str, value: Any) -> str:
            """``_show``, once per distinct value (stage moves, investors and MW repeat in 10,000 records)."""
            key = (record_type, name, value.__class__, value)
            try:
                return shown[key]
            except KeyError:
                text = shown[key] = _show(record_type, name, value, technologies)
                return text
            except TypeError:  # an unhashable value
                return _show(record_type, name, value, technologies)

        for row in rows:
            row["name_code"] = f"{row['name']}\n{row['code']}"
            if row["category"] in ("obstacle_opened", "obstacle_resolved"):
                what = f"{categories[row['category']].capitalize()} ({value_label('category', row['field'])})"
                row["change"] = f"{what}: {row['new'] or row['old']}"
            elif row["category"] == "created":
                row["change"] = f"Đưa vào sổ (bản ghi mới), giai đoạn: {show(row['record_type'], 'stage', row['new'])}"
            elif row["field"]:
                label = field_spec(row["record_type"], row["field"]).label_vi
                row["change"] = (f"{label}: {show(row['record_type'], row['field'], row['old'])} → "
                                 f"{show(row['record_type'], row['field'], row['new'])}")
            row["record_type"] = RECORD_TYPES.get(row["record_type"], row["record_type"])
    emit_rows(rows, [Column("effective_on", "Ngày", keep_whole=True), Column("name_code", "Tên / mã", keep_whole=True),
                     Column("name", "Tên", in_table=False), Column("category", "Nhóm", lambda v: categories.get(v, v), in_table=False),
                     Column("field", "Trường", in_table=False), Column("old", "Trước", in_table=False),
                     Column("new", "Sau", in_table=False), Column("change", "Thay đổi"),
                     Column("document", "Văn bản", min_console=110), Column("note", "Ghi chú", min_console=150),
                     Column("record_type", "Loại bản ghi", in_table=False), Column("code", "Mã", in_table=False)], fmt,
              title=f"Thay đổi từ {format_date(begin)} đến {format_date(finish)}", caption=f"{len(rows)} thay đổi", as_of=finish)
