"""The shortcuts the ingest takes for speed give the answers of the plain way they replace."""

from __future__ import annotations

import datetime as dt
import os

import duckdb
import pytest

from ingest.inbox import discover
from ingest.schema import RAW_DDL, raw_table_columns

pytestmark = pytest.mark.fast  # the edit-test tier (make test-fast)


def test_raw_table_columns_are_the_ddl_as_a_database_reads_it():
    with duckdb.connect() as con:
        con.execute(RAW_DDL)
        declared: dict[str, list[str]] = {}
        for table, column in con.execute(
            "select table_name, column_name from information_schema.columns "
            "where table_schema = 'raw' order by table_name, ordinal_position"
        ).fetchall():
            declared.setdefault(table, []).append(column)
    assert raw_table_columns() == declared


def test_discover_orders_by_received_instant_then_name(tmp_path):
    plus7 = dt.timezone(dt.timedelta(hours=7))
    listed = {
        "b.xlsx": dt.datetime(2026, 12, 1, 9, 0, tzinfo=plus7),
        "a.xlsx": dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC),  # the same instant as b.xlsx
        "c.xlsx": dt.datetime(2026, 12, 1, 8, 59, 59, 999999, tzinfo=plus7),
        "d.xlsx": dt.datetime(2026, 11, 30, 23, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
    }
    lines = ["file,received_at"] + [f"{name},{moment.isoformat()}" for name, moment in listed.items()]
    (tmp_path / "_received.csv").write_text("\n".join(lines), encoding="utf-8")
    for name in [*listed, "e.xlsx"]:
        (tmp_path / name).write_bytes(b"x")
    os.utime(tmp_path / "e.xlsx", ns=(0, 1_700_000_000_123_456_789))  # not listed: its modification time
    found = discover(tmp_path)
    received = {item.path.name: item.received_at for item in found}
    assert received == {**listed, "e.xlsx": dt.datetime.fromtimestamp(1_700_000_000.123456789, tz=dt.UTC)}
    assert [item.path.name for item in found] == ["e.xlsx", "c.xlsx", "a.xlsx", "b.xlsx", "d.xlsx"]


def test_folded_key_drops_exactly_the_combining_marks():
    import random
    import unicodedata

    from ingest.labels import folded_key, label_key

    def plain(value):
        decomposed = unicodedata.normalize("NFD", label_key(value)).replace("đ", "d")
        return "".join(ch for ch in decomposed if not unicodedata.combining(ch))

    rng = random.Random(7)
    texts = ["Tổng số", "NỮ LÀ NGƯỜI DTTS", "Đơn vị", "e\u0323\u0302", "ﬁ ǅ Å", "abc"]
    texts += ["".join(chr(rng.randint(0x20, 0x2FFF)) for _ in range(rng.randint(0, 12))) for _ in range(5000)]
    assert [folded_key(text) for text in texts] == [plain(text) for text in texts]


def test_fast_readers_answer_as_the_full_reader_or_step_aside():
    from ingest import form_bdg1
    from ingest.parse import _SLOW, ParsedWorkbook, _fast_reader, _typed

    values = [
        0.0,
        3.0,
        2.5,
        -1.0,
        1e20,
        float("nan"),
        True,
        False,
        7,
        "12",
        " 1.234 ",
        "  x ",
        "Có",
        "co",
        "Không",
        "Hội thi",
        "hoi thi",
        "Năm",
        dt.date(2026, 1, 2),
        dt.datetime(2026, 1, 2, 3, 4),
        "02/01/2026",
        45000.0,
    ]
    columns = [column for sheet in form_bdg1.SHEETS for column in getattr(sheet, "columns", getattr(sheet, "rows", ()))]
    for column in columns:
        fast = _fast_reader(column)
        for value in values:
            for _ in range(2):  # the second time, a category text may be a remembered hit
                answer = fast(value)
                parsed = ParsedWorkbook(path=None, file_sha256="")
                full = _typed(parsed, column, value, "S", 0, 0)
                if answer is not _SLOW:
                    assert (answer, type(answer)) == (full, type(full)) and not parsed.errors, (column, value)


