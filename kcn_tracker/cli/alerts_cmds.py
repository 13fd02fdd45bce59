"""``kcn alerts``: what is late, stale, unplaced or undated, most severe first. Fast: no ORM, no heavy imports."""

from __future__ import annotations

import click

from kcn_tracker.cli.context import AS_OF_HELP, FORMAT_OPTION, AppContext, date_option
from kcn_tracker.cli.render import Column, emit_rows
from kcn_tracker import clock

pass_app = click.make_pass_decorator(AppContext)
STALE_HELP = "Quá bao nhiêu tháng chưa xác nhận thì coi là lâu chưa cập nhật (mặc định 6, hoặc biến KCN_STALE_MONTHS)."


@click.command("alerts")
@click.option("--as-of", help=AS_OF_HELP)
@click.option("--stale-months", type=int, metavar="N", help=STALE_HELP)
@click.option("--kind", "kinds", multiple=True, metavar="KIND",
              help="Chỉ loại / only: overdue, obstacle_overdue, maybe_stopped, stale, no_location, no_expected_date.")
@click.option("--limit", type=click.IntRange(min=0), default=40, show_default=True,
              help="Bảng: in tối đa N cảnh báo nặng nhất (0: tất cả); json/csv luôn in tất cả.")
@click.option("--format", "fmt", **FORMAT_OPTION)
@pass_app
def alerts_cmd(app: AppContext, as_of: str | None, stale_months: int | None, kinds: tuple[str, ...], limit: int,
               fmt: str) -> None:
    """Cảnh báo sớm: quá hạn, vướng mắc quá hạn, lâu chưa xác nhận, thiếu vị trí, thiếu ngày dự kiến.

    \b
    Ví dụ / examples:
      kcn alerts
      kcn alerts --as-of 31/03/2026 --stale-months 3
      kcn alerts --format json > canh-bao.json
    """
    from kcn_tracker.alerts import KINDS, count_kinds, findings, rows
    from kcn_tracker.errors import InvalidValue
    from kcn_tracker.progress_data import load_records
    from kcn_tracker.staleness import stale_months as threshold

    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise InvalidValue(f"--kind “{', '.join(unknown)}” không hợp lệ; chọn / choose: {', '.join(KINDS)}")
    day = date_option(as_of) or clock.today()
    months = threshold(stale_months)
    with app.connection() as connection:
        records = load_records(connection, as_of=day, history=False)  # the alerts read no record's past
    found = findings(records, day, stale_months=months, kinds=kinds)
    if fmt != "table":
        emit_rows(rows(found), ALERT_COLUMNS, fmt, schema="alerts", as_of=day)
        return
    summary = "; ".join(f"{KINDS[k][2]}: {n}" for k, n in count_kinds(f[1] for f in found).items() if n)
    shown = rows(found, limit=limit)  # only the rows shown are worded (most of a national register has an alert)
    more = f" Còn {len(found) - len(shown)} cảnh báo nhẹ hơn: --limit 0 hoặc --format json." if len(shown) < len(found) else ""
    _print_table(shown, title=f"Cảnh báo sớm đến ngày {day:%d/%m/%Y} (theo mức độ)",
                 caption=f"{len(found)} cảnh báo — {summary or 'không có'}. Lâu chưa xác nhận: quá {months} tháng.{more}")


def _print_table(rows: list[dict], *, title: str, caption: str) -> None:
    """A plain-text table (``cli.table``: rich's drawing, no markup parsing, as ``kcn progress``)."""
    from kcn_tracker.cli.render import human
    from kcn_tracker.cli.table import Console, Table

    table = Table(title=title, caption=caption, header_style="bold", literal=False)
    for column in ALERT_COLUMNS[:5]:
        table.add_column(column.header, justify=column.justify, overflow="fold")  # type: ignore[arg-type]
    for row in rows:
        table.add_row(*[human(row.get(c.key)) for c in ALERT_COLUMNS[:5]])
    Console(width=max(100, Console().width)).print(table)

ALERT_COLUMNS = [
    Column("severity_vi", "Mức"), Column("kind_vi", "Loại cảnh báo"), Column("name", "Tên"), Column("message", "Nội dung"),
    Column("days", "Số ngày", justify="right"), Column("code", "Mã"), Column("severity", "severity"), Column("kind", "kind"),
    Column("record_type", "record_type"), Column("date", "date"), Column("expectation", "expectation"),
    Column("remaining_mw", "remaining_mw"), Column("obstacle_id", "obstacle_id"), Column("agency_key", "agency_key"),
]
