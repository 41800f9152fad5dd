"""One object's sync and async clients, for code that offers both kinds of calls.

An integration class (a tool, a reader, a retriever) takes either clients
(``client=`` / ``async_client=``) or the settings to build them (``api_key=``,
``base_url=``, client options), and needs a sync client for its sync methods
and an async one for its async methods. :class:`ClientPair` is that holder,
written once for every framework:

- given clients are checked and used as they are, and never closed here;
- missing ones are built on first use, from the settings or, when only the
  other kind was given, from that client's settings (unless ``twins=False``);
- an async client built here belongs to the event loop it was first used in,
  since an httpx connection pool cannot outlive its loop: each loop gets its own;
- the key never shows in a repr, and a pickle carries neither the key nor
  clients: an unpickled pair builds its own from the settings and the environment.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import httpx
from pydantic import SecretStr
from typing_extensions import Self, TypedDict, Unpack

from context7_kit.core.async_client import AsyncContext7Client
from context7_kit.core.cache import DEFAULT_CACHE_TTL, CacheSetting
from context7_kit.core.client import Context7Client
from context7_kit.core.errors import Context7Error, InvalidClientError, InvalidInputError
from context7_kit.core.settings import (
    DEFAULT_BASE_URL,
    DEFAULT_DEADLINE,
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MAX_RETRIES,
    DEFAULT_MAX_RETRY_WAIT,
    DEFAULT_TIMEOUT,
    check_client_settings,
)

if TYPE_CHECKING:
    import asyncio

AnyClient = Context7Client | AsyncContext7Client
"""What ``client=`` accepts: a sync client, or an async one."""


class ClientOptions(TypedDict, total=False):
    """Every setting of the clients an object builds, for ``**options: Unpack[ClientOptions]``.

    Each is optional; left out (or None), the client's default applies:
    argument, then environment, then the constant named below.
    """

    api_key: str | None
    """The API key (``ctx7sk-...``); default ``$CONTEXT7_API_KEY``, else anonymous."""
    base_url: str | None
    """The API base URL; default ``$CONTEXT7_API_URL``, else ``DEFAULT_BASE_URL`` (context7.com/api)."""
    timeout: httpx.Timeout | float | None
    """An ``httpx.Timeout`` or seconds; default ``DEFAULT_TIMEOUT`` (connect 5 s, read 60 s)."""
    max_retries: int | None
    """Retries on 429, 5xx, connection errors and timeouts; 0 disables; default ``DEFAULT_MAX_RETRIES`` (3)."""
    max_retry_wait: float | None
    """The longest wait in seconds, a longer ``Retry-After`` fails at once; default ``DEFAULT_MAX_RETRY_WAIT`` (60)."""
    cache: CacheSetting
    """None (off, the default), ``"memory"``, a SQLite path, a ``redis://`` URL or a hishel storage."""
    cache_ttl: float | None
    """Seconds a cached response is served; default ``DEFAULT_CACHE_TTL`` (6 hours)."""
    follow_redirects: bool | None
    """Follow one ``301 library_redirected`` to the library's new ID; default True."""
    headers: Mapping[str, str] | None
    """Extra request headers; default none."""
    http_client: httpx.Client | httpx.AsyncClient | None
    """An httpx client to send through, used by the client of its kind (sync or async); never modified or closed."""
    deadline: float | None
    """Seconds a whole call may take, retries and their waits included; default ``DEFAULT_DEADLINE`` (120)."""
    max_response_bytes: int | None
    """The largest response body accepted, after decompression; default ``DEFAULT_MAX_RESPONSE_BYTES`` (20 MB)."""


CLIENT_OPTIONS: frozenset[str] = frozenset(ClientOptions.__annotations__)
"""The names :class:`ClientOptions` lists."""

CLIENT_OPTION_DEFAULTS: dict[str, object] = {
    "api_key": None,
    "base_url": DEFAULT_BASE_URL,
    "timeout": DEFAULT_TIMEOUT,
    "max_retries": DEFAULT_MAX_RETRIES,
    "max_retry_wait": DEFAULT_MAX_RETRY_WAIT,
    "cache": None,
    "cache_ttl": DEFAULT_CACHE_TTL,
    "follow_redirects": True,
    "headers": None,
    "http_client": None,
    "deadline": DEFAULT_DEADLINE,
    "max_response_bytes": DEFAULT_MAX_RESPONSE_BYTES,
}
"""What each option is when left out (``api_key`` and ``base_url`` read the environment first)."""

# The options check_client_settings validates without building a client.
_CHECKED_SETTINGS = frozenset(
    {"timeout", "max_retries", "max_retry_wait", "cache_ttl", "follow_redirects", "deadline", "max_response_bytes"}
)


