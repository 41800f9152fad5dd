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

    async with AsyncContext7Client(
        api_key=TEST_KEY, base_url=BASE_URL, http_client=fake_api.async_client()
    ) as c:
        c._sleep = no_sleep
        yield c
