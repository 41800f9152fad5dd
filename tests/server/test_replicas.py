"""Two ``serve`` processes on one PostgreSQL index and one Redis, as behind a load balancer.

``context7-kit index`` writes the index; both replicas only read it. A client
spreads its requests over both; the replicas answer alike, share each key's
rate limit, and both serve the docs as soon as ``index`` has re-indexed them.
"""

from __future__ import annotations

import itertools
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from context7_kit import Context7Client, RateLimitError
from tests.server.conftest import WIDGETS
from tests.services import free_port, fresh_window

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 40
KEY = "ctx7sk-replicas-aaaaaaaaaaaaaaaa"
OTHER_KEY = "ctx7sk-replicas-bbbbbbbbbbbbbbbb"
START_TIMEOUT = 60.0


def context7_kit(*args: str) -> list[str]:
    return [sys.executable, "-m", "context7_kit.server.cli", *args]


class Replica:
    """One ``context7-kit serve`` process on a free loopback port."""

    def __init__(self, args: list[str], log: Path) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}/api"
        self.log = log
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                context7_kit("serve", *args, "--port", str(self.port), "--log-level", "warning"),
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def wait_until_serving(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"serve did not start:\n{self.log.read_text(errors='replace')[-3000:]}")
            try:
                if httpx.get(f"{self.base_url}/openapi.json", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


class RoundRobin(httpx.BaseTransport):
    """Send each request to the next replica in turn, as a load balancer does; count what each one got."""

    def __init__(self, ports: list[int]) -> None:
        self._next = itertools.cycle(ports)
        self._transport = httpx.HTTPTransport()
        self.served: dict[int, int] = dict.fromkeys(ports, 0)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        port = next(self._next)
        self.served[port] += 1
        request.url = request.url.copy_with(port=port)
        return self._transport.handle_request(request)

    def close(self) -> None:
        self._transport.close()


def generation(dsn: str) -> int:
    with psycopg.connect(dsn) as conn:
        row = conn.execute("SELECT value FROM c7kit_meta WHERE key = 'generation'").fetchone()
    return int(row[0]) if row else -1


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "widgets"
    shutil.copytree(WIDGETS, folder)
    return folder


@pytest.fixture
def replicas(docs: Path, postgres_dsn: str, redis_url: str, tmp_path: Path) -> Iterator[list[Replica]]:
    library = ["--library", f"/acme/widgets={docs}", "--index", postgres_dsn]
    subprocess.run(context7_kit("index", *library), cwd=ROOT, check=True, capture_output=True, timeout=120)
    written = generation(postgres_dsn)
    limits = ["--rate-limit", f"{LIMIT}/day", "--rate-limit-store", redis_url]
    keys = ["--api-key", KEY, "--api-key", OTHER_KEY]
    started = [Replica([*library, *limits, *keys], tmp_path / f"replica-{n}.log") for n in (1, 2)]
    try:
        for replica in started:
            replica.wait_until_serving()
        assert generation(postgres_dsn) == written  # the replicas found the index current: they only read
        yield started
    finally:
        for replica in started:
            replica.stop()


def test_two_replicas_share_one_index_and_one_rate_limit(
    replicas: list[Replica], docs: Path, postgres_dsn: str
) -> None:
    one, two = replicas
    auth = {"Authorization": f"Bearer {KEY}"}
    requests = [
        ("/v2/docs/code/acme/widgets", {"topic": "routes", "type": "json"}),
        ("/v2/docs/info/acme/widgets", {"topic": "theme", "type": "json", "page": "2", "limit": "2"}),
        ("/v2/context", {"libraryId": "/acme/widgets", "query": "How do I order middleware?", "type": "json"}),
        ("/v2/libs/search", {"libraryName": "widgets", "query": "dark mode"}),
        ("/v2/search", {"query": "widgets"}),
    ]
    fresh_window(24 * 3600, 120)  # all of the key's requests in one day's window
    for path, params in requests:  # the same answer from either replica
        answers = [httpx.get(r.base_url + path, params=params, headers=auth) for r in replicas]
        assert [a.status_code for a in answers] == [200, 200], answers[0].text
        assert answers[0].json() == answers[1].json(), path
    used = 2 * len(requests)

    balancer = RoundRobin([one.port, two.port])
    http = httpx.Client(base_url=one.base_url, transport=balancer)
    with Context7Client(base_url=one.base_url, api_key=KEY, http_client=http, max_retries=0) as client:
        topics = itertools.cycle(["routes", "middleware", "theme", "install", "testing"])
        for _ in range(LIMIT - used):
            page = client.get_docs("/acme/widgets", topic=next(topics), limit=3)
            assert page.snippets
        assert balancer.served == {one.port: (LIMIT - used) // 2, two.port: (LIMIT - used) // 2}
        with pytest.raises(RateLimitError) as refused:  # the key's 40 requests are used up, across both
            client.get_docs("/acme/widgets", topic="routes")
        assert refused.value.limit == LIMIT
    for replica in replicas:
        answer = httpx.get(f"{replica.base_url}/v2/search", params={"query": "widgets"}, headers=auth)
        assert answer.status_code == 429
        assert answer.headers["ratelimit-remaining"] == "0"

    # A docs change, re-indexed once by `context7-kit index`, is served by both replicas.
    guide = docs / "guide" / "routing.md"
    guide.write_text(guide.read_text() + "\n## Teleports\n\nJump anywhere:\n\n```python\nteleport('/home')\n```\n")
    before = generation(postgres_dsn)
    library = ["--library", f"/acme/widgets={docs}", "--index", postgres_dsn]
    subprocess.run(context7_kit("index", *library), cwd=ROOT, check=True, capture_output=True, timeout=120)
    assert generation(postgres_dsn) > before
    other = {"Authorization": f"Bearer {OTHER_KEY}"}  # a key with its own limit
    for replica in replicas:
        answer = httpx.get(
            f"{replica.base_url}/v2/docs/code/acme/widgets", params={"topic": "teleport", "type": "json"}, headers=other
        )
        assert answer.status_code == 200
        assert "teleport('/home')" in answer.json()["snippets"][0]["codeList"][0]["code"]
