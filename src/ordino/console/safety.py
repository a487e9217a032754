"""Production safety: no server runs on the public development key, and the demo keeps its own.

`ordino serve` and `ordino.wsgi` (whatever WSGI server loads it) call `secret_key_require`;
`ordino up` calls `secret_key_file_ensure` first, so the one-command demo needs no setting.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MISSING_KEY = (
    "ORDINO_SECRET_KEY is not set: Ordino will not serve with the public development key "
    "(anyone could forge sessions and signed cookies). Set ORDINO_SECRET_KEY to a long random "
    "value, the same on every machine, e.g. "
    "\"$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')\"; "
    "or run `ordino up` (the demo keeps a generated key in ORDINO_DATA_DIR); "
    "or set ORDINO_DEBUG=1 on a development machine."
)


def secret_key_problem() -> str | None:
    """Why this process may not serve, or None."""
    if settings.DEBUG or settings.SECRET_KEY != settings.INSECURE_DEVELOPMENT_KEY:
        return None
    return MISSING_KEY


def secret_key_require() -> None:
    problem = secret_key_problem()
    if problem is not None:
        raise ImproperlyConfigured(problem)


def secret_key_file_ensure(path: Path | None = None) -> bool:
    """Generate the demo's key file (readable by its owner only) unless ORDINO_SECRET_KEY is set
    or the file exists. True when it was created now."""
    if os.environ.get("ORDINO_SECRET_KEY", "").strip():
        return False
    path = path or settings.SECRET_KEY_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w") as file:
        file.write(secrets.token_urlsafe(50) + "\n")
    return True
