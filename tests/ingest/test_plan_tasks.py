"""The Lai Châu plan's task appendix (seed 004), read from the real seed file beside the repository."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from typer.testing import CliRunner

from bdg import settings
from bdg.cli import app
from ingest.plan_tasks import UnmatchedAgency, due_date, import_plan, numeric_targets
from ingest.reference import DEFAULT_REFERENCE_DIR, Unit, read_units
from tests.ingest.formats import write_sheets

pytestmark = pytest.mark.fast  # the edit-test tier (make test-fast)

SEED = settings.PROJECT_ROOT / "reference" / "plans" / "004_626a94decbac7e11.txt"  # ../shared/seeds/004, vendored
ALL_SO, COMMUNES, YEAR_END = ("SO_NGANH",), ("COMMUNE",), dt.date(2026, 12, 31)

# task code → (lead groups or unit codes in the sample registry, due date)
EXPECTED = {
    "I.1": (ALL_SO + COMMUNES, None),
    "I.2": (ALL_SO + COMMUNES, YEAR_END),
    "I.3": (("24-SO03",), YEAR_END),  # Sở Tư pháp
    "I.4": (ALL_SO + COMMUNES, YEAR_END),
    "II.1": (ALL_SO + COMMUNES, None),
    "II.2": (ALL_SO + COMMUNES, None),
    "III.1": (("24-SO04",), YEAR_END),  # Sở Tài chính
    "III.2": (ALL_SO + COMMUNES, YEAR_END),
    "III.3": (("24-SO02",), dt.date(2026, 4, 30)),  # Sở Nội vụ, "Tháng 4/2026"
    "IV.1.1": (("24-SO11",), YEAR_END),
    "IV.1.2": (("24-SO02",), dt.date(2026, 4, 30)),
    "IV.1.3": (("24-SO09",), YEAR_END),
    "IV.1.4": (("24-SO10",), YEAR_END),
    "IV.1.5": (("24-SO02",), YEAR_END),  # "Tháng 11,12/2026 (sau khi …)"
    "IV.1.6": (ALL_SO + COMMUNES + ("TW",), YEAR_END),
    "IV.1.7": (COMMUNES, YEAR_END),
    "IV.1.8": ((None,), YEAR_END),  # Báo và Phát thanh, truyền hình Lai Châu: not a reporting unit here
    "IV.2.1": (ALL_SO + COMMUNES + ("24-DT02",), YEAR_END),  # + Hội Liên hiệp phụ nữ
    "IV.2.2": (COMMUNES, dt.date(2026, 6, 30)),  # "Quý II năm 2026"
    "IV.2.3": (("24-TW01",), None),  # Công an tỉnh, "Thường xuyên"
    "IV.2.4": (("24-SO02",), None),  # "Sau khi …"
    "IV.3.1": (ALL_SO + COMMUNES, YEAR_END),
    "IV.3.2": (("24-SO02",), dt.date(2026, 5, 31)),  # "Tháng 4,5/2026"
    "IV.4.1": (("24-SO02",) + COMMUNES, YEAR_END),
    "V.1": (ALL_SO + COMMUNES, None),
    "V.2": (("24-SO03",), YEAR_END),
    "V.3": (COMMUNES, dt.date(2026, 5, 31)),
    "V.4": (ALL_SO + COMMUNES, YEAR_END),
}


def _leads(task) -> tuple:
    return tuple(agency.unit_code or agency.unit_group for agency in task.leads)


def test_seed_004_yields_its_28_tasks(tmp_path):
    tasks, warnings = import_plan(tmp_path / "bdg.duckdb", SEED, "24", 2026, read_units(DEFAULT_REFERENCE_DIR))

    assert {task.task_code: (_leads(task), task.due_date) for task in tasks} == EXPECTED
    # the one agency matching no unit (the "Các cơ quan, đơn vị có liên quan" partners name none)
    assert warnings == [UnmatchedAgency("IV.1.8", "lead", "Báo và Phát thanh, truyền hình Lai Châu")]
    assert warnings[0].message_vi == (
        "Nhiệm vụ IV.1.8: không tìm thấy đơn vị «Báo và Phát thanh, truyền hình Lai Châu» "
        "trong danh mục đơn vị của tỉnh (cơ quan chủ trì)"
    )
    by_code = {task.task_code: task for task in tasks}
    assert by_code["IV.1.6"].group_title.startswith("Chương trình Truyền thông về bình đẳng giới")
    assert by_code["I.1"].section_title.startswith("Xây dựng, ban hành và tổ chức thực hiện văn bản")
    assert by_code["IV.2.4"].timeline_text.startswith("Sau khi Chương trình")
    assert [(t["target_value"], t["target_period"]) for t in by_code["IV.1.6"].targets] == [(2.0, "year")]
    assert [(t["target_value"], t["target_unit"], t["target_period"]) for t in by_code["IV.1.7"].targets] == [
        (4.0, "tin, bài", "quarter")
    ]
    assert [(t["target_value"], t["target_unit"]) for t in by_code["IV.2.2"].targets] == [(1.0, "nơi tạm lánh")]
    with duckdb.connect(str(tmp_path / "bdg.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from raw.plan_tasks").fetchone() == (28,)
        assert con.execute("select count(*) from raw.plan_task_targets").fetchone() == (3,)


def test_the_appendix_as_a_workbook_through_the_cli(tmp_path):
    lines = [line.split("\t") for line in SEED.read_text(encoding="utf-8").splitlines()]
    rows = [[cell.replace("<b>", "").replace("</b>", "") for cell in line] for line in lines]
    path = write_sheets(tmp_path / "Phu luc nhiem vu.xlsx", {"Phụ lục": rows, "Ghi chú": [["x"]]})
    warehouse = tmp_path / "bdg.duckdb"

    result = CliRunner().invoke(app, ["plan", "import", str(path), "--province", "24", "--year", "2026",
                                      "--warehouse", str(warehouse)])  # fmt: skip
    again = CliRunner().invoke(app, ["plan", "import", str(path), "--province", "24", "--year", "2026",
                                     "--warehouse", str(warehouse)])  # fmt: skip

    assert result.exit_code == 0 and again.exit_code == 0, result.output
    printed = " ".join(result.output.split())  # rich wraps lines at the terminal's width
    warning = "Cảnh báo: Nhiệm vụ IV.1.8: không tìm thấy đơn vị «Báo và Phát thanh, truyền hình Lai Châu»"
    assert printed.count("Cảnh báo:") == 1 and printed.index(warning) > printed.index("V.4")  # after the table
    with duckdb.connect(str(warehouse), read_only=True) as con:
        codes = {code for (code,) in con.execute("select task_code from raw.plan_tasks").fetchall()}
        assert codes == set(EXPECTED)  # re-importing replaces, never duplicates


_REGISTRY = [
    Unit("24-SO02", "Sở Nội vụ", "SO_NGANH", "24", True, False, dt.date(2024, 1, 1)),
    Unit("24-SO11", "Sở Văn hóa, Thể thao và Du lịch", "SO_NGANH", "24", True, False, dt.date(2024, 1, 1)),
    Unit("24-DT02", "Hội Liên hiệp Phụ nữ tỉnh", "DOAN_THE", "24", False, False, dt.date(2024, 1, 1)),
    Unit("24-SO20", "Sở Du lịch", "SO_NGANH", "24", True, False, dt.date(2024, 1, 1), dt.date(2025, 2, 28)),
    Unit("99-SO21", "Sở Lao động - Thương binh và Xã hội", "SO_NGANH", "99", True, False, dt.date(2024, 1, 1)),
]


@pytest.mark.parametrize(
    ("lead", "partner", "expected"),
    [
        ("Sở Văn hóa, Thể thao và Du lịch", "Sở Nội vụ; Hội Liên hiệp Phụ nữ tỉnh", []),
        ("Sở Văn hóa, Thể thao và Du lịch tỉnh", "Các cơ quan, đơn vị có liên quan", []),  # names no unit
        ("Các sở, ban, ngành; UBND các xã, phường", "", []),  # unit groups
        ("Sở Văn hóa và Thể thao", "Sở Nội vụ", [("lead", "Sở Văn hóa và Thể thao")]),  # a name not registered
        ("Sở Du lịch", "", [("lead", "Sở Du lịch")]),  # merged away in 2025: not an active unit
        ("Sở Nội vụ", "Sở Lao động - Thương binh và Xã hội", [("partner", "Sở Lao động - Thương binh và Xã hội")]),
    ],
)
def test_every_agency_matching_no_unit_of_the_province_is_a_warning(tmp_path, lead, partner, expected):
    appendix = tmp_path / "phu_luc.txt"
    appendix.write_text(
        "STT\tNội dung nhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian thực hiện\n"
        "I\tTruyền thông về bình đẳng giới\t\t\t\n"
        f"1\tTổ chức hội nghị tuyên truyền\t{lead}\t{partner}\tQuý II năm 2026\n",
        encoding="utf-8",
    )

    tasks, warnings = import_plan(tmp_path / "bdg.duckdb", appendix, "24", 2026, _REGISTRY)

    assert [task.task_code for task in tasks] == ["I.1"]  # the import succeeds, warnings or not
    assert warnings == [UnmatchedAgency("I.1", role, text) for role, text in expected]
    role_vi = {"lead": "cơ quan chủ trì", "partner": "cơ quan phối hợp"}
    assert [warning.message_vi for warning in warnings] == [
        f"Nhiệm vụ I.1: không tìm thấy đơn vị «{text}» trong danh mục đơn vị của tỉnh ({role_vi[role]})"
        for role, text in expected
    ]


@pytest.mark.parametrize(
    ("timeline", "expected"),
    [
        ("Tháng 4/2026", dt.date(2026, 4, 30)),
        ("Tháng 4,5/2026", dt.date(2026, 5, 31)),
        ("tháng 2/2028", dt.date(2028, 2, 29)),
        ("Quý II năm 2026", dt.date(2026, 6, 30)),
        ("Quý 4/2026", dt.date(2026, 12, 31)),
        ("Trong năm", dt.date(2026, 12, 31)),
        ("Thường xuyên", None),
        ("Sau khi có hướng dẫn", None),
        ("", None),
    ],
)
def test_timelines_become_due_dates(timeline, expected):
    assert due_date(timeline, 2026) == expected


def test_numeric_targets_in_task_text():
    assert numeric_targets("Mỗi quý có ít nhất 04 tin, bài về bình đẳng giới")[0]["target_period"] == "quarter"
    assert numeric_targets("Tổ chức hội nghị") == []
