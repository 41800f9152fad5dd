"""Embeddings for hybrid search: the bundled WordLlama model, or the user's own.

With the ``semantic`` extra (``pip install 'context7-kit[semantic]'``) the
server embeds every snippet with `WordLlama <https://github.com/dleemiller/WordLlama>`_'s
256-dimension static model, which ships inside the ``wordllama`` wheel: no
download, no GPU, about 50k short texts a second on one core. Its default
loader looks for the bundled tokenizer in the wrong folder and tries to
download it, so it is loaded from the package's own folder with downloads off.

A transformer model ranks questions worded differently from the docs
better (docs/benchmarks.md, section 8) at a higher indexing cost:
``embedding="sentence-transformers:<model name or folder>"`` (``--semantic``
takes the same) loads one with `sentence-transformers <https://sbert.net>`_
(``pip install 'context7-kit[transformers]'``). Instead, ``embedding=``
takes a LangChain ``Embeddings``, a LlamaIndex embedding
(``BaseEmbedding``), or a plain callable from a list of texts to a list of
vectors. Nothing here is imported by ``import context7_kit``, and numpy is
imported only when embeddings are used.

How much a model's ranking counts against the full-text one depends on the
model (:attr:`Embedder.weights`): WordLlama's static word vectors are weak
on their own and get a small fixed weight; a sentence model gets little
weight when some snippet holds every word of the question, and much more
when none does, which is where full text fails. There, a sentence model
also lends the full-text search a few words of the title of the snippet
nearest the question (:attr:`Embedder.feedback_terms`).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    Matrix = NDArray[np.float32]

EmbeddingOption = Literal["auto", "wordllama"] | str | Callable[[list[str]], Any] | Any | None
"""What ``DocsIndex(embedding=...)`` accepts: ``"auto"`` (WordLlama when installed, else lexical only),
``"wordllama"``, ``"sentence-transformers:<model>"``, ``None`` (lexical only), a LangChain/LlamaIndex
embedding or a callable."""

WORDLLAMA_DIM = 256
MAX_EMBED_CHARS = 2000
SENTENCE_TRANSFORMERS = "sentence-transformers:"
"""Prefix of an ``embedding`` option naming a sentence-transformers model (a hub name or a local folder)."""
WORDLLAMA_WEIGHTS = (0.3, 0.3)
"""WordLlama's weight in the fusion whether or not some snippet holds every word of the question."""
MODEL_WEIGHTS = (0.1, 1.0)
"""A sentence model's weights (any model but WordLlama): little where full text finds every word, much where not."""
FEEDBACK_TERMS = 3
"""A sentence model's feedback: words of the nearest snippet's title added to a question no snippet matches."""
_EXTRA_HINT = "install the semantic extra: pip install 'context7-kit[semantic]'"
_TRANSFORMERS_HINT = "install the transformers extra: pip install 'context7-kit[transformers]'"


def _numpy() -> Any:
    try:
        import numpy  # noqa: PLC0415 (only when embeddings are used)
    except ImportError:  # pragma: no cover - numpy comes with every embedding library
        raise ImportError(f"Semantic search needs numpy: {_EXTRA_HINT}") from None
    return numpy


class Embedder:
    """Texts to unit-length float32 vectors; ``name`` says which model made them.

    ``weights``: the vector ranking's weight in the fusion (the full-text
    ranking weighs 1) when some snippet matches every word of the question,
    and when none does. ``feedback_terms``: when none does, up to this many
    words of the title of the snippet nearest the question join its
    full-text search (0: none). ``own_heading``: a snippet's vector is made
    of its own heading, prose and code (True), or of its whole heading path
    (False): the ancestors' words, shared by every snippet of a page, pull a
    sentence model's vectors of one page together, but give WordLlama's weak
    vectors the page's topic.
    """

    def __init__(
        self,
        name: str,
        embed: Callable[[list[str]], Any],
        query: Callable[[str], Any] | None = None,
        *,
        weights: tuple[float, float] = MODEL_WEIGHTS,
        feedback_terms: int = FEEDBACK_TERMS,
        own_heading: bool = True,
    ) -> None:
        self.name = name
        self.weights = weights
        self.feedback_terms = feedback_terms
        self.own_heading = own_heading
        self._embed = embed
        self._query = query

    def _normalized(self, rows: Any) -> Matrix:
        np = _numpy()
        matrix = np.asarray(rows, dtype=np.float32)
        if matrix.ndim != 2:
            raise ValueError(f"The embedding {self.name} returned an array of shape {matrix.shape}, not (texts, dims).")
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        result: Matrix = (matrix / norms).astype(np.float32)
        return result

    def embed(self, texts: Sequence[str]) -> Matrix:
        """One unit vector per text (each text cut to its first 2,000 characters)."""
        if not texts:
            empty: Matrix = _numpy().zeros((0, 1), dtype=_numpy().float32)
            return empty
        return self._normalized(self._embed([t[:MAX_EMBED_CHARS] for t in texts]))

    def embed_query(self, text: str) -> Matrix:
        """The unit vector of a question (shape ``(dims,)``)."""
        rows = [self._query(text)] if self._query is not None else self._embed([text[:MAX_EMBED_CHARS]])
        vector: Matrix = self._normalized(rows)[0]
        return vector


