"""How the tests and benchmarks start Debian's Chromium: headless, sandbox off (CI runs as root),
and none of the background connections to Google's hosts that a closed network refuses."""
from __future__ import annotations

import os
import shutil

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

HOW_TO_GET_ONE = ("Debian/Ubuntu: `sudo apt-get install chromium`, or set CHROMIUM=/path/to/chromium. "
                  "This project never downloads a browser build (no `playwright install`).")


def executable() -> str | None:
    """``$CHROMIUM`` or /usr/bin/chromium, if it can be run."""
    return shutil.which(os.environ.get("CHROMIUM") or "/usr/bin/chromium")
