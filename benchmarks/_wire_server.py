"""The benchmarks' loopback server (see ``_common.WireServer``).

    python -m benchmarks._wire_server LATENCY_SECONDS SNIPPETS

Prints its port, serves until stdin closes (at most an hour).
"""

from __future__ import annotations

import asyncio
import json
import socket
import sys
import threading

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from context7_kit.core.models import CodeBlock, CodeSnippet, Library

LIFETIME = 3600.0


def docs_body(snippets: int) -> bytes:
    items = [
        CodeSnippet(
            code_title=f"Create widget {n}",
            code_description=f"Shows how to create and render widget number {n} with the default theme.",
            code_language="python",
            code_tokens=60,
            code_id=f"https://example.test/acme/widgets/guide.md#_snippet_{n}",
            page_title="Guide",
            code_list=[
                CodeBlock(language="python", code=f"from acme import Widget\n\nwidget = Widget({n})\nwidget.render()")
            ],
        ).to_wire()
        for n in range(1, snippets + 1)
    ]
    page = {
        "snippets": items,
        "totalTokens": 60 * snippets,
        "pagination": {"page": 1, "limit": 10, "totalPages": 1, "hasNext": False, "hasPrev": False},
        "metadata": {"authentication": "none"},
    }
    return json.dumps(page).encode()


def build_app(latency: float, snippets: int) -> Starlette:
    body = docs_body(snippets)
    search = json.dumps(
        {"results": [Library(id="/acme/widgets", title="Acme Widgets", total_snippets=snippets).to_wire()]}
    ).encode()
    served = {"requests": 0}

    async def wait() -> None:
        served["requests"] += 1
        if latency:
            await asyncio.sleep(latency)

    async def docs(_request: Request) -> Response:
        await wait()
        return Response(body, media_type="application/json")

    async def libraries(_request: Request) -> Response:
        await wait()
        return Response(search, media_type="application/json")

    async def stats(_request: Request) -> Response:
        return JSONResponse(served)

    return Starlette(
        routes=[
            Route("/api/v2/docs/{mode}/{owner}/{repo}", docs),
            Route("/api/v2/docs/{mode}/{owner}/{repo}/{version}", docs),
            Route("/api/v2/search", libraries),
            Route("/api/v2/libs/search", libraries),
            Route("/__stats", stats),
        ]
    )


def main() -> None:
    latency, snippets = float(sys.argv[1]), int(sys.argv[2])
    # proto=IPPROTO_TCP, or asyncio leaves Nagle on and every response body waits ~40 ms for an ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)  # connections made before uvicorn runs wait in the backlog
    server = uvicorn.Server(
        uvicorn.Config(
            build_app(latency, snippets),
            log_level="warning",
            access_log=False,
            lifespan="off",
            backlog=2048,
            timeout_keep_alive=60,
        )
    )

    def stop_when_stdin_closes() -> None:
        sys.stdin.read()
        server.should_exit = True

    threading.Thread(target=stop_when_stdin_closes, daemon=True).start()
    deadline = threading.Timer(LIFETIME, lambda: setattr(server, "should_exit", True))
    deadline.daemon = True
    deadline.start()
    print(sock.getsockname()[1], flush=True)
    server.run(sockets=[sock])


if __name__ == "__main__":
    main()
