"""User accounts, login sessions and the audit log: the library behind ``kcn user`` and the web app.

Passwords are argon2id hashes (argon2-cffi). A session is a random token in the
browser's cookie; the database keeps only its SHA-256, so a copied database does
not log anyone in. Failed logins are audit entries, and throttling counts them,
so the limit holds across several server workers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from kcn_tracker import clock
from kcn_tracker.errors import InvalidValue, KcnError, Problem, UnknownRecord, ValidationFailed
from kcn_tracker.models_accounts import ROLES, AuditEntry, User, WebSession
from kcn_tracker.text import nfc

ROLE_LABELS = {"viewer": "Xem", "editor": "Cập nhật", "admin": "Quản trị"}
MIN_PASSWORD = 10
#: Sessions end after this long without a request, and after this long in any case.
IDLE_TIMEOUT = dt.timedelta(hours=8)
ABSOLUTE_TIMEOUT = dt.timedelta(hours=24)
#: Failed logins allowed in the window, per user name and per address.
THROTTLE_WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_USER = 5
MAX_FAILURES_PER_ADDRESS = 20


class LoginRefused(KcnError):
    """Wrong user name or password, disabled account (one message for all: no user enumeration)."""

    exit_code = 2


class LoginThrottled(KcnError):
    """Too many failed logins for this user name or from this address."""

    exit_code = 2


def _hasher():  # argon2 is imported only by the commands that need it
    from argon2 import PasswordHasher

    return PasswordHasher()


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher().hash(password)


def password_problems(password: str, confirm: str | None = None, *, username: str = "") -> list[Problem]:
    """Why a new password is not acceptable (length, equal to the user name, mismatch)."""
    problems = []
    if len(password) < MIN_PASSWORD:
        problems.append(Problem(f"mật khẩu cần ít nhất {MIN_PASSWORD} ký tự / password needs at least {MIN_PASSWORD} characters",
                                field="password"))
    elif username and password.lower() == username.lower():
        problems.append(Problem("mật khẩu không được trùng tên đăng nhập / password must differ from the user name", field="password"))
    if confirm is not None and confirm != password:
        problems.append(Problem("hai lần nhập mật khẩu không giống nhau / the two passwords differ", field="confirm"))
    return problems


def _username(text: str) -> str:
    name = nfc(text or "").lower()
    if not (2 <= len(name) <= 60) or not all(c.isalnum() or c in "._-" for c in name):
        raise ValidationFailed([Problem("tên đăng nhập: 2–60 ký tự chữ, số, . _ - / user name: 2-60 letters, digits, . _ -",
                                        field="username")])
    return name


def _role(role: str) -> str:
    if role not in ROLES:
        raise ValidationFailed([Problem(f"vai trò “{role}” không hợp lệ; chọn / choose: {', '.join(ROLES)}", field="role")])
    return role


def audit(session: Session, action: str, *, username: str | None, address: str | None = None, target: str | None = None,
          detail: str | None = None, success: bool = True) -> None:
    """Append one audit entry (in the caller's transaction)."""
    session.add(AuditEntry(at=clock.now(), username=(username or None) and username[:60], address=address and address[:64],
                           action=action, target=target and target[:200], detail=detail, success=success))


def create_user(session: Session, username: str, password: str, role: str, *, full_name: str | None = None,
                by: str | None = None, address: str | None = None, confirm: str | None = None) -> User:
    """Add an account; every problem (name taken, short password, bad role) at once."""
    problems: list[Problem] = []
    try:
        name = _username(username)
    except ValidationFailed as exc:
        problems.extend(exc.problems)
        name = username
    if role not in ROLES:
        problems.append(Problem(f"vai trò “{role}” không hợp lệ; chọn / choose: {', '.join(ROLES)}", field="role"))
    problems.extend(password_problems(password, confirm, username=name))
    if not problems and session.scalar(select(User.id).where(User.username == name)) is not None:
        problems.append(Problem(f"tên đăng nhập “{name}” đã có / user name already exists", field="username"))
    if problems:
        raise ValidationFailed(problems)
    user = User(username=name, full_name=nfc(full_name) if full_name else None, role=role,
                password_hash=hash_password(password), active=True, created_at=clock.now(), created_by=by)
    session.add(user)
    audit(session, "user_created", username=by, address=address, target=name, detail=f"role={role}")
    session.flush()
    return user


def get_user(session: Session, username: str) -> User:
    """The account with this user name."""
    user = session.scalar(select(User).where(User.username == nfc(username).lower()))
    if user is None:
        raise UnknownRecord(f"Không có tài khoản “{username}” / no such user")
    return user


def set_role(session: Session, username: str, role: str, *, by: str | None = None, address: str | None = None) -> User:
    """Change a user's role."""
    user = get_user(session, username)
    user.role = _role(role)
    audit(session, "user_role", username=by, address=address, target=user.username, detail=f"role={role}")
    return user


def set_active(session: Session, username: str, active: bool, *, by: str | None = None, address: str | None = None) -> User:
    """Disable (ending every session of the user at once) or re-enable an account."""
    user = get_user(session, username)
    if not active and by and by == user.username:
        raise InvalidValue("Không thể tự khóa tài khoản của mình / you cannot disable your own account")
    user.active = active
    if not active:
        session.execute(delete(WebSession).where(WebSession.user_id == user.id))
    audit(session, "user_enabled" if active else "user_disabled", username=by, address=address, target=user.username)
    return user


def set_password(session: Session, username: str, password: str, *, confirm: str | None = None, by: str | None = None,
                 address: str | None = None) -> User:
    """Set a new password and end the user's sessions."""
    user = get_user(session, username)
    problems = password_problems(password, confirm, username=user.username)
    if problems:
        raise ValidationFailed(problems)
    user.password_hash = hash_password(password)
    session.execute(delete(WebSession).where(WebSession.user_id == user.id))
    audit(session, "user_password", username=by, address=address, target=user.username)
    return user


def list_users(session: Session) -> list[User]:
    """Every account, by user name."""
    return list(session.scalars(select(User).order_by(User.username)))


def _recent_failures(session: Session, column, value: str, now: dt.datetime) -> int:
    return session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.action == "login", AuditEntry.success.is_(False), column == value,
        AuditEntry.at > now - THROTTLE_WINDOW)) or 0


