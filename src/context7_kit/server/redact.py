"""Connection URLs shown without their password (in messages, logs and reprs)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit


def shown_url(url: str) -> str:
    """``url`` with its password (in the address or a ``password=`` parameter) replaced by ``***``."""
    try:
        parts = urlsplit(url)
        password, port = parts.password, parts.port
    except ValueError:  # an unparsable port: show only the scheme
        return f"{url.partition(':')[0]}://..."
    if password is not None:
        host = parts.hostname or ""
        host = f"[{host}]" if ":" in host else host
        parts = parts._replace(netloc=f"{parts.username or ''}:***@{host}" + (f":{port}" if port else ""))
    if "password" in parts.query.lower():
        pairs = [
            (k, "***" if k.lower() == "password" else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
        ]
        parts = parts._replace(query=urlencode(pairs, safe="*"))
    return urlunsplit(parts)
