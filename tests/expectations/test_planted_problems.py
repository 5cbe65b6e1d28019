"""Every kind of data-quality problem, planted in a generated inbox, is named by the exact expectation,
severity and unit; the same inbox without plants yields no finding at all (no false alarms).

The inbox: a generated province (40 units) for the annual report 2027, plus, built from each unit's own
generated content, its annual reports 2024–2026 (history for the outlier check) and its 6-month report
2027 (the activities up to 14/5, for the annual ≥ 6-month check). The generator's allocations (ChiTieu
«Kinh phí bố trí cho bình đẳng giới») cover what the activities cost, so only planted overspending is
found. The planted copy changes a few units (`sample.flaws.Inbox` rewrites their files).
"""

from __future__ import annotations

import copy
import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest

from bdg.steps import check_step, ingest_step, transform_step
from expectations.checks import vn_number
from ingest.form_writer import FormContent
from sample.flaws import MEDIA, TRAFFICKING_127, Inbox
from sample.generate import generate_inbox

YEAR, PERIOD = 2027, "NAM"
AS_OF = dt.date(2027, 12, 21)
PERIOD_END_6T = dt.date(2027, 5, 14)
HISTORY_YEARS = (2024, 2025, 2026)


def _shifted(content: FormContent, years: int) -> FormContent:
    shifted = copy.deepcopy(content)
    for row in shifted.activities:
        row["activity_date"] = row["activity_date"].replace(year=row["activity_date"].year - years)
    if shifted.indicators.get("NGAY_KIEN_TOAN"):
        day = shifted.indicators["NGAY_KIEN_TOAN"]
        shifted.indicators["NGAY_KIEN_TOAN"] = day.replace(year=day.year - years)
    return shifted


def _six_month(content: FormContent) -> FormContent:
    half = copy.deepcopy(content)
    half.activities = [row for row in half.activities if row["activity_date"] <= PERIOD_END_6T]
    return half


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    root = tmp_path_factory.mktemp("dq_base")
    generated = generate_inbox(
        root / "inbox", provinces=1, units_per_province=40, year=YEAR, report_type=PERIOD,
        late_rate=0, missing_rate=0, bad_rate=0, seed=3, resubmit_rate=0,
    )  # fmt: skip
    inbox = Inbox(root / "inbox", generated.manifest)
    for code in inbox.units:
        content = inbox.content(code)
        for year in HISTORY_YEARS:
            inbox.write(code, f"lich_su_{code}_{year}.xlsx", year, "NAM", _shifted(content, YEAR - year),
                        f"{year}-11-25T10:00:00+07:00")  # fmt: skip
        inbox.write(code, f"sau_thang_{code}_{YEAR}.xlsx", YEAR, "6T", _six_month(content),
                    f"{YEAR}-05-25T10:00:00+07:00")  # fmt: skip
        inbox.write(code, inbox.annual_file(code), YEAR, PERIOD, content, inbox.received[inbox.annual_file(code)])
    # A correct totals row must not be flagged: one commune types "Tổng cộng" under its activities.
    code = _communes(inbox)[-1]
    content = inbox.content(code)
    total = sum(row["participants_total"] or 0 for row in content.activities)
    content.activities.append({"item_no": "Tổng cộng", "participants_total": total})
    inbox.write(code, inbox.annual_file(code), YEAR, PERIOD, content, inbox.received[inbox.annual_file(code)])
    inbox.save_received()
    return root, generated, inbox


def _communes(inbox: Inbox) -> list[str]:
    return sorted(code for code, unit in inbox.units.items() if unit["unit_kind"] == "XA")


def _run(root: Path, inbox_dir: Path, reference: Path) -> dict:
    warehouse = root / "bdg.duckdb"
    ingest_step(warehouse, inbox_dir, reference)
    transform_step(warehouse, AS_OF)
    return check_step(warehouse, AS_OF, root / "out")


def _found(result: dict) -> set[tuple[str, str, str | None]]:
    return {(f["expectation"], f["severity"], f["unit_code"]) for f in result["findings"]}


def test_a_clean_inbox_yields_no_findings(base, tmp_path):
    root, generated, inbox = base
    result = _run(tmp_path, inbox.path, generated.reference_dir)

    assert result["findings"] == []
    assert result["counts"] == {"error": 0, "warning": 0}
    assert result["publishable"] is True
    assert {row["suite"] for row in result["by_expectation"]} == {  # every suite ran
        "reporting_completeness", "report_validity", "report_consistency", "report_outliers", "plan_tasks",
    }  # fmt: skip


