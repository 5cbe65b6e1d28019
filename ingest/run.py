"""The in-process ingest driver (the CLI's `bdg ingest`): triage → receive files in parallel processes
→ one writer commits.

Which files are new is `ingest.triage`'s rule (a file whose size and modification time are as when it
was last hashed is not even read); each new file goes to the parser processes as soon as it is judged,
where `ingest.receive.receive_file` parses, validates and writes its feedback; the reference data
loads meanwhile, and the single writer commits finished files in batches, each file wholly inside one
transaction. The scheduler's driver (`ingest.staging`) follows the same two functions.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ingest.inbox import discover
from ingest.load import Receipt, connect, final_statuses, load_batch
from ingest.receive import receive_file, registry_of
from ingest.reference import load_reference
from ingest.triage import Arrival, Triage
from ingest.warehouse import closing_meanwhile

PARALLEL_THRESHOLD = 16  # below this, starting processes costs more than it saves
BATCH_FILES = 1024  # files per commit (each file lies wholly inside one transaction): a commit costs
# ~50 ms whatever its size, so 256-file batches spent a third of a national load committing. Once fewer
# files than that are still to come, a quarter of it: the batch committed after the workers finish (the
# user waits for it alone) is then at most a quarter, whatever the number of files.
CHUNK_FILES = 16  # files per task sent to a parser process


@dataclass
class FileOutcome:
    file_name: str
    file_sha256: str
    status: str
    unit_code: str | None
    errors: list[dict] = field(default_factory=list)
    feedback: str | None = None


@dataclass
class IngestSummary:
    files_seen: int = 0
    skipped_known: int = 0
    outcomes: list[FileOutcome] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return dict(Counter(outcome.status for outcome in self.outcomes))

    def as_dict(self) -> dict:
        return {
            "files_seen": self.files_seen,
            "skipped_known": self.skipped_known,
            "counts": self.counts,
            "files": [outcome.__dict__ for outcome in self.outcomes],
        }


def _receive_chunk(arrivals: list[Arrival], reference_dir: Path, feedback_dir: Path | None) -> list[Receipt]:
    registry = registry_of(reference_dir)
    return [receive_file(arrival, registry, feedback_dir) for arrival in arrivals]


class Receiver:
    """Receives arrivals in worker processes (a pool started by the first full chunk) or, for a small
    inbox, in this process; `result(ticket)` waits for one file's receipt. Use as a context."""

    def __init__(self, files: int, reference_dir: Path, feedback_dir: Path | None, workers: int | None = None):
        workers = workers or os.cpu_count() or 1
        self._parallel = files >= PARALLEL_THRESHOLD and workers > 1
        self._workers, self._pool, self._desk = workers, None, (reference_dir, feedback_dir)
        self._chunk: list[Arrival] = []
        self._futures: list = []  # one per chunk sent
        self._serial: list[Arrival] = []

    def __enter__(self) -> Receiver:
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=exc[0] is not None)

    def submit(self, arrival: Arrival) -> tuple[int, int]:
        """Queue an arrival; returns a ticket for `result`."""
        if not self._parallel or arrival.duplicate:  # a duplicate is not read: no process needed
            self._serial.append(arrival)
            return (-1, len(self._serial) - 1)
        self._chunk.append(arrival)
        ticket = (len(self._futures), len(self._chunk) - 1)
        if len(self._chunk) == CHUNK_FILES:
            self.flush()
        return ticket

    def flush(self) -> None:
        """Send the last, partial chunk."""
        if not self._chunk:
            return
        starting = self._pool is None
        if starting:
            # Read the registry before the workers start: forked workers inherit it (and the loader's
            # reference load reuses the same reading) instead of each reading the reference files again.
            # Reference files that cannot be read fail where they are needed, as they did before.
            with contextlib.suppress(Exception):
                registry_of(self._desk[0])
            # forked while this process's cycle collector rests (`_collector_resting`): theirs works
            self._pool = ProcessPoolExecutor(self._workers, initializer=gc.enable)
            # The workers are forked by the first submit. What this process holds then (every module it
            # imported) is moved out of the workers' cycle collection (gc.freeze): their collector walks only
            # what they make, and never writes to the pages they share with this process.
            gc.freeze()
        try:
            self._futures.append(self._pool.submit(_receive_chunk, self._chunk, *self._desk))
        finally:
            if starting:
                gc.unfreeze()
        self._chunk = []

    def result(self, ticket: tuple[int, int]) -> Receipt:
        """The file's receipt (waits for its parser process)."""
        chunk, position = ticket
        if chunk < 0:
            reference_dir, feedback_dir = self._desk
            return receive_file(self._serial[position], registry_of(reference_dir), feedback_dir)
        return self._futures[chunk].result()[position]


