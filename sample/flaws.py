"""Data problems planted in a generated inbox, as real units make them, for the demo and the tests.

`Inbox` rewrites a unit's file of a generated inbox (from the generator's manifest copy of its content)
and its received time; `plant_demo_flaws` plants one problem for each expectation suite into the annual
report of a generated sample province and returns what it planted (`PlantedFlaw`: suite, expectation,
unit), so the demo can say what the checks should find and its test can assert that they do.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from ingest.form_writer import FormContent, write_form

MEDIA = {"TIN_BAI", "CHUYEN_MUC", "SAN_PHAM"}  # counted in items, without participants
# 127 trafficking cases typed into a commune's VuViec (its victims too, so the annual report stays above
# the 6-month one): far above its peers' few
TRAFFICKING_127 = {
    "case_type_code": "MUA_BAN_NGUOI", "cases_detected": 127, "cases_handled": 120, "victims_female": 131,
    "victims_male": 4, "victims_children": 12, "victims_supported": 110, "perpetrators_detected": 127,
    "perpetrators_counselled": 60,
}  # fmt: skip


def content_from_manifest(stored: dict) -> FormContent:
    """The generator's manifest copy of a file's content → FormContent (ISO dates back to dates)."""

    def dated(row: dict) -> dict:
        return {
            key: dt.date.fromisoformat(value) if key.endswith("_date") and value else value
            for key, value in row.items()
        }

    indicators = {
        key: dt.date.fromisoformat(value) if key == "NGAY_KIEN_TOAN" and value else value
        for key, value in stored["indicators"].items()
    }
    return FormContent(
        activities=[dated(row) for row in stored["activities"]],
        gbv_cases=[dict(row) for row in stored["gbv_cases"]],
        leadership=[dict(row) for row in stored["leadership"]],
        indicators=indicators,
        tasks=[dict(row) for row in stored["tasks"]],
        prepared_by=stored["prepared_by"],
    )


class Inbox:
    """A generated inbox we can add files to and plant problems in (the manifest's `units`: one period)."""

    def __init__(self, path: Path, manifest: dict) -> None:
        self.path = Path(path)
        self.units = {unit["unit_code"]: unit for unit in manifest["units"]}
        self.received = {}
        with (self.path / "_received.csv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                self.received[row["file"]] = row["received_at"]

    def save_received(self) -> None:
        with (self.path / "_received.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["file", "received_at"])
            writer.writerows(sorted(self.received.items()))

    def annual_file(self, code: str) -> str:
        """The unit's one file of the period (ValueError when it sent none or several)."""
        (entry,) = self.units[code]["files"]
        return entry["file"]

    def content(self, code: str) -> FormContent:
        (entry,) = self.units[code]["files"]
        return content_from_manifest(entry["content"])

    def write(self, code: str, name: str, year: int, report_type: str, content, received: str, **kwargs) -> None:
        """Write `content` as the unit's file `name` (kwargs to `write_form`; `as_code` types another
        unit code on ThongTin), received at `received` (ISO, +07:00)."""
        unit = self.units[code]
        write_form(self.path / name, kwargs.pop("as_code", code), unit["unit_name"], year, report_type, content,
                   prepared_on=dt.date.fromisoformat(received[:10]), **kwargs)  # fmt: skip
        self.received[name] = received


@dataclass(frozen=True)
class PlantedFlaw:
    suite: str
    expectation: str
    unit_code: str
    what_vi: str  # what the unit got wrong, in Vietnamese


def plant_demo_flaws(inbox_dir: Path, manifest: dict) -> list[PlantedFlaw]:
    """Plant one problem per expectation suite into the annual report of the manifest's period (a
    generated sample province, every unit of one file, sent on time, fair game): each in a different
    unit, each a `warning` (so the report is still published), each in the second half of the year (the
    6-month report stays below the annual one). Rewrites the files and `_received.csv`; returns the
    flaws in suite order. Raises LookupError when the inbox has no unit fit for a flaw (too small).
    """
    year, report_type = manifest["parameters"]["year"], manifest["parameters"]["report_type"]
    six_month_end = dt.date(year, 5, 14)
    inbox = Inbox(inbox_dir, manifest)
    used: set[str] = set()
    flaws: list[PlantedFlaw] = []

    def candidates(*kinds: str):
        for code, unit in sorted(inbox.units.items()):
            files = unit["files"]
            if unit["unit_kind"] in kinds and code not in used and len(files) == 1 and files[0]["kind"] == "ok":
                if unit["expected_status"] == "on_time":
                    yield code, inbox.content(code)

    def rewrite(code: str, content: FormContent, received: str | None = None) -> None:
        name = inbox.annual_file(code)
        inbox.write(code, name, year, report_type, content, received or inbox.received[name])

    def plant(suite: str, expectation: str, kinds: tuple[str, ...], change, what_vi: str) -> None:
        """`change(content)` → True when it planted the flaw in that unit's content."""
        for code, content in candidates(*kinds):
            if change(content):
                rewrite(code, content)
                used.add(code)
                flaws.append(PlantedFlaw(suite, expectation, code, what_vi))
                return
        raise LookupError(f"no unit to plant {expectation}")

    def late_rows(content: FormContent, condition=lambda row: True) -> list[dict]:
        return [row for row in content.activities if row["activity_date"] > six_month_end and condition(row)]

    # reporting_completeness: a unit's annual report arrives 4 days after the due date (30/11).
    code, _ = next(candidates("SO_NGANH", "DOAN_THE"))
    name = inbox.annual_file(code)
    inbox.received[name] = f"{year}-12-04T09:00:00+07:00"
    used.add(code)
    flaws.append(PlantedFlaw("reporting_completeness", "every_unit_reported_on_time", code,
                             "báo cáo năm gửi ngày 04/12, trễ 4 ngày"))  # fmt: skip

    typed: list[int] = []

    def budget_in_millions(content: FormContent) -> bool:
        rows = late_rows(content, lambda row: (row["budget_vnd"] or 0) >= 10_000_000)
        if rows:
            rows[0]["budget_vnd"] = rows[0]["budget_vnd"] // 1_000_000  # "15" for 15 triệu
            typed.append(rows[0]["budget_vnd"])
        return bool(rows)

    plant("report_validity", "budget_plausible", ("XA",), budget_in_millions,
          "kinh phí một hoạt động ghi theo triệu đồng ({0} thay cho {0} triệu đồng)")  # fmt: skip
    flaws[-1] = replace(flaws[-1], what_vi=flaws[-1].what_vi.format(typed[-1]))

    def overspent(content: FormContent) -> bool:
        spent = sum(row.get("budget_vnd") or 0 for row in content.activities)
        if spent < 20_000_000:
            return False
        content.indicators["KINH_PHI_BDG"] = spent // 300_000 * 100_000  # a third of what it spent
        return True

    plant("report_consistency", "activity_spending_not_above_allocation", ("PHUONG",), overspent,
          "kinh phí các hoạt động gấp khoảng ba lần kinh phí được bố trí cho bình đẳng giới")  # fmt: skip

    def trafficking(content: FormContent) -> bool:
        content.gbv_cases = [row for row in content.gbv_cases if row["case_type_code"] != "MUA_BAN_NGUOI"]
        content.gbv_cases.append(dict(TRAFFICKING_127))
        return True

    plant("report_outliers", "no_outlier_against_peers", ("XA",), trafficking,
          "127 vụ mua bán người ở một xã, nơi các xã khác chỉ báo vài vụ")  # fmt: skip

    def one_participant(content: FormContent) -> bool:
        rows = late_rows(
            content,
            lambda row: (
                row["activity_type_code"] in ("TRUYEN_THONG", "TAP_HUAN", "TOA_DAM")
                and (row["budget_vnd"] or 0) >= 150_000_000
            ),
        )
        if rows:
            rows[0].update(participants_total=1, participants_female=1, participants_male=0,
                           participants_ethnic_minority=0)  # fmt: skip
        return bool(rows)

    plant("report_outliers", "cost_per_participant_not_far_above_peers", ("XA", "PHUONG"), one_participant,
          "hoạt động trên 150 triệu đồng ghi 1 người tham gia")  # fmt: skip

    def task_not_started(content: FormContent) -> bool:
        content.tasks = [row for row in content.tasks if row["task_code"] != "V.3"]
        content.tasks.append({"task_code": "V.3", "status_code": "CHUA_THUC_HIEN", "result_text": None})
        return True

    plant("plan_tasks", "no_overdue_plan_task", ("XA",), task_not_started,
          "nhiệm vụ V.3 của Kế hoạch (hạn 31/05) báo «Chưa thực hiện»")  # fmt: skip
    inbox.save_received()
    return flaws
