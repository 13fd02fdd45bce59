"""The ``kcn`` command: a thin click layer over the library.

Subcommands live in one module per group and are imported only when invoked, so
``kcn progress`` never pays for the imports of ``kcn map``.
"""

from __future__ import annotations

import errno
import gc
import importlib
import importlib.util
from typing import Any

import click

from kcn_tracker.cli.context import AppContext
from kcn_tracker.errors import KcnError

#: command name -> "module:attribute" (imported lazily).
COMMANDS: dict[str, str] = {
    "run": "kcn_tracker.cli.register_cmds:run_cmd",
    "info": "kcn_tracker.cli.register_cmds:info_cmd",
    "db": "kcn_tracker.cli.register_cmds:db_group",
    "zones": "kcn_tracker.cli.register_cmds:zones_group",
    "energy": "kcn_tracker.cli.register_cmds:energy_group",
    "stages": "kcn_tracker.cli.register_cmds:stages_cmd",
    "summary": "kcn_tracker.cli.register_cmds:summary_cmd",
    "obstacle": "kcn_tracker.cli.obstacle_cmds:obstacle_group",
    "alerts": "kcn_tracker.cli.alerts_cmds:alerts_cmd",
    "history": "kcn_tracker.cli.workflow_cmds:history_cmd",
    "changes": "kcn_tracker.cli.workflow_cmds:changes_cmd",
    "progress": "kcn_tracker.cli.progress_cmds:progress_cmd",
    "map": "kcn_tracker.cli.map_cmds:map_cmd",
    "template": "kcn_tracker.cli.interchange_cmds:template_cmd",
    "import": "kcn_tracker.cli.interchange_cmds:import_group",
    "export": "kcn_tracker.cli.interchange_cmds:export_cmd",
    "report": "kcn_tracker.cli.report_cmds:report_cmd",
    "serve": "kcn_tracker.cli.web_cmds:serve_cmd",
    "user": "kcn_tracker.cli.web_cmds:user_group",
    "schema": "kcn_tracker.cli.schema_cmds:schema_cmd",
    "tenants": "kcn_tracker.cli.tenant_cmds:tenants_group",
    "indicators": "kcn_tracker.cli.indicator_cmds:indicators_group",
}
#: extra subcommands that other modules add to a group: group -> {name: "module:attr"}.
GROUP_EXTRAS: dict[str, dict[str, str]] = {
    "zones": {"update": "kcn_tracker.cli.workflow_cmds:zones_update_cmd",
              "confirm": "kcn_tracker.cli.obstacle_cmds:zones_confirm_cmd",
              "add": "kcn_tracker.cli.creation_cmds:zones_add_cmd"},
    "energy": {"update": "kcn_tracker.cli.workflow_cmds:energy_update_cmd",
               "confirm": "kcn_tracker.cli.obstacle_cmds:energy_confirm_cmd",
               "add": "kcn_tracker.cli.creation_cmds:energy_add_cmd",
               "summary": "kcn_tracker.cli.progress_cmds:energy_summary_cmd"},
    "tenants": {"industries": "kcn_tracker.cli.indicator_cmds:industries_group",
                "countries": "kcn_tracker.cli.indicator_cmds:countries_group"},
}

#: command -> the first line of its help, so ``kcn --help`` lists the commands without
#: importing their modules (a test checks each against the command's own help).
SHORT_HELP: dict[str, str] = {
    "run": "Việc chính: tạo CSDL từ dữ liệu kèm theo (nếu trống), in tóm tắt, vẽ bản đồ.",
    "info": "Cơ sở dữ liệu đang dùng / which database is in use, and what it holds.",
    "db": "Quản lý cơ sở dữ liệu / database maintenance.",
    "zones": "Khu công nghiệp, cụm công nghiệp, khu kinh tế / industrial zones.",
    "energy": "Dự án điện (60 dự án QHĐ VIII, điện hạt nhân, truyền tải) / power projects.",
    "stages": "Các giai đoạn và mã để gõ / stages with the keys to type (e.g. --stage construction).",
    "summary": "Tóm tắt sổ đăng ký: số khu/cụm, MW theo công nghệ, 33 + 27 = 60 dự án / register summary.",
    "obstacle": "Vướng mắc: mở, cập nhật, giải quyết, danh sách theo cơ quan / obstacles as work items.",
    "alerts": "Cảnh báo sớm: quá hạn, vướng mắc quá hạn, lâu chưa xác nhận, thiếu vị trí, thiếu ngày dự kiến.",
    "history": "Lịch sử đầy đủ của một dự án hoặc khu/cụm: mọi thay đổi, văn bản, vướng mắc.",
    "changes": "Những gì thay đổi trong kỳ: giai đoạn, MW mới vận hành, lấp đầy, vướng mắc mở/giải quyết.",
    "progress": "Tiến độ so với mục tiêu 2030: MW, ha, dự kiến theo năm, vướng mắc / progress against the 2030 targets.",
    "map": "Bản đồ giao ban: KCN/CCN/KKT và dự án điện, giai đoạn, tiến độ so với mục tiêu / briefing map.",
    "template": "Tạo mẫu Excel để cập nhật: tiêu đề tiếng Việt, dữ liệu hiện tại, danh sách chọn, sheet hướng dẫn.",
    "import": "Nhập dữ liệu: cập nhật từ Excel/CSV, ranh giới từ tệp GIS / import updates and boundaries.",
    "export": "Xuất sổ theo dõi cho QGIS (gpkg), Google Earth (kml), Excel (xlsx) hoặc công cụ khác (csv, geojson).",
    "report": "Báo cáo định kỳ (quý, 6 tháng, năm): mục tiêu T1–T6, thay đổi trong kỳ, vướng mắc, dự kiến đến 2030, phụ lục.",
    "serve": "Chạy ứng dụng web cho cán bộ (tiếng Việt) / run the web application.",
    "user": "Tài khoản đăng nhập web / web accounts: add, list, role, disable, enable, password.",
    "schema": "Lược đồ JSON của đầu ra --format json / the JSON Schema of a command's output.",
    "tenants": "Dự án thứ cấp trong KCN/CCN/KKT / secondary (tenant) investment projects.",
    "indicators": "Chỉ số dự án thứ cấp trong kỳ: cấp mới, điều chỉnh, chấm dứt (FDI/trong nước, theo quốc gia, ngành),",
}


