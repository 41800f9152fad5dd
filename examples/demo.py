"""The main job, end to end: read documentation through the client and both adapters.

By default this starts the embedded local Context7-compatible server over this
repository's ``docs/`` folder, served as library ``/context7-kit/docs`` and
answering as context7.com does today, so it runs offline. With
``CONTEXT7_API_URL`` set it uses that server; with only ``CONTEXT7_API_KEY``
set it uses context7.com (and a public library). Every part asks by question
(``/v2/context``), which every Context7 server answers; the topic-paged
``/v2/docs`` routes are shown only where the server still has them.

    python examples/demo.py                                     # offline, local server
    python examples/demo.py --question "How do I cache responses?"
    CONTEXT7_API_KEY=ctx7sk-... python examples/demo.py --library /vercel/next.js
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from context7_kit import AsyncContext7Client, CodeSnippet, Context7Client, Context7Error
from context7_kit.core import render_snippet
from context7_kit.core.errors import UnsupportedEndpointError

ROOT = Path(__file__).resolve().parent.parent
LOCAL_LIBRARY = "/context7-kit/docs"
LIVE_LIBRARY = "/vercel/next.js"


def heading(title: str) -> None:
    print(f"\n{'=' * 78}\n{title}\n{'=' * 78}")


def shorten(text: str, lines: int = 12) -> str:
    kept = text.strip().splitlines()
    more = len(kept) - lines
    body = "\n".join(kept[:lines])
    return body + (f"\n    ... ({more} more lines)" if more > 0 else "")


@contextmanager
def api_base_url() -> Iterator[tuple[str | None, str]]:
    """The base URL to use (None = the client's default, context7.com) and a description."""
    if os.environ.get("CONTEXT7_API_URL"):
        yield os.environ["CONTEXT7_API_URL"], f"the server at {os.environ['CONTEXT7_API_URL']}"
        return
    if os.environ.get("CONTEXT7_API_KEY"):
        yield None, "context7.com (CONTEXT7_API_KEY is set)"
        return
    from context7_kit.server.local import LocalServer

    with LocalServer({LOCAL_LIBRARY: ROOT / "docs"}, profile="live") as server:
        yield server.base_url, f"the embedded local server over {ROOT / 'docs'} ({server.base_url})"


def client_demo(client: Context7Client, library: str, topic: str, question: str) -> None:
    heading("1. The client: search, a question, and pages by topic where served")
    name = library.rsplit("/", 1)[-1]
    for lib in client.search_library(question, name)[:3]:
        print(f"search -> {lib.id}: {lib.title} ({lib.total_snippets or '?'} snippets)")

    context = client.get_context(library, question)
    code = [s for s in context.snippets if isinstance(s, CodeSnippet)]
    print(f"\nget_context({question!r}): {len(code)} code and {len(context.snippets) - len(code)} info snippets")
    for snippet in context.snippets[:2]:
        print(textwrap.indent(shorten(render_snippet(snippet), 8), "    "))
        print()

    try:
        page = client.get_docs(library, topic=topic, limit=3)
    except UnsupportedEndpointError:
        print(f"get_docs(topic={topic!r}): this server has no /v2/docs routes (as context7.com today); skipped")
        return
    total = page.pagination.total_pages
    print(f"get_docs({library!r}, topic={topic!r}): {len(page.snippets)} snippets, page 1 of {total}")
    count = sum(1 for _ in client.iter_docs(library, topic=topic, mode="info", max_pages=3, max_tokens=2000))
    print(f"iter_docs(mode='info', max_tokens=2000): {count} prose snippets within the budget")


async def async_demo(base_url: str | None, library: str, questions: list[str]) -> None:
    heading("2. The async client: several questions at once")
    async with AsyncContext7Client(base_url=base_url) as client:
        answers = await asyncio.gather(*(client.get_context(library, q) for q in questions))
    for question, context in zip(questions, answers, strict=True):
        titles = [getattr(s, "code_title", "") or getattr(s, "breadcrumb", "") for s in context.snippets][:3]
        print(f"{question!r}: {len(context.snippets)} snippets, e.g. {titles}")


def langchain_demo(client: Context7Client, library: str, question: str) -> None:
    heading("3. LangChain: the toolkit's tools, and the retriever")
    try:
        from context7_kit.integrations.langchain import Context7Retriever, Context7Toolkit
    except ImportError as exc:
        print(f"(skipped: {exc})")
        return
    resolve, docs = Context7Toolkit(client=client).get_tools()
    name = library.rsplit("/", 1)[-1]
    print(f"{resolve.name}({name!r}) ->")
    print(textwrap.indent(shorten(str(resolve.invoke({"library_name": name, "query": question})), 6), "    "))
    call = {
        "name": docs.name,
        "args": {"library_id": library, "query": question},
        "id": "demo-call",
        "type": "tool_call",
    }
    message = docs.invoke(call)
    print(f"\n{docs.name}({question!r}) -> {len(message.artifact)} Documents as the artifact; text for the model:")
    print(textwrap.indent(shorten(str(message.content), 8), "    "))

    retriever = Context7Retriever(library_id=library, k=3, client=client)
    print(f"\nretriever.invoke({question!r}):")
    for document in retriever.invoke(question):
        meta = document.metadata
        print(f"    #{meta.get('rank')} [{meta.get('snippet_type')}] {meta.get('title')}  ({meta.get('source')})")


def llama_index_demo(client: Context7Client, library: str, questions: list[str]) -> None:
    heading("4. LlamaIndex: the reader, and the retriever")
    try:
        from context7_kit.integrations.llama_index import Context7Reader, Context7Retriever
    except ImportError as exc:
        print(f"(skipped: {exc})")
        return
    documents = Context7Reader(client=client).load_data(library, queries=questions)
    print(f"Context7Reader.load_data({library!r}, queries={questions!r}):")
    print(f"    {len(documents)} Documents, one per snippet however many questions found it")
    for document in documents[:3]:
        print(f"    {document.doc_id[:8]}  {document.metadata.get('snippet_type')}: {document.metadata.get('title')}")
    retriever = Context7Retriever(library_id=library, client=client, similarity_top_k=3)
    print(f"\nretriever.retrieve({questions[0]!r}):")
    for hit in retriever.retrieve(questions[0]):
        print(f"    score {hit.score:.2f}  {hit.node.metadata.get('title')}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--library", help=f"library ID (default {LOCAL_LIBRARY} locally, {LIVE_LIBRARY} live)")
    parser.add_argument("--question", default="How do I cache responses?", help="the question every part asks")
    parser.add_argument("--topic", default="caching", help="topic for the /v2/docs pages, where served")
    args = parser.parse_args(argv)

    try:
        with api_base_url() as (base_url, where):
            library = args.library or (LIVE_LIBRARY if base_url is None else LOCAL_LIBRARY)
            print(f"context7-kit demo: reading {library} from {where}")
            with Context7Client(base_url=base_url) as client:
                questions = [args.question, "How are failed requests retried?", "How do I install it?"]
                client_demo(client, library, args.topic, args.question)
                asyncio.run(async_demo(base_url, library, questions))
                langchain_demo(client, library, args.question)
                llama_index_demo(client, library, questions)
    except Context7Error as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    heading("Done")
    print("Every call above went through the same client, over HTTP, with the Context7 wire format.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