@pytest.fixture(scope="module")
def planted(base, tmp_path_factory):
    root, generated, clean = base
    work = tmp_path_factory.mktemp("dq_planted")
    shutil.copytree(clean.path, work / "inbox")
    inbox = Inbox(work / "inbox", generated.manifest)
    inbox.received = dict(clean.received)
    communes, expected = _communes(inbox), set()
    pick = iter(communes[:-1])  # the last commune carries the correct totals row
    wards = iter(sorted(code for code, unit in inbox.units.items() if unit["unit_kind"] == "PHUONG"))

    def rewrite(code: str, content: FormContent, **kwargs) -> None:
        name = inbox.annual_file(code)
        inbox.write(code, name, YEAR, PERIOD, content, inbox.received[name], **kwargs)

    def plant_activity(name: str, severity: str, change, row_filter=lambda row: True, units=pick) -> str:
        for code in units:
            content = inbox.content(code)
            rows = [row for row in content.activities if row["activity_type_code"] not in MEDIA and row_filter(row)]
            if rows:
                change(rows[0])
                rewrite(code, content)
                expected.add((name, severity, code))
                return code
        raise AssertionError(f"no unit to plant {name}")

    def plant_row(table: str, name: str, change) -> None:
        code = next(pick)
        content = inbox.content(code)
        change(getattr(content, table)[0])
        rewrite(code, content)
        expected.add((name, "error", code))

    plant_activity(
        "female_participants_not_above_total",
        "error",
        lambda row: row.update(participants_female=row["participants_total"] + 5, participants_male=None),
    )
    plant_activity(
        "female_plus_male_equals_total", "error", lambda row: row.update(participants_male=row["participants_male"] + 3)
    )
    plant_activity(
        "activity_date_inside_period", "warning", lambda row: row.update(activity_date=dt.date(YEAR, 11, 24))
    )
    # Budget typed in millions ("15" for 15 triệu), on a row after the 6-month period (6-month sums unchanged).
    plant_activity(
        "budget_plausible",
        "warning",
        lambda row: row.update(budget_vnd=15),
        row_filter=lambda row: row["activity_date"] > PERIOD_END_6T and row["budget_vnd"],
    )
    plant_row(
        "gbv_cases", "cases_handled_not_above_detected", lambda row: row.update(cases_handled=row["cases_detected"] + 2)
    )
    plant_row(
        "gbv_cases",
        "victims_supported_not_above_victims",
        lambda row: row.update(victims_supported=row["victims_female"] + row["victims_male"] + 1),
    )
    plant_row(
        "gbv_cases",
        "child_victims_not_above_victims",
        lambda row: row.update(victims_children=row["victims_female"] + row["victims_male"] + 1),
    )
    plant_row(
        "leadership",
        "female_leaders_not_above_leaders",
        lambda row: row.update(leaders_female=row["leaders_total"] + 1),
    )
    plant_row(
        "leadership",
        "pool_female_not_above_pool_total",
        lambda row: row.update(pool_female=row["pool_total"] + 1, pool_female_trained=row["pool_total"] + 1),
    )
    plant_row("leadership", "pool_trained_not_above_pool_female",
              lambda row: row.update(pool_female_trained=row["pool_female"] + 1))  # fmt: skip

    # A totals row that does not equal the rows above it.
    code = next(pick)
    content = inbox.content(code)
    total = sum(row["participants_total"] or 0 for row in content.activities)
    content.activities.append({"item_no": "Tổng cộng", "participants_total": total + 7})
    rewrite(code, content)
    expected.add(("totals_row_equals_sum", "error", code))

    # The annual report drops the activities the 6-month report had.
    for code in pick:
        content = inbox.content(code)
        if _six_month(content).activities:
            content.activities = []
            rewrite(code, content)
            expected.add(("annual_not_below_six_month", "warning", code))
            break

    # Participants typed with two extra zeros: far above the unit's history and its peers.
    code = next(pick)
    content = inbox.content(code)
    for row in content.activities:
        if row["participants_total"]:
            for key in ("participants_total", "participants_female", "participants_male"):
                row[key] *= 100
    rewrite(code, content)
    expected |= {("no_outlier_against_peers", "warning", code), ("no_outlier_against_own_history", "warning", code)}

    # Activities costing twice the allocation the report states (the communes are all taken: wards).
    for overspent in wards:
        content = inbox.content(overspent)
        spent = sum(row.get("budget_vnd") or 0 for row in content.activities)
        if spent >= 1_000_000:
            allocated = content.indicators["KINH_PHI_BDG"] = spent // 200_000 * 100_000
            rewrite(overspent, content)
            expected.add(("activity_spending_not_above_allocation", "warning", overspent))
            break

    # An activity of 150 million đồng or more whose participants were typed as 1: a cost per participant far
    # above the province's like activities (after the 6-month period, a lower total is never flagged).
    dear = plant_activity(
        "cost_per_participant_not_far_above_peers",
        "warning",
        lambda row: row.update(
            participants_total=1, participants_female=1, participants_male=0, participants_ethnic_minority=0
        ),
        row_filter=lambda row: (
            row["activity_type_code"] in ("TRUYEN_THONG", "TAP_HUAN", "TOA_DAM")
            and row["activity_date"] > PERIOD_END_6T
            and (row["budget_vnd"] or 0) >= 150_000_000
        ),
        units=wards,
    )

    # 127 trafficking cases, where the province's wards report a few: against peers and own history.
    trafficking = code = next(wards)
    content = inbox.content(code)
    content.gbv_cases = [row for row in content.gbv_cases if row["case_type_code"] != "MUA_BAN_NGUOI"]
    content.gbv_cases.append(dict(TRAFFICKING_127))
    rewrite(code, content)
    expected |= {("no_outlier_against_peers", "warning", code), ("no_outlier_against_own_history", "warning", code)}

    # Reporting: a missing unit, a late one, a rejected one, one whose file names an unknown unit code.
    missing = next(pick)
    (inbox.path / inbox.annual_file(missing)).unlink()
    del inbox.received[inbox.annual_file(missing)]
    late = next(pick)
    inbox.received[inbox.annual_file(late)] = f"{YEAR}-12-04T09:00:00+07:00"
    rejected = next(pick)
    rewrite(rejected, inbox.content(rejected), omit_sheets=("VuViec",))
    unattributed = next(pick)
    rewrite(unattributed, inbox.content(unattributed), as_code=unattributed.replace("-", ""))
    expected |= {
        ("every_expected_unit_reported", "warning", missing),
        ("every_unit_reported_on_time", "warning", late),
        ("every_expected_unit_reported", "warning", rejected),
        ("every_expected_unit_reported", "warning", unattributed),
        ("every_file_attributed_to_a_unit", "warning", None),
    }
    inbox.save_received()
    result = _run(work, inbox.path, generated.reference_dir)
    return (
        work,
        result,
        expected,
        {"missing": missing, "late": late, "rejected": rejected, "unattributed": unattributed,
         "overspent": (overspent, spent, allocated), "dear": dear, "trafficking": trafficking},
    )  # fmt: skip