def _zipfile_answer(data: bytes) -> dict[str, list[str]]:
    """The formula guard read through zipfile alone: the plain way `_PlainZip` shortcuts."""
    import io
    import zipfile

    from ingest.file_guard import _formulas

    if not data.startswith(b"PK\x03\x04"):
        return {}  # not a ZIP at all
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _formulas(archive)
    except Exception:  # noqa: BLE001 — as readable answers a damaged archive
        return {}


def _reading(data: bytes):
    """What python-calamine reads from `data`: every sheet's metadata, cells, merged ranges and extent,
    or the name of the error it raises."""
    import io

    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [workbook.get_sheet_by_name(name) for name in workbook.sheet_names]
        metadata = [(meta.name, str(meta.visible), str(meta.typ)) for meta in workbook.sheets_metadata]
        cells = [(sheet.to_python(skip_empty_area=False), sheet.merged_cell_ranges, sheet.end) for sheet in sheets]
        return metadata, cells
    except Exception as error:  # noqa: BLE001 — a damaged archive: which error, compared
        return type(error).__name__


def _rezip(data: bytes, change=None, **options) -> bytes:
    """The archive written again by zipfile, each member through `change(info, content)`."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", **options) as zout:
        for item in zin.infolist():
            info, content = (change or (lambda info, content: (info, content)))(item, zin.read(item.filename))
            zout.writestr(info, content)
    return out.getvalue()


def test_the_formula_guard_reads_a_plain_zip_as_zipfile_does_hostile_ones_too(tmp_path):
    """...and the copy it hands the spreadsheet reader (worksheets stored inflated) reads as the original."""
    import random
    import re
    import warnings
    import zipfile

    from ingest.file_guard import _PlainZip, readable
    from tests.ingest.workbooks import HOAT_DONG_ROWS, write_workbook

    def formulas_without_values(data: bytes) -> dict[str, list[str]]:
        return readable(data)[1]

    first = HOAT_DONG_ROWS[0]
    rows = [[*first[:7], "=H5*2", *first[8:]], *HOAT_DONG_ROWS[1:]]
    valued = write_workbook(tmp_path / "f.xlsx", hoat_dong_rows=rows).read_bytes()

    def drop_values(info, content):
        return info, re.sub(rb"(</f>)<v>[^<]*</v>", rb"\1", content) if "worksheets" in info.filename else content

    broken = _rezip(valued, drop_values)
    assert _PlainZip.of(valued) is not None and _PlainZip.of(broken) is not None  # the usual file: the shortcut
    assert formulas_without_values(valued) == {} == _zipfile_answer(valued)
    assert formulas_without_values(broken) == {"HoatDong": ["H4"]} == _zipfile_answer(broken)

    def with_extra(info, content):
        info.extra = b"\x55\x54\x05\x00\x01\x00\x00\x00\x00"  # an extended-time field
        return info, content

    def renamed(info, content):
        info.filename = info.filename.replace("sheet2", "shéet2")
        return info, content

    def patched(data: bytes) -> bytes:  # every directory entry flagged "compressed patched data"
        out, at = bytearray(data), data.find(b"PK\x01\x02")
        while at != -1:
            out[at + 8] |= 0x20
            at = data.find(b"PK\x01\x02", at + 1)
        return bytes(out)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the duplicate name's warning
        with zipfile.ZipFile(tmp_path / "dup.zip", "w") as twice:
            for name in ("xl/worksheets/sheet2.xml", "xl/worksheets/sheet2.xml"):
                twice.writestr(name, b'<c r="A1"><f>1</f></c>')
        duplicated = (tmp_path / "dup.zip").read_bytes()
    commented = _rezip(broken)
    commented = commented[:-2] + b"\x04\x00abcd"  # an archive comment
    variants = {
        "stored": _rezip(broken, compression=zipfile.ZIP_STORED),
        "extra field": _rezip(broken, with_extra),
        "non-ASCII name": _rezip(broken, renamed),
        "patched flag": patched(broken),
        "duplicate names": duplicated,
        "comment": commented,
        "data before": b"PK\x03\x04" + bytes(96) + broken,
        "empty": b"PK\x03\x04",
    }
    rng = random.Random(12)
    for number in range(400):  # flipped bytes anywhere (directory, headers, streams) and truncations
        flipped = bytearray(broken)
        for _ in range(rng.randint(1, 3)):
            flipped[rng.randrange(len(flipped))] ^= 1 << rng.randrange(8)
        variants[f"flipped {number}"] = bytes(flipped)
        variants[f"cut {number}"] = broken[: rng.randrange(len(broken))]
    copies = 0
    for name, data in {"valued": valued, "broken": broken, **variants}.items():
        assert formulas_without_values(data) == _zipfile_answer(data), name
        content = readable(data)[0]
        if content is not data:
            copies += 1
            assert _PlainZip.of(data) is not None, name  # only a plain archive is copied
            assert _reading(content) == _reading(data), name
    assert readable(valued)[0] != valued and len(readable(valued)[0]) > len(valued)  # worksheets stored
    assert copies > 100  # a flipped byte often leaves the archive plain: those copies were compared too
    assert formulas_without_values(variants["stored"]) == {"HoatDong": ["H4"]}
    assert formulas_without_values(variants["data before"]) == {"HoatDong": ["H4"]}  # zipfile's reading
    unusual = ("extra field", "non-ASCII name", "patched flag", "duplicate names", "comment", "data before")
    assert [name for name in unusual if _PlainZip.of(variants[name]) is not None] == []


def test_rows_go_to_duckdb_through_arrow_with_the_values_numpy_gives():
    from ingest.load import _arrow, _objects

    plus7 = dt.timezone(dt.timedelta(hours=7))
    columns = {
        "text": _objects(["a", None, "Tổng số\x00"]),
        "whole": _objects([1, None, 2**62]),
        "real": _objects([1.5, float("nan"), None]),
        "flag": _objects([True, False, None]),
        "day": _objects([dt.date(2026, 1, 2), None, dt.date(1900, 3, 1)]),
        "moment": _objects([dt.datetime(2026, 1, 2, 3, tzinfo=plus7), None, dt.datetime(2026, 1, 2, tzinfo=dt.UTC)]),
        "naive": _objects([dt.datetime(2026, 1, 2, 3), None, dt.datetime(2026, 1, 2)]),
        "nothing": _objects([None, None, None]),
    }
    types = {"text": "varchar", "whole": "bigint", "real": "double", "flag": "boolean", "day": "date",
             "moment": "timestamptz", "naive": "timestamp", "nothing": "integer"}  # fmt: skip
    with duckdb.connect() as con:
        con.execute(f"create table t ({', '.join(f'{name} {kind}' for name, kind in types.items())})")
        con.register("by_numpy", columns)
        arrow = _arrow(columns)
        assert arrow is not None
        con.register("by_arrow", arrow)
        for source in ("by_numpy", "by_arrow"):
            con.execute(f"insert into t by name select * from {source}")
        rows = con.execute("select * from t").fetchall()
    assert rows[:3] == rows[3:]
    # mixed kinds, or an integer beyond 64 bits: left to DuckDB's own reading of NumPy columns
    for values in ([1, 2.5], [1, "a"], [True, 1], [dt.date(2026, 1, 1), dt.datetime(2026, 1, 1)], [2**70],
                   [dt.datetime(2026, 1, 1), dt.datetime(2026, 1, 1, tzinfo=dt.UTC)], [dt.time(1, 2)]):  # fmt: skip
        assert _arrow({"a": _objects(values)}) is None, values


def _scan_every_cell(grid, names_are_pii, skip, numbers_below):
    """The personal-data scan of a sheet, cell by cell: the plain way `scan_free_text` shortcuts."""
    from ingest.personal_data import number_kind
    from ingest.sheet_scan import pii_error, pii_kind

    first_data, number_cols = numbers_below
    errors = []
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if (r >= first_data and c in number_cols) or (r, c) in skip:
                continue
            if value.__class__ is str:
                kind = None if value == "" or value.isspace() else pii_kind(value, names_are_pii)
            elif value.__class__ is float and value >= 100_000_000:
                kind = number_kind(value)
            else:
                continue
            if kind is not None:
                errors.append(pii_error(kind, "S", r, c))
    return errors


def test_the_sheet_scan_and_blank_row_shortcuts_answer_as_every_cell_would():
    import random

    from ingest.parse import ParsedWorkbook, _first_filled
    from ingest.sheet_scan import scan_free_text
    from ingest.values import is_blank

    cells = ["", " ", "\t", "Tập huấn", "Nguyễn Văn An", "0912345678", "chị Lan bị đánh", "nạn nhân Trần Thị B",
             None, 0.0, 5.0, 123456789.0, 193700000.0, 84912345678.0, 123456789, True, False, float("nan"),
             float("inf"), dt.date(2026, 1, 2), dt.datetime(2026, 1, 2, 3), dt.time(1, 2)]  # fmt: skip
    rng = random.Random(3)
    for number in range(1500):
        pool = cells if number % 3 else [value for value in cells if value.__class__ is not str or not value.strip()
                                         or value == "Tập huấn"]  # fmt: skip
        grid = [[rng.choice(pool) for _ in range(rng.randint(0, 6))] for _ in range(rng.randint(0, 8))]
        if number % 50 == 0 and grid and grid[0]:
            grid[0][0] = ["unhashable"]  # never from calamine; the scan still answers
        for line in grid:
            assert _first_filled(line) is next((value for value in line if not is_blank(value)), None), line
        names_are_pii = bool(number % 2)
        skip = {(rng.randint(0, 7), rng.randint(0, 5)) for _ in range(rng.randint(0, 3))}
        numbers_below = (rng.randint(0, 4), frozenset(rng.sample(range(6), rng.randint(0, 3))))
        parsed = ParsedWorkbook(path=None, file_sha256="")
        scan_free_text(parsed, "S", grid, names_are_pii=names_are_pii, skip=skip, numbers_below=numbers_below)
        expected = _scan_every_cell(grid, names_are_pii, skip, numbers_below)
        assert [(e.code, e.cell, e.message_vi) for e in parsed.errors] == [
            (e.code, e.cell, e.message_vi) for e in expected
        ], grid


def test_a_file_is_hashed_whole_when_small_and_streamed_when_huge(tmp_path, monkeypatch):
    import hashlib

    import ingest.triage as triage

    path = tmp_path / "bao_cao.xlsx"
    path.write_bytes(bytes(range(256)) * 4000)  # ~1 MB
    expected = hashlib.sha256(path.read_bytes()).hexdigest()
    assert triage.hash_file(path) == expected  # read at once
    monkeypatch.setattr(triage, "_READ_WHOLE", 1000)
    assert triage.hash_file(path) == expected  # streamed: the same hash
    assert triage.hash_file(tmp_path / "gone.xlsx") is None


def test_a_file_is_read_whole_at_once_and_not_at_all_beyond_its_limit(tmp_path):
    from ingest.inbox import read_file

    path = tmp_path / "bao_cao.xlsx"
    content = bytes(range(256)) * 300
    path.write_bytes(content)
    assert read_file(path) == content
    assert read_file(path, len(content)) == content
    assert read_file(path, len(content) - 1) is None  # refused by its size alone
    path.write_bytes(b"")
    assert read_file(path) == b""
    with pytest.raises(OSError):
        read_file(tmp_path / "gone.xlsx")
    with pytest.raises(OSError):
        read_file(tmp_path)  # a folder
