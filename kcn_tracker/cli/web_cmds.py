"""``kcn serve`` (the web application) and ``kcn user`` (accounts)."""

from __future__ import annotations

import click

from kcn_tracker.cli.context import AppContext

pass_app = click.make_pass_decorator(AppContext)
ROLE_CHOICE = click.Choice(["admin", "editor", "viewer"])


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Địa chỉ lắng nghe; 0.0.0.0 để mở cho mạng nội bộ / address to bind (0.0.0.0: the office LAN).")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(1, 65535), help="Cổng / port.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 32),
              help="Số tiến trình (chỉ với PostgreSQL; SQLite dùng 1) / worker processes (PostgreSQL only).")
@click.option("--files-dir", metavar="DIR", envvar="KCN_FILES_DIR",
              help="Thư mục lưu bản scan PDF (mặc định: thư mục dữ liệu người dùng/files).")
@click.option("--proxy-headers", is_flag=True,
              help="Tin X-Forwarded-For/Proto của reverse proxy (nginx) trên cùng máy / trust a local reverse proxy.")
@pass_app
def serve_cmd(app: AppContext, host: str, port: int, workers: int, files_dir: str | None, proxy_headers: bool) -> None:
    """Chạy ứng dụng web cho cán bộ (tiếng Việt) / run the web application.

    \b
    Ví dụ / examples:
      kcn user add lan --role admin        tạo tài khoản trước (không có tài khoản mặc định)
      kcn serve                            http://127.0.0.1:8765 (SQLite)
      kcn --db postgresql+psycopg://kcn@localhost/kcn serve --host 0.0.0.0 --workers 4
    """
    import os

    import uvicorn

    from kcn_tracker.errors import InvalidValue

    url = app.url
    if workers > 1 and url.startswith("sqlite"):
        raise InvalidValue("--workers > 1 cần PostgreSQL (SQLite chỉ có một người ghi) / several workers need PostgreSQL")
    app.engine()  # migrate (and load the bundled data into a new database) once, before the workers start
    os.environ["KCN_WEB_DATABASE_URL"] = url
    if files_dir:
        os.environ["KCN_FILES_DIR"] = files_dir
    click.echo(f"kcn-tracker web: http://{host}:{port}/  (Ctrl+C để dừng)")
    if host not in ("127.0.0.1", "localhost", "::1") and not proxy_headers:
        click.echo("Lưu ý: mật khẩu đi qua mạng không mã hóa; trên mạng văn phòng hãy đặt nginx/Caddy (HTTPS) phía trước "
                   "và chạy với --proxy-headers / note: plain HTTP on the network; put an HTTPS reverse proxy in front.",
                   err=True)
    uvicorn.run("kcn_tracker.web.asgi:app", host=host, port=port, workers=workers, proxy_headers=proxy_headers,
                forwarded_allow_ips="127.0.0.1" if proxy_headers else None, log_level="info", server_header=False)


@click.group("user")
def user_group() -> None:
    """Tài khoản đăng nhập web / web accounts: add, list, role, disable, enable, password."""


@user_group.command("add")
@click.argument("username")
@click.option("--role", type=ROLE_CHOICE, required=True, help="admin: quản trị; editor: cập nhật; viewer: chỉ xem.")
@click.option("--full-name", metavar="TEXT", help="Họ tên hiển thị.")
@click.password_option("--password", prompt="Mật khẩu / password", confirmation_prompt="Nhập lại / repeat",
                       help="Không nên ghi trên dòng lệnh; để trống để được hỏi.")
@pass_app
def user_add_cmd(app: AppContext, username: str, role: str, full_name: str | None, password: str) -> None:
    """Tạo tài khoản (hỏi mật khẩu hai lần) / add an account (asks the password twice).

    \b
    Ví dụ:  kcn user add lan --role admin --full-name "Nguyễn Thị Lan"
    """
    from kcn_tracker.accounts import create_user
    from kcn_tracker.history import current_user

    with app.session(write=True) as session:
        user = create_user(session, username, password, role, full_name=full_name, by=f"cli:{current_user()}")
        name = user.username
    click.echo(f"Đã tạo tài khoản “{name}” ({role}).")


@user_group.command("list")
@pass_app
def user_list_cmd(app: AppContext) -> None:
    """Liệt kê tài khoản / list accounts."""
    from kcn_tracker.accounts import ROLE_LABELS, list_users

    with app.session() as session:
        for user in list_users(session):
            state = "" if user.active else "  (đã khóa / disabled)"
            click.echo(f"{user.username:20} {ROLE_LABELS[user.role]:10} {user.full_name or ''}{state}")


@user_group.command("role")
@click.argument("username")
@click.argument("role", type=ROLE_CHOICE)
@pass_app
def user_role_cmd(app: AppContext, username: str, role: str) -> None:
    """Đổi vai trò / change a user's role."""
    from kcn_tracker.accounts import set_role
    from kcn_tracker.history import current_user

    with app.session(write=True) as session:
        set_role(session, username, role, by=f"cli:{current_user()}")
    click.echo(f"Đã đổi vai trò của “{username}” thành {role}.")


def _set_active_command(name: str, active: bool, help_text: str, done: str) -> click.Command:
    @click.argument("username")
    @pass_app
    def command(app: AppContext, username: str) -> None:
        from kcn_tracker.accounts import set_active
        from kcn_tracker.history import current_user

        with app.session(write=True) as session:
            set_active(session, username, active, by=f"cli:{current_user()}")
        click.echo(done.format(username))

    return user_group.command(name, help=help_text)(command)


user_disable_cmd = _set_active_command("disable", False, "Khóa tài khoản (kết thúc mọi phiên đăng nhập) / disable an account, ending its sessions.",
                                       "Đã khóa “{}”.")
user_enable_cmd = _set_active_command("enable", True, "Mở khóa tài khoản / re-enable an account.", "Đã mở khóa “{}”.")


@user_group.command("password")
@click.argument("username")
@click.password_option("--password", prompt="Mật khẩu mới / new password", confirmation_prompt="Nhập lại / repeat")
@pass_app
def user_password_cmd(app: AppContext, username: str, password: str) -> None:
    """Đặt mật khẩu mới (kết thúc các phiên đăng nhập) / set a new password."""
    from kcn_tracker.accounts import set_password
    from kcn_tracker.history import current_user

    with app.session(write=True) as session:
        set_password(session, username, password, by=f"cli:{current_user()}")
    click.echo(f"Đã đặt mật khẩu mới cho “{username}”.")
