"""The national roll-up (`bdg report --national`): a generated 34-province year (a few units each) through
the real pipeline (ingest, dbt build, the CLI), the national workbook read back with python-calamine.

- every count of the provinces adds up to the Toàn quốc row;
- the nation's shares are its summed numerators over its summed denominators (not an average);
- each province's row equals that province's own ministry workbook (`bdg report` on a warehouse holding
  only that province's files and units), figure by figure: the first, a middle and the last province
  (each needs its own dbt build).
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from bdg.cli import app
from bdg.steps import ingest_step, report_outputs
from bdg.transform import run_dbt
from ingest.warehouse import connect
from report import formatting as vnformat
from report.layout import ACTIVITY_COLUMNS, GBV_COLUMNS, PLAN_COLUMNS, STATUS_COLUMNS
from report.national import NationalData, group_columns, group_frame, groups, html_path, render_national
from sample.generate import generate_inbox

AS_OF = dt.date(2026, 12, 21)
YEAR, PERIOD = 2026, "NAM"
NATION = "Toàn quốc"
PROVINCES, UNITS_PER_PROVINCE = 34, 3
FIRST_DATA_ROW = 7  # 0-based: title block, unit row, two header rows, the column numbering

# The national figure → the provincial workbook's (sheet, key of its total row) that prints it.
PROVINCIAL_CELLS = {
    **{code: ("Biểu 5", key) for code, key in (
        ("UNITS_EXPECTED", "units_expected"), ("UNITS_ON_TIME", "on_time"), ("UNITS_LATE", "late"),
        ("UNITS_REJECTED", "rejected"), ("UNITS_MISSING", "missing"), ("UNITS_PENDING", "pending"),
        ("UNITS_RECEIVED", "received"), ("REPORTING_RATE", "reporting_rate"), ("ON_TIME_RATE", "on_time_rate"),
    )},
    **{code: ("Biểu 1", code.lower()) for code in (
        "ACTIVITIES", "PARTICIPANTS_TOTAL", "PARTICIPANTS_FEMALE", "PARTICIPANTS_MALE",
        "PARTICIPANTS_ETHNIC_MINORITY", "BUDGET_VND",
    )},
    **{code: ("Biểu 2", code.lower()) for code in (
        "CASES_DETECTED", "CASES_HANDLED", "VICTIMS_FEMALE", "VICTIMS_MALE", "VICTIMS_CHILDREN", "VICTIMS_SUPPORTED",
    )},
    "PERPETRATORS_COUNSELLED_COUNT": ("Biểu 2", "perpetrators_counselled"),
}  # fmt: skip
# The national figures of Biểu 2's violence row (the parts of the GBV rates) → the provincial workbook's key.
VIOLENCE_LABEL = "Cộng các hành vi bạo lực trên cơ sở giới"
VIOLENCE_CELLS = {
    "VIOLENCE_CASES_DETECTED": "cases_detected", "VIOLENCE_VICTIMS_FEMALE": "victims_female",
    "VIOLENCE_VICTIMS_MALE": "victims_male", "VIOLENCE_VICTIMS_SUPPORTED": "victims_supported",
    "PERPETRATORS_DETECTED": "perpetrators_detected", "VIOLENCE_PERPETRATORS_COUNSELLED": "perpetrators_counselled",
}  # fmt: skip
PROVINCIAL_LAYOUT = {"Biểu 1": ACTIVITY_COLUMNS, "Biểu 2": GBV_COLUMNS, "Biểu 5": STATUS_COLUMNS}


# --------------------------------------------------------------------------------------------------
# Reading the workbooks back


def _national_sheets(path: Path) -> dict[str, dict[str, dict[tuple[str, str], object]]]:
    """sheet → row label (province name or 'Toàn quốc') → (header, sub header) → cell value.

    A merged group header (a target's wording) is read on its first column only: carried to the right."""
    book = CalamineWorkbook.from_path(str(path))
    sheets = {}
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python()
        top, bottom = rows[4], rows[5]
        headers, group = [], ""
        for top_text, bottom_text in zip(top, bottom, strict=True):
            group = top_text or group
            headers.append((top_text or group, bottom_text) if bottom_text else (top_text, ""))
        body = {}
        for row in rows[FIRST_DATA_ROW:]:
            if not row[1]:
                break  # the footnotes
            body[row[1]] = dict(zip(headers, row, strict=True))
        sheets[name] = body
    return sheets


def _total_row(path: Path, sheet: str, columns, label: str = "Tổng cộng") -> dict[str, object]:
    """The first row labelled `label` of a sheet of the provincial workbook, by the layout's column keys."""
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
    row = next(row for row in rows[FIRST_DATA_ROW:] if row[1] == label)
    return {col.key: value for col, value in zip(columns, row, strict=False)}


def _plan_rows(path: Path) -> dict[str, dict[str, object]]:
    """Biểu 6 of the provincial workbook: target wording → its cells by the layout's column keys."""
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Biểu 6").to_python()
    found = {}
    for row in rows[FIRST_DATA_ROW:]:
        if not row[1] or not str(row[0]).isdigit():
            break
        found[row[1]] = {col.key: value for col, value in zip(PLAN_COLUMNS, row, strict=False)}
    return found


def _blank(value):
    return None if value == "" else value


# --------------------------------------------------------------------------------------------------
# The warehouses


def _province_inbox(generated, code: str, root: Path) -> tuple[Path, Path]:
    """An inbox with only province `code`'s files (and their received times) and a reference directory
    with only its units and calendar: what that province's Sở Nội vụ holds."""
    inbox, reference = root / "inbox", root / "reference"
    inbox.mkdir(parents=True)
    files = {f["file"] for unit in generated.manifest["units"] if unit["province_code"] == code for f in unit["files"]}
    for name in files:
        shutil.copy2(generated.out_dir / name, inbox / name)
    with generated.received_csv.open(encoding="utf-8", newline="") as source:
        received = [row for row in csv.DictReader(source) if row["file"] in files]
    with (inbox / generated.received_csv.name).open("w", encoding="utf-8", newline="") as target:
        writer = csv.DictWriter(target, ["file", "received_at"])
        writer.writeheader()
        writer.writerows(received)
    reference.mkdir()
    for path in generated.reference_dir.iterdir():
        if path.suffix != ".csv":  # a province's yearly file of Strategy indicators (…_<code>_<year>.xlsx)
            if f"_{code}_" in path.name:
                shutil.copy2(path, reference / path.name)
            continue
        with path.open(encoding="utf-8", newline="") as source:
            reader = csv.DictReader(source)
            rows = [row for row in reader if row.get("province_code", code) == code]
            fields = reader.fieldnames
        with (reference / path.name).open("w", encoding="utf-8", newline="") as target:
            writer = csv.DictWriter(target, fields)
            writer.writeheader()
            writer.writerows(rows)
    return inbox, reference


@pytest.fixture(scope="module")
def nation(tmp_path_factory):
    root = tmp_path_factory.mktemp("national")
    generated = generate_inbox(
        root / "inbox", provinces=PROVINCES, units_per_province=UNITS_PER_PROVINCE, year=YEAR, seed=5
    )
    names = {record["province_code"]: record["province_name"] for record in generated.manifest["provinces"]}
    codes = sorted(names)
    compared = [codes[0], codes[len(codes) // 2], codes[-1]]
    warehouse = root / "nation" / "bdg.duckdb"
    ingest_step(warehouse, generated.out_dir, generated.reference_dir)
    result = CliRunner().invoke(
        app,
        ["report", "--national", "--year", str(YEAR), "--period", PERIOD, "--out", str(root / "out"),
         "--warehouse", str(warehouse), "--as-of", AS_OF.isoformat()],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    provincial = {}
    for code in compared:
        inbox, reference = _province_inbox(generated, code, root / code)
        province_warehouse = root / code / "bdg.duckdb"
        ingest_step(province_warehouse, inbox, reference)
        # the full build (data and unit tests) ran on the national warehouse; here the models suffice
        build = ["build", "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"]
        run_dbt(build, province_warehouse, AS_OF)
        provincial[code] = report_outputs(province_warehouse, YEAR, PERIOD, root / code / "out")["workbook"]
    with connect(warehouse, read_only=True) as con:
        mart = con.execute(
            "select * from marts.rpt_national_annual where report_year = ? and report_type = ?", [YEAR, PERIOD]
        ).df()
    return {
        "names": names,
        "units_expected": sum(record["units_expected"] for record in generated.manifest["provinces"]),
        "workbook": root / "out" / f"bao_cao_bdg_toan_quoc_{YEAR}_{PERIOD}.xlsx",
        "html": html_path(root / "out", YEAR, PERIOD),
        "output": result.output,
        "mart": mart,
        "provincial": provincial,
    }


def _figures(mart: pd.DataFrame) -> list[dict]:
    nation = mart[mart["is_nation"]].sort_values("figure_order")
    return nation.to_dict("records")


def _cell(sheets, figure: dict, row_label: str):
    """The national workbook's value of `figure` on the row `row_label` (a target: its result)."""
    sheet = {"BAO_CAO": "Nộp báo cáo", "HOAT_DONG": "Hoạt động", "BAO_LUC": "Bạo lực giới", "CHI_TIEU": "Chỉ tiêu"}[
        figure["figure_group_code"]
    ]
    row = sheets[sheet][row_label]
    if figure["figure_group_code"] == "CHI_TIEU" and figure["value_kind"] == "share":
        (key,) = [key for key in row if key[0].startswith(figure["figure_label_vi"]) and key[1] == "Kết quả"]
        return _blank(row[key])
    return _blank(row[(figure["figure_label_vi"], "")])


# --------------------------------------------------------------------------------------------------
# The slow tier: the real pipeline


def test_the_cli_writes_the_national_workbook_and_page(nation):
    assert nation["workbook"].is_file() and nation["html"].is_file()
    assert "Bảng tính tổng hợp toàn quốc" in nation["output"]
    sheets = _national_sheets(nation["workbook"])
    assert list(sheets) == ["Nộp báo cáo", "Hoạt động", "Bạo lực giới", "Chỉ tiêu"]
    # one row per province, then the nation's
    for rows in sheets.values():
        assert list(rows) == [*(nation["names"][code] for code in sorted(nation["names"])), NATION]


def test_the_provinces_add_up_to_the_nation_for_every_count(nation):
    sheets = _national_sheets(nation["workbook"])
    provinces = list(nation["names"].values())
    additive = [figure for figure in _figures(nation["mart"]) if figure["is_additive"]]
    assert len(additive) >= 20
    for figure in additive:
        values = [_cell(sheets, figure, name) for name in provinces]
        assert sum(values) == _cell(sheets, figure, NATION), figure["figure_code"]
    assert _cell(sheets, {"figure_group_code": "BAO_CAO", "figure_label_vi": "Số đơn vị phải báo cáo",
                          "value_kind": "count"}, NATION) == nation["units_expected"]  # fmt: skip


def test_the_nations_shares_are_summed_numerators_over_summed_denominators(nation):
    sheets = _national_sheets(nation["workbook"])
    mart, provinces = nation["mart"], list(nation["names"].values())
    by_code = {figure["figure_code"]: figure for figure in _figures(mart)}

    def total(code, name=None):
        names = [name] if name else provinces
        return sum(_cell(sheets, by_code[code], province) for province in names)

    # read back from the workbook: reporting rates and the two Biểu 2 rates of Biểu 6
    pairs = {
        "REPORTING_RATE": (total("UNITS_RECEIVED"), total("UNITS_EXPECTED")),
        "ON_TIME_RATE": (total("UNITS_ON_TIME"), total("UNITS_EXPECTED")),
        # NQ 28/NQ-CP's rates stand on the acts of violence; every generated row carries perpetrators_detected
        "GBV_VICTIMS_SUPPORTED": (
            total("VIOLENCE_VICTIMS_SUPPORTED"),
            total("VIOLENCE_VICTIMS_FEMALE") + total("VIOLENCE_VICTIMS_MALE"),
        ),
        "PERPETRATORS_COUNSELLED": (total("VIOLENCE_PERPETRATORS_COUNSELLED"), total("PERPETRATORS_DETECTED")),
    }
    # the targets about units: the mart's numerator and denominator, summed over the provinces
    shares = [figure for figure in by_code.values() if figure["value_kind"] == "share"]
    provincial = mart[~mart["is_nation"]]
    for figure in shares:
        if pd.isna(figure["denominator"]):
            continue
        rows = provincial[provincial["figure_code"] == figure["figure_code"]]
        assert rows["numerator"].sum() == figure["numerator"]
        assert rows["denominator"].sum() == figure["denominator"]
        pairs.setdefault(figure["figure_code"], (figure["numerator"], figure["denominator"]))
    assert len(pairs) >= 8
    averaged = []
    for code, (numerator, denominator) in pairs.items():
        national = _cell(sheets, by_code[code], NATION)
        assert denominator > 0, code
        assert national == pytest.approx(numerator / denominator, abs=1e-12), code
        province_values = [_cell(sheets, by_code[code], name) for name in provinces]
        if None not in province_values:
            averaged.append(abs(national - sum(province_values) / len(province_values)) > 1e-9)
    assert any(averaged), "this data set cannot tell a pooled share from an average of province shares"


def test_each_province_row_equals_its_own_provincial_workbook(nation):
    sheets = _national_sheets(nation["workbook"])
    figures = _figures(nation["mart"])
    assert len(nation["names"]) == PROVINCES and len(nation["provincial"]) == 3
    for code, workbook in nation["provincial"].items():
        name = nation["names"][code]
        totals = {sheet: _total_row(workbook, sheet, columns) for sheet, columns in PROVINCIAL_LAYOUT.items()}
        violence = _total_row(workbook, "Biểu 2", GBV_COLUMNS, VIOLENCE_LABEL)
        plan = _plan_rows(workbook)
        checked = 0
        for figure in figures:
            national = _cell(sheets, figure, name)
            if figure["figure_code"] in PROVINCIAL_CELLS:
                sheet, key = PROVINCIAL_CELLS[figure["figure_code"]]
                expected = _blank(totals[sheet][key])
            elif figure["figure_code"] in VIOLENCE_CELLS:
                expected = _blank(violence[VIOLENCE_CELLS[figure["figure_code"]]])
            elif figure["figure_code"] == "TARGETS_NOT_MET":
                expected = sum(1 for row in plan.values() if row["assessment"] == "Chưa đạt")
            else:
                target = plan[figure["figure_label_vi"]]
                expected = _blank(target["result"])
                row = sheets["Chỉ tiêu"][name]
                (goal,) = [key for key in row if key[0].startswith(figure["figure_label_vi"]) and key[1] == "Chỉ tiêu"]
                (verdict,) = [key for key in row if key[0] == goal[0] and key[1] == "Đánh giá"]
                assert _blank(row[goal]) == _blank(target["goal"]), (code, figure["figure_code"])
                assert _blank(row[verdict]) == _blank(target["assessment"]), (code, figure["figure_code"])
                # the units met / assessed the nation's share sums are the province's Biểu 6 counts
                mart = nation["mart"]
                (own,) = mart[(mart["province_code"] == code) & (mart["figure_code"] == figure["figure_code"])].to_dict(
                    "records"
                )
                for part, key in (("numerator", "units_met"), ("denominator", "units_assessed")):
                    assert _blank(target[key]) == (None if pd.isna(own[part]) else own[part]), (code, key)
            if isinstance(expected, float) and national is not None:
                assert national == pytest.approx(expected, abs=1e-12), (code, figure["figure_code"])
            else:
                assert national == expected, (code, figure["figure_code"])
            checked += 1
        assert checked == len(figures) >= 30


def test_the_page_shows_every_target_chart_and_the_nations_figures(nation):
    html = nation["html"].read_text(encoding="utf-8")
    figures = _figures(nation["mart"])
    targets = [f for f in figures if f["figure_group_code"] == "CHI_TIEU" and f["value_kind"] == "share"]
    assert html.count('<figure data-chart="') == len(targets) == 11
    assert 'src="http' not in html and "<link" not in html and "<script" not in html
    nation_rate = next(f for f in figures if f["figure_code"] == "REPORTING_RATE")["value"]
    assert f'data-figure="TOAN_QUOC/REPORTING_RATE">{vnformat.percent(nation_rate)}<' in html
    assert "Toàn quốc" in html and "Tỉnh, thành phố chưa đạt chỉ tiêu" in html


# --------------------------------------------------------------------------------------------------
# The fast tier: the frame and its labels, on hand-built rows


GROUP_LABELS = {"BAO_CAO": "Tình hình nộp báo cáo", "CHI_TIEU": "Kết quả thực hiện các chỉ tiêu"}


def _row(province, code, group, order, label, kind, value, *, target=None, level=None, is_met=None):
    return {
        "province_code": province, "is_nation": province == "TOAN_QUOC", "figure_group_code": group,
        "figure_group_label_vi": GROUP_LABELS[group],
        "figure_code": code, "figure_order": order, "figure_label_vi": label, "value_kind": kind,
        "is_additive": kind == "count", "value": value, "numerator": None, "denominator": None,
        "target_value": target, "target_level_vi": level, "is_met": is_met, "as_of_date": AS_OF,
    }  # fmt: skip


def _hand_built() -> NationalData:
    rows = []
    for province, expected, share, met in (("P02", 3, 0.5, False), ("24", 2, 1.0, True), ("TOAN_QUOC", 5, 0.7, False)):
        rows.append(_row(province, "UNITS_EXPECTED", "BAO_CAO", 1001, "Số đơn vị phải báo cáo", "count", expected))
        rows.append(
            _row(province, "BAN", "CHI_TIEU", 4009, "Ban VSTBPN", "share", share, target=1.0, level="100%", is_met=met)
        )
    names = {"24": "Bắc Ninh", "P02": "Tỉnh mẫu 02", "TOAN_QUOC": "Toàn quốc"}
    return NationalData(YEAR, PERIOD, pd.DataFrame(rows), names, AS_OF)


@pytest.mark.fast
def test_frames_order_provinces_by_code_with_the_nation_last_and_label_targets():
    data = _hand_built()
    (reporting, _, reporting_figures), (targets, _, target_figures) = groups(data)
    assert (reporting, targets) == ("BAO_CAO", "CHI_TIEU")

    frame = group_frame(data, reporting_figures)
    assert list(frame["label"]) == ["Bắc Ninh", "Tỉnh mẫu 02", "Toàn quốc"]
    assert list(frame["row_kind"]) == ["item", "item", "total"]
    assert list(frame["stt"]) == ["1", "2", ""]
    assert list(frame["UNITS_EXPECTED"]) == [2, 3, 5]  # the mart's values, the nation's not summed here

    columns = group_columns(target_figures)
    assert [(col.key, col.header, col.kind, col.group) for col in columns[2:]] == [
        ("BAN.value", "Kết quả", "pct", "Ban VSTBPN (100%)"),
        ("BAN.target", "Chỉ tiêu", "pct", "Ban VSTBPN (100%)"),
        ("BAN.assessment", "Đánh giá", "text", "Ban VSTBPN (100%)"),
    ]
    frame = group_frame(data, target_figures)
    assert list(frame["BAN.assessment"]) == ["Đạt", "Chưa đạt", "Chưa đạt"]
    assert list(frame["BAN.value"]) == [1.0, 0.5, 0.7]


@pytest.mark.fast
def test_a_failed_render_leaves_no_file(tmp_path):
    data = _hand_built()
    data.figures = data.figures.drop(columns=["value_kind"])  # a mart the renderer cannot read
    with pytest.raises(KeyError):
        render_national(data, tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.fast
def test_the_hand_built_roll_up_renders_both_files(tmp_path):
    written = render_national(_hand_built(), tmp_path)
    rows = CalamineWorkbook.from_path(str(written["workbook"])).get_sheet_by_name("Chỉ tiêu").to_python()
    assert rows[FIRST_DATA_ROW][:5] == ["1", "Bắc Ninh", 1.0, 1.0, "Đạt"]
    assert rows[FIRST_DATA_ROW + 2][1] == "Toàn quốc"
    html = written["html"].read_text(encoding="utf-8")
    assert 'data-figure="TOAN_QUOC/BAN.value">70,0%<' in html
    assert 'data-behind="BAN"' in html and "Tỉnh mẫu 02" in html
