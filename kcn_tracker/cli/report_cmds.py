"""``kcn report``: write the periodic report (Word, Excel, Markdown, HTML) or list the next deadlines."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click

from kcn_tracker.cli.context import AppContext, date_option
from kcn_tracker.cli.render import echo
from kcn_tracker.output import check_output_dir
from kcn_tracker.errors import InvalidValue
from kcn_tracker import clock

pass_app = click.make_pass_decorator(AppContext)
REPORT_FORMATS = ("docx", "xlsx", "md", "html")


def generation_time() -> dt.datetime:
    """Now, in local time; ``SOURCE_DATE_EPOCH`` (reproducible builds) fixes it when set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return clock.now_vietnam()


def _period(period: str | None, start: str | None, end: str | None):  # type: ignore[no-untyped-def]
    from kcn_tracker.periods import parse_period, period_between

    if period and (start or end):
        raise InvalidValue("Dùng --period hoặc --from/--to, không dùng cả hai / use --period or --from/--to, not both")
    if period:
        return parse_period(period)
    if start and end:
        return period_between(date_option(start, field_name="--from"), date_option(end, field_name="--to"))  # type: ignore[arg-type]
    raise InvalidValue("Cần --period (vd. 2026-Q2, 2026-H1, 2026) hoặc cả --from và --to, hoặc --due / "
                       "give --period, or both --from and --to, or --due")


@click.command("report")
@click.option("--period", metavar="KỲ", help="Kỳ báo cáo: 2026-Q2 (quý), 2026-H1 (6 tháng), 2026 (năm).")
@click.option("--from", "start", metavar="DATE",
              help="Ngày cuối kỳ trước (không tính ngày này, như `kcn changes --from`), dd/mm/yyyy.")
@click.option("--to", "end", metavar="DATE", help="Ngày cuối kỳ (tính cả ngày này); số liệu chốt đến ngày này.")
@click.option("--format", "fmt", type=click.Choice([*REPORT_FORMATS, "all"]), default="docx", show_default=True,
              help="docx: Word để chỉnh sửa và gửi; xlsx: các bảng, mỗi bảng một trang tính; md/html: đọc nhanh; all: tất cả.")
@click.option("--out", "out_dir", default="reports", show_default=True, metavar="DIR", help="Thư mục ghi báo cáo.")
@click.option("--no-charts", is_flag=True, help="Không vẽ biểu đồ (nhanh hơn).")
@click.option("--due", is_flag=True, help="Chỉ liệt kê các hạn báo cáo sắp tới và kỳ mà chúng bao gồm.")
@click.option("--today", metavar="DATE", help="Với --due: tính hạn từ ngày này (mặc định hôm nay).")
@click.option("--settings", "settings_path", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp thiết lập báo cáo (cơ quan, số, nơi nhận, người ký); mặc định tệp do --init-settings ghi.")
@click.option("--init-settings", is_flag=True,
              help="Ghi tệp thiết lập mẫu (Ban Quản lý KKT và KCN tỉnh Khánh Hòa) để sửa, rồi thoát.")
@pass_app
def report_cmd(app: AppContext, period: str | None, start: str | None, end: str | None, fmt: str, out_dir: str,
               no_charts: bool, due: bool, today: str | None, settings_path: Path | None, init_settings: bool) -> None:
    """Báo cáo định kỳ (quý, 6 tháng, năm): mục tiêu T1–T6, thay đổi trong kỳ, vướng mắc, dự kiến đến 2030, phụ lục.

    Mọi con số lấy từ `kcn progress --as-of <cuối kỳ>` và `kcn changes` cho cùng các ngày.
    Bản Word theo thể thức Nghị định 30/2020/NĐ-CP; tên cơ quan, số, nơi nhận, người ký
    lấy từ tệp thiết lập (`kcn report --init-settings` ghi tệp mẫu để sửa).

    \b
    Ví dụ / examples:
      kcn report --init-settings                       ghi tệp thiết lập mẫu
      kcn report --period 2026-Q2                      Word, vào thư mục reports/
      kcn report --period 2026-H1 --format all --out bao-cao
      kcn report --from 31/03/2026 --to 15/06/2026 --format xlsx
      kcn report --due                                 các hạn báo cáo sắp tới
    """
    from kcn_tracker.reports import settings as report_settings

    if init_settings:
        written = report_settings.write_example(settings_path)
        click.echo(f"Đã ghi tệp thiết lập mẫu: {written}\nSửa tên cơ quan, nơi nhận, người ký trong tệp này trước khi in báo cáo.")
        return
    if due:
        _print_deadlines(date_option(today, field_name="--today") or clock.today())
        return
    from kcn_tracker.reports.content import build_content, write_report

    chosen = _period(period, start, end)
    folder = check_output_dir(out_dir)
    settings, settings_file = report_settings.load(settings_path)
    with app.session() as session:
        content = build_content(session, chosen, generated_at=generation_time(), with_charts=not no_charts, settings=settings)
    written = write_report(content, folder, REPORT_FORMATS if fmt == "all" else (fmt,))
    echo(f"Đã ghi báo cáo {chosen.label_vi} ({chosen.range_vi}):")
    for path in written:
        echo(f"  {path}")
    for figure in content.figures:
        if figure.png is None:
            echo(f"Lưu ý: {figure.missing_text}")
    if settings_file is None:
        echo("Lưu ý: chưa có tệp thiết lập, dùng thiết lập mẫu; chạy `kcn report --init-settings` để ghi tệp và sửa "
             "tên cơ quan, nơi nhận, người ký.")
    else:
        echo(f"Thiết lập báo cáo: {settings_file}")


def _print_deadlines(today: dt.date) -> None:
    from kcn_tracker.cli.render import Column, emit_rows
    from kcn_tracker.periods import OVERDUE_WINDOW_DAYS, next_deadlines, recent_overdue
    from kcn_tracker.text import format_date

    deadlines = [*recent_overdue(today), *next_deadlines(today)]
    rows = [{"due": d.due_before, "body": d.rule.body_vi, "report": d.rule.report_vi,
             "period": f"{d.period.label_vi} ({d.period.key})", "command": f"kcn report --period {d.period.key}",
             "days": (d.due_before - today).days, "overdue": d.due_before < today,
             "source": d.rule.citation + (f"; {d.rule.alternative}" if d.rule.alternative else "")}
            for d in deadlines]
    emit_rows(rows, [Column("due", "Hạn (trước ngày)", format_date, keep_whole=True),
                     Column("days", "Tình trạng", _status, keep_whole=True),
                     Column("body", "Đơn vị báo cáo"), Column("report", "Báo cáo"), Column("period", "Kỳ"),
                     Column("command", "Lệnh", min_console=120), Column("source", "Căn cứ", min_console=160),
                     Column("overdue", "Quá hạn", in_table=False)], "table",
              title=f"Hạn báo cáo, tính từ {format_date(today)}",
              caption=f"Hạn đã qua trong {OVERDUE_WINDOW_DAYS} ngày gần đây được liệt kê trước (nếu báo cáo đã gửi, bỏ qua).")


def _status(days: int) -> str:
    """ "quá hạn 3 ngày", "hôm nay là hạn cuối", "còn 12 ngày"."""
    if days < 0:
        return f"QUÁ HẠN {-days} ngày"
    return "đến hạn hôm nay" if days == 0 else f"còn {days} ngày"
