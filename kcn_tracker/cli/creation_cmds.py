"""``kcn zones add`` and ``kcn energy add``: create a record, citing its source document."""

from __future__ import annotations

from typing import Any

import click

from kcn_tracker.cli.context import AppContext, date_option

pass_app = click.make_pass_decorator(AppContext)


def _add_command(record_type: str, options: list[tuple[str, str, str, dict[str, Any]]], example: str) -> click.Command:
    def command(app: AppContext, name: str, date: str | None, doc_number: str, doc_date: str | None,
                doc_title: str | None, by: str | None, **values: Any) -> None:
        from kcn_tracker.creation import create_record
        from kcn_tracker.workflow import DocumentRef

        raw = {field: values[opt.replace("-", "_")] for opt, field, _, _ in options if values.get(opt.replace("-", "_")) is not None}
        raw["name"] = name
        document = DocumentRef(number=doc_number, issued_on=date_option(doc_date, field_name="--doc-date"), title=doc_title)
        with app.session(write=True) as session:
            record = create_record(session, record_type, raw, effective_on=date_option(date, field_name="--date"),
                                   document=document, by=by)
            code, shown = record.code, record.name
        click.echo(f"Đã tạo: {shown} [{code}]")

    params: list[click.Parameter] = [
        click.Argument(["name"]),
        click.Option(["--doc", "doc_number"], required=True, metavar="SỐ_HIỆU", help="Số hiệu văn bản nguồn (bắt buộc)."),
        click.Option(["--doc-date"], metavar="DATE", help="Ngày ban hành văn bản (dd/mm/yyyy)."),
        click.Option(["--doc-title"], metavar="TEXT", help="Trích yếu văn bản."),
        click.Option(["--date"], metavar="DATE", help="Ngày hiệu lực (mặc định hôm nay; không ở tương lai)."),
        click.Option(["--by"], metavar="NAME", help="Người ghi (mặc định: tên đăng nhập hệ điều hành)."),
    ]
    params += [click.Option([f"--{opt}"], metavar="VALUE", help=text, **extra) for opt, _, text, extra in options]
    return click.Command("add", callback=pass_app(command), params=params,
                         help=f"Thêm bản ghi mới, ghi thành sự kiện đầu tiên có văn bản nguồn.\n\n"
                              f"Add a new record as its first event, citing the source document.\n\n\b\nVí dụ:\n  {example}")


zones_add_cmd = _add_command("zone", [
    ("kind", "kind", "KCN, CCN hoặc KKT.", {"required": True}),
    ("stage", "stage", "Giai đoạn (mã hoặc tên; `kcn stages`).", {"required": True}),
    ("phase", "phase", "Giai đoạn phân kỳ (nếu có).", {}),
    ("commune", "commune", "Xã/phường (2025).", {}),
    ("developer", "developer", "Chủ đầu tư hạ tầng.", {}),
    ("total-area", "total_area_ha", "Tổng diện tích (ha).", {}),
    ("leasable", "leasable_ha", "Đất CN cho thuê (ha).", {}),
    ("note", "note", "Ghi chú.", {}),
], 'kcn zones add "CCN Ninh Xuân 2" --kind CCN --stage in_plan --doc "123/QĐ-UBND" --doc-date 01/10/2025')

energy_add_cmd = _add_command("project", [
    ("technology", "technology", "Công nghệ (mã hoặc tên, vd. solar, “điện gió”).", {"required": True}),
    ("stage", "stage", "Giai đoạn (mã hoặc tên; `kcn stages`).", {"required": True}),
    ("capacity", "capacity_mw", "Công suất (MW).", {}),
    ("investor", "investor", "Nhà đầu tư.", {}),
    ("commune", "commune", "Xã/phường (2025).", {}),
    ("expected-cod", "expected_cod", "Ngày dự kiến vận hành.", {}),
    ("zone", "zone_code", "Mã KCN/CCN chứa dự án.", {}),
    ("note", "note", "Ghi chú.", {}),
], 'kcn energy add "Điện mặt trời Ninh Hòa 3" --technology solar --capacity 50 --stage in_plan --doc "500/QĐ-BCT"')
