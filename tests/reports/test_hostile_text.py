"""No value from the marts (or a rejected file's name) can turn into a formula, crash a writer or disguise
itself in an output: every workbook writer writes text as text, control characters and bidi overrides are
removed from every output, CSV cells that a spreadsheet would run are defused, and an export set appears
whole or not at all. Hostile values are built here, in code."""

from __future__ import annotations

import csv
import datetime as dt
import errno
import io

import docx
import duckdb
import openpyxl
import pandas as pd
import pytest

from ingest.atomic import atomic_folder, output_text, text_workbook
from ingest.errors import IngestError
from ingest.feedback import write_feedback
from report.chase_units import ChaseUnit, Province
from report.export import csv_safe, export_folder, export_marts
from report.letter import write_letter

pytestmark = pytest.mark.fast

FORMULA = '=HYPERLINK("http://x","y")'
# (value, what an output holds): formula-like and number-like text stays as written; control characters
# (C0 but tab and newline, DEL, C1) and bidi marks, embeddings, overrides and isolates are removed.
HOSTILE = [
    pytest.param(FORMULA, FORMULA, id="formula"),
    pytest.param("+84912345678", "+84912345678", id="plus"),
    pytest.param("-5 vụ", "-5 vụ", id="minus"),
    pytest.param("@SUM(A1:A9)", "@SUM(A1:A9)", id="at"),
    pytest.param("\tTab đầu", "\tTab đầu", id="tab"),
    pytest.param("\rCR đầu", "\nCR đầu", id="carriage-return"),
    pytest.param("http://example.invalid/a", "http://example.invalid/a", id="url"),
    pytest.param("1e5", "1e5", id="number-like"),
    pytest.param("0123", "0123", id="leading-zero"),
    pytest.param("tệp\x1b[31m.xlsx", "tệp[31m.xlsx", id="escape"),
    pytest.param("tệp\x00rỗng.xlsx", "tệprỗng.xlsx", id="nul"),
    pytest.param("báo cáo\u202excod.xlsx", "báo cáoxcod.xlsx", id="rlo"),
    pytest.param("\u2066\u2067\u2068ẩn\u2069\u202a\u202b\u202c\u202d", "ẩn", id="isolates-embeddings"),
    pytest.param("a\u200eb\u200fc\u061cd", "abcd", id="marks"),
    pytest.param("a\x7fb\x85c\x9fd", "abcd", id="del-c1"),
    pytest.param("a\x0bb\x0cc\x08d", "abcd", id="vt-ff-bs"),
    pytest.param("dòng 1\ndòng 2", "dòng 1\ndòng 2", id="newline"),
    pytest.param("Nguye\u0302\u0303n", "Nguyễn", id="nfd"),
    pytest.param("\ud800x\ufffe\uffff", "x", id="surrogate-nonchar"),
]
CREATED = dt.datetime(2026, 12, 21)


@pytest.mark.parametrize(("value", "expected"), HOSTILE)
def test_output_text_removes_what_no_output_may_hold(value, expected):
    assert output_text(value) == expected
    assert output_text(output_text(value)) == expected


@pytest.mark.parametrize("how", ["write", "write_string", "merge_range"])
@pytest.mark.parametrize(("value", "expected"), HOSTILE)
def test_every_workbook_writes_text_as_the_literal_text(tmp_path, value, expected, how):
    path = tmp_path / "book.xlsx"
    with text_workbook(path, CREATED) as workbook:
        sheet = workbook.add_worksheet("S")
        if how == "merge_range":
            sheet.merge_range(0, 0, 0, 2, value)
        else:
            getattr(sheet, how)(0, 0, value)
    cell = openpyxl.load_workbook(path, data_only=False)["S"]["A1"]
    assert cell.data_type == "s"
    assert cell.value == expected


def test_a_workbook_is_dated_by_its_data_not_the_clock(tmp_path):
    paths = [tmp_path / "a.xlsx", tmp_path / "b.xlsx"]
    for path in paths:
        with text_workbook(path, CREATED) as workbook:
            workbook.set_properties({"title": "Báo cáo"})  # adds to the date, does not replace it
            workbook.add_worksheet("S").write(0, 0, FORMULA)
    assert paths[0].read_bytes() == paths[1].read_bytes()
    properties = openpyxl.load_workbook(paths[0]).properties
    assert properties.created == CREATED and properties.title == "Báo cáo"


@pytest.mark.parametrize(("value", "expected"), HOSTILE)
def test_the_feedback_workbook_writes_a_hostile_file_name_as_text(tmp_path, value, expected):
    received = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
    error = IngestError("UNREADABLE", "Không đọc được tệp.")
    kwargs = dict(file_name=value, file_sha256="ab" * 32, received_at=received, unit_code=value, unit_name=value)
    path = write_feedback(tmp_path / "one", errors=[error], **kwargs)
    again = write_feedback(tmp_path / "two", errors=[error], **kwargs)
    assert path.read_bytes() == again.read_bytes()
    sheet = openpyxl.load_workbook(path, data_only=False)["PhanHoi"]
    file_cell = sheet["B3"]
    assert file_cell.data_type == "s" and file_cell.value == expected
    assert all(cell.data_type in ("s", "n") for row in sheet.iter_rows() for cell in row if cell.value is not None)


def _unit(name: str, file_name: str) -> ChaseUnit:
    return ChaseUnit(
        unit_code=name, unit_name=name, unit_kind="XA", province_code="24", status="rejected",
        deadline=dt.date(2026, 11, 30), days=21, first_received_at=None,
        rejected_files=[{"file_name": file_name, "error_codes": "UNREADABLE", "errors": f"{file_name}: lỗi"}],
    )  # fmt: skip


