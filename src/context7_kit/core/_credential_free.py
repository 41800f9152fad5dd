"""hishel storages that never keep a request's credentials.

hishel stores each request beside its response, headers included, so a cache
file or a Redis server would hold the API key in clear. The cache needs no
request header (entries are found by key and method), so these wrappers drop
the credential headers before anything is written, for storages the client
made and storages a user passed in alike. A storage a user passed in may be
shared with other clients, so closing the wrapper leaves it open (``owned=False``).
"""

from __future__ import annotations

import dataclasses
import uuid

import hishel

CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})


def without_credentials(request: hishel.Request) -> hishel.Request:
    """A copy of ``request`` without its credential headers."""
    kept = {
        name: request.headers.get_list(name) or [] for name in request.headers if name.lower() not in CREDENTIAL_HEADERS
    }
    return dataclasses.replace(request, headers=hishel.Headers(kept))


class CredentialFreeStorage(hishel.BaseStorage):
    """A sync storage that writes requests without their credentials."""

    def __init__(self, inner: hishel.BaseStorage, *, owned: bool) -> None:
        super().__init__(default_ttl=inner.default_ttl, default_tti=inner.default_tti)
        self.inner = inner
        self.owned = owned

    def create_entry(
        self,
        request: hishel.Request,
        response: hishel.Response,
        key: str,
        *,
        ttl: float | None = None,
        tti: float | None = None,
    ) -> hishel.Entry:
        return self.inner.create_entry(without_credentials(request), response, key, ttl=ttl, tti=tti)

    def get_entries(self, key: str) -> list[hishel.Entry]:
        return self.inner.get_entries(key)

    def update_headers(self, id: uuid.UUID, headers: hishel.Headers) -> None:
        self.inner.update_headers(id, headers)

    def remove_entry(self, id: uuid.UUID) -> None:
        self.inner.remove_entry(id)

    def close(self) -> None:
        if self.owned:
            self.inner.close()


class AsyncCredentialFreeStorage(hishel.AsyncBaseStorage):
    """An async storage that writes requests without their credentials."""

    def __init__(self, inner: hishel.AsyncBaseStorage, *, owned: bool) -> None:
        super().__init__(default_ttl=inner.default_ttl, default_tti=inner.default_tti)
        self.inner = inner
        self.owned = owned

    async def create_entry(
        self,
        request: hishel.Request,
        response: hishel.Response,
        key: str,
        *,
        ttl: float | None = None,
        tti: float | None = None,
    ) -> hishel.Entry:
        return await self.inner.create_entry(without_credentials(request), response, key, ttl=ttl, tti=tti)

    async def get_entries(self, key: str) -> list[hishel.Entry]:
        return await self.inner.get_entries(key)

    async def update_headers(self, id: uuid.UUID, headers: hishel.Headers) -> None:
        await self.inner.update_headers(id, headers)

    async def remove_entry(self, id: uuid.UUID) -> None:
        await self.inner.remove_entry(id)

    async def close(self) -> None:
        if self.owned:
            await self.inner.close()
