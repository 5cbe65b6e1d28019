"""A real small warehouse for the portal's tests: two generated provinces (24 and P02, 14 units each)
ingested by the nightly's engine, the marts built by dbt for today, the period's reports written, and
one account per role (unit A and unit B of province 24, the officers of 24 and P02, the ministry)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bdg.steps import ingest_step, reporting_status
from bdg.transform import run_dbt
from ingest.periods import local_today
from portal.accounts import Store
from portal.app import create_app
from sample.generate import generate_inbox
from tests.ingest.workbooks import THONG_TIN, write_workbook

YEAR, PERIOD = 2026, "NAM"
PASSWORD = "mat-khau-thu-nghiem-01"


@dataclass
class World:
    root: Path
    warehouse: Path
    inbox: Path
    reference: Path
    out: Path
    portal_db: Path
    unit_a: str
    unit_b: str
    unit_y: str  # a unit of the other province
    generated_file: Path  # a file the nightly already loaded (its bytes are known)

    def app(self):
        return create_app(self.warehouse, self.inbox, self.reference, self.out, self.portal_db)


def unit_workbook(path: Path, unit_code: str, **changes) -> Path:
    """A valid BDG-1 workbook of `unit_code` for the test period; `changes` replace ThongTin values or
    pass write_workbook's options (hoat_dong_rows, vu_viec_rows, drop_sheets)."""
    options = {
        key: changes.pop(key) for key in list(changes) if key in ("hoat_dong_rows", "vu_viec_rows", "drop_sheets")
    }
    info = {"Mã đơn vị": unit_code, "Tên đơn vị": f"Đơn vị {unit_code}", **changes}
    return write_workbook(path, thong_tin=[(label, info.get(label, value)) for label, value in THONG_TIN], **options)


@pytest.fixture(scope="session")
def world(tmp_path_factory) -> World:
    root = tmp_path_factory.mktemp("portal")
    generated = generate_inbox(root / "inbox", provinces=2, units_per_province=14, year=YEAR, seed=7)
    warehouse, out = root / "warehouse" / "bdg.duckdb", root / "out"
    ingest_step(warehouse, generated.out_dir, generated.reference_dir, out)
    run_dbt(["build"], warehouse, local_today(), work_dir=root / "dbt")
    from bdg.steps import report_outputs

    report_outputs(warehouse, YEAR, PERIOD, out)
    status = reporting_status(warehouse, YEAR, PERIOD, local_today())
    province_24 = [row for row in status if row["unit_code"].startswith("24-")]
    missing = [row["unit_code"] for row in province_24 if row["status"] == "missing"]
    others = [row["unit_code"] for row in province_24 if row["unit_code"] not in missing[:1]]
    unit_a = (missing or others)[0]
    unit_b = next(code for code in others if code != unit_a)
    unit_y = next(row["unit_code"] for row in status if row["unit_code"].startswith("P02-"))
    from ingest.parse import parse_workbook

    known = next(path for path in sorted(generated.out_dir.glob("*.xlsx")) if parse_workbook(path).ok)
    world = World(root, warehouse, generated.out_dir, generated.reference_dir, out, root / "portal.sqlite3",
                  unit_a, unit_b, unit_y, known)  # fmt: skip
    store = Store(world.portal_db)
    store.add("donvi_a", "unit", PASSWORD, unit_code=unit_a, province_code="24")
    store.add("donvi_b", "unit", PASSWORD, unit_code=unit_b, province_code="24")
    store.add("donvi_y", "unit", PASSWORD, unit_code=unit_y, province_code="P02")
    store.add("snv_24", "province", PASSWORD, province_code="24")
    store.add("snv_p02", "province", PASSWORD, province_code="P02")
    store.add("bo_noi_vu", "ministry", PASSWORD)
    store.add("donvi_known", "unit", PASSWORD, unit_code=parse_workbook(known).meta["unit_code"])
    return world


@pytest.fixture(scope="session")
def client(world) -> TestClient:
    with TestClient(world.app(), base_url="http://testserver") as test_client:
        yield test_client


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def signed_in(world: World, login: str) -> TestClient:
    """A fresh browser-like client signed in as `login` (its own cookies)."""
    browser = TestClient(world.app(), base_url="http://testserver")
    token = csrf_of(browser.get("/dang-nhap").text)
    response = browser.post("/dang-nhap", data={"login": login, "password": PASSWORD, "csrf_token": token},
                            follow_redirects=False)  # fmt: skip
    assert response.status_code == 303, response.text
    return browser
