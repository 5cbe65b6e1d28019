"""The JSON API over a real warehouse: every right (401 / 403 across units and provinces), uploads
judged as the nightly judges them, a file naming another unit refused and not kept, the lockout, the
20 MB cap, server-chosen names."""

from __future__ import annotations

import shutil

import pytest

from bdg.steps import ingest_step
from portal.accounts import Store
from portal.uploads import MAX_UPLOAD_BYTES
from tests.ingest.workbooks import HOAT_DONG_ROWS, VU_VIEC_ROWS
from tests.portal.conftest import PASSWORD, PERIOD, YEAR, unit_workbook

pytestmark = pytest.mark.fast
AUTH = {
    login: (login, PASSWORD)
    for login in ("donvi_a", "donvi_b", "donvi_y", "snv_24", "snv_p02", "bo_noi_vu", "donvi_known")
}


def _post(client, login, path, name="bao_cao.xlsx"):
    with open(path, "rb") as handle:
        return client.post("/api/v1/submissions", files={"file": (name, handle.read())}, auth=AUTH.get(login))


def _inbox_files(world) -> set[str]:
    return {p.name for p in world.inbox.rglob("*") if p.is_file() and not p.name.startswith("_")}


def test_without_or_with_wrong_credentials_every_endpoint_is_401(client):
    endpoints = (
        ("get", f"/api/v1/status?year={YEAR}&period={PERIOD}"),
        ("get", f"/api/v1/reports/{YEAR}/{PERIOD}/workbook"),
        ("post", "/api/v1/submissions"),
    )
    for method, path in endpoints:
        assert getattr(client, method)(path).status_code == 401
        assert getattr(client, method)(path, auth=("donvi_a", "sai-mat-khau")).status_code == 401
        assert getattr(client, method)(path, auth=("khong_co", "sai-mat-khau")).status_code == 401


@pytest.mark.parametrize(
    ("login", "province", "code", "units"),
    [
        ("donvi_a", None, 200, "own"),
        ("donvi_a", "24", 200, "own"),
        ("donvi_a", "P02", 403, None),
        ("snv_24", None, 200, "24"),
        ("snv_24", "24", 200, "24"),
        ("snv_24", "P02", 403, None),
        ("snv_p02", None, 200, "P02"),
        ("snv_p02", "24", 403, None),
        ("bo_noi_vu", None, 200, "all"),
        ("bo_noi_vu", "P02", 200, "P02"),
    ],
)
def test_status_rights(client, world, login, province, code, units):
    query = f"/api/v1/status?year={YEAR}&period={PERIOD}" + (f"&province={province}" if province else "")
    response = client.get(query, auth=AUTH[login])
    assert response.status_code == code, response.text
    if code != 200:
        return
    codes = {unit["unit_code"] for unit in response.json()["units"]}
    if units == "own":
        assert codes == {world.unit_a}
    elif units == "all":
        assert {c.split("-")[0] for c in codes} == {"24", "P02"}
    else:
        assert codes and {c.split("-")[0] for c in codes} == {units}
    row = response.json()["units"][0]
    assert set(row) == {"unit_code", "unit_name", "status", "status_vi", "days_late"}


@pytest.mark.parametrize(("login", "code"), [("donvi_a", 403), ("snv_24", 403), ("snv_p02", 403), ("bo_noi_vu", 200)])
def test_workbook_rights(client, login, code):
    # The warehouse holds two provinces: its workbook is the ministry's, not one province's.
    response = client.get(f"/api/v1/reports/{YEAR}/{PERIOD}/workbook", auth=AUTH[login])
    assert response.status_code == code
    if code == 200:
        assert response.content[:2] == b"PK"


@pytest.mark.parametrize("login", ["snv_24", "bo_noi_vu"])
def test_only_unit_accounts_upload(client, world, tmp_path, login):
    response = _post(client, login, unit_workbook(tmp_path / "f.xlsx", world.unit_a))
    assert response.status_code == 403