def wordllama_available() -> bool:
    """Whether the ``semantic`` extra is installed."""
    return importlib.util.find_spec("wordllama") is not None


def load_wordllama() -> Embedder:
    """The WordLlama model bundled in its wheel, loaded offline."""
    try:
        import wordllama  # type: ignore[import-untyped]  # noqa: PLC0415 (optional extra)
    except ImportError:
        raise ImportError(f"embedding='wordllama' needs the wordllama package: {_EXTRA_HINT}") from None
    folder = Path(wordllama.__file__).resolve().parent
    model = wordllama.WordLlama.load(cache_dir=folder, disable_download=True, dim=WORDLLAMA_DIM)
    return Embedder(
        f"wordllama-{WORDLLAMA_DIM}", model.embed, weights=WORDLLAMA_WEIGHTS, feedback_terms=0, own_heading=False
    )


def load_sentence_transformer(model_name: str) -> Embedder:
    """A sentence-transformers model by hub name or local folder, on the CPU unless a GPU is there.

    A hub name is downloaded once into the Hugging Face cache; with
    ``HF_HUB_OFFLINE=1`` only the cache or a local folder is used.
    """
    if not model_name.strip():
        raise ValueError(
            f"{SENTENCE_TRANSFORMERS} needs a model name or folder, e.g. {SENTENCE_TRANSFORMERS}all-MiniLM-L6-v2."
        )
    try:
        from sentence_transformers import SentenceTransformer  # type: ignore[import-not-found,unused-ignore]  # noqa: PLC0415
    except ImportError:
        hint = f"embedding='{SENTENCE_TRANSFORMERS}...' needs sentence-transformers: {_TRANSFORMERS_HINT}"
        raise ImportError(hint) from None
    try:
        model = SentenceTransformer(model_name)
    except Exception as exc:  # hub errors, missing folders, bad configs: one clear message
        raise ValueError(
            f"The sentence-transformers model {model_name!r} could not be loaded ({type(exc).__name__}: {exc}). "
            "Give a model name from huggingface.co (downloaded once) or the folder of a saved model."
        ) from None

    def embed(texts: list[str]) -> Any:
        return model.encode(texts, batch_size=32, show_progress_bar=False)

    def query(text: str) -> Any:
        encode = getattr(model, "encode_query", model.encode)  # applies the model's query prompt, if it has one
        return encode([text], show_progress_bar=False)[0]

    return Embedder(f"sentence-transformers:{model_name}", embed, query)


def resolve_embedding(option: EmbeddingOption) -> Embedder | None:
    """The embedder an ``embedding=`` option names, or None for lexical search only."""
    if option is None:
        return None
    if isinstance(option, Embedder):
        return option
    if option == "auto":
        return load_wordllama() if wordllama_available() else None
    if option == "wordllama":
        return load_wordllama()
    if isinstance(option, str) and option.startswith(SENTENCE_TRANSFORMERS):
        return load_sentence_transformer(option.removeprefix(SENTENCE_TRANSFORMERS))
    if isinstance(option, str):
        raise ValueError(
            f"Unknown embedding {option!r}: give 'auto', 'wordllama', '{SENTENCE_TRANSFORMERS}<model>', None, "
            "or an embedding model."
        )
    name = f"{type(option).__module__}.{type(option).__qualname__}"
    model_name = getattr(option, "model_name", None) or getattr(option, "model", None)
    if isinstance(model_name, str):
        name += f":{model_name}"
    if hasattr(option, "embed_documents") and hasattr(option, "embed_query"):  # LangChain Embeddings
        return Embedder(name, option.embed_documents, option.embed_query)
    if hasattr(option, "get_text_embedding_batch") and hasattr(option, "get_query_embedding"):  # LlamaIndex
        return Embedder(name, option.get_text_embedding_batch, option.get_query_embedding)
    if callable(option):
        return Embedder(getattr(option, "__qualname__", name), option)
    raise TypeError(
        f"embedding must be 'auto', 'wordllama', None, a LangChain Embeddings, a LlamaIndex embedding "
        f"or a callable from a list of texts to vectors, not {type(option).__name__}."
    )
