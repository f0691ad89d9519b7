"""How to start Debian's headless Chromium on this project's machines (browser tests).

Playwright drives the binary from Debian's `chromium` package (`make system`); nothing is
downloaded (`playwright install` is never needed). HH_CHROMIUM names another binary.
"""

from __future__ import annotations

import os

CHROMIUM = os.environ.get("HH_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium calls home, which a closed network refuses.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
