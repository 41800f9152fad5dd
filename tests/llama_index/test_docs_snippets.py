"""The ingestion snippet of docs/llama-index.md runs as written, without a warning, on current llama-index-core."""

from __future__ import annotations

import re
import warnings

import pytest

from context7_kit.server.local import LocalServer
from tests.conftest import FIXTURE_DOCS, ROOT
from tests.llama_index._embedding import HashingEmbedding


def _snippet(containing: str) -> str:
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "docs" / "llama-index.md").read_text(), re.DOTALL)
    [block] = [b for b in blocks if containing in b]
    return block


def test_the_ingestion_snippet_embeds_nothing_twice_and_warns_of_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    code = _snippet("IngestionPipeline")
    # The snippet reads /vercel/next.js: served here from the fixture docs, as context7.com answers today.
    with LocalServer({"/vercel/next.js": FIXTURE_DOCS / "widgets"}, profile="live") as server:
        monkeypatch.setenv("CONTEXT7_API_URL", server.base_url)
        scope = {"embed_model": HashingEmbedding()}  # "your embedding model"
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            exec(compile(code, "docs/llama-index.md", "exec"), scope)

    assert scope["nodes"]
    assert scope["again"] == []
    assert len(scope["index"].as_retriever(similarity_top_k=2).retrieve("render a widget")) == 2
