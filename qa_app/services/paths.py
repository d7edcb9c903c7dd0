"""Links the app may redirect to or store: only paths on this site."""
from __future__ import annotations


def is_internal_path(link: str | None) -> bool:
    """A path on this site: starts with one "/", no scheme, no host, no backslash or control characters
    (browsers read "/\\evil.com" as "//evil.com", another host)."""
    if not link:
        return False
    return (link.startswith("/") and not link.startswith("//") and "\\" not in link
            and not any(ord(ch) < 32 or ord(ch) == 127 for ch in link))
