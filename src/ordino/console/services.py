"""Operator use cases behind the `ordino` command line: the admin user, the demo token, serving."""

from __future__ import annotations

import secrets
import sys
from dataclasses import dataclass

from axes.utils import reset as login_failures_forget
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError

from ordino.accounts.models import ApiToken
from ordino.accounts.services import MintedToken, token_create
from ordino.audit.services import audit_record, snapshot
from ordino.core.domain.errors import DomainError
from ordino.core.transactions import use_case_atomic

DEMO_TOKEN_NAME = "demo"


@dataclass(frozen=True)
class AdminOutcome:
    user: AbstractBaseUser
    created: bool
    password: str | None  # the new password, to print once; None when nothing was changed


def password_generate() -> str:
    return secrets.token_urlsafe(15)  # 20 characters, ~120 bits


def admin_user_ensure(
    *, username: str = "admin", email: str = "", password: str | None = None, reset: bool = False
) -> AdminOutcome:
    """Create the superuser `username` if missing; `reset` gives an existing one a new password.

    Only the password hash is stored. The password (generated unless given) is returned so the
    caller can print it once. A given password must pass AUTH_PASSWORD_VALIDATORS, as in the
    console. A reset also lifts a login lockout of that user.
    """
    if not username.strip():
        raise DomainError("invalid_username", "The admin needs a username.", field="username")
    user_model = get_user_model()
    if password is not None:
        password_check(password, user_model(username=username, email=email))
    with use_case_atomic():
        user = user_model.objects.filter(username=username).first()
        if user is None:
            new_password = password or password_generate()
            user = user_model.objects.create_superuser(
                username=username, email=email, password=new_password
            )
            audit_record(object_type="user", object_id=user.pk, label=username, action="created",
                         after=snapshot(user, ("last_login",)))  # fmt: skip
            return AdminOutcome(user=user, created=True, password=new_password)
        if not reset:
            return AdminOutcome(user=user, created=False, password=None)
        new_password = password or password_generate()
        before = snapshot(user, ("last_login",))
        user.set_password(new_password)
        user.is_active = user.is_staff = user.is_superuser = True
        if email:
            user.email = email
        user.save()
        audit_record(object_type="user", object_id=user.pk, label=username,
                     action="password_reset", before=before,
                     after=snapshot(user, ("last_login",)))  # fmt: skip
        login_failures_forget(username=username)
        return AdminOutcome(user=user, created=False, password=new_password)


def password_check(password: str, user: AbstractBaseUser) -> None:
    """The console's password rules (AUTH_PASSWORD_VALIDATORS), as a DomainError."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise DomainError("weak_password", " ".join(exc.messages), field="password") from None


def demo_token_ensure() -> MintedToken | None:
    """Mint the all-scopes demo token once; None when one was minted before (even if revoked)."""
    if ApiToken.objects.filter(name=DEMO_TOKEN_NAME).exists():
        return None
    return token_create(name=DEMO_TOKEN_NAME, scopes="*")


DEFAULT_THREADS = 8
WORKER_CLASS = "ordino.console.gunicorn_worker.BoundedReadThreadWorker"


def gunicorn_argv(
    *,
    bind: str,
    workers: int,
    timeout: int = 60,
    threads: int = DEFAULT_THREADS,
    python: str | None = None,
) -> list[str]:
    """The command line that serves Ordino with gunicorn from this very interpreter.

    Threaded workers whose reads from clients are bounded (console/gunicorn_worker.py): idle
    and slow clients cannot stall the server, as one idle connection stalls a sync worker.
    Access and error logs go to stdout/stderr.
    """
    argv = [
        python or sys.executable,
        "-m",
        "gunicorn",
        "ordino.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--timeout",
        str(timeout),
        "--graceful-timeout",
        "20",
        "--access-logfile",
        "-",
        "--error-logfile",
        "-",
        # Several servers may run on one machine: none may claim the shared control socket.
        "--no-control-socket",
        # Load Django once in the master and fork the workers from it: a (re)started worker
        # answers at once. Nothing opens a database connection at import time.
        "--preload",
    ]
    argv += ["--worker-class", WORKER_CLASS, "--threads", str(threads)]
    return argv


def bind_parse(bind: str) -> tuple[str, int]:
    """'HOST:PORT' → (host, port); a bare port means 127.0.0.1."""
    host, sep, port = bind.rpartition(":")
    if not sep:
        host, port = "127.0.0.1", bind
    host = host.strip("[]") or "127.0.0.1"
    try:
        number = int(port)
    except ValueError:
        raise DomainError("invalid_bind", f"{bind!r} is not HOST:PORT.", field="bind") from None
    if not 0 < number < 65536:
        raise DomainError("invalid_bind", f"Port {number} is out of range.", field="bind")
    return host, number


def public_urls(bind: str) -> dict[str, str]:
    host, port = bind_parse(bind)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    if ":" in shown:
        shown = f"[{shown}]"
    base = f"http://{shown}:{port}"
    return {
        "console": f"{base}/admin/",
        "api_docs": f"{base}/api/v1/docs",
        "openapi": f"{base}/api/v1/openapi.json",
    }
