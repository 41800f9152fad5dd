"""context7-kit: a Python client for Context7 docs, with LangChain and LlamaIndex adapters.

Importing this package loads no LLM framework; the adapters live in
``context7_kit.integrations.langchain`` and ``context7_kit.integrations.llama_index``.
"""

from __future__ import annotations

from context7_kit import core
from context7_kit._version import __version__
from context7_kit.core import *  # noqa: F403  (the public names are core's)

__all__ = [*core.__all__, "__version__"]  # noqa: PLE0604
