"""The asynchronous client's cache: its hishel storage wrapper, and the httpx client in front of its own.

The wrapper stores no credentials and serves no entry older than the reading
client's ``cache_ttl`` (see ``_credential_free.py``, which holds what the sync
and async wrappers share). Imported only when a cache is asked for: it loads hishel.

``_sync_storage.py`` is generated from this file by ``scripts/unasync.py``: edit this one, then run the script.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator

import hishel
import httpx
from hishel.httpx import AsyncCacheTransport

from context7_kit.core._credential_free import CLEARED_KEY, marker, split_fresh, stored_at, stored_request


class AsyncCredentialFreeStorage(hishel.AsyncBaseStorage):
    """A storage that writes requests without their credentials and serves entries up to ``max_age``."""

    def __init__(self, inner: hishel.AsyncBaseStorage, *, owned: bool, max_age: float) -> None:
        super().__init__(default_ttl=inner.default_ttl, default_tti=inner.default_tti)
        self.inner = inner
        self.owned = owned
        self.max_age = max_age

    async def create_entry(
        self,
        request: hishel.Request,
        response: hishel.Response,
        key: str,
        *,
        ttl: float | None = None,
        tti: float | None = None,
    ) -> hishel.Entry:
        return await self.inner.create_entry(stored_request(request, time.time()), response, key, ttl=ttl, tti=tti)

    async def get_entries(self, key: str) -> list[hishel.Entry]:
        entries = await self.inner.get_entries(key)
        if not entries:
            return entries
        cleared = max(map(stored_at, await self.inner.get_entries(CLEARED_KEY)), default=0.0)
        fresh, stale = split_fresh(entries, max(time.time() - self.max_age, cleared))
        for entry in stale:
            await self.inner.remove_entry(entry.id)
        return fresh

    async def clear(self) -> None:
        """Stop serving every entry stored until now, to every client that reads this storage."""
        for old in await self.inner.get_entries(CLEARED_KEY):
            await self.inner.remove_entry(old.id)
        request, response = marker()
        entry = await self.inner.create_entry(request, response, CLEARED_KEY)
        if isinstance(entry.response.stream, AsyncIterator):
            async for _ in entry.response.stream:  # the entry is saved once its (empty) body is read
                pass

    async def update_headers(self, id: uuid.UUID, headers: hishel.Headers) -> None:
        await self.inner.update_headers(id, headers)

    async def remove_entry(self, id: uuid.UUID) -> None:
        await self.inner.remove_entry(id)

    async def close(self) -> None:
        if self.owned:
            await self.inner.close()


class _AsyncThroughClient(httpx.AsyncBaseTransport):
    """A transport that sends through an httpx client: its proxies, TLS, auth and hooks apply."""

    def __init__(self, client: httpx.AsyncClient, *, owned: bool) -> None:
        self.client = client
        self.owned = owned

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self.client.send(request, stream=True)

    async def aclose(self) -> None:
        if self.owned:
            await self.client.aclose()


def async_cache_client(
    http: httpx.AsyncClient, storage: AsyncCredentialFreeStorage, *, owns_http: bool
) -> httpx.AsyncClient:
    """An httpx client that answers from ``storage`` or sends through ``http``, which it leaves as it is.

    Closing it closes ``storage`` (whose owner decides what that closes) and, when ``owns_http``, ``http``.
    """
    transport = AsyncCacheTransport(next_transport=_AsyncThroughClient(http, owned=owns_http), storage=storage)
    return httpx.AsyncClient(transport=transport, trust_env=False)
