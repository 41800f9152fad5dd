"""The names a user imports from ``context7_kit``: what they call, catch and get back, nothing internal."""

from __future__ import annotations

import context7_kit
import context7_kit.core

INTEGRATION_HELPERS = {
    "ClientOptions",
    "ClientPair",
    "ClientSettings",
    "SnippetDocument",
    "check_client_settings",
    "check_docs_request",
    "parse_txt",
    "render_snippet",
    "to_document",
}


def test_top_level_names_are_what_users_call_catch_and_get_back() -> None:
    names = set(context7_kit.__all__)
    assert {"Context7Client", "AsyncContext7Client", "Context7Error", "DocsPage", "Context", "LibraryId"} <= names
    assert not names & INTEGRATION_HELPERS, "adapter-building helpers live in context7_kit.core"
    assert set(context7_kit.core.__all__) >= INTEGRATION_HELPERS
    assert names - {"__version__"} <= set(context7_kit.core.__all__)


def test_every_top_level_class_is_documented_and_defined_in_a_public_module() -> None:
    for name in context7_kit.__all__:
        value = getattr(context7_kit, name)
        if not isinstance(value, type):
            continue
        assert (value.__doc__ or "").strip(), f"{name} has no docstring"
        private = [part for part in value.__module__.split(".") if part.startswith("_")]
        assert not private, f"{name} comes from the private module {value.__module__}"
