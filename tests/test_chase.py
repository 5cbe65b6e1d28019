"""The chase list and the draft reminder letter name exactly the missing, late and rejected units of a
generated inbox (expected statuses from the generator's manifest), plus the files no unit can be tied to.
Chase reads the marts built for its as-of date and nothing else: it refuses marts built for another date
and never runs dbt.

The chase letter tells the truth (issue 14): a rejected file naming no registered unit is tied to its likely
unit and dropped once that unit has an accepted report; a unit that sent only such a file is told it sent
an unreadable file, not that it sent nothing; 'Kính gửi' names only the units that still must act; a letter
written after the deadline says so; every document names the province."""

from __future__ import annotations

import csv
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
from bdg.steps import report_outputs, run_pipeline
from bdg.transform import run_dbt
from expectations.reporting import unattributed_rejected_files
from ingest.warehouse import connect
from report.chase import Province, province_name, write_chase_list
from report.letter import long_date
from report.provinces import authority_of
from sample.generate import generate_inbox

YEAR, PERIOD = 2026, "NAM"
AS_OF = dt.date(2026, 12, 21)
DEADLINE = dt.date(2026, 11, 30)
CHASED = ("missing", "rejected", "late")
# the chase workbook prints a status as the seed names it
with (Path(__file__).parents[1] / "dbt_project" / "seeds" / "reporting_statuses.csv").open(encoding="utf-8") as _seed:
    STATUS_CODE = {row["status_name_vi"]: row["status_code"] for row in csv.DictReader(_seed)}
UNATTRIBUTED_KINDS = ("UNREADABLE", "UNKNOWN_UNIT")  # bad files that name no registered unit


def _plant_unreadable_file(generated) -> str:
    """Make one on-time commune's only file unreadable (its name still says which commune sent it, and it
    arrived before the deadline), so the unit sent but has no accepted report; returns its code."""
    unit = next(
        u
        for u in generated.manifest["units"]
        if u["unit_kind"] == "XA" and u["expected_status"] == "on_time" and len(u["files"]) == 1
        and not u["files"][0]["file"].startswith("BDG-1_")
    )  # fmt: skip
    (generated.out_dir / unit["files"][0]["file"]).write_bytes(b"day khong phai bang tinh\n")
    unit["files"][0]["kind"], unit["expected_status"] = "UNREADABLE", "missing"
    return unit["unit_code"]


def _sent_only_unattributed(unit: dict) -> bool:
    """A unit without an accepted report whose files all name no registered unit: it did send."""
    return unit["expected_status"] == "missing" and any(f["kind"] in UNATTRIBUTED_KINDS for f in unit["files"])


@pytest.fixture(scope="module")
def chased(tmp_path_factory):
    """(root, manifest, pipeline result, chase result, unit codes by chase status): a unit that sent only
    files naming no registered unit is chased as `rejected`, though the manifest says `missing`."""
    root = tmp_path_factory.mktemp("chase")
    generated = generate_inbox(
        root / "inbox", provinces=1, units_per_province=24, year=YEAR, report_type=PERIOD,
        late_rate=0.2, missing_rate=0.1, bad_rate=0.3, seed=21,
    )  # fmt: skip
    _plant_unreadable_file(generated)
    result = run_pipeline(root / "inbox", root / "out", root / "bdg.duckdb", generated.reference_dir, AS_OF)
    chase = write_chase_list(result.warehouse, YEAR, PERIOD, root / "chase", AS_OF)
    by_status = defaultdict(set)
    for unit in generated.manifest["units"]:
        by_status["rejected" if _sent_only_unattributed(unit) else unit["expected_status"]].add(unit["unit_code"])
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

    rows = _sheet_rows(chase["xlsx"], "DonDoc")
    assert {(row["Mã đơn vị"], row["Trạng thái"]) for row in rows} == {
        (code, status) for status in CHASED for code in by_status[status]
    }
    for row in rows:
        assert row["Lý do"]
        if row["Trạng thái"] == "rejected":
            assert row["Tệp bị từ chối"]
            assert re.search(r"\[(MISSING_SHEET|UNREADABLE|UNKNOWN_UNIT)\]", row["Lỗi của tệp"])
        if row["Trạng thái"] == "late":
            assert row["Số ngày muộn / quá hạn"] == days_late[row["Mã đơn vị"]]
        if row["Trạng thái"] == "missing":
            assert row["Số ngày muộn / quá hạn"] == (AS_OF - dt.date(YEAR, 11, 30)).days


