"""What arrived in the inbox, and when. Received time comes from `_received.csv` (file, received_at
with offset) when the file is listed there, else from the file's modification time."""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ingest.periods import LOCAL_TZ

RECEIVED_LIST = "_received.csv"
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)


@dataclass(frozen=True)
class InboxFile:
    path: Path
    received_at: dt.datetime  # timezone-aware
    size: int = 0
    modified_ns: int = 0  # the file's modification time (st_mtime_ns)


def _candidates(folder: str) -> Iterator[os.DirEntry]:
    """Files under `folder`, leaving out our own bookkeeping (`_received.csv`, `_reference/`), hidden
    files and folders, and Excel's lock files (`~$…`)."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith(("_", ".")):
                continue
            if entry.is_dir(follow_symlinks=False):
                yield from _candidates(entry.path)
            elif entry.is_file() and not entry.name.startswith("~$"):
                yield entry


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


def read_file(path: Path, limit: int | None = None) -> bytes | None:
    """The whole file, read at once (a report is tens of kB: one system call, no buffer of its own), or None
    when it is larger than `limit` bytes (then it is not read at all). Raises OSError (gone, no permission)."""
    handle = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(handle).st_size
        if limit is not None and size > limit:
            return None
        data = os.read(handle, size + 1)  # a regular file reads short only at its end
        if len(data) <= size:
            return data
        parts = [data]  # it grew since: read on to its end
        while chunk := os.read(handle, 1 << 20):
            parts.append(chunk)
            if limit is not None and sum(map(len, parts)) > limit:
                return None
        return b"".join(parts)
    finally:
        os.close(handle)


def discover(inbox: Path) -> list[InboxFile]:
    """Every candidate file under `inbox` with its received time, oldest first."""
    inbox = Path(inbox)
    listed = read_received_list(inbox)
    prefix = len(str(inbox)) + 1
    found = []
    for entry in _candidates(str(inbox)):
        key = entry.path[prefix:].replace(os.sep, "/")  # its path relative to the inbox
        stat = entry.stat()
        received = listed.get(key) or listed.get(entry.name)
        if received is None:
            received = dt.datetime.fromtimestamp(stat.st_mtime, tz=LOCAL_TZ)
        # Sorted by the instant as whole microseconds: the order of the aware datetimes themselves, without
        # the time-zone arithmetic each comparison of two of them costs (a third of a re-run's listing).
        instant = (received - _EPOCH) // _MICROSECOND
        found.append((instant, entry.name, entry.path, stat.st_size, stat.st_mtime_ns, received))
    found.sort()
    return [InboxFile(Path(path), received, size, modified) for _, _, path, size, modified, received in found]
