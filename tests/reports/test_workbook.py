"""The ministry workbook: every figure equals the marts, cell by cell; layout of an official appendix."""

from __future__ import annotations

from collections import defaultdict

import openpyxl
import pytest

from report.figures import STATUSES, ministry_tables, value_of
from report.layout import COLUMNS, FIRST_DATA_ROW, HEADER_ROWS, PROVENANCE_SHEET, SHEETS, TITLES, kind_of

from .conftest import INJECTED_NAME, PERIOD, YEAR


@pytest.fixture(scope="module")
def workbook(built):
    return openpyxl.load_workbook(built.outputs["workbook"])


@pytest.fixture(scope="module")
def tables(built):
    return ministry_tables(built.con, YEAR, PERIOD)


def _first_data_row(sheet, key) -> int:
    """1-based row of the table's first data row (a second table sits under its own title)."""
    if key in ("news_by_quarter", "units_to_chase"):
        title_row = next(cell.row for cell in sheet["A"] if cell.value == TITLES[key])
        return title_row + 1 + HEADER_ROWS + 1
    return FIRST_DATA_ROW + 1


def _assert_cell(cell, kind, expected, where):
    if expected is None or expected == "":
        assert cell.value is None, where
    elif kind == "text":
        assert cell.data_type == "s" and cell.value == str(expected), where
    elif kind == "date":
        assert cell.value.date() == expected, where
    elif kind == "datetime":
        assert cell.value == expected, where
    elif isinstance(expected, int) and not isinstance(expected, bool):
        assert cell.value == expected, where
    else:
        assert cell.value == pytest.approx(expected, rel=1e-14, abs=1e-15), where


@pytest.mark.parametrize("key", [k for k in SHEETS])
def test_every_cell_equals_the_figures(workbook, tables, key):
    sheet = workbook[SHEETS[key]]
    frame = tables[key]
    start = _first_data_row(sheet, key)
    for position, record in enumerate(frame.to_dict("records")):
        for index, col in enumerate(COLUMNS[key]):
            cell = sheet.cell(row=start + position, column=index + 1)
            _assert_cell(cell, kind_of(col, record), value_of(record.get(col.key)), f"{sheet.title}!{cell.coordinate}")
    # nothing printed below the table but notes (or the second table's title)
    after = sheet.cell(row=start + len(frame), column=3).value
    assert after is None


def _rows_by_label(sheet, start, columns):
    keys = [col.key for col in columns]
    rows = {}
    for values in sheet.iter_rows(min_row=start, values_only=True):
        if values[1] is None:
            break
        rows.setdefault(values[1], []).append(dict(zip(keys, values, strict=False)))
    return rows


def test_activity_and_case_figures_equal_group_bys_on_the_facts(built, workbook):
    con = built.con
    by_programme = dict(
        con.execute(
            "select p.programme_name_vi, sum(a.participants_female) from marts.fct_activities a "
            "join reference.programmes p using (programme_code) where report_year = ? and report_type = ? group by 1",
            [YEAR, PERIOD],
        ).fetchall()
    )
    rows = _rows_by_label(workbook["Biểu 1"], FIRST_DATA_ROW + 1, COLUMNS["activities"])
    for label, female in by_programme.items():
        assert rows[label][0]["participants_female"] == female
    total = con.execute(
        "select sum(quantity), sum(budget_vnd) from marts.fct_activities where report_year = ? and report_type = ?",
        [YEAR, PERIOD],
    ).fetchone()
    assert (rows["Tổng cộng"][0]["activities"], rows["Tổng cộng"][0]["budget_vnd"]) == total

    cases = con.execute(
        "select c.case_type_name_vi, sum(f.cases_detected), sum(f.victims_supported), "
        "sum(f.victims_supported) / sum(f.victims_female + f.victims_male) from marts.fct_gbv_cases f "
        "join reference.case_types c using (case_type_code) where report_year = ? and report_type = ? group by 1",
        [YEAR, PERIOD],
    ).fetchall()
    rows = _rows_by_label(workbook["Biểu 2"], FIRST_DATA_ROW + 1, COLUMNS["gbv_cases"])
    for label, detected, supported, _rate in cases:
        row = rows[label][0]
        assert (row["cases_detected"], row["victims_supported"]) == (detected, supported)
        assert row["support_rate"] is None  # the rates stand on the acts of violence together
    # NQ 28/NQ-CP's rates over the acts of violence: support over their victims; counselling over the
    # perpetrators detected, from the rows that carry that (optional) column only
    support, counselling, coverage = con.execute(
        "select sum(f.victims_supported) / sum(f.victims_female + f.victims_male), "
        "sum(f.perpetrators_counselled) filter (where f.perpetrators_detected is not null) "
        "/ sum(f.perpetrators_detected), "
        "sum(f.cases_detected) filter (where f.perpetrators_detected is not null) / sum(f.cases_detected) "
        "from marts.fct_gbv_cases f join reference.case_types c using (case_type_code) "
        "where c.is_violence and report_year = ? and report_type = ?",
        [YEAR, PERIOD],
    ).fetchone()
    violence = rows["Cộng các hành vi bạo lực trên cơ sở giới"][0]
    assert violence["support_rate"] == pytest.approx(support, rel=1e-14)
    assert violence["counselling_rate"] == pytest.approx(counselling, rel=1e-14)
    assert violence["counselling_coverage"] == pytest.approx(coverage, rel=1e-14)
    assert violence["support_assessment"] in ("Đạt", "Chưa đạt")
    assert rows["Tổng cộng"][0]["support_rate"] is None


