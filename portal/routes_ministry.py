"""The ministry's pages, read-only: every province's reporting and on-time rates and key figures (the
provinces' marts: `rpt_report_summary` per province; a national roll-up does not exist yet), each
province's status table, and the warehouse's reports."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request

from portal.pages import render
from portal.routes_province import chosen_period, report_files, report_response, status_context
from portal.security import MinistryAccount

router = APIRouter(prefix="/bo", include_in_schema=False)


@router.get("")
def overview(request: Request, account: MinistryAccount, year: int | None = None, period: str | None = None):
    marts = request.app.state.marts
    year, period = chosen_period(request, year, period)
    rows = marts.summary(year, period) if marts.built() else []
    provinces = marts.provinces() if marts.built() else {}
    columns = sorted({row["province_code"] for row in rows}, key=lambda code: (code == "TOAN_QUOC", code))
    items: dict[str, dict] = {}
    for row in rows:
        item = items.setdefault(
            row["item_code"],
            {"label": row["item_label_vi"], "format": row["value_format"], "order": row["item_order"], "values": {}},
        )
        item["values"][row["province_code"]] = row
    return render(
        request,
        "ministry.html",
        {
            "year": year, "period": period, "columns": columns, "provinces": provinces,
            "items": sorted(items.values(), key=lambda item: item["order"]),
            "periods": marts.periods() if marts.built() else [], "as_of": marts.as_of(),
            "reports": report_files(request.app.state.paths["out"], year, period),
        },
    )  # fmt: skip


@router.get("/tinh/{province_code}")
def province_status(
    request: Request,
    account: MinistryAccount,
    province_code: str,
    year: int | None = None,
    period: str | None = None,
    status: str | None = None,
    kind: str | None = None,
    sort: str | None = None,
):
    if province_code not in request.app.state.marts.provinces():
        raise HTTPException(404, "Không có tỉnh này trong kho dữ liệu.")
    year, period = chosen_period(request, year, period)
    context = status_context(request, province_code, year, period, status, kind, sort)
    context |= {"reports": [], "may_download": False, "job": None, "base": f"/bo/tinh/{province_code}"}
    return render(request, "province.html", context)


@router.get("/bao-cao/{name}")
def report_download(request: Request, name: str, account: MinistryAccount, draft: bool = False):
    return report_response(request.app.state.paths["out"], name, draft)
