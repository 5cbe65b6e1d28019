"""The deadline rush over loopback (issue 15): the real server (`bdg serve`, uvicorn, in its own process)
over a fresh one-province warehouse, 50 units uploading their valid workbooks at the same moment through
the JSON API. Every verdict is `accepted`, the warehouse then holds exactly one submission per unit
(nothing lost, nothing doubled) and every file is in the inbox once. Then the province officer presses
the period-report button on the page: the marts are rebuilt in the server's background thread, the
status table shows the 50 units, and the reports are there to download."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import httpx
import pytest

from bdg.steps import ingest_step
from bdg.transform import run_dbt
from ingest.periods import local_today
from portal.accounts import Store
from sample.generate import generate_inbox
from tests.portal.conftest import PASSWORD, PERIOD, YEAR

RUSH = 50
pytestmark = pytest.mark.skipif(not Path(sys.executable).with_name("bdg").exists(), reason="bdg is not installed")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def rush(tmp_path_factory):
    """A fresh warehouse (reference data, marts built for today, no submission yet), the 50 units'
    generated valid workbooks outside the portal's inbox, an account per unit and one for Sở Nội vụ,
    and `bdg serve` on a free port."""
    root = tmp_path_factory.mktemp("rush")
    generated = generate_inbox(root / "generated", provinces=1, units_per_province=RUSH + 6, year=YEAR, seed=15,
                               missing_rate=0, bad_rate=0, late_rate=0, resubmit_rate=0)  # fmt: skip
    units = [unit for unit in generated.manifest["units"] if len(unit["files"]) == 1][:RUSH]
    assert len(units) == RUSH
    warehouse, inbox, out = root / "warehouse" / "bdg.duckdb", root / "inbox", root / "out"
    inbox.mkdir()
    ingest_step(warehouse, inbox, generated.reference_dir, out)  # nothing to load: the raw schema, the reference
    run_dbt(["build"], warehouse, local_today(), work_dir=root / "dbt")
    store = Store(warehouse.parent / "portal.sqlite3")
    with ThreadPoolExecutor(4) as pool:  # argon2 hashing, 50 times
        list(pool.map(lambda unit: store.add(f"dv_{unit['unit_code']}", "unit", PASSWORD,
                                             unit_code=unit["unit_code"], province_code="24"), units))  # fmt: skip
    store.add("snv", "province", PASSWORD, province_code="24")
    port = _free_port()
    env = os.environ | {"BDG_INBOX": str(inbox), "BDG_REFERENCE_DIR": str(generated.reference_dir),
                        "BDG_OUT_DIR": str(out), "BDG_WAREHOUSE": str(warehouse)}  # fmt: skip
    env.pop("BDG_PORTAL_DB", None)
    env.pop("BDG_AIRFLOW_API_URL", None)
    log = open(root / "serve.log", "wb")  # noqa: SIM115 — closed at teardown
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("bdg")), "serve", "--port", str(port), "--warehouse", str(warehouse)],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/dang-nhap", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.2)
    else:
        server.kill()
        pytest.fail("bdg serve did not start: " + (root / "serve.log").read_text(errors="replace")[-2000:])
    yield {"url": url, "units": units, "generated": generated, "warehouse": warehouse, "inbox": inbox,
           "out": out, "root": root, "server": server}  # fmt: skip
    server.terminate()
    try:
        server.wait(15)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


def _upload(url: str, unit: dict, path: Path) -> tuple[str, int, dict, float]:
    started = time.perf_counter()
    with httpx.Client(timeout=180) as client:
        response = client.post(f"{url}/api/v1/submissions", auth=(f"dv_{unit['unit_code']}", PASSWORD),
                               files={"file": (path.name, path.read_bytes())})  # fmt: skip
    body = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
    return unit["unit_code"], response.status_code, body, time.perf_counter() - started


def test_fifty_units_upload_at_once(rush):
    jobs = [(unit, rush["generated"].out_dir / unit["files"][0]["file"]) for unit in rush["units"]]
    started = time.perf_counter()
    with ThreadPoolExecutor(RUSH) as pool:
        results = list(pool.map(lambda job: _upload(rush["url"], *job), jobs))
    total = time.perf_counter() - started
    slowest = max(seconds for *_, seconds in results)
    print(f"\n{RUSH} concurrent uploads over loopback: {total:.1f} s in all, slowest verdict {slowest:.1f} s, "
          f"median {sorted(s for *_, s in results)[RUSH // 2]:.1f} s")  # fmt: skip
    wrong = [(code, status, body) for code, status, body, _ in results
             if status != 200 or body.get("status") != "accepted" or body.get("unit_code") != code]  # fmt: skip
    assert not wrong, wrong
    expected = {unit["unit_code"] for unit in rush["units"]}
    with duckdb.connect(str(rush["warehouse"]), read_only=True) as con:
        rows = con.execute(
            "select unit_code, status, count(*) from raw.submissions group by all order by all"
        ).fetchall()
    assert {code for code, _, _ in rows} == expected  # nothing lost
    assert all(status == "loaded" and count == 1 for _, status, count in rows), rows  # nothing doubled
    kept = sorted(p.parent.name for p in (rush["inbox"] / "portal").rglob("*.xlsx"))
    assert kept == sorted(expected)
    listed = (rush["inbox"] / "_received.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert sorted(line.split("/")[1] for line in listed) == sorted(expected)
    assert not list((rush["inbox"] / "_portal_staging").glob("*"))


def _signed_in(url: str, login: str) -> httpx.Client:
    browser = httpx.Client(base_url=url, timeout=60)
    token = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/dang-nhap").text).group(1)
    response = browser.post("/dang-nhap", data={"login": login, "password": PASSWORD, "csrf_token": token})
    assert response.status_code in (200, 303), response.text
    return browser


def test_the_period_report_button_rebuilds_the_marts_and_writes_the_reports(rush):
    browser = _signed_in(rush["url"], "snv")
    page = browser.get(f"/tinh?year={YEAR}&period={PERIOD}")
    assert page.status_code == 200
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    started = time.perf_counter()
    response = browser.post("/tinh/bao-cao/lap", data={"year": YEAR, "period": PERIOD, "csrf_token": token},
                            follow_redirects=False)  # fmt: skip
    assert response.status_code == 303, response.text
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        page = browser.get(f"/tinh?year={YEAR}&period={PERIOD}")
        # While the job holds the warehouse the page says so (503) and asks to come back: the officer does.
        if page.status_code != 503 and "đang chạy" not in page.text:
            break
        time.sleep(2)
    print(f"\nperiod report in the server's background thread: {time.perf_counter() - started:.0f} s")
    assert "(in-process) — xong" in page.text, page.text[-3000:]
    links = re.findall(r'href="(/tinh/bao-cao/[^"]+)"', page.text)
    names = {link.split("/")[-1].split("?")[0] for link in links}
    assert {f"bao_cao_bdg_{YEAR}_{PERIOD}.xlsx", f"bao_cao_bdg_{YEAR}_{PERIOD}.html"} <= names, links
    for link in links:
        download = browser.get(link.replace("&amp;", "&"))
        assert download.status_code == 200 and len(download.content) > 1000, link
        assert download.content[:2] == b"PK" or b"<html" in download.content[:2000].lower()
    # The marts were rebuilt after the uploads: the status table now shows the 50 units as reported.
    status = httpx.get(f"{rush['url']}/api/v1/status?year={YEAR}&period={PERIOD}", auth=("snv", PASSWORD),
                       timeout=60).json()["units"]  # fmt: skip
    reported = {row["unit_code"] for row in status if row["status"] in ("on_time", "late")}
    assert reported == {unit["unit_code"] for unit in rush["units"]}
