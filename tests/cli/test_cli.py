"""The context7-kit command: output people read, JSON machines read, one-line errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from context7_kit import Context7Client, cli
from tests.conftest import BASE_URL, TEST_KEY
from tests.fake_api import FakeAPI, code_snippet


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAPI]:
    """Route the CLI's client to the fake API, keeping every option it was given."""
    fake = FakeAPI()
    real_client = cli._client

    def fake_client(args: object) -> Context7Client:
        made = real_client(args)  # type: ignore[arg-type]
        made._http = fake.sync_client()
        made._sleep = lambda _s: None
        return made

    monkeypatch.setattr(cli, "_client", fake_client)
    yield fake


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(["--help"] if not argv else list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_search_prints_ids_titles_and_facts(api: FakeAPI, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "widgets", "--base-url", BASE_URL)
    assert code == 0
    assert "/acme/widgets  Acme Widgets" in out
    assert "24 snippets" in out and "versions: v1.0.0, v2.0.0" in out


def test_search_by_library_name_uses_the_question_endpoint(api: FakeAPI, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "how to render", "--library-name", "widgets", "--base-url", BASE_URL)
    assert code == 0
    assert "/acme/widgets" in out
    assert api.requests[-1].url.path.endswith("/v2/libs/search")
    assert api.requests[-1].url.params["libraryName"] == "widgets"


def test_search_json_is_machine_readable(api: FakeAPI, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "widgets", "--json", "--base-url", BASE_URL)
    assert code == 0
    data = json.loads(out)
    assert data[0]["id"] == "/acme/widgets" and data[0]["totalSnippets"] == 24


def test_docs_markdown_by_default(api: FakeAPI, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "docs", "/acme/widgets", "--topic", "create", "--base-url", BASE_URL)
    assert code == 0
    assert out.startswith("### Create widget 1")
    assert "```python\nwidget = Widget(1)" in out
    assert api.requests[0].url.params["topic"] == "create"


def test_docs_several_pages_stop_at_the_last(api: FakeAPI, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "docs", "/acme/widgets", "--pages", "5", "--json", "--base-url", BASE_URL)
    assert code == 0
    pages = json.loads(out)
    # 24 snippets at 10 a page: three pages, although five were asked for.
    assert [p["pagination"]["page"] for p in pages] == [1, 2, 3]
    assert sum(len(p["snippets"]) for p in pages) == 24


def test_docs_txt_is_the_server_rendering(api: FakeAPI, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "docs", "/acme/widgets", "--format", "txt", "--limit", "2", "--base-url", BASE_URL)
    assert code == 0
    assert api.requests[0].url.params["type"] == "txt"
    assert "Create widget 2" in out and "Create widget 3" not in out


def test_context_prints_snippets_and_rules(api: FakeAPI, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "context", "/acme/widgets", "how do I render?", "--base-url", BASE_URL)
    assert code == 0
    assert "### Create widget 1" in out and "### Rules" in out and "Prefer explicit widgets." in out


def test_not_found_is_one_line_and_exit_1(api: FakeAPI, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "docs", "/acme/nothing", "--base-url", BASE_URL, "--api-key", TEST_KEY)
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and "`context7-kit search NAME`" in err
    assert "search_library" not in err
    assert TEST_KEY not in err


def test_bad_input_exits_2_before_any_request(api: FakeAPI, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "docs", "/acme/../x", "--base-url", BASE_URL)
    assert code == 2
    assert "'.' or '..'" in err and "/vercel/next.js" in err
    assert api.requests == []
    code, _, err = run(capsys, "docs", "/acme/widgets", "--pages", "11", "--base-url", BASE_URL)
    assert code == 2 and "--pages" in err


def test_server_echoing_the_key_never_reaches_the_output(api: FakeAPI, capsys: pytest.CaptureFixture[str]) -> None:
    api.failures.append(httpx.Response(401, json={"error": "invalid_api_key", "message": f"Bad key {TEST_KEY}"}))
    code, out, err = run(capsys, "search", "widgets", "--api-key", TEST_KEY, "--base-url", BASE_URL)
    assert code == 1
    assert TEST_KEY not in out + err
    assert "CONTEXT7_API_KEY" in err


def test_unreachable_server_is_a_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    # Port 9 on loopback: nothing listens, so the connection is refused at once.
    code, _, err = run(capsys, "search", "x", "--base-url", "http://127.0.0.1:9/api", "--max-retries", "0")
    assert code == 1
    assert err.startswith("error: Could not reach Context7") and "Traceback" not in err


def test_progress_bar_draws_on_a_terminal() -> None:
    stream = io.StringIO()
    stream.isatty = lambda: True  # type: ignore[method-assign]
    bar = cli.Progress(3, stream=stream)
    for _ in range(3):
        bar.advance()
    bar.finish()
    assert "[########----------------] 1/3 pages" in stream.getvalue()
    assert stream.getvalue().endswith("3/3 pages\n")


def test_installed_command_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "context7_kit.cli", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and result.stdout.startswith("context7-kit ")


def test_server_commands_without_the_extra_say_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # As if the server extra were not installed: its CLI module cannot be imported.
    monkeypatch.setitem(sys.modules, "context7_kit.server.cli", None)
    code, _, err = run(capsys, "serve", "--library", "/acme/widgets=./docs", "--port", "8787")
    assert code == 2
    assert "pip install 'context7-kit[server]'" in err


HTML_404 = b"<!DOCTYPE html><html><title>404: This page could not be found</title></html>"


def test_search_uses_the_route_every_server_has(api: FakeAPI, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "widgets", "--fast", "--base-url", BASE_URL)
    assert code == 0 and "/acme/widgets" in out
    assert api.requests[-1].url.path.endswith("/v2/libs/search")
    assert dict(api.requests[-1].url.params) == {"libraryName": "widgets", "query": "widgets", "fast": "true"}


@pytest.mark.parametrize("fmt", ["md", "txt", "json"])
def test_docs_on_a_server_without_docs_routes_asks_the_topic_with_one_more_call(
    api: FakeAPI, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    api.failures.append(httpx.Response(404, content=HTML_404, headers={"content-type": "text/html"}))
    code, out, err = run(capsys, "docs", "/acme/widgets", "--topic", "create", "--format", fmt, "--base-url", BASE_URL)
    assert code == 0, err
    assert [r.url.path for r in api.requests] == ["/api/v2/docs/code/acme/widgets", "/api/v2/context"]
    assert api.requests[1].url.params["query"] == "create"
    assert "/v2/context" in err
    assert "Create widget 1" in out


def test_docs_without_a_topic_on_such_a_server_says_what_to_run(
    api: FakeAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    api.failures.append(httpx.Response(404, content=HTML_404, headers={"content-type": "text/html"}))
    code, out, err = run(capsys, "docs", "/acme/widgets", "--base-url", BASE_URL)
    assert code == 1 and out == ""
    assert "--topic" in err and "context7-kit context ID QUESTION" in err
    assert len(api.requests) == 1


def test_docs_on_a_surface_a_server_makes_no_extra_call(api: FakeAPI, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run(capsys, "docs", "/acme/widgets", "--topic", "create", "--base-url", BASE_URL)
    assert code == 0 and len(api.requests) == 1


def test_search_docs_prints_each_snippets_library(api: FakeAPI, capsys: pytest.CaptureFixture[str]) -> None:
    snippet = {**code_snippet(1).to_wire(), "libraryId": "/acme/widgets"}
    body = {"codeSnippets": [snippet], "infoSnippets": [], "rules": {"global": ["Be nice."]}}
    api.failures.append(httpx.Response(200, json=body))
    code, out, _ = run(
        capsys, "search-docs", "create a widget", "--library", "widgets", "--library", "gadgets", "--base-url", BASE_URL
    )
    assert code == 0
    assert out.startswith("Library: /acme/widgets\n### Create widget 1")
    assert "- Be nice." in out
    request = api.requests[0]
    assert request.url.path == "/api/v3/search" and request.url.params.get_list("library") == ["widgets", "gadgets"]


def test_search_docs_version_without_a_library_is_bad_input(api: FakeAPI, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "search-docs", "routing", "--version", "15.2", "--base-url", BASE_URL)
    assert code == 2 and "library" in err and api.requests == []


@pytest.mark.parametrize(
    ("argv", "says", "not_says"),
    [
        (["/a/b/../c"], "'.' or '..'", "too many"),
        (["/acme/widgets", "--page", "11"], "--page must be between 1 and 10", "--pages"),
        (["/acme/widgets", "--page", "9", "--pages", "3"], "--page 9 with --pages 3", "e.g."),
        (["/acme/widgets", "--limit", "0"], "--limit must be between 1 and 10", "limit="),
        (["/a"], "context7-kit search NAME", "search_library"),
    ],
)
def test_bad_input_names_the_option_to_fix(
    api: FakeAPI, capsys: pytest.CaptureFixture[str], argv: list[str], says: str, not_says: str
) -> None:
    code, _, err = run(capsys, "docs", *argv, "--base-url", BASE_URL)
    assert code == 2
    assert says in err and not_says not in err
    assert api.requests == []


def test_cli_advice_names_options_not_python_arguments(api: FakeAPI, capsys: pytest.CaptureFixture[str]) -> None:
    api.failures.append(httpx.Response(401, json={"error": "invalid_api_key"}))
    code, _, err = run(capsys, "search", "widgets", "--base-url", BASE_URL, "--max-retries", "0")
    assert code == 1
    assert "--api-key" in err and "api_key=" not in err
    api.failures.append(httpx.Response(400, json={"error": "invalid_limit"}))
    code, _, err = run(capsys, "docs", "/acme/widgets", "--base-url", BASE_URL)
    assert "--limit must be between 1 and 10" in err


def test_a_page_past_the_end_says_so(api: FakeAPI, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "docs", "/acme/widgets", "--page", "5", "--base-url", BASE_URL)
    assert code == 1 and out == ""
    assert "past the last page (3)" in err and "--page 1..3" in err
    assert "--topic" not in err


def test_an_empty_txt_answer_says_so_and_fails(api: FakeAPI, capsys: pytest.CaptureFixture[str]) -> None:
    api.failures.append(httpx.Response(200, text="", headers={"content-type": "text/plain"}))
    code, out, err = run(capsys, "docs", "/acme/widgets", "--format", "txt", "--base-url", BASE_URL)
    assert code == 1 and out == ""
    assert "No snippets found" in err


def test_the_key_from_the_environment_is_redacted_too(
    api: FakeAPI, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    key = "ctx7op-onprem-key-0123456789"
    monkeypatch.setenv("CONTEXT7_API_KEY", key)
    echoed = {"codeSnippets": [{**code_snippet(1).to_wire(), "codeTitle": f"Key {key}"}], "infoSnippets": []}
    api.failures.append(httpx.Response(200, json=echoed))
    code, out, err = run(capsys, "context", "/acme/widgets", "q", "--base-url", BASE_URL)
    assert code == 0 and "Key [redacted]" in out
    api.failures.append(httpx.Response(403, json={"error": "access_denied", "message": f"no access for {key}"}))
    code, out, err = run(capsys, "context", "/acme/widgets", "q", "--base-url", BASE_URL)
    assert code == 1 and key not in out + err
    assert api.requests[-1].headers["authorization"] == f"Bearer {key}"
