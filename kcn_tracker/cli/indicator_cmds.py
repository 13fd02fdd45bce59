"""``kcn indicators`` (tenant indicators for a period, base figures) and the tenant catalogues (industries, countries)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from kcn_tracker.cli.context import AppContext, date_option
from kcn_tracker.cli.render import Column, echo, emit_rows
from kcn_tracker.cli.workflow_cmds import _doc_ref

pass_app = click.make_pass_decorator(AppContext)
TABLE_CHOICES = ("summary", "attracted", "zones", "business", "workers", "countries", "industries")


def _tables(ind: Any) -> dict[str, Any]:
    from kcn_tracker.tenants.report_tables import report_tables

    return dict(zip(TABLE_CHOICES, report_tables(ind)))


def _emit(table: Any, fmt: str, *, name: str, end: Any) -> None:
    from kcn_tracker.tenants.report_tables import plain_cell, show_cell

    rows = [{k: plain_cell(v) for k, v in row.items()} for row in table.rows]
    columns = [Column(c.key, c.header, (lambda kind: lambda v: show_cell(v, kind))(c.kind),
                      "right" if c.kind != "text" else "left") for c in table.columns]
    emit_rows(rows, columns, fmt, title=table.title, caption="\n".join(table.notes) or None,
              schema=f"indicators-{name}", as_of=end)


@click.group("indicators", invoke_without_command=True)
@click.option("--period", metavar="KỲ", help="Kỳ: 2026-Q2 (quý), 2026-H1 (6 tháng), 2026 (năm).")
@click.option("--as-of", help="Tính đến ngày này trong kỳ (kỳ chưa kết thúc); mặc định ngày cuối kỳ.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "xlsx"]), default="table", show_default=True,
              help="table: bảng tiếng Việt; json/csv: số và ngày dạng máy đọc; xlsx: mọi bảng, mỗi bảng một trang tính (--out).")
@click.option("--table", "which", type=click.Choice(TABLE_CHOICES), default=None,
              help="Bảng in ra (table/csv); mặc định: chỉ số tổng hợp (table in thêm lấp đầy theo khu).")
@click.option("--out", type=click.Path(path_type=Path), help="Tệp .xlsx (với --format xlsx).")
@click.pass_context
def indicators_group(ctx: click.Context, period: str | None, as_of: str | None, fmt: str, which: str | None, out: Path | None) -> None:
    """Chỉ số dự án thứ cấp trong kỳ: cấp mới, điều chỉnh, chấm dứt (FDI/trong nước, theo quốc gia, ngành),
    lũy kế, lấp đầy từng khu, lao động, T9, T11, T12.

    \b
    Ví dụ / examples:
      kcn indicators --period 2026-Q2
      kcn indicators --period 2026 --format xlsx --out chi-so-2026.xlsx
      kcn indicators --period 2026-Q2 --as-of 15/05/2026 --format json
      kcn indicators set-base manufacturing_enterprises 1234 --year 2025 --doc "Niên giám thống kê 2025"
    """
    if ctx.invoked_subcommand is not None:
        return
    from kcn_tracker.errors import InvalidValue
    from kcn_tracker.periods import parse_period
    from kcn_tracker.tenants.indicators import compute_indicators
    from kcn_tracker.tenants.records import load_tenant_data

    if not period:
        raise InvalidValue("Cần --period (vd. 2026-Q2, 2026-H1, 2026) / --period is required")
    chosen = parse_period(period)
    if fmt == "xlsx":
        from kcn_tracker.output import check_output_file

        out = check_output_file(out or Path(f"chi-so-du-an-thu-cap-{chosen.key}.xlsx"))
    app: AppContext = ctx.find_object(AppContext)  # type: ignore[assignment]
    with app.session() as session:
        data = load_tenant_data(session)
    indicators = compute_indicators(data, chosen, as_of=date_option(as_of))
    tables = _tables(indicators)
    if fmt == "xlsx":
        from kcn_tracker.output import atomic_output
        from kcn_tracker.tenants.report_tables import write_workbook

        with atomic_output(out) as temp:  # type: ignore[arg-type]
            write_workbook(list(tables.values()), temp)
        echo(f"Đã ghi {out}")
    elif fmt == "json" and which is None:
        from kcn_tracker.cli.render import emit_json
        from kcn_tracker.tenants.report_tables import plain_cell

        emit_json({k: {"title": t.title, "notes": t.notes, "rows": [{c: plain_cell(v) for c, v in r.items()} for r in t.rows]}
                   for k, t in tables.items()}, schema="indicators", as_of=indicators.end)
    else:
        _emit(tables[which or "summary"], fmt, name=which or "summary", end=indicators.end)
        if fmt == "table" and which is None:
            _emit(tables["zones"], fmt, name="zones", end=indicators.end)


@indicators_group.command("set-base")
@click.argument("key")
@click.argument("value")
@click.option("--year", type=int, required=True, help="Năm của số liệu.")
@click.option("--doc", "doc_number", required=True, metavar="SỐ_HIỆU", help="Văn bản nguồn (bắt buộc).")
@click.option("--doc-date", metavar="DATE", help="Ngày văn bản.")
@click.option("--doc-title", metavar="TEXT", help="Trích yếu văn bản.")
@click.option("--note", metavar="TEXT", help="Ghi chú (vd. trang, bảng trong niên giám).")
@click.option("--replace", is_flag=True, help="Sửa số đã nhập cho năm này.")
@click.option("--by", metavar="NAME", help="Người ghi.")
@pass_app
def set_base_cmd(app: AppContext, key: str, value: str, year: int, doc_number: str, doc_date: str | None,
                 doc_title: str | None, note: str | None, replace: bool, by: str | None) -> None:
    """Nhập số liệu nền có nguồn cho chỉ số (vd. số doanh nghiệp chế biến, chế tạo cho T12).

    \b
    Ví dụ: kcn indicators set-base manufacturing_enterprises 1.234 --year 2025 --doc "NGTK 2025" --note "Bảng 5.2"
    """
    from kcn_tracker.tenants.base import set_base_figure
    from kcn_tracker.text import format_number

    with app.session(write=True) as session:
        row, previous = set_base_figure(session, key, value, year=year, document=_doc_ref(doc_number, doc_date, doc_title),
                                        note=note, by=by, replace=replace)
        echo(f"Đã ghi {key} năm {year}: {format_number(row.value, decimals=0)}"
                   + (f" (thay {format_number(previous, decimals=0)})" if previous is not None else "")
                   + f"; nguồn {row.document.citation()}")


def _catalogue_group(name: str, noun: str) -> click.Group:
    @click.group(name, invoke_without_command=True)
    @click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
    @click.pass_context
    def group(ctx: click.Context, fmt: str) -> None:
        if ctx.invoked_subcommand is not None:
            return
        from sqlalchemy import select

        from kcn_tracker.tenants.models import Country, Industry

        model = Industry if name == "industries" else Country
        columns = [Column("code", "Mã"), Column("level", "Cấp"), Column("section", "Ngành cấp 1"), Column("label_vi", "Tên"),
                   Column("label_en", "English"), Column("source", "Nguồn")]
        if name == "countries":
            columns = [c for c in columns if c.key not in ("level", "section")]
        app: AppContext = ctx.find_object(AppContext)  # type: ignore[assignment]
        with app.session() as session:
            rows = [{c.key: getattr(r, c.key) for c in columns} for r in session.scalars(select(model).order_by(model.code))]
        emit_rows(rows, columns, fmt, title=f"Danh mục {noun}", caption=f"{len(rows)} dòng")

    group.help = f"Danh mục {noun} (xem; thêm bằng `add`)."
    return group


industries_group = _catalogue_group("industries", "ngành VSIC 2018")
countries_group = _catalogue_group("countries", "quốc gia, vùng lãnh thổ")


@industries_group.command("add")
@click.argument("code")
@click.argument("label_vi")
@click.option("--section", help="Chữ cái ngành cấp 1 (khi mã chưa có ngành cấp 2 cha).")
@click.option("--label-en", help="Tên tiếng Anh.")
@click.option("--source", required=True, help="Căn cứ, vd. “QĐ 27/2018/QĐ-TTg, Phụ lục I”.")
@pass_app
def industries_add_cmd(app: AppContext, code: str, label_vi: str, section: str | None, label_en: str | None, source: str) -> None:
    """Thêm một mã ngành VSIC (cấp 2–5) vào danh mục."""
    from kcn_tracker.tenants.catalogue import add_industry

    with app.session(write=True) as session:
        add_industry(session, code, label_vi, section=section, label_en=label_en, source=source)
    echo(f"Đã thêm ngành {code}: {label_vi}")


@countries_group.command("add")
@click.argument("code")
@click.argument("label_vi", required=False)
@click.argument("label_en", required=False)
@pass_app
def countries_add_cmd(app: AppContext, code: str, label_vi: str | None, label_en: str | None) -> None:
    """Thêm một quốc gia/vùng lãnh thổ (mã ISO 3166-1 hai chữ cái); không ghi tên thì lấy tên theo CLDR.

    \b
    Ví dụ: kcn tenants countries add QA
    """
    from kcn_tracker.tenants.catalogue import add_country

    with app.session(write=True) as session:
        row = add_country(session, code, label_vi, label_en)
        echo(f"Đã thêm quốc gia {row.code}: {row.label_vi} ({row.source})")
