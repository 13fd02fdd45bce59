"""``kcn tenants``: secondary investment projects (add, update, list, show, history, obstacles, catalogues, Excel)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from kcn_tracker.cli import GROUP_EXTRAS, LazyGroup
from kcn_tracker.cli.context import AS_OF_HELP, FORMAT_OPTION, AppContext, date_option
from kcn_tracker.cli.render import Column, echo, emit_mapping, emit_rows, human
from kcn_tracker.cli.workflow_cmds import DOC_OPTIONS, _doc_options, _doc_ref, raw_field_values
from kcn_tracker.fields import OBSTACLE_CATEGORIES
from kcn_tracker.text import format_date, format_number

pass_app = click.make_pass_decorator(AppContext)

#: (option, field, help): the field options shared by `add` and `update`.
FIELD_OPTIONS: list[tuple[str, str, str]] = [
    ("certificate", "certificate_no", "Số GCNĐKĐT (mã số dự án: dãy chữ số ghi trên giấy chứng nhận; với dự án theo giấy chứng nhận đầu tư cũ là số của giấy đó)."),
    ("certificate-date", "certificate_on", "Ngày cấp GCNĐKĐT lần đầu (dd/mm/yyyy)."),
    ("name", "name", "Tên dự án."),
    ("investor", "investor", "Nhà đầu tư."),
    ("country", "country", "Quốc tịch nhà đầu tư: mã ISO (JP, KR, VN...) hoặc tên (`kcn tenants countries`)."),
    ("fdi", "fdi", "Dự án FDI: có/không (mặc định suy ra từ quốc tịch: khác VN là FDI)."),
    ("zone", "zone_code", "KCN/CCN (tên không dấu hoặc mã; mỗi phân kỳ là một khu riêng)."),
    ("industry", "industry", "Ngành VSIC 2018: chữ cái cấp 1 hoặc mã cấp 2 (vd. 26) (`kcn tenants industries`)."),
    ("stage", "stage", "Giai đoạn: registered, land_handed_over, construction, operating, suspended, revoked (hoặc tên tiếng Việt)."),
    ("capital-usd", "capital_usd", "Vốn đăng ký (USD) — bắt buộc với dự án FDI."),
    ("capital-vnd", "capital_vnd", "Vốn đăng ký (đồng) — bắt buộc với dự án trong nước."),
    ("fx-rate", "fx_rate", "Tỷ giá quy đổi (đồng/USD) ghi trong GCNĐKĐT; cần --fx-date."),
    ("fx-date", "fx_rate_on", "Ngày của tỷ giá."),
    ("realised", "realised_capital", "Vốn đã thực hiện lũy kế đến ngày hiệu lực (USD nếu FDI, đồng nếu trong nước)."),
    ("leased", "leased_ha", "Diện tích đất thuê (ha)."),
    ("workers-vn", "workers_vn", "Số lao động Việt Nam."),
    ("workers-foreign", "workers_foreign", "Số lao động nước ngoài."),
    ("high-tech", "high_tech", "Dự án công nghệ cao (T11): có/không."),
    ("digital", "digital_tech", "Ứng dụng công nghệ số, tự động hóa, AI (T9): có/không."),
]
TENANT_COLUMNS = [
    Column("certificate_no", "Số GCNĐKĐT"), Column("name", "Tên dự án"), Column("investor", "Nhà đầu tư"),
    Column("country", "Quốc tịch"), Column("fdi", "FDI"), Column("zone_code", "Khu", keep_whole=True), Column("industry", "Ngành", min_console=100),
    Column("stage", "Giai đoạn", lambda v: _stage_label(v)),
    Column("capital_usd", "Vốn ĐK (USD)", lambda v: human(None if v is None else float(v)), justify="right"),
    Column("capital_vnd", "Vốn ĐK (đồng)", lambda v: human(None if v is None else float(v)), justify="right", min_console=100),
    Column("leased_ha", "Đất thuê (ha)", justify="right", min_console=100), Column("workers_vn", "LĐ VN", justify="right"),
    Column("workers_foreign", "LĐ NN", justify="right"), Column("certificate_on", "Ngày cấp"),
    Column("open_obstacles", "Vướng mắc", lambda v: str(v) if v else "—", justify="right"),
]

#: Columns left out of the terminal table (too wide); JSON and CSV have them all.
TABLE_HIDDEN = ("investor", "fdi", "workers_vn", "workers_foreign", "certificate_on")


def machine_columns() -> list[Column]:
    """JSON/CSV columns of `kcn tenants list`: every declared field, then the open obstacles (schema tenants-list)."""
    from kcn_tracker.tenants.fields import TENANT_FIELDS

    return [Column(f.name, f.label_vi) for f in TENANT_FIELDS] + [Column("open_obstacles", "Vướng mắc")]


def _stage_label(key: str | None) -> str:
    from kcn_tracker.tenants.stages import stage_label

    return stage_label(key)


def _print_preview(preview: Any) -> None:
    from kcn_tracker.tenants.fields import FIELDS_BY_NAME

    verb = "Sẽ ghi (chạy thử, chưa ghi)" if not preview.written else ("Đã thêm" if preview.created else "Đã ghi")
    echo(f"{verb}: {preview.name} [{preview.certificate_no}], hiệu lực {format_date(preview.effective_on)}")
    if preview.late:
        echo("  (báo cáo đến muộn: sự kiện được chèn đúng thời điểm, trạng thái hiện tại được tính lại)")
    for change in preview.changes:
        spec = FIELDS_BY_NAME.get(change.field)
        echo(f"  {spec.label_vi if spec else change.field}: {_show(change.field, change.old)} → {_show(change.field, change.new)}")


def _show(name: str, value: Any, labels: dict | None = None) -> str:
    if name == "stage" and value:
        return f"{_stage_label(value)} ({value})"
    if value is None:
        return "—"
    if name in ("country", "industry", "zone_code") and labels:
        from kcn_tracker.tenants.catalogue import coded_label

        return coded_label(name, str(value), labels)
    from kcn_tracker.tenants.fields import FIELDS_BY_NAME, from_json

    kind = FIELDS_BY_NAME[name].kind if name in FIELDS_BY_NAME else "str"
    if isinstance(value, str) and kind in ("decimal", "date"):
        value = from_json(name, value)
    if kind == "decimal":
        return format_number(value, decimals=4)
    return human(value)


def _write_command(name: str) -> click.Command:
    """``kcn tenants add`` / ``kcn tenants update``: one dated, cited event."""
    adding = name == "add"
    options = FIELD_OPTIONS if adding else [o for o in FIELD_OPTIONS if o[1] != "certificate_no"]

    def command(app: AppContext, date: str | None, date_basis: str, set_values: tuple[str, ...], dry_run: bool,
                doc_number: str | None, doc_date: str | None, doc_title: str | None, note: str | None, by: str | None,
                project: str | None = None, **values: Any) -> None:
        from kcn_tracker.tenants.register import add_tenant, update_tenant

        raw = raw_field_values(values, set_values, options=options)
        kwargs = dict(effective_on=date_option(date, field_name="--date"), date_basis=date_basis,
                      document=_doc_ref(doc_number, doc_date, doc_title), note=note, by=by, dry_run=dry_run)
        with app.session(write=True) as session:
            preview = add_tenant(session, raw, **kwargs) if adding else update_tenant(session, project or "", raw, **kwargs)
            if dry_run:
                session.rollback()
        _print_preview(preview)

    params: list[click.Parameter] = [] if adding else [click.Argument(["project"])]
    params += [
        click.Option(["--date"], metavar="DATE", help="Ngày hiệu lực (dd/mm/yyyy); mặc định: ngày cấp GCNĐKĐT (add) hoặc hôm nay."),
        click.Option(["--date-basis"], type=click.Choice(["document", "inferred", "unknown"]), default="document", show_default=True,
                     help="document: ngày trong văn bản; inferred: suy ra; unknown: chậm nhất vào ngày này."),
        click.Option(["--set", "set_values"], multiple=True, metavar="FIELD=VALUE", help="Trường bất kỳ, vd. --set note=..."),
        click.Option(["--dry-run"], is_flag=True, help="Chỉ cho xem sẽ ghi gì, không ghi."),
    ]
    params += [click.Option([f"--{opt}"], metavar="VALUE", help=text) for opt, _, text in options]
    params += [click.Option(list(decls), **kwargs) for decls, kwargs in DOC_OPTIONS]
    example = ('kcn tenants add --certificate 4321000777 --certificate-date 15/03/2025 --name "Nhà máy linh kiện ABC" '
               '--investor "ABC Co., Ltd" --country JP --zone "ninh thuy" --industry 26 --stage registered '
               '--capital-usd 12.500.000 --leased 5,2 --doc 4321000777')
    if not adding:
        example = ('kcn tenants update 4321000123 --capital-usd 20.000.000 --date 10/01/2026 --doc "4321000123 (điều chỉnh lần 1)"\n'
                   '  kcn tenants update 4321000123 --stage operating --workers-vn 350 --date 30/06/2026')
    help_text = ("Thêm một dự án thứ cấp (sự kiện đầu tiên, ngày cấp GCNĐKĐT)." if adding else
                 "Ghi một thay đổi của dự án thứ cấp (điều chỉnh GCNĐKĐT, giai đoạn, vốn thực hiện, lao động) thành sự kiện.")
    return click.Command(name, callback=pass_app(command), params=params, help=f"{help_text}\n\n\b\nVí dụ:\n  {example}")


@click.group("tenants", cls=LazyGroup, lazy=GROUP_EXTRAS["tenants"])
def tenants_group() -> None:
    """Dự án thứ cấp trong KCN/CCN/KKT / secondary (tenant) investment projects."""


tenants_group.add_command(_write_command("add"))
tenants_group.add_command(_write_command("update"))


@tenants_group.command("list")
@click.option("--zone", help="KCN/CCN (tên không dấu hoặc mã).")
@click.option("--stage", help="Giai đoạn (mã hoặc tên tiếng Việt).")
@click.option("--fdi/--domestic", "fdi", default=None, help="Chỉ dự án FDI / chỉ dự án trong nước.")
@click.option("--country", help="Quốc tịch (mã ISO hoặc tên).")
@click.option("--industry", help="Ngành VSIC: chữ cái cấp 1 hoặc mã số.")
@click.option("--text", "text_", metavar="TEXT", help="Tìm trong tên, nhà đầu tư, số GCNĐKĐT, ghi chú.")
@click.option("--as-of", help=AS_OF_HELP)
@click.option("--format", "fmt", **FORMAT_OPTION)
@pass_app
def tenants_list_cmd(app: AppContext, zone: str | None, stage: str | None, fdi: bool | None, country: str | None,
                     industry: str | None, text_: str | None, as_of: str | None, fmt: str) -> None:
    """Danh sách dự án thứ cấp với bộ lọc.

    \b
    Ví dụ: kcn tenants list --zone "ninh thuy" --stage operating --format csv
    """
    from kcn_tracker import clock
    from kcn_tracker.tenants.queries import TenantFilters, filter_tenants, tenant_views

    day = date_option(as_of) or clock.today()
    with app.session() as session:
        rows = filter_tenants(session, tenant_views(session, as_of=day),
                              TenantFilters(zone=zone, stage=stage, fdi=fdi, country=country, industry=industry, text=text_))
        if fmt == "table":  # people read country names; JSON and CSV keep the ISO code
            from kcn_tracker.tenants.catalogue import catalogue_labels

            names = catalogue_labels(session)["country"]
            rows = [{**r, "country": names.get(r.get("country") or "", r.get("country"))} for r in rows]
    columns = [c for c in TENANT_COLUMNS if c.key not in TABLE_HIDDEN] if fmt == "table" else machine_columns()
    if fmt != "table":
        from kcn_tracker.tenants.report_tables import plain_cell

        rows = [{k: plain_cell(v) for k, v in row.items()} for row in rows]
    emit_rows(rows, columns, fmt, title=f"Dự án thứ cấp (đến ngày {format_date(day)})", caption=f"{len(rows)} dự án")


@tenants_group.command("show")
@click.argument("project")
@click.option("--as-of", help=AS_OF_HELP)
@click.option("--format", "fmt", **FORMAT_OPTION)
@pass_app
def tenants_show_cmd(app: AppContext, project: str, as_of: str | None, fmt: str) -> None:
    """Chi tiết một dự án thứ cấp (số GCNĐKĐT hoặc tên không dấu)."""
    from kcn_tracker import clock
    from kcn_tracker.errors import UnknownRecord
    from kcn_tracker.tenants.fields import TENANT_FIELDS
    from kcn_tracker.tenants.queries import tenant_views
    from kcn_tracker.tenants.register import resolve_tenant

    day = date_option(as_of) or clock.today()
    with app.session() as session:
        tenant = resolve_tenant(session, project)
        row = next((r for r in tenant_views(session, as_of=day) if r["id"] == tenant.id), None)
        if row is None:
            raise UnknownRecord(f"“{tenant.name}” chưa có trong sổ vào ngày {format_date(day)} / did not exist yet on that date")
        from kcn_tracker.tenants.catalogue import catalogue_labels

        names = catalogue_labels(session) if fmt == "table" else None
    data = {f.name: row.get(f.name) for f in TENANT_FIELDS}
    data["open_obstacles"] = row["open_obstacles"]
    if fmt == "table":
        data = {k: (_show(k, v, names) if k in dict((f.name, 1) for f in TENANT_FIELDS) and v is not None else v)
                for k, v in data.items()}
    else:
        from kcn_tracker.tenants.report_tables import plain_cell

        data = {k: plain_cell(v) for k, v in data.items()}
    labels = {f.name: f.label_vi for f in TENANT_FIELDS} | {"open_obstacles": "Vướng mắc đang mở"}
    emit_mapping(data, fmt, title=f"{row.get('name')} — đến ngày {format_date(day)}", labels=labels)


@tenants_group.command("history")
@click.argument("project")
@click.option("--as-of", help=AS_OF_HELP)
@click.option("--format", "fmt", **FORMAT_OPTION)
@pass_app
def tenants_history_cmd(app: AppContext, project: str, as_of: str | None, fmt: str) -> None:
    """Lịch sử của một dự án thứ cấp: mọi thay đổi với văn bản căn cứ, vướng mắc."""
    from kcn_tracker.tenants.register import resolve_tenant, tenant_history

    with app.session() as session:
        tenant = resolve_tenant(session, project)
        entries = tenant_history(tenant, until=date_option(as_of))
        title = f"Lịch sử: {tenant.name} [{tenant.certificate_no}]"
        from kcn_tracker.tenants.catalogue import catalogue_labels
        from kcn_tracker.tenants.fields import FIELDS_BY_NAME

        names = catalogue_labels(session) if fmt == "table" else None
    label = {name: spec.label_vi for name, spec in FIELDS_BY_NAME.items()}
    kinds = {"event": "thay đổi", "obstacle_opened": "mở vướng mắc", "obstacle_resolved": "giải quyết vướng mắc"}
    rows = [{"effective_on": e.effective_on, "kind": e.kind, "document": e.document, "note": e.note, "obstacle_id": e.obstacle_id,
             "recorded_by": e.recorded_by,
             "changes": {c.field: c.new for c in e.changes} if fmt != "table" else
             "; ".join(f"{label.get(c.field, c.field)}: {_show(c.field, c.old, names)} → {_show(c.field, c.new, names)}"
                       for c in e.changes)} for e in entries]
    emit_rows(rows, [Column("effective_on", "Ngày hiệu lực"), Column("kind", "Loại", lambda v: kinds.get(v, v)),
                     Column("changes", "Thay đổi"), Column("document", "Văn bản"), Column("note", "Ghi chú"),
                     Column("obstacle_id", "Số VM"), Column("recorded_by", "Người ghi")], fmt, title=title)


@tenants_group.group("obstacle")
def tenant_obstacle_group() -> None:
    """Vướng mắc của dự án thứ cấp: mở và giải quyết."""


@tenant_obstacle_group.command("add")
@click.argument("project")
@click.option("--category", required=True, help="Loại: " + ", ".join(OBSTACLE_CATEGORIES))
@click.option("--description", required=True, help="Mô tả vướng mắc.")
@click.option("--date", metavar="DATE", help="Ngày phát sinh (mặc định hôm nay).")
@_doc_options
@pass_app
def tenant_obstacle_add_cmd(app: AppContext, project: str, category: str, description: str, date: str | None,
                            doc_number: str | None, doc_date: str | None, doc_title: str | None, note: str | None,
                            by: str | None) -> None:
    """Mở một vướng mắc cho dự án thứ cấp."""
    from kcn_tracker.tenants.register import open_tenant_obstacle

    with app.session(write=True) as session:
        ob = open_tenant_obstacle(session, project, category=category, description=description,
                                  opened_on=date_option(date, field_name="--date"), document=_doc_ref(doc_number, doc_date, doc_title), by=by)
        echo(f"Đã mở vướng mắc #{ob.id} [{ob.category}] “{ob.description}” cho {ob.tenant.name} từ {format_date(ob.opened_on)}")


@tenant_obstacle_group.command("resolve")
@click.argument("obstacle_id", type=int)
@click.option("--date", metavar="DATE", help="Ngày giải quyết (mặc định hôm nay).")
@_doc_options
@pass_app
def tenant_obstacle_resolve_cmd(app: AppContext, obstacle_id: int, date: str | None, doc_number: str | None,
                                doc_date: str | None, doc_title: str | None, note: str | None, by: str | None) -> None:
    """Đánh dấu vướng mắc của dự án thứ cấp đã giải quyết (số xem bằng `kcn tenants history`)."""
    from kcn_tracker.tenants.register import resolve_tenant_obstacle

    with app.session(write=True) as session:
        ob = resolve_tenant_obstacle(session, obstacle_id, resolved_on=date_option(date, field_name="--date"),
                                     document=_doc_ref(doc_number, doc_date, doc_title), note=note)
        echo(f"Đã giải quyết vướng mắc #{ob.id} ngày {format_date(ob.resolved_on)}")


@tenants_group.command("template")
@click.option("--out", required=True, type=click.Path(path_type=Path), help="Tệp .xlsx sẽ ghi.")
@pass_app
def tenants_template_cmd(app: AppContext, out: Path) -> None:
    """Mẫu Excel dự án thứ cấp: dữ liệu hiện tại, danh sách chọn, hướng dẫn; dòng mới = dự án mới."""
    from kcn_tracker.output import atomic_output, check_output_file
    from kcn_tracker.tenants.spreadsheet import write_tenant_template

    out = check_output_file(out)
    with app.session() as session, atomic_output(out) as temp:
        count = write_tenant_template(session, temp)
    echo(f"Đã ghi {out} ({count} dự án). Sửa rồi chạy: kcn tenants import {out.name} --dry-run")


@tenants_group.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--date", metavar="DATE", help="Ngày hiệu lực của các dòng cập nhật không ghi ngày (mặc định hôm nay); "
              "dự án mới ghi từ ngày cấp GCNĐKĐT.")
@click.option("--dry-run", is_flag=True, help="Xem trước: dự án mới và thay đổi từng trường, không ghi gì.")
@click.option("--by", metavar="NAME", help="Người ghi.")
@pass_app
def tenants_import_cmd(app: AppContext, path: Path, date: str | None, dry_run: bool, by: str | None) -> None:
    """Nhập dự án thứ cấp từ Excel/CSV: kiểm tra mọi dòng trước, rồi ghi tất cả hoặc không ghi gì."""
    from kcn_tracker.tenants.spreadsheet import import_tenants

    with app.session(write=True) as session:
        report = import_tenants(session, path, effective_on=date_option(date, field_name="--date"), by=by, dry_run=dry_run)
        if dry_run:
            session.rollback()
    head = "Xem trước (chưa ghi)" if dry_run else "Đã ghi"
    echo(f"{head}: {report.added} dự án mới, {report.updated} dự án thay đổi, {report.unchanged} dòng không đổi.")
    for line in report.lines[:200]:
        echo(f"  {line}")
