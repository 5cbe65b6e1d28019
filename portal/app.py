"""The portal's FastAPI application: `create_app()` wires the store, the upload desk, the marts reader,
the report jobs and the routers (by audience: auth, unit, province, ministry, api)."""

from __future__ import annotations

import secrets
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from ingest.warehouse import WarehouseBusyError
from portal import filters
from portal.accounts import Store, database_path
from portal.jobs import ReportJobs
from portal.pages import error_page
from portal.queries import Marts
from portal.security import CSRF_COOKIE, LoginRequired, secret_key, set_cookie
from portal.uploads import MAX_UPLOAD_BYTES, UploadDesk, WarehouseGate

TEMPLATES_DIR = Path(__file__).parent / "templates"
BODY_LIMIT = MAX_UPLOAD_BYTES + 256 * 1024  # the file plus the multipart envelope and the form's fields
_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; script-src 'nonce-{nonce}'"
)


class BodyLimit:
    """Refuse a request body over `limit` bytes with 413: at once when Content-Length says so, else as
    soon as the streamed body passes the limit (nothing beyond it is read)."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            return await _too_large(scope, receive, send)
        seen = 0

        async def limited():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise HTTPException(413, _TOO_LARGE)
            return message

        return await self.app(scope, limited, send)


_TOO_LARGE = f"Tệp quá lớn: tối đa {MAX_UPLOAD_BYTES // (1024 * 1024)} MB."


async def _too_large(scope, receive, send):
    response = JSONResponse({"detail": _TOO_LARGE}, status_code=413, headers={"Connection": "close"})
    await response(scope, receive, send)


def create_app(
    warehouse: Path | None = None,
    inbox: Path | None = None,
    reference_dir: Path | None = None,
    out_dir: Path | None = None,
    portal_db: Path | None = None,
) -> FastAPI:
    """The portal over these paths; each defaults to `bdg.settings.paths()` (BDG_WAREHOUSE, BDG_INBOX,
    BDG_REFERENCE_DIR, BDG_OUT_DIR) and the portal database to `$BDG_PORTAL_DB` (beside the warehouse)."""
    from bdg.settings import paths

    configured = paths()
    warehouse = Path(warehouse or configured["warehouse"])
    inbox = Path(inbox or configured["inbox"])
    reference_dir = Path(reference_dir or configured["reference"])
    out_dir = Path(out_dir or configured["out"])
    portal_db = Path(portal_db or database_path(warehouse))

    app = FastAPI(title="Cổng báo cáo bình đẳng giới", version="1", docs_url="/api/docs", redoc_url=None,
                  openapi_url="/api/openapi.json")  # fmt: skip
    gate = WarehouseGate()
    store = Store(portal_db)
    app.state.paths = {"warehouse": warehouse, "inbox": inbox, "reference": reference_dir, "out": out_dir}
    app.state.store = store
    app.state.secret = secret_key(portal_db)
    app.state.gate = gate
    app.state.marts = Marts(warehouse, gate)
    app.state.desk = UploadDesk(warehouse, inbox, reference_dir, out_dir, store, gate)
    app.state.jobs = ReportJobs(warehouse, out_dir, gate)
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    filters.install(templates.env)
    app.state.templates = templates

    # Innermost: the body limit raises inside the route's own body parsing (an outer BaseHTTPMiddleware
    # would turn the 413 into a 400).
    app.add_middleware(BodyLimit, limit=BODY_LIMIT)

    @app.middleware("http")
    async def headers(request: Request, call_next):
        request.state.nonce = secrets.token_urlsafe(16)
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", _CSP.format(nonce=request.state.nonce))
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Cache-Control", "no-store")
        new = getattr(request.state, "new_csrf", None)
        if new:
            set_cookie(response, CSRF_COOKIE, new)
        return response

    @app.exception_handler(LoginRequired)
    async def to_login(request: Request, _exc: LoginRequired):
        return RedirectResponse("/dang-nhap", status_code=303)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        if (
            request.url.path.startswith("/api/")
            or exc.status_code == 413
            and "multipart" not in (request.headers.get("content-type") or "")
        ):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return error_page(request, exc.status_code, str(exc.detail), exc.headers)

    @app.exception_handler(WarehouseBusyError)
    async def busy(request: Request, exc: WarehouseBusyError):
        message = "Kho dữ liệu đang được cập nhật (nạp báo cáo hằng đêm hoặc dựng số liệu). Hãy thử lại sau ít phút."
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": message}, status_code=503, headers={"Retry-After": "60"})
        return error_page(request, 503, message, {"Retry-After": "60"})

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": "Yêu cầu không hợp lệ.", "errors": _plain(exc.errors())}, status_code=422)
        return error_page(request, 422, "Yêu cầu không hợp lệ: hãy kiểm tra các ô đã nhập.")

    from portal import routes_api, routes_auth, routes_ministry, routes_province, routes_unit

    for module in (routes_auth, routes_unit, routes_province, routes_ministry, routes_api):
        app.include_router(module.router)
    return app


def _plain(errors) -> list[dict]:
    return [{"loc": [str(part) for part in error.get("loc", ())], "msg": str(error.get("msg"))} for error in errors]
