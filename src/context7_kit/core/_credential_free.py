"""The hishel storage wrappers every client's cache goes through.

- Credentials: hishel stores each request beside its response, headers
  included, so a cache file or a Redis server would hold the API key in
  clear. The cache needs no request header (entries are found by key and
  method), so the credential headers are dropped before anything is written,
  for storages the client made and storages a user passed in alike.
- Age: each stored request is stamped with when it was stored, and an entry
  older than the reading client's ``cache_ttl`` is not served (and removed),
  whatever TTL it was written with: lowering ``cache_ttl`` takes effect at once.
- Clearing: ``clear()`` stores a marker with the time it was cleared; entries
  stored before it are not served to any client that reads this storage.
- Ownership: a storage a user passed in may be shared with other clients, so
  closing the wrapper leaves it open (``owned=False``).
"""

from __future__ import annotations

import dataclasses
import time
import uuid
from collections.abc import AsyncIterator, Iterator

import hishel

CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})
STORED_AT = "x-context7-kit-stored-at"
"""The request header, in storage only, that says when an entry was stored (epoch seconds)."""
CLEARED_KEY = "context7-kit:cleared"
"""The storage key of the marker ``clear()`` writes."""


def stored_request(request: hishel.Request, now: float) -> hishel.Request:
    """What is stored of ``request``: no credential headers, and the time it was stored."""
    kept = {
        name: request.headers.get_list(name) or [] for name in request.headers if name.lower() not in CREDENTIAL_HEADERS
    }
    kept[STORED_AT] = [repr(now)]
    return dataclasses.replace(request, headers=hishel.Headers(kept))


def stored_at(entry: hishel.Entry) -> float:
    """When ``entry`` was stored; 0 for an entry without the stamp (it is then never fresh)."""
    try:
        return float(entry.request.headers.get(STORED_AT) or 0.0)
    except ValueError:
        return 0.0


def marker() -> tuple[hishel.Request, hishel.Response]:
    """The request and (empty) response of a clear marker."""
    return stored_request(hishel.Request("GET", CLEARED_KEY), time.time()), hishel.Response(200)


def split_fresh(entries: list[hishel.Entry], oldest: float) -> tuple[list[hishel.Entry], list[hishel.Entry]]:
    """``entries`` as (stored at ``oldest`` or later, stored before it)."""
    fresh = [entry for entry in entries if stored_at(entry) >= oldest]
    return fresh, [entry for entry in entries if stored_at(entry) < oldest]


class CredentialFreeStorage(hishel.BaseStorage):
    """A sync storage that writes requests without their credentials and serves entries up to ``max_age``."""

    def __init__(self, inner: hishel.BaseStorage, *, owned: bool, max_age: float) -> None:
        super().__init__(default_ttl=inner.default_ttl, default_tti=inner.default_tti)
        self.inner = inner
        self.owned = owned
        self.max_age = max_age

    def create_entry(
        self,
        request: hishel.Request,
        response: hishel.Response,
        key: str,
        *,
        ttl: float | None = None,
        tti: float | None = None,
    ) -> hishel.Entry:
        return self.inner.create_entry(stored_request(request, time.time()), response, key, ttl=ttl, tti=tti)

    def get_entries(self, key: str) -> list[hishel.Entry]:
        entries = self.inner.get_entries(key)
        if not entries:
            return entries
        cleared = max(map(stored_at, self.inner.get_entries(CLEARED_KEY)), default=0.0)
        fresh, stale = split_fresh(entries, max(time.time() - self.max_age, cleared))
        for entry in stale:
            self.inner.remove_entry(entry.id)
        return fresh

    def clear(self) -> None:
        """Stop serving every entry stored until now, to every client that reads this storage."""
        for old in self.inner.get_entries(CLEARED_KEY):
            self.inner.remove_entry(old.id)
        request, response = marker()
        entry = self.inner.create_entry(request, response, CLEARED_KEY)
        if isinstance(entry.response.stream, Iterator):
            for _ in entry.response.stream:  # the entry is saved once its (empty) body is read
                pass

    def update_headers(self, id: uuid.UUID, headers: hishel.Headers) -> None:
        self.inner.update_headers(id, headers)

    def remove_entry(self, id: uuid.UUID) -> None:
        self.inner.remove_entry(id)

    def close(self) -> None:
        if self.owned:
            self.inner.close()


class AsyncCredentialFreeStorage(hishel.AsyncBaseStorage):
    """An async storage that writes requests without their credentials and serves entries up to ``max_age``."""

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
