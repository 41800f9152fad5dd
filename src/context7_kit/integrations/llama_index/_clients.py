"""Where the LlamaIndex classes get their core clients from.

A class is given a client (``client=`` / ``async_client=``), or settings
(``api_key=``, ``base_url=``, client options) from which it makes and owns
its own, or nothing, in which case the environment decides
(``CONTEXT7_API_KEY``, ``CONTEXT7_API_URL``). Clients are made on first use,
so a sync-only user never opens an async connection pool.

The key is held as a :class:`pydantic.SecretStr` and is never part of a repr
or a pickle: an unpickled holder reads the key from the environment again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import httpx
from pydantic import SecretStr

from context7_kit.core import AsyncContext7Client, Context7Client, Context7Error, InvalidInputError
from context7_kit.core._base import BaseClient
from context7_kit.core.cache import CacheSetting

ClientLike = Context7Client | AsyncContext7Client


class _SettingsCheck(BaseClient):
    """The settings and pure request building of a client, without any HTTP client or cache."""

    def _setup_http(self, http_client: httpx.Client | httpx.AsyncClient | None, cache: CacheSetting) -> None:
        return None


class ClientSource:
    """Hands out the sync and async core clients of one integration object."""

    def __init__(
        self,
        owner: str,
        *,
        client: ClientLike | None = None,
        async_client: AsyncContext7Client | None = None,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: httpx.Timeout | float | None = None,
        max_retries: int | None = None,
        max_retry_wait: float | None = None,
        cache: CacheSetting = None,
        cache_ttl: float | None = None,
        follow_redirects: bool | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self._owner = owner
        if isinstance(client, AsyncContext7Client):
            if async_client is not None:
                raise InvalidInputError(
                    f"{owner}: client= is an AsyncContext7Client and async_client= was given too; "
                    "pass the sync client as client= and the async one as async_client=."
                )
            client, async_client = None, client
        if client is not None and not isinstance(client, Context7Client):
            raise InvalidInputError(
                f"{owner}: client= must be a Context7Client or AsyncContext7Client, not {type(client).__name__}."
            )
        if async_client is not None and not isinstance(async_client, AsyncContext7Client):
            raise InvalidInputError(
                f"{owner}: async_client= must be an AsyncContext7Client, not {type(async_client).__name__}."
            )
        options: dict[str, Any] = {
            "timeout": timeout,
            "max_retries": max_retries,
            "max_retry_wait": max_retry_wait,
            "cache": cache,
            "cache_ttl": cache_ttl,
            "follow_redirects": follow_redirects,
            "headers": dict(headers) if headers is not None else None,
        }
        options = {k: v for k, v in options.items() if v is not None}
        self._given = client is not None or async_client is not None
        if self._given and (api_key is not None or base_url is not None or options):
            raise InvalidInputError(
                f"{owner}: pass either client=/async_client= or api_key=/base_url= and client options, "
                "not both; a client you build already carries its own settings."
            )
        self._client = client
        self._async_client = async_client
        self._api_key = SecretStr(api_key) if api_key is not None else None
        self._base_url = base_url
        self._options = options
        self._async_loop: asyncio.AbstractEventLoop | None = None
        # Settings are checked now, without I/O, so a bad base_url fails at construction;
        # the same object checks each request's input before any is sent.
        self._checker: BaseClient = (
            (client or async_client)  # type: ignore[assignment]
            if self._given
            else _SettingsCheck(api_key=api_key, base_url=base_url, **options)
        )

    # -- what is available -------------------------------------------------

    @property
    def has_sync(self) -> bool:
        """Whether sync calls are possible (a sync client was given, or one can be made)."""
        return self._client is not None or not self._given

    @property
    def has_async(self) -> bool:
        """Whether async calls are possible (an async client was given, or one can be made)."""
        return self._async_client is not None or not self._given

    @property
    def checker(self) -> BaseClient:
        """A client whose pure request building checks input, for use before any I/O."""
        return self._checker

    def _settings(self) -> dict[str, Any]:
        key = self._api_key.get_secret_value() if self._api_key is not None else None
        return {"api_key": key, "base_url": self._base_url, **self._options}

    # -- the clients ---------------------------------------------------------

    def sync(self) -> Context7Client:
        """The sync client, made on first use unless one was given."""
        if self._client is None:
            if self._given:
                raise Context7Error(
                    f"{self._owner} was given only an async client: use its async methods (aload_data, "
                    "aretrieve, acall...), or also pass client=Context7Client(...)."
                )
            self._client = Context7Client(**self._settings())
        return self._client

    def async_(self) -> AsyncContext7Client:
        """The async client, made on first use unless one was given.

        A client this object made is bound to the event loop it was first used
        in; on another loop (a second ``asyncio.run``) a fresh one is made.
        """
        if self._given:
            if self._async_client is None:
                raise Context7Error(
                    f"{self._owner} was given only a sync client: use its sync methods (load_data, "
                    "retrieve, call...), or also pass async_client=AsyncContext7Client(...)."
                )
            return self._async_client
        loop = asyncio.get_running_loop()
        if self._async_client is None or self._async_loop is not loop:
            self._async_client = AsyncContext7Client(**self._settings())
            self._async_loop = loop
        return self._async_client

    # -- lifecycle -------------------------------------------------------------

    def close(self) -> None:
        """Close the sync client this object made (a given one is left to its owner)."""
        if not self._given and self._client is not None:
            self._client.close()
            self._client = None

    async def aclose(self) -> None:
        """Close the clients this object made (given ones are left to their owner)."""
        self.close()
        if not self._given and self._async_client is not None:
            if self._async_loop is asyncio.get_running_loop():
                await self._async_client.aclose()
            self._async_client = None
            self._async_loop = None

    # -- never leak the key ------------------------------------------------------

    def __repr__(self) -> str:
        if self._given:
            return f"ClientSource(clients=given, base_url={self._checker.base_url!r})"
        key = "set" if self._api_key is not None else "from environment"
        return f"ClientSource(clients=owned, base_url={self._checker.base_url!r}, api_key={key})"

    def __getstate__(self) -> dict[str, Any]:
        # Neither the key nor live clients travel in a pickle; the copy falls back
        # to the environment for the key and makes its own clients.
        return {"_owner": self._owner, "_base_url": self._base_url, "_options": self._options}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["_owner"], base_url=state["_base_url"], **state["_options"])  # type: ignore[misc]


__all__ = ["ClientLike", "ClientSource"]
