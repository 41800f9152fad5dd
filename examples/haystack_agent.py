"""A Haystack Agent with the Context7 toolset: it finds a library, reads its docs, and answers.

    python examples/haystack_agent.py                            # offline: local server, scripted model
    python examples/haystack_agent.py "How do I add middleware?"

The chat generator is a scripted Haystack component (guess an ID, read the
failed tool result, resolve the name, read the docs, answer); swap in
``OpenAIChatGenerator()`` for a real model. Context7 is the local server over
docs/ unless CONTEXT7_API_URL or CONTEXT7_API_KEY is set (see _agents.py).
"""

from __future__ import annotations

import textwrap
from typing import Any

from _agents import Backend, Outcome, next_turn, run_example
from haystack import component
from haystack.components.agents import Agent
from haystack.dataclasses import ChatMessage, ToolCall

from context7_kit.integrations.haystack import Context7Toolset


@component
class ScriptedChatGenerator:
    """A chat generator deciding each reply from the last tool result (Haystack marks failures ``error``)."""

    def __init__(self, library_name: str, question: str) -> None:
        self.library_name, self.question = library_name, question

    @component.output_types(replies=list[ChatMessage])
    def run(self, messages: list[ChatMessage], tools: Any = None, **kwargs: Any) -> dict[str, list[ChatMessage]]:
        results = messages[-1].tool_call_results
        last = Outcome(results[-1].origin.tool_name, str(results[-1].result), results[-1].error) if results else None
        turn = next_turn(self.library_name, self.question, last)
        if turn.tool is None:
            return {"replies": [ChatMessage.from_assistant(turn.answer)]}
        return {"replies": [ChatMessage.from_assistant(tool_calls=[ToolCall(turn.tool, turn.arguments)])]}


def show(messages: list[ChatMessage]) -> None:
    """Print each tool call and what the model read back."""
    for message in messages:
        for call in message.tool_calls:
            print(f"\nmodel -> {call.tool_name}({call.arguments})")
        for result in message.tool_call_results:
            label = "tool error" if result.error else "tool"
            print(textwrap.indent("\n".join(str(result.result).splitlines()[:6]), f"  {label} | "))


def run(backend: Backend, question: str) -> str:
    toolset = Context7Toolset(max_tokens=1500, **backend.options)
    agent = Agent(chat_generator=ScriptedChatGenerator(backend.library_name, question), tools=toolset)
    try:
        result = agent.run(messages=[ChatMessage.from_user(question)])
    finally:
        toolset.close()
    show(result["messages"])
    return str(result["last_message"].text)


def main(argv: list[str] | None = None) -> int:
    return run_example(run, argv)


if __name__ == "__main__":
    raise SystemExit(main())
