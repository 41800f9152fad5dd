"""The neutral snippet -> document converter both framework adapters rely on."""

from __future__ import annotations

import subprocess
import sys

import pytest

from context7_kit.core import CodeBlock, CodeSnippet, InfoSnippet, to_document
from context7_kit.core.documents import (
    INTRINSIC_METADATA,
    clip_query,
    context_documents,
    dedupe,
    interleave,
    modes,
    page_documents,
    paged_documents,
    ranked,
    render_snippets,
    with_query,
)
from context7_kit.core.errors import InvalidInputError
from tests.core.conftest import Harness

CODE = CodeSnippet(
    code_title="Middleware matcher",
    code_description="Restrict middleware to paths.\n",
    code_language="typescript",
    code_tokens=85,
    code_id="https://github.com/vercel/next.js/blob/canary/docs/middleware.mdx#_snippet_3",
    page_title="Middleware",
    code_list=[
        CodeBlock(language="typescript", code="export const config = { matcher: '/about' }\n"),
        CodeBlock(language="md", code="```js\nnested\n```"),
    ],
)
INFO = InfoSnippet(
    content="  Middleware runs before a request completes.  ",
    content_tokens=12,
    page_id="https://nextjs.org/docs/middleware",
    breadcrumb="Routing > Middleware",
)


def test_code_snippet_renders_like_the_txt_format() -> None:
    text = to_document(CODE, library_id="/vercel/next.js").text

    assert text == (
        "### Middleware matcher\n"
        "Source: https://github.com/vercel/next.js/blob/canary/docs/middleware.mdx#_snippet_3\n"
        "\n"
        "Restrict middleware to paths.\n"
        "\n"
        "```typescript\n"
        "export const config = { matcher: '/about' }\n"
        "```\n"
        "\n"
        "````md\n"
        "```js\nnested\n```\n"
        "````"
    )


def test_info_snippet_renders_breadcrumb_source_and_content() -> None:
    text = to_document(INFO, library_id="/vercel/next.js").text

    assert text == (
        "### Routing > Middleware\n"
        "Source: https://nextjs.org/docs/middleware\n"
        "\n"
        "Middleware runs before a request completes."
    )
    assert to_document(InfoSnippet(content="Bare."), library_id="/a/b").text == "Bare."


def test_render_snippets_separates_with_dashes() -> None:
    text = render_snippets([CODE, INFO])

    assert "\n\n" + "-" * 40 + "\n\n" in text
    assert text.index("### Middleware matcher") < text.index("### Routing > Middleware")


def test_metadata_of_a_code_snippet() -> None:
    doc = to_document(CODE, library_id="/vercel/next.js", version="v15.1.8")

    assert doc.metadata == {
        "library_id": "/vercel/next.js",
        "version": "v15.1.8",
        "snippet_type": "code",
        "title": "Middleware matcher",
        "source": CODE.code_id,
        "language": "typescript",
        "page_title": "Middleware",
        "tokens": 85,
    }
    assert tuple(doc.metadata) == INTRINSIC_METADATA


def test_metadata_of_an_info_snippet() -> None:
    doc = with_query(to_document(INFO, library_id="/vercel/next.js"), query="middleware", page=1, rank=1)

    assert doc.metadata == {
        "library_id": "/vercel/next.js",
        "snippet_type": "info",
        "title": "Routing > Middleware",
        "source": "https://nextjs.org/docs/middleware",
        "tokens": 12,
        "query": "middleware",
        "page": 1,
        "rank": 1,
    }


def test_metadata_is_flat_and_never_none() -> None:
    for snippet in (CODE, INFO, InfoSnippet(content="x"), CodeSnippet()):
        metadata = to_document(snippet, library_id="/a/b").metadata
        assert all(type(v) in (str, int) for v in metadata.values()), metadata
        assert "" not in metadata.values()
        assert {"library_id", "snippet_type", "tokens"} <= metadata.keys()


