"""Shared fixtures. Tests never reach the network beyond loopback (pytest-socket)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from context7_kit import AsyncContext7Client, Context7Client
from tests.fake_api import FakeAPI

TEST_KEY = "ctx7sk-test-0123456789abcdef"
BASE_URL = "https://context7.test/api"


def pytest_configure(config: pytest.Config) -> None:
    # Loopback only: anything else fails the test instead of leaving the machine.
    config.option.allow_hosts = "127.0.0.1,::1,localhost"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests choose their own key and URL; the developer's environment never leaks in."""
    monkeypatch.delenv("CONTEXT7_API_KEY", raising=False)
    monkeypatch.delenv("CONTEXT7_API_URL", raising=False)


@pytest.fixture
def fake_api() -> FakeAPI:
    return FakeAPI()


@pytest.fixture
def client(fake_api: FakeAPI) -> Iterator[Context7Client]:
    with Context7Client(api_key=TEST_KEY, base_url=BASE_URL, http_client=fake_api.sync_client()) as c:
        c._sleep = lambda _s: None
        yield c


@pytest.fixture
async def async_client(fake_api: FakeAPI) -> AsyncIterator[AsyncContext7Client]:
    async def no_sleep(_s: float) -> None:
        return None

    async with AsyncContext7Client(api_key=TEST_KEY, base_url=BASE_URL, http_client=fake_api.async_client()) as c:
        c._sleep = no_sleep
        yield c


# --- Cassettes ----------------------------------------------------------------
#
# Cassette tests (``@pytest.mark.vcr``) replay recordings from cassettes/ and
# never need a server in CI (``--record-mode=none``). ``make record`` re-records
# them from the local server over tests/fixtures/docs, or from the live API when
# CONTEXT7_API_URL and CONTEXT7_API_KEY are set. Assertions are about shape and
# behaviour, so the same tests pass on either recording.

import os  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402
from urllib.parse import urlsplit, urlunsplit  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CASSETTES = ROOT / "cassettes"
FIXTURE_DOCS = Path(__file__).resolve().parent / "fixtures" / "docs"
# Read before _clean_env runs: replay needs no secret, recording may use one.
RECORDING_KEY = os.getenv("CONTEXT7_API_KEY", "test-key")
RECORDING_URL = os.getenv("CONTEXT7_API_URL")
# Cassettes match on method, path and query, so replay needs no listener here.
REPLAY_BASE_URL = "http://127.0.0.1:9/api"
NOISY_HEADERS = ("date", "server", "set-cookie", "x-request-id", "cf-ray", "via", "alt-svc", "report-to", "nel")
_used_cassettes: set[Path] = set()


def _scrub_response(response: dict[str, object]) -> dict[str, object]:
    headers = response.get("headers")
    if isinstance(headers, dict):
        for name in list(headers):
            if name.lower() in NOISY_HEADERS:
                del headers[name]
    return response


def _scrub_request(request: Any) -> Any:
    """Record a loopback server's random port as the replay address, so re-records diff little."""
    parts = urlsplit(request.uri)
    if parts.hostname in ("127.0.0.1", "localhost"):
        request.uri = urlunsplit(parts._replace(netloc=urlsplit(REPLAY_BASE_URL).netloc))
    return request


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    return str(CASSETTES / Path(str(request.node.fspath)).stem)


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, object]:
    return {
        # Secrets out; the loopback port and version strings too, so a re-record gives a small diff.
        "filter_headers": ["authorization", "cookie", "host", "user-agent"],
        "before_record_request": _scrub_request,
        "before_record_response": _scrub_response,
        "match_on": ["method", "path", "query"],
        "decode_compressed_response": True,
    }


@pytest.fixture(autouse=True)
def _cassette_fully_played(request: pytest.FixtureRequest, record_mode: str) -> Iterator[None]:
    """A replayed cassette must be played to the end: stale recordings fail."""
    yield
    if not request.node.get_closest_marker("vcr"):
        return
    cassette = request.getfixturevalue("vcr")
    if cassette is None:
        return
    _used_cassettes.add(Path(cassette._path).resolve())
    if record_mode == "none":
        unplayed = len(cassette.data) - cassette.play_count
        assert cassette.all_played, (
            f"{unplayed} recorded interaction(s) in {cassette._path} were never played: re-record with `make record`."
        )


@pytest.fixture(scope="session")
def c7_api_key() -> str:
    """The key cassette tests use: the real one only while recording from the live API."""
    return RECORDING_KEY


def _recording_url(request: pytest.FixtureRequest, profile: str) -> Iterator[str]:
    mode = request.config.getoption("--record-mode") or "none"
    if mode == "none":
        yield REPLAY_BASE_URL
        return
    if RECORDING_URL and RECORDING_KEY != "test-key":
        yield RECORDING_URL
        return
    from tests.docs_server import fixture_server

    with fixture_server(FIXTURE_DOCS, ROOT / "docs", profile=profile) as base_url:  # type: ignore[arg-type]
        yield base_url


@pytest.fixture(scope="session")
def c7_base_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """Where cassette tests send requests: recorded servers (every route, Surface A too), or nothing at replay."""
    yield from _recording_url(request, "full")


@pytest.fixture(scope="session")
def c7_live_base_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """Like ``c7_base_url``, but recorded from a server answering as context7.com does today (no Surface A)."""
    yield from _recording_url(request, "live")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """On a whole-suite replay, a cassette no test used is an error."""
    config = session.config
    whole_suite = not config.option.keyword and not config.option.markexpr and config.args == ["tests"]
    ran_tests = not config.option.collectonly and session.testscollected > 0
    if not whole_suite or not ran_tests or (config.getoption("--record-mode") or "none") != "none" or exitstatus != 0:
        return
    unused = sorted(p for p in CASSETTES.rglob("*.yaml") if p.resolve() not in _used_cassettes)
    if unused:
        names = ", ".join(str(p.relative_to(ROOT)) for p in unused)
        print(f"\nUnused cassettes (delete them or re-record with `make record`): {names}")
        session.exitstatus = 1


# --- Real PostgreSQL and Redis (started once per session, see tests/services.py) ---

from collections.abc import Callable  # noqa: E402
from typing import TypeVar  # noqa: E402

from tests.services import PostgresServer, RedisServer, ServiceMissing  # noqa: E402

_S = TypeVar("_S", PostgresServer, RedisServer)


def _started(service: Callable[[], _S]) -> Iterator[_S]:
    try:
        server = service()
    except ServiceMissing as exc:
        if os.getenv("CI"):  # CI installs both: there a missing server is a failure, not a skip
            pytest.fail(str(exc))
        pytest.skip(str(exc))
    with server:
        yield server


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL for the whole session; each test takes its own schema (``postgres_dsn``)."""
    yield from _started(PostgresServer)


@pytest.fixture
def postgres_dsn(postgres_server: PostgresServer) -> str:
    """The URL of a new, empty PostgreSQL schema of the session's database."""
    return postgres_server.fresh_dsn()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """One Redis for the whole session; each test takes its own logical database (``redis_url``)."""
    yield from _started(RedisServer)


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    """The URL of an emptied Redis logical database no other test is using."""
    return redis_server.fresh_url()
