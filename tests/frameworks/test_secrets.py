"""No adapter lets the API key into what the model or the program reads, whatever the server answers."""

from __future__ import annotations

import pytest
from _agents import DOCS
from pydantic_ai import Agent
from pydantic_ai.messages import ToolReturnPart

from context7_kit.integrations import dspy, haystack, pydantic_ai, smolagents
from tests.frameworks.conftest import LIBRARY_NAME, QUESTION, SECRET, load_example


def test_pydantic_ai_failed_result_hides_the_key(keyed_url: str) -> None:
    toolset = pydantic_ai.Context7Toolset(api_key=SECRET, base_url=keyed_url)
    model = load_example("pydantic_ai_agent").scripted_model(LIBRARY_NAME, QUESTION)
    result = Agent(model, toolsets=[toolset]).run_sync(QUESTION)
    failed = [p for m in result.all_messages() for p in m.parts if isinstance(p, ToolReturnPart)]
    assert failed and all(p.outcome == "failed" for p in failed)
    assert all(SECRET not in p.model_response_str() for p in failed)
    assert SECRET not in result.output


@pytest.mark.parametrize("module", [smolagents, haystack, dspy], ids=["smolagents", "haystack", "dspy"])
def test_raised_failures_hide_the_key(module: object, keyed_url: str) -> None:
    tools = module.context7_tools(api_key=SECRET, base_url=keyed_url)  # type: ignore[attr-defined]
    docs = next(t for t in tools if t.name == DOCS)
    call = docs.invoke if module is haystack else docs
    with pytest.raises(Exception) as caught:
        call(library_id="/acme/widgets", query="render")
    assert "401" in str(caught.value) or "key" in str(caught.value).lower()
    assert SECRET not in str(caught.value)
    assert SECRET not in repr(caught.value)
    assert SECRET not in repr(docs)
