"""An OpenAI Agents SDK agent with the Context7 tools: it finds a library, reads its docs, and answers.

    python examples/openai_agents_agent.py                       # offline: local server, scripted model
    OPENAI_API_KEY=... python examples/openai_agents_agent.py "How do I add middleware?"

Without OPENAI_API_KEY the model is a scripted ``agents.models.interface.Model``
(guess an ID, read the failure, resolve the name, read the docs, answer) and
tracing is off; with it, the SDK's default OpenAI model. Context7 is the local
server over docs/ unless CONTEXT7_API_URL or CONTEXT7_API_KEY is set (see _agents.py).
"""

from __future__ import annotations

import json
import os
import textwrap
from typing import Any

from _agents import Backend, Outcome, next_turn, run_example
from agents import Agent, Runner, set_tracing_disabled
from agents.items import ModelResponse
from agents.models.interface import Model
from agents.usage import Usage
from openai.types.responses import ResponseFunctionToolCall, ResponseOutputMessage, ResponseOutputText

from context7_kit.integrations.openai_agents import FAILURE_PREFIX, context7_tools


class ScriptedModel(Model):
    """A model deciding each turn from the last function call output it was given."""

    def __init__(self, library_name: str, question: str) -> None:
        self.library_name, self.question = library_name, question

    async def get_response(self, system_instructions: Any, input: Any, *args: Any, **kwargs: Any) -> ModelResponse:
        items = [] if isinstance(input, str) else [dict(item) for item in input]
        calls = {item["call_id"]: item["name"] for item in items if item.get("type") == "function_call"}
        last = None
        if items and items[-1].get("type") == "function_call_output":
            text = str(items[-1]["output"])
            # The SDK hands a handled tool failure to the model as its error message.
            last = Outcome(calls[items[-1]["call_id"]], text, text.startswith(FAILURE_PREFIX))
        turn = next_turn(self.library_name, self.question, last)
        if turn.tool is None:
            text = ResponseOutputText(type="output_text", text=turn.answer or "", annotations=[])
            output: Any = ResponseOutputMessage(
                id="msg", type="message", role="assistant", status="completed", content=[text]
            )
        else:
            output = ResponseFunctionToolCall(
                type="function_call", call_id=f"call_{len(items)}", name=turn.tool, arguments=json.dumps(turn.arguments)
            )
        return ModelResponse(output=[output], usage=Usage(), response_id=None)

    def stream_response(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("the scripted model does not stream")


def show(items: list[Any]) -> None:
    """Print each tool call and what the model read back."""
    for item in items:
        raw = item.raw_item
        if item.type == "tool_call_item":
            print(f"\nmodel -> {raw.name}({raw.arguments})")
        elif item.type == "tool_call_output_item":
            text = str(item.output)
            label = "tool error" if text.startswith(FAILURE_PREFIX) else "tool"
            print(textwrap.indent("\n".join(text.splitlines()[:6]), f"  {label} | "))


async def run(backend: Backend, question: str) -> str:
    real = bool(os.environ.get("OPENAI_API_KEY"))
    set_tracing_disabled(not real)
    print(f"Model: {'OpenAI' if real else 'scripted'}")
    agent = Agent(
        name="docs",
        instructions="Answer from the library's current docs.",
        tools=context7_tools(max_tokens=1500, **backend.options),
    )
    if not real:
        agent.model = ScriptedModel(backend.library_name, question)
    result = await Runner.run(agent, question)
    show(result.new_items)
    return str(result.final_output)


def main(argv: list[str] | None = None) -> int:
    return run_example(run, argv)


if __name__ == "__main__":
    raise SystemExit(main())
