"""The client's address for the audit log and login throttling. Behind a reverse proxy, set QA_PROXY_COUNT so
ProxyFix puts the real client address (from X-Forwarded-For) in remote_addr; never trust the header otherwise."""
from flask import has_request_context, request


def client_ip() -> str | None:
    return request.remote_addr if has_request_context() else None