@pytest.mark.parametrize(("value", "expected"), HOSTILE)
def test_the_letter_is_written_whatever_a_file_or_unit_is_named(tmp_path, value, expected):
    unattributed = [{"file_name": value, "errors": value, "error_codes": "UNREADABLE"}]
    args = (Province("24", "Bắc Ninh"), [_unit(value, value)], unattributed, {"rejected": 1}, 2026, "NAM")
    path, again = tmp_path / "a.docx", tmp_path / "b.docx"
    write_letter(path, *args, dt.date(2026, 12, 21))
    write_letter(again, *args, dt.date(2026, 12, 21))
    assert path.read_bytes() == again.read_bytes()
    document = docx.Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert f"{expected} ({expected})" in cells  # the appendix names the unit as the marts hold it, cleaned
    assert expected in cells  # the unattributed file
    assert document.core_properties.created == dt.datetime(2026, 12, 21, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (FORMULA, "'" + FORMULA),
        ("+84912345678", "'+84912345678"),
        ("-5 vụ", "'-5 vụ"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rCR", "'\rCR"),
        ("Bình thường", "Bình thường"),
        ("a=b", "a=b"),
    ],
)
def test_csv_text_cells_that_start_a_formula_are_defused(value, written):
    frame = csv_safe(pd.DataFrame({"text": [value], "count": [-5], "amount": [-1.5]}))
    assert frame["text"].tolist() == [written]
    assert frame["count"].tolist() == [-5] and frame["amount"].tolist() == [-1.5]  # numbers stay numbers


# --- bdg export on a small warehouse built here ----------------------------------------------------------


# DuckDB stores UTF-8: a lone surrogate cannot reach a mart.
STORABLE = [p.values for p in HOSTILE if p.id != "surrogate-nonchar"]
STORABLE_EXPECTED = [expected for _, expected in STORABLE]
TRIGGERED = {text: "'" + text for text in STORABLE_EXPECTED if text.startswith(("=", "+", "-", "@", "\t", "\r"))}


@pytest.fixture
def warehouse(tmp_path):
    path = tmp_path / "w.duckdb"
    names = [value for value, _ in STORABLE]
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.dim_units (unit_code varchar, unit_name varchar, code_list varchar[])")
        for index, name in enumerate(names):
            con.execute("insert into marts.dim_units values (?, ?, ?)", [f"U{index:02d}", name, [name]])
        con.execute("create table marts.rpt_reporting_status (unit_code varchar, report_year integer, "
                    "report_type varchar, days_late integer, as_of_date date)")  # fmt: skip
        con.execute("insert into marts.rpt_reporting_status values ('U01', 2026, 'NAM', -3, '2026-12-21'), "
                    "('U00', 2026, 'NAM', 2, '2026-12-21')")  # fmt: skip
    return path


def _csv_rows(path):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_the_csv_export_is_clean_and_defused(warehouse, tmp_path):
    written = export_marts(warehouse, 2026, "NAM", "csv", tmp_path / "out")
    folder = export_folder(tmp_path / "out", 2026, "NAM", "csv")
    assert sorted(path.name for path in folder.iterdir()) == sorted(path.name for path in written)
    names = [row["unit_name"] for row in _csv_rows(folder / "dim_units_2026_NAM.csv")]
    expected = [TRIGGERED.get(text, text) for text in STORABLE_EXPECTED]
    assert names == expected
    days = [row["days_late"] for row in _csv_rows(folder / "rpt_reporting_status_2026_NAM.csv")]
    assert sorted(days) == ["-3", "2"]  # a negative number is a number, not defused text


def test_the_xlsx_and_parquet_exports_hold_the_literal_clean_text(warehouse, tmp_path):
    (book_path,) = export_marts(warehouse, 2026, "NAM", "xlsx", tmp_path)
    sheet = openpyxl.load_workbook(book_path, data_only=False)["dim_units"]
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == STORABLE_EXPECTED
    assert all(cell.data_type == "s" for cell in cells)
    assert openpyxl.load_workbook(book_path).properties.created == CREATED
    again = export_marts(warehouse, 2026, "NAM", "xlsx", tmp_path / "again")[0]
    assert again.read_bytes() == book_path.read_bytes()
    export_marts(warehouse, 2026, "NAM", "parquet", tmp_path)
    frame = pd.read_parquet(export_folder(tmp_path, 2026, "NAM", "parquet") / "dim_units_2026_NAM.parquet")
    assert frame["unit_name"].tolist() == STORABLE_EXPECTED


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_failed_export_leaves_the_previous_set_whole_and_nothing_partial(warehouse, tmp_path, monkeypatch, fmt):
    out = tmp_path / "out"
    previous = export_marts(warehouse, 2026, "NAM", fmt, out)
    before = {path.name: path.read_bytes() for path in previous}
    writer = "to_csv" if fmt == "csv" else "to_parquet"
    original, calls = getattr(pd.DataFrame, writer), []

    def disk_full(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:  # the first file is written, the second finds the disk full
            raise OSError(errno.ENOSPC, "No space left on device")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, writer, disk_full)
    with pytest.raises(OSError, match="No space"):
        export_marts(warehouse, 2026, "NAM", fmt, out)
    folder = export_folder(out, 2026, "NAM", fmt)
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before
    assert [path.name for path in out.iterdir()] == [folder.name]  # no temporary folder left behind


def test_a_first_export_that_fails_leaves_no_folder(tmp_path):
    with pytest.raises(RuntimeError), atomic_folder(tmp_path / "set") as tmp:
        (tmp / "a.csv").write_text("a", encoding="utf-8")
        raise RuntimeError("stopped midway")
    assert list(tmp_path.iterdir()) == []
