"""A unit's pages: upload a workbook and see its verdict at once (every error with sheet and cell),
download the feedback workbook, the unit's own history, and the blank prefilled form of a period."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import FileResponse, RedirectResponse

from ingest.periods import REPORT_TYPES, local_today, period_of
from portal.accounts import Account
from portal.pages import render
from portal.security import UnitAccount, check_csrf
from portal.uploads import receive_upload

router = APIRouter(prefix="/don-vi", include_in_schema=False)


def unit_name(request: Request, unit_code: str) -> str:
    from ingest.reference import read_units

    names = {unit.unit_code: unit.unit_name for unit in read_units(request.app.state.paths["reference"])}
    return names.get(unit_code, unit_code)


@router.get("")
def unit_home(request: Request, account: UnitAccount):
    marts = request.app.state.marts
    history, rejected = [], []
    if marts.built():
        for year, report_type in marts.periods()[:6]:
            mine = [row for row in marts.status(year, report_type) if row["unit_code"] == account.unit_code]
            history.extend(row | {"report_year": year, "report_type": report_type} for row in mine)
        rejected = marts.rejected_files([account.unit_code])
    year, report_type = period_of(local_today())
    return render(
        request,
        "unit.html",
        {
            "unit_name": unit_name(request, account.unit_code),
            "uploads": request.app.state.store.uploads_of([account.unit_code]),
            "history": history,
            "rejected": rejected,
            "as_of": marts.as_of(),
            "form_year": year,
            "form_period": report_type,
        },
    )


@router.post("/nop")
def upload(
    request: Request,
    account: UnitAccount,
    file: Annotated[UploadFile, File()],
    csrf_token: str = Form(""),
):
    check_csrf(request, csrf_token)
    verdict = receive_upload(request, account, file)
    if verdict.status == "refused":
        return render(
            request, "refused.html", {"named_unit": verdict.unit_code, "own_unit": account.unit_code}, status_code=403
        )
    return RedirectResponse(f"/don-vi/nop/{verdict.upload_id}", status_code=303)


def _own_upload(request: Request, upload_id: str, account: Account) -> dict:
    record = request.app.state.store.upload(upload_id)
    if record is None or record["unit_code"] != account.unit_code:
        raise HTTPException(404, "Không có tệp này trong các tệp đơn vị đã gửi.")
    return record


@router.get("/nop/{upload_id}")
def verdict_page(request: Request, upload_id: str, account: UnitAccount):
    return render(request, "verdict.html", {"upload": _own_upload(request, upload_id, account)})


@router.get("/nop/{upload_id}/phan-hoi")
def feedback(request: Request, upload_id: str, account: UnitAccount):
    record = _own_upload(request, upload_id, account)
    path = Path(record["feedback_path"] or "")
    if not record["feedback_path"] or not path.is_file():
        raise HTTPException(404, "Tệp này không có phiếu phản hồi (chỉ tệp bị từ chối mới có).")
    return FileResponse(path, filename=path.name, media_type=XLSX)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/bieu-mau")
def blank_form(request: Request, background: BackgroundTasks, year: int, period: str, account: UnitAccount):
    from ingest.form_writer import write_form

    if period not in REPORT_TYPES or not 2000 <= year <= 2100:
        raise HTTPException(422, "Kỳ báo cáo phải là 6T hoặc NAM, năm từ 2000 đến 2100.")
    folder = Path(tempfile.mkdtemp(prefix="bdg-form-"))
    name = f"bieu_mau_BDG-1_{account.unit_code}_{year}_{period}.xlsx"
    write_form(folder / name, account.unit_code, unit_name(request, account.unit_code), year, period)
    background.add_task(_remove_tree, folder)
    return FileResponse(folder / name, filename=name, media_type=XLSX)


def _remove_tree(folder: Path) -> None:
    import shutil

    shutil.rmtree(folder, ignore_errors=True)


@router.get("/bieu-mau/hien-tai")
def current_form(request: Request, account: UnitAccount):
    year, report_type = period_of(local_today())
    return RedirectResponse(f"/don-vi/bieu-mau?year={year}&period={report_type}", status_code=303)
