"""Hybrid search: the user's own embedding with one option, WordLlama offline, and no import cost."""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings

from context7_kit.server import LibrarySource, build_index
from context7_kit.server.cli import ConfigError, main, register_cli, resolve_config
from context7_kit.server.semantic import Embedder, resolve_embedding, wordllama_available

LIBRARY = "/me/garage"
# Concepts a lexical search cannot connect: each word of a group points the same way.
GROUPS = [("car", "automobile", "vehicle"), ("paint", "colour", "color"), ("engine", "motor")]


def concept_vectors(texts: Sequence[str]) -> list[list[float]]:
    vectors = []
    for text in texts:
        words = text.lower().replace(".", " ").replace("?", " ").split()
        vectors.append([float(sum(w in group for w in words)) + 0.01 for group in GROUPS])
    return vectors


class ConceptEmbeddings(Embeddings):
    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return concept_vectors(texts)

    def embed_query(self, text: str) -> list[float]:
        return concept_vectors([text])[0]


def llama_index_embedding() -> object:
    from llama_index.core.base.embeddings.base import BaseEmbedding

    class ConceptLlamaEmbedding(BaseEmbedding):
        def _get_query_embedding(self, query: str) -> list[float]:
            return concept_vectors([query])[0]

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return concept_vectors([query])[0]

        def _get_text_embedding(self, text: str) -> list[float]:
            return concept_vectors([text])[0]

    return ConceptLlamaEmbedding()


@pytest.fixture
def garage(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "guide.md").write_text(
        "# Garage\n\n## Wheels\n\nA car has four wheels and a spare.\n\n"
        "## Finish\n\nThe paint dries overnight.\n\n## Power\n\nThe engine starts with a key.\n"
    )
    return docs


@pytest.mark.parametrize("kind", ["callable", "langchain", "llama-index"])
def test_a_users_embedding_finds_answers_that_share_no_word_with_the_question(garage: Path, kind: str) -> None:
    embedding = {
        "callable": concept_vectors,
        "langchain": ConceptEmbeddings(),
        "llama-index": llama_index_embedding(),
    }[kind]
    lexical = build_index([LibrarySource(LIBRARY, garage)], embedding=None)
    assert lexical.ranked_context(LIBRARY, None, "automobile fleet") == []
    hybrid = build_index([LibrarySource(LIBRARY, garage)], embedding=embedding)
    first = hybrid.ranked_context(LIBRARY, None, "automobile fleet")[0]
    assert "four wheels" in first.model_dump_json()
    first = hybrid.ranked_context(LIBRARY, None, "which colour")[0]
    assert "paint dries" in first.model_dump_json()
    # The docs route ranks only full-text matches, so its page count stays exact; a question that no
    # snippet matches word for word borrows words from the nearest snippet's title ("Wheels").
    found = hybrid.docs(LIBRARY, None, "info", "automobile fleet")
    assert "four wheels" in found.snippets[0].model_dump_json() and found.total_pages == 1
    quiet = build_index(
        [LibrarySource(LIBRARY, garage)], embedding=Embedder("concepts", concept_vectors, feedback_terms=0)
    )
    assert quiet.docs(LIBRARY, None, "info", "automobile fleet").snippets == []


def test_vectors_are_stored_with_the_index_and_a_new_model_reindexes(garage: Path, tmp_path: Path) -> None:
    db = tmp_path / "index.sqlite"
    first = build_index([LibrarySource(LIBRARY, garage)], db, embedding=concept_vectors)
    corpus = first.store.corpus(LIBRARY, "")
    assert corpus is not None
    ids, blob = first.store.vectors(corpus.id)
    assert ids and len(blob) == len(ids) * 3 * 4  # three float32 dimensions per snippet
    first.close()
    again = build_index([LibrarySource(LIBRARY, garage)], db, embedding=concept_vectors)
    assert again.store.corpus(LIBRARY, "") == corpus  # same model, same docs: nothing re-indexed
    again.close()
    lexical = build_index([LibrarySource(LIBRARY, garage)], db, embedding=None)
    rebuilt = lexical.store.corpus(LIBRARY, "")
    assert rebuilt is not None and rebuilt.fingerprint != corpus.fingerprint
    assert lexical.store.vectors(rebuilt.id) == ([], b"")
    lexical.close()


def test_bad_embedding_options_say_what_to_give() -> None:
    with pytest.raises(ValueError, match="'auto', 'wordllama', 'sentence-transformers:<model>', None"):
        resolve_embedding("bert")
    with pytest.raises(ValueError, match=r"needs a model name or folder, e\.g\. sentence-transformers:all-MiniLM"):
        resolve_embedding("sentence-transformers: ")
    with pytest.raises(TypeError, match="LangChain Embeddings, a LlamaIndex embedding or a callable"):
        resolve_embedding(42)
    embedder = resolve_embedding(lambda texts: [[1.0, 2.0, 3.0] for _ in texts])
    assert embedder is not None
    with pytest.raises(ValueError, match="shape"):
        resolve_embedding(lambda texts: [1.0 for _ in texts]).embed(["a"])  # type: ignore[union-attr]


@pytest.mark.skipif(not wordllama_available(), reason="the semantic extra (wordllama) is not installed")
def test_wordllama_loads_its_bundled_model_offline() -> None:
    embedder = resolve_embedding("wordllama")
    assert embedder is not None and embedder.name == "wordllama-256"
    vectors = embedder.embed(["install the package", "pip install"])
    assert vectors.shape == (2, 256)
    assert float(vectors[0] @ vectors[1]) > 0.3


