"""Which inbox files are new: the one rule both ingest drivers (`ingest.run`, `ingest.staging`) follow.

A file is identified by its bytes (SHA-256). Hashing every file every night would read the whole inbox,
so `raw.inbox_files` caches each file's hash by (absolute path, size, modification time): a file whose
size and time are unchanged is not read at all. A file whose name and bytes are recorded already is
left out; the same bytes under another name (recorded before, or earlier in this inbox, which is in
received order) arrive as a duplicate, recorded but not parsed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.inbox import InboxFile, read_file
from ingest.load import known_files, known_hashes, remember_hashes
from ingest.personal_data import stored_name

if TYPE_CHECKING:
    import duckdb

EMPTY_SHA = hashlib.sha256(b"").hexdigest()  # also what an unreadable file is reported under


@dataclass(frozen=True)
class Arrival:
    """An inbox file to record: where it is, when it came, its bytes' hash, and whether those bytes are
    recorded already under another name (then it is recorded as a duplicate, not parsed)."""

    path: Path
    received_at: dt.datetime
    sha: str
    duplicate: bool = False

    def as_json(self) -> dict:
        """A JSON-serialisable form (a scheduler passes planned batches between tasks)."""
        return {
            "path": str(self.path),
            "received_at": self.received_at.isoformat(),
            "sha": self.sha,
            "duplicate": self.duplicate,
        }

    @classmethod
    def from_json(cls, entry: dict) -> Arrival:
        """The inverse of `as_json`."""
        return cls(Path(entry["path"]), dt.datetime.fromisoformat(entry["received_at"]), entry["sha"],
                   bool(entry["duplicate"]))  # fmt: skip


_READ_WHOLE = 32 * 1024 * 1024  # a report is tens of kB: read at once; a bigger file is hashed as a stream


def hash_file(path: Path) -> str | None:
    """SHA-256 of the file's bytes, or None when it cannot be read (gone, no permission)."""
    try:
        data = read_file(path, _READ_WHOLE)
        if data is not None:
            return hashlib.sha256(data).hexdigest()
        with open(path, "rb") as handle:  # a huge file: streamed
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


class Triage:
    """Judges inbox files against what the warehouse has recorded. Built from an open warehouse
    connection; `arrivals` yields the files to record, `remember` stores the hashes it computed."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self._recorded, self._seen = known_files(con)  # (sha, name) pairs; hashes
        self._cached = known_hashes(con)
        self.hashed: list[tuple[str, int, int, str]] = []  # (absolute path, size, mtime ns, sha) computed now
        self.skipped_known = 0

    def arrivals(self, incoming: Iterable[InboxFile]) -> Iterator[Arrival]:
        """The files of `incoming` (in received order) that are not recorded yet, each as soon as it is
        judged, so a caller can start parsing it while the next is hashed."""
        for item in incoming:
            sha, name = self._sha(item), item.path.name
            # recorded under its own name (the usual known file), else perhaps under its redacted name
            if (sha, name) in self._recorded or sha in self._seen and (sha, stored_name(name, sha)) in self._recorded:
                self.skipped_known += 1
                continue
            # An empty or unreadable file is no one's copy: it is received (and rejected) on its own.
            duplicate = sha in self._seen and sha != EMPTY_SHA
            self._seen.add(sha)
            yield Arrival(item.path, item.received_at, sha, duplicate)

    def _sha(self, item: InboxFile) -> str:
        where = os.path.abspath(item.path)
        size, modified, sha = self._cached.get(where, (None, None, None))
        if (size, modified) == (item.size, item.modified_ns):
            return sha
        sha = hash_file(item.path)
        if sha is None:
            return EMPTY_SHA  # not cached: it is read again next time
        if stored_name(item.path.name, sha) == item.path.name:  # a name with personal data is not stored
            self.hashed.append((where, item.size, item.modified_ns, sha))
        return sha

    def remember(self, con: duckdb.DuckDBPyConnection) -> None:
        """Record the hashes computed so far in `raw.inbox_files`, so a re-run does not read those files."""
        remember_hashes(con, self.hashed)
        self.hashed = []
