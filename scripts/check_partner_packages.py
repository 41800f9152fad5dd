"""Run in a clean environment holding only the built wheels: the partner packages import as their users write it."""

from langchain_context7 import Context7Retriever, Context7Toolkit
from llama_index.core.tools import BaseTool
from llama_index.readers.context7 import Context7Reader
from llama_index.tools.context7 import Context7ToolSpec

from context7_kit.integrations import langchain, llama_index

assert Context7Toolkit is langchain.Context7Toolkit
assert Context7Retriever is langchain.Context7Retriever
assert Context7ToolSpec is llama_index.Context7ToolSpec
assert Context7Reader is llama_index.Context7Reader
tools = Context7ToolSpec(base_url="http://127.0.0.1:9/api").to_tool_list()
assert all(isinstance(tool, BaseTool) for tool in tools), tools
assert {tool.metadata.name for tool in tools} >= {"resolve_library_id"}, [tool.metadata.name for tool in tools]
print("partner packages import: langchain_context7, llama_index.tools.context7, llama_index.readers.context7")
