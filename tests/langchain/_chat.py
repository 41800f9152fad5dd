"""A scripted chat model that supports tool calling, for agent and chain tests."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool

Policy = Callable[[list[BaseMessage], list[dict[str, Any]]], AIMessage]


class ScriptedChatModel(BaseChatModel):
    """Decides its next message from the conversation so far, like a real agent model.

    ``bind_tools`` converts the tools to the OpenAI schema exactly as a provider
    integration does and hands that schema to the policy with every turn.
    """

    policy: Policy
    seen: list[list[BaseMessage]] = []

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self.seen.append(list(messages))
        reply = self.policy(list(messages), kwargs.get("tools", []))
        return ChatResult(generations=[ChatGeneration(message=reply)])

    def bind_tools(
        self, tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool], **kwargs: Any
    ) -> Runnable[LanguageModelInput, AIMessage]:
        return self.bind(tools=[convert_to_openai_tool(t) for t in tools], **kwargs)  # type: ignore[return-value]


def echo_model() -> ScriptedChatModel:
    """A model whose answer is the prompt it was given: shows what reached the model."""
    return ScriptedChatModel(policy=lambda messages, _tools: AIMessage(content=str(messages[-1].content)))
