"""Where the browser tests find a Chromium: ORDINO_CHROMIUM, else Debian's `chromium` on the PATH
(`apt-get install -y chromium`; Playwright's own browser download may be unreachable)."""

from __future__ import annotations

import os
import shutil


def chromium_path() -> str | None:
    given = os.environ.get("ORDINO_CHROMIUM")
    if given:
        return given if os.path.exists(given) else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


SKIP_REASON = (
    "no Chromium found: the browser tests did NOT run. Install Debian's (apt-get install -y "
    "chromium) or set ORDINO_CHROMIUM to a Chromium binary."
)
