"""Sở Nội vụ's pages: the status of every expected unit of the province (filter by status and kind,
sort by days late), each unit's files and errors, the chase list and the draft letter, the province's
reports, when the data was last loaded, and the button that runs the period report."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse

from ingest.periods import REPORT_TYPES, local_today, period_of
from portal.pages import render
from portal.queries import STATUS_ORDER
from portal.security import ProvinceAccount, check_csrf, client_of

router = APIRouter(prefix="/tinh", include_in_schema=False)
REPORT_NAME = re.compile(r"^(du_thao_)?bao_cao_bdg_(\d{4})_(6T|NAM)\.(xlsx|html|docx)$")
MEDIA = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
}
SORTS = {"ma": "mã đơn vị", "tre": "số ngày muộn", "trang-thai": "trạng thái"}


def chosen_period(request: Request, year: int | None, period: str | None) -> tuple[int, str]:
    """The period asked for, else the newest of the calendar the current date is about."""
    if period is not None and period not in REPORT_TYPES:
        raise HTTPException(422, "Kỳ báo cáo phải là 6T hoặc NAM.")
    if year is not None and period is not None:
        return year, period
    known = request.app.state.marts.periods() if request.app.state.marts.built() else []
    current = period_of(local_today())
    return current if current in known or not known else known[0]


def sole_province(request: Request, province_code: str) -> bool:
    """True when every unit of the warehouse is of this province: the warehouse-wide outputs (reports,
    chase workbook) then show nothing of another province."""
    codes = {unit["province_code"] for unit in request.app.state.marts.units().values()}
    return codes == {province_code}


def status_context(request: Request, province_code: str, year: int, period: str, status, kind, sort) -> dict:
    marts = request.app.state.marts
    rows = marts.status(year, period, province_code) if marts.built() else []
    counts = {code: 0 for code in STATUS_ORDER}
    for row in rows:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    labels = {row["status"]: row["status_name_vi"] for row in rows}
    kinds = sorted({(row["unit_kind"], row["unit_kind_name_vi"]) for row in rows})
    shown = [row for row in rows if (not status or row["status"] == status) and (not kind or row["unit_kind"] == kind)]
    order = {code: index for index, code in enumerate(STATUS_ORDER)}
    if sort == "tre":
        shown.sort(key=lambda row: (-(row["days_late"] or 0), order.get(row["status"], 9), row["unit_code"]))
    elif sort == "trang-thai":
        shown.sort(key=lambda row: (order.get(row["status"], 9), -(row["days_late"] or 0), row["unit_code"]))
    return {
        "province_code": province_code, "year": year, "period": period, "rows": shown, "total": len(rows),
        "counts": counts, "labels": labels, "kinds": kinds, "status": status or "", "kind": kind or "",
        "sort": sort or "ma", "sorts": SORTS, "periods": marts.periods() if marts.built() else [],
        "as_of": marts.as_of(), "last_written": marts.last_written(),
    }  # fmt: skip


def report_files(out_dir: Path, year: int, period: str) -> list[dict]:
    """The period's reports under OUT (published) and OUT/du_thao (held back by the checks)."""
    found = []
    for folder, draft in ((out_dir, False), (out_dir / "du_thao", True)):
        for path in sorted(folder.glob(f"*bao_cao_bdg_{year}_{period}.*")):
            if REPORT_NAME.match(path.name):
                found.append({"name": path.name, "draft": draft, "modified": path.stat().st_mtime})
    return found


def report_response(out_dir: Path, name: str, draft: bool) -> FileResponse:
    match = REPORT_NAME.match(name)
    path = (out_dir / "du_thao" if draft else out_dir) / name
    if match is None or not path.is_file():
        raise HTTPException(404, "Chưa có báo cáo này.")
    return FileResponse(path, filename=name, media_type=MEDIA[match.group(4)])


