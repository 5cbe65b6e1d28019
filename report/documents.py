"""Report files that are the same bytes for the same marts, and that no value can break.

- `document_time`: the date a report file carries in its properties (workbook, .docx): the as-of date
  the figures were judged at, never the clock, so `bdg run` twice on the same inbox writes identical files.
- `save_docx`: saves a python-docx document with that date in its core properties and fixed dates on
  the parts of the package (python-docx stamps every part of the zip with the current time).
- Text from the marts reaches every writer through `output_text` (control characters and bidi overrides
  removed, NFC) and every workbook is opened by `text_workbook` (text stays text); both live in
  `ingest.atomic`, beside `atomic_output`, because the feedback workbook of ingest shares them and data
  flows one way.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from ingest.atomic import atomic_output, output_text, text_workbook

__all__ = ["ZIP_TIME", "document_time", "output_text", "save_docx", "text_workbook"]

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold, as xlsxwriter writes


def document_time(as_of: dt.date | None, report_year: int | None = None) -> dt.datetime:
    """Midnight of `as_of` (naive, as document properties are written); without an as-of date, 1 January
    of `report_year` (or of 2000): a date that depends on the data only."""
    if as_of is not None:
        return dt.datetime.combine(as_of, dt.time())
    return dt.datetime(report_year or 2000, 1, 1)


def save_docx(document, path: Path, created: dt.datetime) -> Path:
    """Save `document` (python-docx) at `path`, atomically, dated `created`: the core properties carry
    that date and no revision or printing history, the zip parts a fixed date, so the same document
    gives the same bytes. Raises OSError when `path` cannot be written."""
    properties = document.core_properties
    properties.created = properties.modified = created
    if properties.last_printed is not None:
        properties.last_printed = created
    properties.revision = 1
    properties.last_modified_by = properties.author or ""
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    with atomic_output(Path(path)) as tmp:
        with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                entry = zipfile.ZipInfo(item.filename, date_time=ZIP_TIME)
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.external_attr = 0o644 << 16
                target.writestr(entry, source.read(item.filename))
    return Path(path)