def test_a_file_naming_another_unit_is_refused_and_not_kept(client, world, tmp_path):
    before = _inbox_files(world)
    for named in (world.unit_b, world.unit_y, "24-KHONGCO"):
        response = _post(client, "donvi_a", unit_workbook(tmp_path / f"{named}.xlsx", named))
        assert response.status_code == 403, response.text
    assert _inbox_files(world) == before
    assert not list((world.inbox / "_portal_staging").glob("*"))
    refused = [row for row in Store(world.portal_db).audit_rows() if row["event"] == "upload_refused_other_unit"]
    assert len(refused) >= 3


def _ingest_alone(world, tmp_path, data: bytes, name: str) -> dict:
    """What `bdg ingest` decides for these bytes against a copy of the warehouse as it is now."""
    copy = tmp_path / "copy" / "bdg.duckdb"
    copy.parent.mkdir()
    shutil.copy(world.warehouse, copy)
    inbox = tmp_path / "alone"
    inbox.mkdir()
    (inbox / name).write_bytes(data)
    (outcome,) = ingest_step(copy, inbox, world.reference, tmp_path / "out")["files"]
    return outcome


_CASES = {
    "accepted": lambda world, path: unit_workbook(path, world.unit_a),
    "rejected": lambda world, path: unit_workbook(
        path,
        world.unit_a,
        hoat_dong_rows=[[1, "KHONG_CO_LOAI", *HOAT_DONG_ROWS[0][2:]]],
        vu_viec_rows=[[VU_VIEC_ROWS[0][0], -3, *VU_VIEC_ROWS[0][2:]]],
    ),  # fmt: skip
    "pii": lambda world, path: unit_workbook(
        path, world.unit_a, vu_viec_rows=[[*VU_VIEC_ROWS[0][:-1], "Gọi 0912 345 678"]]
    ),
}


@pytest.mark.parametrize("case", ["accepted", "rejected", "pii", "duplicate"])
def test_the_verdict_is_what_bdg_ingest_decides(client, world, tmp_path, case):
    if case == "duplicate":
        data, login = world.generated_file.read_bytes(), "donvi_known"  # loaded by the nightly already
    else:
        data = _CASES[case](world, tmp_path / f"{case}.xlsx").read_bytes()
        login = "donvi_a"
    expected = _ingest_alone(world, tmp_path, data, "gui_qua_email.xlsx")
    response = client.post("/api/v1/submissions", files={"file": ("bao_cao.xlsx", data)}, auth=AUTH[login])
    assert response.status_code == 200, response.text
    verdict = response.json()
    nightly = {"loaded": "accepted", "superseded": "accepted"}.get(expected["status"], expected["status"])
    assert verdict["status"] == nightly
    assert verdict["errors"] == [
        {key: error[key] for key in ("code", "sheet", "cell", "message_vi")} for error in expected["errors"]
    ]
    if case in ("rejected", "pii"):
        assert len(verdict["errors"]) >= (2 if case == "rejected" else 1)
    if case == "pii":
        assert "0912" not in response.text
        assert all("0912" not in (row["detail"] or "") for row in Store(world.portal_db).audit_rows())


def test_uploads_are_stored_under_server_chosen_names(client, world, tmp_path):
    path = unit_workbook(tmp_path / "x.xlsx", world.unit_a, **{"Ngày lập báo cáo": "21/11/2026"})
    with open(path, "rb") as handle:
        response = client.post("/api/v1/submissions", files={"file": ("../../etc/bao cáo; rm -rf.xlsx", handle)},
                               auth=AUTH["donvi_a"])  # fmt: skip
    assert response.status_code == 200, response.text
    sha = response.json()["file_sha256"]
    (record,) = [row for row in Store(world.portal_db).uploads_of([world.unit_a]) if row["file_sha256"] == sha]
    stored = world.inbox / "portal" / world.unit_a / record["stored_name"]
    assert stored.is_file() and stored.read_bytes() == path.read_bytes()
    assert record["stored_name"].startswith("portal_") and record["stored_name"].endswith(".xlsx")
    assert record["original_name"] == "bao cáo; rm -rf.xlsx"
    listed = (world.inbox / "_received.csv").read_text(encoding="utf-8")
    assert f"portal/{world.unit_a}/{record['stored_name']}," in listed