@router.get("")
def status_page(
    request: Request,
    account: ProvinceAccount,
    year: int | None = None,
    period: str | None = None,
    status: str | None = None,
    kind: str | None = None,
    sort: str | None = None,
):
    year, period = chosen_period(request, year, period)
    context = status_context(request, account.province_code, year, period, status, kind, sort)
    context |= {
        "reports": report_files(request.app.state.paths["out"], year, period),
        "may_download": sole_province(request, account.province_code),
        "job": request.app.state.jobs.jobs.get((year, period)),
        "base": "/tinh",
    }
    return render(request, "province.html", context)


@router.get("/don-vi/{unit_code}")
def unit_page(request: Request, unit_code: str, account: ProvinceAccount):
    marts = request.app.state.marts
    unit = marts.units().get(unit_code)
    if unit is None or unit["province_code"] != account.province_code:
        raise HTTPException(403, "Đơn vị này không thuộc tỉnh của bạn.")
    history = []
    for year, period in marts.periods()[:6]:
        history.extend(r | {"report_year": year, "report_type": period} for r in marts.status(year, period)
                       if r["unit_code"] == unit_code)  # fmt: skip
    return render(
        request,
        "unit_detail.html",
        {
            "unit": unit, "history": history, "rejected": marts.rejected_files([unit_code]),
            "uploads": request.app.state.store.uploads_of([unit_code]),
        },
    )  # fmt: skip


@router.get("/bao-cao/{name}")
def report_download(request: Request, name: str, account: ProvinceAccount, draft: bool = False):
    if not sole_province(request, account.province_code):
        raise HTTPException(403, "Báo cáo của kho này gồm số liệu của nhiều tỉnh.")
    return report_response(request.app.state.paths["out"], name, draft)


@router.post("/bao-cao/lap")
def trigger_report(
    request: Request,
    account: ProvinceAccount,
    year: int = Form(...),
    period: str = Form(...),
    csrf_token: str = Form(""),
):
    check_csrf(request, csrf_token)
    if period not in REPORT_TYPES:
        raise HTTPException(422, "Kỳ báo cáo phải là 6T hoặc NAM.")
    if not sole_province(request, account.province_code):
        raise HTTPException(403, "Báo cáo của kho này gồm số liệu của nhiều tỉnh: Bộ Nội vụ lập báo cáo này.")
    job = request.app.state.jobs.trigger(year, period, account.login)
    request.app.state.store.audit(account.login, "period_report", True, client_of(request),
                                  {"year": year, "period": period, "via": job.via})  # fmt: skip
    return RedirectResponse(f"/tinh?year={year}&period={period}", status_code=303)


@router.get("/don-doc/{year}/{period}/{what}")
def chase_download(request: Request, year: int, period: str, what: str, account: ProvinceAccount):
    """The chase list (`danh-sach`, the whole warehouse's: only for a one-province warehouse) or the
    province's draft letter (`cong-van`), written by `bdg.steps.chase_step` for the marts' date."""
    from bdg.steps import chase_step

    if period not in REPORT_TYPES or what not in ("danh-sach", "cong-van"):
        raise HTTPException(404, "Không có tệp này.")
    if what == "danh-sach" and not sole_province(request, account.province_code):
        raise HTTPException(403, "Danh sách đôn đốc của kho này gồm đơn vị của nhiều tỉnh.")
    marts = request.app.state.marts
    as_of = marts.as_of()
    if as_of is None:
        raise HTTPException(404, "Kho dữ liệu chưa được dựng.")
    folder = request.app.state.paths["out"] / "portal" / "don_doc" / account.province_code / f"{as_of:%Y%m%d}"
    with request.app.state.gate.hold(30):
        result = chase_step(marts.warehouse, year, period, as_of, folder)
    if what == "danh-sach":
        path = Path(result["chase_xlsx"])
        return FileResponse(path, filename=path.name, media_type=MEDIA["xlsx"])
    letters = [Path(p) for p in result["letters"]]
    mine = [p for p in letters if p.stem.endswith(f"_{account.province_code}")] or (
        letters if len(letters) == 1 else []
    )
    if not mine:
        raise HTTPException(404, "Không có công văn đôn đốc cho tỉnh này.")
    return FileResponse(mine[0], filename=mine[0].name, media_type=MEDIA["docx"])