def test_leadership_and_reporting_status_equal_their_marts(built, workbook):
    con = built.con
    marts = con.execute(
        "select unit_group, units_reporting, units_with_female_key_leader, share_of_reporting, target_share "
        "from marts.rpt_leadership_targets where report_year = ? order by unit_group desc",
        [YEAR],
    ).fetchall()
    sheet = workbook["Biểu 3"]
    printed = [
        tuple(sheet.cell(row=FIRST_DATA_ROW + 1 + i, column=c).value for c in (4, 5, 6)) for i in range(len(marts))
    ]
    assert printed == [tuple(row[1:4]) for row in marts]  # state_agency, then commune
    # judged against the report year's value (rpt_targets.year_target)
    year_targets = con.execute(
        "select year_target, final_target_value from marts.rpt_targets where report_year = ? "
        "and target_code in ('FEMALE_KEY_LEADER_STATE', 'FEMALE_KEY_LEADER_COMMUNE') order by target_code desc",
        [YEAR],
    ).fetchall()
    printed = [sheet.cell(row=FIRST_DATA_ROW + 1 + i, column=c).value for i in range(len(marts)) for c in (7, 8)]
    assert printed == pytest.approx([value for row in year_targets for value in row])

    counts = defaultdict(lambda: defaultdict(int))
    for kind, status, units in con.execute(
        "select unit_kind, status, count(*) from marts.rpt_reporting_status "
        "where report_year = ? and report_type = ? group by all",
        [YEAR, PERIOD],
    ).fetchall():
        counts[kind][status] = units
    rows = _rows_by_label(workbook["Biểu 5"], FIRST_DATA_ROW + 1, COLUMNS["reporting_status"])
    names = dict(con.execute("select unit_kind_code, unit_kind_name_vi from reference.unit_kinds").fetchall())
    for kind, by_status in counts.items():
        row = rows[names[kind]][0]
        assert {s: row[s] for s in by_status} == dict(by_status)
        assert row["units_expected"] == sum(by_status.values())


def test_indicator_figures_equal_the_current_submissions(built, workbook):
    officers = built.con.execute(
        "select sum(i.value_number) from staging.stg_raw__indicators i join marts.fct_submissions s "
        "using (file_sha256) where s.status = 'loaded' and s.report_year = ? and s.report_type = ? "
        "and i.indicator_code = 'SO_CONG_CHUC_BDG'",
        [YEAR, PERIOD],
    ).fetchone()[0]
    rows = _rows_by_label(workbook["Biểu 4"], FIRST_DATA_ROW + 1, COLUMNS["indicators"])
    assert rows["Công chức phụ trách công tác bình đẳng giới"][0]["value"] == officers


def test_provenance_contributions_add_up_to_each_figure(workbook):
    sheet = workbook[PROVENANCE_SHEET]
    sums = defaultdict(int)
    units = defaultdict(set)
    for values in sheet.iter_rows(min_row=FIRST_DATA_ROW + 1, values_only=True):
        if values[1] is None or "!" not in str(values[1]):
            break
        sums[values[1]] += values[5]
        units[values[1]].add(values[6])
        assert values[8] and len(values[11]) == 64  # file name and sha256 of the submission
    assert len(sums) > 100
    for reference, total in sums.items():
        sheet_name, cell = reference.split("!")
        assert workbook[sheet_name][cell].value == total, reference
    # the total participants figure names every unit that reported participants
    biểu1 = workbook["Biểu 1"]
    total_row = next(row for row in biểu1.iter_rows(min_row=FIRST_DATA_ROW + 1) if row[1].value == "Tổng cộng")
    assert total_row[3].value == sums[f"Biểu 1!{total_row[3].coordinate}"]


