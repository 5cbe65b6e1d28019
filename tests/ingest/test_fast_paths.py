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
