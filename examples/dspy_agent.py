"""A DSPy ReAct program with the Context7 tools: it finds a library, reads its docs, and answers.

    python examples/dspy_agent.py                                # offline: local server, scripted LM
    DSPY_MODEL=openai/gpt-4o-mini python examples/dspy_agent.py "How do I add middleware?"

The LM is a scripted ``DummyLM`` that reads ReAct's trajectory (guess an ID,
read the failed observation, resolve the name, read the docs, finish) unless
DSPY_MODEL names a real one. Context7 is the local server over docs/ unless
CONTEXT7_API_URL or CONTEXT7_API_KEY is set (see _agents.py).
"""

from __future__ import annotations

import os
import re
import textwrap
from typing import Any

import dspy
from _agents import Backend, Outcome, next_turn, run_example
from dspy.utils.dummies import DummyLM

from context7_kit.integrations.dspy import context7_tools

FIELD = re.compile(r"\[\[ ## (\w+) ## \]\]\n(.*?)(?=\n\n\[\[ ## |\Z)", re.DOTALL)


class ScriptedLM(DummyLM):
    """A DummyLM whose next answer is decided from the trajectory ReAct shows it."""

    def __init__(self, library_name: str, question: str) -> None:
        super().__init__(answers=[])
        self.library_name, self.question = library_name, question
        self.answers = self  # DummyLM draws each answer with next(self.answers)
        self.prompt = ""
        self.answer = ""

    def forward(self, prompt: Any = None, messages: Any = None, **kwargs: Any) -> Any:
        self.prompt = messages[-1]["content"] if messages else str(prompt)
        return super().forward(prompt=prompt, messages=messages, **kwargs)

    def __next__(self) -> dict[str, Any]:
        if "[[ ## answer ## ]]" in self.prompt:  # ReAct's final step: extract the answer
            return {"reasoning": "The docs answered it.", "answer": self.answer}
        fields = dict(FIELD.findall(self.prompt))
        steps = sorted(int(key.rsplit("_", 1)[1]) for key in fields if key.startswith("observation_"))
        last = None
        if steps:
            observation = fields[f"observation_{steps[-1]}"]
            # ReAct shows a tool's exception as the step's "Execution error in <tool>: ..." observation.
            last = Outcome(
                fields[f"tool_name_{steps[-1]}"].strip(), observation, observation.startswith("Execution error")
            )
        turn = next_turn(self.library_name, self.question, last)
        if turn.tool is None:
            self.answer = turn.answer or ""
            return {"next_thought": "I can answer now.", "next_tool_name": "finish", "next_tool_args": {}}
        return {"next_thought": f"Call {turn.tool}.", "next_tool_name": turn.tool, "next_tool_args": turn.arguments}


def show(trajectory: dict[str, Any]) -> None:
    """Print each tool call and what the model read back."""
    for step in range(len([key for key in trajectory if key.startswith("tool_name_")])):
        name, observation = trajectory[f"tool_name_{step}"], str(trajectory[f"observation_{step}"])
        if name == "finish":
            continue
        print(f"\nmodel -> {name}({trajectory[f'tool_args_{step}']})")
        label = "tool error" if observation.startswith("Execution error") else "tool"
        print(textwrap.indent("\n".join(observation.splitlines()[:6]), f"  {label} | "))


async def run(backend: Backend, question: str) -> str:
    tools = context7_tools(max_tokens=1500, **backend.options)
    model_name = os.environ.get("DSPY_MODEL")
    print(f"Model: {model_name or 'scripted'}")
    lm = dspy.LM(model_name) if model_name else ScriptedLM(backend.library_name, question)
    react = dspy.ReAct("question -> answer", tools=tools, max_iters=6)
    try:
        with dspy.context(lm=lm):
            prediction = await react.acall(question=question)
    finally:
        await tools[0].neutral.aclose()
    show(prediction.trajectory)
    return str(prediction.answer)


def main(argv: list[str] | None = None) -> int:
    return run_example(run, argv)


if __name__ == "__main__":
    raise SystemExit(main())
