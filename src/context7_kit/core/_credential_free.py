"""What the hishel storage wrappers every client's cache goes through share (no I/O here).

The wrappers are ``AsyncCredentialFreeStorage`` in ``_async_storage.py`` and
``CredentialFreeStorage`` in ``_sync_storage.py``, generated from it by
``scripts/unasync.py``. What they do:

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
