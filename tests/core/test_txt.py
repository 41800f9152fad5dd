"""The txt (Markdown) format read back: json -> txt -> parse keeps everything the format carries."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from context7_kit.core import CodeBlock, CodeSnippet, InfoSnippet, parse_txt
from context7_kit.core.documents import render_snippets
from context7_kit.core.models import Snippet

# Text a snippet may hold. What the format cannot tell apart is left out: prose lines that open a
# code fence, start a heading or a "Source:" line, or are a separator (ten dashes or more).
_LETTERS = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp"))
_WORDS = st.text(_LETTERS, min_size=1, max_size=30).filter(lambda t: t.strip() == t and "`" not in t and "~" not in t)


def _prose_line(line: str) -> bool:
    return not line.startswith(("###", "Source:")) and not set(line.strip()) <= {"-"}


_PROSE = st.lists(_WORDS.filter(_prose_line), min_size=1, max_size=4).map("\n".join)
_TITLE = _WORDS.filter(lambda t: not t.startswith("#"))
_URL = st.from_regex(r"https://docs\.example/[a-z0-9/._-]{1,30}(#_snippet_[0-9]{1,3})?", fullmatch=True)
_LANGUAGE = st.sampled_from(["", "python", "ts", "bash", "c++", "objective-c"])
# Code may hold anything but a line that would close its fence: the renderer picks a longer fence
# when the code has ``` in it, so ``` lines are fine and only lines of four or more backticks are out.
_CODE_LINE = st.text(_LETTERS | st.just("`"), max_size=40).filter(
    lambda line: not (len(line.strip()) >= 3 and set(line.strip()) <= {"`"}) or line.strip() == "```"
)
_CODE = st.lists(_CODE_LINE, min_size=1, max_size=6).map("\n".join).filter(lambda c: c.rstrip("\n") == c)

code_snippets = st.builds(
    CodeSnippet,
    code_title=_TITLE,
    code_description=st.one_of(st.just(""), _PROSE),
    code_id=st.one_of(st.just(""), _URL),
    code_list=st.lists(st.builds(CodeBlock, language=_LANGUAGE, code=_CODE), min_size=1, max_size=3),
)
info_snippets = st.builds(
    InfoSnippet,
    content=_PROSE,
    page_id=st.one_of(st.none(), _URL),
    breadcrumb=st.one_of(st.none(), _TITLE),
)


def carried(snippet: Snippet) -> tuple[object, ...]:
    """What the txt format carries of a snippet."""
    if isinstance(snippet, CodeSnippet):
        blocks = [(block.language, block.code) for block in snippet.code_list]
        return ("code", snippet.code_title, snippet.code_id, snippet.code_description.strip(), blocks)
    return ("info", snippet.breadcrumb, snippet.page_id, snippet.content.strip())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.lists(st.one_of(code_snippets, info_snippets), max_size=6))
def test_json_to_txt_to_snippets_loses_nothing_the_format_carries(snippets: list[Snippet]) -> None:
    parsed = parse_txt(render_snippets(snippets))

    assert [carried(s) for s in parsed] == [carried(s) for s in snippets]


def test_the_vendors_layout_reads_the_same() -> None:
    # context7.com: a blank line after the heading and after Source:, a 32-dash separator.
    text = (
        "### Middleware Authentication Example\n\n"
        "Source: https://github.com/vercel/next.js/blob/canary/docs/middleware.mdx\n\n"
        "Shows how to implement authentication checks in Next.js middleware\n\n"
        "```typescript\nimport { NextResponse } from 'next/server'\n```\n\n"
        "--------------------------------\n\n"
        "### Routing > Middleware\n\n"
        "Source: https://github.com/vercel/next.js/blob/canary/docs/middleware.mdx\n\n"
        "Middleware allows you to run code before a request is completed.\n\n---\n\nMore prose.\n"
    )

    code, info = parse_txt(text)

    assert isinstance(code, CodeSnippet) and isinstance(info, InfoSnippet)
    assert code.code_title == "Middleware Authentication Example"
    assert code.code_id.endswith("middleware.mdx")
    assert code.code_description.startswith("Shows how")
    assert code.code_list == [CodeBlock(language="typescript", code="import { NextResponse } from 'next/server'")]
    assert code.code_language == "typescript" and code.code_tokens > 0
    assert info.breadcrumb == "Routing > Middleware"
    assert info.content.endswith("---\n\nMore prose.")  # a Markdown rule is not a separator


def test_a_separator_inside_code_is_code() -> None:
    snippet = CodeSnippet(code_title="Table", code_list=[CodeBlock(language="text", code="a\n" + "-" * 40 + "\nb")])

    [parsed] = parse_txt(render_snippets([snippet]))

    assert parsed == snippet.model_copy(update={"code_language": "text", "code_tokens": parsed.code_tokens})


def test_empty_text_has_no_snippets() -> None:
    assert parse_txt("") == []
    assert parse_txt("\n\n" + "-" * 40 + "\n\n") == []