def test_importing_the_package_and_the_server_loads_no_embedding_library() -> None:
    code = (
        "import sys, context7_kit, context7_kit.server\n"
        "loaded = [m for m in ('wordllama', 'numpy', 'tokenizers', 'safetensors') if m in sys.modules]\n"
        "print(','.join(loaded))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.strip() == ""


def test_serve_and_index_take_semantic_from_the_flag_and_the_config_file(garage: Path, tmp_path: Path) -> None:
    parser = argparse.ArgumentParser()
    register_cli(parser.add_subparsers())
    library = f"{LIBRARY}={garage}"
    assert resolve_config(parser.parse_args(["serve", "--library", library])).semantic == "auto"
    off = resolve_config(parser.parse_args(["index", "--library", library, "--semantic", "off"]))
    assert off.semantic == "off"
    config = tmp_path / "c7.toml"
    config.write_text(f'semantic = "off"\n[[libraries]]\nid = "{LIBRARY}"\npath = "{garage}"\n')
    assert resolve_config(parser.parse_args(["serve", "--config", str(config)])).semantic == "off"
    config.write_text(f'semantic = "maybe"\n[[libraries]]\nid = "{LIBRARY}"\npath = "{garage}"\n')
    with pytest.raises(
        ConfigError, match="semantic 'maybe' is not one of auto, wordllama, off, sentence-transformers:MODEL"
    ):
        resolve_config(parser.parse_args(["serve", "--config", str(config)]))
    model = resolve_config(parser.parse_args(["serve", "--library", library, "--semantic", "sentence-transformers:/m"]))
    assert model.semantic == "sentence-transformers:/m"
    with pytest.raises(ConfigError, match="--semantic 'sentence-transformers:' is not one of"):
        resolve_config(parser.parse_args(["serve", "--library", library, "--semantic", "sentence-transformers:"]))


@pytest.mark.skipif(
    importlib.util.find_spec("sentence_transformers") is not None, reason="sentence-transformers is here"
)
def test_a_sentence_model_without_its_extra_names_the_extra(garage: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ImportError, match=r"pip install 'context7-kit\[transformers\]'"):
        resolve_embedding("sentence-transformers:all-MiniLM-L6-v2")
    flags = ["--library", f"{LIBRARY}={garage}", "--semantic", "sentence-transformers:all-MiniLM-L6-v2"]
    assert main(["serve", "--port", "0", *flags]) == 2
    err = capsys.readouterr().err
    assert "context7-kit serve: " in err and "context7-kit[transformers]" in err and "Traceback" not in err


def test_questions_in_the_docs_words_keep_the_full_text_order_and_others_follow_the_model(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "garage.md").write_text(
        "# Garage\n\n## Wheels\n\nA car has four wheels and a spare.\n\n"
        "## Keys\n\nThe spare car key hangs by the door.\n"
    )

    def documents(texts: list[str]) -> list[list[float]]:  # the model likes the key snippet, whatever is asked
        return [[1.0, 0.0] if "key hangs" in t else [0.0, 1.0] for t in texts]

    model = Embedder("keys", documents, lambda _text: [1.0, 0.0], weights=(0.1, 3.0), feedback_terms=0)
    index = build_index([LibrarySource(LIBRARY, docs)], embedding=model)
    # Some snippet holds every word: the vectors weigh 0.1 and the full-text order stands.
    assert "four wheels" in index.ranked_context(LIBRARY, None, "car spare wheels")[0].model_dump_json()
    # No snippet holds every word: the vectors weigh 3 and lead.
    assert "key hangs" in index.ranked_context(LIBRARY, None, "car spare wheels tyre")[0].model_dump_json()


def test_a_failing_embedding_at_question_time_falls_back_to_full_text(
    garage: Path, caplog: pytest.LogCaptureFixture
) -> None:
    calls = {"n": 0}

    def flaky(texts: list[str]) -> list[list[float]]:
        calls["n"] += 1
        if calls["n"] > 1:  # indexing worked; the service is down by the time questions come
            raise ConnectionError("embedding service unreachable")
        return concept_vectors(texts)

    index = build_index([LibrarySource(LIBRARY, garage)], embedding=flaky)
    first = index.ranked_context(LIBRARY, None, "engine key")[0]
    assert "engine starts" in first.model_dump_json()
    assert "ranked by full text only" in caplog.text and "ConnectionError" in caplog.text
    assert "unreachable" not in caplog.text  # only the type is logged: a message may carry credentials


@pytest.mark.parametrize("own_heading", [True, False])
def test_a_sentence_model_embeds_a_snippets_own_heading_not_its_path(garage: Path, own_heading: bool) -> None:
    seen: list[str] = []

    def record(texts: list[str]) -> list[list[float]]:
        seen.extend(texts)
        return concept_vectors(texts)

    model = Embedder("recorder", record, own_heading=own_heading)
    build_index([LibrarySource(LIBRARY, garage)], embedding=model).close()
    wheels = next(t for t in seen if "four wheels" in t)
    assert wheels.startswith("Garage > Wheels\n") != own_heading
    assert wheels.startswith("Wheels\n") == own_heading
