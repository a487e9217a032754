"""The `ordino` command: Django's management commands under one name.

ordino up | serve | migrate | demo | createadmin | token create | inventory check | ...
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ordino.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ordino", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