def test_each_planted_problem_is_named_with_its_expectation_severity_and_unit(planted):
    _, result, expected, _ = planted
    assert _found(result) == expected


def test_errors_block_publishing_and_counts_are_by_severity(planted):
    _, result, expected, _ = planted
    findings = result["findings"]
    assert result["publishable"] is False
    assert result["counts"] == {
        "error": sum(f["severity"] == "error" for f in findings),
        "warning": sum(f["severity"] == "warning" for f in findings),
    }
    assert result["counts"]["error"] == sum(severity == "error" for _, severity, _ in expected)


def test_reporting_findings_say_what_was_observed(planted):
    _, result, _, units = planted
    observed = {(f["expectation"], f["unit_code"]): f["observed"] for f in result["findings"]}
    assert observed[("every_expected_unit_reported", units["missing"])] == "missing"
    assert observed[("every_expected_unit_reported", units["rejected"])] == "rejected"
    assert observed[("every_expected_unit_reported", units["unattributed"])] == "missing"
    assert observed[("every_unit_reported_on_time", units["late"])] == "late:4"
    assert "UNKNOWN_UNIT" in observed[("every_file_attributed_to_a_unit", None)]


def test_reviewer_findings_name_the_figures(planted):
    _, result, _, units = planted
    observed: dict[tuple[str, str], list[str]] = {}
    for finding in result["findings"]:
        observed.setdefault((finding["expectation"], finding["unit_code"]), []).append(finding["observed"])
    overspent, spent, allocated = units["overspent"]
    assert observed[("activity_spending_not_above_allocation", overspent)] == [
        f"Kinh phí các hoạt động {vn_number(spent)} đồng vượt kinh phí được bố trí {vn_number(allocated)} đồng"
    ]
    (dear,) = observed[("cost_per_participant_not_far_above_peers", units["dear"])]
    assert dear.startswith("HoatDong dòng ") and " đồng / 1 người = " in dear
    for expectation in ("no_outlier_against_peers", "no_outlier_against_own_history"):
        assert any(
            text.startswith("số vụ phát hiện (Mua bán người) = 127; ")
            for text in observed[(expectation, units["trafficking"])]
        )


def test_results_are_kept_across_runs_with_the_design_columns(planted):
    work, result, _, _ = planted
    warehouse = work / "bdg.duckdb"
    again = check_step(warehouse, AS_OF, work / "out")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        columns = [row[0] for row in con.execute("describe dq.results").fetchall()]
        runs = con.execute("select count(distinct run_id) from dq.results").fetchone()[0]
        rows = con.execute(
            "select suite, expectation, severity, unit_code, report_year, report_type, observed from dq.results "
            "where run_id = ? and not success and unit_code is not null order by all",
            [again["run_id"]],
        ).fetchall()
    assert {"run_at", "run_id", "suite", "expectation", "severity", "success", "unit_code", "report_year",
            "report_type", "observed"} <= set(columns)  # fmt: skip
    assert runs == 2
    assert len(rows) == sum(f["unit_code"] is not None for f in result["findings"])
    assert all(row[4:6] == (YEAR, PERIOD) for row in rows)


def test_data_docs_and_an_offline_summary_are_written(planted):
    work, result, _, units = planted
    summary = Path(result["summary_html"])
    assert Path(result["data_docs"]).is_file()
    text = summary.read_text(encoding="utf-8")
    assert "http://" not in text and "https://" not in text and "<script" not in text
    assert units["missing"] in text and "totals_row_equals_sum" in text
    assert "Chưa được công bố" in text
