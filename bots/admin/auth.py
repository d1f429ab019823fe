"""Who may see /admin: holders of NUDGE_ADMIN_TOKEN, by Bearer header or a signed session cookie.

The cookie never carries the token itself: it is `<issued>.<HMAC(token, issued)>`, HttpOnly,
SameSite=Strict, valid for SESSION_SECONDS. Every comparison is constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from aiohttp import web

COOKIE = "nudge_admin"
SESSION_SECONDS = 12 * 3600
DISABLED = (
    "The admin dashboard is off: set NUDGE_ADMIN_TOKEN (a long random string) and restart Nudge."
)


def _sign(token: str, issued: int) -> str:
    return hmac.new(
        token.encode("utf-8"), f"nudge-admin:{issued}".encode(), hashlib.sha256
    ).hexdigest()


def session_value(token: str, now: float | None = None) -> str:
    """A fresh cookie value for someone who just proved they know `token`."""
    issued = int(now if now is not None else time.time())
    return f"{issued}.{_sign(token, issued)}"


def valid_session(token: str, value: str, now: float | None = None) -> bool:
    """True for an unexpired cookie value signed with `token`."""
    issued_text, _, mac = value.partition(".")
    if not issued_text.isdigit() or not mac:
        return False
    issued = int(issued_text)
    current = now if now is not None else time.time()
    if not 0 <= current - issued <= SESSION_SECONDS:
        return False
    return hmac.compare_digest(mac.encode("ascii", "replace"), _sign(token, issued).encode("ascii"))


def token_matches(token: str, offered: str) -> bool:
    """Constant-time comparison of an offered token with the configured one."""
    return hmac.compare_digest(offered.encode("utf-8"), token.encode("utf-8"))


def bearer(request: web.Request) -> str | None:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def authenticated(request: web.Request, token: str) -> str | None:
    """How the request proved itself ("bearer" or "cookie"), or None."""
    offered = bearer(request)
    if offered is not None:
        return "bearer" if token_matches(token, offered) else None
    cookie = request.cookies.get(COOKIE)
    if cookie and valid_session(token, cookie):
        return "cookie"
    return None


def set_session(
    response: web.StreamResponse, request: web.Request, token: str, secure: bool = False
) -> None:
    response.set_cookie(
        COOKIE,
        session_value(token),
        max_age=SESSION_SECONDS,
        path="/admin",
        httponly=True,
        samesite="Strict",
        secure=secure or request.secure,
    )


def clear_session(response: web.StreamResponse) -> None:
    response.del_cookie(COOKIE, path="/admin")
