"""Who is asking, and what they may see: sessions, CSRF tokens, HTTP Basic for the API, and the
dependencies routers declare (`Depends(unit_account)`, …). Rights are decided here, never in a template.

- Session: a cookie signed with itsdangerous (`bdg_session`: the login and the time it was issued),
  HttpOnly, SameSite=Lax, Secure when the portal is served over https (`BDG_PORTAL_HTTPS=1` behind a
  TLS proxy), valid 8 hours; the account is read again on every request, so disabling it ends the session.
- CSRF: every form carries the random token of the `bdg_csrf` cookie (HttpOnly, SameSite=Lax; double
  submit); a POST without the matching token is refused (403), as is a POST from another origin.
- API: HTTP Basic credentials of a portal account, through the same throttle as the login page.
"""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from itsdangerous import BadSignature, URLSafeTimedSerializer

from portal.accounts import Account

SESSION_COOKIE = "bdg_session"
CSRF_COOKIE = "bdg_csrf"
CSRF_FIELD = "csrf_token"
SESSION_SECONDS = 8 * 3600
_BASIC = HTTPBasic(auto_error=False)


class LoginRequired(Exception):
    """A page asked without a valid session: the app redirects to the login page."""


def secret_key(portal_db: Path) -> str:
    """$BDG_PORTAL_SECRET, else a random key kept (mode 0600) beside the portal database, so sessions
    survive a restart without a secret in any file of the project."""
    value = os.environ.get("BDG_PORTAL_SECRET")
    if value:
        return value
    path = Path(portal_db).with_name("portal_secret.key")
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def https_only() -> bool:
    return os.environ.get("BDG_PORTAL_HTTPS", "").lower() in ("1", "true", "yes")


def serializer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.secret, salt="bdg-portal-session")


def client_of(request: Request) -> str | None:
    return request.client.host if request.client else None


def session_cookie(request: Request, login: str) -> str:
    return serializer(request).dumps({"login": login})


def set_cookie(response, name: str, value: str, max_age: int | None = None) -> None:
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="lax", secure=https_only(), path="/")


def csrf_token(request: Request) -> str:
    """The request's CSRF token (the cookie's, or a new one the response will set)."""
    token = request.cookies.get(CSRF_COOKIE)
    if not token or len(token) < 32:
        token = getattr(request.state, "new_csrf", None) or secrets.token_urlsafe(32)
        request.state.new_csrf = token
    return token


def check_csrf(request: Request, submitted: str | None) -> None:
    """Refuse (403) a form post whose token does not match its cookie, or that comes from another origin."""
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not submitted or not hmac.compare_digest(cookie.encode(), str(submitted).encode()):
        raise HTTPException(403, "Phiên làm việc không hợp lệ (thiếu mã chống giả mạo). Hãy tải lại trang rồi thử lại.")
    origin = request.headers.get("origin")
    if origin and origin != "null" and origin.rstrip("/") != str(request.base_url).rstrip("/"):
        raise HTTPException(403, "Yêu cầu đến từ trang khác.")


def page_account(request: Request) -> Account:
    """The signed-in account of a page request; LoginRequired (→ the login page) when there is none."""
    raw = request.cookies.get(SESSION_COOKIE)
    if raw:
        try:
            data = serializer(request).loads(raw, max_age=SESSION_SECONDS)
        except BadSignature:
            data = None
        account = request.app.state.store.account(data["login"]) if data else None
        if account is not None:
            return account
    raise LoginRequired


def optional_account(request: Request) -> Account | None:
    try:
        return page_account(request)
    except LoginRequired:
        return None


def _role(*roles: str):
    def dependency(account: Annotated[Account, Depends(page_account)]) -> Account:
        if account.role not in roles:
            raise HTTPException(403, "Tài khoản của bạn không có quyền xem trang này.")
        return account

    return dependency


unit_account = _role("unit")
province_account = _role("province")
ministry_account = _role("ministry")


def api_account(request: Request, credentials: Annotated[HTTPBasicCredentials | None, Depends(_BASIC)]) -> Account:
    """The API caller's account from HTTP Basic credentials; 401 when missing, wrong, locked or disabled."""
    if credentials is None:
        raise HTTPException(401, "Cần đăng nhập (HTTP Basic).", headers={"WWW-Authenticate": 'Basic realm="bdg"'})
    account, reason = request.app.state.store.authenticate(
        credentials.username, credentials.password, client_of(request), channel="api"
    )
    if account is None:
        detail = "Tài khoản đang bị khóa tạm thời." if reason == "locked" else "Sai tên đăng nhập hoặc mật khẩu."
        raise HTTPException(401, detail, headers={"WWW-Authenticate": 'Basic realm="bdg"'})
    return account


PageAccount = Annotated[Account, Depends(page_account)]
UnitAccount = Annotated[Account, Depends(unit_account)]
ProvinceAccount = Annotated[Account, Depends(province_account)]
MinistryAccount = Annotated[Account, Depends(ministry_account)]
ApiAccount = Annotated[Account, Depends(api_account)]


def province_scope(account: Account, asked: str | None) -> str | None:
    """The province a status or report request may cover: a province account its own (403 for another),
    the ministry any (None = all); a unit account has no province-wide view (403)."""
    if account.role == "ministry":
        return asked
    if account.role == "province":
        if asked is not None and asked != account.province_code:
            raise HTTPException(403, "Tài khoản của bạn chỉ xem được tỉnh của mình.")
        return account.province_code
    raise HTTPException(403, "Tài khoản đơn vị không xem được tình hình của các đơn vị khác.")
