"""One real browser (Debian's chromium through selenium and chromedriver, headless, nothing downloaded):
a unit signs in, uploads a workbook with two errors, sees both in Vietnamese with their sheet and cell,
downloads the feedback workbook, uploads the fixed file and sees it accepted; after the marts are
rebuilt, the province officer sees that unit's status change. With BDG_PORTAL_SCREENSHOTS=DIR the three
page kinds are saved there as PNG (docs/ holds the ones the README shows)."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from bdg.transform import run_dbt
from ingest.periods import local_today
from tests.ingest.workbooks import HOAT_DONG_ROWS
from tests.portal.conftest import PASSWORD, PERIOD, YEAR, unit_workbook

webdriver = pytest.importorskip("selenium.webdriver")
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    not (Path(CHROMEDRIVER).exists() and Path(CHROMIUM).exists()), reason="chromium-driver is not installed"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def portal_url(world):
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(world.app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture()
def browser(tmp_path):
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=420,1400", f"--user-data-dir={tmp_path / 'profile'}"):  # fmt: skip
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"download.default_directory": str(tmp_path / "downloads"),
                                              "download.prompt_for_download": False})  # fmt: skip
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(30)  # a verdict takes seconds; on a loaded CI machine, more
    yield driver
    driver.quit()


def _login(driver, url: str, login: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(f"{url}/dang-nhap")
    driver.find_element(By.ID, "login").send_keys(login)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    # the click returns before the sign-in answers (argon2 takes a while on a busy machine)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and driver.current_url.endswith("/dang-nhap"):
        time.sleep(0.2)


def _upload(driver, url: str, path: Path) -> None:
    from selenium.webdriver.common.by import By

    driver.get(f"{url}/don-vi")
    driver.find_element(By.ID, "file").send_keys(str(path))
    driver.find_element(By.CSS_SELECTOR, "#upload-form button[type=submit]").click()


def _shot(driver, name: str) -> None:
    folder = os.environ.get("BDG_PORTAL_SCREENSHOTS")
    if folder:
        driver.set_window_size(1100, 1000)
        Path(folder).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(folder) / name))


def _recorded(page: str) -> bool:
    return "Trong kho dữ liệu: đã nạp vào kho" in page or "đã được thay bằng" in page


def test_a_unit_uploads_fixes_and_the_province_sees_it(world, portal_url, browser, tmp_path):
    from selenium.webdriver.common.by import By

    _login(browser, portal_url, "donvi_a")
    assert "/don-vi" in browser.current_url
    bad = unit_workbook(tmp_path / "bao cao co loi.xlsx", world.unit_a,
                        hoat_dong_rows=[[1, "KHONG_CO_LOAI", *HOAT_DONG_ROWS[0][2:]],
                                        [2, "TAP_HUAN", "KHONG_CO_CHUONG_TRINH", *HOAT_DONG_ROWS[0][3:]]])  # fmt: skip
    _upload(browser, portal_url, bad)
    assert browser.find_element(By.ID, "verdict").text == "Bị từ chối"
    rows = [row.text for row in browser.find_elements(By.CSS_SELECTOR, "#errors tbody tr")]
    assert len(rows) == 2
    assert rows[0].startswith("HoatDong B4") and rows[1].startswith("HoatDong C5")
    assert all("INVALID_VALUE" in row for row in rows)
    _shot(browser, "portal_unit_verdict.png")
    browser.find_element(By.ID, "feedback").click()
    downloads = tmp_path / "downloads"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not list(downloads.glob("phan_hoi__*.xlsx")):
        time.sleep(0.2)
    (feedback,) = list(downloads.glob("phan_hoi__*.xlsx"))
    assert feedback.read_bytes()[:2] == b"PK"

    good = unit_workbook(tmp_path / "bao cao da sua.xlsx", world.unit_a, **{"Ngày lập báo cáo": "02/12/2026"})
    _upload(browser, portal_url, good)
    assert browser.find_element(By.ID, "verdict").text == "Được chấp nhận"
    # recorded by the one writer at once: loaded, or superseded when the generated inbox holds a later
    # file of this unit (received after today: the generator's late files run to 20 days past the due date)
    deadline = time.monotonic() + 90  # the loader thread commits it at once; on a busy machine, a little later
    while time.monotonic() < deadline and not _recorded(browser.page_source):
        time.sleep(1)
        browser.refresh()
    assert _recorded(browser.page_source)

    run_dbt(["build"], world.warehouse, local_today(), work_dir=world.root / "dbt")  # what the nightly does next
    browser.delete_all_cookies()
    _login(browser, portal_url, "snv_24")
    browser.get(f"{portal_url}/tinh?year={YEAR}&period={PERIOD}")
    row = browser.find_element(By.CSS_SELECTOR, f"tr[data-unit='{world.unit_a}']")
    assert "Nộp muộn" in row.text or "Nộp đúng hạn" in row.text
    _shot(browser, "portal_province_status.png")
    browser.delete_all_cookies()
    _login(browser, portal_url, "bo_noi_vu")
    assert "Tỷ lệ đơn vị đã nộp báo cáo" in browser.page_source
    _shot(browser, "portal_ministry.png")
