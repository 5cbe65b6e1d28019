"""Receive one file: read its bytes (the guard looks first) → parse → validate against the unit
registry and calendar → a feedback workbook when it is rejected. Both ingest drivers call
`receive_file` for every arrival, in whatever process parses; only the loader touches the database.
"""

from __future__ import annotations

from pathlib import Path

from ingest.errors import IngestError
from ingest.feedback import write_feedback
from ingest.load import Receipt
from ingest.parse import ParsedWorkbook, parse_bytes
from ingest.reference import CALENDAR_FILE, UNITS_FILE, read_calendar, read_units
from ingest.triage import EMPTY_SHA, Arrival
from ingest.validate import Registry, validate_submission

_REGISTRIES: dict[tuple, Registry] = {}


def registry_of(reference_dir: Path) -> Registry:
    """The units and reporting periods a file may name, from the reference directory; built once per
    process for as long as the two files keep their size and modification time."""
    stamps = []
    for name in (UNITS_FILE, CALENDAR_FILE):
        stat = (Path(reference_dir) / name).stat()
        stamps.append((stat.st_size, stat.st_mtime_ns))
    key = (str(reference_dir), *stamps)
    if key not in _REGISTRIES:
        _REGISTRIES.clear()
        _REGISTRIES[key] = Registry.build(read_units(reference_dir), read_calendar(reference_dir))
    return _REGISTRIES[key]


def receive_file(arrival: Arrival, registry: Registry, feedback_dir: Path | None = None) -> Receipt:
    """The receipt of one arrival: its parse with every error, ready to load; validated against
    `registry` (`registry_of(reference_dir)`).

    A duplicate is not read (its receipt is a stub under its hash). A rejected file gets its feedback
    workbook in `feedback_dir` when given (the receipt says where). Never raises for bad input: a file
    that is gone or unreadable is a receipt with one UNREADABLE error.
    """
    if arrival.duplicate:
        stub = ParsedWorkbook(path=arrival.path, file_sha256=arrival.sha)
        return Receipt(stub, arrival.received_at, duplicate_of_known=True)
    try:
        data = arrival.path.read_bytes()
    except OSError:
        parsed = ParsedWorkbook(path=arrival.path, file_sha256=EMPTY_SHA)
        parsed.errors.append(IngestError("UNREADABLE", "Không đọc được tệp trong hộp thư đến. Đề nghị gửi lại tệp."))
    else:
        # The hash was taken when the file was judged new (`ingest.triage`); it names these bytes.
        parsed = parse_bytes(arrival.path, data, arrival.sha)
    if not parsed.errors:
        validate_submission(parsed, registry)
    feedback = None
    if parsed.errors and feedback_dir is not None:
        feedback = write_feedback(
            feedback_dir,
            file_name=parsed.file_name,
            file_sha256=parsed.file_sha256,
            received_at=arrival.received_at,
            unit_code=parsed.meta.get("unit_code"),
            unit_name=parsed.meta.get("unit_name"),
            errors=parsed.errors,
        )
    return Receipt(parsed, arrival.received_at, feedback=str(feedback) if feedback else None)