def test_rejected_files_without_a_unit_are_listed_with_their_errors(chased):
    _, manifest, _, chase, _ = chased
    # only those whose sender has not sent a valid report since
    unattributed = {
        f["file"]: f["kind"]
        for u in manifest["units"]
        for f in u["files"]
        if f["kind"] in UNATTRIBUTED_KINDS and u["expected_status"] not in ("on_time", "late")
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
    headings = {"missing": "chưa gửi báo cáo", "rejected": "bị từ chối"}
    for status, words in headings.items():
        (heading,) = [h for h in groups if words in h]
        assert sorted(groups[heading]) == sorted(names[code] for code in by_status[status])
        assert f"({len(by_status[status])} đơn vị)" in heading
    assert len(groups) == 2


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
    assert "21/12/2026" in body and "30/11/2026" in body and "28/12/2026" in body
    assert unicodedata.is_normalized("NFC", body + "".join(head + foot))
    assert document.styles["Normal"].font.name == "Times New Roman"
    sizes = {run.font.size.pt for p in document.paragraphs for run in p.runs if run.font.size}
    assert sizes <= {12, 13, 14}


# --- the chase letter and list tell the truth (issue 14) ------------------------------------------------


def _sheet_rows(path: Path, name: str) -> list[dict]:
    """A sheet's rows as dicts; DonDoc's Vietnamese status (as the seed names it) read back as its code."""
    sheet = openpyxl.load_workbook(path)[name]
    header = [cell.value for cell in sheet[4]]
    rows = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=5, values_only=True)]
    if name == "DonDoc":
        for row in rows:
            assert row["Trạng thái"] in STATUS_CODE, row["Trạng thái"]  # never a code: a person reads it
            row["Trạng thái"] = STATUS_CODE[row["Trạng thái"]]
    return rows


def _letter_text(path: Path) -> tuple[str, list[list[str]]]:
    """The letter's paragraphs (one text) and every table row after the head and foot (the appendix)."""
    document = docx.Document(path)
    rows = [[cell.text for cell in row.cells] for table in document.tables[2:] for row in table.rows]
    return "\n".join(p.text for p in document.paragraphs), rows


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _short(unit_name: str) -> str:
    return _nfc(unit_name).removeprefix("UBND ")


def test_a_rejected_file_naming_no_unit_is_tied_to_its_likely_unit_and_named_in_the_letter(chased):
    _, manifest, result, chase, _ = chased
    senders = {_nfc(f["file"]): u for u in manifest["units"] for f in u["files"] if f["kind"] in UNATTRIBUTED_KINDS}
    with connect(result.warehouse, read_only=True) as con:
        likely = dict(
            con.execute(
                "select file_name, likely_unit_code from marts.rpt_rejected_files where not is_attributed"
            ).fetchall()
        )
    # every one found, by a code without its hyphen, a code in the file name or the commune's name
    assert {_nfc(name): code for name, code in likely.items()} == {n: u["unit_code"] for n, u in senders.items()}

    body, _ = _letter_text(chase["docx"])
    listed = {_nfc(row["Tệp"]): row for row in _sheet_rows(chase["xlsx"], "TepBiTuChoi")}
    assert chase["unattributed_files"]
    for name in chase["unattributed_files"]:
        unit = senders[_nfc(name)]
        assert f"tệp “{_nfc(name)}” có thể của {_short(unit['unit_name'])}" in body
        assert f"có thể của {_short(unit['unit_name'])}" in listed[_nfc(name)]["Đơn vị"]


def test_a_rejected_file_is_dropped_once_its_unit_has_an_accepted_report(chased):
    _, manifest, result, chase, _ = chased
    resolved = {
        _nfc(f["file"])
        for u in manifest["units"]
        if u["expected_status"] in ("on_time", "late")
        for f in u["files"]
        if f["kind"] in UNATTRIBUTED_KINDS
    }
    assert resolved  # units whose bad file was followed by a valid one
    body, appendix = _letter_text(chase["docx"])
    listed = {_nfc(row["Tệp"]) for row in _sheet_rows(chase["xlsx"], "TepBiTuChoi")}
    assert not resolved & ({_nfc(name) for name in chase["unattributed_files"]} | listed)
    assert not any(name in body or name in cell for name in resolved for row in appendix for cell in row)
    with connect(result.warehouse, read_only=True) as con:
        expectation = {_nfc(name) for name in unattributed_rejected_files(con, YEAR, PERIOD)["file_name"]}
        recorded = {_nfc(name) for (name,) in con.execute("select file_name from marts.rpt_rejected_files").fetchall()}
    assert expectation and not resolved & expectation  # the expectation reads the same rule
    assert resolved <= recorded  # still recorded as rejected files


