"""Signing in and out, and the home page that sends each account to its own pages."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from portal.pages import render
from portal.security import (
    SESSION_COOKIE,
    SESSION_SECONDS,
    PageAccount,
    check_csrf,
    client_of,
    session_cookie,
    set_cookie,
)

router = APIRouter(include_in_schema=False)
HOME = {"unit": "/don-vi", "province": "/tinh", "ministry": "/bo"}


@router.get("/")
def home(account: PageAccount):
    return RedirectResponse(HOME[account.role], status_code=303)


@router.get("/dang-nhap")
def login_page(request: Request):
    return render(request, "login.html")


@router.post("/dang-nhap")
def login(request: Request, login: str = Form(""), password: str = Form(""), csrf_token: str = Form("")):
    check_csrf(request, csrf_token)
    store = request.app.state.store
    account, reason = store.authenticate(login.strip(), password, client_of(request))
    if account is None:
        message = {
            "locked": "Tài khoản đang bị khóa 15 phút vì đăng nhập sai nhiều lần.",
            "disabled": "Sai tên đăng nhập hoặc mật khẩu.",
        }.get(reason, "Sai tên đăng nhập hoặc mật khẩu.")
        return render(request, "login.html", {"error": message, "login": login[:64]}, status_code=401)
    response = RedirectResponse(HOME[account.role], status_code=303)
    set_cookie(response, SESSION_COOKIE, session_cookie(request, account.login), max_age=SESSION_SECONDS)
    return response


@router.post("/dang-xuat")
def logout(request: Request, csrf_token: str = Form("")):
    check_csrf(request, csrf_token)
    response = RedirectResponse("/dang-nhap", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
