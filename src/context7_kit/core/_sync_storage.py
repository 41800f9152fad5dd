# Generated from _async_storage.py by scripts/unasync.py: edit that file, then run the script.
"""The synchronous client's cache: its hishel storage wrapper, and the httpx client in front of its own.

The wrapper stores no credentials and serves no entry older than the reading
client's ``cache_ttl`` (see ``_credential_free.py``, which holds what the sync
and async wrappers share). Imported only when a cache is asked for: it loads hishel.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import hishel
import httpx
from hishel.httpx import CacheTransport

from context7_kit.core._credential_free import CLEARED_KEY, marker, split_fresh, stored_at, stored_request


class CredentialFreeStorage(hishel.BaseStorage):
    """A storage that writes requests without their credentials and serves entries up to ``max_age``."""

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


class _ThroughClient(httpx.BaseTransport):
    """A transport that sends through an httpx client: its proxies, TLS, auth and hooks apply."""

    def __init__(self, client: httpx.Client, *, owned: bool) -> None:
        self.client = client
        self.owned = owned

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self.client.send(request, stream=True)

    def close(self) -> None:
        if self.owned:
            self.client.close()


def sync_cache_client(http: httpx.Client, storage: CredentialFreeStorage, *, owns_http: bool) -> httpx.Client:
    """An httpx client that answers from ``storage`` or sends through ``http``, which it leaves as it is.

    Closing it closes ``storage`` (whose owner decides what that closes) and, when ``owns_http``, ``http``.
    """
    transport = CacheTransport(next_transport=_ThroughClient(http, owned=owns_http), storage=storage)
    return httpx.Client(transport=transport, trust_env=False)
