"""Rendering a page: the template with what every page needs (the account, the CSRF token, the nonce
of the one inline script)."""

from __future__ import annotations

from fastapi import Request

from portal.security import csrf_token, optional_account


def render(request: Request, name: str, context: dict | None = None, status_code: int = 200, headers=None):
    """A page: the template with the request, the account (when signed in), the CSRF token and the nonce."""
    base = {"account": optional_account(request), "csrf_token": csrf_token(request), "nonce": request.state.nonce}
    return request.app.state.templates.TemplateResponse(
        request, name, base | (context or {}), status_code=status_code, headers=headers
    )


def error_page(request: Request, status_code: int, message: str, headers=None):
    return render(request, "error.html", {"status_code": status_code, "message": message}, status_code, headers)
