"""A pydantic-ai agent with the Context7 toolset: it finds a library, reads its docs, and answers.

    python examples/pydantic_ai_agent.py                       # offline: local server, scripted model
    PYDANTIC_AI_MODEL=openai:gpt-4o python examples/pydantic_ai_agent.py "How do I add middleware?"

The model is pydantic-ai's ``FunctionModel`` running a script (guess an ID,
read the failure, resolve the name, read the docs, answer) unless
PYDANTIC_AI_MODEL names a real one. Context7 is the local server over docs/
unless CONTEXT7_API_URL or CONTEXT7_API_KEY is set (see _agents.py).
"""

from __future__ import annotations

import os
import textwrap

from _agents import Backend, Outcome, next_turn, run_example
from pydantic_ai import Agent
from pydantic_ai.messages import ModelMessage, ModelRequest, ModelResponse, TextPart, ToolCallPart, ToolReturnPart
from pydantic_ai.models.function import AgentInfo, FunctionModel

from context7_kit.integrations.pydantic_ai import Context7Toolset

INSTRUCTIONS = (
    "Answer questions about software libraries from their current documentation: find the library's ID with "
    "resolve_library_id unless you have one, then call query_docs with the full question. Cite the sources."
)


def scripted_model(library_name: str, question: str) -> FunctionModel:
    """pydantic-ai's own function model, deciding each turn from the last tool result."""

    def respond(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        last = None
        if isinstance(messages[-1], ModelRequest):
            for part in messages[-1].parts:
                if isinstance(part, ToolReturnPart):
                    last = Outcome(part.tool_name, part.model_response_str(), part.outcome != "success")
        turn = next_turn(library_name, question, last)
        if turn.answer is not None:
            return ModelResponse(parts=[TextPart(turn.answer)])
        assert turn.tool is not None
        return ModelResponse(parts=[ToolCallPart(turn.tool, turn.arguments)])

    return FunctionModel(respond)


def show(messages: list[ModelMessage]) -> None:
    """Print each tool call and what the model read back."""
    for message in messages:
        for part in message.parts:
            if isinstance(part, ToolCallPart):
                print(f"\nmodel -> {part.tool_name}({part.args})")
            elif isinstance(part, ToolReturnPart):
                label = "tool error" if part.outcome != "success" else "tool"
                preview = "\n".join(part.model_response_str().splitlines()[:6])
                print(textwrap.indent(preview, f"  {label} | "))


async def run(backend: Backend, question: str) -> str:
    toolset = Context7Toolset(max_tokens=1500, **backend.options)
    model_name = os.environ.get("PYDANTIC_AI_MODEL")
    print(f"Model: {model_name or 'scripted'}")
    agent = Agent(
        model_name or scripted_model(backend.library_name, question), toolsets=[toolset], instructions=INSTRUCTIONS
    )
    try:
        result = await agent.run(question)
    finally:
        await toolset.aclose()
    show(result.all_messages())
    return result.output


def main(argv: list[str] | None = None) -> int:
    return run_example(run, argv)


if __name__ == "__main__":
    raise SystemExit(main())
