"""How the server meets the network: uvicorn's settings, written once for ``serve`` and ``LocalServer``.

* **Proxy headers** (``X-Forwarded-For``) are trusted only from the
  addresses given in ``forwarded_allow_ips``; by default from none, so a
  client cannot choose the address its rate limit is counted under.
* **Slow clients**: a connection must send a complete request head within
  ``header_timeout`` seconds of opening (or of its previous answer), or it is
  closed; an idle keep-alive connection is closed after ``keep_alive``
  seconds.
* **Connections**: at most ``max_connections`` at once; one more is closed
  as soon as it opens, and requests beyond it get uvicorn's 503.
"""

from __future__ import annotations

import asyncio
import errno
import socket
from dataclasses import dataclass
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

DEFAULT_HEADER_TIMEOUT = 10.0
DEFAULT_KEEP_ALIVE = 5
DEFAULT_MAX_CONNECTIONS = 1000


@dataclass(frozen=True)
class ConnectionLimits:
    """Timeouts and the connection cap (see the module docs)."""

    header_timeout: float = DEFAULT_HEADER_TIMEOUT
    keep_alive: int = DEFAULT_KEEP_ALIVE
    max_connections: int = DEFAULT_MAX_CONNECTIONS

    def __post_init__(self) -> None:
        if not 0 < self.header_timeout <= 3600:
            raise ValueError(f"The header timeout is 0 to 3600 s, not {self.header_timeout!r}.")
        if not 1 <= self.keep_alive <= 3600:
            raise ValueError(f"The keep-alive timeout is 1 to 3600 s, not {self.keep_alive!r}.")
        if not 1 <= self.max_connections <= 1_000_000:
            raise ValueError(f"The connection limit is 1 to 1,000,000, not {self.max_connections!r}.")


class GuardedH11Protocol(H11Protocol):
    """Uvicorn's h11 protocol with a deadline for each request head and a cap on connections.

    A class at module level, so uvicorn's worker processes can load it;
    :attr:`limits` is set in each process (by :func:`uvicorn_config`).
    """

    limits = ConnectionLimits()
    _head_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Close a connection over the cap at once; give the others a deadline for their first request head."""
        super().connection_made(transport)
        if len(self.connections) > self.limits.max_connections:
            transport.close()
            return
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        """Forget the deadline of a closed connection."""
        self._disarm()
        super().connection_lost(exc)

    def on_response_complete(self) -> None:
        """After an answer, the next request head has its own deadline."""
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._head_deadline = self.loop.call_later(self.limits.header_timeout, self._head_too_slow)

    def _disarm(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _head_too_slow(self) -> None:
        self._head_deadline = None
        waiting = self.cycle is None or self.cycle.response_complete
        if waiting and self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()


def uvicorn_config(
    app: Any,
    *,
    host: str,
    port: int,
    log_level: str = "info",
    forwarded_allow_ips: str | None = None,
    limits: ConnectionLimits | None = None,
    workers: int | None = None,
    factory: bool = False,
    access_log: bool = True,
) -> uvicorn.Config:
    """The uvicorn settings of a docs server (see the module docs)."""
    limits = limits or ConnectionLimits()
    GuardedH11Protocol.limits = limits
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        access_log=access_log,
        lifespan="off",
        http=GuardedH11Protocol,
        proxy_headers=bool(forwarded_allow_ips),
        forwarded_allow_ips=forwarded_allow_ips or "",
        timeout_keep_alive=limits.keep_alive,
        limit_concurrency=limits.max_connections,
        workers=workers,
        factory=factory,
    )


def check_port(host: str, port: int) -> str | None:
    """Why ``host:port`` cannot be listened on (in use, no such address), or None when it can."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except OSError as exc:
        return f"cannot listen on {host}:{port}: {exc.strerror or exc}"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            reason = "the port is in use" if exc.errno == errno.EADDRINUSE else (exc.strerror or str(exc))
            return f"cannot listen on {host}:{port}: {reason} (choose another with --port)"
    return None
