"""The server under hostile input and load, over loopback: never a 500, never a traceback, never a stall.

Hundreds of requests against a real uvicorn (``LocalServer``): malformed
paths, parameters and headers, raw bytes that are not HTTP, a burst of
concurrent callers mixing good and bad requests, and the hostile corpus of
issue 13 (symlink loops, very deep folders, tags of trees). Every answer is
checked, and so is the server's log: no record may carry a traceback.
"""

from __future__ import annotations

import logging
import random
import socket
import string
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from context7_kit.server import LocalServer, RateLimit
from context7_kit.server.serving import ConnectionLimits
from tests.docs_server import fixture_libraries
from tests.server.conftest import FIXTURE_DOCS, git, looping_folder

KEY = "ctx7sk-hostile-suite-key"
ROUTES = ("/v2/search", "/v2/libs/search", "/v2/context", "/v2/docs/code/acme/widgets", "/v2/docs/info/acme/widgets")
PARAMS = (
    "query",
    "libraryName",
    "libraryId",
    "library",
    "version",
    "language",
    "type",
    "topic",
    "page",
    "limit",
    "fast",
)
NASTY = [
    "",
    " ",
    "\x00",
    "%00",
    "%ff%fe",
    "../../etc/passwd",
    "/acme/widgets/../../x",
    "/acme/widgets@",
    "/acme/widgets@@v1",
    "//",
    "/a/b/c/d/e",
    "'; DROP TABLE snippets; --",
    '" OR 1=1 --',
    "NEAR(a b)",
    "title:foo AND code:*",
    '"unbalanced',
    "*",
    "a" * 501,
    "x" * 5000,
    "\u202e\u200b\ufeff",
    "💥" * 200,
    "-1",
    "0",
    "99999999999999999999",
    "1e309",
    "nan",
    "true",
    "json",
    "txt",
    "/acme/widgets",
    "/acme/old-widgets",
    "/acme/widgets/v1.0.0",
    "/acme/repo@v9.0.0",
    "/acme/repo/tree-tag",
]


