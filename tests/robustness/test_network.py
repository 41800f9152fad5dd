"""What stands between the client and the server: a certificate it cannot verify, a proxy that is down.

Each failure must say what to change (SSL_CERT_FILE, the proxy), never blame
Context7, never show the proxy's password, and not be retried in vain.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest

from context7_kit import APIConnectionError, APITimeoutError, Context7Error, TLSCertificateError
from tests.robustness import faultserver as fs
from tests.robustness.harness import Harness

TLS = Path(__file__).resolve().parent.parent / "fixtures" / "tls"
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


@pytest.fixture(autouse=True)
def _no_proxy_or_ca_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (*PROXY_VARIABLES, "SSL_CERT_FILE", "SSL_CERT_DIR"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture
def tls_server() -> Iterator[fs.FaultServer]:
    """A docs server whose certificate no public CA signed (as behind a TLS-inspecting proxy)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(TLS / "localhost.pem", TLS / "localhost-key.pem")
    with fs.FaultServer(tls=context) as srv:
        yield srv


def failure(h: Harness, error: type[Context7Error]) -> Context7Error:
    with pytest.raises(Context7Error) as info:
        h.docs()
    assert type(info.value) is error, f"{type(info.value).__name__}: {info.value}"
    return info.value


def test_an_unverifiable_certificate_says_what_to_set_and_is_not_retried(mode: str, tls_server: fs.FaultServer) -> None:
    with Harness(mode, base_url=tls_server.base_url, max_retries=3) as h:
        error = failure(h, TLSCertificateError)
        assert h.waits == [], "the same certificate fails the same way every time: no retry"
    text = str(error)
    assert "CERTIFICATE_VERIFY_FAILED" in text
    assert "SSL_CERT_FILE" in text and "verify=" in text
    assert "Could not reach Context7" not in text
    assert isinstance(error, APIConnectionError), "code catching connection errors still catches it"


def test_ssl_cert_file_is_the_fix_it_names(
    mode: str, tls_server: fs.FaultServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(TLS / "localhost.pem"))
    with Harness(mode, base_url=tls_server.base_url, max_retries=0) as h:
        assert len(h.docs().snippets) == 3


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_dead_proxy_is_named_without_its_password(mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()  # nothing listens there
    monkeypatch.setenv("HTTP_PROXY", f"http://alice:s3cret-pw@127.0.0.1:{port}")
    with Harness(mode, base_url="http://context7.test/api", max_retries=0) as h:
        error = failure(h, APIConnectionError)
    text = str(error)
    assert f"proxy http://127.0.0.1:{port}" in text
    assert "HTTP_PROXY" in text and "NO_PROXY=context7.test" in text
    assert "s3cret-pw" not in text and "alice" not in text


def test_without_a_proxy_the_error_names_none(mode: str) -> None:
    port = free_port()
    with Harness(mode, base_url=f"http://127.0.0.1:{port}/api", max_retries=0) as h:
        error = failure(h, APIConnectionError)
    assert "proxy" not in str(error)
    assert f"127.0.0.1:{port}" in str(error)


def test_a_proxy_that_never_answers_is_named_in_the_timeout(
    mode: str, server: fs.FaultServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.push(fs.stall(5))  # the "proxy" takes the request and says nothing
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{server.port}")
    with Harness(mode, base_url="http://context7.test/api", max_retries=0, timeout=0.5) as h:
        error = failure(h, APITimeoutError)
    assert f"through the proxy http://127.0.0.1:{server.port}, set by HTTP_PROXY" in str(error)
