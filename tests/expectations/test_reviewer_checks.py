"""What a ministry reviewer checks: spending above the allocated budget, an activity far dearer than the
province's like activities, a case type far above the unit's peers and history.

Each test builds a real DuckDB warehouse from hand-built rows — the marts created with every column and
type of their dbt contract (`dbt_project/models/marts/<model>.yml`), so a read naming a column the marts
do not have fails here — and validates it with Great Expectations (no mocks): the planted problem is named
with its unit and figures in Vietnamese numbers, the clean rows next to it stay silent.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import duckdb
import pytest
import yaml

from expectations import activity_costs, consistency, outliers
from expectations.checks import Scope
from expectations.docs import write_summary_page
from expectations.results import DQ_DDL, write_results
from expectations.run import read_frames, validate
from expectations.suites import BATCHES

MARTS_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "models" / "marts"
MARTS = ("dim_units", "fct_submissions", "fct_activities", "fct_gbv_cases", "fct_indicators")
YEAR, PERIOD = 2027, "NAM"
SCOPE = Scope(YEAR, PERIOD)

pytestmark = pytest.mark.fast  # in-memory warehouses: the whole module runs in about ten seconds

SPENDING = tuple(batch for batch in consistency.BATCHES if batch.name == "spending_vs_allocation")


class Warehouse:
    """An in-memory warehouse with empty marts (contract columns) and helpers to add units and reports."""

    def __init__(self) -> None:
        self.con = duckdb.connect()
        self.con.execute("create schema marts")
        for model in MARTS:
            (spec,) = yaml.safe_load((MARTS_DIR / f"{model}.yml").read_text(encoding="utf-8"))["models"]
            columns = ", ".join(f'"{column["name"]}" {column["data_type"]}' for column in spec["columns"])
            self.con.execute(f"create table marts.{model} ({columns})")
        self._files = itertools.count(1)
        self._rows = itertools.count(10)

    def insert(self, table: str, **values) -> None:
        names = ", ".join(values)
        self.con.execute(
            f"insert into marts.{table} ({names}) values ({', '.join('?' * len(values))})", [*values.values()]
        )

    def unit(self, code: str, province: str = "P01", kind: str = "XA") -> str:
        self.insert("dim_units", unit_code=code, unit_name=f"Đơn vị {code}", unit_kind=kind, province_code=province)
        return code

    def report(self, code: str, year: int = YEAR, report_type: str = PERIOD, *, activities=(), cases=(), allocated=...):
        """An accepted report: activities as (activity_type_code, budget_vnd, participants_total, quantity),
        cases as {case_type_code: cases_detected}, allocated = KINH_PHI_BDG (... = no ChiTieu row)."""
        sha = f"sha{next(self._files):04d}"
        key = {"unit_code": code, "report_year": year, "report_type": report_type}
        self.insert("fct_submissions", **key, file_sha256=sha, status="loaded", is_accepted=True)
        for activity_type, budget, participants, quantity in activities:
            self.insert("fct_activities", **key, file_sha256=sha, source_row=next(self._rows),
                        activity_type_code=activity_type, budget_vnd=budget, participants_total=participants,
                        quantity=quantity, activity_date=dt.date(year, 6, 1))  # fmt: skip
        for case_type, detected in dict(cases).items():
            self.insert("fct_gbv_cases", **key, file_sha256=sha, source_row=next(self._rows),
                        case_type_code=case_type, cases_detected=detected, victims_female=detected)  # fmt: skip
        if allocated is not ...:
            self.insert("fct_indicators", **key, file_sha256=sha, source_row=next(self._rows),
                        indicator_code="KINH_PHI_BDG", value_number=allocated)  # fmt: skip
        return sha

    def validate(self, batches, scope: Scope = SCOPE):
        return validate(batches, read_frames(self.con, batches, scope), scope)


def _findings(summary) -> dict[tuple[str, str], list[str]]:
    """(expectation, unit_code) → the observed texts of its findings."""
    found: dict[tuple[str, str], list[str]] = {}
    for finding in summary.findings:
        assert finding.severity == "warning"
        found.setdefault((finding.expectation, finding.unit_code), []).append(finding.observed)
    return found


# --- spending above the allocated budget ---------------------------------------------------------------


def test_spending_above_the_allocation_names_the_unit_and_both_figures():
    warehouse = Warehouse()
    for code in ("XA-01", "XA-02", "XA-03", "XA-04", "XA-05", "XA-06"):
        warehouse.unit(code)
    # XA-01 spends 43.600.000 đồng (a blank budget counts 0) against 28.900.000 allocated.
    warehouse.report("XA-01", activities=[("TAP_HUAN", 20_000_000, 40, 1), ("TRUYEN_THONG", 23_600_000, 80, 2),
                                          ("TIN_BAI", None, None, 4)], allocated=28_900_000)  # fmt: skip
    # Its 6-month report spends less than allocated: another period, silent.
    warehouse.report("XA-01", report_type="6T", activities=[("TAP_HUAN", 10_000_000, 40, 1)], allocated=28_900_000)
    warehouse.report("XA-02", activities=[("TAP_HUAN", 28_900_000, 40, 1)], allocated=28_900_000)  # exactly spent
    warehouse.report("XA-03", activities=[("TAP_HUAN", 90_000_000, 40, 1)])  # no ChiTieu row: no allocation
    warehouse.report("XA-04", activities=[("TAP_HUAN", 90_000_000, 40, 1)], allocated=None)  # left blank
    warehouse.report("XA-05", activities=[("TAP_HUAN", 90_000_000, 40, 1)], allocated=0)  # no budget line
    warehouse.report("XA-06", allocated=5_000_000)  # no activities: nothing spent

    summary = warehouse.validate(SPENDING, Scope())

    assert _findings(summary) == {
        ("activity_spending_not_above_allocation", "XA-01"): [
            "Kinh phí các hoạt động 43.600.000 đồng vượt kinh phí được bố trí 28.900.000 đồng"
        ]
    }
    (finding,) = summary.findings
    assert (finding.suite, finding.report_year, finding.report_type) == ("report_consistency", YEAR, "NAM")
    (outcome,) = summary.outcomes
    assert outcome.observed == "1/4"  # XA-01 twice, XA-02, XA-06 compared; no allocation → not compared


def test_no_allocation_reported_means_no_overspend_finding():
    warehouse = Warehouse()
    warehouse.unit("XA-01")
    warehouse.report("XA-01", activities=[("TAP_HUAN", 500_000_000, 40, 1)])

    summary = warehouse.validate(SPENDING)

    assert summary.findings == []
    assert [outcome.observed for outcome in summary.outcomes] == ["0/0"]


# --- an activity far dearer than the province's like activities ----------------------------------------

# Thirteen commune workshops (Tập huấn) of a province: 2,4–3,6 million đồng, one session, 40–64 participants.
PEER_WORKSHOPS = [("TAP_HUAN", 2_400_000 + 100_000 * i, 40 + 2 * i, 1) for i in range(13)]


def _province_of_workshops(warehouse: Warehouse, province: str, count: int) -> list[str]:
    codes = [warehouse.unit(f"{province}-XA-{i:02d}", province) for i in range(count)]
    for code, activity in zip(codes, PEER_WORKSHOPS, strict=False):
        warehouse.report(code, activities=[activity])
    return codes


def test_an_87_million_commune_workshop_fires_on_both_costs():
    warehouse = Warehouse()
    _province_of_workshops(warehouse, "P01", 13)  # peers: 13 workshops (source rows 10–22)
    dear = warehouse.unit("P01-XA-DEAR", "P01")
    warehouse.report(dear, activities=[
        ("TAP_HUAN", 87_000_000, 50, 1),
        ("TRUYEN_THONG", 87_000_000, 50, 1),  # only 1 communication session in the province: too few peers
        ("TAP_HUAN", 100_000, 50, 1),  # a cheap workshop: low values are never flagged
        ("TAP_HUAN", 5_000_000, None, 0),  # no denominator: no cost
        ("TAP_HUAN", 0, 50, 1),  # no cost
    ])  # fmt: skip

    summary = warehouse.validate(activity_costs.BATCHES)
    found = _findings(summary)

    assert set(found) == {
        ("cost_per_session_not_far_above_peers", dear),
        ("cost_per_participant_not_far_above_peers", dear),
    }
    (per_session,) = found[("cost_per_session_not_far_above_peers", dear)]
    (per_participant,) = found[("cost_per_participant_not_far_above_peers", dear)]
    # 13 peers + the dear one + the cheap one: 15 workshops with a cost, median 3.000.000 đồng per session.
    assert per_session.startswith(
        "HoatDong dòng 23 (Tập huấn, bồi dưỡng): kinh phí 87.000.000 đồng / 1 lượt = 87.000.000 đồng/lượt; "
        "trung vị 15 hoạt động cùng loại trong tỉnh, cùng kỳ: 3.000.000 đồng/lượt; z = "
    )
    assert per_participant.startswith(
        "HoatDong dòng 23 (Tập huấn, bồi dưỡng): kinh phí 87.000.000 đồng / 50 người = 1.740.000 đồng/người; "
        "trung vị 15 hoạt động cùng loại trong tỉnh, cùng kỳ: "
    )
    assert float(per_session.rsplit("z = ", 1)[1].replace(",", ".")) > 3.5


def test_a_dear_workshop_with_too_few_peers_or_none_stays_silent():
    warehouse = Warehouse()
    _province_of_workshops(warehouse, "P01", 13)  # a clean province: no finding
    _province_of_workshops(warehouse, "P02", 6)  # six workshops and the dear one: 7 < 8 peers
    dear = warehouse.unit("P02-XA-DEAR", "P02")
    warehouse.report(dear, activities=[("TAP_HUAN", 87_000_000, 50, 1)])

    summary = warehouse.validate(activity_costs.BATCHES)

    assert summary.findings == []
    assert all(outcome.success for outcome in summary.outcomes)


# --- GBV cases per case type ---------------------------------------------------------------------------


def _communes_with_cases(warehouse: Warehouse, province: str, count: int, years=(2024, 2025, 2026, YEAR)) -> list:
    """Communes reporting 60–75 domestic-violence cases and 0–2 trafficking cases, every year."""
    codes = [warehouse.unit(f"{province}-XA-{i:02d}", province) for i in range(count)]
    for i, code in enumerate(codes):
        for year in years:
            warehouse.report(code, year, cases={"BAO_LUC_GIA_DINH": 60 + 5 * (i % 4), "MUA_BAN_NGUOI": i % 3})
    return codes


def test_127_trafficking_cases_where_peers_report_0_to_2_fire_against_peers_and_history():
    warehouse = Warehouse()
    communes = _communes_with_cases(warehouse, "P01", 11)
    # 127 trafficking cases this year (2 every year before). Its total of cases (127 + 70) is under 3 times
    # its peers' (about 67) and its own: only the case type gives it away.
    trafficking = communes[2]
    warehouse.con.execute(
        "update marts.fct_gbv_cases set cases_detected = 127 "
        "where unit_code = ? and report_year = ? and case_type_code = 'MUA_BAN_NGUOI'",
        [trafficking, YEAR],
    )

    summary = warehouse.validate(outliers.BATCHES)

    assert _findings(summary) == {
        ("no_outlier_against_peers", trafficking): [
            "số vụ phát hiện (Mua bán người) = 127; trung vị 11 đơn vị cùng loại XA: 1; z = 6,9"
        ],
        ("no_outlier_against_own_history", trafficking): [
            "số vụ phát hiện (Mua bán người) = 127; trung vị 3 kỳ trước: 2; z = 999"
        ],
    }


def test_case_types_of_a_province_with_too_few_peers_or_within_history_stay_silent():
    warehouse = Warehouse()
    _communes_with_cases(warehouse, "P01", 10)  # a clean province
    communes = _communes_with_cases(warehouse, "P02", 6, years=(YEAR,))  # 6 < 8 peers, no history
    warehouse.con.execute(
        "update marts.fct_gbv_cases set cases_detected = 127 where unit_code = ? and case_type_code = 'MUA_BAN_NGUOI'",
        [communes[0]],
    )

    summary = warehouse.validate(outliers.BATCHES)

    assert summary.findings == []
    assert all(outcome.success for outcome in summary.outcomes)


# --- registered and shown like the others --------------------------------------------------------------


def test_the_new_checks_are_registered_and_listed_on_the_summary_page(tmp_path):
    registered = {(batch.suite, check.name) for batch in BATCHES for check in batch.checks}
    assert {
        ("report_consistency", "activity_spending_not_above_allocation"),
        ("report_outliers", "cost_per_participant_not_far_above_peers"),
        ("report_outliers", "cost_per_session_not_far_above_peers"),
    } <= registered
    warehouse = Warehouse()
    warehouse.unit("XA-01")
    warehouse.report("XA-01", activities=[("TAP_HUAN", 43_600_000, 40, 1)], allocated=28_900_000)
    batches = (*SPENDING, *activity_costs.BATCHES)
    summary = warehouse.validate(batches)
    warehouse.con.execute(DQ_DDL)
    write_results(warehouse.con, summary)

    text = write_summary_page(warehouse.con, summary, SCOPE, tmp_path).read_text(encoding="utf-8")

    for batch in batches:
        for check in batch.checks:
            assert check.name in text and check.description_vi in text
    assert "Kinh phí các hoạt động 43.600.000 đồng vượt kinh phí được bố trí 28.900.000 đồng" in text
    assert "Đơn vị XA-01" in text