def test_layout_of_an_official_appendix(workbook):
    assert workbook.sheetnames == [*dict.fromkeys(SHEETS.values()), PROVENANCE_SHEET]
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == f"C{FIRST_DATA_ROW + 1}"
        assert sheet.page_setup.paperSize == 9 and sheet.page_setup.orientation == "landscape"
        # fit to one page wide (1 is the OOXML default, so it may be omitted), any number of pages tall
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth in (None, 1)
        assert sheet.page_setup.fitToHeight == 0
        assert sheet.print_title_rows == "$5:$7"
        assert sheet["A1"].font.name == "Times New Roman" and sheet["A1"].font.b
        assert any(str(rng).startswith("A1:") for rng in sheet.merged_cells.ranges)
        assert sheet["A8"].border.left.style == "thin"
    gbv = workbook["Biểu 2"]
    assert "C5:D5" in {str(rng) for rng in gbv.merged_cells.ranges}  # "Số vụ việc" over Phát hiện, Đã xử lý
    assert (gbv["C5"].value, gbv["C6"].value, gbv["D6"].value) == ("Số vụ việc", "Phát hiện", "Đã xử lý")
    assert gbv["C8"].number_format == "#,##0" and gbv["K8"].number_format == "0.0%"
    assert workbook["Biểu 1"]["A2"].value == "Năm 2026"


def test_no_cell_is_a_formula_and_unit_text_stays_text(built, workbook):
    found = False
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate}"
                if cell.value == INJECTED_NAME:
                    found = True
                    assert cell.data_type == "s"
    assert found  # the provenance sheet names the unit whose registry name is a formula


def test_previous_period_is_compared(workbook, tables):
    summary = tables["summary"]
    row = summary[summary["code"] == "cases_detected"].iloc[0]
    assert row["previous"] is not None and row["change"] == row["value"] - row["previous"]


def _dbt_cells(built, table_code: str) -> dict[tuple[str, str], float | None]:
    """(row_code, column_code) → value of dbt's rpt_ministry_annual for the report's period."""
    rows = built.con.execute(
        "select row_code, column_code, sum(value) from marts.rpt_ministry_annual "
        "where table_code = ? and report_year = ? and report_type = ? and province_code <> 'TOAN_QUOC' group by all",
        [table_code, YEAR, PERIOD],
    ).fetchall()
    return {(row, column): value for row, column, value in rows}


def _python_cells(frame, columns: list[str], row_code) -> dict[tuple[str, str], float | None]:
    cells = {}
    for record in frame[frame["row_kind"].isin(["item", "group", "total"])].to_dict("records"):
        code = row_code(record)
        for column in columns:
            value = record[column]
            cells[(code, column)] = None if value is None or value != value else float(value)  # NA → None
    return cells


def _row_code(record) -> str:
    """rpt_ministry_annual's row code of a workbook row: 'total', or '<dimension>.<code>'."""
    if record["row_kind"] == "total":
        return "total"
    if record["row_kind"] == "group":  # a subtotal (Biểu 2's acts of violence)
        return record["code"]
    return f"{(record.get('dimension') or 'case_type_code').removesuffix('_code')}.{record['code']}"


@pytest.mark.parametrize(("key", "table_code"), [("activities", "BIEU_1"), ("gbv_cases", "BIEU_2"),
                                                 ("reporting_status", "BIEU_5")])  # fmt: skip
def test_the_workbook_and_the_dbt_mart_give_the_same_figures(built, tables, key, table_code):
    """The workbook prints the whole-warehouse rows of marts.rpt_ministry_annual; they must equal the
    provinces' rows added up, cell by cell (rates excepted: they are not additive, one province here)."""
    dbt = _dbt_cells(built, table_code)
    frame = tables[key]
    if key == "reporting_status":  # per status over all unit kinds, and the two rates
        total = frame[frame["row_kind"] == "total"].iloc[0]
        python = {(f"status.{status}", "units"): float(total[status]) for status in STATUSES.codes}
        python |= {("total", "units"): float(total["units_expected"])}
        python |= {(rate, "share"): float(total[rate]) for rate in ("reporting_rate", "on_time_rate")}
    else:
        # targets are each province's (trajectory), not additive
        targets = {"support_target", "counselling_target", "support_final_target", "counselling_final_target"}
        columns = {column for _, column in dbt if column in frame.columns} - targets
        python = _python_cells(frame, sorted(columns), _row_code)
    assert len(python) >= 8, key  # every figure this table shares with the mart, not an empty match
    assert python == pytest.approx({cell: dbt.get(cell) for cell in python})