def test_ids_are_stable_and_depend_on_identity_only() -> None:
    doc = with_query(to_document(CODE, library_id="/vercel/next.js", version="v15"), query="a", page=1, rank=1)
    same = with_query(to_document(CODE, library_id="/vercel/next.js", version="v15"), query="b", page=3, rank=9)

    assert doc.id == same.id, "query, page and rank do not change what the snippet is"
    assert doc.id != to_document(CODE, library_id="/vercel/next.js", version="v14").id
    assert doc.id != to_document(CODE, library_id="/vercel/next.js").id
    assert doc.id != to_document(CODE, library_id="/vercel/nextjs", version="v15").id
    assert doc.id != to_document(INFO, library_id="/vercel/next.js", version="v15").id
    other = CODE.model_copy(update={"code_id": CODE.code_id.replace("_3", "_4")})
    assert doc.id != to_document(other, library_id="/vercel/next.js", version="v15").id


def test_snippets_that_differ_only_in_content_get_different_ids_and_both_survive_dedupe() -> None:
    changed = CODE.model_copy(update={"code_list": [CodeBlock(language="typescript", code="export default {}")]})
    reworded = INFO.model_copy(update={"content": "Middleware runs after routing."})

    docs = [to_document(s, library_id="/vercel/next.js") for s in (CODE, changed, INFO, reworded)]

    assert len({d.id for d in docs}) == 4
    assert len(list(dedupe(docs))) == 4
    again = to_document(CODE.model_copy(), library_id="/vercel/next.js")
    assert again.id == docs[0].id, "the same content keeps its ID"


def test_shared_request_helpers() -> None:
    assert modes("both") == ("code", "info")
    with pytest.raises(InvalidInputError, match="'code', 'info' or 'both'"):
        modes("all")
    assert interleave([[1, 2, 3], [10]]) == [1, 10, 2, 3]
    assert clip_query("  how   do\nI  ") == "how do I"
    assert clip_query("   ") is None
    long = "word " * 200
    clipped = clip_query(long)
    assert clipped is not None and len(clipped) <= 500 and clipped.endswith("word")
    docs = ranked([to_document(CODE, library_id="/a/b"), to_document(INFO, library_id="/a/b")], query="q", first_rank=3)
    assert [(d.metadata["rank"], d.metadata["query"]) for d in docs] == [(3, "q"), (4, "q")]


def test_ids_are_the_same_in_another_process() -> None:
    doc = to_document(CODE, library_id="/vercel/next.js", version="v15")
    script = (
        "from context7_kit.core import CodeSnippet, to_document;"
        f"s = CodeSnippet.model_validate({CODE.to_wire()!r});"
        "print(to_document(s, library_id='/vercel/next.js', version='v15').id)"
    )

    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.strip()

    assert out == doc.id


async def test_documents_from_client_results(c7: Harness) -> None:
    page = await c7.call("get_docs", "/acme/old-widgets@v1.0.0", topic="render", page=2)
    docs = page_documents(page)

    assert {d.metadata["library_id"] for d in docs} == {"/acme/widgets"}, "the ID finally served"
    assert {d.metadata["version"] for d in docs} == {"v1.0.0"}
    assert len({d.id for d in docs}) == 10
    assert all(set(d.metadata) <= set(INTRINSIC_METADATA) for d in docs)

    paged = list(paged_documents(await c7.collect("/acme/widgets", max_pages=2, topic="render"), query=True))
    assert [d.metadata["page"] for d in paged] == [1] * 10 + [2] * 10
    assert [d.metadata["rank"] for d in paged] == list(range(1, 21))
    assert {d.metadata["query"] for d in paged} == {"render"}

    context = await c7.call("get_context", "/acme/widgets", "how to render")
    code, info = context_documents(context)
    assert [d.metadata["snippet_type"] for d in code + info] == ["code"] * 3 + ["info"] * 2
    [only_info] = context_documents(context, mode="info")
    assert only_info == info


def test_importing_the_package_loads_no_llm_framework() -> None:
    script = (
        "import sys, context7_kit, context7_kit.core;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('langchain', 'langchain_core', 'llama_index'));"
        "print(','.join(bad))"
    )

    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)

    assert result.stdout.strip() == ""
