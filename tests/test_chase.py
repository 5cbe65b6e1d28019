"""The chase list and the draft reminder letter name exactly the missing, late and rejected units of a
generated inbox (expected statuses from the generator's manifest), plus the files no unit can be tied to.
Chase reads the marts built for its as-of date and nothing else: it refuses marts built for another date
and never runs dbt."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import unicodedata
from collections import defaultdict
from pathlib import Path

import docx
import openpyxl
import pytest
from typer.testing import CliRunner

from bdg.cli import app
from bdg.steps import run_pipeline
from bdg.transform import run_dbt
from report.chase import Province, province_name, write_chase_list
from report.letter import long_date
from sample.generate import generate_inbox

YEAR, PERIOD = 2026, "NAM"
AS_OF = dt.date(2026, 12, 21)
CHASED = ("missing", "rejected", "late")


@pytest.fixture(scope="module")
def chased(tmp_path_factory):
    root = tmp_path_factory.mktemp("chase")
    generated = generate_inbox(
        root / "inbox", provinces=1, units_per_province=24, year=YEAR, report_type=PERIOD,
        late_rate=0.2, missing_rate=0.1, bad_rate=0.3, seed=21,
    )  # fmt: skip
    result = run_pipeline(root / "inbox", root / "out", root / "bdg.duckdb", generated.reference_dir, AS_OF)
    chase = write_chase_list(result.warehouse, YEAR, PERIOD, root / "chase", AS_OF)
    by_status = defaultdict(set)
    for unit in generated.manifest["units"]:
        by_status[unit["expected_status"]].add(unit["unit_code"])
    return root, generated.manifest, result, chase, by_status


def test_the_inbox_has_units_to_chase_of_every_kind(chased):
    *_, by_status = chased
    assert all(by_status[status] for status in CHASED)


def test_the_chase_list_names_exactly_the_missing_late_and_rejected_units(chased):
    _, manifest, _, chase, by_status = chased
    assert {status: set(codes) for status, codes in chase["unit_codes"].items()} == {
        status: by_status[status] for status in CHASED
    }
    days_late = {u["unit_code"]: u["days_late"] for u in manifest["units"] if u["expected_status"] == "late"}
    assert {u["unit_code"]: u["days"] for u in chase["units"] if u["status"] == "late"} == days_late

    sheet = openpyxl.load_workbook(chase["xlsx"])["DonDoc"]
    header = [cell.value for cell in sheet[4]]
    rows = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=5, values_only=True)]
    assert {(row["Mã đơn vị"], row["Trạng thái"]) for row in rows} == {
        (code, status) for status in CHASED for code in by_status[status]
    }
    for row in rows:
        assert row["Lý do"]
        if row["Trạng thái"] == "rejected":
            assert row["Tệp bị từ chối"] and "[MISSING_SHEET]" in row["Lỗi của tệp"]
        if row["Trạng thái"] == "late":
            assert row["Số ngày muộn / quá hạn"] == days_late[row["Mã đơn vị"]]
        if row["Trạng thái"] == "missing":
            assert row["Số ngày muộn / quá hạn"] == (AS_OF - dt.date(YEAR, 11, 30)).days


def test_rejected_files_without_a_unit_are_listed_with_their_errors(chased):
    _, manifest, _, chase, _ = chased
    unattributed = {
        f["file"]: f["kind"]
        for u in manifest["units"]
        for f in u["files"]
        if f["kind"] in ("UNREADABLE", "UNKNOWN_UNIT")
    }
    assert unattributed
    assert set(chase["unattributed_files"]) == set(unattributed)
    sheet = openpyxl.load_workbook(chase["xlsx"])["TepBiTuChoi"]
    header = [cell.value for cell in sheet[4]]
    rows = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=5, values_only=True)]
    listed = {row["Tệp"]: row for row in rows}
    for name, kind in unattributed.items():
        assert listed[name]["Mã lỗi"] == kind
        assert listed[name]["Chi tiết lỗi"].startswith(f"[{kind}]")


def _addressees(document) -> dict[str, list[str]]:
    """The 'Kính gửi:' block: group heading → unit names."""
    groups, current, inside = {}, None, False
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if text == "Kính gửi:":
            inside = True
            continue
        if not inside:
            continue
        if not text:
            break
        if text.startswith("- "):
            groups[current].append(text[2:].rstrip(";."))
        else:
            current = text
            groups[current] = []
    return groups


def test_the_letter_is_addressed_to_exactly_those_units_grouped_by_status(chased):
    _, manifest, _, chase, by_status = chased
    names = {u["unit_code"]: unicodedata.normalize("NFC", u["unit_name"]) for u in manifest["units"]}
    document = docx.Document(chase["docx"])
    groups = _addressees(document)
    headings = {"missing": "chưa gửi báo cáo", "rejected": "bị từ chối", "late": "gửi báo cáo muộn"}
    for status, words in headings.items():
        (heading,) = [h for h in groups if words in h]
        assert sorted(groups[heading]) == sorted(names[code] for code in by_status[status])
        assert f"({len(by_status[status])} đơn vị)" in heading
    assert len(groups) == 3


def test_the_letter_follows_the_administrative_form(chased):
    *_, chase, _ = chased
    document = docx.Document(chase["docx"])
    head = [p.text for cell in document.tables[0].rows[0].cells for p in cell.paragraphs]
    assert head[:2] == ["UBND TỈNH BẮC NINH", "SỞ NỘI VỤ"]
    assert any(line.startswith("Số:") and "/SNV-" in line for line in head)
    assert "V/v đôn đốc gửi báo cáo công tác bình đẳng giới năm 2026" in head
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in head and "Độc lập - Tự do - Hạnh phúc" in head
    assert "Bắc Ninh, ngày 21 tháng 12 năm 2026" in head
    foot = [p.text for cell in document.tables[1].rows[0].cells for p in cell.paragraphs]
    assert foot[0] == "Nơi nhận:" and "- Như trên;" in foot
    body = "\n".join(p.text for p in document.paragraphs)
    assert "21/12/2026" in body and "30/11/2026" in body
    assert unicodedata.is_normalized("NFC", body + "".join(head + foot))
    assert document.styles["Normal"].font.name == "Times New Roman"
    sizes = {run.font.size.pt for p in document.paragraphs for run in p.runs if run.font.size}
    assert sizes <= {12, 13, 14}


def test_bdg_chase_command_writes_both_files(chased, tmp_path):
    root, _, result, _, by_status = chased
    out = tmp_path / "chase"
    run = CliRunner().invoke(
        app,
        ["chase", "--year", str(YEAR), "--period", PERIOD, "--as-of", AS_OF.isoformat(), "--out", str(out),
         "--warehouse", str(result.warehouse)],
    )  # fmt: skip
    assert run.exit_code == 0, run.output
    assert (out / "don_doc_bdg_2026_NAM.xlsx").stat().st_size > 0
    assert (out / "cong_van_don_doc_bdg_2026_NAM.docx").stat().st_size > 0
    assert f"{len(by_status['missing'])} chưa gửi" in run.output


def test_an_earlier_as_of_date_judges_the_past(chased, tmp_path):
    root, manifest, result, _, _ = chased
    warehouse = tmp_path / "bdg.duckdb"
    shutil.copy(result.warehouse, warehouse)
    # the caller rebuilds the marts for its date (chase never runs dbt)
    marts = ["+rpt_reporting_status", "+rpt_chase_units", "+rpt_chase_rejected_files"]
    run_dbt(["run", "--select", *marts], warehouse, dt.date(2026, 11, 20))
    before_due = write_chase_list(warehouse, YEAR, PERIOD, tmp_path / "chase", dt.date(2026, 11, 20))
    # Before the due date nobody is missing or late yet: those units are pending, and never named.
    assert before_due["unit_codes"]["missing"] == [] and before_due["unit_codes"]["late"] == []


@pytest.mark.parametrize(
    ("code", "unit_names", "expected"),
    [
        ("24", [], "Bắc Ninh"),
        ("P02", [], "Tỉnh mẫu 02"),
        ("99", ["Công an tỉnh Lào Cai", "Sở Y tế", "Hội Nông dân tỉnh Lào Cai"], "Lào Cai"),
        ("99", ["Sở Y tế"], "……"),
    ],
)
def test_province_name(code, unit_names, expected):
    assert province_name(code, unit_names) == expected


def test_issuing_authority_and_dates_follow_the_decree():
    assert Province("01", "Hà Nội").authority == "UBND THÀNH PHỐ HÀ NỘI"
    assert Province("P03", "Tỉnh mẫu 03").authority == "UBND TỈNH MẪU 03"
    assert long_date(dt.date(2027, 1, 5)) == "ngày 05 tháng 01 năm 2027"
    assert long_date(dt.date(2026, 5, 3)) == "ngày 03 tháng 5 năm 2026"


def test_marts_built_for_another_date_are_refused_and_nothing_is_written(chased, tmp_path, monkeypatch):
    *_, result, _, _ = chased

    def no_dbt(*args, **kwargs):
        raise AssertionError("chase must not run dbt")

    monkeypatch.setattr("bdg.transform.run_dbt", no_dbt)
    with pytest.raises(ValueError, match="21/12/2026.*05/12/2026"):
        write_chase_list(result.warehouse, YEAR, PERIOD, tmp_path / "chase", dt.date(2026, 12, 5))
    assert not (tmp_path / "chase").exists() or not any((tmp_path / "chase").iterdir())


CHASE_MODULES = ("chase.py", "chase_units.py", "letter.py")


@pytest.mark.parametrize("module", CHASE_MODULES)
def test_chase_reads_only_rpt_and_dim_marts_and_imports_no_pipeline(module):
    source = (Path(__file__).parents[1] / "report" / module).read_text(encoding="utf-8")
    schemas = "marts|intermediate|staging|raw|reference|dq|main"
    tables = set(re.findall(rf"\b(?:from|join)\s+((?:{schemas})\.\w+)", source))
    assert bool(tables) == (module == "chase.py")  # only chase.py reads the warehouse
    assert all(re.fullmatch(r"marts\.(?:rpt|dim)_[a-z_]+", table) for table in tables), tables
    assert not re.search(r"^\s*(?:from|import) (?:bdg|expectations|dbt)\b", source, re.MULTILINE)
    assert "ZoneInfo(" not in source  # the time zone is ingest.periods.LOCAL_TZ
    assert len(source.splitlines()) < 600
