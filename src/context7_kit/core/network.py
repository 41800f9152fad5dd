"""Diagnosing what stood between the client and the server: TLS verification and proxies.

Corporate networks are where a first call most often fails: a proxy that
inspects TLS presents its own certificate, or a proxy named in the
environment is down. The client's errors say so, and name what to change,
instead of blaming Context7 or the network at large.
"""

from __future__ import annotations

import ssl

import httpx

CERTIFICATE_HINT = (
    "If your network inspects TLS (a corporate proxy) or the server uses a private CA, set SSL_CERT_FILE "
    "to that CA bundle (a PEM file), or pass http_client=httpx.Client(verify=...)"
)


def is_certificate_failure(exc: BaseException) -> bool:
    """Whether ``exc``, or what caused it, is a failed TLS certificate verification."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in str(current):
            return True
        current = current.__cause__ or current.__context__
    return False


def shown_proxy(url: str) -> str:
    """A proxy URL without its user name and password."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError):
        return "(an unparsable proxy URL)"
    return str(parsed.copy_with(userinfo=b"")) if parsed.userinfo else str(parsed)


def environment_proxy(url: httpx.URL) -> tuple[str, str] | None:
    """The proxy the environment names for ``url``, as (variable, URL without credentials), or None.

    Follows the variables httpx reads with ``trust_env``: ``HTTPS_PROXY``,
    ``HTTP_PROXY``, ``ALL_PROXY`` and ``NO_PROXY``, in either case.
    """
    import urllib.request  # noqa: PLC0415  (only a failed request needs it)

    proxies = urllib.request.getproxies_environment()
    host = url.host
    if not proxies or urllib.request.proxy_bypass(host):
        return None
    for scheme in (url.scheme, "all"):
        if proxies.get(scheme):
            return f"{scheme.upper()}_PROXY", shown_proxy(proxies[scheme])
    return None
