"""An in-process fake of the Context7 API for unit tests (httpx.MockTransport).

It serves a small, fixed catalogue through the real wire format, so client and
adapter unit tests run without a server. End-to-end behaviour is tested
against the local server and cassettes instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from context7_kit.core.models import CodeBlock, CodeSnippet, InfoSnippet, Library

LIBRARIES = [
    Library(
        id="/acme/widgets",
        title="Acme Widgets",
        description="Widgets for every occasion.",
        total_snippets=24,
        trust_score=8.5,
        versions=["v1.0.0", "v2.0.0"],
        state="finalized",
    ),
    Library(id="/acme/gadgets", title="Acme Gadgets", description="Gadgets.", total_snippets=3, trust_score=6.0),
]


def code_snippet(n: int, version: str | None = None) -> CodeSnippet:
    tag = f" ({version})" if version else ""
    return CodeSnippet(
        code_title=f"Create widget {n}{tag}",
        code_description=f"Shows how to create widget number {n}.",
        code_language="python",
        code_tokens=40,
        code_id=f"https://example.test/acme/widgets/guide.md#_snippet_{n}",
        page_title="Guide",
        code_list=[CodeBlock(language="python", code=f"widget = Widget({n})\nwidget.render()")],
    )


def info_snippet(n: int) -> InfoSnippet:
    return InfoSnippet(
        content=f"Widgets are rendered lazily. Section {n} explains why.",
        content_tokens=20,
        page_id=f"https://example.test/acme/widgets/concepts.md#section-{n}",
        breadcrumb=f"Concepts > Rendering > Part {n}",
    )


@dataclass
class FakeAPI:
    """A MockTransport handler; records requests, can be told to fail."""

    snippets_per_library: int = 24
    requests: list[httpx.Request] = field(default_factory=list)
    failures: list[httpx.Response] = field(default_factory=list)
    redirects: dict[str, str] = field(default_factory=lambda: {"/acme/old-widgets": "/acme/widgets"})

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.failures:
            return self.failures.pop(0)
        path = request.url.path.removeprefix("/api")
        params = request.url.params
        if path in ("/v2/search", "/v2/libs/search"):
            q = (params.get("libraryName") or params.get("query") or "").lower()
            hits = [lib for lib in LIBRARIES if any(w in lib.title.lower() for w in q.split())] or []
            return httpx.Response(200, json={"results": [h.to_wire() for h in hits]})
        if path.startswith("/v2/docs/"):
            _, _, _, mode, owner, repo, *rest = path.split("/")
            return self._docs(mode, f"/{owner}/{repo}", rest[0] if rest else None, params)
        if path == "/v2/context":
            lib = params.get("libraryId", "")
            base = "/".join(lib.replace("@", "/").split("/")[:3])
            if base in self.redirects:
                return self._redirect(base)
            if base != "/acme/widgets":
                return self._not_found()
            version = lib[len(base) + 1 :] or None
            if version is not None and version not in LIBRARIES[0].versions:
                return httpx.Response(404, json={"error": "tag_not_found", "message": f"Version {version} not found."})
            code, info = min(3, self.snippets_per_library), min(2, self.snippets_per_library)
            return httpx.Response(
                200,
                json={
                    "codeSnippets": [code_snippet(i, version).to_wire() for i in range(1, code + 1)],
                    "infoSnippets": [info_snippet(i).to_wire() for i in range(1, info + 1)],
                    "rules": {"global": ["Prefer explicit widgets."], "libraryOwn": [], "libraryTeam": []},
                },
            )
        return httpx.Response(404, json={"error": "not_found", "message": "No such route."})

    def _redirect(self, base: str) -> httpx.Response:
        return httpx.Response(
            301,
            json={"error": "library_redirected", "message": "Library moved", "redirectUrl": self.redirects[base]},
        )

    def _not_found(self) -> httpx.Response:
        return httpx.Response(404, json={"error": "library_not_found", "message": "Library not found."})

    def _docs(self, mode: str, base: str, version: str | None, params: httpx.QueryParams) -> httpx.Response:
        if base in self.redirects:
            return self._redirect(base)
        if base != "/acme/widgets":
            return self._not_found()
        if version is not None and version not in LIBRARIES[0].versions:
            return httpx.Response(404, json={"error": "tag_not_found", "message": f"Version {version} not found."})
        page, limit = int(params.get("page", "1")), int(params.get("limit", "10"))
        total = self.snippets_per_library
        total_pages = min(10, max(1, -(-total // limit)))
        start = (page - 1) * limit
        numbers = range(start + 1, min(total, start + limit) + 1)
        snippets = [code_snippet(n, version) if mode == "code" else info_snippet(n) for n in numbers]
        tokens = sum(s.code_tokens if isinstance(s, CodeSnippet) else s.content_tokens for s in snippets)
        pagination = {
            "page": page,
            "limit": limit,
            "totalPages": total_pages,
            "hasNext": page < total_pages,
            "hasPrev": page > 1,
        }
        if params.get("type") == "txt":
            from context7_kit.core.documents import render_snippets

            headers = {
                "x-context7-page": str(page),
                "x-context7-limit": str(limit),
                "x-context7-total-pages": str(total_pages),
                "x-context7-has-next": str(page < total_pages).lower(),
                "x-context7-has-prev": str(page > 1).lower(),
                "x-context7-total-tokens": str(tokens),
            }
            return httpx.Response(200, text=render_snippets(snippets), headers=headers)
        return httpx.Response(
            200,
            json={
                "snippets": [s.to_wire() for s in snippets],
                "totalTokens": tokens,
                "pagination": pagination,
                "metadata": {"authentication": "none"},
            },
        )

    def sync_client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self))

    def async_client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.MockTransport(self))


Factory = Callable[..., object]
