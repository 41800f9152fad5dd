"""A CrewAI agent with the Context7 tools: it finds a library, reads its docs, and answers.

    python examples/crewai_agent.py                              # offline: local server, scripted LLM
    python examples/crewai_agent.py "How do I add middleware?"

The LLM is a scripted ``crewai.BaseLLM`` writing CrewAI's ReAct format (guess
an ID, see CrewAI record the failure, resolve the name, read the docs, give
the final answer); pass ``llm="gpt-4o-mini"`` to the Agent for a real one.
Context7 is the local server over docs/ unless CONTEXT7_API_URL or
CONTEXT7_API_KEY is set (see _agents.py).
"""

from __future__ import annotations

import json
import os
import re
import textwrap
from typing import Any

os.environ.setdefault("CREWAI_DISABLE_TELEMETRY", "true")
os.environ.setdefault("OTEL_SDK_DISABLED", "true")

from _agents import Backend, Outcome, next_turn, run_example
from crewai import Agent, BaseLLM
from crewai.tools.tool_failure import active_tool_failures

from context7_kit.integrations.crewai import context7_tools

OBSERVATION = re.compile(r"Observation:\s*(.*)", re.DOTALL)


class ScriptedLLM(BaseLLM):
    """An LLM writing CrewAI's Thought / Action / Final Answer text, one step per call."""

    library_name: str
    question: str
    last_tool: str | None = None
    failures_seen: int = 0
    actions: list[str] = []

    def call(self, messages: Any, *args: Any, **kwargs: Any) -> str:
        last = None
        if self.last_tool is not None:
            # CrewAI appends the tool's result to the last assistant message, after "Observation:".
            text = next((str(m["content"]) for m in reversed(messages) if "Observation:" in str(m["content"])), "")
            match = OBSERVATION.search(text)
            failures = len(active_tool_failures() or [])
            # A failed call is one CrewAI recorded as a tool failure since the last step.
            last = Outcome(self.last_tool, match.group(1) if match else text, failures > self.failures_seen)
            self.failures_seen = failures
        turn = next_turn(self.library_name, self.question, last)
        if turn.tool is None:
            return f"Thought: I now know the final answer\nFinal Answer: {turn.answer}"
        self.last_tool = turn.tool
        self.actions.append(turn.tool)
        print(f"\nmodel -> {turn.tool}({turn.arguments})")
        return f"Thought: I should call {turn.tool}.\nAction: {turn.tool}\nAction Input: {json.dumps(turn.arguments)}"

    def supports_function_calling(self) -> bool:
        return False


def run(backend: Backend, question: str) -> str:
    tools = context7_tools(max_tokens=1500, **backend.options)
    agent = Agent(
        role="Documentation researcher",
        goal="Answer questions from libraries' current documentation",
        backstory="You look things up with Context7 before answering.",
        tools=tools,
        llm=ScriptedLLM(model="scripted", library_name=backend.library_name, question=question),
        verbose=False,
    )
    try:
        output = agent.kickoff(question)
    finally:
        tools[0].neutral.close()
    for failure in output.tool_failures:
        print(f"\nCrewAI recorded a tool failure of {failure.tool_name}({failure.tool_args}):")
        print(textwrap.indent("\n".join(failure.message.splitlines()[:6]), "  tool error | "))
    return str(output.raw)


def main(argv: list[str] | None = None) -> int:
    return run_example(run, argv)


if __name__ == "__main__":
    raise SystemExit(main())
