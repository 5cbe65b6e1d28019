"""The JSON API (DESIGN, "The portal"): HTTP Basic credentials of a portal account, the pages' rights.

- `POST /api/v1/submissions` (multipart field `file`, a unit account): the verdict the nightly gives
  that file; 403 when its Mã đơn vị names another unit (the file is not kept), 413 over 20 MB.
- `GET /api/v1/status?year=Y&period=P[&province=CODE]`: the units' reporting status as the marts stand;
  a unit account gets its own row, a province account its province (403 for another), the ministry any.
- `GET /api/v1/reports/{year}/{period}/workbook`: the published ministry workbook (province accounts of a
  one-province warehouse, and the ministry).
Wrong or missing credentials → 401.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, HTTPException, Query, Request, UploadFile
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel

from portal.routes_province import MEDIA, sole_province
from portal.security import ApiAccount, province_scope
from portal.uploads import receive_upload

router = APIRouter(prefix="/api/v1", tags=["api"])


class ErrorOut(BaseModel):
    code: str
    sheet: str | None
    cell: str | None
    message_vi: str


class SubmissionOut(BaseModel):
    status: Literal["accepted", "rejected", "duplicate"]
    unit_code: str | None
    file_sha256: str
    errors: list[ErrorOut]


class UnitStatusOut(BaseModel):
    unit_code: str
    unit_name: str
    status: str
    status_vi: str
    days_late: int | None


class StatusOut(BaseModel):
    units: list[UnitStatusOut]


class Problem(BaseModel):
    detail: str


class InvalidField(BaseModel):
    loc: list[str]
    msg: str


class InvalidRequest(BaseModel):
    """What the app's RequestValidationError handler answers (not FastAPI's default 422 body)."""

    detail: str
    errors: list[InvalidField]


# Every API answer but the route's own 200 (the schema tells the truth: schemathesis checks it).
_ERRORS = {
    401: {"model": Problem, "description": "Thiếu hoặc sai thông tin đăng nhập (HTTP Basic), hoặc tài khoản bị khóa."},
    403: {"model": Problem, "description": "Tài khoản không có quyền với dữ liệu này."},
    422: {"model": InvalidRequest, "description": "Yêu cầu không hợp lệ."},
    503: {"model": Problem, "description": "Kho dữ liệu đang bận (nạp hằng đêm); thử lại sau."},
}


@router.post(
    "/submissions",
    response_model=SubmissionOut,
    responses={
        **_ERRORS,
        400: {"model": Problem, "description": "Thân yêu cầu multipart không đọc được."},
        413: {"model": Problem, "description": "Tệp lớn hơn 20 MB."},
    },
)
def submit(request: Request, file: Annotated[UploadFile, File()], account: ApiAccount):
    if account.role != "unit":
        raise HTTPException(403, "Chỉ tài khoản đơn vị được nộp báo cáo.")
    verdict = receive_upload(request, account, file)
    if verdict.status == "refused":
        return JSONResponse(
            {"detail": f"Tệp ghi Mã đơn vị {verdict.unit_code}, không phải đơn vị của tài khoản: không nhận."},
            status_code=403,
        )
    return verdict.as_api()


@router.get("/status", response_model=StatusOut, responses=_ERRORS)
def status(
    request: Request,
    account: ApiAccount,
    year: int = Query(..., ge=2000, le=2100),
    period: Literal["6T", "NAM"] = Query(...),
    province: str | None = Query(None, max_length=32),
):
    if account.role == "unit":
        own = request.app.state.marts.units().get(account.unit_code, {}).get("province_code")
        if province is not None and province != own:
            raise HTTPException(403, "Tài khoản đơn vị chỉ xem được đơn vị của mình.")
        rows = [row for row in request.app.state.marts.status(year, period) if row["unit_code"] == account.unit_code]
    else:
        rows = request.app.state.marts.status(year, period, province_scope(account, province))
    return {
        "units": [
            {"unit_code": row["unit_code"], "unit_name": row["unit_name"], "status": row["status"],
             "status_vi": row["status_name_vi"], "days_late": row["days_late"]}
            for row in rows
        ]
    }  # fmt: skip


@router.get(
    "/reports/{year}/{period}/workbook",
    response_class=FileResponse,
    responses={
        **_ERRORS,
        404: {"model": Problem, "description": "Chưa có báo cáo đã công bố của kỳ này."},
        200: {"content": {MEDIA["xlsx"]: {}}, "description": "Tệp báo cáo (.xlsx)."},
    },
)
def workbook(request: Request, year: int, period: Literal["6T", "NAM"], account: ApiAccount):
    if account.role == "unit":
        raise HTTPException(403, "Tài khoản đơn vị không tải được báo cáo của tỉnh.")
    if account.role == "province" and not sole_province(request, account.province_code):
        raise HTTPException(403, "Báo cáo của kho này gồm số liệu của nhiều tỉnh.")
    path = request.app.state.paths["out"] / f"bao_cao_bdg_{year}_{period}.xlsx"
    if not path.is_file():
        raise HTTPException(404, "Chưa có báo cáo đã công bố của kỳ này.")
    return FileResponse(path, filename=path.name, media_type=MEDIA["xlsx"])