def _password_matches(stored_hash: str | None, password: str) -> bool:
    """argon2 verification (the same work when there is no such user: no timing hint)."""
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    hasher = _hasher()
    if stored_hash is None:
        hasher.hash(password)
        return False
    try:
        return hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def authenticate(engine, username: str, password: str, *, address: str | None, replaces: str | None = None) -> NewSession:
    """Log in: throttle check, password check, audit entry and a new session (ending ``replaces``).

    The slow argon2 check runs between two short transactions, never while holding
    SQLite's write lock, so many people logging in at 8 o'clock do not queue behind it.
    Raises LoginThrottled or LoginRefused after the failed attempt is recorded.
    """
    from kcn_tracker.db import session_scope

    now = clock.now()
    name = nfc(username or "").lower()[:60]
    with session_scope(engine) as session:
        throttled = (_recent_failures(session, AuditEntry.username, name, now) >= MAX_FAILURES_PER_USER
                     or bool(address and _recent_failures(session, AuditEntry.address, address, now) >= MAX_FAILURES_PER_ADDRESS))
        found = session.execute(select(User.id, User.password_hash, User.active).where(User.username == name)).first()
    ok = not throttled and _password_matches(found.password_hash if found else None, password)
    with session_scope(engine, write=True) as session:
        if throttled:
            audit(session, "login_throttled", username=name, address=address, success=False)
        elif not ok or not found.active:
            audit(session, "login", username=name, address=address, success=False,
                  detail="disabled" if ok else "bad credentials")
        else:
            user = session.get(User, found.id)
            if _hasher().check_needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
            audit(session, "login", username=name, address=address)
            close_session(session, replaces)
            return open_session(session, user, address=address)
    if throttled:
        raise LoginThrottled("Đăng nhập sai quá nhiều lần; hãy thử lại sau 15 phút / too many failed logins, try again in 15 minutes")
    raise LoginRefused("Sai tên đăng nhập hoặc mật khẩu / wrong user name or password")


@dataclass(frozen=True)
class NewSession:
    """A session just opened: the cookie value (never stored) and its CSRF token."""

    token: str
    csrf_token: str


def token_hash(token: str) -> str:
    """What the database stores for a session token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(session: Session, user: User, *, address: str | None) -> NewSession:
    """A fresh session for ``user`` (a new token at every login)."""
    now = clock.now()
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    session.add(WebSession(token_hash=token_hash(token), user_id=user.id, csrf_token=csrf, created_at=now,
                           last_seen=now, address=address and address[:64]))
    session.execute(delete(WebSession).where(WebSession.created_at < now - ABSOLUTE_TIMEOUT))
    return NewSession(token, csrf)


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def session_user(session: Session, token: str | None, *, touch: bool = True) -> tuple[User, WebSession] | None:
    """The active user of a session token, or None (unknown, ended, expired, or user disabled)."""
    if not token or len(token) > 200:
        return None
    row = session.get(WebSession, token_hash(token))
    if row is None:
        return None
    now = clock.now()
    if _aware(row.last_seen) < now - IDLE_TIMEOUT or _aware(row.created_at) < now - ABSOLUTE_TIMEOUT or not row.user.active:
        session.delete(row)
        return None
    if touch and now - _aware(row.last_seen) > dt.timedelta(minutes=1):
        row.last_seen = now
    return row.user, row


def close_session(session: Session, token: str | None, *, address: str | None = None) -> None:
    """End a session (logout): its cookie no longer works anywhere."""
    if not token:
        return
    row = session.get(WebSession, token_hash(token))
    if row is not None:
        audit(session, "logout", username=row.user.username, address=address)
        session.delete(row)


def audit_entries(session: Session, *, username: str | None = None, action: str | None = None,
                  failures_only: bool = False, limit: int = 500) -> list[AuditEntry]:
    """The newest audit entries, optionally for one user / action / only failures."""
    stmt = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    if username:
        stmt = stmt.where(AuditEntry.username == nfc(username).lower())
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    if failures_only:
        stmt = stmt.where(AuditEntry.success.is_(False))
    return list(session.scalars(stmt))
