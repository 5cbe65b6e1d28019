"""Writing an output file whole or not at all: every artefact of every stage goes through here.

A failed write (a crash, a full disk) leaves the previous file, never an empty or partial one; a set of
files is written as one folder (`atomic_folder`). What every output shares also lives here, since both
ingest (the feedback workbook) and the reports write files: text cleaned for output (`output_text`) and
the one way a workbook is opened (`text_workbook`: text stays text, a fixed document date).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path


def _umask() -> int:
    # os.umask can only be read by setting it; set it straight back (one thread at a time is enough here).
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temporary path next to `path`; rename it onto `path` only when the block succeeds.

    The file gets the mode a plainly created file would have (0644 under the usual umask), not
    mkstemp's 0600, so staff reading a shared output folder can open it.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    os.close(handle)
    try:
        yield Path(tmp_name)
        os.chmod(tmp_name, 0o666 & ~_umask())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def write_json(path: Path, document: dict) -> Path:
    """Write `document` as UTF-8 JSON (Vietnamese text kept readable), atomically; returns `path`."""
    with atomic_output(Path(path)) as tmp:
        tmp.write_text(json.dumps(document, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return Path(path)


@contextlib.contextmanager
def atomic_folder(path: Path) -> Iterator[Path]:
    """Yield a temporary folder beside `path`; when the block succeeds it becomes `path` in one rename.

    A set of files (an export) then appears whole or not at all: a failure midway (a full disk) leaves
    the previous folder as it was and no partial set. An existing `path` is moved aside just before the
    rename and removed after it.
    """
    import shutil

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    try:
        yield tmp
        os.chmod(tmp, 0o777 & ~_umask())
        old = None
        if path.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".old", dir=path.parent))
            os.replace(path, old / path.name)
        os.replace(tmp, path)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


# --- text fit for an output --------------------------------------------------------------------------------
# C0 controls but tab and newline, DEL, C1 controls, the bidi marks, embeddings, overrides and isolates
# (U+200E/F, U+061C, U+202A–E, U+2066–9: a name that reads backwards spoofs a file or a unit), lone
# surrogates and the two non-characters XML refuses. python-docx raises on a control character, a
# workbook stores it as an _x001B_ escape, a spreadsheet runs a CSV cell it starts.
_NOT_FOR_OUTPUT = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)


def output_text(value: object) -> str:
    """`value` as text fit for any output file: control characters and bidi overrides removed, line
    breaks as `\\n`, NFC. '' for None. Tab and newline stay (a cell or paragraph may hold several lines).

    Every writer of a report, export or feedback file passes text from data through this, so no file
    name or unit name can crash a writer or disguise itself in an output.
    """
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", _NOT_FOR_OUTPUT.sub("", text))


# --- workbooks ---------------------------------------------------------------------------------------------
# Text is text: a unit name "=HYPERLINK(…)", a code "1e5" or a file name "http://…" never becomes a
# formula, a number or a link, whichever write method a writer calls.
WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


def text_workbook(path: Path, created: dt.datetime, options: dict | None = None):
    """An xlsxwriter Workbook at `path` that writes every string as cleaned text (`output_text`) and is
    dated `created` (its document properties; xlsxwriter would stamp the current time, so the same
    content would give different bytes on every run). `options` add to `WORKBOOK_OPTIONS` (e.g.
    in_memory); `set_properties` adds to the date rather than replacing it.

    Every workbook the project writes (reports, chase list, export, feedback) is opened here.
    """
    import xlsxwriter
    from xlsxwriter.worksheet import Worksheet

    class TextWorksheet(Worksheet):
        # Every text path of xlsxwriter (write, write_string, merge_range, …) ends in _write_string.
        def _write_string(self, row, col, string, cell_format=None):
            return super()._write_string(row, col, output_text(string), cell_format)

    class TextWorkbook(xlsxwriter.Workbook):
        worksheet_class = TextWorksheet

        def set_properties(self, properties) -> None:
            super().set_properties({**self.doc_properties, **properties})

    workbook = TextWorkbook(str(path), {**(options or {}), **WORKBOOK_OPTIONS})
    workbook.set_properties({"created": created})
    return workbook
