"""The pages: CSRF on every form, cookie flags, rights by role (a unit never sees another unit, a province
never another province), Vietnamese labels and formats, the upload form's verdict and feedback."""

from __future__ import annotations

import unicodedata

import pytest

from tests.ingest.workbooks import HOAT_DONG_ROWS
from tests.portal.conftest import PASSWORD, PERIOD, YEAR, csrf_of, signed_in, unit_workbook

pytestmark = pytest.mark.fast


def test_a_form_post_without_the_csrf_token_is_refused(world):
    browser = signed_in(world, "donvi_a")
    assert browser.post("/dang-nhap", data={"login": "donvi_a", "password": PASSWORD}).status_code == 403
    assert browser.post("/dang-xuat").status_code == 403
    path = unit_workbook(world.root / "csrf.xlsx", world.unit_a)
    response = browser.post("/don-vi/nop", files={"file": ("a.xlsx", path.read_bytes())},
                            data={"csrf_token": "gia-mao-" + "x" * 40})  # fmt: skip
    assert response.status_code == 403
    token = csrf_of(browser.get("/don-vi").text)
    forged_origin = browser.post("/dang-xuat", data={"csrf_token": token}, headers={"Origin": "https://evil.example"})
    assert forged_origin.status_code == 403


def test_session_cookies_are_httponly_and_samesite(world):
    from fastapi.testclient import TestClient

    browser = TestClient(world.app(), base_url="http://testserver")
    page = browser.get("/dang-nhap")
    assert "httponly" in page.headers["set-cookie"].lower() and "samesite=lax" in page.headers["set-cookie"].lower()
    response = browser.post("/dang-nhap", data={"login": "snv_24", "password": PASSWORD,
                                                "csrf_token": csrf_of(page.text)}, follow_redirects=False)  # fmt: skip
    cookie = response.headers["set-cookie"].lower()
    assert "bdg_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    assert "script-src 'nonce-" in page.headers["content-security-policy"]


def test_a_wrong_password_on_the_login_page_is_told_in_vietnamese(world):
    from fastapi.testclient import TestClient

    browser = TestClient(world.app(), base_url="http://testserver")
    token = csrf_of(browser.get("/dang-nhap").text)
    response = browser.post("/dang-nhap", data={"login": "snv_24", "password": "sai", "csrf_token": token})
    assert response.status_code == 401 and "Sai tên đăng nhập hoặc mật khẩu" in response.text


@pytest.mark.parametrize(
    ("login", "path", "code"),
    [
        ("donvi_a", "/don-vi", 200),
        ("donvi_a", "/tinh", 403),
        ("donvi_a", "/bo", 403),
        ("snv_24", "/tinh", 200),
        ("snv_24", "/don-vi", 403),
        ("snv_24", "/bo", 403),
        ("snv_24", "/tinh/don-vi/{unit_a}", 200),
        ("snv_24", "/tinh/don-vi/{unit_y}", 403),
        ("snv_p02", "/tinh/don-vi/{unit_a}", 403),
        ("snv_24", f"/tinh/bao-cao/bao_cao_bdg_{YEAR}_{PERIOD}.xlsx", 403),  # a two-province warehouse
        ("bo_noi_vu", "/bo", 200),
        ("bo_noi_vu", "/bo/tinh/P02", 200),
        ("bo_noi_vu", f"/bo/bao-cao/bao_cao_bdg_{YEAR}_{PERIOD}.xlsx", 200),
        ("bo_noi_vu", "/tinh", 403),
        (None, "/don-vi", 303),
        (None, "/tinh", 303),
        (None, "/bo", 303),
    ],
)
def test_page_rights(world, login, path, code):
    from fastapi.testclient import TestClient

    browser = signed_in(world, login) if login else TestClient(world.app(), base_url="http://testserver")
    response = browser.get(path.format(unit_a=world.unit_a, unit_y=world.unit_y), follow_redirects=False)
    assert response.status_code == code
    if code == 303:
        assert response.headers["location"] == "/dang-nhap"


def test_the_province_page_lists_only_its_units_with_vietnamese_labels(world):
    page = signed_in(world, "snv_24").get(f"/tinh?year={YEAR}&period={PERIOD}&sort=tre").text
    assert world.unit_a in page and world.unit_y not in page and "P02-" not in page
    assert "Số ngày muộn" in page and "Nộp đúng hạn" in page and "Chưa nộp (đã quá hạn)" in page
    assert unicodedata.is_normalized("NFC", page)
    filtered = signed_in(world, "snv_24").get(f"/tinh?year={YEAR}&period={PERIOD}&kind=XA").text
    assert "24-SO01" not in filtered.split('id="status-table"')[1]


def test_the_ministry_sees_every_province_read_only(world):
    page = signed_in(world, "bo_noi_vu").get(f"/bo?year={YEAR}&period={PERIOD}").text
    assert "Tỷ lệ đơn vị đã nộp báo cáo" in page and "/bo/tinh/24" in page and "/bo/tinh/P02" in page
    assert "%" in page and '<form method="post"' not in page.split("</header>")[1]


def test_a_unit_uploads_sees_every_error_and_downloads_the_feedback(world):
    browser = signed_in(world, "donvi_a")
    token = csrf_of(browser.get("/don-vi").text)
    bad = unit_workbook(world.root / "hai_loi.xlsx", world.unit_a,
                        hoat_dong_rows=[[1, "KHONG_CO_LOAI", *HOAT_DONG_ROWS[0][2:]],
                                        [2, "TAP_HUAN", "KHONG_CO_CHUONG_TRINH", *HOAT_DONG_ROWS[0][3:]]])  # fmt: skip
    response = browser.post("/don-vi/nop", files={"file": ("hai loi.xlsx", bad.read_bytes())},
                            data={"csrf_token": token})  # fmt: skip
    assert response.status_code == 200 and "Bị từ chối" in response.text
    assert "HoatDong" in response.text and "B4" in response.text and "C5" in response.text
    link = response.text.split('id="feedback" href="')[1].split('"')[0]
    feedback = browser.get(link)
    assert feedback.status_code == 200 and feedback.content[:2] == b"PK"
    # another unit cannot open this verdict or its feedback
    other = signed_in(world, "donvi_b")
    assert other.get(link).status_code == 404
    assert other.get(link.removesuffix("/phan-hoi")).status_code == 404


def test_the_blank_form_is_prefilled_for_the_unit(world):
    from ingest.parse import parse_workbook

    response = signed_in(world, "donvi_a").get(f"/don-vi/bieu-mau?year={YEAR}&period={PERIOD}")
    assert response.status_code == 200
    path = world.root / "blank.xlsx"
    path.write_bytes(response.content)
    assert parse_workbook(path).meta["unit_code"] == world.unit_a
