"""A harness that runs one test against the sync and the async client alike.

Tests written once as ``async def`` call ``await c7.call("get_docs", ...)``;
the ``c7`` fixture is parametrized over both clients, so behaviour that could
differ between them is always checked on both. Sleeping is recorded, never done.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from context7_kit import AsyncContext7Client, Context7Client, PagedSnippet
from tests.conftest import BASE_URL, TEST_KEY
from tests.fake_api import FakeAPI

Client = Context7Client | AsyncContext7Client


@dataclass
class Harness:
    """One client (sync or async) wired to a fake API, with its sleeps recorded."""

    is_async: bool
    api: FakeAPI
    client: Client
    sleeps: list[float] = field(default_factory=list)
    # Transport failures to raise before the fake API answers (one per request).
    raises: list[type[httpx.TransportError]] = field(default_factory=list)
    raise_text: str = "connection refused"

    @property
    def requests(self) -> list[httpx.Request]:
        return self.api.requests

    async def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        result = getattr(self.client, method)(*args, **kwargs)
        if inspect.isawaitable(result):
            result = await result
        return result

    async def collect(self, *args: Any, **kwargs: Any) -> list[PagedSnippet]:
        iterator = self.client.iter_docs(*args, **kwargs)
        if self.is_async:
            return [s async for s in iterator]  # type: ignore[union-attr]
        return list(iterator)  # type: ignore[arg-type]

    async def close(self) -> None:
        if isinstance(self.client, AsyncContext7Client):
            await self.client.aclose()
        else:
            self.client.close()


def make_harness(is_async: bool, api: FakeAPI, **settings: Any) -> Harness:
    settings.setdefault("api_key", TEST_KEY)
    settings.setdefault("base_url", BASE_URL)
    harness: Harness

    def handler(request: httpx.Request) -> httpx.Response:
        if harness.raises:
            api.requests.append(request)
            raise harness.raises.pop(0)(harness.raise_text, request=request)
        return api(request)

    transport = httpx.MockTransport(handler)
    if is_async:
        client: Client = AsyncContext7Client(http_client=httpx.AsyncClient(transport=transport), **settings)
    else:
        client = Context7Client(http_client=httpx.Client(transport=transport), **settings)
    harness = Harness(is_async=is_async, api=api, client=client)
    if is_async:

        async def record_sleep(seconds: float) -> None:
            harness.sleeps.append(seconds)

        client._sleep = record_sleep
    else:
        client._sleep = harness.sleeps.append
    return harness


@pytest.fixture(params=[False, True], ids=["sync", "async"])
def is_async(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


@pytest.fixture
async def make_c7(is_async: bool) -> AsyncIterator[Callable[..., Harness]]:
    """Build harnesses with custom settings; each gets its own fake API unless one is passed."""
    made: list[Harness] = []

    def make(api: FakeAPI | None = None, **settings: Any) -> Harness:
        harness = make_harness(is_async, api or FakeAPI(), **settings)
        made.append(harness)
        return harness

    yield make
    for harness in made:
        await harness.close()


@pytest.fixture
def c7(make_c7: Callable[..., Harness], fake_api: FakeAPI) -> Harness:
    """A client with the test key, default settings, over ``fake_api``."""
    return make_c7(fake_api)


def error_response(status: int, error: str, message: str, **extra: Any) -> httpx.Response:
    headers = extra.pop("headers", None)
    return httpx.Response(status, json={"error": error, "message": message, **extra}, headers=headers)


def docs_body(
    snippets: list[dict[str, Any]] | None = None,
    *,
    page: int = 1,
    total_pages: int = 1,
    has_next: bool = False,
) -> dict[str, Any]:
    return {
        "snippets": snippets or [],
        "totalTokens": 0,
        "pagination": {
            "page": page,
            "limit": 10,
            "totalPages": total_pages,
            "hasNext": has_next,
            "hasPrev": page > 1,
        },
        "metadata": {"authentication": "none"},
    }
