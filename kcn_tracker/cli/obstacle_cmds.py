"""``kcn obstacle ...`` (work items: who acts, what, by when, history) and ``kcn energy|zones confirm``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from kcn_tracker.cli.context import AS_OF_HELP, FORMAT_OPTION, AppContext, date_option
from kcn_tracker.cli.render import Column, echo, emit_rows
from kcn_tracker.cli.workflow_cmds import _doc_options, _doc_ref
from kcn_tracker.fields import DATE_BASES, OBSTACLE_CATEGORIES
from kcn_tracker.obstacles.statuses import STATUSES, status_label
from kcn_tracker.text import format_date
from kcn_tracker import clock

pass_app = click.make_pass_decorator(AppContext)
_STATUS_HELP = "Trạng thái: " + "; ".join(f"{k} ({vi})" for k, (vi, _) in STATUSES.items())
_AGENCY_HELP = "Cơ quan chịu trách nhiệm: mã hoặc tên (xem `kcn obstacle agency list`)."


def _work_options(func: Any) -> Any:
    for decls, kwargs in reversed([
        (("--agency",), dict(metavar="CƠ_QUAN", help=_AGENCY_HELP)),
        (("--action",), dict(metavar="TEXT", help="Việc đề nghị cơ quan đó làm / action requested.")),
        (("--deadline",), dict(metavar="DATE", help="Hạn xử lý (dd/mm/yyyy).")),
        (("--deadline-basis",), dict(type=click.Choice(DATE_BASES), help="Hạn ghi trong văn bản (document) hay suy luận (inferred).")),
    ]):
        func = click.option(*decls, **kwargs)(func)
    return func


def _summary(ob: Any) -> str:
    record = ob.zone or ob.project
    agency = ob.agency.name_vi if ob.agency else "chưa rõ cơ quan"
    deadline = f", hạn {format_date(ob.deadline)}" if ob.deadline else ""
    from kcn_tracker.labels import value_label

    return (f"#{ob.id}: {value_label('category', ob.category)} — “{ob.description}” — {record.name}; {agency}{deadline}; "
            f"{status_label(ob.status)}")


@click.group("obstacle")
def obstacle_group() -> None:
    """Vướng mắc: mở, cập nhật, giải quyết, danh sách theo cơ quan / obstacles as work items."""


@obstacle_group.command("add")
@click.argument("name")
@click.option("--category", required=True, help="Loại: " + ", ".join(f"{k} ({v[0]})" for k, v in OBSTACLE_CATEGORIES.items()))
@click.option("--description", required=True, help="Mô tả vướng mắc.")
@click.option("--date", metavar="DATE", help="Ngày phát sinh (mặc định hôm nay).")
@click.option("--zone", "is_zone", is_flag=True, help="NAME là khu/cụm công nghiệp (mặc định: dự án điện).")
@_work_options
@click.option("--dry-run", is_flag=True, help="Chỉ xem, không ghi.")
@_doc_options
@pass_app
def obstacle_add_cmd(app: AppContext, name: str, category: str, description: str, date: str | None, is_zone: bool,
                     agency: str | None, action: str | None, deadline: str | None, deadline_basis: str | None,
                     dry_run: bool, doc_number: str | None, doc_date: str | None, doc_title: str | None,
                     note: str | None, by: str | None, historic: bool) -> None:
    """Mở một vướng mắc cho dự án (hoặc khu/cụm với --zone), kèm cơ quan, việc cần làm, hạn.

    \b
    Ví dụ: kcn obstacle add "tdtn-bac-ai" --category land --description "Thu hồi đất còn vướng" --agency ubnd-xa --action "Hoàn thành thu hồi đất" --deadline 30/09/2026 --doc "45/BC-KKT"
    """
    from kcn_tracker.workflow import open_obstacle

    with app.session(write=True) as session:
        ob = open_obstacle(session, "zone" if is_zone else "project", name, category=category, description=description,
                           opened_on=date_option(date, field_name="--date"), document=_doc_ref(doc_number, doc_date, doc_title),
                           note=note, by=by, agency=agency, action=action,
                           deadline=date_option(deadline, field_name="--deadline"), deadline_basis=deadline_basis,
                           historic=historic)
        text = _summary(ob)
        if dry_run:
            session.rollback()
    echo(("Sẽ mở (chạy thử, chưa ghi): " if dry_run else "Đã mở ") + text)


@obstacle_group.command("update")
@click.argument("obstacle_id", type=int)
@click.option("--date", metavar="DATE", help="Ngày hiệu lực của cập nhật (mặc định hôm nay).")
@click.option("--status", help=_STATUS_HELP)
@_work_options
@click.option("--dry-run", is_flag=True, help="Chỉ xem, không ghi.")
@_doc_options
@pass_app
def obstacle_update_cmd(app: AppContext, obstacle_id: int, date: str | None, status: str | None, agency: str | None,
                        action: str | None, deadline: str | None, deadline_basis: str | None, dry_run: bool,
                        doc_number: str | None, doc_date: str | None, doc_title: str | None, note: str | None,
                        by: str | None, historic: bool) -> None:
    """Ghi một bước xử lý (có ngày, văn bản) vào lịch sử vướng mắc: trạng thái, cơ quan, việc, hạn, tin mới.

    \b
    Ví dụ: kcn obstacle update 3 --status waiting --agency so-nn-mt --date 15/10/2026 --doc "120/UBND-KT"
    """
    from kcn_tracker.obstacles.service import update_obstacle
    from kcn_tracker.workflow import find_or_add_document

    with app.session(write=True) as session:
        ob = update_obstacle(session, obstacle_id, effective_on=date_option(date, field_name="--date"), status=status,
                             today=dt.date.max if historic else None,
                             agency=agency, action=action, deadline=date_option(deadline, field_name="--deadline"),
                             deadline_basis=deadline_basis, note=note, by=by,
                             document=find_or_add_document(session, _doc_ref(doc_number, doc_date, doc_title)))
        text = _summary(ob)
        if dry_run:
            session.rollback()
    echo(("Sẽ ghi (chạy thử, chưa ghi): " if dry_run else "Đã cập nhật ") + text)


def _close_command(name: str, status: str, doc: str) -> click.Command:
    @click.command(name)
    @click.argument("obstacle_id", type=int)
    @click.option("--date", metavar="DATE", help="Ngày (mặc định hôm nay).")
    @click.option("--dry-run", is_flag=True, help="Chỉ xem, không ghi.")
    @_doc_options
    @pass_app
    def command(app: AppContext, obstacle_id: int, date: str | None, dry_run: bool, doc_number: str | None,
                doc_date: str | None, doc_title: str | None, note: str | None, by: str | None, historic: bool) -> None:
        from kcn_tracker.workflow import resolve_obstacle

        if status == "dropped" and not (note and note.strip()):
            from kcn_tracker.errors import InvalidValue

            raise InvalidValue("Ngừng theo dõi cần lý do (--note) / dropping needs a reason (--note)")
        with app.session(write=True) as session:
            ob = resolve_obstacle(session, obstacle_id, resolved_on=date_option(date, field_name="--date"),
                                  document=_doc_ref(doc_number, doc_date, doc_title), note=note, by=by, status=status,
                                  historic=historic)
            text = f"{_summary(ob)} ngày {format_date(ob.resolved_on)}"
            if dry_run:
                session.rollback()
        echo(("Chạy thử, chưa ghi: " if dry_run else "Đã ghi: ") + text)

    command.help = doc
    return command


obstacle_group.add_command(_close_command("resolve", "resolved",
    "Đánh dấu vướng mắc số OBSTACLE_ID đã giải quyết (số xem bằng `kcn obstacle list`). Giải quyết lần hai bị từ chối."))
obstacle_group.add_command(_close_command("drop", "dropped",
    "Ngừng theo dõi vướng mắc OBSTACLE_ID (cần --note lý do), không xóa lịch sử."))


@obstacle_group.command("list")
@click.option("--agency", help=_AGENCY_HELP)
@click.option("--status", help=_STATUS_HELP)
@click.option("--overdue", is_flag=True, help="Chỉ vướng mắc quá hạn xử lý / only overdue deadlines.")
@click.option("--open", "open_only", is_flag=True, help="Chỉ vướng mắc đang mở / only open ones.")
@click.option("--as-of", help=AS_OF_HELP)
@click.option("--format", "fmt", **FORMAT_OPTION)
@pass_app
def obstacle_list_cmd(app: AppContext, agency: str | None, status: str | None, overdue: bool, open_only: bool,
                      as_of: str | None, fmt: str) -> None:
    """Danh sách vướng mắc: cơ quan chịu trách nhiệm, việc cần làm, hạn, số ngày tồn tại, quá hạn.

    \b
    Ví dụ: kcn obstacle list --agency ubnd-xa --overdue
    """
    from kcn_tracker.obstacles.service import obstacle_rows, parse_agency
    from kcn_tracker.obstacles.statuses import parse_status
    from kcn_tracker.obstacles.work import filter_rows, sort_for_action

    day = date_option(as_of) or clock.today()
    with app.session() as session:
        key = parse_agency(session, agency) if agency else None
        rows = filter_rows(obstacle_rows(session, day), agency=key, status=parse_status(status) if status else None,
                           overdue=overdue, include_closed=not open_only)
    rows = sort_for_action(rows)
    emit_rows(rows, OBSTACLE_COLUMNS[:9] if fmt == "table" else OBSTACLE_COLUMNS, fmt, title=f"Vướng mắc, kiến nghị và cơ quan chịu trách nhiệm — đến ngày {format_date(day)}",
              caption=f"{len(rows)} vướng mắc; quá hạn: {sum(1 for r in rows if r['overdue_days'] is not None)}")


OBSTACLE_COLUMNS = [
    Column("id", "Số"), Column("name", "Dự án / khu"), Column("description", "Vướng mắc"),
    Column("agency", "Cơ quan chịu trách nhiệm"), Column("action_requested", "Việc đề nghị"),
    Column("deadline", "Hạn"), Column("overdue_days", "Quá hạn (ngày)", justify="right"),
    Column("age_days", "Tồn tại (ngày)", justify="right"), Column("status_label", "Trạng thái"),
    Column("status", "status"), Column("agency_key", "agency_key"), Column("code", "code"), Column("category", "category"),
    Column("opened_on", "opened_on"), Column("resolved_on", "resolved_on"), Column("version", "version"),
]


@obstacle_group.command("show")
@click.argument("obstacle_id", type=int)
@click.option("--format", "fmt", **FORMAT_OPTION)
@pass_app
def obstacle_show_cmd(app: AppContext, obstacle_id: int, fmt: str) -> None:
    """Lịch sử một vướng mắc: mọi bước xử lý có ngày và văn bản."""
    from kcn_tracker.obstacles.service import obstacle_history

    with app.session() as session:
        ob, rows = obstacle_history(session, obstacle_id)
        title = _summary(ob)
    emit_rows(rows, [Column("effective_on", "Ngày"), Column("status_label", "Trạng thái"), Column("agency", "Cơ quan"),
                     Column("action_requested", "Việc đề nghị"), Column("deadline", "Hạn"), Column("document", "Văn bản"),
                     Column("note", "Ghi chú"), Column("recorded_by", "Người ghi"), Column("status", "status")][:8 if fmt == "table" else 9],
              fmt, title=title)


@obstacle_group.group("agency")
def agency_group() -> None:
    """Danh mục cơ quan chịu trách nhiệm (văn phòng tự bổ sung) / the agency list."""


@agency_group.command("list")
@click.option("--format", "fmt", **FORMAT_OPTION)
@pass_app
def agency_list_cmd(app: AppContext, fmt: str) -> None:
    """Các cơ quan và mã để gõ lệnh."""
    from kcn_tracker.obstacles.service import list_agencies

    with app.session() as session:
        rows = list_agencies(session)
    emit_rows(rows, [Column("key", "Mã gõ lệnh"), Column("name_vi", "Tên"), Column("name_en", "English"), Column("note", "Ghi chú")],
              fmt, title="Cơ quan chịu trách nhiệm xử lý vướng mắc")


@agency_group.command("add")
@click.argument("key")
@click.option("--name", "name_vi", required=True, help="Tên tiếng Việt, vd. “Sở Tư pháp”.")
@click.option("--name-en", help="Tên tiếng Anh (tùy chọn).")
@click.option("--note", help="Ghi chú.")
@pass_app
def agency_add_cmd(app: AppContext, key: str, name_vi: str, name_en: str | None, note: str | None) -> None:
    """Thêm một cơ quan vào danh mục.

    \b
    Ví dụ: kcn obstacle agency add so-tu-phap --name "Sở Tư pháp"
    """
    from kcn_tracker.obstacles.service import add_agency

    with app.session(write=True) as session:
        agency = add_agency(session, key, name_vi, name_en=name_en, note=note)
        text = f"{agency.key}: {agency.name_vi}"
    echo(f"Đã thêm cơ quan {text}")


def _confirm_command(record_type: str, example: str) -> click.Command:
    @click.command("confirm")
    @click.argument("name")
    @click.option("--date", metavar="DATE", help="Ngày xác nhận (mặc định hôm nay).")
    @click.option("--dry-run", is_flag=True, help="Chỉ xem, không ghi.")
    @_doc_options
    @pass_app
    def command(app: AppContext, name: str, date: str | None, dry_run: bool, doc_number: str | None, doc_date: str | None,
                doc_title: str | None, note: str | None, by: str | None, historic: bool) -> None:
        from kcn_tracker.confirmation import confirm_record

        with app.session(write=True) as session:
            event = confirm_record(session, record_type, name, document=_doc_ref(doc_number, doc_date, doc_title),
                                   effective_on=date_option(date, field_name="--date"), note=note, by=by, historic=historic)
            record = event.zone or event.project
            text = f"{record.name} [{record.code}] không thay đổi, ngày {format_date(event.effective_on)}, theo {event.document.citation()}"
            if dry_run:
                session.rollback()
        echo(("Sẽ ghi xác nhận (chạy thử): " if dry_run else "Đã xác nhận: ") + text)

    command.help = ("Ghi “xác nhận không thay đổi” (cần văn bản --doc): bản ghi vẫn đúng như sổ, tính là lần xác nhận mới "
                    "nhất cho cảnh báo lâu chưa cập nhật.\n\n\b\nVí dụ: " + example)
    return command


energy_confirm_cmd = _confirm_command("project", 'kcn energy confirm "phuoc thai 2" --doc "45/BC-KKT" --doc-date 30/11/2026')
zones_confirm_cmd = _confirm_command("zone", 'kcn zones confirm "ninh thuy" --doc "45/BC-KKT" --doc-date 30/11/2026')
