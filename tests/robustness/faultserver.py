"""A misbehaving HTTP/1.1 server on loopback, for fault-injection tests.

It is a raw asyncio socket server running in its own thread and event loop,
because the faults worth testing live below what a framework lets an app do:
connection resets, stalls before or inside a body, a Content-Length the body
never reaches, bytes that are not HTTP at all.

Each request is answered by the next handler queued with :meth:`push`, or by
the default handler (a valid docs page) once the queue is empty. The server
records every request and the peak number of connections open at once, and
stops by itself when the ``with`` block ends, cancelling any stalled handler.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import socket
import ssl
import struct
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from tests.fake_api import code_snippet
from tests.robustness._loopback import LoopbackServer


@dataclass
class Request:
    method: str
    target: str
    headers: dict[str, str] = field(default_factory=dict)
    port: int = 0


# A handler writes whatever it likes and returns whether the connection may be reused.
Handler = Callable[[Request, asyncio.StreamWriter], Awaitable[bool]]

MAX_STALL = 30.0  # a stalled handler never outlives this, even if nothing cancels it


def docs_body(n: int = 3) -> bytes:
    snippets = [code_snippet(i).to_wire() for i in range(1, n + 1)]
    body = {
        "snippets": snippets,
        "totalTokens": 40 * n,
        "pagination": {"page": 1, "limit": 10, "totalPages": 1, "hasNext": False, "hasPrev": False},
        "metadata": {"authentication": "none"},
    }
    return json.dumps(body).encode()


def _head(status: int, headers: dict[str, str], reason: str = "Whatever") -> bytes:
    lines = [f"HTTP/1.1 {status} {reason}"] + [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def reply(
    status: int = 200,
    body: bytes | str = b"",
    *,
    content_type: str = "application/json",
    headers: dict[str, str] | None = None,
) -> Handler:
    """A complete, well-formed response."""
    data = body.encode() if isinstance(body, str) else body

    async def handler(_request: Request, writer: asyncio.StreamWriter) -> bool:
        head = {"Content-Type": content_type, "Content-Length": str(len(data)), **(headers or {})}
        writer.write(_head(status, head) + data)
        await writer.drain()
        return True

    return handler


def docs_ok(n: int = 3) -> Handler:
    return reply(200, docs_body(n))


def error_json(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Handler:
    return reply(status, json.dumps({"error": code, "message": message}), headers=headers)


def reset() -> Handler:
    """Abort the connection with a TCP RST, before any byte of a response."""

    async def handler(_request: Request, writer: asyncio.StreamWriter) -> bool:
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()
        return False

    return handler


def hang_up() -> Handler:
    """Close the connection cleanly without answering."""

    async def handler(_request: Request, _writer: asyncio.StreamWriter) -> bool:
        return False

    return handler


def garbage() -> Handler:
    """Answer with bytes that are not an HTTP response, then close."""

    async def handler(_request: Request, writer: asyncio.StreamWriter) -> bool:
        writer.write(b"SSH-2.0-OpenSSH_9.6 this is not http\r\n\r\n")
        await writer.drain()
        return False

    return handler


def stall(seconds: float = MAX_STALL) -> Handler:
    """Say nothing at all for ``seconds`` (slow or stuck headers), then close."""

    async def handler(_request: Request, _writer: asyncio.StreamWriter) -> bool:
        await asyncio.sleep(min(seconds, MAX_STALL))
        return False

    return handler


def stall_body(body: bytes | None = None, seconds: float = MAX_STALL) -> Handler:
    """Send the headers and half the body, then go quiet."""
    data = body if body is not None else docs_body()

    async def handler(_request: Request, writer: asyncio.StreamWriter) -> bool:
        head = {"Content-Type": "application/json", "Content-Length": str(len(data))}
        writer.write(_head(200, head) + data[: len(data) // 2])
        await writer.drain()
        await asyncio.sleep(min(seconds, MAX_STALL))
        return False

    return handler


def slow_body(body: bytes | None = None, *, chunks: int = 5, delay: float = 0.1) -> Handler:
    """Trickle a valid body out in ``chunks`` pieces, ``delay`` seconds apart."""
    data = body if body is not None else docs_body()

    async def handler(_request: Request, writer: asyncio.StreamWriter) -> bool:
        head = {"Content-Type": "application/json", "Content-Length": str(len(data))}
        writer.write(_head(200, head))
        await writer.drain()
        size = -(-len(data) // chunks)
        for start in range(0, len(data), size):
            await asyncio.sleep(delay)
            writer.write(data[start : start + size])
            await writer.drain()
        return True

    return handler


def truncated(body: bytes | None = None, *, missing: int = 100) -> Handler:
    """Promise more bytes in Content-Length than are sent, then close."""
    data = body if body is not None else docs_body()

    async def handler(_request: Request, writer: asyncio.StreamWriter) -> bool:
        head = {"Content-Type": "application/json", "Content-Length": str(len(data) + missing)}
        writer.write(_head(200, head) + data)
        await writer.drain()
        return False

    return handler


def drip(body: bytes | None = None, *, delay: float = 1.0) -> Handler:
    """Send the headers, then the body one byte every ``delay`` seconds (each read is quick, the whole is not)."""
    data = body if body is not None else docs_body()

    async def handler(_request: Request, writer: asyncio.StreamWriter) -> bool:
        head = {"Content-Type": "application/json", "Content-Length": str(len(data))}
        writer.write(_head(200, head))
        await writer.drain()
        for i in range(len(data)):
            await asyncio.sleep(delay)
            writer.write(data[i : i + 1])
            await writer.drain()
        return True

    return handler


def drip_headers(*, delay: float = 1.0) -> Handler:
    """Send the status line and headers one byte every ``delay`` seconds, never reaching the body."""
    data = _head(200, {"Content-Type": "application/json", "X-Padding": "x" * 200})

    async def handler(_request: Request, writer: asyncio.StreamWriter) -> bool:
        for i in range(len(data)):
            writer.write(data[i : i + 1])
            await writer.drain()
            await asyncio.sleep(delay)
        return False

    return handler


def endless_json(*, size: int, declare_length: bool, chunk: int = 1 << 20) -> Handler:
    """A ``size``-byte JSON body sent in pieces (chunked unless ``declare_length``), never held whole."""
    opening, closing = b'{"snippets": [], "padding": "', b'"}'
    filler = size - len(opening) - len(closing)

    async def handler(_request: Request, writer: asyncio.StreamWriter) -> bool:
        head = {"Content-Type": "application/json"}
        head.update({"Content-Length": str(size)} if declare_length else {"Transfer-Encoding": "chunked"})
        writer.write(_head(200, head))
        pieces = itertools.chain(
            [opening], (b"x" * min(chunk, filler - sent) for sent in range(0, filler, chunk)), [closing]
        )
        try:
            for piece in pieces:
                writer.write(piece if declare_length else b"%x\r\n%s\r\n" % (len(piece), piece))
                await writer.drain()
            if not declare_length:
                writer.write(b"0\r\n\r\n")
                await writer.drain()
        except ConnectionError:  # the client hung up once it had read enough: that is the point
            return False
        return True

    return handler


class FaultServer(LoopbackServer):
    """Serve queued handlers on 127.0.0.1 from a background thread."""

    name = "fault server"

    def __init__(self, default: Handler | None = None, *, tls: ssl.SSLContext | None = None) -> None:
        super().__init__(tls=tls)
        self.default = default or docs_ok()
        self.script: deque[Handler] = deque()
        self.requests: list[Request] = []

    def push(self, *handlers: Handler) -> FaultServer:
        self.script.extend(handlers)
        return self

    @property
    def base_url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}/api"

    async def handle(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, release: Callable[[], None]
    ) -> None:
        port = writer.get_extra_info("peername")[1]
        while True:
            try:
                head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError, TimeoutError):
                return
            lines = head.decode("latin-1").split("\r\n")
            method, target, _version = lines[0].split(" ", 2)
            headers = {}
            for line in lines[1:]:
                if ":" in line:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
            request = Request(method, target, headers, port)
            self.requests.append(request)
            handler = self.script.popleft() if self.script else self.default
            if not await handler(request, writer):
                return