#: The quick commands (issue 15: within 1.2× / 2× of ``import sqlalchemy``): they read, print and exit, so the
#: entry points (``main``, ``python -m kcn_tracker``) run them without the cyclic garbage collector, whose passes
#: over the objects of a 10,000-record list cost a tenth of the command; every other command gets it back.
QUICK_COMMANDS = frozenset({"summary", "progress", "history", "changes", "alerts", "zones list", "zones show",
                            "energy list", "energy show", "energy summary"})


def _load(target: str) -> Any:
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def __init__(self, *args: Any, lazy: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only commands whose module is present (features land one issue at a time).
        self.lazy = {name: target for name, target in (lazy or {}).items()
                     if importlib.util.find_spec(target.partition(":")[0]) is not None}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy:
            return _load(self.lazy[cmd_name])
        return super().get_command(ctx, cmd_name)

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if command is not None and not isinstance(command, click.Group) and not gc.isenabled():
            if " ".join([*ctx.command_path.split()[1:], command.name or ""]) not in QUICK_COMMANDS:
                gc.enable()  # a long command (import, report, serve...): collect as usual
        return name, command, rest

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list of ``--help``: lazy commands with a ``SHORT_HELP`` line are not imported."""
        from click.utils import make_default_short_help

        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            if name in self.lazy and name in SHORT_HELP:
                rows.append((name, make_default_short_help(SHORT_HELP[name], limit)))
                continue
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


class KcnGroup(LazyGroup):
    """The top-level group: the one place a user error becomes a message and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KcnError as exc:
            _fail(ctx, exc)
        except OSError as exc:  # a file the command reads or writes; databases answer below
            if exc.errno == errno.EPIPE:
                raise  # the reader of a pipe left (`kcn changes ... | head`): click exits quietly
            from kcn_tracker.output import explain_os_error

            _fail(ctx, explain_os_error(exc))
        except Exception as exc:
            from kcn_tracker.db_errors import explain, is_sqlalchemy_error

            if not is_sqlalchemy_error(exc):
                raise  # a bug: let it show, with its traceback, so it gets reported and fixed

            _fail(ctx, explain(exc, _url(ctx)))


def _url(ctx: click.Context) -> Any:
    """The database URL of this invocation (for naming it in a message), if it parses."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(ctx.obj.url) if isinstance(ctx.obj, AppContext) else None
    except Exception:
        return None


def _fail(ctx: click.Context, exc: KcnError) -> None:
    """Print a user error (stored text shown literally) and exit with its code."""
    from kcn_tracker.terminal import printable

    click.echo(f"Lỗi / error: {printable(exc.message, keep_newlines=True)}", err=True)
    ctx.exit(exc.exit_code)


@click.group(cls=KcnGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--db", "db_url", metavar="URL", envvar="KCN_DATABASE_URL",
              help="Cơ sở dữ liệu / database URL (mặc định SQLite trong thư mục người dùng; "
                   "vd. postgresql+psycopg://user@host/db). Cũng đọc từ KCN_DATABASE_URL.")
@click.version_option(package_name="kcn-tracker")
@click.pass_context
def cli(ctx: click.Context, db_url: str | None) -> None:
    """kcn-tracker: theo dõi KCN/CCN và dự án điện tỉnh Khánh Hòa so với mục tiêu 2030.

    \b
    Ví dụ / examples:
      kcn run                         nạp dữ liệu, in tóm tắt, vẽ bản đồ
      kcn energy list --technology solar
      kcn zones show "doc da trang"
      kcn energy update "Phuoc Thai 2" --stage operating --date 15/10/2025 --doc "123/QĐ-UBND"
      kcn progress --as-of 30/06/2026
    """
    ctx.obj = AppContext(db_url=db_url)


def main() -> None:
    """Console-script entry point (the garbage collector off until the command is known: ``QUICK_COMMANDS``)."""
    gc.disable()
    cli(prog_name="kcn")