def test_a_unit_whose_only_file_was_unreadable_is_told_it_sent_one(chased):
    _, manifest, result, chase, _ = chased
    sent = {u["unit_code"]: u for u in manifest["units"] if _sent_only_unattributed(u)}
    unreadable = {code for code, u in sent.items() if [f["kind"] for f in u["files"]] == ["UNREADABLE"]}
    assert unreadable  # the planted commune
    rows = {row["Mã đơn vị"]: row for row in _sheet_rows(chase["xlsx"], "DonDoc")}
    _, appendix = _letter_text(chase["docx"])
    for code, unit in sent.items():
        row = rows[code]
        assert row["Trạng thái"] == "rejected" and row["Tình trạng"].startswith("Đã gửi nhưng tệp")
        assert "Chưa gửi" not in row["Lý do"]
        assert row["Tệp bị từ chối"].split("\n") == [f["file"] for f in unit["files"]]
        (letter_row,) = [cells for cells in appendix if cells[1].endswith(f"({code})")]
        assert letter_row[2] == row["Tình trạng"] and letter_row[4].startswith(row["Lý do"])
    for code in unreadable:
        received = dt.datetime.fromisoformat(sent[code]["files"][0]["received_at"]).date()
        assert received <= DEADLINE  # sent in time, but unreadable
        assert rows[code]["Tình trạng"] == "Đã gửi nhưng tệp không đọc được"
        assert rows[code]["Lý do"] == (
            f"Đã gửi tệp ngày {received:%d/%m/%Y} nhưng tệp không đọc được, chưa gửi lại tệp hợp lệ; "
            "quá hạn 21 ngày (hạn 30/11/2026)"
        )
    with connect(result.warehouse, read_only=True) as con:
        statuses = dict(
            con.execute(
                "select unit_code, status from marts.rpt_reporting_status where report_year = ? and report_type = ?",
                [YEAR, PERIOD],
            ).fetchall()
        )
    assert {statuses[code] for code in sent} == {"missing"}  # the statuses of Biểu 5 are not a likelihood


def test_kinh_gui_names_only_the_units_that_still_must_act(chased):
    _, manifest, _, chase, by_status = chased
    names = {u["unit_code"]: _nfc(u["unit_name"]) for u in manifest["units"]}
    addressed = {name for group in _addressees(docx.Document(chase["docx"])).values() for name in group}
    assert addressed == {names[code] for code in by_status["missing"] | by_status["rejected"]}
    assert by_status["late"] and not addressed & {names[code] for code in by_status["late"] | by_status["on_time"]}
    _, appendix = _letter_text(chase["docx"])
    assert all(any(cells[1].endswith(f"({code})") for cells in appendix) for code in by_status["late"])


def test_a_letter_written_after_the_deadline_says_it_passed_and_sets_a_reply_date(chased):
    *_, chase, _ = chased
    body, _ = _letter_text(chase["docx"])
    assert "trước ngày 30/11/2026" not in body
    assert "chậm nhất ngày 30/11/2026. Đến nay đã quá thời hạn 21 ngày." in body
    requests = re.findall(r"^\d\. .*$", body, re.MULTILINE)
    assert len(requests) == 3  # missing, rejected, the files no unit could be tied to; late units are not asked
    assert all("chậm nhất ngày 28/12/2026" in request for request in requests)


def test_every_document_names_the_province(chased, tmp_path):
    *_, result, chase, _ = chased
    outputs = report_outputs(result.warehouse, YEAR, PERIOD, tmp_path)
    html = outputs["html"].read_text(encoding="utf-8")
    assert '<div class="agency">UBND TỈNH BẮC NINH<b>SỞ NỘI VỤ</b></div>' in html
    narrative = docx.Document(outputs["narrative"])
    head = [p.text for cell in narrative.tables[0].rows[0].cells for p in cell.paragraphs]
    assert head[0] == "UBND TỈNH BẮC NINH" and "Bắc Ninh, ngày    tháng    năm 2026" in head
    letter = docx.Document(chase["docx"])
    assert letter.tables[0].rows[0].cells[0].paragraphs[0].text == "UBND TỈNH BẮC NINH"
    assert not any("…" in line for line in head[:2])


def test_a_warehouse_of_several_provinces_is_headed_for_all_of_them():
    assert authority_of([Province("24", "Bắc Ninh")]) == "UBND TỈNH BẮC NINH"
    assert authority_of([Province("24", "Bắc Ninh"), Province("P02", "Tỉnh mẫu 02")]) == "UBND CÁC TỈNH, THÀNH PHỐ"


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
    # and the letter asks for the reports by the deadline, which has not passed
    body = "\n".join(p.text for p in docx.Document(before_due["docx"]).paragraphs)
    assert "quá thời hạn" not in body and "27/11/2026" not in body
    assert before_due["unit_codes"]["rejected"] and "chậm nhất ngày 30/11/2026" in body


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