def ingest_inbox(
    warehouse: Path,
    inbox: Path,
    reference_dir: Path,
    *,
    feedback_dir: Path | None = None,
    workers: int | None = None,
    on_file: Callable[[FileOutcome], None] | None = None,
    on_start: Callable[[int], None] | None = None,
    on_done: Callable[[IngestSummary], None] | None = None,
    batch_files: int = BATCH_FILES,
) -> IngestSummary:
    """Load every new file of `inbox` into the warehouse's raw schema; returns what happened per file.

    Rejected files are recorded with their errors (raw.ingest_errors) and, when `feedback_dir` is given,
    get a feedback workbook there; they are never raised. `on_file` is called after each file is
    committed; `on_start` once with the number of inbox files found (a progress bar's total); `on_done` with
    the summary once every file is committed, while the warehouse writes its file (to print it meanwhile).
    Raises only when the system fails (reference data unreadable, database error).
    """
    with _collector_resting():
        return _ingest(warehouse, inbox, reference_dir, feedback_dir, workers, on_file, on_start, on_done, batch_files)


@contextlib.contextmanager
def _collector_resting() -> Iterator[None]:
    """This process keeps every receipt until its batch commits, and Python's cycle collector would walk
    them all again and again (a sixth of its CPU in `make bench`). A run makes no garbage cycles to speak
    of: the collector rests until it ends (the parser processes, forked meanwhile, collect as usual)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _ingest(
    warehouse, inbox, reference_dir, feedback_dir, workers, on_file, on_start, on_done, batch_files
) -> IngestSummary:
    con = connect(warehouse)
    try:
        incoming = discover(inbox)
        summary = IngestSummary(files_seen=len(incoming))
        if on_start is not None:
            on_start(len(incoming))
        triage = Triage(con)
        batch: list[Receipt] = []

        def flush() -> None:
            statuses = load_batch(con, batch)
            for receipt in batch:
                outcome = _outcome(receipt, statuses[receipt.key])
                summary.outcomes.append(outcome)
                if on_file is not None:
                    on_file(outcome)
            batch.clear()

        with Receiver(len(incoming), reference_dir, feedback_dir, workers) as receiver:
            tickets = [receiver.submit(arrival) for arrival in triage.arrivals(incoming)]
            receiver.flush()
            summary.skipped_known = triage.skipped_known
            triage.remember(con)
            load_reference(con, reference_dir)  # while the workers parse
            for position, ticket in enumerate(tickets, start=1):
                batch.append(receiver.result(ticket))
                if len(batch) >= (batch_files if len(tickets) - position >= batch_files else batch_files // 4):
                    flush()  # smaller batches near the end: what is left after the last file stays small
            flush()
        final = final_statuses(con, [(outcome.file_name, outcome.file_sha256) for outcome in summary.outcomes])
        for outcome in summary.outcomes:
            outcome.status = final.get((outcome.file_name, outcome.file_sha256), outcome.status)
        with closing_meanwhile(con):
            if on_done is not None:
                on_done(summary)
        return summary
    finally:
        con.close()  # (closed already unless the run failed)


def _outcome(receipt: Receipt, status: str) -> FileOutcome:
    parsed = receipt.parsed
    return FileOutcome(
        parsed.file_name,
        parsed.file_sha256,
        status,
        parsed.meta.get("unit_code") if not receipt.duplicate_of_known else None,
        [error.__dict__ for error in parsed.errors],
        receipt.feedback if status == "rejected" else None,
    )
