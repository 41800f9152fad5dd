"""The README's main job runs offline and shows every part working."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo.py"


def test_demo_reads_the_project_docs_through_every_layer(capsys: pytest.CaptureFixture[str]) -> None:
    demo = runpy.run_path(str(DEMO), run_name="demo")
    assert demo["main"]([]) == 0
    out = capsys.readouterr().out
    assert "reading /context7-kit/docs from the embedded local server" in out
    assert "search -> /context7-kit/docs" in out
    # Each layer printed real snippets from docs/, not an empty result.
    assert "Source: client.md#" in out and "Caching" in out
    assert "Documents as the artifact" in out and "retriever.invoke(" in out
    assert "Context7Reader.load_data(" in out and "score 1.00" in out
    # The embedded server answers as context7.com does today: the topic pages are skipped, nothing else.
    assert "no /v2/docs routes (as context7.com today); skipped" in out
    assert "(skipped" not in out
