"""A smolagents ToolCallingAgent with the Context7 tools: it finds a library, reads its docs, and answers.

    python examples/smolagents_agent.py                          # offline: local server, scripted model
    python examples/smolagents_agent.py "How do I add middleware?"

The model is a scripted ``smolagents.Model`` (guess an ID, read the failure,
resolve the name, read the docs, answer through ``final_answer``); swap in
``InferenceClientModel()`` or ``LiteLLMModel(...)`` for a real one. Context7
is the local server over docs/ unless CONTEXT7_API_URL or CONTEXT7_API_KEY
is set (see _agents.py).
"""

from __future__ import annotations

import textwrap
from typing import Any

from _agents import Backend, Outcome, next_turn, run_example
from smolagents import ChatMessage, MessageRole, Model, ToolCallingAgent
from smolagents.memory import ActionStep

from context7_kit.integrations.smolagents import context7_tools


class ScriptedModel(Model):
    """A smolagents model deciding each step from the agent's last tool response."""

    def __init__(self, library_name: str, question: str) -> None:
        super().__init__(model_id="scripted")
        self.library_name, self.question = library_name, question
        self.last_tool: str | None = None

    def generate(self, messages: list[Any], stop_sequences: Any = None, **kwargs: Any) -> ChatMessage:
        last = None
        if self.last_tool is not None and messages[-1].role == MessageRole.TOOL_RESPONSE:
            text = "".join(part["text"] for part in messages[-1].content)
            # smolagents shows a failed call as the step's "Error:", a result as its "Observation:".
            last = Outcome(self.last_tool, text, failed="Error:\n" in text)
        turn = next_turn(self.library_name, self.question, last)
        name, arguments = (turn.tool, turn.arguments) if turn.tool else ("final_answer", {"answer": turn.answer})
        self.last_tool = name
        call = {"id": f"call_{len(messages)}", "type": "function", "function": {"name": name, "arguments": arguments}}
        return ChatMessage(role=MessageRole.ASSISTANT, content="", tool_calls=[call])


def show(agent: ToolCallingAgent) -> None:
    """Print each tool call and what the model read back."""
    for step in agent.memory.steps:
        if not isinstance(step, ActionStep) or step.model_output_message is None:
            continue
        for call in step.model_output_message.tool_calls or []:
            print(f"\nmodel -> {call.function.name}({call.function.arguments})")
        label, text = ("tool error", str(step.error)) if step.error else ("tool", str(step.observations or ""))
        print(textwrap.indent("\n".join(text.splitlines()[:6]), f"  {label} | "))


def run(backend: Backend, question: str) -> str:
    tools = context7_tools(max_tokens=1500, **backend.options)
    model = ScriptedModel(backend.library_name, question)
    agent = ToolCallingAgent(tools=tools, model=model, max_steps=6, verbosity_level=0)
    try:
        answer = agent.run(question)
    finally:
        tools[0].neutral.close()
    show(agent)
    return str(answer)


def main(argv: list[str] | None = None) -> int:
    return run_example(run, argv)


if __name__ == "__main__":
    raise SystemExit(main())
