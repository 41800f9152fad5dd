"""Response caching through hishel.

The API sends no cache headers and documentation changes slowly, so the cache
ignores HTTP caching rules and keeps successful responses for ``cache_ttl``
seconds (6 hours by default). Requests are stored without their credentials
(the Authorization header never reaches a cache file or server). Entries are keyed by a hash of the API key plus
the URL: one key's private docs are never served to another key, or to
anonymous use, from a shared cache. Only parsed successes stay cached; the
client removes an entry whose response turned out to be an error.

The cache sits in front of the client's own httpx client, as a separate
httpx client whose transport is hishel's ``CacheTransport`` over a transport
that sends through the client's (``async_cache_client`` in ``_async_storage.py``):
an ``http_client=`` a user passed in is never modified, and its other requests
never meet this cache.

hishel is imported only when a cache is asked for: importing it loads its
Redis storage, and with it the redis package when installed (~200 ms).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

import httpx

from context7_kit.core.errors import InvalidInputError

DEFAULT_CACHE_TTL = 6 * 60 * 60.0

if TYPE_CHECKING:
    import sqlite3

    import hishel

    from context7_kit.core._async_storage import AsyncCredentialFreeStorage
    from context7_kit.core._sync_storage import CredentialFreeStorage

# A Union, not |: hishel is only named here, not imported (see the module docstring).
CacheSetting = Union[str, Path, "hishel.BaseStorage", "hishel.AsyncBaseStorage", None]


def partition(api_key: str | None) -> str:
    """A stable, non-reversible name for whose responses these are."""
    if not api_key:
        return "anonymous"
    return "key-" + hashlib.sha256(api_key.encode()).hexdigest()[:32]


def cache_key(partition_name: str, request: httpx.Request) -> str:
    """The storage key of a request: its owner's partition, method and URL."""
    return hashlib.sha256(f"{partition_name} {request.method} {request.url}".encode()).hexdigest()


def _bad_setting(cache: object) -> InvalidInputError:
    return InvalidInputError(
        f"cache={cache!r} is not understood: use None, 'memory', a SQLite file path, "
        "a 'redis://' URL, or a hishel storage object."
    )


def sync_storage(cache: CacheSetting, ttl: float) -> CredentialFreeStorage | None:
    """The hishel storage for a sync client; it never writes a request's credentials.

    Closing it closes a storage made here from a name or path, never one passed in.
    """
    backend = _sync_backend(cache, ttl)
    if backend is None:
        return None
    from context7_kit.core._sync_storage import CredentialFreeStorage  # noqa: PLC0415  (imports hishel)

    return CredentialFreeStorage(backend, owned=isinstance(cache, (str, Path)), max_age=ttl)


def async_storage(cache: CacheSetting, ttl: float) -> AsyncCredentialFreeStorage | None:
    """The hishel storage for an async client; it never writes a request's credentials.

    Closing it closes a storage made here from a name or path, never one passed in.
    """
    backend = _async_backend(cache, ttl)
    if backend is None:
        return None
    from context7_kit.core._async_storage import AsyncCredentialFreeStorage  # noqa: PLC0415  (imports hishel)

    return AsyncCredentialFreeStorage(backend, owned=isinstance(cache, (str, Path)), max_age=ttl)


def _sync_backend(cache: CacheSetting, ttl: float) -> hishel.BaseStorage | None:
    """The storage ``cache`` names, for a sync client."""
    if cache is None:
        return None
    import sqlite3  # noqa: PLC0415  (only a cache needs it)

    import hishel  # noqa: PLC0415  (see the module docstring)

    if isinstance(cache, hishel.BaseStorage):
        return cache
    if isinstance(cache, hishel.AsyncBaseStorage):
        raise InvalidInputError("An async hishel storage was given to the sync client: use a sync storage.")
    if isinstance(cache, (str, Path)):
        text = str(cache)
        if text == "memory":
            connection = sqlite3.connect(":memory:", check_same_thread=False)
            return hishel.SqliteStorage(connection=connection, default_ttl=ttl)
        if text.startswith(("redis://", "rediss://", "unix://")):
            redis = _import_redis()
            return hishel.RedisStorage(client=redis.Redis.from_url(text), default_ttl=ttl)
        if text:
            return hishel.SqliteStorage(connection=_open_sqlite(text), default_ttl=ttl)
    raise _bad_setting(cache)


def _async_backend(cache: CacheSetting, ttl: float) -> hishel.AsyncBaseStorage | None:
    """The storage ``cache`` names, for an async client."""
    if cache is None:
        return None
    import sqlite3  # noqa: PLC0415  (only a cache needs it)

    import anysqlite  # noqa: PLC0415  (see the module docstring)
    import hishel  # noqa: PLC0415

    if isinstance(cache, hishel.AsyncBaseStorage):
        return cache
    if isinstance(cache, hishel.BaseStorage):
        raise InvalidInputError("A sync hishel storage was given to the async client: use an async storage.")
    if isinstance(cache, (str, Path)):
        text = str(cache)
        if text == "memory":
            # hishel turns database_path=":memory:" into a shared file .cache/hishel/:memory:, so
            # the in-memory database is opened here, private to this client.
            memory = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
            return hishel.AsyncSqliteStorage(connection=anysqlite.Connection(memory), default_ttl=ttl)
        if text.startswith(("redis://", "rediss://", "unix://")):
            redis = _import_redis()
            return hishel.AsyncRedisStorage(client=redis.asyncio.Redis.from_url(text), default_ttl=ttl)
        if text:
            return hishel.AsyncSqliteStorage(connection=anysqlite.Connection(_open_sqlite(text)), default_ttl=ttl)
    raise _bad_setting(cache)


def _open_sqlite(path: str) -> sqlite3.Connection:
    """The SQLite cache file exactly where the user said.

    Left to itself, hishel moves a bare file name under ``.cache/hishel/`` and
    writes a ``.gitignore`` of ``*`` into the file's folder, which would hide a
    whole project from git; opening the connection here avoids both.
    """
    import sqlite3  # noqa: PLC0415  (only a cache needs it)

    target = Path(path).expanduser()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return sqlite3.connect(str(target), check_same_thread=False, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise InvalidInputError(f"Cannot open the cache file {str(target)!r} ({exc}): choose a writable path.") from exc


def _import_redis() -> Any:
    try:
        import redis  # noqa: PLC0415  (optional extra, loaded only when asked for)
        import redis.asyncio  # noqa: PLC0415
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise InvalidInputError("A redis:// cache needs the redis package: pip install 'context7-kit[redis]'.") from exc
    return redis
