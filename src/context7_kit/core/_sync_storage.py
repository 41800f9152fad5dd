# Generated from _async_storage.py by scripts/unasync.py: edit that file, then run the script.
"""The synchronous client's cache: its hishel storage wrapper, and the httpx client in front of its own.

The wrapper stores no credentials and serves no entry older than the reading
client's ``cache_ttl`` (see ``_credential_free.py``, which holds what the sync
and async wrappers share). Imported only when a cache is asked for: it loads hishel.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import hishel
import httpx
from hishel.httpx import CacheTransport

from context7_kit.core._credential_free import (
    CLEARED_KEY,
    marker,
    may_be_stored,
    split_fresh,
    stored_at,
    stored_request,
)

if TYPE_CHECKING:
    from context7_kit.core._base import BodyReader


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
    """A transport that sends through an httpx client: its proxies, TLS, auth and hooks apply.

    A success, which hishel would store as it is, is read here first with
    ``reader`` (within the size cap and the call's deadline) and handed on as
    ``clean`` leaves it: decoded, without the API key (see ``_credential_free.py``).
    """

    def __init__(
        self,
        client: httpx.Client,
        *,
        owned: bool,
        reader: Callable[[httpx.Response], BodyReader],
        clean: Callable[[httpx.Response], httpx.Response],
    ) -> None:
        self.client = client
        self.owned = owned
        self.reader = reader
        self.clean = clean

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.client.send(request, stream=True)
        if not may_be_stored(response):
            return response  # not stored: the client reads (and redacts) it as it comes
        try:
            reader = self.reader(response)
            for chunk in response.iter_raw():
                reader.feed(chunk)
            return self.clean(reader.finish())
        finally:
            response.close()

    def close(self) -> None:
        if self.owned:
            self.client.close()


def sync_cache_client(
    http: httpx.Client,
    storage: CredentialFreeStorage,
    *,
    owns_http: bool,
    reader: Callable[[httpx.Response], BodyReader],
    clean: Callable[[httpx.Response], httpx.Response],
) -> httpx.Client:
    """An httpx client that answers from ``storage`` or sends through ``http``, which it leaves as it is.

    What it stores is read with ``reader`` and cleaned with ``clean`` first (see ``_ThroughClient``).
    Closing it closes ``storage`` (whose owner decides what that closes) and, when ``owns_http``, ``http``.
    """
    through = _ThroughClient(http, owned=owns_http, reader=reader, clean=clean)
    transport = CacheTransport(next_transport=through, storage=storage)
    return httpx.Client(transport=transport, trust_env=False)