def _hostile_docs(root: Path) -> dict[str, Path]:
    """The hostile corpus: symlink loops and deep nesting (``looping_folder``), a git checkout with tags of trees."""
    loops = root / "loops"
    loops.mkdir()
    (loops / "ok.md").write_text("# Ok\n\n## Part\n\n```python\nok()\n```\n")
    repo = root / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "guide.md").write_text("# Guide\n\n## Setup\n\n```python\nsetup()\n```\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "docs")
    git(repo, "tag", "v1.0.0")
    git(repo, "tag", "tree-tag", "HEAD^{tree}")
    git(repo, "tag", "-a", "v9.0.0", "-m", "a tree", "HEAD^{tree}")
    return {**fixture_libraries(FIXTURE_DOCS), "/acme/loops": loops, "/acme/repo": repo}


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    root = tmp_path_factory.mktemp("hostile")
    libraries = _hostile_docs(root)
    aliases = {"/acme/old-widgets": "/acme/widgets"}
    limits = ConnectionLimits(header_timeout=2.0, keep_alive=2, max_connections=200)
    with looping_folder(libraries["/acme/loops"]):
        open_server = LocalServer(libraries, aliases=aliases, limits=limits, all_versions=False)
        guarded = LocalServer(
            libraries,
            aliases=aliases,
            api_keys=[KEY],
            rate_limit=RateLimit(100_000, 60),
            limits=limits,
            profile="onprem",
        )
        with open_server, guarded:
            yield {"open": open_server.base_url, "guarded": guarded.base_url}


@pytest.fixture(autouse=True)
def no_tracebacks(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """No log record of the server may carry a traceback (uvicorn logs unhandled errors with one)."""
    caplog.set_level(logging.WARNING)
    uvicorn_logger = logging.getLogger("uvicorn")  # it does not propagate to the root logger caplog watches
    uvicorn_logger.addHandler(caplog.handler)
    try:
        yield
    finally:
        uvicorn_logger.removeHandler(caplog.handler)
    with_traceback = [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]
    assert not with_traceback, [r.getMessage() for r in with_traceback]


def check(response: httpx.Response) -> None:
    assert response.status_code < 500, (response.request.url, response.status_code, response.text[:300])
    assert "Traceback" not in response.text
    assert "sqlite3" not in response.text and "pydantic" not in response.text.lower()


def test_hostile_parameters_on_every_route(servers: dict[str, str]) -> None:
    rng = random.Random(13)
    statuses: set[int] = set()
    with httpx.Client(timeout=10) as http:
        for base, headers in ((servers["open"], {}), (servers["guarded"], {"Authorization": f"Bearer {KEY}"})):
            for route in ROUTES:
                for _ in range(20):
                    params = [(rng.choice(PARAMS), rng.choice(NASTY)) for _ in range(rng.randint(1, 4))]
                    response = http.get(base + route, params=params, headers=headers)
                    check(response)
                    statuses.add(response.status_code)
    assert statuses & {200, 202} and statuses & {400, 404}  # the inputs did reach the handlers


def test_hostile_paths_methods_and_headers(servers: dict[str, str]) -> None:
    base = servers["open"]
    paths = [
        "/v2/docs/code/%00/%00",
        "/v2/docs/code/acme/widgets/" + "v" * 600,
        "/v2/docs/code/acme/%2e%2e/%2e%2e",
        "/v2/docs/nothing/acme/widgets",
        "/v2/docs/code/acme/widgets/v1/extra/segments",
        "/v2//context",
        "/v2/context/",
        "/" + "a/" * 500,
        "/v2/libs/search?" + "&".join(f"libraryName={n}" for n in range(500)),
        "/v2/search?" + "library=/acme/widgets&" * 10 + "query=x",
        "/v2/context?libraryId=/acme/widgets&query=" + "x%20" * 3000,
    ]
    with httpx.Client(timeout=10) as http:
        for path in paths:
            check(http.get(base + path))
        for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"):
            check(http.request(method, base + "/v2/context", params={"libraryId": "/acme/widgets", "query": "x"}))
        weird_headers = [
            {"Authorization": "Bearer " + "k" * 10_000},
            {"Authorization": "Basic Zm9vOmJhcg=="},
            {"Authorization": "Bearer"},
            {"x-request-id": "<script>alert(1)</script>" * 20},
            {"Accept-Encoding": "br;q=2, *;q=-1"},
            {"Range": "bytes=0-1,5-9"},
            {"X-Forwarded-For": "not-an-ip, , 999.999.1.1"},
        ]
        for headers in weird_headers:
            check(http.get(base + "/v2/libs/search", params={"libraryName": "widgets"}, headers=headers))
        guarded = servers["guarded"]
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Bearer " + "é" * 10}):
            raw = {k: v.encode() for k, v in headers.items()}
            response = http.get(guarded + "/v2/context", params={"libraryId": "/acme/widgets"}, headers=raw)
            check(response)
            assert response.status_code in (401, 429)
            assert KEY not in response.text


def test_bytes_that_are_not_http_get_a_4xx_or_a_closed_connection(servers: dict[str, str]) -> None:
    port = int(servers["open"].split(":")[2].split("/")[0])
    rng = random.Random(7)
    junk = [
        b"\x00\xff\xfe" * 100 + b"\r\n\r\n",
        b"GET\r\n\r\n",
        b"GET /api/v2/context HTTP/9.9\r\n\r\n",
        b"GET /api/v2/context HTTP/1.1\r\nno colon here\r\n\r\n",
        b"GET /api/v2/context HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n",
        b"POST /api/v2/context HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"GET /api/v2/context HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
        bytes(rng.randrange(256) for _ in range(2000)),
        "GET /api/v2/libs/search?libraryName=ü HTTP/1.1\r\nHost: x\r\n\r\n".encode(),
    ]
    for payload in junk:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall(payload)
            try:
                answer = conn.recv(4096)
            except (ConnectionResetError, TimeoutError):
                answer = b""
            if answer:
                status = int(answer.split(b" ", 2)[1])
                assert status < 500, (payload[:60], answer[:200])
    check(httpx.get(servers["open"] + "/v2/libs/search", params={"libraryName": "widgets"}))


def test_a_burst_of_mixed_callers_is_answered_without_a_stall(servers: dict[str, str]) -> None:
    rng = random.Random(42)
    good = [
        ("/v2/context", {"libraryId": "/acme/widgets", "query": "install widgets", "type": "json"}),
        ("/v2/search", {"query": "configure", "type": "json"}),
        ("/v2/libs/search", {"libraryName": "widgets"}),
        ("/v2/docs/code/acme/widgets", {"topic": "render", "page": "2"}),
        ("/v2/context", {"libraryId": "/acme/repo/v1.0.0", "query": "setup"}),  # 202 until indexed, then 200
    ]
    requests: list[tuple[str, dict[str, str]]] = []
    for _ in range(300):
        if rng.random() < 0.6:
            requests.append(rng.choice(good))
        else:
            junk = "".join(rng.choice(string.printable) for _ in range(rng.randint(0, 80)))
            requests.append((rng.choice(ROUTES), {rng.choice(PARAMS): junk}))

    with httpx.Client(base_url=servers["open"], timeout=15, limits=httpx.Limits(max_connections=40)) as http:

        def call(item: tuple[str, dict[str, str]]) -> httpx.Response:
            return http.get(item[0], params=item[1])

        with ThreadPoolExecutor(max_workers=30) as pool:
            answers = list(pool.map(call, requests))
    for answer in answers:
        check(answer)
    assert sum(a.status_code == 200 for a in answers) >= 150
