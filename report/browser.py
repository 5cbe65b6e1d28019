"""Headless Chromium, to check what a person sees of the HTML report (tests) and to take its screenshot (docs).

Runs Debian's `chromium` with networking cut off (every host name resolves to nothing), so a page that
renders fully here needs nothing from the internet.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # no network: nothing may be fetched
)


def find_chromium() -> str | None:
    """Path of a Chromium executable on PATH, or None."""
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def _run(args: list[str], timeout: float) -> subprocess.CompletedProcess:
    executable = find_chromium()
    if executable is None:
        raise FileNotFoundError("chromium is not installed (apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="bdg-chromium-") as profile:
        return subprocess.run(
            [executable, *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )


def dump_dom(page: Path, timeout: float = 120) -> str:
    """The page's DOM after load, as Chromium rendered it (scripts run)."""
    return _run(["--virtual-time-budget=5000", "--dump-dom", Path(page).resolve().as_uri()], timeout).stdout


def screenshot(page: Path, png: Path, width: int = 1280, height: int = 2400, timeout: float = 120) -> Path:
    """A PNG screenshot of the top `width` × `height` pixels of the page."""
    png = Path(png).resolve()
    png.parent.mkdir(parents=True, exist_ok=True)
    _run([f"--screenshot={png}", f"--window-size={width},{height}", Path(page).resolve().as_uri()], timeout)
    return png