def checked_options(options: Mapping[str, Any], *, owner: str | None = None) -> dict[str, Any]:
    """``options`` without the ones left at None; an unknown name raises :class:`InvalidInputError`."""
    unknown = sorted(set(options) - CLIENT_OPTIONS)
    if unknown:
        prefix = f"{owner}: " if owner else ""
        raise InvalidInputError(
            f"{prefix}unknown client option{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}; "
            f"the options are {', '.join(sorted(CLIENT_OPTIONS))}."
        )
    return {name: value for name, value in options.items() if value is not None}


def split_client_options(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """``data`` split into (client options, everything else), for classes that take both as keywords."""
    options = {k: v for k, v in data.items() if k in CLIENT_OPTIONS}
    rest = {k: v for k, v in data.items() if k not in CLIENT_OPTIONS}
    return options, rest


class ClientPair:
    """The sync and async core clients one object uses, given or built on demand.

    Example::

        from context7_kit.core import ClientPair

        clients = ClientPair(api_key="ctx7sk-...", timeout=30)  # or client=..., async_client=...
        clients.sync().search_library("next.js")
        await clients.async_().search_library("next.js")  # one async client per event loop
        await clients.aclose()  # closes only what the pair built

    Args:
        client: a :class:`Context7Client`, or an :class:`AsyncContext7Client` (taken as ``async_client``).
        async_client: an :class:`AsyncContext7Client`.
        **options: :class:`ClientOptions`, the settings of the clients the pair
            builds (None keeps the client's default); not allowed with a given
            client, which keeps its own.
        owner: the name of the class the pair serves, to start error messages with.
        twins: when only one kind of client is given, build the other from its
            settings (the default); when False, asking for the missing kind
            raises :class:`Context7Error`.

    Raises:
        InvalidClientError: a client of the wrong kind (also a ``TypeError``).
        InvalidInputError: a client together with settings, or a bad setting.
    """

    def __init__(
        self,
        *,
        client: AnyClient | None = None,
        async_client: AsyncContext7Client | None = None,
        owner: str | None = None,
        twins: bool = True,
        **options: Unpack[ClientOptions],
    ) -> None:
        self._owner = owner
        prefix = f"{owner}: " if owner else ""
        if isinstance(client, AsyncContext7Client):
            if async_client is not None:
                raise InvalidClientError(
                    f"{prefix}client= is an AsyncContext7Client and async_client= was given too; "
                    "pass the sync client as client= and the async one as async_client=."
                )
            client, async_client = None, client
        if client is not None and not isinstance(client, Context7Client):
            raise InvalidClientError(
                f"{prefix}client= must be a Context7Client or AsyncContext7Client, not {type(client).__name__}."
            )
        if async_client is not None and not isinstance(async_client, AsyncContext7Client):
            raise InvalidClientError(
                f"{prefix}async_client= must be an AsyncContext7Client, not {type(async_client).__name__}."
            )
        chosen = checked_options(options, owner=owner)
        api_key = chosen.pop("api_key", None)
        base_url = chosen.pop("base_url", None)
        if "headers" in chosen:
            chosen["headers"] = dict(chosen["headers"])
        self._given = client is not None or async_client is not None
        if self._given and (api_key is not None or base_url is not None or chosen):
            raise InvalidInputError(
                f"{prefix}pass either client=/async_client= or api_key=/base_url= and client options, "
                "not both: a given client keeps its own settings."
            )
        self._twins = twins
        self._base_url = base_url
        self._http_client = chosen.pop("http_client", None)
        self._options = chosen
        self._sync = client
        self._async = async_client
        self._built_sync: Context7Client | None = None
        self._loop_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, AsyncContext7Client] = (
            weakref.WeakKeyDictionary()
        )
        self._lock = threading.Lock()
        self._settings_key = SecretStr(api_key) if api_key is not None else None
        if self._given:
            given = client or async_client
            assert given is not None
            self._key = SecretStr(given.api_key) if given.api_key is not None else None
            self._shown_url = given.base_url
        else:
            # Settings are checked now, without I/O, so a bad one fails here rather than on first use.
            checkable = {k: v for k, v in chosen.items() if k in _CHECKED_SETTINGS}
            settings = check_client_settings(api_key=api_key, base_url=base_url, **checkable)
            self._key = settings.api_key
            self._shown_url = settings.base_url

    # -- what is there ----------------------------------------------------------

    @property
    def given(self) -> bool:
        """Whether clients were given (rather than built from settings)."""
        return self._given

    @property
    def has_sync(self) -> bool:
        """Whether sync calls are possible: a sync client was given, or one can be built."""
        return self._sync is not None or not self._given or self._twins

    @property
    def has_async(self) -> bool:
        """Whether async calls are possible: an async client was given, or one can be built."""
        return self._async is not None or not self._given or self._twins

    @property
    def api_key(self) -> str | None:
        """The key requests carry, in clear: only to scrub it from text before that text is shown."""
        return self._key.get_secret_value() if self._key is not None else None

    @property
    def base_url(self) -> str:
        """The API base URL requests go to."""
        return self._shown_url

    def _build_options(self) -> dict[str, Any]:
        """Keyword arguments of a client to build: the given twin's settings, else the pair's."""
        twin = self._sync or self._async
        if twin is not None:
            return {
                "api_key": twin.api_key,
                "base_url": twin.base_url,
                "timeout": twin.timeout,
                "max_retries": twin.max_retries,
                "max_retry_wait": twin.max_retry_wait,
                "cache_ttl": twin.cache_ttl,
                "follow_redirects": twin.follow_redirects,
                "deadline": twin.deadline,
                "max_response_bytes": twin.max_response_bytes,
            }
        key = self._settings_key.get_secret_value() if self._settings_key is not None else None
        return {"api_key": key, "base_url": self._base_url, **self._options}

    def _http_for(self, kind: type[httpx.Client] | type[httpx.AsyncClient]) -> dict[str, Any]:
        """``http_client=`` for a client to build, when the given httpx client is of its kind."""
        return {"http_client": self._http_client} if isinstance(self._http_client, kind) else {}

    def _missing(self, have: str, use: str, add: str) -> Context7Error:
        return Context7Error(
            f"{self._owner or 'This object'} was given only {have} client: use its {use} methods, or also pass {add}."
        )

    # -- the clients ------------------------------------------------------------

    def sync(self) -> Context7Client:
        """The sync client: the given one, else one built on first use."""
        if self._sync is not None:
            return self._sync
        if self._given and not self._twins:
            raise self._missing("an async", "async", "client=Context7Client(...)")
        with self._lock:
            if self._built_sync is None:
                self._built_sync = Context7Client(**self._build_options(), **self._http_for(httpx.Client))
            return self._built_sync

    def async_(self) -> AsyncContext7Client:
        """The async client for the running event loop: the given one, else one built for this loop."""
        if self._async is not None:
            return self._async
        if self._given and not self._twins:
            raise self._missing("a sync", "sync", "async_client=AsyncContext7Client(...)")
        import asyncio  # noqa: PLC0415  (already loaded: this runs in an event loop)

        loop = asyncio.get_running_loop()
        with self._lock:
            built = self._loop_clients.get(loop)
            if built is None:
                built = AsyncContext7Client(**self._build_options(), **self._http_for(httpx.AsyncClient))
                self._loop_clients[loop] = built
            return built

    # -- lifecycle ----------------------------------------------------------------

    def close(self) -> None:
        """Close the sync client the pair built; given clients are left to their owner."""
        with self._lock:
            built, self._built_sync = self._built_sync, None
        if built is not None:
            built.close()

    async def aclose(self) -> None:
        """Close the clients the pair built: the sync one and the running loop's async one.

        Async clients built in other event loops are dropped (a closed loop's
        pool cannot be closed any more). Given clients are left to their owner.
        """
        self.close()
        import asyncio  # noqa: PLC0415  (already loaded: this runs in an event loop)

        loop = asyncio.get_running_loop()
        with self._lock:
            built = self._loop_clients.get(loop)
            self._loop_clients = weakref.WeakKeyDictionary()
        if built is not None:
            await built.aclose()

    # -- never leak the key ---------------------------------------------------------

    def __repr__(self) -> str:
        kind = "given" if self._given else "built"
        key = "set" if self._key is not None else "none"
        return f"ClientPair(clients={kind}, base_url={self._shown_url!r}, api_key={key})"

    def __getstate__(self) -> dict[str, Any]:
        # Neither the key nor live clients travel in a pickle; the copy takes the key
        # from the environment and builds its own clients.
        return {"owner": self._owner, "twins": self._twins, "base_url": self._base_url, "options": self._options}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(  # type: ignore[misc]
            base_url=state["base_url"], owner=state["owner"], twins=state["twins"], **state["options"]
        )


class ClosesClients:
    """``close()`` / ``aclose()`` and ``with`` / ``async with`` for an object whose clients are a :class:`ClientPair`.

    A subclass says where its pair is (``_client_pair``); closing closes only
    what the pair built, never a client that was passed in.
    """

    def _client_pair(self) -> ClientPair:
        raise NotImplementedError

    def close(self) -> None:
        """Close the HTTP client built here (clients you passed in stay open)."""
        self._client_pair().close()

    async def aclose(self) -> None:
        """Close the HTTP clients built here, sync and async (clients you passed in stay open)."""
        await self._client_pair().aclose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


__all__ = [
    "CLIENT_OPTIONS",
    "CLIENT_OPTION_DEFAULTS",
    "AnyClient",
    "ClientOptions",
    "ClientPair",
    "ClosesClients",
    "checked_options",
    "split_client_options",
]
