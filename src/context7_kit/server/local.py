"""Run the docs server in-process, in a background thread: for demos, notebooks and tests.

``LocalServer`` builds the index, starts uvicorn on 127.0.0.1 (port 0: the
system picks a free one) in a background thread, waits until it accepts
requests and stops it cleanly on exit::

    with LocalServer({"/acme/widgets": Path("docs")}) as server:
        client = Context7Client(base_url=server.base_url)

``profile="live"`` (or ``"onprem"``) serves only what context7.com (or an
on-premise server) answers today. Every git tag is indexed before the server
starts (``all_versions=False`` leaves them to the background indexer, as
``serve`` does). ``forwarded_allow_ips`` and ``limits`` are ``serve``'s
``--forwarded-allow-ips`` and connection limits.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

import uvicorn

from context7_kit.server.app import Profile, create_app
from context7_kit.server.index import DocsIndex, build_index
from context7_kit.server.ratelimit import RateLimit
from context7_kit.server.semantic import EmbeddingOption
from context7_kit.server.serving import ConnectionLimits, uvicorn_config
from context7_kit.server.sources import LibrarySource

logger = logging.getLogger("context7_kit.server")

START_TIMEOUT = 30.0


class LocalServer:
    """A docs server on a free loopback port, in a background thread."""

    def __init__(
        self,
        libraries: Mapping[str, Path | str] | Sequence[LibrarySource],
        *,
        api_keys: Sequence[str] = (),
        aliases: Mapping[str, str] | None = None,
        rate_limit: RateLimit | None = None,
        rate_limit_store: str | None = None,
        index_path: Path | str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        profile: Profile = "full",
        forwarded_allow_ips: str | None = None,
        limits: ConnectionLimits | None = None,
        all_versions: bool = True,
        embedding: EmbeddingOption = "auto",
    ) -> None:
        if isinstance(libraries, Mapping):
            self.sources = [LibrarySource(lib, Path(path)) for lib, path in libraries.items()]
        else:
            self.sources = list(libraries)
        self.api_keys = tuple(api_keys)
        self.aliases = dict(aliases or {})
        self.rate_limit = rate_limit
        self.rate_limit_store = rate_limit_store
        self.index_path = index_path
        self.host = host
        self.port = port
        self.profile: Profile = profile
        self.forwarded_allow_ips = forwarded_allow_ips
        self.limits = limits
        self.all_versions = all_versions
        self.embedding = embedding
        self.index: DocsIndex | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/api``: the base URL to give a client."""
        if self._server is None:
            raise RuntimeError("The server is not running: use it as a context manager or call start().")
        return f"http://{self.host}:{self.port}/api"

    def start(self) -> LocalServer:
        """Build the index, start serving and wait until requests are accepted."""
        self.index = build_index(
            self.sources, self.index_path, all_versions=self.all_versions, embedding=self.embedding
        )
        app = create_app(
            self.index,
            api_keys=self.api_keys,
            rate_limit=self.rate_limit,
            aliases=self.aliases,
            rate_limit_store=self.rate_limit_store,
            profile=self.profile,
        )
        config = uvicorn_config(
            app,
            host=self.host,
            port=self.port,
            log_level="warning",
            access_log=False,
            forwarded_allow_ips=self.forwarded_allow_ips,
            limits=self.limits,
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, name="context7-kit-server", daemon=True)
        self._server, self._thread = server, thread
        thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"The docs server did not start on {self.host}:{self.port}.")
            time.sleep(0.01)
        sockets = [s for srv in server.servers for s in srv.sockets]
        self.port = int(sockets[0].getsockname()[1])
        return self

    def stop(self) -> None:
        """Stop serving and close the index."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._thread = None
        if self.index is not None:
            self.index.close()
            self.index = None

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
        self._server = None
