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
