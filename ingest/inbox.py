"""What arrived in the inbox, and when. Received time comes from `_received.csv` (file, received_at
with offset) when the file is listed there, else from the file's modification time."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
RECEIVED_LIST = "_received.csv"


@dataclass(frozen=True)
class InboxFile:
    path: Path
    received_at: dt.datetime  # timezone-aware


def _is_candidate(path: Path, inbox: Path) -> bool:
    relative = path.relative_to(inbox).parts
    if any(part.startswith(("_", ".")) for part in relative):
        return False  # our own bookkeeping (_received.csv, _reference/) and hidden files
    return path.is_file() and not path.name.startswith("~$")  # Excel lock files


def read_received_list(inbox: Path) -> dict[str, dt.datetime]:
    listing = inbox / RECEIVED_LIST
    if not listing.exists():
        return {}
    received: dict[str, dt.datetime] = {}
    with listing.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            name, stamp = (row.get("file") or "").strip(), (row.get("received_at") or "").strip()
            if not name or not stamp:
                continue
            moment = dt.datetime.fromisoformat(stamp)
            received[name] = moment if moment.tzinfo else moment.replace(tzinfo=LOCAL_TZ)
    return received


def discover(inbox: Path) -> list[InboxFile]:
    """Every candidate file under `inbox` with its received time, oldest first."""
    inbox = Path(inbox)
    listed = read_received_list(inbox)
    files = []
    for path in sorted(inbox.rglob("*")):
        if not _is_candidate(path, inbox):
            continue
        key = path.relative_to(inbox).as_posix()
        received = listed.get(key) or listed.get(path.name)
        if received is None:
            received = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=LOCAL_TZ)
        files.append(InboxFile(path=path, received_at=received))
    files.sort(key=lambda item: (item.received_at, item.path.name))
    return files
