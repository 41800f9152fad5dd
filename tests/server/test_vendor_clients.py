"""The vendor's ``ctx7`` CLI and TypeScript SDK read the local server in every profile.

They are what context7.com's users run: each call goes through the real
client (pinned, installed by scripts/test) over loopback, and the test checks
what the user sees. Without node the tests skip; without the pinned packages
they skip too, except under CI (``CI`` set), where that is a failure.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.docs_server import fixture_server
from tests.server.conftest import FIXTURE_DOCS
from tests.vendor_clients import VendorClientsMissing, check_installed, run_ctx7, run_sdk

pytestmark = pytest.mark.slow
KEY = "ctx7sk-vendor-clients-test-key"
QUESTION = "How do I add middleware to a router?"
PROFILES = ("full", "live", "onprem")


@pytest.fixture(scope="module", autouse=True)
def _installed() -> None:
    try:
        check_installed()
    except VendorClientsMissing as exc:
        if os.environ.get("CI") and "node is not on PATH" not in str(exc):
            pytest.fail(f"the vendor's clients are missing under CI: {exc}")
        pytest.skip(str(exc))


@pytest.fixture(scope="module", params=PROFILES)
def base_url(request: pytest.FixtureRequest) -> Iterator[str]:
    with fixture_server(FIXTURE_DOCS, profile=request.param) as url:
        yield url


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path


def origin(base_url: str) -> str:
    return base_url.removesuffix("/api")


def test_ctx7_library_resolves_a_name(base_url: str, home: Path) -> None:
    run = run_ctx7(origin(base_url), "library", "widgets", api_key=KEY, home=home)
    assert run.code == 0, run.output
    assert "Context7-compatible library ID: /acme/widgets" in run.stdout
    assert "Source Reputation: High" in run.stdout  # the trust score is read, not shown as missing

    listed = run_ctx7(origin(base_url), "library", "widgets", QUESTION, "--json", api_key=KEY, home=home)
    assert listed.code == 0, listed.output
    libraries = json.loads(listed.stdout)
    assert libraries[0]["id"] == "/acme/widgets"
    assert isinstance(libraries[0]["trustScore"], (int, float))


def test_ctx7_docs_answers_a_question(base_url: str, home: Path) -> None:
    run = run_ctx7(origin(base_url), "docs", "/acme/widgets", QUESTION, api_key=KEY, home=home)
    assert run.code == 0, run.output
    assert "### Middleware" in run.stdout
    assert "router.use(log_requests)" in run.stdout


def test_ctx7_docs_json(base_url: str, home: Path, request: pytest.FixtureRequest) -> None:
    run = run_ctx7(origin(base_url), "docs", "/acme/widgets", QUESTION, "--json", api_key=KEY, home=home)
    if "onprem" in request.node.callspec.id:
        # An on-premise server answers text whatever type says: ctx7 --json cannot read it there either.
        assert run.code == 1 and "not valid JSON" in run.output
        return
    assert run.code == 0, run.output
    body = json.loads(run.stdout)
    assert any("router.use(log_requests)" in block["code"] for s in body["codeSnippets"] for block in s["codeList"])


def test_ctx7_reports_a_missing_library_in_words(base_url: str, home: Path) -> None:
    run = run_ctx7(origin(base_url), "docs", "/acme/no-such-library", QUESTION, api_key=KEY, home=home)
    assert run.code == 1
    assert "/acme/no-such-library" in run.output and "not found" in run.output


def test_sdk_searches_and_reads(base_url: str, home: Path, request: pytest.FixtureRequest) -> None:
    onprem = "onprem" in request.node.callspec.id
    calls: list[list[object]] = [
        ["searchLibrary", QUESTION, "widgets"],
        ["searchLibrary", QUESTION, "widgets", {"type": "txt"}],
        ["getContext", QUESTION, "/acme/widgets", {"type": "txt"}],
        ["getContext", QUESTION, "/acme/no-such-library"],
        ["getContext", QUESTION, "/acme/widgets"],
    ]
    libraries, text_list, text, missing, documents = run_sdk(base_url, calls, api_key=KEY, home=home)

    assert libraries["ok"], libraries
    assert libraries["value"][0]["id"] == "/acme/widgets"
    assert libraries["value"][0]["trustScore"] > 0 and libraries["value"][0]["totalSnippets"] > 0
    assert "Trust Score: High" in text_list["value"]
    assert "### Middleware" in text["value"] and "router.use(log_requests)" in text["value"]
    assert not missing["ok"]
    assert "not found" in missing["message"] or missing["message"] == "library_not_found", missing
    if onprem:  # text whatever type says, as on-premise servers answer: the SDK's JSON call cannot read it
        assert not documents["ok"]
        return
    assert documents["ok"], documents
    assert any("router.use(log_requests)" in d["content"] for d in documents["value"])
