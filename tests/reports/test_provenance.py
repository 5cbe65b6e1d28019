"""The Nguồn số liệu frame (report.provenance): read from marts.rpt_figure_sources, it accounts for every
printed figure of Biểu 1–4 it covers, file by file, in print order."""

from __future__ import annotations

from collections import defaultdict

import pytest

from report.figures import ministry_tables, value_of
from report.provenance import COLUMNS, figure_sources

from .conftest import PERIOD, YEAR

# The printed columns whose figure is the sum of the files' contributions.
COVERED = {
    "activities": [
        "activities",
        "participants_total",
        "participants_female",
        "participants_male",
        "participants_ethnic_minority",
        "budget_vnd",
    ],
    "gbv_cases": [
        "cases_detected",
        "cases_handled",
        "victims_female",
        "victims_male",
        "victims_children",
        "victims_supported",
        "perpetrators_detected",
        "perpetrators_counselled",
    ],
    "leadership": [
        "units_reporting",
        "units_with_female_key_leader",
        "key_leaders_total",
        "key_leaders_female",
        "department_leaders_total",
        "department_leaders_female",
    ],
    "indicators": ["value"],
}


@pytest.fixture(scope="module")
def sources(built):
    return figure_sources(built.con, YEAR, PERIOD)


@pytest.fixture(scope="module")
def tables(built):
    return ministry_tables(built.con, YEAR, PERIOD)


def _printed_row(table_key: str, record: dict):
    """A row of a printed table as the frame names it: 'total', or (dimension, code); a subtotal row
    (Biểu 2's acts of violence) has no dimension."""
    if record["row_kind"] == "total":
        return "total"
    if table_key == "gbv_cases" and record["row_kind"] == "group":
        return (None, value_of(record["code"]))
    if table_key == "leadership":
        return ("unit_group", value_of(record["code"]))
    default = "case_type_code" if table_key == "gbv_cases" else None
    return (value_of(record.get("dimension")) or default, value_of(record.get("code")))


@pytest.mark.parametrize("table_key", list(COVERED))
def test_every_printed_figure_is_the_sum_of_its_files_contributions(sources, tables, table_key):
    """Completeness as well as sums: a printed non-zero count with no source row fails too."""
    contributed = defaultdict(int)
    for record in sources[sources["table_key"] == table_key].to_dict("records"):
        row = "total" if record["is_total"] else (record["dimension"], record["code"])
        contributed[(row, record["measure"])] += record["contribution"]
    frame = tables[table_key]
    checked = 0
    for record in frame[frame["row_kind"].isin(["item", "group", "total"])].to_dict("records"):
        row = _printed_row(table_key, record)
        for measure in COVERED[table_key]:
            printed = value_of(record[measure]) or 0
            assert contributed.pop((row, measure), 0) == printed, (table_key, row, measure)
            checked += printed != 0
    assert checked >= 5  # not an empty match
    assert not contributed  # no contribution to a figure the table does not print


def test_one_row_per_figure_and_file_with_a_contribution_in_print_order(sources, tables):
    assert list(sources.columns) == COLUMNS
    assert set(sources["table_key"]) == set(COVERED)
    figure = ["table_key", "dimension", "code", "is_total", "measure"]
    assert not sources.duplicated([*figure, "file_sha256"]).any()
    assert (sources["contribution"] != 0).all()
    assert sources["file_name"].notna().all() and (sources["file_sha256"].str.len() == 64).all()
    # print order: tables as the workbook's sheets, rows as printed, then columns, then units
    tables_order = list(COVERED)
    rows_order = {key: [_printed_row(key, record) for record in tables[key].to_dict("records")] for key in COVERED}
    keys = [
        (
            tables_order.index(record["table_key"]),
            rows_order[record["table_key"]].index(
                "total" if record["is_total"] else (record["dimension"], record["code"])
            ),
            COVERED[record["table_key"]].index(record["measure"]),
            record["unit_code"],
        )
        for record in sources.to_dict("records")
    ]
    assert keys == sorted(keys)


def test_source_rows_are_ascending_row_numbers_of_the_sheet(sources):
    sheets = {"activities": "HoatDong", "gbv_cases": "VuViec", "leadership": "LanhDao", "indicators": "ChiTieu"}
    for record in sources.to_dict("records"):
        assert record["source_sheet"] == sheets[record["table_key"]]
        rows = [int(row) for row in record["source_rows"].split(", ")]
        assert rows == sorted(set(rows)) and rows[0] >= 1
        # a unit counts once in Biểu 3's unit counts
        if record["table_key"] == "leadership" and record["measure"].startswith("units_"):
            assert record["contribution"] == 1