def test_uploads_over_20_mb_are_refused_early(client, world):
    before = _inbox_files(world)
    big = b"0" * (MAX_UPLOAD_BYTES + 1024)
    response = client.post("/api/v1/submissions", files={"file": ("big.xlsx", big)}, auth=AUTH["donvi_a"])
    assert response.status_code == 413

    def chunks():  # no Content-Length: the streamed body is cut off at the limit
        yield b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\n'
        for _ in range(22):
            yield b"0" * (1024 * 1024)

    response = client.post("/api/v1/submissions", content=chunks(), auth=AUTH["donvi_a"],
                           headers={"Content-Type": "multipart/form-data; boundary=xyz"})  # fmt: skip
    assert response.status_code == 413
    assert _inbox_files(world) == before


def test_ten_failures_lock_the_account_for_15_minutes(client, world):
    store = Store(world.portal_db)
    store.add("khoa_thu", "unit", PASSWORD, unit_code=world.unit_b)
    status = f"/api/v1/status?year={YEAR}&period={PERIOD}"
    for _ in range(10):
        assert client.get(status, auth=("khoa_thu", "sai-mat-khau-1")).status_code == 401
    response = client.get(status, auth=("khoa_thu", PASSWORD))
    assert response.status_code == 401 and "khóa" in response.json()["detail"]
    (row,) = [row for row in store.accounts() if row["login"] == "khoa_thu"]
    assert row["locked_until"]
    attempts = [row for row in store.audit_rows() if row["login"] == "khoa_thu"]
    assert len(attempts) == 11 and [row["detail"] for row in attempts][:2] == ["locked", "locked"]


def test_the_openapi_schema_lists_the_contract(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/v1/submissions", "/api/v1/status", "/api/v1/reports/{year}/{period}/workbook"} <= set(paths)
    assert not any(path.startswith(("/don-vi", "/tinh", "/bo", "/dang")) for path in paths)


def test_server_chosen_names_are_recorded_by_the_warehouse_as_they_are():
    """A long run of digits (a time with microseconds) reads as an ID number to the personal-data rule:
    the warehouse would record the file under a redacted name, and the portal would miss its status."""
    import datetime as dt
    import random

    from ingest.personal_data import stored_name
    from portal.uploads import server_name

    start, draw = dt.datetime(2026, 1, 1), random.Random(15)
    for _ in range(5000):
        name = server_name(start + dt.timedelta(seconds=draw.randrange(3 * 366 * 86400)), ".xlsx")
        assert stored_name(name, "0" * 64) == name


def test_an_accepted_upload_is_loaded_under_its_own_name(client, world, tmp_path):
    path = unit_workbook(tmp_path / "n.xlsx", world.unit_a, **{"Ngày lập báo cáo": "22/11/2026"})
    response = _post(client, "donvi_a", path)
    assert response.status_code == 200 and response.json()["status"] == "accepted", response.text
    sha = response.json()["file_sha256"]
    (record,) = [row for row in Store(world.portal_db).uploads_of([world.unit_a]) if row["file_sha256"] == sha]
    assert record["warehouse_status"] in ("loaded", "superseded")  # known to the warehouse under its name
    import duckdb

    with duckdb.connect(str(world.warehouse), read_only=True) as con:
        names = con.execute("select file_name from raw.submissions where file_sha256 = ?", [sha]).fetchall()
    assert names == [(record["stored_name"],)]
