"""Security headers on every response, HTML or not.

The Content-Security-Policy allows scripts, styles, fonts and fetches from this site only: no inline <script>, no
on*= handlers, no style= attributes, no CDN. Bootstrap is served locally by Bootstrap-Flask; its CSS draws some icons
as data: SVG images, hence img-src data:. Templates pass data to static/*.js through data-* attributes.
"""
from __future__ import annotations

from flask import Flask

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
])

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


def register(app: Flask) -> None:
    @app.after_request
    def _security_headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if app.config.get("SESSION_COOKIE_SECURE"):
            # Only where HTTPS is promised: tells browsers to never use plain HTTP for this host for a year.
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
